"""Describe a cleaned document: title, kind, script, date, place, speaker, topic, and its body.

The cleaner (``clean.py``) has already dropped site chrome but keeps the removed date/source lines in
``removals``; here the *headline block* (everything above the first real paragraph) is read for the
title, byline and dates, and cut off so that ``body`` is what the outline parser should see. Every
candidate line (or headline broken over lines) of that block is scored and the best one is the title
(``metadata_title``), so chrome left above the title or a repost's own headline does not win by coming first.
All matching runs on the simplified shadow of each line (``t2s`` keeps length), while title and body
are sliced from the original so a traditional-script office gets its own characters back. Which date a
document carries (its own date line, the title's year, the 落款, the publication date) is decided in
``metadata_dates``; the lexicons for kind, topic, speaker and place are in ``metadata_rules``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.ingest.describe import dates as dates
from app.ingest.describe import rules as rules
from app.ingest.describe import title as titles
from app.structure.markers import BULLETS
from app.text.normalise import CJK_RE, cjk_ratio, detect_script, normalise_width, to_simplified

if TYPE_CHECKING:
    from app.ingest.clean.document import Cleaned

HEAD_SCAN_LINES = 25  # a headline block is never longer than this; deeper lines are body

_SUMMARY_RE = re.compile(r"^【(?:提纲|摘要|内容提要|导读|导语|核心提示)】")
_SALUTATION_RE = re.compile(r"^(?:同志们|各位|尊敬的|亲爱的|女士们|朋友们|老师们|同学们).{0,40}?[:：,，!！]")
_OUTLINE_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）])")
_LEAD_RE = re.compile(
    r"^(?:\d{1,2}月\d{1,2}日|今天(?![是为]?\s*[:：]|是\s*\d|是?星期)|近日|日前|昨日|昨天|刚才|近年来|今年以来"
    r"|(?:19|20)\d{2}年\d{1,2}月)"
)
_MASKED_DATE_LINE_RE = re.compile(r"^[(（]\s*[\dXx×＊*]{2,4}\s*年.{0,8}[)）]$")
_META_RE = re.compile(
    r"^(?:来源|作者|编辑|责任编辑|责编|记者|通讯员|摄影|发布|时间|日期|字号|字数|浏览|阅读|点击|分享|打印|上传|更新"
    r"|文章来源|信息来源|稿源|供稿|审核|校对|出处|原标题|首页|当前位置|您的位置|第\s*\d+\s*页)|首页$"
    r"|^(?:特约|见习)?(?:记者|通讯员|摄影|摄像|编辑|文|图)[\s:：/]"
    r"|^.{0,12}(?:融媒体中心|新闻中心|日报|晚报|电视台|新闻网|报社)$|^.{1,10}(?:网|文库)$"
    r"|\.(?:docx?|pdf|txt|wps|pptx?)\b|[>›»|]|(?:字数|页数|浏览|阅读|点击)[:：]?\s*\d",
    re.IGNORECASE,
)
_CONNECT_END_RE = re.compile(r"[暨和与及、的之在上,，—]$")
_CONNECT_START_RE = re.compile(r"^(?:暨|和|与|及|并|上的|的讲话|讲话|——|—)")
_COMPLETE_RE = re.compile(r"(?:召开|举行|开幕|闭幕|讲话|讲话稿|致辞|发言|报告会|仪式|[!！?？])$")
_SLOGAN_RE = re.compile(
    r"^(?:推动|努力|坚持|扎实|奋力|凝聚|加快|深入|全力|持续|着力|聚焦|为|以|让|把|用|抓|提供|统筹|全面|勇|争当|当好"
    r"|打造|推进|助力|汇聚|携手|共建|共创|守正|践行|弘扬|激发|书写|谱写|奋进|答好|跑出|擦亮|厚植|绘就|筑牢|树立"
    r"|培育|提升|健全|强化|夯实|锚定|彰显|奏响|唱响|凝心|砥砺|守护|深化|高质量|高水平|更高|得到|看到)"
    r"|^(?:[一-龥]{2,6}\s+){2,}[一-龥]{2,6}$"
)
_BYLINE_RE = re.compile(r"^[一-龥]{2,4}(?:出席(?:会议|大会)?(?:并(?:讲话|致辞))?|讲话|致辞|主持|参加)(?:\s|$)")
_RUNON_TITLE_RE = re.compile(
    r"^(?P<t>[^，。,;；:：!！?？\s]{4,60}?(?:讲话稿|讲话|致辞|发言稿|发言))"
    r"(?=\s|同志们|各位|尊敬的|亲爱的|[一二三四五六七八九十]、|(?P=t))"
)
_TITLE_JUNK_RE = re.compile(
    r"[(（]\d+字[)）]|[(（]\d{1,2}[)）]$|篇\d+$|\.(?:docx?|pdf|txt|wps)$|[_|\-—]+\s*[一-龥]{2,8}(?:网|文库)$"
    r"|[(（](?:范文|精选|完整版|最新|通用)[^()（）]{0,6}[)）]$"
    r"|[(（]\s*(?:(?:19|20)\d{2}|[\dXx×＊*]{2,4}|[〇零○一二三四五六七八九]{4})\s*年[^()（）]{0,8}[)）]$"
)
_TITLE_BULLET_RE = re.compile(rf"^[·•{BULLETS}]\s*")
"""A link-list bullet before a headline (``· 全市…推进大会召开``): no title starts with one."""
_TITLE_NAME_TAIL_RE = re.compile(r"[(（]\s*([一-龥]{2,4})\s*(?:同志)?[)）]$")
_NEWS_BYLINE_PREFIX_RE = re.compile(
    r"^(?:[一-龥]{2,10}(?:网讯|讯|电)\s*)?[(（](?:特约|见习)?(?:记者|通讯员)[^)）]{0,40}[)）]\s*"
    r"|^(?:本报|本台|本网)讯\s*|^新华社[一-龥]{2,4}\d{1,2}月\d{1,2}日电\s*"
)
_SPACE_NEAR_CJK_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")

_ISSUER = (
    r"(?:中共)?[一-龥（）()]{2,40}?(?:办公室|办公厅|人民政府|政府|委员会|党委|党组|指挥部|领导小组|工作组|委|局|厅|办|中心|部"
    r"|院|总工会|妇联|团委|联合会|办事处)"
)
_ISSUER_RE = re.compile(rf"^{_ISSUER}(?:\s+{_ISSUER})*$")
"""The issuing body of a 公文 printed on its own line above ``关于…的通知``: ``某某县人民政府办公室``,
``中共某某县委办公室　某某县人民政府办公室`` (a joint issue)."""
_GONGWEN_TITLE_RE = re.compile(
    r"^关于.{2,80}(?:通知|意见|方案|决定|通报|报告|请示|批复|复函|函|办法|规定|公告|通告|决议|纪要|细则|规划|要点)$"
)

Role = Literal["blank", "body", "meta", "date", "name", "cand", "note"]


@dataclass(frozen=True)
class Metadata:
    title: str | None  # original script, whitespace removed inside CJK runs
    kind: Literal["speech", "report", "other"]
    script: Literal["simplified", "traditional"]
    date: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"
    place: str | None
    speaker: str | None
    speaker_post: str | None
    in_domain: bool
    body: str  # cleaned text minus headline block, bylines and date lines (original script)


@dataclass(frozen=True)
class _Head:
    """What the headline block yielded, as line indices into the cleaned text."""

    title_lines: tuple[int, ...]
    title_s: str | None  # simplified, trimmed
    raw_s: str  # simplified as printed, with its (date) and (speaker) still on
    title: str | None  # original script, trimmed
    body_start: int
    runon_cut: int  # characters of the body's first line that belong to a glued-on title


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


def _line_role(s: str) -> Role:
    """Classify one simplified line of the headline area.

    ``同志们:`` / ``3月15日,…召开`` → body; ``时间:2012-07-08`` → meta;
    ``(2019年5月9日)`` → date; ``郑 建 新`` → name; ``全市…会议召开`` → cand (title material);
    ``编者按：…`` → note (an editor's note above a reposted speech, still part of the headline block).
    """
    s = s.strip()
    if not s:
        return "blank"
    if dates.EDITOR_NOTE_RE.match(s):  # 编者按：…现将讲话全文刊发如下。 — the title follows it
        return "note"
    if _SUMMARY_RE.match(s):
        return "meta"
    if dates.is_date_line(s) and not dates.SPEECH_DATE_LINE_RE.match(s):  # 2023年05月12日 10:20 来源：苏州日报
        return "meta"
    if _SALUTATION_RE.match(s) or _OUTLINE_RE.match(s) or _LEAD_RE.match(s) or re.search(r"[。；;]$", s):
        return "body"
    cjk = _cjk_count(s)
    if cjk >= 30 and (len(re.findall(r"[，,、；]", s)) >= 2 or "。" in s):
        return "body"
    if dates.SPEECH_DATE_LINE_RE.match(s):
        return "date"
    if _MASKED_DATE_LINE_RE.match(s) or dates.is_date_line(s) or _META_RE.search(s) or cjk_ratio(s) < 0.5:
        return "meta"
    if rules.name_from_line(s):
        return "name"
    return "cand" if cjk >= 4 else "meta"


def _trim_title(simp: str, orig: str) -> tuple[str, str]:
    """Drop counters and file names from a title: ``在…上的讲话(3870字)`` → ``在…上的讲话``."""
    simp, orig = simp.strip(), orig.strip()
    if (m := _TITLE_BULLET_RE.match(simp)) and len(simp) == len(orig):
        simp, orig = simp[m.end() :], orig[m.end() :]
    start, end = titles.title_span(simp)
    if len(simp) == len(orig):  # what a site puts around a title: its page, its collection words
        simp, orig = simp[start:end], orig[start:end]
    while ((m := _TITLE_JUNK_RE.search(simp)) and m.group().strip()) or (
        (m := _TITLE_NAME_TAIL_RE.search(simp)) and m[1][0] in rules.SURNAMES  # ……讲话（郑建新）
    ):
        simp, orig = simp[: m.start()].rstrip() + simp[m.end() :], orig[: m.start()].rstrip() + orig[m.end() :]
    if len(simp) != len(orig):  # t2s changed the length: fall back to the simplified form
        orig = simp
    return _SPACE_NEAR_CJK_RE.sub("", simp).strip(), _SPACE_NEAR_CJK_RE.sub("", orig).strip()


def _units(cands: list[int], simp: Sequence[str], roles: Sequence[Role]) -> list[list[int]]:
    """Group headline lines that are one title broken over lines.

    ``全市精神文明建设表彰大会暨`` + ``第八届…创建工作`` + ``推进会议召开`` → one unit: a line ending in a
    connector (暨/和/的) joins the next, and short pieces join when together they end in 召开/讲话; a 公文's
    issuing body joins the ``关于…的通知`` printed under it (``_issued_title``).
    """
    units: list[list[int]] = []

    def adjacent(a: int, b: int) -> bool:
        return all(roles[k] == "blank" for k in range(a + 1, b))

    for pos, idx in enumerate(cands):
        if units and adjacent(units[-1][-1], idx):
            text = "".join(simp[k].strip() for k in units[-1])
            nxt = simp[idx].strip()
            joined = text + nxt
            if _CONNECT_END_RE.search(text) or _CONNECT_START_RE.match(nxt) or _issued_title(units[-1], idx, simp):
                units[-1].append(idx)
                continue
            last = simp[units[-1][-1]].strip()
            slogan_next = bool(_SLOGAN_RE.match(nxt)) and not _COMPLETE_RE.search(nxt)
            standalone = bool(_COMPLETE_RE.search(nxt)) and len(nxt) > 12  # a whole title of its own
            if (
                not _COMPLETE_RE.search(text)
                and not _SLOGAN_RE.match(text)  # an 引题 like 凝心聚力促提升 stands apart
                and len(last) <= 16
                and not slogan_next
                and not standalone
            ):
                later = cands[pos + 1] if pos + 1 < len(cands) else None
                ahead = joined + simp[later].strip() if later is not None and adjacent(idx, later) else ""
                if _COMPLETE_RE.search(joined) or (len(nxt) <= 16 and _COMPLETE_RE.search(ahead)):
                    units[-1].append(idx)
                    continue
        units.append([idx])
    return units


def _issued_title(unit: list[int], idx: int, simp: Sequence[str]) -> bool:
    """A 公文 title printed on two lines, issuing body first: ``某某县人民政府办公室`` / ``关于…的通知``
    (``unit`` holds only issuing-body lines and ``simp[idx]`` is the ``关于…`` line, or another issuing body
    of a joint issue with the ``关于…`` line right after it)."""
    if not all(_ISSUER_RE.match(simp[k].strip()) for k in unit):
        return False
    nxt = simp[idx].strip()
    if _GONGWEN_TITLE_RE.match(nxt):
        return True
    after = simp[idx + 1].strip() if idx + 1 < len(simp) else ""
    return bool(_ISSUER_RE.match(nxt) and _GONGWEN_TITLE_RE.match(after))


MAX_TITLE_CHARS = 120


def _eligible(text: str) -> bool:
    """A unit that can be a title at all: not run-on body text, not an 引题 slogan, not a byline."""
    if len(text) > MAX_TITLE_CHARS:  # a headline never runs this long: it is body text without a break
        return False
    if not _COMPLETE_RE.search(text) and (_SLOGAN_RE.match(text) or _BYLINE_RE.match(text)):
        return False
    return not (_BYLINE_RE.match(text) and rules.SURNAMES.issuperset(text[:1]))


def _styled_title(simp: Sequence[str], title_style: str) -> tuple[int, ...]:
    """The lines that spell the paragraph the file styles as its title, if they come before the first real
    paragraph or salutation (a short line classed as body, such as a date, may stand above a title)."""
    want = [_key(to_simplified(normalise_width(part))) for part in title_style.split("\n") if part.strip()]
    for k in range(min(HEAD_SCAN_LINES, len(simp))):
        if want and [_key(s) for s in simp[k : k + len(want)]] == want:
            return tuple(range(k, k + len(want)))
        if _cjk_count(simp[k]) >= 30 or _SALUTATION_RE.match(simp[k].strip()):
            break
    return ()


def _read_head(orig: Sequence[str], simp: Sequence[str], body_kind: str, title_style: str | None = None) -> _Head:
    """Find the title lines (the best-scoring candidate unit, see ``metadata_title``) and where the body starts.

    A paragraph the file itself styles as the title (``title_style``, a .docx's Title style) wins when it is in
    the headline block: its author said so, even for a slogan-like title or one under an issuer's name."""
    roles: list[Role] = [_line_role(s) for s in simp[:HEAD_SCAN_LINES]]
    body_start = next((i for i, r in enumerate(roles) if r == "body"), None)
    limit = body_start if body_start is not None else len(roles)
    cands = [i for i in range(limit) if roles[i] == "cand"]
    units = _units(cands, simp, roles)
    texts = [text if _eligible(text := "".join(simp[k].strip() for k in unit)) else None for unit in units]
    body_s = "".join(simp[limit : limit + 60])
    title_lines: tuple[int, ...] = ()
    repost_cut = 0
    styled = _styled_title(simp, title_style) if title_style else ()
    if styled:
        title_lines = styled
        if body_start is not None and body_start <= styled[-1]:  # what stands above the title is no body
            body_start = styled[-1] + 1
    elif won := titles.best_unit(texts, body_kind, body_s):
        title_lines, repost_cut = tuple(units[won[0]]), won[1]
    if body_start is None:
        body_start = (title_lines[-1] + 1) if title_lines else 0
    title_s = title = None
    raw_s = ""
    runon_cut = 0
    if title_lines:
        raw_s = " ".join(simp[k].strip() for k in title_lines)[repost_cut:]
        title_s, title = _trim_title(raw_s, " ".join(orig[k].strip() for k in title_lines)[repost_cut:])
    elif (
        body_start < len(simp)
        and (m := _RUNON_TITLE_RE.match(simp[body_start].strip()))
        and re.search(r"在|会", m["t"])
    ):
        # a page-joined text: 在…上的讲话在…上的讲话同志们:… — the title is glued to the first paragraph
        offset = len(simp[body_start]) - len(simp[body_start].lstrip())
        raw_s = m["t"]
        title_s, title = _trim_title(raw_s, orig[body_start][offset : offset + len(raw_s)])
        runon_cut = offset + m.end("t")
    if title_s and len(title_s) > MAX_TITLE_CHARS:
        title_s = title = None
    return _Head(title_lines, title_s or None, raw_s, title or None, body_start, runon_cut)


def _strip_prefix(line: str, key: str) -> int:
    """Length of ``line``'s prefix that spells ``key`` ignoring whitespace, or 0 if it does not."""
    i = j = 0
    while j < len(key) and i < len(line):
        if line[i].isspace():
            i += 1
        elif line[i] == key[j]:
            i, j = i + 1, j + 1
        else:
            return 0
    return i if j == len(key) else 0


def _body(orig: Sequence[str], simp: Sequence[str], head: _Head) -> str:
    """The text below the headline block, without repeated titles, snippets and news bylines."""
    lines = [(o, s) for o, s in zip(orig[head.body_start :], simp[head.body_start :], strict=True)]
    if lines and head.runon_cut:
        lines[0] = (lines[0][0][head.runon_cut :], lines[0][1][head.runon_cut :])
    out: list[tuple[str, str]] = []
    title_key = _key(head.title_s) if head.title_s else ""
    for n, (o, s) in enumerate(lines):
        if n < 4 and title_key:
            while cut := _strip_prefix(s, title_key):  # 2024年…讲话稿亲爱的… repeats the title
                o, s = o[cut:], s[cut:]
                if titles.title_span(title_key + s.strip())[1] == len(title_key):  # …致辞1: a variant of it
                    o = s = ""
        if n < 2 and (m := _NEWS_BYLINE_PREFIX_RE.match(s.strip())):
            lead = len(s) - len(s.lstrip()) + m.end()
            o, s = o[lead:], s[lead:]
        if s.strip():
            out.append((o.strip(), s.strip()))
    # a site's preview snippet: a line that is just the beginning of the next one
    for n in range(min(3, len(out) - 1) - 1, -1, -1):
        if _key(out[n + 1][1]).startswith(_key(out[n][1])):
            del out[n]
    return "\n".join(o for o, _ in out)


def _speaker(kind: str, simp: Sequence[str], head: _Head, text_s: str) -> tuple[str | None, str | None]:
    """(name, post): the report's main speaker, or the name/post printed with a speech's title."""
    if kind == "report":
        found = rules.find_report_speaker(text_s)
        return (found.name, found.post) if found else (None, None)
    if kind != "speech":
        return None, None
    name = next((n for s in simp[: head.body_start] if (n := rules.name_from_line(s))), None)
    from_title = rules.speech_speaker_from_title(head.raw_s) if head.raw_s else None
    if from_title:
        return name or from_title.name or None, from_title.post
    return name, None


def extract_metadata(cleaned: Cleaned, title_style: str | None = None) -> Metadata:
    """Read title, kind, date, place, speaker and topic off a cleaned document.

    ``在创建全国文明城市动员大会上的讲话`` / ``郑 建 新`` / ``(2019年5月9日)`` / ``同志们:…`` →
    title ``在创建全国文明城市动员大会上的讲话``, kind speech, speaker 郑建新, date 2019-05-09,
    body starting at ``同志们:``. ``title_style`` is the paragraph the file styles as its title, if any.
    """
    text = cleaned.text
    text_s = to_simplified(text)
    orig = text.split("\n")
    simp = text_s.split("\n")
    if len(simp) != len(orig):  # cannot happen with t2s, but never index out of range
        simp = [to_simplified(line) for line in orig]
    head = _read_head(orig, simp, rules.classify_kind(None, text_s), title_style)
    body = _body(orig, simp, head)
    body_s = to_simplified(body)
    kind = rules.classify_kind(head.title_s, text_s)
    speaker, post = _speaker(kind, simp, head, text_s)
    return Metadata(
        title=head.title,
        kind=kind,
        script=detect_script(text),
        date=dates.document_date(kind, simp, head.body_start, head.raw_s, cleaned.removals),
        place=rules.find_place(head.title_s, text_s),
        speaker=speaker,
        speaker_post=post,
        in_domain=rules.is_in_domain(head.title_s, body_s),
        body=body,
    )
