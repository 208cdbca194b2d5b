"""Run Alembic migrations from code (``bigan db upgrade``, ``make run``, tests)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from app.config import REPO_ROOT, Settings


def alembic_config(settings: Settings) -> Config:
    """An Alembic config pointing at the repository's migrations and the configured database."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    # ConfigParser treats % as interpolation; a password with % must be escaped.
    config.set_main_option("sqlalchemy.url", settings.resolved_database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (creating the SQLite file if needed)."""
    if settings.resolved_database_url.startswith("sqlite"):
        settings.ensure_data_dir()
    command.upgrade(alembic_config(settings), revision)


def current_revision(settings: Settings) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    from app.db import make_engine

    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
