"""The I/O edge of ingestion: read files, run the pure pipeline, store each document atomically."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import session_scope
from app.ingest.dedupe import find_near_duplicate
from app.ingest.errors import IngestError
from app.ingest.isolate import Parser, prepare_isolated
from app.ingest.pipeline import PreparedDocument, prepare
from app.ingest.read.formats import SUPPORTED_SUFFIXES, RawDoc, ReadLimits, check_file, load_file, read_bytes
from app.models import Document, Passage, Section

Status = Literal["added", "duplicate", "rejected"]


@dataclass(frozen=True)
class IngestOutcome:
    source: str
    status: Status
    document_id: int | None = None
    reason: str | None = None
    supersedes: int | None = None  # an earlier, shorter copy this document replaces in the bank
    code: str | None = None  # IngestError.code of a rejection (too_large, zip_bomb, …): the API maps it to a status
    fmt: str | None = None  # the format read when the file was parsed ("pdf-ocr": a scan read by OCR)
    removed_controls: int = 0  # control characters, non-characters, lone surrogates taken out of the text
    notes: tuple[str, ...] = ()  # what the reader found about the copy: truncated, repaired (PreparedDocument.notes)

    def describe(self) -> str:
        """The line ``bigan ingest`` prints: ``added #3``, ``duplicate of #1``, ``rejected: 原因 / reason (code)``.

        The code (``parse_timeout``, ``too_large`` …) is stable, so a script can tell rejections apart."""
        if self.status == "added":
            extra = f" (replaces truncated copy #{self.supersedes})" if self.supersedes else ""
            if self.removed_controls:
                extra += f" ({self.removed_controls} control characters removed)"
            return f"added #{self.document_id}{extra}" + "".join(f" ({note})" for note in self.notes)
        if self.status == "duplicate":
            return f"duplicate of #{self.document_id}"
        return f"rejected: {self.reason}" + (f" ({self.code})" if self.code else "")


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and supported files under folders (recursively, in name order).

    In a folder, Word's owner files (``~$讲话.doc``, a few bytes beside every document someone has open) are
    skipped: they are not documents, and an archive copied off a shared drive is full of them."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith("~$"):
                    yield child
        else:
            yield path


def ingest_path(
    factory: sessionmaker[Session],
    path: Path,
    limits: ReadLimits,
    parse: Parser | None = None,
    converted: bytes | None = None,
) -> IngestOutcome:
    """Ingest one file; bad input becomes a ``rejected`` outcome, never a half-written row.

    ``parse`` turns the file's bytes into a document: ``bigan ingest`` passes an ``IsolatedParser`` (a child
    process under a time limit); without one the parse runs in this process. ``converted`` is a legacy file
    (.doc …) already turned into .docx by a batch conversion (``app.ingest.bulk``): it is parsed instead of the
    file's bytes, which still identify the file (a second ingest of the same .doc is a duplicate at once).
    """
    source = str(path)
    if not path.is_file():
        return IngestOutcome(source, "rejected", reason="文件不存在 / no such file")
    try:
        data = load_file(path, limits)
    except IngestError as error:
        return IngestOutcome(source, "rejected", reason=error.reason, code=error.code)
    parsed = _parse_bytes(factory, data, path.name, source, limits, parse, converted)
    return store_parsed(factory, parsed) if isinstance(parsed, ParsedFile) else parsed


def is_stored(factory: sessionmaker[Session], data: bytes) -> bool:
    """Whether a file with exactly these bytes was ingested before (its conversion can be skipped)."""
    return _by_raw_sha(factory, hashlib.sha256(data).hexdigest()) is not None


@dataclass(frozen=True)
class ParsedFile:
    """A file checked and parsed, not stored yet: what ``store_parsed`` writes."""

    source: str
    raw_sha: str
    document: PreparedDocument


def ingest_upload(
    factory: sessionmaker[Session], data: bytes, filename: str, limits: ReadLimits, timeout: float | None = None
) -> IngestOutcome:
    """Ingest bytes received over HTTP, with the same checks as a file on disk (``parse_upload``, then
    ``store_parsed``). Nothing is written unless the whole document (row, sections, passages) is."""
    parsed = parse_upload(factory, data, filename, limits, timeout)
    return store_parsed(factory, parsed) if isinstance(parsed, ParsedFile) else parsed


def parse_upload(
    factory: sessionmaker[Session], data: bytes, filename: str, limits: ReadLimits, timeout: float | None = None
) -> ParsedFile | IngestOutcome:
    """Everything an upload needs before the database is written: the checks, the duplicate lookup and the parse.

    An ``IngestOutcome`` when that settles it (rejected, or the same bytes are stored already). The HTTP routes
    call this outside their write lock, so a slow parse never holds up other writes. ``filename`` is whatever the
    client sent: only its last path component, cleaned, is used and stored. With ``timeout`` the parse runs in a
    child process that is killed after that many seconds.
    """
    name = safe_filename(filename)
    parse = None if timeout is None else partial(prepare_isolated, timeout=timeout)
    return _parse_bytes(factory, data, name, name, limits, parse)


def store_parsed(factory: sessionmaker[Session], parsed: ParsedFile) -> IngestOutcome:
    """Store a parsed file in one transaction, unless its text is stored already (checked again here: another
    writer may have stored it since the parse began)."""
    return _store(factory, parsed.document, parsed.raw_sha, parsed.source)


def _parse_bytes(
    factory: sessionmaker[Session],
    data: bytes,
    name: str,
    source: str,
    limits: ReadLimits,
    parse: Parser | None,
    converted: bytes | None = None,
) -> ParsedFile | IngestOutcome:
    """The one path from bytes to a parsed document for files and uploads alike: ``name`` picks the reader,
    ``source`` is what is stored and shown. Without ``parse`` the parse runs in this process.

    The suffix, size and container signature are checked before the duplicate lookup (``check_file``): a
    refusal does not depend on what is stored."""
    try:
        check_file(data, name, limits)
        raw_sha = hashlib.sha256(data).hexdigest()
        existing = _by_raw_sha(factory, raw_sha)
        if existing is not None:
            return IngestOutcome(source, "duplicate", existing)
        content = data if converted is None else converted
        prepared = prepare(read_bytes(content, name, limits)) if parse is None else parse(content, name, limits)
        return ParsedFile(source, raw_sha, prepared)
    except IngestError as error:
        return IngestOutcome(source, "rejected", reason=error.reason, code=error.code)


_MAX_NAME_CHARS = 200
# Unicode categories dropped from names: controls (NUL, newlines), format characters (bidi overrides
# such as U+202E that make "gpj.txt" display as "txt.jpg", zero-width joiners), surrogates (invalid
# in UTF-8, rejected by PostgreSQL), private use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def safe_filename(filename: str | None) -> str:
    """The name to keep for an upload: last path component, NFC, no control/format characters, ≤ 200 chars.

    ``safe_filename("../../etc/讲话.txt")`` → ``"讲话.txt"``; Windows paths lose their folders the same way;
    an empty result becomes ``"upload"`` (then rejected for having no extension). The name is only ever
    stored and shown, never used as a path, but a clean one keeps logs, listings and suffix checks honest.
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip().lstrip(".").strip()  # no hidden files, no "..", no padding
    if len(name) > _MAX_NAME_CHARS:
        suffix = Path(name).suffix[:16]
        name = name[: _MAX_NAME_CHARS - len(suffix)] + suffix
    return name or "upload"


