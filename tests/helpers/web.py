"""A database with the bundled corpus ingested, and the fields of the draft form, for the web and export tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.config import Settings
from app.db import make_engine, make_session_factory
from app.ingest.store import ingest_path, read_limits
from app.migrate import upgrade
from app.phrasebank.service import rebuild_bank
from app.retrieve.service import rebuild_index
from tests.conftest import SEEDS

MEETING = "全市精神文明建设工作推进会"
FORM = {"meeting": MEETING, "topics": "志愿服务，城中村治理", "parts": "3", "doc_type": "speech"}


def build_corpus(data_dir: Path, extra: Sequence[Path] = ()) -> Settings:
    """A SQLite database in ``data_dir`` with the bundled corpus ingested, the bank mined and the index built.

    Tokens are set explicitly (not read from the environment) so a developer's BIGAN_API_TOKEN cannot leak in.
    """
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bigan.sqlite3'}", api_token=None)
    settings.ensure_data_dir()
    upgrade(settings)
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    for path in [*SEEDS, *extra]:
        assert ingest_path(factory, path, read_limits(settings)).status == "added", path
    rebuild_bank(factory)
    rebuild_index(factory, settings, workers=1)
    engine.dispose()
    return settings
