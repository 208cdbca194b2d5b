"""Pydantic schemas for every request and response body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, unauthorized, zip_bomb.")
    message: str = Field(description="中文 / English, for people.")


class ErrorResponse(BaseModel):
    """The one shape of every 4xx and 5xx response."""

    error: ErrorDetail


_ERROR_DESCRIPTIONS = {
    400: "Malformed request body.",
    401: "Missing or wrong bearer token (sent with WWW-Authenticate: Bearer).",
    403: "Writes over HTTP are disabled: no BIGAN_API_TOKEN is configured.",
    404: "No such resource.",
    413: "Upload larger than the configured limits (bytes, unpacked size, PDF pages).",
    415: "Not a supported document type (txt, md, html, docx, pdf, doc, wps, odt, rtf), judged by content.",
    422: "Invalid parameters, or a file that cannot be ingested.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries in the error shape: ``responses=error_responses(401, 404)``."""
    return {status: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[status]} for status in statuses}


class CorpusCountsOut(BaseModel):
    documents: int = Field(description="All stored documents, duplicates included.")
    canonical: int = Field(description="Documents that feed the phrase bank (no duplicate copies).")
    speeches: int
    reports: int
    sections: int
    passages: int


class HealthOut(BaseModel):
    status: str
    version: str
    database: str = Field(description="Database dialect: sqlite or postgresql.")
    counts: CorpusCountsOut


class DocumentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str | None
    kind: str
    script: str
    date: str | None
    place: str | None
    speaker: str | None
    in_domain: bool
    source: str
    char_count: int
    duplicate_of_id: int | None
    created_at: datetime = Field(description="When it was stored (UTC, with offset).")

    @field_validator("created_at")
    @classmethod
    def _as_utc(cls, value: datetime) -> datetime:
        # Stored as UTC; SQLite hands it back without an offset, which is not an RFC 3339 date-time.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class SectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ordinal: int
    level: int
    marker: str
    heading: str
    heading_path: str
    role: str


class DocumentDetail(DocumentSummary):
    speaker_post: str | None
    fmt: str
    encoding: str | None
    display_text: str = Field(description="Cleaned text in the original script.")
    text: str = Field(description="Cleaned body in simplified characters, as analysed.")
    sections: list[SectionOut]


class DocumentList(BaseModel):
    total: int
    items: list[DocumentSummary]


class PhraseRoleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role: str
    count: int


class PhraseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(
        description="skeleton, heading, formulation, parallel, idiom, formula, opener, transition, closer"
    )
    rank: int = Field(description="Position within its kind, best first.")
    text: str
    template: str = Field(description="The entry with slots such as {地名} {年份}.")
    roles: list[PhraseRoleOut]
    frequency: int
    doc_frequency: int
    score: float
    extra: dict[str, Any]


class PhraseList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[PhraseOut]


class ExampleOut(BaseModel):
    left: str
    match: str
    right: str
    document_id: int
    document_title: str | None
    document_date: str | None
    heading_path: str


class DocumentRef(BaseModel):
    id: int
    title: str | None
    date: str | None


class PhraseDetail(PhraseOut):
    examples: list[ExampleOut] = Field(description="KWIC lines from the source documents.")
    sources: list[DocumentRef]


class SearchDocumentOut(BaseModel):
    id: int
    title: str | None
    date: str | None
    kind: str
    source: str


class SearchHitOut(BaseModel):
    passage_id: int
    text: str = Field(description="The passage (cleaned, simplified), as indexed.")
    spans: list[list[int]] = Field(
        description="[start, end) character offsets in text of the query terms it contains, merged when they touch."
    )
    highlighted: str = Field(description="text with each span in 【】.")
    highlighted_html: str = Field(description="text HTML-escaped, each span in <mark>…</mark>.")
    score: float = Field(description="Cosine similarity of the passage to the query (0–1).")
    role: str = Field(description="Role of the passage's section: tasks, safeguards, requirements …")
    heading_path: str
    document: SearchDocumentOut
    also_in: list[int] = Field(description="Other documents holding a near-duplicate copy of this passage.")


class SearchOut(BaseModel):
    query: str
    k: int
    total: int = Field(description="Number of hits returned (at most k).")
    reason: str | None = Field(description="Why there are no hits, when there are none.")
    index_version: str | None = Field(description="The index version that answered (None: no index yet).")
    hits: list[SearchHitOut]


class RefreshOut(BaseModel):
    """The phrase bank and passage index rebuilt after a write."""

    documents: int = Field(description="Canonical documents mined.")
    phrases: int = Field(description="Phrase-bank entries now.")
    phrases_by_kind: dict[str, int]
    passages: int = Field(description="Passages in the new index.")
    index_version: str


class UploadOut(BaseModel):
    status: Literal["added", "duplicate"] = Field(
        description="added (201): stored now; duplicate (200): the same text is already stored as document_id."
    )
    document_id: int
    filename: str = Field(description="The name stored as the document's source (folders and odd characters removed).")
    message: str
    supersedes: int | None = Field(
        default=None, description="A shorter (truncated) copy already stored, which this document now replaces."
    )
    refresh: RefreshOut | None = Field(default=None, description="Present when the corpus changed.")


class DocumentRemovedOut(BaseModel):
    document_id: int
    message: str
    refresh: RefreshOut
