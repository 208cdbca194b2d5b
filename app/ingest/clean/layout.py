"""Whole-document rules: the title block and the page layout.

Unlike the line rules (one line is chrome or not) and the inline rules (a span inside one line), these
look at neighbouring lines and reshape the document: they drop, split and join lines of the ``Doc``.

Head rules (the first few lines): ``duplicate_lines`` (also run last), ``original_title``, ``title_variants``,
``wrapped_title``, ``doubled_title``, ``teaser_prefix``, ``title_prefix``, ``salutation_split``.

Layout rules (the whole text): ``page_markers`` (doc-site page starts ``N、``), ``hard_wrap`` (re-join
lines a PDF/Word export cut at a fixed width), ``wrapped_heading`` (a numbered heading cut mid-phrase by one
line break), ``leading_punct`` (a line cannot start with a comma) and
``split_paragraphs`` (paragraphs run together on one line).

``clean.py`` puts them in order in ``PIPELINE``; they build on ``clean_common`` only.
"""

from __future__ import annotations

import re
from itertools import pairwise

from app.ingest.clean.common import (
    CJK,
    DOC_TITLE_END_RE,
    LEADING_PUNCT,
    NUMBERED_HEADING_RE,
    SALUTATION_RE,
    ZH_PUNCT,
    Doc,
    cjk_count,
    ends_sentence,
    is_heading,
    is_salutation,
)

# === head rules: the title block ========================================================================
_VARIANT_RE = re.compile(r"(?<!\s)\s*(?:[(（]\d{1,2}[)）]|篇\s*\d{1,2}|之[一二三四五六七八九十\d]{1,2})$")
_HEAD = 6


def _compact(shadow: str) -> str:
    return "".join(shadow.split())


def duplicate_lines(doc: Doc) -> None:
    """A line repeated right below itself (a headline printed twice) is dropped."""
    doc.drop_where("duplicate_line", lambda i, s: i > 0 and _same(s, doc.shadows[i - 1]))


def _same(a: str, b: str) -> bool:
    if " " not in a and " " not in b:
        return a == b
    return _compact(a) == _compact(b)


def _proper_prefix(a: str, b: str) -> bool:
    """``a`` is a proper prefix of ``b``, whitespace ignored."""
    if a[:1] != b[:1] or len(a) >= len(b) + b.count(" "):
        return False
    ca, cb = _compact(a), _compact(b)
    return len(ca) < len(cb) and cb.startswith(ca)


_ORIGINAL_TITLE_RE = re.compile(
    r"^(?:[【\[]\s*(?:原标题|原题目?|原文标题)\s*[】\]]\s*[:：]?|([(（]?)\s*(?:原标题|原题目?|原文标题)\s*[:：])\s*"
)


def original_title(doc: Doc) -> None:
    """A repost above its source's title: ``某某：文明创建“冲刺跑”，这些任务划重点`` / ``原标题：全市…推进会召开``
    (also ``【原标题】…``, ``（原题：…）``). The ``原标题：`` line gives the title, so its label goes
    (``original_title``) and so does whatever is left above it, the repost's own headline first
    (``repost_headline``). Only above the body: a ``原标题`` at the foot of a page names no title here."""
    for i in range(min(doc.body_start(), len(doc.lines))):
        m = _ORIGINAL_TITLE_RE.match(doc.shadows[i])
        if not m:
            continue
        if len(doc.lines[i]) != len(doc.shadows[i]):
            continue
        line, shadow = doc.lines[i][m.end() :], doc.shadows[i][m.end() :]
        if m.group(1) and shadow.endswith((")", "）")):
            line, shadow = line[:-1], shadow[:-1]
        if cjk_count(shadow) < 4 or len(shadow) > 80 or "。" in shadow:
            continue
        for above in doc.lines[:i]:
            doc.note("repost_headline", above)
        doc.note("original_title", doc.lines[i][: m.end()])
        doc.set([line.strip(), *doc.lines[i + 1 :]], [shadow.strip(), *doc.shadows[i + 1 :]])
        return


def title_variants(doc: Doc) -> None:
    """Title variants of a doc site: ``…講話稿(2)``, ``…講話稿``, ``…講話稿篇2`` → the suffix goes (then the
    duplicates collapse). Only in the first lines, and only when the bare title is also there."""
    head = {_compact(s) for s in doc.shadows[:_HEAD]}
    for i in range(min(_HEAD, len(doc.lines))):
        m = _VARIANT_RE.search(doc.shadows[i])
        if m and m.start() >= 6 and _compact(doc.shadows[i][: m.start()]) in head:
            doc.note("title_variant", doc.lines[i][m.start() :])
            doc.lines[i], doc.shadows[i] = doc.lines[i][: m.start()], doc.shadows[i][: m.start()]
    duplicate_lines(doc)


