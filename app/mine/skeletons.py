"""Outline skeletons: the sequence of level-1 section roles per document kind, with example headings.

Each distinct sequence (consecutive repeats collapsed, unclassified ``other`` sections left out) is an entry with
the number of documents that follow it; per document kind a *consensus* entry orders the roles found in at least
half of the documents by their median position (speech: ``opening → review → significance → tasks →
safeguards → closing``) and counts the documents whose sequence contains it in that order.

A truncated copy (a preview, an excerpt: ``MiningDocument.truncated``) shows only the first parts of its
outline; its sequence (``speech: opening → problems``) is not a shape of a whole document, so it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from app.mine.types import MinedPhrase, MiningDocument, Occurrence

IGNORED_ROLES = frozenset({"other"})
MAX_EXAMPLES = 3


def role_sequence(document: MiningDocument) -> tuple[str, ...]:
    """Level-1 roles in order, repeats collapsed: remarks, requirements, requirements → remarks, requirements."""
    roles: list[str] = []
    for section in document.sections:
        if section.level != 1 or section.role in IGNORED_ROLES:
            continue
        if not roles or roles[-1] != section.role:
            roles.append(section.role)
    return tuple(roles)


def example_headings(documents: Sequence[MiningDocument], roles: Sequence[str]) -> dict[str, list[str]]:
    """Up to MAX_EXAMPLES distinct level-1 headings per role, in document order."""
    examples: dict[str, list[str]] = {role: [] for role in roles}
    for document in documents:
        for section in document.sections:
            if section.level == 1 and section.role in examples and section.heading:
                bucket = examples[section.role]
                if section.heading not in bucket and len(bucket) < MAX_EXAMPLES:
                    bucket.append(section.heading)
    return examples


def is_subsequence(needle: Sequence[str], hay: Sequence[str]) -> bool:
    """``(a, c)`` in ``(a, b, c)`` → True; order matters."""
    it = iter(hay)
    return all(any(x == y for y in it) for x in needle)


def consensus(sequences: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """Roles present in at least half of the sequences, ordered by their median relative position."""
    positions: dict[str, list[float]] = {}
    for seq in sequences:
        for i, role in enumerate(seq):
            positions.setdefault(role, []).append(i / max(len(seq) - 1, 1))
    common = [r for r in positions if sum(1 for seq in sequences if r in seq) * 2 >= len(sequences)]
    return tuple(sorted(common, key=lambda r: (median(positions[r]), r)))


def mine_skeletons(documents: Sequence[MiningDocument]) -> list[MinedPhrase]:
    """One entry per distinct role sequence per document kind, plus one consensus entry per kind."""
    by_kind: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for index, document in enumerate(documents):
        if document.truncated:
            continue
        seq = role_sequence(document)
        if seq:
            by_kind.setdefault(document.kind, []).append((index, seq))
    phrases = []
    for kind, rows in sorted(by_kind.items()):
        counts: dict[tuple[str, ...], list[int]] = {}
        for index, seq in rows:
            counts.setdefault(seq, []).append(index)
        entries = [(seq, members, False) for seq, members in counts.items()]
        common = consensus([seq for _, seq in rows])
        if len(rows) > 1 and common and common not in counts:
            followers = [i for i, seq in rows if is_subsequence(common, seq)]
            if len(followers) >= 2:  # a consensus nobody follows is no shape of this office's documents
                entries.append((common, followers, True))
        for seq, members, is_consensus in entries:
            docs = [documents[i] for i in members]
            text = f"{kind}: " + " → ".join(seq)
            phrases.append(
                MinedPhrase(
                    kind="skeleton",
                    text=text,
                    template=" → ".join(seq),
                    roles=seq,
                    frequency=len(members),
                    doc_frequency=len(members),
                    score=round(len(members) + (0.5 if is_consensus else 0.0), 4),
                    occurrences=tuple(Occurrence(d.document_id, 0, None, None, 0, "") for d in docs),
                    extra={
                        "doc_kind": kind,
                        "roles": list(seq),
                        "example_headings": example_headings(docs, seq),
                        "consensus": is_consensus,
                    },
                )
            )
    return phrases
