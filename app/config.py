"""Settings, read from the environment (``BIGAN_*``, ``DATABASE_URL``) — never at import time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.*-]+(:[0-9]{1,5})?")


def _split_commas(value: object) -> object:
    # BIGAN_CORS_ORIGINS=https://a.example,https://b.example — the form people write in env files.
    if isinstance(value, str):
        return [origin.strip() for origin in value.split(",") if origin.strip()]
    return value


class Settings(BaseSettings):
    """Everything configurable; build one with ``Settings()`` and pass it down explicitly."""

    model_config = SettingsConfigDict(env_prefix="BIGAN_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("./var"), description="Where the SQLite file and indexes live.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "BIGAN_DATABASE_URL"),
        description="SQLAlchemy URL; defaults to a SQLite file in the data dir.",
    )
    api_token: str | None = Field(
        default=None, description="Bearer token that HTTP writes require; unset means HTTP writes are refused."
    )
    read_token: str | None = Field(
        default=None, description="Bearer token that HTTP reads require (the write token works too); unset: open."
    )
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1, description="Largest file ingestion accepts.")
    max_unzipped_bytes: int = Field(default=200 * 1024 * 1024, ge=1, description="docx zip-bomb guard.")
    max_zip_entries: int = Field(default=2000, ge=1, description="docx zip-bomb guard: entry count.")
    max_pdf_pages: int = Field(default=500, ge=1, description="Longest PDF ingestion reads.")
    max_ingest_seconds: float = Field(
        default=60.0, gt=0, description="Time limit for parsing one uploaded file; slower parses are stopped."
    )
    ocr: bool = Field(
        default=True, description="Read scanned PDF pages by OCR when Tesseract is installed (bigan ingest --no-ocr)."
    )
    ocr_languages: str = Field(
        default="chi_sim",
        pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$",
        description="Tesseract language data for OCR, '+'-joined: chi_sim, or chi_sim+chi_tra for 繁体 scans.",
    )
    max_ocr_page_seconds: float = Field(
        default=30.0, gt=0, description="Time added to a file's parse limit for each scanned page it OCRs."
    )
    corpus_dir: Path = Field(default=REPO_ROOT / "corpus", description="The bundled default corpus.")
    templates_dir: Path | None = Field(
        default=None, description="A folder of user draft templates (drafts/*.j2) that override the built-ins."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (office add-ins), comma-separated.",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body outside uploads (JSON, forms); uploads are capped by max_file_bytes.",
    )
    auth_max_failures: int = Field(
        default=10, ge=1, description="Wrong tokens one client may send per window before it gets 429."
    )
    auth_window_seconds: float = Field(default=60.0, gt=0, description="The window wrong tokens are counted over.")
    session_seconds: int = Field(
        default=12 * 60 * 60, ge=60, description="How long a web login (the read-token cookie) lasts."
    )
    session_secret: str | None = Field(
        default=None,
        description="Key that signs web login cookies; unset: a random key per process (logins end on restart).",
    )
    proxy_headers: bool = Field(
        default=False,
        description="Behind a reverse proxy: take the client address and scheme from X-Forwarded-For/-Proto.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies whose X-Forwarded-* headers are believed (comma-separated IPs or networks, or *).",
    )
    frame_ancestors: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to show the web pages in a frame (office add-in task panes); none by default.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _frame_sources(cls, value: object) -> object:
        # BIGAN_FRAME_ANCESTORS=self,https://addin.example: each entry goes into a CSP header verbatim, so
        # only plain origins (and 'self') pass — a ';' or a space could smuggle in another directive.
        entries = _split_commas(value)
        if not isinstance(entries, list):
            return entries
        sources = []
        for entry in entries:
            source = "'self'" if str(entry).strip("'") == "self" else str(entry)
            if source != "'self'" and not _ORIGIN.fullmatch(source):
                raise ValueError(f"not an origin (scheme://host[:port]) or self: {entry!r}")
            sources.append(source)
        return sources

    @field_validator("api_token", "read_token", "session_secret")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        # BIGAN_API_TOKEN= (empty) in an env file must not turn into a token that an empty header matches.
        if value is None:
            return None
        return value.strip() or None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bigan.sqlite3').resolve()}"

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
