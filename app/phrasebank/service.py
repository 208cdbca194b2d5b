"""Rebuild the bank from the database and export a reviewable snapshot of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.ingest.clean.classify.model import junk_reason
from app.mine.miner import PhraseMiner
from app.mine.types import MinedPhrase
from app.models import Document, Phrase, PhraseOccurrence
from app.phrasebank.store import load_mining_documents, replace_bank

SNAPSHOT_NAME = "bank.jsonl"


@dataclass(frozen=True)
class BankSummary:
    documents: int
    entries: int
    by_kind: dict[str, int]
    gated: int = 0  # mined entries kept out of the bank as junk by the last gate


def rebuild_bank(factory: sessionmaker[Session]) -> BankSummary:
    """Mine every canonical document and swap the result in; same corpus → same bank."""
    with factory() as session:
        documents = load_mining_documents(session)
    phrases, dropped = gate_phrases(PhraseMiner().fit(documents).phrases_)
    replace_bank(factory, phrases)
    by_kind: dict[str, int] = {}
    for phrase in phrases:
        by_kind[phrase.kind] = by_kind.get(phrase.kind, 0) + 1
    return BankSummary(len(documents), len(phrases), dict(sorted(by_kind.items())), len(dropped))


def gate_phrases(phrases: list[MinedPhrase]) -> tuple[list[MinedPhrase], list[MinedPhrase]]:
    """The last gate before the bank: an entry whose text the cleaner's chrome predicates or (confidently) the line
    classifier call junk is never offered to a writer. Skeletons are sequences of role names, not text: they pass.
    Returns (kept, dropped)."""
    kept: list[MinedPhrase] = []
    dropped: list[MinedPhrase] = []
    for phrase in phrases:
        (dropped if phrase.kind != "skeleton" and junk_reason(phrase.text) else kept).append(phrase)
    return kept, dropped


def snapshot_lines(session: Session) -> list[str]:
    """The bank as JSON Lines, one entry per line in (kind, rank) order, with source titles, no ids.

    Ids change on every rebuild; titles and texts do not — so a re-mine of the same corpus gives an
    identical file and a changed corpus gives a readable diff.
    """
    titles = dict(session.execute(select(Document.id, Document.title)).all())
    phrases = session.scalars(
        select(Phrase).options(selectinload(Phrase.roles)).order_by(Phrase.kind, Phrase.rank)
    ).all()
    sources_by_phrase: dict[int, set[str]] = {}
    for phrase_id, document_id in session.execute(select(PhraseOccurrence.phrase_id, PhraseOccurrence.document_id)):
        sources_by_phrase.setdefault(phrase_id, set()).add(titles.get(document_id) or f"#{document_id}")
    lines = []
    for phrase in phrases:
        record = {
            "kind": phrase.kind,
            "rank": phrase.rank,
            "text": phrase.text,
            "template": phrase.template,
            "roles": {r.role: r.count for r in sorted(phrase.roles, key=lambda r: r.role)},
            "frequency": phrase.frequency,
            "doc_frequency": phrase.doc_frequency,
            "score": round(phrase.score, 4),
            "sources": sorted(sources_by_phrase.get(phrase.id, ())),
            "extra": phrase.extra,
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return lines


def export_snapshot(session: Session, path: Path) -> int:
    """Write the snapshot atomically (temp file + rename) and return the number of entries."""
    lines = snapshot_lines(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    temporary.replace(path)
    return len(lines)
