"""The retriever's database edge: passages of canonical documents in, a published index out.

``rebuild_index`` fits the whole database again (``bigan mine``, an explicit rebuild, a missing index). The
others change the live index a document at a time and cost what those documents cost, not the corpus:
``add_documents`` / ``remove_documents`` for writes that know their documents, ``sync_index`` for catching up
with whatever the database holds (after a crash, a write from another process, or when the caller does not
know what changed). Each runs under the index store's lock — one writer at a time across processes — publishes
atomically and, given the process's ``IndexHolder``, swaps the new index in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.ingest.clean.classify.model import junk_reason
from app.models import Document, Passage, Phrase, Section
from app.retrieve.persist import IndexHolder, IndexStore
from app.retrieve.search import PassageRecord
from app.retrieve.segmented import SegmentedIndex
from app.text.tokenize import default_workers

BANK_WORD_KINDS = ("formula", "idiom")
MAX_BANK_WORD_CHARS = 8
_PLAIN_WORD = re.compile(rf"^[\u4e00-\u9fffA-Za-z0-9]{{2,{MAX_BANK_WORD_CHARS}}}$")
ID_CHUNK = 500  # ids per IN (…) list: SQLite limits the number of bound parameters
MAX_MERGE_ROUNDS = 8

# The shipped configuration: the best (or within 0.02 of the best) nDCG@10 on tests/data/queries.tsv.
SHIPPED: dict[str, object] = {"words": True, "bigrams": True, "word_weight": 1.0, "bigram_weight": 1.0}


def index_root(settings: Settings) -> Path:
    return settings.data_dir / "index"


def load_records(
    session: Session, document_ids: Collection[int] | None = None, gated: list[PassageRecord] | None = None
) -> list[PassageRecord]:
    """Every passage of every canonical document (copies excluded) — or of those of ``document_ids`` — in
    document and passage order, but those that look like site chrome (the last gate, ``gate_passages``): those
    go to ``gated`` when given, so a rebuild can say how many it kept out."""
    query = (
        select(
            Passage.id,
            Passage.document_id,
            Passage.text,
            Passage.role,
            Section.heading_path,
            Document.title,
            Document.date,
            Document.kind,
            Document.source,
            Document.in_domain,
        )
        .join(Section, Section.id == Passage.section_id)
        .join(Document, Document.id == Passage.document_id)
        .where(Document.duplicate_of_id.is_(None))
        .order_by(Passage.document_id, Passage.ordinal, Passage.id)
    )
    chunks = (
        [query] if document_ids is None else [query.where(Passage.document_id.in_(c)) for c in _chunks(document_ids)]
    )
    records = [
        PassageRecord(
            passage_id=r.id,
            document_id=r.document_id,
            text=r.text,
            role=r.role,
            heading_path=r.heading_path or "",
            title=r.title,
            date=r.date,
            kind=r.kind,
            source=r.source,
            in_domain=bool(r.in_domain),
        )
        for chunk in chunks
        for r in session.execute(chunk).all()
    ]
    kept, dropped = gate_passages(records)
    if gated is not None:
        gated.extend(dropped)
    return kept


def gate_passages(records: list[PassageRecord]) -> tuple[list[PassageRecord], list[PassageRecord]]:
    """The last gate before the index: a passage that the cleaner's chrome predicates or (confidently) the line
    classifier call junk is never searchable, whatever let it through cleaning. Returns (kept, dropped)."""
    kept: list[PassageRecord] = []
    dropped: list[PassageRecord] = []
    for record in records:
        (dropped if junk_reason(record.text) else kept).append(record)
    return kept, dropped


def document_stamps(session: Session, document_ids: Collection[int] | None = None) -> dict[int, str]:
    """Each canonical document's content hash: how the index recognises a document id reused for other text."""
    query = select(Document.id, Document.sha256).where(Document.duplicate_of_id.is_(None))
    chunks = [query] if document_ids is None else [query.where(Document.id.in_(c)) for c in _chunks(document_ids)]
    return {row.id: row.sha256 for chunk in chunks for row in session.execute(chunk).all()}


