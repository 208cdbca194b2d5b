"""The committed snapshot phrasebank/bank.jsonl is what mining the bundled corpus gives today."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from app.config import REPO_ROOT
from app.ingest.read.formats import ReadLimits
from app.ingest.store import ingest_path
from app.phrasebank.service import SNAPSHOT_NAME, rebuild_bank, snapshot_lines
from tests.conftest import SEEDS


def test_committed_snapshot_matches_the_bundled_corpus(session_factory: sessionmaker[Session]) -> None:
    for path in SEEDS:
        ingest_path(session_factory, path, ReadLimits())
    rebuild_bank(session_factory)
    with session_factory() as session:
        lines = snapshot_lines(session)
    committed = (REPO_ROOT / "phrasebank" / SNAPSHOT_NAME).read_text(encoding="utf-8").splitlines()
    assert lines == committed, "phrasebank/bank.jsonl is stale: run `make phrasebank` and review the diff"