def _by_raw_sha(factory: sessionmaker[Session], raw_sha: str) -> int | None:
    with factory() as session:
        return session.scalar(select(Document.id).where(Document.raw_sha256 == raw_sha).limit(1))


def _store(factory: sessionmaker[Session], doc: PreparedDocument, raw_sha: str, source: str) -> IngestOutcome:
    try:
        with session_scope(factory) as session:
            same = session.scalar(select(Document.id).where(Document.sha256 == doc.sha256))
            if same is not None:
                return IngestOutcome(source, "duplicate", same, fmt=doc.raw.fmt)
            candidates = session.execute(
                select(Document.id, Document.fingerprint, Document.char_count).where(Document.duplicate_of_id.is_(None))
            ).all()
            near = find_near_duplicate(doc.fingerprint, len(doc.text), ((r[0], r[1], r[2]) for r in candidates))
            if near is not None and near.other_is_longer:
                return IngestOutcome(source, "duplicate", near.document_id, fmt=doc.raw.fmt)
            row = _document_row(doc, raw_sha, source)
            session.add(row)
            session.flush()
            _add_outline(session, row.id, doc)
            if near is not None:
                # The stored copy was a shorter (truncated) version: keep it for reference but
                # point it at this fuller one so the two never both feed the phrase bank.
                session.get_one(Document, near.document_id).duplicate_of_id = row.id
                session.execute(
                    Document.__table__.update()
                    .where(Document.duplicate_of_id == near.document_id)
                    .values(duplicate_of_id=row.id)
                )
            return IngestOutcome(
                source,
                "added",
                row.id,
                supersedes=near.document_id if near else None,
                fmt=doc.raw.fmt,
                removed_controls=doc.raw.removed_controls,
                notes=doc.notes(),
            )
    except IntegrityError:
        # Another process stored the same text between our check and our insert.
        with factory() as session:
            same = session.scalar(select(Document.id).where(Document.sha256 == doc.sha256))
        if same is None:
            raise
        return IngestOutcome(source, "duplicate", same, fmt=doc.raw.fmt)