def bank_words(session: Session) -> tuple[str, ...]:
    """Phrase-bank formulas and idioms to keep whole: short, no slot, no punctuation (两个确立, 久久为功)."""
    texts = session.scalars(select(Phrase.text).where(Phrase.kind.in_(BANK_WORD_KINDS)).order_by(Phrase.text))
    return tuple(dict.fromkeys(t for t in texts if _PLAIN_WORD.match(t)))


def build_index(session: Session, gated: list[PassageRecord] | None = None, **params: object) -> SegmentedIndex:
    """Fit the shipped configuration (or ``params``) on the database's passages (junk ones to ``gated``)."""
    records = load_records(session, gated=gated)
    options = {**SHIPPED, **params}
    options.setdefault("extra_words", bank_words(session))
    options.setdefault("workers", default_workers() if len(records) > 50_000 else 1)
    return SegmentedIndex(**options).fit(records, document_stamps(session))  # type: ignore[arg-type]


@dataclass(frozen=True)
class IndexSummary:
    version: str
    passages: int
    documents: int
    added: int = 0  # documents (re)indexed by this call
    removed: int = 0  # documents taken out
    rebuilt: bool = False  # fitted from the whole database
    gated: int = 0  # passages kept out as junk by the last gate (counted on a rebuild)


def rebuild_index(
    factory: sessionmaker[Session], settings: Settings, holder: IndexHolder | None = None, workers: int | None = None
) -> IndexSummary:
    """Fit on the current database, publish atomically and, given a holder, swap it in.

    ``workers`` = 1 keeps segmentation in this process (a threaded server must not fork).
    """
    store = IndexStore(index_root(settings))
    with store.lock():  # a document written meanwhile waits, then is added to this index by its own update
        gated: list[PassageRecord] = []
        with factory() as session:
            index = build_index(session, gated, **({} if workers is None else {"workers": workers}))
        version = store.publish(index, database=_reflects(index))
    if holder is not None:
        holder.swap(version, index)
    documents = len(index.documents_)
    return IndexSummary(version, index.live_passages(), documents, documents, 0, True, len(gated))


def add_documents(
    factory: sessionmaker[Session], settings: Settings, document_ids: Collection[int], holder: IndexHolder | None = None
) -> IndexSummary:
    """Make the passages of ``document_ids`` searchable (again, if they were indexed: a document is replaced
    whole); a document that is gone or a copy is taken out instead."""
    wanted = set(document_ids)

    def change(index: SegmentedIndex, session: Session) -> tuple[SegmentedIndex, int, int]:
        stamps = document_stamps(session, wanted)
        gone = (wanted - set(stamps)) & set(index.document_states())
        records = load_records(session, stamps)
        return index.remove(gone).add(records, stamps), len({r.document_id for r in records}), len(gone)

    return _update(factory, settings, holder, change)


def remove_documents(
    factory: sessionmaker[Session], settings: Settings, document_ids: Collection[int], holder: IndexHolder | None = None
) -> IndexSummary:
    """Take the passages of ``document_ids`` out of the index (deleted from the database, or about to be)."""
    wanted = set(document_ids)

    def change(index: SegmentedIndex, session: Session) -> tuple[SegmentedIndex, int, int]:
        return index.remove(wanted), 0, len(wanted & set(index.document_states()))

    return _update(factory, settings, holder, change)


def sync_index(
    factory: sessionmaker[Session], settings: Settings, holder: IndexHolder | None = None, thorough: bool = False
) -> IndexSummary:
    """Bring the live index to what the database holds, a document at a time: documents it lacks are added,
    documents gone, turned into copies or stored again under their id are taken out or replaced.

    Documents are compared by id and content hash; ``thorough`` also compares their passage counts and highest
    passage ids (one pass over the passages table — at start-up, say). With no index yet, fits one.
    """

    def change(index: SegmentedIndex, session: Session) -> tuple[SegmentedIndex, int, int]:
        stored = _stored_documents(session, thorough)
        held = index.document_states()
        width = 3 if thorough else 1
        gone = [d for d in held if d not in stored]
        fresh = [d for d, state in stored.items() if held.get(d, ())[:width] != state[:width]]
        records = load_records(session, fresh)
        stamps = {d: stored[d][0] for d in fresh}
        return index.remove(gone).add(records, stamps), len(fresh), len(gone)

    return _update(factory, settings, holder, change)


