"""Run-on text: the structure of a document whose line breaks were lost, restored.

Copies from document-sharing previews and PDF text arrive with the title block and the first paragraph on one
line (``副县长在…上的讲话同志们:今天,…``, ``在…上的讲话县委常委、宣传部长某某(____年____月____日)同志们:…``,
``关注“某某公众号…发言摘编(6篇)某某日报(2023年11月23日 第11版)…(某某市委书记 某某)某某地处…``), and with a
numbered heading glued to its paragraph (``一、认清形势、提高站位,坚决扛起防汛防旱政治责任防汛防旱事关…``).

- ``runon_head`` cuts the head of such a line (the text before its salutation, or before its first sentence)
  at its anchors — the salutation, a date in brackets, a byline in brackets, a newspaper's print stamp, a
  title's end before a second title or before a post and name — into the lines a title block has. A 公众号
  prompt, a print stamp and a leading ``date 2025-12-15`` stamp are page furniture and go (their text stays in
  the removals, where the metadata stage reads the dates).
- ``runon_heading`` cuts a numbered heading from the paragraph glued to it where the clause pattern of a
  heading says it ends: its clauses are of comparable length, and the paragraph starts by restating a word of
  the heading (``…政治责任|防汛防旱事关…``) or with an opening phrase (``近年来``, ``在被调查的677人中``).

Both run after the spacing step (``cjk_space``), on lines that are already one paragraph each.

- ``cut_long_lines`` runs last and cuts a line no paragraph is as long as (``MAX_LINE_CHARS``: a whole file
  without line breaks) at sentence ends, else at clause marks, else anywhere. Every later stage (metadata,
  outline, passages) works paragraph by paragraph, and some of its steps cost more than linear time in a
  paragraph's length: bounding that length keeps a 5 MB single-line file to seconds instead of minutes.
"""

from __future__ import annotations

import re
from itertools import pairwise

from app.ingest import vocab
from app.ingest.clean.common import CJK, Doc, cjk_count
from app.text.normalise import to_simplified

Piece = tuple[int, int, str | None]  # (start, end, removal rule or None when the piece stays as a line)

_HEAD_LINES = 6  # a title block sits in the first lines
_HEAD_SPAN = 200  # characters of a line searched for a title block glued to the text
_TITLE_MIN = 16  # characters before a salutation that are a title even without a title's last words
_SENTENCE_RE = re.compile(r"[，,。！？!?；;]")
_OPENER_RE = re.compile(r"同志们|朋友们|同事们|先生们|女士们|同学们|老师们|各位|尊敬的|亲爱的")
_SALUTE_RE = re.compile(
    r"(?:尊敬的|亲爱的)?[^,，。:：!！?？]{0,30}?(?:同志们|朋友们|同事们|先生们|女士们|同学们|老师们"
    r"|各位[^,，。:：!！?？]{1,20}?)(?:[、，,][^,，。:：!！?？]{1,20})*[:：]"
)
"""A salutation from its first word to its colon: ``同志们:``, ``同志们、____:``, ``亲爱的志愿者朋友和同志们:``."""
_TITLE_END_RE = re.compile(
    rf"(?:讲话稿|讲话|致辞|发言稿|发言|演讲稿|主持词)+(?:\s*(?:{vocab.site_words().decoration_words}))*"
)
"""A title's last words, with what a 范文 site adds after them: ``讲话``, ``讲话发言范文``, ``致辞800字精选``."""
_DATE_PAREN = (
    r"[(（]\s*(?:(?:19|20)\d{2}|[_＿]{2,}|[xX×*＊]{2,4}|[〇零○一二三四五六七八九]{4})\s*年[^()（）]{0,16}?[)）]"
)
_PRINT_STAMP = r"[(（]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*第\s*[A-Z]?\d{1,3}\s*版[^()（）]{0,8}[)）]"
_ANCHOR_RE = re.compile(
    rf"(?P<stamp>{_PRINT_STAMP})|(?P<date>{_DATE_PAREN})"
    rf"|(?P<byline>[(（][{CJK}、·\s]{{0,30}}(?:{vocab.layout_words('post')})\s*[{CJK}]{{2,3}}\s*(?:同志)?[)）])"
)
_POST_NAME_RE = re.compile(rf"[{CJK}、]{{0,20}}?(?:{vocab.layout_words('post')})[{CJK}]{{2,3}}")
_LEAD_STAMP_RE = re.compile(
    r"(?:[Dd]ate|DATE|日期|时间)\s*[:：]?\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2})?"
)
_PROMPT_RE = re.compile(rf"关注[^，,。！？!?]{{0,20}}?(?:{vocab.site_words().platform.pattern})")
_LEAD_RE = re.compile(r"[Dd]ate|DATE|日期|时间|关注")  # how a leading stamp or a 公众号 prompt starts
_CJK_RE = re.compile(f"[{CJK}]")
_PAPER_MAX = 8  # characters of a newspaper's name before its print stamp (某某日报); a longer run is a title too


