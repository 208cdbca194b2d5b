"""Pydantic schemas for every request and response body."""

from __future__ import annotations

from datetime import datetime

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
