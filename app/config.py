"""Settings, read from the environment (``BIGAN_*``, ``DATABASE_URL``) — never at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable; build one with ``Settings()`` and pass it down explicitly."""

    model_config = SettingsConfigDict(env_prefix="BIGAN_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("./var"), description="Where the SQLite file and indexes live.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "BIGAN_DATABASE_URL"),
        description="SQLAlchemy URL; defaults to a SQLite file in the data dir.",
    )
    api_token: str | None = Field(default=None, description="Bearer token that HTTP writes require.")
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1, description="Largest file ingestion accepts.")
    max_unzipped_bytes: int = Field(default=200 * 1024 * 1024, ge=1, description="docx zip-bomb guard.")
    max_zip_entries: int = Field(default=2000, ge=1, description="docx zip-bomb guard: entry count.")
    max_pdf_pages: int = Field(default=500, ge=1, description="Longest PDF ingestion reads.")
    corpus_dir: Path = Field(default=REPO_ROOT / "corpus", description="The bundled default corpus.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bigan.sqlite3').resolve()}"

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
