"""Heading candidates across a whole document: scan paragraphs, keep what the document supports.

``headings.py`` proposes candidates in one paragraph; here they are checked against each other
(``二要`` needs a ``一要``, run-in ``要…。`` points come in series, an inline ``二、`` must follow
``一、``), rejected candidates go back to being body text, and the survivors get their levels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.structure import headings as hd
from app.structure.headings import Heading, clean_heading, cn_numeral, is_boundary, match_heading
from app.structure.markers import CN_NUM
from app.structure.styled import styled_lines

# Families that open a section other headings nest in.
_CONTAINERS = {hd.L1, hd.L2, hd.ARABIC, hd.CIRCLED, hd.SUBHEAD, hd.BULLET, hd.STYLED}
_IN_SERIES = (hd.YAO, hd.PAIRED, hd.DASH)  # families that count only when two or more share a section
_LISTABLE = {hd.L1, hd.L2, hd.ARABIC, hd.CIRCLED}
_FIXED_LEVEL = {hd.L1: 1, hd.SUBHEAD: 1, hd.L2: 2, hd.CIRCLED: 3, hd.SUB: 3, hd.ORDINAL: 3, hd.SEQ: 3, hd.YAO: 3}
# Markers that decide a heading even where the document's heading style says otherwise.
_MARKED = {hd.L1, hd.L2, hd.ARABIC, hd.CIRCLED, hd.SUB, hd.ORDINAL, hd.SEQ, hd.BULLET, hd.DASH}


@dataclass
class Tok:
    """A piece of a paragraph: body text, or a heading candidate (``head``)."""

    para: int
    text: str
    head: Heading | None = None
    level: int = 0


@dataclass
class _ScanState:
    """What inline markers are checked against: the last numbers seen and the whole text."""

    doc: str
    last: dict[str, int] = field(default_factory=dict)
    found: dict[str, bool] = field(default_factory=dict)

    def has(self, text: str) -> bool:
        """``text in doc``, remembered: every inline ``一、`` asks about the same few followers, and searching the
        whole document each time made a long document with many of them quadratic."""
        if text not in self.found:
            self.found[text] = text in self.doc
        return self.found[text]


_ATTACHMENT_LEAD_RE = re.compile(r"附\s*件\s*\d*\s*[：:]\s*$|附\s*件\s*[：:].*\s$")


def _inline_ok(head: Heading, text: str, pos: int, state: _ScanState) -> bool:
    """Accept a ``一、``/``（二）``/``3.`` found mid-paragraph only where it continues the outline.

    After ``：`` or a space (``…五个方面的工作：一、要…``) a marker opens a list of sections; after
    ``。``/``；`` it must be the next number (``二、`` after ``一、``) or a ``一、`` whose ``二、``
    exists — so ``推进社会公德、职业道德…``-style lists and stray numbers never split a paragraph.
    """
    if head.family not in (hd.L1, hd.L2, hd.ARABIC):
        return True
    expected = state.last.get(head.family, 0) + 1
    if head.text[0] in CN_NUM and (pos > 0 or head.number != expected or head.text[0] == cn_numeral(expected + 1)):
        return False  # "二、三产业发展迅速" — a run of numerals is a list, not a section
    if pos == 0:
        return True
    if _ATTACHMENT_LEAD_RE.search(text[max(0, pos - 8) : pos]):
        return False  # "附件：1.点位清单 2.销号表" lists a notice's attachments, not its sections
    after_colon = text[pos - 1] in "：:" or text[pos - 1].isspace()
    if head.family == hd.ARABIC and text[pos - 1].isspace():
        after_colon = False  # "见附件 2、" — digits after a space are too often not headings
    if head.number == expected and (after_colon or expected > 1):
        return True
    if head.number != 1:
        return False
    if after_colon:
        return True
    follower = f"{cn_numeral(2)}、" if head.family == hd.L1 else f"（{cn_numeral(2)}）" if head.family == hd.L2 else "2"
    return state.has(follower) or state.has(follower.replace("（", "(").replace("）", ")"))


def _note(head: Heading, state: _ScanState) -> None:
    """Remember the last number of each numbered family; a new ``一、`` restarts ``（一）`` and ``1.``."""
    if head.family in (hd.L1, hd.L2, hd.ARABIC):
        state.last[head.family] = head.number
    if head.family == hd.L1:
        state.last.pop(hd.L2, None)
        state.last.pop(hd.ARABIC, None)
    elif head.family == hd.L2:
        state.last.pop(hd.ARABIC, None)


def scan_paragraph(text: str, para: int, state: _ScanState) -> list[Tok]:
    """Split one paragraph into body pieces and heading candidates.

    ``…重点抓好五个方面的工作：一、要持续深化…贯彻要继续按照…`` → body ``…工作：``, heading
    ``一、``, body ``要继续按照…``.
    """
    toks: list[Tok] = []
    seg_start = 0
    i = 0
    while i < len(text):
        if i == seg_start or is_boundary(text, i):
            head = match_heading(text, i)
            if head is not None and _inline_ok(head, text, i, state):
                if text[seg_start:i].strip():
                    toks.append(Tok(para, text[seg_start:i]))
                toks.append(Tok(para, head.raw, head))
                _note(head, state)
                i += len(head.raw)
                seg_start = i
                continue
        i += 1
    if text[seg_start:].strip():
        toks.append(Tok(para, text[seg_start:]))
    return toks


def styled_paragraph(text: str, para: int, level: int, length: int, state: _ScanState) -> list[Tok]:
    """A paragraph whose first ``length`` characters the document styles as a heading of ``level``, without a
    marker: that heading, then whatever the cleaner glued after it, scanned as usual."""
    head = Heading(hd.STYLED, "", clean_heading(text[:length]), 0, text[:length], inline=False)
    rest = text[length:]
    return [Tok(para, head.raw, head, level), *(scan_paragraph(rest, para, state) if rest.strip() else [])]


# ---------------------------------------------------------------------------- document-wide checks


def _revert(tok: Tok) -> None:
    """A rejected candidate becomes body text again (its raw text is kept verbatim)."""
    tok.head = None


def _containers(toks: Sequence[Tok]) -> list[int]:
    """For each token, the index of the section-opening heading it sits in (-1 before any)."""
    owner, current = [], -1
    for index, tok in enumerate(toks):
        if tok.head is not None and tok.head.family in _CONTAINERS:
            current = index
        owner.append(current)
    return owner


def _check_sequences(toks: Sequence[Tok]) -> None:
    """``二要`` needs ``一要`` before it in the same section, ``其次`` needs ``首先`` …"""
    owner = _containers(toks)
    last: dict[tuple[int, str], int] = {}
    for index, tok in enumerate(toks):
        head = tok.head
        if head is None or head.family not in (hd.SUB, hd.ORDINAL, hd.SEQ):
            continue
        key = (owner[index], head.family + (head.marker[-1] if head.family == hd.SUB else ""))
        previous = last.get(key, 0)
        if head.family == hd.SEQ:
            ok = head.number == 1 or 0 < previous < head.number
        else:
            ok = head.number == 1 or head.number == previous + 1
        if ok:
            last[key] = head.number
        else:
            _revert(tok)


def _followed_by_body(toks: Sequence[Tok], index: int) -> bool:
    """Is there body text after the heading at ``index`` before the next heading?"""
    return index + 1 < len(toks) and toks[index + 1].head is None and len(toks[index + 1].text.strip()) >= 8


def _family(tok: Tok) -> str:
    """The heading family of a token, ``""`` for body text."""
    return tok.head.family if tok.head is not None else ""


def _check_series(toks: Sequence[Tok]) -> None:
    """Run-in ``要…。`` points and paired ``统一思想、迅速行动，`` openings come in series of ≥ 2.

    A lone short ``要…。`` sentence is body text; so is a ``要…。`` with no body after it, and
    ``首先，…`` mid-paragraph without a ``其次`` in the same section.
    """
    for _ in range(2):  # reverting one member can break its series
        for index, tok in enumerate(toks):
            if _family(tok) == hd.YAO and not _followed_by_body(toks, index):
                _revert(tok)
        owner = _containers(toks)
        series = Counter((owner[i], _family(t)) for i, t in enumerate(toks) if _family(t) in _IN_SERIES)
        continued = {owner[i] for i, t in enumerate(toks) if _family(t) == hd.SEQ and t.head and t.head.number > 1}
        for index, tok in enumerate(toks):
            head = tok.head
            if head is None:
                continue
            lonely = head.family in _IN_SERIES and series[(owner[index], head.family)] < 2
            unfollowed = head.family == hd.SEQ and head.number == 1 and head.inline and owner[index] not in continued
            if lonely or unfollowed:
                _revert(tok)


def _check_lists(toks: Sequence[Tok]) -> None:
    """Three or more ``1、…`` / ``一、…`` lines in a row with no text between them are a list
    (related links, a table of contents), not sections; ``■`` bullets may stand alone."""
    run: list[Tok] = []
    for tok in [*toks, Tok(-1, "")]:
        if tok.head is not None and tok.head.family in _LISTABLE and (not run or _family(run[-1]) == _family(tok)):
            run.append(tok)
            continue
        if len(run) >= 3:
            for item in run:
                _revert(item)
        run = [tok] if tok.head is not None and tok.head.family in _LISTABLE else []


def _check_toc_entries(toks: Sequence[Tok]) -> None:
    """A numbered heading that comes back later with the same marker and words was a
    table-of-contents entry (``一、A`` ``（一）a`` ``二、B`` … then the speech itself)."""
    seen_later: set[tuple[str, str]] = set()
    for index in range(len(toks) - 1, -1, -1):
        head = toks[index].head
        if head is None or head.family not in _LISTABLE:
            continue
        key = (head.marker, head.text)
        if key in seen_later:
            _revert(toks[index])
        seen_later.add(key)


def _check_subheads(toks: Sequence[Tok], kind: str) -> None:
    """A ``会议强调`` / ``熊茂平指出`` line is a sub-head in a news report; in a speech with its own
    ``一、`` outline, a ``总书记强调：`` line introduces a quotation instead."""
    if kind == "report":
        return
    heads = [tok for tok in toks if tok.head is not None]
    subheads = [tok for tok in heads if tok.head is not None and tok.head.family == hd.SUBHEAD]
    if len(subheads) < 2 or any(tok.head is not None and tok.head.family == hd.L1 for tok in heads):
        for tok in subheads:
            _revert(tok)


def _arabic_style(marker: str) -> str:
    """``（1）`` and ``(1)`` are one style, ``1.`` / ``1、`` / ``1．`` another: they nest inside each other."""
    return "bracketed" if marker[:1] in "(（" else "plain"


def _assign_levels(toks: Sequence[Tok]) -> None:
    """Levels follow nesting depth: ``一、`` 1, ``（一）`` 2, sub-points 3, bullets one below their section, and
    Arabic numbers one below what encloses them — ``1.`` under ``（一）`` 3, under ``一、`` 2, and ``（1）`` under
    that ``1.`` 3; with nothing above them (a 倡议书's ``1、`` items) 1. Within one ``一、``/``（一）`` the Arabic
    style met first (``1.`` or ``（1）``) is the outer one; a level never goes past 3."""
    l1_open = l2_open = False  # nothing encloses ``1、`` items of a 倡议书 or 通知 that has no 一、: they are level 1
    enclosing = 1
    styles: list[str] = []  # Arabic styles open under the current 一、/（一）, outermost first
    for tok in toks:
        head = tok.head
        if head is None:
            continue
        if head.family == hd.ARABIC:
            style = _arabic_style(head.marker)
            if style in styles:
                del styles[styles.index(style) + 1 :]
            else:
                styles.append(style)
            tok.level = min((2 if l2_open else 1 if l1_open else 0) + len(styles), 3)
        elif head.family in (hd.BULLET, hd.DASH, hd.PAIRED):
            tok.level = min(enclosing + 1, 3)
        elif head.family != hd.STYLED:  # a styled heading's level comes from the document's styles
            tok.level = _FIXED_LEVEL[head.family]
        styled = head.family == hd.STYLED
        if head.family in (hd.L1, hd.SUBHEAD) or (styled and tok.level == 1):
            l1_open, l2_open = True, False
            styles.clear()
        elif head.family == hd.L2 or (styled and tok.level == 2):
            l1_open = l2_open = True
            styles.clear()
        if head.family in (hd.L1, hd.L2, hd.ARABIC, hd.CIRCLED, hd.SUBHEAD, hd.STYLED):
            enclosing = tok.level


def _merge_text(toks: Iterable[Tok]) -> list[Tok]:
    """Glue back body pieces of one paragraph that a rejected candidate had separated."""
    merged: list[Tok] = []
    for tok in toks:
        if tok.head is None and merged and merged[-1].head is None and merged[-1].para == tok.para:
            merged[-1] = Tok(tok.para, merged[-1].text + tok.text)
        else:
            merged.append(Tok(tok.para, tok.text, tok.head, tok.level))
    return merged


def tokenize(lines: Sequence[str], kind: str = "speech", hints: Sequence[tuple[str, int]] = ()) -> list[Tok]:
    """Paragraphs → body pieces and accepted headings with levels; ``hints`` are the document's own heading
    evidence (``styled.py``), used where a hinted line has no marker."""
    state = _ScanState(doc="\n".join(lines))
    styled = styled_lines(lines, hints)
    toks: list[Tok] = []
    for para, line in enumerate(lines):
        before = dict(state.last) if para in styled else state.last
        found = scan_paragraph(line, para, state)
        marked = bool(found) and found[0].head is not None and found[0].head.family in _MARKED
        if para in styled and not marked:  # the style decides: the scan is discarded, and what it noted with it
            state.last = before
            found = styled_paragraph(line, para, *styled[para], state)
        toks.extend(found)
    _check_subheads(toks, kind)
    _check_lists(toks)
    _check_toc_entries(toks)
    _check_sequences(toks)
    _check_series(toks)
    toks = _merge_text(toks)
    _assign_levels(toks)
    return toks