def runon_head(doc: Doc) -> None:
    """A title block glued to the text in one of the first lines is cut into its lines (see the module)."""
    for i in range(min(_HEAD_LINES, len(doc.lines))):
        line, shadow = doc.lines[i], doc.shadows[i]
        if len(line) != len(shadow) or not (pieces := _head_pieces(shadow)):
            continue
        out_l, out_s = [], []
        for start, end, rule in pieces:
            if rule:
                doc.note(rule, line[start:end])
            elif shadow[start:end].strip():
                out_l.append(line[start:end].strip())
                out_s.append(shadow[start:end].strip())
        doc.lines[i : i + 1], doc.shadows[i : i + 1] = out_l, out_s
        return


def _head_pieces(s: str) -> list[Piece] | None:
    """The pieces of a line whose head is a title block glued to its text, or None when it has none."""
    head = s[:_HEAD_SPAN]
    if "(" not in head and "（" not in head and not _OPENER_RE.search(head, 1) and not _LEAD_RE.match(s):
        return None  # no anchor at all: the common case, decided cheaply
    pieces: list[Piece] = []
    pos = 0
    for rx, rule in ((_LEAD_STAMP_RE, "publish_date_line"), (_PROMPT_RE, "chrome_line")):
        if m := rx.match(s):
            pieces.append((0, m.end(), rule))
            pos = m.end()
            break
    stop_m = _SENTENCE_RE.search(s, pos)
    stop = min(stop_m.start() if stop_m else len(s), _HEAD_SPAN)
    salute = _salutation(s, pos, stop)
    anchors = [m for m in _ANCHOR_RE.finditer(s, pos, salute[0] if salute else stop)]
    head_end = salute[0] if salute else (anchors[-1].end() if anchors else pos)
    titled = any(m["stamp"] for m in anchors)
    if salute:  # ``广大市民朋友们:`` is one salutation, ``某某…的讲话同志们:`` a title glued to one
        head = s[pos : salute[0]]
        titled = titled or bool(anchors) or _ends_title(head) or len(head) >= _TITLE_MIN
    if anchors and not titled:  # a bracket after a title's end (讲话（2019年5月9日）…), not one inside a sentence
        titled = _ends_title(s[pos : anchors[0].start()])
    if not titled or (not salute and head_end >= len(s)):  # a title line with its date in brackets is whole
        return [*pieces, (pos, len(s), None)] if pieces else None
    cut = pos
    for m in anchors:
        start = _paper_start(s, m) if m["stamp"] else m.start()
        pieces += _text_pieces(s, cut, start)
        pieces.append((start, m.end(), "publish_date_line" if m["stamp"] else None))
        cut = m.end()
    pieces += _text_pieces(s, cut, head_end)
    if salute:
        pieces.append((salute[0], salute[1], None))
        head_end = salute[1]
    pieces.append((head_end, len(s), None))
    return pieces


def _salutation(s: str, pos: int, stop: int) -> tuple[int, int] | None:
    """(start, end) of a salutation after a headline-like head (``…讲话同志们:``), before the first sentence."""
    if _OPENER_RE.match(s, pos) and _SALUTE_RE.match(s, pos):  # the line starts with one: ``各位领导、同志们:``
        return None
    for m in _OPENER_RE.finditer(s, pos + 1, stop + 3):  # an opener starts before the first sentence ends
        if m.start() >= stop:
            return None
        if cjk_count(s[pos : m.start()]) >= 4 and (sm := _SALUTE_RE.match(s, m.start())):
            return m.start(), sm.end()
    return None


def _ends_title(text: str) -> bool:
    return any(m.end() == len(text.rstrip()) for m in _TITLE_END_RE.finditer(text))


def _paper_start(s: str, stamp: re.Match[str]) -> int:
    """Where the newspaper's name before a print stamp starts: ``…(6篇)某某日报(2023年…第11版)`` → at 某某日报."""
    start = stamp.start()
    while start > 0 and stamp.start() - start < _PAPER_MAX and _CJK_RE.match(s[start - 1]):
        start -= 1
    if start > 0 and _CJK_RE.match(s[start - 1]):  # the name runs into a title: take a short name
        start = stamp.start() - 4
    return start


def _text_pieces(s: str, start: int, end: int) -> list[Piece]:
    """Headline text between anchors, cut after a title's end when a second title or a post and name follows:
    ``…启动仪式上的讲话发言范文在全县…上的讲话县委常委、宣传部长某某`` → three lines."""
    if end <= start:
        return []
    text = s[start:end]
    ends = [m.end() for m in _TITLE_END_RE.finditer(text)]
    cuts = [
        e
        for k, e in enumerate(ends)
        if e < len(text) and (_POST_NAME_RE.fullmatch(text, e) or (text.startswith("在", e) and k + 1 < len(ends)))
    ]
    bounds = [0, *cuts, len(text)]
    return [(start + a, start + b, None) for a, b in pairwise(bounds) if b > a]


