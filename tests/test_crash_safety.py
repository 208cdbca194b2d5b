"""Crash safety: ``bigan ingest`` killed with SIGKILL mid-run leaves only whole documents, and a rerun finishes.

Each document is stored in one transaction (row, sections, passages), so a kill at any instant leaves a
document either complete or absent. The test does not try to land the kill at a particular instant; it
kills a real ingest of many small files once some are in, then checks every stored document against a
fresh parse of its file.
"""

from __future__ import annotations

import functools
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import app.ingest.store as store
from app.config import REPO_ROOT, Settings
from app.ingest.pipeline import prepare
from app.ingest.read.formats import ReadLimits, read_path
from app.ingest.store import corpus_counts, ingest_path
from app.models import Document, Passage, Phrase, Section
from tests.conftest import SEEDS

FILES = 80  # enough that a kill after the first 5 and again 10 later lands well before the end
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


def ingest_cli(folder: Path, log: Path) -> subprocess.Popen[bytes]:
    # The environment (BIGAN_DATA_DIR, DATABASE_URL) comes from the settings fixture.
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder)],
        cwd=REPO_ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def document_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def kill_once_more_are_stored(process: subprocess.Popen[bytes], factory: sessionmaker[Session], more: int) -> int:
    """SIGKILL the ingest as soon as ``more`` documents beyond the current count are stored."""
    target = document_count(factory) + more
    deadline = time.monotonic() + 120
    while document_count(factory) < target:
        assert process.poll() is None, "ingest ended before it could be killed; raise FILES"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    return document_count(factory)


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


def test_ingest_killed_twice_leaves_whole_documents_and_a_rerun_completes(
    migrated: Settings, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    paths = make_corpus(tmp_path / "inbox", FILES)
    log = tmp_path / "ingest.log"

    first = kill_once_more_are_stored(ingest_cli(tmp_path / "inbox", log), session_factory, 5)
    assert 5 <= first < FILES
    assert assert_consistent(session_factory) == first

    second = kill_once_more_are_stored(ingest_cli(tmp_path / "inbox", log), session_factory, 10)
    assert first + 10 <= second < FILES
    assert assert_consistent(session_factory) == second

    finished = ingest_cli(tmp_path / "inbox", log)
    assert finished.wait(timeout=300) == 0, log.read_text(encoding="utf-8")
    lines = log.read_text(encoding="utf-8").splitlines()
    outcomes = [line for line in lines if line.startswith(str(tmp_path))]
    assert len(outcomes) == FILES and not any(": rejected" in line for line in outcomes)
    # Files stored before a kill are recognised by their bytes and not stored twice.
    assert sum(": duplicate of #" in line for line in outcomes) >= second
    stored = assert_consistent(session_factory)
    with session_factory() as session:
        assert stored == corpus_counts(session).documents
        sources = set(session.scalars(select(Document.source)))
        assert session.scalar(select(func.count()).select_from(Phrase))  # the bank was rebuilt at the end
    # Every file is either stored or a (near-)duplicate of one that is.
    assert len(sources) == stored and sources <= {str(p) for p in paths}
    assert any(line.startswith("passage index rebuilt") for line in lines)


def test_a_failure_while_writing_the_outline_stores_nothing(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-process half of the guarantee: an error after the row and some sections were flushed."""
    real = store._add_outline

    def add_then_fail(session: Session, document_id: int, doc: object) -> None:
        real(session, document_id, doc)  # type: ignore[arg-type]
        session.flush()
        raise OSError("disk full")

    monkeypatch.setattr(store, "_add_outline", add_then_fail)
    with pytest.raises(OSError, match="disk full"):
        ingest_path(session_factory, SEEDS[3], ReadLimits())
    with session_factory() as session:
        counts = corpus_counts(session)
    assert (counts.documents, counts.sections, counts.passages) == (0, 0, 0)
    monkeypatch.undo()
    assert ingest_path(session_factory, SEEDS[3], ReadLimits()).status == "added"
