"""Passage search over HTTP: what past documents said on a topic, filtered by section role, kind and date."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from app.api.deps import READ_GUARD
from app.api.errors import ApiError
from app.api.schemas import SearchHitOut, SearchOut, error_responses
from app.retrieve.persist import IndexHolder
from app.retrieve.query import MAX_K, QueryError, SearchFilters, check_query
from app.text.dates import DatePrefix

router = APIRouter(prefix="/search", tags=["search"], dependencies=[READ_GUARD], responses=error_responses(401, 422))

Kind = Literal["speech", "report", "other"]


def get_index_holder(request: Request) -> IndexHolder:
    return request.app.state.index_holder


IndexHolderDep = Annotated[IndexHolder, Depends(get_index_holder)]


@router.get("", response_model=SearchOut)
def search(
    holder: IndexHolderDep,
    q: Annotated[str, Query(description="What to find, e.g. 志愿服务 or 组织领导 责任落实.")],
    role: Annotated[str | None, Query(max_length=16, description="Section role, e.g. tasks.")] = None,
    kind: Annotated[Kind | None, Query(description="Document kind.")] = None,
    k: Annotated[int, Query(ge=1, le=MAX_K, description="How many hits.")] = 10,
    in_domain: Annotated[bool, Query(description="Only documents about 精神文明建设 and 文明创建.")] = False,
    since: Annotated[DatePrefix | None, Query(description="From: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[DatePrefix | None, Query(description="Until: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    exclude_doc: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Leave out this document.")] = None,
) -> SearchOut:
    """Find passages of past documents for a query, best first, diversified, with matched terms marked."""
    filters = SearchFilters(
        role=role, kind=kind, in_domain=in_domain, since=since, until=until, exclude_doc=exclude_doc
    )
    version, index = holder.current()
    try:
        if index is None:
            check_query(q, k)
            filters.validate()
            return SearchOut(
                query=q.strip(),
                k=k,
                total=0,
                reason="索引尚未建立：还没有入库文档 / no index yet: no documents ingested",
                index_version=None,
                hits=[],
            )
        result = index.search(q, k=k, filters=filters)
    except QueryError as error:
        raise ApiError(422, error.code, error.message) from error
    hits = [SearchHitOut.model_validate(hit, from_attributes=True) for hit in result.hits]
    return SearchOut(query=q.strip(), k=k, total=len(hits), reason=result.reason, index_version=version, hits=hits)
