"""The retriever's database edge: passages of canonical documents in, a published index out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.models import Document, Passage, Phrase, Section
from app.retrieve.index import PassageRecord, TfidfIndex
from app.retrieve.persist import IndexHolder, IndexStore
from app.text.tokenize import default_workers

BANK_WORD_KINDS = ("formula", "idiom")
MAX_BANK_WORD_CHARS = 8
_PLAIN_WORD = re.compile(rf"^[\u4e00-\u9fffA-Za-z0-9]{{2,{MAX_BANK_WORD_CHARS}}}$")

# The shipped configuration: the best (or within 0.02 of the best) nDCG@10 on tests/data/queries.tsv.
SHIPPED: dict[str, object] = {"words": True, "bigrams": True, "word_weight": 1.0, "bigram_weight": 1.0}


def index_root(settings: Settings) -> Path:
    return settings.data_dir / "index"


def load_records(session: Session) -> list[PassageRecord]:
    """Every passage of every canonical document (copies excluded), in document and passage order."""
    rows = session.execute(
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
    ).all()
    return [
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
        for r in rows
    ]


def bank_words(session: Session) -> tuple[str, ...]:
    """Phrase-bank formulas and idioms to keep whole: short, no slot, no punctuation (两个确立, 久久为功)."""
    texts = session.scalars(select(Phrase.text).where(Phrase.kind.in_(BANK_WORD_KINDS)).order_by(Phrase.text))
    return tuple(dict.fromkeys(t for t in texts if _PLAIN_WORD.match(t)))


def build_index(session: Session, **params: object) -> TfidfIndex:
    """Fit the shipped configuration (or ``params``) on the database's passages."""
    records = load_records(session)
    options = {**SHIPPED, **params}
    options.setdefault("extra_words", bank_words(session))
    options.setdefault("workers", default_workers() if len(records) > 50_000 else 1)
    return TfidfIndex(**options).fit(records)  # type: ignore[arg-type]


@dataclass(frozen=True)
class IndexSummary:
    version: str
    passages: int
    documents: int


def rebuild_index(
    factory: sessionmaker[Session], settings: Settings, holder: IndexHolder | None = None, workers: int | None = None
) -> IndexSummary:
    """Fit on the current database, publish atomically and, given a holder, swap it in.

    ``workers`` = 1 keeps segmentation in this process (a threaded server must not fork).
    """
    with factory() as session:
        index = build_index(session, **({} if workers is None else {"workers": workers}))
    version = IndexStore(index_root(settings)).publish(index)
    if holder is not None:
        holder.swap(version, index)
    return IndexSummary(version, index.n_passages_, len(index.documents_))


def passage_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Passage)) or 0
