"""A generated corpus of small speeches, and checks on what the database holds, for the storage tests."""

from __future__ import annotations

import functools
import random
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.pipeline import prepare
from app.ingest.read.formats import ReadLimits, read_path
from app.models import Document, Passage, Section
from tests.conftest import SEEDS

NUMERALS = "一二三四五六七八九十"


def _sentence_pool() -> list[str]:
    """Real sentences from the bundled corpus, to build documents the pipeline accepts as speeches."""
    pool: set[str] = set()
    for path in SEEDS:
        for part in path.read_text(encoding="utf-8").replace("\n", "").split("。"):
            part = part.strip()
            if 12 <= len(part) <= 80 and not part[0].isdigit() and part[0] not in NUMERALS:
                pool.add(part + "。")
    return sorted(pool)


def make_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` distinct small speeches: a title, a greeting and three numbered parts of sampled sentences."""
    rng = random.Random(20240601)
    pool = _sentence_pool()
    folder.mkdir()
    paths = []
    for number in range(count):
        parts = []
        for index in range(3):
            body = "".join(rng.sample(pool, 3))
            parts.append(f"{NUMERALS[index]}、第{number}号文稿第{index + 1}部分\n{body}")
        text = f"在第{number}次全市工作会议上的讲话\n同志们：\n{''.join(rng.sample(pool, 2))}\n" + "\n".join(parts)
        path = folder / f"{number:04d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def document_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


@functools.cache
def expected_shape(source: str) -> tuple[int, int]:
    """(sections, passages) a fresh parse of the file gives."""
    prepared = prepare(read_path(Path(source), ReadLimits()))
    return len(prepared.sections), len(prepared.passages)


def assert_consistent(factory: sessionmaker[Session]) -> int:
    """Every stored document has exactly the sections and passages a fresh parse of its file gives."""
    with factory() as session:
        documents = session.execute(select(Document.id, Document.source)).all()
        for document_id, source in documents:
            n_sections, n_passages = expected_shape(source)
            sections = session.scalars(
                select(Section.ordinal).where(Section.document_id == document_id).order_by(Section.ordinal)
            ).all()
            passages = session.execute(
                select(Passage.ordinal, Section.document_id)
                .join(Section, Section.id == Passage.section_id)
                .where(Passage.document_id == document_id)
                .order_by(Passage.ordinal)
            ).all()
            assert list(sections) == list(range(n_sections)), source
            assert [p.ordinal for p in passages] == list(range(n_passages)), source
            assert all(p.document_id == document_id for p in passages), source  # no cross-linked passages
        known = select(Document.id)
        assert not session.scalar(select(func.count()).select_from(Section).where(Section.document_id.not_in(known)))
        assert not session.scalar(select(func.count()).select_from(Passage).where(Passage.document_id.not_in(known)))
    return len(documents)