def wrapped_title(doc: Doc) -> None:
    """The title printed again below, wrapped over two lines (``…表彰大会上的`` / ``讲话``): both go."""
    if len(doc.lines) < 3:
        return
    title = _compact(doc.shadows[0])
    for i in range(1, min(_HEAD, len(doc.lines) - 1)):
        if _compact(doc.shadows[i]) + _compact(doc.shadows[i + 1]) == title:
            doc.note("duplicate_line", doc.lines[i] + doc.lines[i + 1])
            del doc.lines[i : i + 2], doc.shadows[i : i + 2]
            return


def teaser_prefix(doc: Doc) -> None:
    """A truncated teaser followed by the full paragraph (``…共同探`` then the whole paragraph) and a caption
    repeating the start of the next paragraph: a line (not the title) that is a prefix of the next goes."""
    doc.drop_where(
        "teaser_prefix",
        lambda i, s: 0 < i < len(doc.shadows) - 1 and len(s) >= 10 and _proper_prefix(s, doc.shadows[i + 1]),
    )


_DOUBLED_RE = re.compile(r"^(.{6,60}?)\s*\1")


def doubled_title(doc: Doc) -> None:
    """A title glued to itself and to the text: ``在…会上的讲话在…会上的讲话同志们:刚刚,…`` → the title
    on its own line, the rest on the next."""
    if not doc.lines:
        return
    m = _DOUBLED_RE.match(doc.shadows[0])
    if not m or len(doc.lines[0]) != len(doc.shadows[0]) or ends_sentence(m.group(1)):
        return
    title_end, dup_end = len(m.group(1)), m.end()
    doc.note("doubled_title", doc.lines[0][title_end:dup_end])
    rest_l, rest_s = doc.lines[0][dup_end:].strip(), doc.shadows[0][dup_end:].strip()
    doc.lines[0:1] = [doc.lines[0][:title_end], *([rest_l] if rest_l else [])]
    doc.shadows[0:1] = [doc.shadows[0][:title_end], *([rest_s] if rest_s else [])]


def title_prefix(doc: Doc) -> None:
    """The title repeated at the start of the next paragraph: ``2024年…讲话稿`` / ``2024年…讲话稿 亲爱的…``
    → ``亲爱的…``. Not when the repeat runs on as a sentence (``…会议召开,会议强调…``)."""
    title = _compact(doc.shadows[0]) if doc.lines else ""
    if len(doc.lines) < 2 or len(title) < 6:
        return
    for i in range(1, min(_HEAD, len(doc.lines))):
        if not _proper_prefix(title, doc.shadows[i]):
            continue
        m = re.match(r"\s*".join(map(re.escape, title)), doc.shadows[i])
        rest = doc.shadows[i][m.end() :] if m else ""
        if m and rest.strip() and rest.lstrip()[0] not in LEADING_PUNCT + "的了是和与及在":
            doc.note("title_prefix", doc.lines[i][: m.end()])
            doc.lines[i], doc.shadows[i] = doc.lines[i][m.end() :].strip(), rest.strip()


def salutation_split(doc: Doc) -> None:
    """``同志们:刚刚,…`` in the first lines → ``同志们:`` on its own line (headings and metadata need it)."""
    for i in range(min(_HEAD, len(doc.lines))):
        m = SALUTATION_RE.match(doc.shadows[i])
        if m and doc.shadows[i][m.end() :].strip() and len(doc.lines[i]) == len(doc.shadows[i]):
            end = m.end()
            doc.lines[i : i + 1] = [doc.lines[i][:end], doc.lines[i][end:].strip()]
            doc.shadows[i : i + 1] = [doc.shadows[i][:end], doc.shadows[i][end:].strip()]
            return


# === layout rules: they work on the whole document ======================================================
_DATE_ONLY_RE = re.compile(r"^[(（]?\s*(?:\d{2,4}|[xX×]{2,4}|[一二〇○零]{4})\s*年[^。]{0,12}[)）]?$")
_NARROW_RE = re.compile(f"[^{CJK}{ZH_PUNCT}\uff00-\uffef]+")


def _width(shadow: str) -> int:
    return 2 * len(shadow) - len("".join(_NARROW_RE.findall(shadow)))


def _structural(shadow: str) -> bool:
    """A line that starts something new: a heading, a salutation, a date line, a bullet."""
    return is_heading(shadow) or is_salutation(shadow) or bool(_DATE_ONLY_RE.match(shadow))


