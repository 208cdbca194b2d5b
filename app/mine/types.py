"""Typed values between the database and the miner, and the miner's output.

The miner is a pure function of ``MiningDocument`` values: the same documents in the same order
give the same bank, whether they come from the database or from files prepared in a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.ingest.pipeline import PreparedDocument
from app.text.normalise import to_simplified


@dataclass(frozen=True)
class MiningPassage:
    passage_id: int | None  # database id; None for documents prepared outside the database
    text: str  # simplified


@dataclass(frozen=True)
class MiningSection:
    section_id: int | None
    ordinal: int  # pre-order position in the document
    level: int
    marker: str
    heading: str  # simplified, no marker
    role: str
    parent_ordinal: int | None
    passages: tuple[MiningPassage, ...]


@dataclass(frozen=True)
class MiningDocument:
    document_id: int
    kind: str  # speech | report | other
    in_domain: bool
    title: str | None  # simplified
    place: str | None
    speaker: str | None
    sections: tuple[MiningSection, ...]  # pre-order
    truncated: bool = False  # only part of the document (a preview, an excerpt): no whole outline to learn from


@dataclass(frozen=True)
class Occurrence:
    document_id: int
    section_ordinal: int
    section_id: int | None
    passage_id: int | None  # None when the phrase is a heading (it lives in the section row)
    offset: int  # character offset in the passage text (or in the heading)
    surface: str  # the text as it appears there, before slotting


@dataclass(frozen=True)
class MinedPhrase:
    kind: str  # skeleton | heading | formulation | parallel | idiom | formula | opener | transition | closer
    text: str  # the most frequent surface form
    template: str  # with slots: 为谱写好中国式现代化{地名}篇章
    roles: tuple[str, ...]  # section roles it occurs in, most frequent first
    frequency: int  # occurrences
    doc_frequency: int  # distinct documents
    score: float  # kind-specific ranking score; higher is better
    occurrences: tuple[Occurrence, ...]
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific: skeleton roles, formula expansion …


class SectionLike(Protocol):
    """What both a stored ``Section`` row and a ``PreparedSection`` offer."""

    ordinal: int
    level: int
    marker: str
    heading: str
    role: str


def parent_ordinals(sections: Sequence[SectionLike]) -> list[int | None]:
    """Each pre-order section's parent: the nearest earlier section of a smaller level."""
    parents: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (level, ordinal)
    for section in sections:
        while stack and stack[-1][0] >= section.level:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((section.level, section.ordinal))
    return parents


def mining_document(
    document_id: int,
    kind: str,
    in_domain: bool,
    title: str | None,
    place: str | None,
    speaker: str | None,
    sections: Sequence[SectionLike],
    section_ids: Sequence[int | None],
    passages: Mapping[int, Sequence[MiningPassage]],
    truncated: bool = False,
) -> MiningDocument:
    """Assemble a MiningDocument; ``passages`` maps a section ordinal to its passages."""
    parents = parent_ordinals(sections)
    return MiningDocument(
        document_id=document_id,
        kind=kind,
        in_domain=in_domain,
        title=to_simplified(title) if title else None,
        place=place,
        speaker=speaker,
        sections=tuple(
            MiningSection(
                section_id=section_ids[i],
                ordinal=s.ordinal,
                level=s.level,
                marker=s.marker,
                heading=s.heading,
                role=s.role,
                parent_ordinal=parents[i],
                passages=tuple(passages.get(s.ordinal, ())),
            )
            for i, s in enumerate(sections)
        ),
        truncated=truncated,
    )


def from_prepared(document_id: int, doc: PreparedDocument) -> MiningDocument:
    """A MiningDocument from a file prepared in memory (tests, ``make eval``)."""
    passages: dict[int, list[MiningPassage]] = {}
    for passage in doc.passages:
        passages.setdefault(passage.section_ordinal, []).append(MiningPassage(None, passage.text))
    meta = doc.metadata
    return mining_document(
        document_id,
        meta.kind,
        meta.in_domain,
        meta.title,
        meta.place,
        meta.speaker,
        doc.sections,
        [None] * len(doc.sections),
        passages,
        truncated=doc.truncated is not None,
    )
