"""The shared intermediate of every extractor: distinct clause keys with their documents, sites and surfaces.

A *key* is a normalised clause (``Normalised.compact``). Documents are held as Python ``int`` bit masks, so the
union of two clauses' documents is one C-level ``|`` however many documents there are, and the document
frequency is ``mask.bit_count()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.mine.clauses import Normalised, Site, SurfaceStat, balanced_span, clean_surface, count_surfaces, normalise
from app.mine.lexicon import Lexicon
from app.mine.slots import Slotter, find_names
from app.mine.types import MiningDocument, Occurrence
from app.text.masks import has_mask
from app.text.tokenize import Tokenizer


def mask_of(docs: Iterable[int]) -> int:
    """Bit mask of document indexes: ``[0, 2]`` → ``0b101``; linear in the number of documents."""
    docs = list(docs)
    if not docs:
        return 0
    if len(docs) < 64:
        mask = 0
        for d in docs:
            mask |= 1 << d
        return mask
    bits = np.zeros(max(docs) + 1, dtype=np.uint8)
    bits[np.asarray(docs, dtype=np.int64)] = 1
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def docs_of(mask: int) -> list[int]:
    """Document indexes of a bit mask, ascending: ``0b101`` → ``[0, 2]``."""
    if not mask:
        return []
    raw = np.frombuffer(mask.to_bytes((mask.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little")).tolist()


@dataclass
class KeyGroup:
    """All surfaces that normalise to one key."""

    compact: str
    boundaries: tuple[int, ...]
    mask: int = 0
    count: int = 0
    members: list[tuple[str, Normalised, SurfaceStat]] = field(default_factory=list)

    @property
    def doc_frequency(self) -> int:
        return self.mask.bit_count()


def roles_of(stats: Iterable[SurfaceStat]) -> tuple[str, ...]:
    """Roles by frequency (ties by name): ``{"tasks": 3, "opening": 1}`` → ``("tasks", "opening")``."""
    totals: dict[str, int] = {}
    for stat in stats:
        for role, n in stat.roles.items():
            totals[role] = totals.get(role, 0) + n
    return tuple(sorted(totals, key=lambda r: (-totals[r], r)))


def occurrence(documents: Sequence[MiningDocument], site: Site, start: int, end: int, surface: str) -> Occurrence:
    """An Occurrence for the surface characters ``[start, end)`` of the clause at ``site``."""
    return Occurrence(
        document_id=documents[site.doc].document_id,
        section_ordinal=site.section_ordinal,
        section_id=site.section_id,
        passage_id=site.passage_id,
        offset=site.offset + start,
        surface=surface[start:end],
    )


def in_domain_share(documents: Sequence[MiningDocument], mask: int) -> float:
    """Share of a phrase's documents that are in domain (精神文明建设 …), rounded for stable output."""
    docs = docs_of(mask)
    if not docs:
        return 0.0
    return round(sum(1 for d in docs if documents[d].in_domain) / len(docs), 4)


@dataclass
class MiningContext:
    """Everything the extractors share for one ``fit``: documents, lexicons, tokenizer, slotter, clause keys."""

    documents: Sequence[MiningDocument]
    lexicon: Lexicon
    tokenizer: Tokenizer
    slotter: Slotter
    min_doc_frequency: int
    min_chars: int
    max_chars: int
    max_occurrences: int
    surfaces: dict[str, SurfaceStat] = field(default_factory=dict)
    groups: dict[str, KeyGroup] = field(default_factory=dict)
    parallel_items: frozenset[str] = frozenset()

    def is_noise(self, text: str) -> bool:
        """Chrome or spun wording: any of ``phrasebank/noise_words.txt``."""
        return self.lexicon.is_noise(text)


def build_context(
    documents: Sequence[MiningDocument],
    lexicon: Lexicon,
    tokenizer: Tokenizer,
    min_doc_frequency: int,
    min_chars: int,
    max_chars: int,
    max_occurrences: int,
) -> MiningContext:
    """Count distinct clause surfaces, find the corpus's person names, and group surfaces by normalised key."""
    surfaces = count_surfaces(documents, max_chars, max_occurrences)
    speakers = sorted({d.speaker for d in documents if d.speaker})
    names = find_names(surfaces, lexicon, tokenizer, speakers)
    places = sorted({d.place for d in documents if d.place})
    slotter = Slotter(lexicon, tokenizer, names, places)
    ctx = MiningContext(
        documents, lexicon, tokenizer, slotter, min_doc_frequency, min_chars, max_chars, max_occurrences, surfaces
    )
    for surface, stat in surfaces.items():
        if ctx.is_noise(surface):
            continue
        norm = normalise(surface, slotter, tokenizer, lexicon, min_chars)
        group = ctx.groups.get(norm.compact)
        if group is None:
            group = ctx.groups[norm.compact] = KeyGroup(norm.compact, norm.boundaries)
        group.mask |= mask_of(stat.docs)
        group.count += stat.count
        group.members.append((surface, norm, stat))
    return ctx


def span_occurrences(
    ctx: MiningContext, sources: Iterable[tuple[KeyGroup, int, int]]
) -> tuple[list[Occurrence], dict[str, int], list[SurfaceStat]]:
    """Occurrences (capped), clean surface counts and the surface stats behind compact spans of keys."""
    occurrences: list[Occurrence] = []
    texts: dict[str, int] = {}
    stats: list[SurfaceStat] = []
    seen: set[int] = set()
    for group, a, b in sources:
        for surface, norm, stat in group.members:
            if id(stat) in seen:
                continue
            seen.add(id(stat))
            stats.append(stat)
            s0, s1 = balanced_span(surface, *norm.surface_span(a, b))
            text = clean_surface(surface[s0:s1])
            texts[text] = texts.get(text, 0) + stat.count
            for site in stat.sites:
                if len(occurrences) < ctx.max_occurrences:
                    occurrences.append(occurrence(ctx.documents, site, s0, s1, surface))
    occurrences.sort(key=lambda o: (o.document_id, o.section_ordinal, o.passage_id or -1, o.offset))
    return occurrences, texts, stats


def most_frequent(texts: dict[str, int]) -> str:
    """The most used surface; ties go to one without a masked name (any form ``find_masks`` knows), the shorter,
    the first in code-point order (``贯彻习近平总书记…`` wins over ``贯彻××总书记…`` and ``贯彻_总书记…``)."""
    return min(texts, key=lambda t: (-texts[t], has_mask(t), len(t), t))
