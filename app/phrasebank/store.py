"""The phrase bank's I/O edge: load documents for mining, replace the bank atomically, query it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, delete, func, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app import generations
from app.db import session_scope
from app.mine.types import MinedPhrase, MiningDocument, MiningPassage, mining_document
from app.models import Document, Passage, Phrase, PhraseOccurrence, PhraseRole, Section
from app.phrasebank.ranking import (
    DEFAULT_SORT,
    KIND_POINTS,
    LENGTH_POINTS,
    OTHER_KIND_POINTS,
    OVERLONG_POINTS,
    PhraseSort,
    hidden_kinds,
)

MAX_STORED_OCCURRENCES = 20  # KWIC examples kept per entry; frequencies still count every occurrence
KWIC_CONTEXT = 24


def load_mining_documents(session: Session) -> list[MiningDocument]:
    """Every canonical document (duplicates excluded) with its sections and passages, in id order."""
    documents = session.scalars(select(Document).where(Document.duplicate_of_id.is_(None)).order_by(Document.id)).all()
    passages_by_section: dict[int, list[MiningPassage]] = defaultdict(list)
    for passage in session.execute(
        select(Passage.id, Passage.section_id, Passage.text)
        .join(Document, Document.id == Passage.document_id)
        .where(Document.duplicate_of_id.is_(None))
        .order_by(Passage.document_id, Passage.ordinal)
    ):
        passages_by_section[passage.section_id].append(MiningPassage(passage.id, passage.text))
    sections_by_doc: dict[int, list[Section]] = defaultdict(list)
    for section in session.scalars(select(Section).order_by(Section.document_id, Section.ordinal)):
        sections_by_doc[section.document_id].append(section)
    return [_mining_document(doc, sections_by_doc[doc.id], passages_by_section) for doc in documents]


def _mining_document(
    doc: Document, sections: list[Section], passages: dict[int, list[MiningPassage]]
) -> MiningDocument:
    by_ordinal = {s.ordinal: passages.get(s.id, []) for s in sections}
    return mining_document(
        doc.id,
        doc.kind,
        doc.in_domain,
        doc.title,
        doc.place,
        doc.speaker,
        sections,
        [s.id for s in sections],
        by_ordinal,
        truncated=doc.truncated is not None,
    )


def replace_bank(factory: sessionmaker[Session], phrases: list[MinedPhrase]) -> int:
    """Swap the whole bank for ``phrases`` in one transaction; readers see the old or the new bank."""
    with session_scope(factory) as session:
        section_roles = dict(session.execute(select(Section.id, Section.role)).all())
        session.execute(delete(PhraseOccurrence))
        session.execute(delete(PhraseRole))
        session.execute(delete(Phrase))
        rank_in_kind: dict[str, int] = defaultdict(int)
        for mined in phrases:
            rank_in_kind[mined.kind] += 1
            session.add(_phrase_row(mined, rank_in_kind[mined.kind], section_roles))
        generations.bump(session, generations.BANK)
    return len(phrases)


def _phrase_row(mined: MinedPhrase, rank: int, section_roles: dict[int, str]) -> Phrase:
    role_counts: dict[str, int] = defaultdict(int)
    for occurrence in mined.occurrences:
        role = section_roles.get(occurrence.section_id) if occurrence.section_id is not None else None
        if role is not None:
            role_counts[role] += 1
    for role in mined.roles:  # roles the miner assigns without an occurrence (skeletons) still count once
        role_counts.setdefault(role, 1)
    return Phrase(
        kind=mined.kind,
        rank=rank,
        text=mined.text,
        template=mined.template,
        frequency=mined.frequency,
        doc_frequency=mined.doc_frequency,
        score=float(mined.score),
        extra=mined.extra,
        roles=[PhraseRole(role=role, count=count) for role, count in sorted(role_counts.items())],
        occurrences=[
            PhraseOccurrence(
                document_id=o.document_id,
                section_id=o.section_id,
                passage_id=o.passage_id,
                offset=o.offset,
                surface=o.surface,
            )
            for o in mined.occurrences[:MAX_STORED_OCCURRENCES]
        ],
    )


@dataclass(frozen=True)
class PhrasePage:
    total: int
    items: list[Phrase]


def query_phrases(
    session: Session,
    kind: str | None = None,
    role: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: PhraseSort = DEFAULT_SORT,
) -> PhrasePage:
    """Entries filtered by kind, role and a substring of text or template, in ``sort`` order.

    The order is ``app.phrasebank.ranking``'s, computed by the database, so a page is one indexed
    ``LIMIT/OFFSET`` away whatever its number, and ends in ``id`` so no entry is on two pages.
    """
    statement = select(Phrase.id)
    if kind:
        statement = statement.where(Phrase.kind == kind)
    if role:
        statement = statement.where(Phrase.roles.any(PhraseRole.role == role))
    hidden = hidden_kinds(sort, role, kind)
    if hidden:
        statement = statement.where(Phrase.kind.not_in(sorted(hidden)))
    if q:
        pattern = f"%{_escape_like(q)}%"
        statement = statement.where(
            or_(Phrase.text.like(pattern, escape="\\"), Phrase.template.like(pattern, escape="\\"))
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    # Sort ids only (not texts and JSON), then load the page's rows: a deep page of 20 000 entries stays fast.
    ids = list(session.scalars(statement.order_by(*order_by(sort)).limit(limit).offset(offset)))
    rows = session.scalars(select(Phrase).where(Phrase.id.in_(ids)).options(selectinload(Phrase.roles))).all()
    by_id = {row.id: row for row in rows}
    return PhrasePage(total, [by_id[i] for i in ids if i in by_id])


def order_by(sort: PhraseSort) -> tuple[ColumnElement[object], ...]:
    """``ranking.reuse_rank`` / ``frequency_rank`` / ``kind_rank`` as SQL, from the same weight tables."""
    if sort == "kind":
        return (Phrase.kind.asc(), Phrase.rank.asc(), Phrase.id.asc())
    if sort == "frequency":
        return (Phrase.doc_frequency.desc(), Phrase.frequency.desc(), Phrase.rank.asc(), Phrase.id.asc())
    length = func.length(Phrase.text)
    length_points = case(*((length <= longest, points) for longest, points in LENGTH_POINTS), else_=OVERLONG_POINTS)
    kind_points = case(KIND_POINTS, value=Phrase.kind, else_=OTHER_KIND_POINTS)
    return (
        case((Phrase.doc_frequency < 2, 1), else_=0).asc(),
        (Phrase.doc_frequency * kind_points * length_points).desc(),
        Phrase.doc_frequency.desc(),
        Phrase.frequency.desc(),
        Phrase.rank.asc(),
        Phrase.id.asc(),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Example:
    """One KWIC line: left context, the phrase as written, right context, and where it came from."""

    left: str
    match: str
    right: str
    document_id: int
    document_title: str | None
    document_date: str | None
    heading_path: str


def phrase_examples(session: Session, phrase: Phrase, limit: int = 10) -> list[Example]:
    """KWIC examples for an entry from its stored occurrences."""
    rows = session.execute(
        select(PhraseOccurrence, Passage.text, Section.heading, Section.heading_path, Document.title, Document.date)
        .join(Document, Document.id == PhraseOccurrence.document_id)
        .outerjoin(Passage, Passage.id == PhraseOccurrence.passage_id)
        .outerjoin(Section, Section.id == PhraseOccurrence.section_id)
        .where(PhraseOccurrence.phrase_id == phrase.id)
        .order_by(PhraseOccurrence.id)
        .limit(limit)
    ).all()
    examples = []
    for occurrence, passage_text, heading, heading_path, title, date in rows:
        source = passage_text if passage_text is not None else (heading or "")
        start = occurrence.offset
        end = start + len(occurrence.surface)
        if source[start:end] != occurrence.surface:  # offsets always match; guard against a stale bank
            found = source.find(occurrence.surface)
            start, end = (found, found + len(occurrence.surface)) if found >= 0 else (0, 0)
        examples.append(
            Example(
                left=source[max(0, start - KWIC_CONTEXT) : start],
                match=source[start:end] or occurrence.surface,
                right=source[end : end + KWIC_CONTEXT],
                document_id=occurrence.document_id,
                document_title=title,
                document_date=date,
                heading_path=heading_path or "",
            )
        )
    return examples