def _document_row(doc: PreparedDocument, raw_sha: str, source: str) -> Document:
    meta = doc.metadata
    return Document(
        sha256=doc.sha256,
        raw_sha256=raw_sha,
        source=source,
        fmt=doc.raw.fmt,
        encoding=doc.raw.encoding,
        title=meta.title,
        kind=meta.kind,
        script=meta.script,
        date=meta.date,
        place=meta.place,
        speaker=meta.speaker,
        speaker_post=meta.speaker_post,
        in_domain=meta.in_domain,
        truncated=doc.truncated,
        original_text=doc.raw.text,
        display_text=doc.display_text,
        text=doc.text,
        char_count=len(doc.text),
        fingerprint=doc.fingerprint,
    )


def _add_outline(session: Session, document_id: int, doc: PreparedDocument) -> None:
    section_rows = [
        Section(
            document_id=document_id,
            ordinal=s.ordinal,
            level=s.level,
            marker=s.marker,
            heading=s.heading,
            heading_path=s.heading_path,
            role=s.role,
        )
        for s in doc.sections
    ]
    session.add_all(section_rows)
    session.flush()
    session.add_all(
        Passage(
            document_id=document_id,
            section_id=section_rows[p.section_ordinal].id,
            ordinal=p.ordinal,
            role=p.role,
            text=p.text,
        )
        for p in doc.passages
    )


def remove_document(factory: sessionmaker[Session], document_id: int) -> bool:
    """Delete a document with its sections and passages; copies that pointed at it become canonical."""
    with session_scope(factory) as session:
        row = session.get(Document, document_id)
        if row is None:
            return False
        session.delete(row)
        return True


def list_documents(session: Session, limit: int = 100, offset: int = 0) -> list[Document]:
    return list(session.scalars(select(Document).order_by(Document.id).limit(limit).offset(offset)))


def get_document(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


@dataclass(frozen=True)
class CorpusCounts:
    documents: int
    canonical: int
    speeches: int
    reports: int
    sections: int
    passages: int


def corpus_counts(session: Session) -> CorpusCounts:
    """How much the database holds — for ``/healthz`` and ``make run``'s "is it empty?" check."""
    by_kind = dict(
        session.execute(
            select(Document.kind, func.count()).where(Document.duplicate_of_id.is_(None)).group_by(Document.kind)
        ).all()
    )
    return CorpusCounts(
        documents=session.scalar(select(func.count()).select_from(Document)) or 0,
        canonical=sum(by_kind.values()),
        speeches=by_kind.get("speech", 0),
        reports=by_kind.get("report", 0),
        sections=session.scalar(select(func.count()).select_from(Section)) or 0,
        passages=session.scalar(select(func.count()).select_from(Passage)) or 0,
    )


def read_limits(settings: Settings) -> ReadLimits:
    """ReadLimits from Settings (kept here so readers stay independent of configuration)."""
    return ReadLimits(
        max_bytes=settings.max_file_bytes,
        max_unzipped_bytes=settings.max_unzipped_bytes,
        max_zip_entries=settings.max_zip_entries,
        max_pdf_pages=settings.max_pdf_pages,
        ocr=settings.ocr,
        ocr_languages=settings.ocr_languages,
        ocr_page_seconds=settings.max_ocr_page_seconds,
    )


__all__ = [
    "CorpusCounts",
    "IngestOutcome",
    "ParsedFile",
    "RawDoc",
    "corpus_counts",
    "get_document",
    "ingest_path",
    "ingest_upload",
    "is_stored",
    "iter_input_files",
    "list_documents",
    "parse_upload",
    "read_limits",
    "remove_document",
    "safe_filename",
    "store_parsed",
]
