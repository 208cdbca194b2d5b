"""POST /draft: a draft from the phrase bank and the retriever, as JSON, Markdown, text, HTML or docx.

``clean=true`` gives the clean export of a text or docx format (headings, drafted paragraphs, 【待补】 only:
no sources, alternatives, passages, minutes or notes); JSON is the draft itself and ignores it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response

from app.api.deps import READ_GUARD, SessionFactoryDep, SettingsDep
from app.api.errors import ApiError
from app.api.schemas import ErrorResponse, error_responses
from app.compose.model import Draft
from app.compose.output.docx import build_docx
from app.compose.output.render import MEDIA_TYPES, render_text
from app.compose.request import DraftRequest, OutputFormat
from app.compose.service import BankCache, DraftCache, compose
from app.retrieve.persist import IndexHolder

# A draft quotes the corpus, so it is a read: BIGAN_READ_TOKEN protects it like /search.
router = APIRouter(tags=["draft"], dependencies=[READ_GUARD], responses=error_responses(400, 401))

_ACCEPT = {
    "application/json": "json",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "text/html": "html",
    MEDIA_TYPES["docx"]: "docx",
}
_SUFFIX = {"markdown": "md", "text": "txt", "html": "html", "docx": "docx"}


def negotiate(fmt: str | None, accept: str | None) -> str:
    """``format`` wins; otherwise the first Accept media type we can produce (q-values in listed order); else JSON."""
    if fmt:
        return fmt
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in _ACCEPT:
            return _ACCEPT[media]
        if media in ("*/*", "application/*", ""):
            return "json"
    if accept and accept.strip():
        raise ApiError(
            406,
            "not_acceptable",
            "无法提供所请求的格式 / cannot produce the requested media type; "
            "use format=json|markdown|text|html|docx or one of: " + ", ".join(_ACCEPT),
        )
    return "json"


CLEAN_NAME = "（正文）"  # 在…上的讲话（正文）.docx beside 在…上的讲话.docx: both can sit in one folder


def content_disposition(title: str, suffix: str, attachment: bool, clean: bool = False) -> str:
    """ASCII fallback plus the RFC 5987 UTF-8 name, so WPS, Word and browsers save 在…上的讲话.docx."""
    kind = "attachment" if attachment else "inline"
    ascii_name, name = ("draft-clean", title + CLEAN_NAME) if clean else ("draft", title)
    return f"{kind}; filename=\"{ascii_name}.{suffix}\"; filename*=UTF-8''{quote(name + '.' + suffix)}"


def get_bank_cache(request: Request) -> BankCache:
    return request.app.state.bank_cache


def get_draft_cache(request: Request) -> DraftCache:
    return request.app.state.draft_cache


def get_index_holder(request: Request) -> IndexHolder:
    return request.app.state.index_holder


@router.post(
    "/draft",
    response_model=Draft,
    responses={
        200: {
            "content": {media: {} for media in MEDIA_TYPES.values() if media != "application/json"},
            "description": "The draft in the requested format.",
        },
        406: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)
def draft(
    body: DraftRequest,
    settings: SettingsDep,
    factory: SessionFactoryDep,
    cache: Annotated[BankCache, Depends(get_bank_cache)],
    holder: Annotated[IndexHolder, Depends(get_index_holder)],
    drafts: Annotated[DraftCache, Depends(get_draft_cache)],
    fmt: Annotated[OutputFormat | None, Query(alias="format", description="json|markdown|text|html|docx")] = None,
    clean: Annotated[
        bool,
        Query(
            description="正文：只要标题、段落和【待补】，不含来源、可选表述、参考段落 / the clean export "
            "(markdown, text, html, docx; json ignores it)"
        ),
    ] = False,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Compose a speech or meeting-report draft from the office's own corpus."""
    chosen = negotiate(fmt, accept)
    version, index = holder.current()
    result = compose(body, factory, index, cache, version, drafts)
    templates = settings.templates_dir
    # Rendered once per cached draft and format (the cache keeps the bytes beside the frozen draft); returning
    # the model would re-validate and re-serialise it on every request.
    if chosen == "json":
        content = drafts.rendered(result, "json", lambda d: d.model_dump_json().encode("utf-8"))
        return Response(content=content, media_type=MEDIA_TYPES["json"])
    # The clean export is another rendering of the same cached draft: its own cache key, never the working copy's.
    key = f"{chosen}:clean" if clean else chosen
    if chosen == "docx":
        content = drafts.rendered(result, key, lambda d: build_docx(d, templates, clean=clean))
    else:
        content = drafts.rendered(result, key, lambda d: render_text(d, chosen, templates, clean).encode("utf-8"))
    disposition = content_disposition(result.title, _SUFFIX[chosen], chosen == "docx", clean)
    headers = {"Content-Disposition": disposition}
    return Response(content=content, media_type=MEDIA_TYPES[chosen], headers=headers)
