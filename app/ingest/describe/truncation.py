"""Truncation: is this copy the whole document, or only its beginning (a preview, a paywalled excerpt, 节选)?

A site that serves a preview says so (``阅读全文``, ``展开全文``, ``（未完，全文共1971字，当前显示613字）``,
``试读结束``), often in a line the cleaner then drops as chrome, so the removals are read as well as the body; an
excerpt says so in its title (``…讲话（节选）``). A copy cut without a word stops in the middle of a sentence,
or announces ``我讲三点意见`` and stops after ``二、``. Each test is a small record (``Signal``); the first that
fires gives the reason, which is stored with the document and shown by ``bigan outline`` and ``bigan ingest``.

The words are data (``phrasebank/cutoff_words.txt``, through ``app.ingest.vocab``); the places a word counts in
(a removed line, a short edge line, the title) are the predicates here, since a sentence of a real speech may
well say 阅读全文 or 节选 in its middle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from app.ingest import vocab
from app.structure import SectionNode
from app.structure.headings import cn_number
from app.text.normalise import CJK_RE, to_simplified

EDGE_LINES = 3  # a preview's notice sits in the first or last few lines of what is left
EDGE_LINE_MAX = 60  # a notice or button is a short line; a paragraph that mentions 全文 is longer
NOTICE_COMMAS = 2  # （未完，全文共1971字，当前显示613字）: a notice has few clauses; a sentence of the text has more
TAIL_CHARS = 30  # a button glued to the cut paragraph (…的风险展开全文) sits at its very end
PARAGRAPH_MIN_CJK = 12  # a sign-off (谢谢大家), date or issuer line ends without 。; a cut paragraph is longer

_COMPLETE_END = "。！？!?；;”\"’'）)】』」》>"
"""How a whole paragraph, a sign-off in brackets or a quoted last sentence ends."""
_CUT_ELLIPSIS_RE = re.compile(r"(?:…+|\.{3,})$")
"""The ellipsis a site draws where it cut a preview (``…旱涝急转的风...``)."""
_CLAUSE_END_RE = re.compile(r"[，,、：:（(“‘—]$|[，,。；;].*[^" + _COMPLETE_END + r"]$")
"""A paragraph that stops after a comma or an opened bracket, or inside a clause after one that ended."""
_LABEL_RE = re.compile(r"^[一-龥]{1,4}[:：]")
_CHROME_TAIL = " |｜•·"  # separators a page leaves after the last line; not the text's own end
_ANNOUNCED_RE = re.compile(r"(?:讲|谈|提|强调|提出)(?:以下|这么)?([两二三四五六七八九十])(?:点|个方面|方面|条)")
"""``下面，我讲三点意见`` / ``我强调四个方面``: how many parts a speech says it has."""
_NUMBERED_MARKER_RE = re.compile(r"^(?:第)?([一二三四五六七八九十]{1,3})(?:[、.．]|是|要|部分)")


@dataclass(frozen=True)
class Evidence:
    """What a copy shows of itself: its title, its body lines, what the cleaner removed, its outline."""

    title: str  # simplified
    lines: tuple[str, ...]  # body lines, simplified
    removed: tuple[str, ...]  # texts the cleaner removed, simplified
    outline: tuple[SectionNode, ...]


@dataclass(frozen=True)
class Signal:
    """One test of truncation: ``test`` returns the evidence it found (the reason's detail), or None."""

    name: str
    test: Callable[[Evidence], str | None]


@cache
def _words(name: str) -> re.Pattern[str]:
    return re.compile(vocab.word_class(vocab.CUTOFF_WORDS_PATH, name))


def _edge_lines(lines: Sequence[str], first: bool) -> list[str]:
    picked = list(lines[:EDGE_LINES]) + list(lines[-EDGE_LINES:]) if first else list(lines[-EDGE_LINES:])
    return [line for line in picked if len(line) <= EDGE_LINE_MAX and len(re.findall("[，,]", line)) <= NOTICE_COMMAS]


def _cutoff_word(ev: Evidence) -> str | None:
    """``阅读全文`` / ``（未完，…当前显示613字）`` in a removed line, a short last line, or glued to the last one."""
    words, continued = _words("cutoff"), _words("continued")
    last_tail = ev.lines[-1][-TAIL_CHARS:] if ev.lines else ""
    for text in (*ev.removed, *_edge_lines(ev.lines, first=False), last_tail):
        if (m := words.search(text)) and not continued.search(text):
            return m.group()
    return None


def _excerpt_word(ev: Evidence) -> str | None:
    """``…讲话（节选）`` in the title, or an ``（节选）`` / ``以下为讲话摘录`` line at either edge of the body."""
    words = _words("excerpt")
    for text in (ev.title, *_edge_lines(ev.lines, first=True), *ev.removed):
        if m := words.search(text):
            return m.group()
    return None


def _mid_sentence(ev: Evidence) -> str | None:
    """The last paragraph stops without its full stop (``…健全完善工作`` / ``…旱涝急转的风...``)."""
    if not ev.lines:
        return None
    last = ev.lines[-1].rstrip(_CHROME_TAIL)
    if _CUT_ELLIPSIS_RE.search(last):
        return last[-8:]
    if _LABEL_RE.match(last):  # 报：市委…领导 / 抄送：… — a 公文's distribution list, not a paragraph
        return None
    # a heading, a sign-off (谢谢大家), a date or an issuer line is short or has no clause inside
    if len(CJK_RE.findall(last)) >= PARAGRAPH_MIN_CJK and _CLAUSE_END_RE.search(last):
        return last[-8:]
    return None


def _missing_parts(ev: Evidence) -> str | None:
    """``我讲三点意见`` and the outline's numbered parts stop at ``二、``."""
    m = _ANNOUNCED_RE.search("".join(ev.lines[: EDGE_LINES * 4]))
    if not m:
        return None
    numbers = [
        cn_number(n[1]) for node in ev.outline if node.level == 1 and (n := _NUMBERED_MARKER_RE.match(node.marker))
    ]
    announced = cn_number(m[1].replace("两", "二"))
    if numbers and max(numbers) < announced:
        return f"{max(numbers)}/{announced}"
    return None


SIGNALS = (
    Signal("cutoff", _cutoff_word),
    Signal("excerpt", _excerpt_word),
    Signal("parts", _missing_parts),
    Signal("mid-sentence", _mid_sentence),
)


def truncation(title: str | None, body: str, removed: Sequence[str], outline: Sequence[SectionNode]) -> str | None:
    """Why this copy is not the whole document (``cutoff: 阅读全文``, ``excerpt: 节选``, ``parts: 2/3``,
    ``mid-sentence: …``), or None when nothing says so."""
    ev = Evidence(
        title=to_simplified(title or ""),
        lines=tuple(line.strip() for line in to_simplified(body).split("\n") if line.strip()),
        # one removal may be a whole dropped tail: each of its lines is a notice of its own
        removed=tuple(line for text in removed for line in to_simplified(text).split("\n")),
        outline=tuple(outline),
    )
    for signal in SIGNALS:
        if (found := signal.test(ev)) is not None:
            return f"{signal.name}: {found}"
    return None