_PAGE_MARK_RE = re.compile(r"^(\d{1,3})、\s*")


def page_markers(doc: Doc) -> None:
    """Page-start markers of document-sharing sites: every page begins with ``N、`` (N = 1, 2, 3 … across
    the document) and usually continues the previous page mid-word — ``…围`` / ``2、绕中心、效劳大局`` →
    ``…围绕中心、效劳大局``. The markers go and the page joins the previous line when that line did not end
    a sentence. A real list (``1、…。`` / ``2、…。``, items starting sentences) is left alone."""
    marks = {}
    for i, shadow in enumerate(doc.shadows):
        m = _PAGE_MARK_RE.match(shadow)
        if m:
            marks[i] = (int(m.group(1)), m.end())
    if len(marks) < 2:
        return
    nums = [n for n, _ in marks.values()]
    if nums[0] not in (1, 2) or any(b != a + 1 for a, b in pairwise(nums)):
        return
    if sorted(len(doc.shadows[i]) for i in marks)[len(marks) // 2] < 80:
        return  # short numbered items: a real list, not pages
    breaks = [i for i in marks if i > 0]
    mid = sum(
        1
        for i in breaks
        if not ends_sentence(doc.shadows[i - 1]) or doc.shadows[i][marks[i][1] : marks[i][1] + 1] in LEADING_PUNCT
    )
    if not breaks or mid * 2 < len(breaks):
        return
    out_l: list[str] = []
    out_s: list[str] = []
    for i, (line, shadow) in enumerate(zip(doc.lines, doc.shadows, strict=True)):
        if i in marks:
            end = marks[i][1]
            doc.note("page_marker", line[:end])
            line, shadow = line[end:], shadow[end:]
            if out_l and (not ends_sentence(out_s[-1]) or shadow[:1] in LEADING_PUNCT):
                out_l[-1] += line
                out_s[-1] += shadow
                continue
        out_l.append(line)
        out_s.append(shadow)
    doc.set(out_l, out_s)


def hard_wrap(doc: Doc) -> None:
    """Re-join body text that a PDF/Word export hard-wrapped at a fixed width (lines of ~30–40 characters
    cut mid-sentence: ``…作出一系列重`` / ``要论述,强调…``). The document counts as wrapped when at least
    three long lines that do not end a sentence have nearly the same width; then every such line of about
    that width is joined to the next, unless the next is a heading, salutation or date. Short headline
    stacks and a title above ``同志们:`` are never joined."""
    shadows = doc.shadows
    n = len(shadows)
    if n < 4 or sum(1 for s in shadows if 15 <= len(s) <= 100 and not ends_sentence(s)) < 3:
        return
    widths = [_width(s) for s in shadows]
    cands = [
        i
        for i in range(1, n - 1)
        if cjk_count(shadows[i]) >= 15 and not ends_sentence(shadows[i]) and not is_heading(shadows[i])
    ]
    if len(cands) < 3:
        return
    typical = sorted(widths[i] for i in cands)[len(cands) // 2]
    band = [i for i in cands if 0.85 * typical <= widths[i] <= 1.15 * typical]
    too_long = sum(1 for w in widths if w > 1.3 * typical)
    if len(band) < 3 or len(band) * 2 < len(cands) or too_long > 0.2 * n:
        return
    out_l = [doc.lines[0]]
    out_s = [shadows[0]]
    joining = False
    head = Doc.first_body_line(shadows)  # a title above the first paragraph is never joined to it
    for i in range(1, n):
        if joining and not _structural(shadows[i]):
            out_l[-1] += doc.lines[i]
            out_s[-1] += shadows[i]
        else:
            out_l.append(doc.lines[i])
            out_s.append(shadows[i])
        s = shadows[i]
        need = 0.95 if is_heading(s) else 0.85
        titled = i < head and bool(DOC_TITLE_END_RE.search(s))
        joining = cjk_count(s) >= 10 and not ends_sentence(s) and widths[i] >= need * typical and not titled
    doc.set(out_l, out_s)


_FRAGMENT_RE = re.compile(rf"^[{CJK}“”‘’《》\d]+$")
_SPEAKS_RE = re.compile(r"(?:指出|强调|要求|表示|认为|讲话|致辞|发言|主持)$")
_FRAGMENT_MAX = 8  # characters: a body paragraph or a sub-head is longer, a cut-off heading end is not
_CUT_HEADING_MIN = 12  # Chinese characters: a line is cut mid-phrase only when it is long


def wrapped_heading(doc: Doc) -> None:
    """A numbered heading cut in two by a line break mid-phrase (a scan's or an export's wrap in a document
    that is not wrapped throughout, so ``hard_wrap`` left it): ``二、坚持问题导向，推动文明实践工作提`` /
    ``质增效`` / ``（一）…`` → one line. The cut-off end is a short piece (at most ``_FRAGMENT_MAX``
    characters) of words only — no punctuation or brackets, no heading, no sub-head (``会议强调``), no date —
    under a long heading line with no sentence in it, and a heading or a paragraph follows it. A heading over
    its body is never joined: a body line is longer or has punctuation, and a short list or sign-off is not
    followed by a paragraph."""
    shadows = doc.shadows
    n = len(shadows)
    joins = []
    for i in range(n - 2):
        head, piece, after = shadows[i], shadows[i + 1], shadows[i + 2]
        if not NUMBERED_HEADING_RE.match(head) or cjk_count(head) < _CUT_HEADING_MIN:
            continue
        if ends_sentence(head) or any(c in head for c in "。！？!?"):
            continue
        if len(piece) > _FRAGMENT_MAX or cjk_count(piece) < 1 or not _FRAGMENT_RE.match(piece):
            continue
        if _structural(piece) or _SPEAKS_RE.search(piece):
            continue
        if _structural(after) or cjk_count(after) >= 15 or ends_sentence(after):
            joins.append(i)
    for i in reversed(joins):
        doc.lines[i : i + 2] = [doc.lines[i] + doc.lines[i + 1]]
        doc.shadows[i : i + 2] = [doc.shadows[i] + doc.shadows[i + 1]]


def leading_punct(doc: Doc) -> None:
    """A line cannot start with a comma or a closing bracket: ``…凝聚人心`` / ``,让城市成为…`` are one line."""
    out_l: list[str] = []
    out_s: list[str] = []
    for line, shadow in zip(doc.lines, doc.shadows, strict=True):
        if out_l and shadow[:1] in LEADING_PUNCT:
            out_l[-1] += line
            out_s[-1] += shadow
        else:
            out_l.append(line)
            out_s.append(shadow)
    doc.set(out_l, out_s)


_NUM = "[一二三四五六七八九十]{1,3}"
_MARKER = rf"(?:{_NUM}、|[(（]{_NUM}[)）]|第{_NUM}[,，、])"
_PARA_BREAK_RE = re.compile(rf"(?<=[。！？!?:：;；])\s+(?=[{CJK}“‘(（《【])|(?<!\s)\s+(?={_MARKER})")
_HEADING_SPACE_RE = re.compile(rf"^({_MARKER}[^。！？!?\s]{{2,60}})\s+(?=[{CJK}])")
_RUN_ON_HEADING_RE = re.compile(rf"(?<=[。！？!?:：;；])\s*(?={_NUM}、|[(（]{_NUM}[)）])")


def split_paragraphs(doc: Doc) -> None:
    """Text extracted with paragraphs run together and separated by spaces
    (``…取得最好成绩。 刚才,…``, ``…三点意见: 一、提高站位…紧迫感 文明,是…``) is split back into one
    paragraph per line; a heading at the start of such a paragraph gets its own line."""
    out_l: list[str] = []
    out_s: list[str] = []
    for line, shadow in zip(doc.lines, doc.shadows, strict=True):
        if len(shadow) < 150 or (len(shadow) < 300 and " " not in shadow):
            out_l.append(line)
            out_s.append(shadow)
            continue
        breaks = [m.span() for m in _PARA_BREAK_RE.finditer(shadow)] if " " in shadow else []
        needed = 2  # one space after a full stop may be a typo; two make a layout
        if len(breaks) < 2 and len(shadow) >= 300:
            breaks = [m.span() for m in _RUN_ON_HEADING_RE.finditer(shadow)]
            needed = 1  # a numbered heading right after a full stop starts a paragraph even once
        if len(breaks) < needed or len(line) != len(shadow):
            out_l.append(line)
            out_s.append(shadow)
            continue
        pos = 0
        for start, end in [*breaks, (len(shadow), len(shadow))]:
            piece_l, piece_s = line[pos:start], shadow[pos:start]
            pos = end
            m = _HEADING_SPACE_RE.match(piece_s)
            if m:
                cut = m.end(1)
                out_l += [piece_l[:cut], piece_l[m.end() :]]
                out_s += [piece_s[:cut], piece_s[m.end() :]]
            else:
                out_l.append(piece_l)
                out_s.append(piece_s)
    doc.set([x.strip() for x in out_l if x.strip()], [x.strip() for x in out_s if x.strip()])
