"""Read access to the corpus (writes over HTTP arrive with the reliability issue's token checks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from app.api.deps import SessionDep
from app.api.errors import ApiError
from app.api.schemas import DocumentDetail, DocumentList, DocumentSummary, ErrorResponse
from app.ingest.store import get_document, list_documents
from app.models import Document

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=DocumentList)
def documents_index(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentList:
    """List stored documents with their metadata."""
    total = session.scalar(select(func.count()).select_from(Document)) or 0
    rows = list_documents(session, limit=limit, offset=offset)
    return DocumentList(total=total, items=[DocumentSummary.model_validate(r) for r in rows])


@router.get("/{document_id}", response_model=DocumentDetail, responses={404: {"model": ErrorResponse}})
def document_detail(session: SessionDep, document_id: Annotated[int, Path(ge=1)]) -> DocumentDetail:
    """Show one document: metadata, cleaned text and outline sections."""
    row = get_document(session, document_id)
    if row is None:
        raise ApiError(404, "document_not_found", f"文档 #{document_id} 不存在 / document #{document_id} not found")
    return DocumentDetail.model_validate(row)
