"""Pydantic schemas for every request and response body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


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
    created_at: datetime


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
