"""Which date a document carries, by kind: the rules behind ``Metadata.date``.

- speech: its own date line under the title (``（2019年5月9日）``, ``（2022年12月）``, also a little below where
  the headline block seemed to end, above the salutation), else the date in an editor's note above a reposted
  speech (``编者按：2024年5月17日上午，…``), else the date of the newspaper it was printed in (``某某日报
  （2023年11月23日 第11版）``), else the year in its title (``在2024年全市…上的讲话`` → ``2024``); a page's
  发布时间 is not the speech's date.
- report: the publication date — a date line in the headline block, else a removed ``publish_date_line`` /
  ``source_line`` (``Cleaned.removals``), else the title's year, else its dateline with the year its lead names
  (``某某网12月3日讯 …2024年…``), else a dated first paragraph.
- other (通知, 倡议书, 简报, features): the 落款 date at the end (``2024年4月1日`` under the issuing office),
  else the issue date of a portal's metadata table (``成文日期：2024-06-03``), else the date on the masthead
  of a 简报 (``某某办公室　2023年7月14日`` under its title), else as a report.

Everything here reads simplified lines (see ``metadata.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.ingest.describe import rules as rules
from app.text.normalise import CJK_RE, to_simplified

SPEECH_DATE_LINE_RE = re.compile(
    r"^[(（]?\s*(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年"
    r"(?:[^()（）]{1,8}日|\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月)\s*[)）]?$"
)
"""A speech's own date line: ``（2019年5月9日）``, ``二〇二三年三月五日``, ``（2022年12月）``."""

EDITOR_NOTE_RE = re.compile(r"^[【\[]?(?:编者按|编者的话|编者注|编前语)[】\]]?\s*[:：]?")
"""An editor's note above a reposted speech: ``编者按：2024年5月17日上午，…召开。现将讲话全文刊发如下。``"""

_SIGN_OFF_RE = re.compile(
    r"^(?:[\u4e00-\u9fff（）()]{2,30}\s+)?[(（]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})\s*[)）]?$"
)
_SIGN_OFF_SCAN = 6  # the 落款 sits in the last lines, above at most a 抄送/公开 note
_EDITION_RE = re.compile(r"第\s*[A-Z]?\d{1,3}\s*版")
"""A newspaper's edition number: a removed line with one is the print stamp of the paper the text appeared in."""
_DATELINE_RE = re.compile(r"^[^，。,；;]{0,16}?(\d{1,2})月(\d{1,2})日(?:电|讯)")
"""A news dateline: ``新华社北京1月14日电``, ``某某网12月3日讯`` (month and day; the year is not printed)."""
_LEAD_YEAR_RE = re.compile(r"((?:19|20)\d{2})年(?!以来|之前|以前|前|起|底)")
_YEAR_DIGITS_RE = re.compile(r"(?:19|20)\d{2}")
_LEAD_CHARS = 200  # the lead paragraph that may name the year of a dateline
_ISSUE_LABEL_RE = re.compile(r"(?:成文|印发|签发|发文)日期\s*[:：]\s*(\S+)")

# removed chrome whose date is never the document's: doc-site stamps, page tails, file names, a clock widget's
# today, a site's abstract of the file
_NOT_DATE_RULES = frozenset(
    {
        "doc_meta_line",
        "truncate",
        "footer",
        "file_name_line",
        "paywall_notice",
        "page_counter",
        "disclaimer_line",
        "date_widget",
        "site_blurb",
    }
)


def is_date_line(s: str) -> bool:
    """``成都日报 2021-09-19 07:42`` or ``发布时间:2022-02-25 00:36 文字大小:`` — a date with little else."""
    date = rules.find_date(s)
    return date is not None and "，" not in s and "。" not in s and len(CJK_RE.findall(s)) <= 14


_EARLY_LINES = 4  # a line the cleaner left above the title block can start the body early; the date line follows it
_SALUTATION_START_RE = re.compile(r"^(?:同志们|各位|尊敬的|亲爱的|女士们|朋友们)")


def _early_date_line(lines: Sequence[str]) -> str | None:
    """A speech's own date line (``（2022年10月）``) among the first lines of what was taken for its body, above
    the salutation: a site's blurb over the title can start the body before the title block ends."""
    for s in (line.strip() for line in lines):
        if _SALUTATION_START_RE.match(s):
            return None
        if SPEECH_DATE_LINE_RE.match(s):
            return rules.find_date(s)
    return None