def merge_index(
    settings: Settings, holder: IndexHolder | None = None, max_passages: int | None = None, everything: bool = False
) -> IndexSummary | None:
    """Run the merges the policy asks for — those too large to run inline with an update — or, with
    ``everything``, merge all segments into one: for a background job or a quiet moment. None without an index.

    The segments are merged without the store's lock, so writers go on meanwhile; the lock is taken only to put
    them into the index live by then (documents deleted in between are tombstoned in them).
    """
    store = IndexStore(index_root(settings))
    for _ in range(MAX_MERGE_ROUNDS):  # a merge can complete a tier above
        with store.lock():
            live = _live(store, holder)
        if live is None:
            return None
        version, source = live
        runs = source.merge_runs(max_passages, everything=everything)
        if not runs:
            return IndexSummary(version, source.live_passages(), len(source.documents_))
        segments = source.merged_segments(runs)
        with store.lock():
            live = _live(store, holder)
            assert live is not None
            version, current = live
            merged = current.with_merged(source, runs, segments)
            if merged is None:  # another merge got there first
                return IndexSummary(version, current.live_passages(), len(current.documents_))
            version = store.publish(merged, database=_reflects(merged))
        if holder is not None:
            holder.swap(version, merged)
        everything = False
    return IndexSummary(version, merged.live_passages(), len(merged.documents_))


def passage_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Passage)) or 0


Change = Callable[[SegmentedIndex, Session], tuple[SegmentedIndex, int, int]]


def _update(
    factory: sessionmaker[Session], settings: Settings, holder: IndexHolder | None, change: Change
) -> IndexSummary:
    """Apply ``change`` (index, session → updated index, documents added, documents removed) to the live index
    under the store's lock, publish the result and swap it in; with no index yet, fit one instead."""
    store = IndexStore(index_root(settings))
    with store.lock():
        live = _live(store, holder)
        if live is None:
            return rebuild_index(factory, settings, holder, workers=1)
        version, index = live
        with factory() as session:
            updated, added, removed = change(index, session)
        if updated is not index:
            version = store.publish(updated, database=_reflects(updated))
    if holder is not None and updated is not index:
        holder.swap(version, updated)
    return IndexSummary(version, updated.live_passages(), len(updated.documents_), added, removed)


def _live(store: IndexStore, holder: IndexHolder | None) -> tuple[str, SegmentedIndex] | None:
    """The published index: the holder's when it is the live version, else read (reusing the holder's segments)."""
    held_version, held = holder.current() if holder is not None else (None, None)
    if held is not None and held_version == store.current_version():
        return held_version, held
    return store.load_current(previous=held)


def _stored_documents(session: Session, thorough: bool) -> dict[int, tuple[str, int, int]]:
    """Canonical documents that have passages: id → (content hash, passages, highest passage id); the last two
    are 0 unless ``thorough``."""
    canonical = Document.duplicate_of_id.is_(None)
    if not thorough:
        has_passages = exists().where(Passage.document_id == Document.id)
        rows = session.execute(select(Document.id, Document.sha256).where(canonical, has_passages)).all()
        return {row.id: (row.sha256, 0, 0) for row in rows}
    rows = session.execute(
        select(Document.id, Document.sha256, func.count(Passage.id), func.max(Passage.id))
        .join(Passage, Passage.document_id == Document.id)
        .join(Section, Section.id == Passage.section_id)
        .where(canonical)
        .group_by(Document.id, Document.sha256)
    ).all()
    return {row[0]: (row[1], int(row[2]), int(row[3])) for row in rows}


def _reflects(index: SegmentedIndex) -> dict[str, Any]:
    """What the database held, as far as the index knows: kept in the manifest beside its generation."""
    return {"documents": len(index.documents_), "passages": index.live_passages()}


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_CHUNK):
        yield ordered[start : start + ID_CHUNK]