# --- a numbered heading glued to its paragraph ----------------------------------------------------------
_HEADING_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")
_STOP_RE = re.compile(r"[。！？!?；;]")
_COMMA_RE = re.compile(r"[，,]")
_HEADING_MAX = 40  # characters up to the first full stop: a heading is shorter, a heading plus a paragraph is not
_MIN_PART = 4  # characters of a heading's last clause, and of the paragraph's first words, at a cut
_REPEAT = 4  # characters the paragraph's first words repeat of the heading (its topic: 防汛防旱)
_CLAUSE_RATIO = (0.6, 1.8)  # a heading's clauses are of comparable length
_PARAGRAPH_OPENER_RE = re.compile(rf"{vocab.layout_words('opener')}|在[^，,。]{{0,8}}\d")
"""How a paragraph opens after its heading: an opener of ``layout_words.txt`` (``近年来``, ``我们``, ``事关``),
or ``在`` before a figure (``在被调查的677人中``)."""


def runon_heading(doc: Doc) -> None:
    """``一、heading + paragraph`` with no full stop between them → the heading on its own line (see the module)."""
    i = 0
    while i < len(doc.shadows):
        shadow = doc.shadows[i]
        m = _HEADING_MARKER_RE.match(shadow)
        if m and len(doc.lines[i]) == len(shadow):
            stop = _STOP_RE.search(shadow, m.end())
            text = shadow[m.end() : stop.start() if stop else len(shadow)]
            if len(text) > _HEADING_MAX and (cut := heading_end(text)):
                at = m.end() + cut
                line = doc.lines[i]
                doc.lines[i : i + 1] = [line[:at], line[at:]]
                doc.shadows[i : i + 1] = [shadow[:at], shadow[at:]]
                i += 1
        i += 1


def heading_end(text: str) -> int | None:
    """Where the heading ends in ``text`` (a heading with its paragraph glued on, up to the first full stop), or
    None when no cut fits the clause pattern: ``认清形势、提高站位,坚决扛起防汛防旱政治责任防汛防旱事关…`` → 22."""
    starts = [0] + [c.end() for c in _COMMA_RE.finditer(text)]
    first = (starts[1] - 1) if len(starts) > 1 else len(text)
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(text)
        for at in range(start + _MIN_PART, min(end, len(text) - _MIN_PART + 1)):
            if at > _HEADING_MAX:
                return None
            if _PARAGRAPH_OPENER_RE.match(text, at):
                return at
            # a repeated topic word only ends a later clause of the length of the first: within one clause a
            # heading may well say a word twice (以创建文明城市为抓手推动文明城市…)
            if k and _CLAUSE_RATIO[0] * first <= at - start <= _CLAUSE_RATIO[1] * first and _restates(text, at):
                return at
    return None


def _restates(text: str, at: int) -> bool:
    """The words at ``at`` repeat words of the heading before it (the paragraph restating its topic)."""
    words = text[at : at + _REPEAT]
    return len(words) == _REPEAT and bool(_CJK_RE.fullmatch(words[0])) and words in text[:at]


# --- a line no paragraph is as long as ------------------------------------------------------------------
MAX_LINE_CHARS = 2000
"""Longer than any paragraph of a real document (the longest in the bundled and shared corpora: 769 characters)."""
_CUT_AFTER = ("。！？；!?;", "，、：,:… 　")  # sentence ends first, then clause marks and spaces


def cut_long_lines(doc: Doc) -> None:
    """Lines longer than ``MAX_LINE_CHARS`` cut into lines at most that long (see the module)."""
    if all(len(line) <= MAX_LINE_CHARS for line in doc.lines):
        return
    out_l: list[str] = []
    out_s: list[str] = []
    for line, shadow in zip(doc.lines, doc.shadows, strict=True):
        if len(line) <= MAX_LINE_CHARS:
            out_l.append(line)
            out_s.append(shadow)
            continue
        cuts = line_cuts(line)
        pieces = [line[a:b].strip() for a, b in pairwise(cuts)]
        # the shadow is the line simplified, of the same length but for rare characters: cut it alike when it can be
        same = len(shadow) == len(line)
        shadows = [shadow[a:b].strip() for a, b in pairwise(cuts)] if same else [to_simplified(x) for x in pieces]
        for piece, piece_shadow in zip(pieces, shadows, strict=True):
            if piece:
                out_l.append(piece)
                out_s.append(piece_shadow)
    doc.set(out_l, out_s)


def line_cuts(line: str, limit: int = MAX_LINE_CHARS) -> list[int]:
    """Where to cut ``line`` into pieces of at most ``limit`` characters, from 0 to ``len(line)``: after the last
    sentence end of each window's second half, else after its last clause mark or space, else at the limit.
    Each piece is at least half the limit long but the last, so the work is linear in the line's length.

    >>> line_cuts("甲乙。" * 4, limit=7)
    [0, 6, 12]
    """
    cuts = [0]
    while len(line) - cuts[-1] > limit:
        low, high = cuts[-1] + limit // 2, cuts[-1] + limit
        for marks in _CUT_AFTER:
            at = max(line.rfind(mark, low, high) for mark in marks)
            if at >= 0:
                cuts.append(at + 1)
                break
        else:
            cuts.append(high)
    cuts.append(len(line))
    return cuts
