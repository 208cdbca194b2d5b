"""Shared fixtures: every test gets fresh settings on a temp data dir and a migrated database.

The ``database_url`` fixture is parametrised over SQLite and, when ``BIGAN_TEST_POSTGRES_URL`` is set
(``.ci/run`` does that under CI=true), a real PostgreSQL server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.config import REPO_ROOT, Settings
from app.db import make_engine, make_session_factory
from app.main import create_app
from app.migrate import upgrade

SHARED_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
SEEDS = sorted((REPO_ROOT / "corpus").glob("*.txt"))
POSTGRES_URL = os.environ.get("BIGAN_TEST_POSTGRES_URL")

_BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
]


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bigan.sqlite3'}"
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but BIGAN_TEST_POSTGRES_URL is not set: .ci/run should have started PostgreSQL")
        pytest.skip("PostgreSQL not available: set BIGAN_TEST_POSTGRES_URL (CI=true .ci/run does)")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def settings(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The CLI reads Settings() from the environment, so tests set the same variables users do.
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BIGAN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BIGAN_API_TOKEN", raising=False)
    return Settings(data_dir=data_dir, database_url=database_url)


@pytest.fixture
def migrated(settings: Settings) -> Settings:
    upgrade(settings)
    return settings


@pytest.fixture
def session_factory(migrated: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(migrated)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def client(migrated: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(migrated)) as test_client:
        yield test_client


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"{SHARED_CORPUS} not present: gold measurements need ../shared/corpus")
    return SHARED_CORPUS
