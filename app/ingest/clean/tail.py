"""Drop page chrome left after a document's last sentence (footers, link lists, widgets).

Named cleaning rules catch the chrome they know; this is the structural backstop for what they do not:
after the last line that reads as prose (a sentence end, or a long line), a web page has only site
furniture — except a notice's sign-off (issuing office, date), which is kept.
"""

from __future__ import annotations

import re

from app.ingest.clean.common import is_heading

_SENTENCE_END_RE = re.compile(r"[。！？!?…][”’」』）)]*\s*$|[。！？!?][”’」』）)]*")
_DATE_LINE_RE = re.compile(r"^\s*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*[）)]?\s*$")
_SIGNOFF_ORG_RE = re.compile(
    r"^[\u4e00-\u9fff（）()、·]{2,30}(?:委员会|办公室|文明办|人民政府|政府|党委|委|局|中心|协会|学会|联合会|"
    r"团委|妇联|总工会|指挥部|领导小组|工作组|办|部|厅|院|所|站|队|街道|社区|村委会|居委会)$"
)
_CHROME_HINT_RE = re.compile(r"版权|主办|承办|备案|ICP|网站|邮箱|电话|地址|扫|关注|下载|登录|注册|分享|责任编辑|编辑")
_CLAUSE_RE = re.compile(r"[\u4e00-\u9fff]{4,}[，,；;][\u4e00-\u9fff]{2,}")
CONTENT_LINE_CHARS = 40


def is_prose(line: str) -> bool:
    """A line a reader reads as text: a sentence end, Chinese clauses, a numbered heading, or length.

    ``"会议以电视电话会议形式召开。"`` → True; ``"相关阅读 · 我市新增两处基地"`` → False.
    """
    stripped = line.strip()
    if _SENTENCE_END_RE.search(stripped) or len(stripped) >= CONTENT_LINE_CHARS:
        return True
    # a preview cut mid-sentence still reads as clauses, and a numbered heading is content
    return bool(_CLAUSE_RE.search(stripped) or is_heading(stripped))


def is_signoff(line: str) -> bool:
    """The issuing office or date that closes a notice: ``云岭市文明办``, ``2024年6月3日``."""
    stripped = re.sub(r"\s+", "", line)
    if _CHROME_HINT_RE.search(stripped):
        return False
    return bool(_DATE_LINE_RE.match(stripped) or _SIGNOFF_ORG_RE.match(stripped))


def trim_tail(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a body's lines into (kept, dropped): furniture after the last prose line goes, sign-offs stay.

    ``["…参加会议。", "打印本页 关闭窗口", "XX市文明办", "2024年6月3日"]`` →
    ``(["…参加会议。", "XX市文明办", "2024年6月3日"], ["打印本页 关闭窗口"])``.
    """
    last_prose = max((i for i, line in enumerate(lines) if is_prose(line)), default=-1)
    if last_prose < 0:
        return lines, []
    kept = lines[: last_prose + 1]
    dropped = []
    for line in lines[last_prose + 1 :]:
        (kept if is_signoff(line) else dropped).append(line)
    return kept, dropped
