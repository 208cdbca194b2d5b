"""The phrase bank over HTTP: browse entries by kind, role and text; one entry with its examples."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from app.api.deps import SessionDep
from app.api.errors import ApiError
from app.api.schemas import DocumentRef, ErrorResponse, ExampleOut, PhraseDetail, PhraseList, PhraseOut
from app.models import Document, Phrase, PhraseOccurrence
from app.phrasebank.store import phrase_examples, query_phrases

router = APIRouter(prefix="/phrases", tags=["phrases"])

Kind = Literal["skeleton", "heading", "formulation", "parallel", "idiom", "formula", "opener", "transition", "closer"]


@router.get("", response_model=PhraseList)
def phrases_index(
    session: SessionDep,
    kind: Annotated[Kind | None, Query(description="Entry kind.")] = None,
    role: Annotated[str | None, Query(max_length=16, description="Section role, e.g. tasks.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text the entry contains.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PhraseList:
    """List phrase-bank entries, best first, filtered by kind, role and text."""
    page = query_phrases(session, kind=kind, role=role, q=q.strip() if q else None, limit=limit, offset=offset)
    return PhraseList(
        total=page.total, limit=limit, offset=offset, items=[PhraseOut.model_validate(p) for p in page.items]
    )


@router.get("/{phrase_id}", response_model=PhraseDetail, responses={404: {"model": ErrorResponse}})
def phrase_detail(session: SessionDep, phrase_id: Annotated[int, Path(ge=1)]) -> PhraseDetail:
    """Show one entry with KWIC examples and its source documents."""
    phrase = session.get(Phrase, phrase_id)
    if phrase is None:
        raise ApiError(404, "phrase_not_found", f"词条 #{phrase_id} 不存在 / phrase #{phrase_id} not found")
    sources = session.execute(
        select(Document.id, Document.title, Document.date)
        .where(Document.id.in_(select(PhraseOccurrence.document_id).where(PhraseOccurrence.phrase_id == phrase.id)))
        .order_by(Document.id)
    ).all()
    base = PhraseOut.model_validate(phrase).model_dump()
    return PhraseDetail(
        **base,
        examples=[ExampleOut(**example.__dict__) for example in phrase_examples(session, phrase)],
        sources=[DocumentRef(id=s.id, title=s.title, date=s.date) for s in sources],
    )
