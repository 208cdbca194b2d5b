"""Clauses: the unit of stock phrasing. Text is cut at punctuation, counted by distinct surface, then normalised.

Counting works on distinct surfaces first (a 100 MB corpus of recombined speeches has only a few thousand of
them), so tokenising, slotting and substring search run once per distinct clause, never once per occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from app.mine.lexicon import Lexicon
from app.mine.slots import SLOT_CHARS, Slotter
from app.mine.types import MiningDocument
from app.text.tokenize import Tokenizer

CLAUSE_RE = re.compile(r"[^，,。；;：:！!？?\s…—]+")
QUOTES = '“”‘’"「」『』'
_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"})
OPEN_CLOSE = {"“": "”", "‘": "’", "（": "）", "《": "》", "「": "」", "『": "』"}
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
LIST_VERBS = ("进一步完善", "完善", "形成", "健全", "构建", "建立健全", "建立", "打造", "推动形成", "加快形成")


@dataclass(frozen=True)
class Site:
    """Where one clause occurrence sits: enough to build an ``Occurrence`` later."""

    doc: int  # index into the documents passed to fit
    section_ordinal: int
    section_id: int | None
    passage_id: int | None  # None for a heading
    offset: int  # in the passage text (or in the heading)


@dataclass
class SurfaceStat:
    count: int = 0
    docs: list[int] = field(default_factory=list)  # distinct document indexes, ascending
    sites: list[Site] = field(default_factory=list)  # the first few occurrences
    roles: dict[str, int] = field(default_factory=dict)


def to_wide(text: str) -> str:
    """ASCII punctuation a writer would not type in Chinese: ``同志们:`` → ``同志们：``."""
    return text.translate(_WIDTH)


class Unit(NamedTuple):
    """One heading or passage of a document, with where it sits."""

    ordinal: int  # section ordinal
    section_id: int | None
    passage_id: int | None
    text: str
    role: str
    is_heading: bool


def iter_units(document: MiningDocument) -> Iterator[Unit]:
    """Every heading and passage of a document, in reading order."""
    for section in document.sections:
        if section.heading:
            yield Unit(section.ordinal, section.section_id, None, section.heading, section.role, True)
        for passage in section.passages:
            yield Unit(section.ordinal, section.section_id, passage.passage_id, passage.text, section.role, False)


def split_clauses(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """(offset, clause) pairs; an over-long clause is cut again at 、 into its items.

    ``坚持与时俱进、守正创新,高标准拓展文明实践`` → ``(0, 坚持与时俱进、守正创新)``, ``(12, 高标准拓展文明实践)``.
    """
    for m in CLAUSE_RE.finditer(text):
        start, clause = m.start(), m.group()
        stripped = clause.strip(QUOTES + "（）()《》 ")
        if not stripped:
            continue
        start += clause.index(stripped[0])
        if len(stripped) <= max_chars:
            yield start, stripped
            continue
        parts = stripped.split("、")
        pos = 0
        # 完善党委统一领导、…、全社会积极参与的工作格局: the verb governs the whole list, not its first item
        if len(parts) > 2 and "的" in parts[-1]:
            verb = next((v for v in LIST_VERBS if parts[0].startswith(v) and len(parts[0]) - len(v) >= 4), "")
            parts[0] = parts[0][len(verb) :]
            pos = len(verb)
        for part in parts:
            if part:
                yield start + pos, part
            pos += len(part) + 1


def count_surfaces(documents: Sequence[MiningDocument], max_chars: int, keep_sites: int) -> dict[str, SurfaceStat]:
    """Distinct clause surfaces with occurrence count, documents, roles and the first ``keep_sites`` sites."""
    table: dict[str, SurfaceStat] = {}
    for doc_index, document in enumerate(documents):
        for ordinal, section_id, passage_id, text, role, _ in iter_units(document):
            for offset, clause in split_clauses(text, max_chars):
                stat = table.get(clause)
                if stat is None:
                    stat = table[clause] = SurfaceStat()
                stat.count += 1
                if not stat.docs or stat.docs[-1] != doc_index:
                    stat.docs.append(doc_index)
                if len(stat.sites) < keep_sites:
                    stat.sites.append(Site(doc_index, ordinal, section_id, passage_id, offset))
                stat.roles[role] = stat.roles.get(role, 0) + 1
    return table


@dataclass(frozen=True)
class Normalised:
    """A clause surface after quote removal, connective stripping and slotting."""

    compact: str  # the counting key: slots as private-use characters, no quotes
    starts: tuple[int, ...]  # surface offset of each compact character
    ends: tuple[int, ...]
    boundaries: tuple[int, ...]  # token boundaries of the compact key

    def surface_span(self, start: int, end: int) -> tuple[int, int]:
        """Surface offsets of compact characters ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]


