"""ORM tables. The schema changes only through Alembic migrations (``alembic/versions``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Document(Base):
    """One ingested file: its original text kept for display, its cleaned simplified text for analysis."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)  # of the cleaned text
    raw_sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the file bytes
    source: Mapped[str] = mapped_column(Text)  # file name or path it came from
    fmt: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    script: Mapped[str] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(Text)
    speaker_post: Mapped[str | None] = mapped_column(Text)
    in_domain: Mapped[bool] = mapped_column(Boolean, default=True)
    # why the text is only part of the document (``cutoff: 阅读全文``, ``excerpt: 节选``); NULL: taken as whole
    truncated: Mapped[str | None] = mapped_column(Text)
    original_text: Mapped[str] = mapped_column(Text)  # decoded file text, untouched
    display_text: Mapped[str] = mapped_column(Text)  # cleaned, original script
    text: Mapped[str] = mapped_column(Text)  # cleaned body, simplified — what every stage analyses
    char_count: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[list[int]] = mapped_column(JSON)  # winnowed shingle hashes for near-duplicates
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Section.ordinal"
    )


class Section(Base):
    """One node of a document's outline (一、 / （一） / 一是 …) with its role."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)  # pre-order position in the document
    level: Mapped[int] = mapped_column(Integer)
    marker: Mapped[str] = mapped_column(Text)
    heading: Mapped[str] = mapped_column(Text)
    heading_path: Mapped[str] = mapped_column(Text)  # ancestors' headings and its own, joined by " / "
    role: Mapped[str] = mapped_column(String(16), index=True)

    document: Mapped[Document] = relationship(back_populates="sections")
    passages: Mapped[list[Passage]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Passage.ordinal"
    )


class Passage(Base):
    """A paragraph-sized unit of text with its section and role — the retriever's unit."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)  # position in the document
    role: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)

    section: Mapped[Section] = relationship(back_populates="passages")


class Phrase(Base):
    """One phrase-bank entry (a stock formulation, 排比 run, idiom, formula, heading pattern …)."""

    __tablename__ = "phrases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    rank: Mapped[int] = mapped_column(Integer, index=True)  # position within its kind, best first
    text: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(Text)  # with slots such as {地名}
    frequency: Mapped[int] = mapped_column(Integer)
    doc_frequency: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)

    roles: Mapped[list[PhraseRole]] = relationship(
        back_populates="phrase", cascade="all, delete-orphan", order_by="desc(PhraseRole.count)"
    )
    occurrences: Mapped[list[PhraseOccurrence]] = relationship(
        back_populates="phrase", cascade="all, delete-orphan", order_by="PhraseOccurrence.id"
    )


class PhraseRole(Base):
    """How often a phrase occurs in sections of one role — what the phrase browser filters on."""

    __tablename__ = "phrase_roles"

    phrase_id: Mapped[int] = mapped_column(ForeignKey("phrases.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)

    phrase: Mapped[Phrase] = relationship(back_populates="roles")


class PhraseOccurrence(Base):
    """Where a phrase was seen (document, section, passage, offset) — the source of KWIC examples."""

    __tablename__ = "phrase_occurrences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phrase_id: Mapped[int] = mapped_column(ForeignKey("phrases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"), index=True)
    offset: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)

    phrase: Mapped[Phrase] = relationship(back_populates="occurrences")


class Generation(Base):
    """A counter per kind of derived state (``bank``: the phrase bank), raised in the transaction that replaces
    it: readers learn whether their cached copy is current from one primary-key lookup, not a count of its rows."""

    __tablename__ = "generations"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
