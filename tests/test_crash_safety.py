"""Crash safety: ``bigan ingest`` killed with SIGKILL mid-run leaves only whole documents, and a rerun finishes.

Each document is stored in one transaction (row, sections, passages), so a kill at any instant leaves a
document either complete or absent. The test does not try to land the kill at a particular instant; it
kills a real ingest of many small files once some are in, then checks every stored document against a
fresh parse of its file.
"""

from __future__ import annotations

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
from app.ingest.read.formats import ReadLimits
from app.ingest.store import corpus_counts, ingest_path
from app.models import Document, Phrase
from tests.conftest import SEEDS
from tests.helpers.storage import assert_consistent, document_count, make_corpus

FILES = 80  # enough that a kill after the first 5 and again 10 later lands well before the end


def ingest_cli(folder: Path, log: Path) -> subprocess.Popen[bytes]:
    # The environment (BIGAN_DATA_DIR, DATABASE_URL) comes from the settings fixture.
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder)],
        cwd=REPO_ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


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
