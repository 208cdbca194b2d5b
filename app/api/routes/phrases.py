"""The phrase bank over HTTP: browse entries by kind, role and text; one entry with its examples; rebuild."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select

from app.api.deps import READ_GUARD, SessionDep, WriteAccess
from app.api.errors import ApiError
from app.api.refresh import exclusive_write, refresh_derived
from app.api.schemas import DocumentRef, ExampleOut, PhraseDetail, PhraseList, PhraseOut, RefreshOut, error_responses
from app.models import Document, Phrase, PhraseOccurrence
from app.phrasebank.ranking import DEFAULT_SORT, SORT_HELP, PhraseSort
from app.phrasebank.store import phrase_examples, query_phrases

router = APIRouter(prefix="/phrases", tags=["phrases"], dependencies=[READ_GUARD], responses=error_responses(401, 422))

# No NUL: PostgreSQL text cannot hold it, so a filter containing one would fail in the database (500).
_NO_NUL = r"^[^\x00]*$"

Kind = Literal["skeleton", "heading", "formulation", "parallel", "idiom", "formula", "opener", "transition", "closer"]


@router.get("", response_model=PhraseList)
def phrases_index(
    session: SessionDep,
    kind: Annotated[Kind | None, Query(description="Entry kind.")] = None,
    role: Annotated[str | None, Query(max_length=16, pattern=_NO_NUL, description="Section role, e.g. tasks.")] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=_NO_NUL, description="Text the entry contains.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    sort: Annotated[PhraseSort, Query(description=f"Order of the entries. {SORT_HELP}")] = DEFAULT_SORT,
) -> PhraseList:
    """List phrase-bank entries filtered by kind, role and text, the most worth reusing first.

    By default (``sort=useful``) entries used across many documents come first, stock formulations, 排比 and
    formulas before idioms and single openers/closers/transitions, and entries seen in only one document after
    every multi-document one; with a ``role`` and no ``kind``, skeletons are left out. ``sort=frequency`` orders
    by documents then occurrences; ``sort=kind`` is the previous order (kind, then the miner's rank). Every
    order is total, so paging with ``limit``/``offset`` never shows an entry twice.
    """
    clean_q = q.strip() if q else None
    page = query_phrases(session, kind=kind, role=role, q=clean_q, limit=limit, offset=offset, sort=sort)
    return PhraseList(
        total=page.total, limit=limit, offset=offset, items=[PhraseOut.model_validate(p) for p in page.items]
    )


@router.get("/{phrase_id}", response_model=PhraseDetail, responses=error_responses(404))
def phrase_detail(session: SessionDep, phrase_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> PhraseDetail:
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


@router.post("/rebuild", response_model=RefreshOut, responses=error_responses(403))
def rebuild_phrases(_: WriteAccess, request: Request) -> RefreshOut:
    """Re-mine the phrase bank from every stored document and rebuild the passage index."""
    with exclusive_write():
        return refresh_derived(request.app, full=True)