def strip_leading(text: str, edges: Sequence[int], lexicon: Lexicon, min_chars: int) -> int:
    """How many leading characters are connectives or a subject + 要: ``全市上下要深入学习…`` → 5.

    Only whole tokens are stripped, and never so much that fewer than ``min_chars`` remain.
    """
    edge_set = set(edges)
    cut = 0
    for _ in range(3):
        rest = text[cut:]
        step = 0
        for subject in lexicon.subjects:
            if rest.startswith(subject):
                after = rest[len(subject) :]
                modal = next((m for m in ("要", "必须", "应当", "务必") if after.startswith(m)), "")
                if modal and cut + len(subject) + len(modal) in edge_set:
                    step = len(subject) + len(modal)
                break
        if not step:
            step = next((len(c) for c in lexicon.connectives if rest.startswith(c) and cut + len(c) in edge_set), 0)
        if not step or len(text) - cut - step < min_chars:
            break
        cut += step
    return cut


def normalise(surface: str, slotter: Slotter, tokenizer: Tokenizer, lexicon: Lexicon, min_chars: int) -> Normalised:
    """Quote-free, connective-free, slotted key of a clause, mapped back to surface offsets.

    ``要深化“文明城市”创建`` → compact ``深化文明城市创建``; ``熊茂平出席会议并讲话`` → ``\\ue000出席会议并讲话``.
    """
    keep = [i for i, c in enumerate(surface) if c not in QUOTES]
    bare = to_wide("".join(surface[i] for i in keep))
    edges = tokenizer.boundaries(bare)
    cut = strip_leading(bare, edges, lexicon, min_chars)
    body = bare[cut:]
    slotted = slotter.slot(body, [e - cut for e in edges if e >= cut])
    starts = tuple(keep[cut + s] for s in slotted.starts)
    ends = tuple(keep[cut + e - 1] + 1 for e in slotted.ends)
    compact = slotted.compact
    return Normalised(compact, starts, ends, tuple(tokenizer.boundaries(compact)))


def clean_surface(text: str) -> str:
    """A surface a writer can paste: wide punctuation, no dangling or unbalanced quotes.

    ``两个确立”的决定性意义`` → ``两个确立的决定性意义``; ``“两先区”`` stays as it is.
    """
    text = to_wide(text).strip()
    for opener, closer in OPEN_CLOSE.items():
        if text.count(opener) != text.count(closer) or _misordered(text, opener, closer):
            text = text.replace(opener, "").replace(closer, "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text


def balanced_span(surface: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` by one quote on either side when that closes a quote opened inside the span.

    ``做到“两个维护”的`` with the span ``做到“两个维护`` → ``做到“两个维护”``.
    """
    piece = surface[start:end]
    for opener, closer in (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")")):
        if piece.count(opener) > piece.count(closer) and surface[end : end + 1] == closer:
            end += 1
            piece = surface[start:end]
        if piece.count(closer) > piece.count(opener) and start > 0 and surface[start - 1] == opener:
            start -= 1
            piece = surface[start:end]
    return start, end


def _misordered(text: str, opener: str, closer: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == opener) - (c == closer)
        if depth < 0:
            return True
    return False


def han_count(text: str) -> int:
    """Chinese characters plus slots (a slot stands for a name or a number a writer fills in)."""
    return len(HAN_RE.findall(text)) + sum(1 for c in text if c in SLOT_CHARS)