def sign_off_date(simp: Sequence[str]) -> str | None:
    """The 落款 date of a notice or an appeal: a line that is only a date near the end of the text.

    ``…市精神文明建设委员会办公室`` / ``2024年6月3日`` / ``（此件公开发布）`` → ``2024-06-03``."""
    tail = [s.strip() for s in simp if s.strip()][-_SIGN_OFF_SCAN:]
    for s in reversed(tail):
        if _SIGN_OFF_RE.match(s) and (date := rules.find_date(s)):
            return date
    return None


def _masthead_date(head_lines: Sequence[str]) -> str | None:
    """The issue date on the masthead of a 简报 or 文件, under its title: ``某某指挥部办公室　2023年7月14日``."""
    for s in head_lines:
        if _SIGN_OFF_RE.match(s) and (date := rules.find_date(s)):
            return date
    return None


def _issue_date(removals: Sequence[object]) -> str | None:
    """A portal table's issue date among the removed lines: ``成文日期：2024-06-03　发布日期：2024-06-04``."""
    for removal in removals:
        text = to_simplified(str(getattr(removal, "text", "")))
        if (m := _ISSUE_LABEL_RE.search(text)) and (date := rules.find_date(m[1])):
            return date
    return None


def print_date(removals: Sequence[object]) -> str | None:
    """The date of the paper a text was printed in, from its removed print stamp ``某某日报(2023年11月23日 第11版)``:
    a speech published in a newspaper was given by then."""
    for removal in removals:
        if getattr(removal, "rule", "") != "publish_date_line":
            continue
        text = to_simplified(str(getattr(removal, "text", "")))
        if len(text) <= 60 and _EDITION_RE.search(text) and (date := rules.find_date(text)):
            return date
    return None


def dateline_date(lead: str) -> str | None:
    """A report's date from its dateline and a year its lead names: ``某某网12月3日讯 …2024年某某县…现场会…`` →
    ``2024-12-03``. Without a year in the lead the dateline gives no date."""
    if not (m := _DATELINE_RE.match(lead)) or not (year := _LEAD_YEAR_RE.search(lead, m.end(), _LEAD_CHARS)):
        return None
    return rules.find_date(f"{year[1]}年{m[1]}月{m[2]}日")


def removal_dates(removals: Sequence[object]) -> list[str]:
    """Publication dates among the removed chrome, skipping doc-site upload stamps and long lists."""
    found: list[tuple[str, bool]] = []
    for removal in removals:
        if getattr(removal, "rule", "") in _NOT_DATE_RULES:
            continue
        text = to_simplified(str(getattr(removal, "text", "")))
        # an upload stamp names the upload before its date (上传时间:…); a word after the date is another field
        # (发布于:2021-08-19 作者:网络投稿)
        year = _YEAR_DIGITS_RE.search(text)
        if (
            "\n" in text.strip()
            or len(text) > 80
            or rules.UPLOAD_RE.search(text, 0, year.start() if year else len(text))
        ):
            continue
        if date := rules.find_date(text):
            found.append((date, bool(rules.PUBLISH_LABEL_RE.search(text))))
    if len(found) > 2:  # a "related articles" list: only an explicitly labelled date is trustworthy
        found = [f for f in found if f[1]]
    return [d for d, _ in found]


def document_date(
    kind: str, simp: Sequence[str], body_start: int, title: str, removals: Sequence[object]
) -> str | None:
    """The date of a document of ``kind`` whose headline block is ``simp[:body_start]`` and whose title as
    printed is ``title`` (see the module docstring for the order of preference)."""
    head_lines = [s.strip() for s in simp[:body_start]]
    if kind == "speech":
        for s in head_lines:
            if SPEECH_DATE_LINE_RE.match(s):
                return rules.find_date(s)
        for s in head_lines:  # the editor's note of a repost says when the speech was given
            if EDITOR_NOTE_RE.match(s) and (date := rules.find_date(s[:40])):
                return date
        if date := _early_date_line(simp[body_start : body_start + _EARLY_LINES]) or print_date(removals):
            return date
        if m := rules.YEAR_RE.search(title):
            return rules.find_date(title) or m[1]
        return None
    if kind == "other" and (
        date := sign_off_date(simp[body_start:]) or _issue_date(removals) or _masthead_date(head_lines)
    ):
        return date
    for s in head_lines:
        if is_date_line(s) and not rules.UPLOAD_RE.search(s) and (date := rules.find_date(s)):
            return date
    if dates := removal_dates(removals):
        return dates[0]
    if title and (m := rules.YEAR_RE.search(title)):
        return rules.find_date(title) or m[1]
    if body_start < len(simp) and (date := dateline_date(simp[body_start])):
        return date
    if body_start < len(simp) and re.match(r"^\s*(?:19|20)\d{2}年\d{1,2}月", simp[body_start]):
        return rules.find_date(simp[body_start][:20])
    return None
