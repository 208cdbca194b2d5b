"""Schema and storage basics: Alembic is the only path to the schema, and it matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.config import Settings
from app.db import make_engine
from app.migrate import alembic_config, current_revision, upgrade
from app.models import Base


def _head(settings: Settings) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def test_upgrade_head_yields_exactly_the_models_schema(migrated: Settings) -> None:
    engine = make_engine(migrated)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_creates_all_tables_and_records_revision(migrated: Settings) -> None:
    engine = make_engine(migrated)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"documents", "sections", "passages", "phrases", "phrase_occurrences", "alembic_version"} <= tables
    assert current_revision(migrated) == _head(migrated)


def test_empty_database_has_no_revision(settings: Settings) -> None:
    assert current_revision(settings) is None


def test_upgrade_is_idempotent(migrated: Settings) -> None:
    upgrade(migrated)
    assert current_revision(migrated) == _head(migrated)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(migrated: Settings) -> None:
    if not migrated.resolved_database_url.startswith("sqlite"):
        return
    engine = make_engine(migrated)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "d", database_url=None)
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'd' / 'bigan.sqlite3').resolve()}"
