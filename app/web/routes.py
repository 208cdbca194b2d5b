"""The web pages. Handlers parse input, call the pipeline's services and render; nothing else happens here.

Paths live beside the JSON API without colliding with it: ``/`` (draft form), ``/ui/download``, ``/ui/phrases``,
``/ui/search``, ``/ui/corpus``, ``/ui/corpus/{id}``, ``/ui/login``; static files under ``/ui/static``.
Handlers that read a form are async (the form is awaited) and push the CPU work — composing, ingesting — to
the thread pool; the others are plain functions, which FastAPI already runs there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.api.routes.draft import content_disposition
from app.compose.output.docx import build_docx
from app.compose.output.render import MEDIA_TYPES, render_text, section_parts
from app.config import Settings
from app.ingest.read.formats import SUPPORTED_SUFFIXES
from app.phrasebank.ranking import DEFAULT_SORT, SORTS, PhraseSort
from app.retrieve.query import SearchFilters
from app.web import auth, views
from app.web.forms import (
    DEFAULT_VALUES,
    DETAIL_OPTIONS,
    FIELD_LABELS,
    MEETING_TYPE_OPTIONS,
    POINTS_ON,
    DraftForm,
    heading_cycles,
    parse_draft_form,
    request_values,
)
from app.web.render import DOC_KIND_LABELS, PHRASE_KIND_LABELS, ROLES, message_page, page
from app.web.upload import UploadRefused, delete_document, read_upload_form, store_upload
from app.web.views import build_draft

router = APIRouter(include_in_schema=False, dependencies=[Depends(auth.require_web_read)])
login_router = APIRouter(include_in_schema=False)  # the one page that must open without the read cookie
# On the pages whose form carries a token: a client that typed too many wrong ones gets 429 before the form is read.
THROTTLED = Depends(auth.refuse_when_throttled)

_DOWNLOADS = {
    "docx": ("docx", "docx"),
    "markdown": ("markdown", "md"),
    "md": ("markdown", "md"),
    "text": ("text", "txt"),
}
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]  # "page" is the render helper here
Text = Annotated[str, Query(max_length=200)]


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _choice(value: str, allowed: Any) -> str | None:
    """A filter value from a link or a select: known values only; anything else means "all"."""
    return value if value in allowed else None


# ---- draft ------------------------------------------------------------------------------------------------


def _draft_page(request: Request, form: DraftForm, status_code: int = 200) -> HTMLResponse:
    state = request.app.state
    context: dict[str, Any] = {
        "nav": "draft",
        "values": form.values,
        "errors": form.errors,
        "LABELS": FIELD_LABELS,
        "DETAIL_OPTIONS": DETAIL_OPTIONS,
        "MEETING_TYPE_OPTIONS": MEETING_TYPE_OPTIONS,
        "POINTS_ON": POINTS_ON,
    }
    result = None
    if form.request is not None:
        draft, chosen = build_draft(state, form.request, form.overrides, form.swap)
        templates = state.settings.templates_dir
        result = {
            "draft": draft,
            "chosen": chosen,
            "cycles": heading_cycles(draft),
            # Per walk index, as the page loops: the cited paragraph, required lines, alternatives, passages.
            "parts": [section_parts(s) for s in draft.walk()],
            "hidden": request_values(form.request),
            "plain": render_text(draft, "text", templates),
            "clean": render_text(draft, "text", templates, clean=True),  # what 复制正文 copies
        }
    context["result"] = result
    context["swapped"] = form.swap
    context["topic_suggestions"] = views.topic_suggestions_for(state)
    return page(request, "draft.html", context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def draft_form(request: Request) -> HTMLResponse:
    return _draft_page(request, DraftForm(values=dict(DEFAULT_VALUES)))


@router.post("/", response_class=HTMLResponse)
async def draft_submit(request: Request) -> HTMLResponse:
    """Compose and show the outline under the form; a 换一个 without JavaScript posts here too (``swap``)."""
    raw = await request.form(max_files=0, max_fields=200)
    form = parse_draft_form(raw, [v for v in raw.getlist("topics") if isinstance(v, str)])
    status = 422 if form.errors else 200
    return await run_in_threadpool(_draft_page, request, form, status)


@router.post("/ui/download")
async def draft_download(request: Request, format: str | None = None, clean: bool = False) -> Response:
    """The shown draft (with the headings the writer chose) as .docx, .md or .txt; ``clean``: the text to hand on.

    The clean button posts the same form to ``/ui/download?clean=true`` (``formaction``), so it needs no script.
    """
    raw = await request.form(max_files=0, max_fields=200)
    chosen_format = format or raw.get("format") or "docx"
    if not isinstance(chosen_format, str) or chosen_format not in _DOWNLOADS:
        return message_page(request, "无法下载", "下载格式应为 docx、md 或 text。", 422, nav="draft")
    form = parse_draft_form(raw, [v for v in raw.getlist("topics") if isinstance(v, str)])
    if form.errors or form.request is None:  # only a tampered or stale page gets here: show the form again
        return await run_in_threadpool(_draft_page, request, form, 422)
    fmt, suffix = _DOWNLOADS[chosen_format]
    content, title = await run_in_threadpool(_download_content, request, form, fmt, clean)
    disposition = content_disposition(title, suffix, attachment=True, clean=clean)
    return Response(content=content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


def _download_content(request: Request, form: DraftForm, fmt: str, clean: bool) -> tuple[bytes | str, str]:
    assert form.request is not None
    settings = _settings(request)
    draft, _ = build_draft(request.app.state, form.request, form.overrides, None)
    if fmt == "docx":
        return build_docx(draft, settings.templates_dir, clean=clean), draft.title
    return render_text(draft, fmt, settings.templates_dir, clean=clean), draft.title


# ---- phrase bank, search, corpus ----------------------------------------------------------------------------


@router.get("/ui/phrases", response_class=HTMLResponse)
def phrases_page(
    request: Request, role: Text = "", kind: Text = "", q: Text = "", sort: Text = "", page_number: PageNumber = 1
) -> HTMLResponse:
    role_value = _choice(role, ROLES)
    kind_value = _choice(kind, PHRASE_KIND_LABELS)
    sort_value: PhraseSort = next((s for s in SORTS if s == sort), DEFAULT_SORT)  # unknown → the default
    query = q.replace("\x00", "").strip()
    with request.app.state.session_factory() as session:
        listing = views.phrase_listing(session, kind_value, role_value, query or None, page_number, sort_value)
        context = {"nav": "phrases", "listing": listing, "role": role_value or "", "kind": kind_value or ""}
        sort_param = "" if sort_value == DEFAULT_SORT else sort_value  # the default stays out of the links
        # Rendered inside the session: rows are ORM objects whose roles are read by the template.
        return page(request, "phrases.html", context | {"q": query, "roles": ROLES, "sort": sort_param})


@router.get("/ui/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Text = "",
    role: Text = "",
    kind: Text = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    in_domain: bool = False,
) -> HTMLResponse:
    filters = SearchFilters(
        role=_choice(role, ROLES),
        kind=_choice(kind, DOC_KIND_LABELS),
        in_domain=in_domain,
        since=since.strip() or None,
        until=until.strip() or None,
    )
    _, index = request.app.state.index_holder.current()
    result = views.run_search(index, q, filters)
    values = {"q": q, "role": filters.role or "", "kind": filters.kind or "", "since": since, "until": until}
    context = {"nav": "search", "result": result, "values": values, "in_domain": in_domain, "roles": ROLES}
    return page(request, "search.html", context, status_code=422 if result.error else 200)


def _corpus_page(request: Request, page_number: int, notice: str = "", error: str = "", status: int = 200) -> Response:
    settings = _settings(request)
    with request.app.state.session_factory() as session:
        listing = views.corpus_listing(session, page_number)
        context = {
            "nav": "corpus",
            "listing": listing,
            "uploads_enabled": settings.api_token is not None,
            "max_megabytes": f"{settings.max_file_bytes / (1024 * 1024):.3g}",
            "accept": ",".join(SUPPORTED_SUFFIXES),
            "notice": notice,
            "error": error,
        }
        return page(request, "corpus.html", context, status_code=status)


@router.get("/ui/corpus", response_class=HTMLResponse)
def corpus_page(request: Request, page_number: PageNumber = 1) -> Response:
    return _corpus_page(request, page_number)


@router.post("/ui/corpus/upload", response_class=HTMLResponse, dependencies=[THROTTLED])
async def corpus_upload(request: Request) -> Response:
    settings = _settings(request)
    if settings.api_token is None:  # refused before reading a byte of the body
        error = "上传已停用：服务器没有设置写入令牌 BIGAN_API_TOKEN。"
        return await run_in_threadpool(_corpus_page, request, 1, "", error, 403)
    try:
        upload = await read_upload_form(request, settings)
    except UploadRefused as refused:
        return await run_in_threadpool(_corpus_page, request, 1, "", refused.message, refused.status)
    if not auth.write_allowed(request, upload.token):
        return await run_in_threadpool(_corpus_page, request, 1, "", "写入令牌不正确，文件未上传。", 401)
    stored = await run_in_threadpool(store_upload, request.app, upload)
    if not stored.ok:
        return await run_in_threadpool(_corpus_page, request, 1, "", stored.message, 422)
    return await run_in_threadpool(_corpus_page, request, 1, stored.message, "", 201)


@router.get("/ui/corpus/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    return _document_page(request, document_id)


def _document_page(request: Request, document_id: int, error: str = "", status: int = 200) -> Response:
    settings = _settings(request)
    with request.app.state.session_factory() as session:
        view = views.document_view(session, document_id)
        if view is None:
            return message_page(
                request, "文档不存在", f"语料库中没有文档 #{document_id}，可能已被删除。", 404, "corpus"
            )
        context = view | {"nav": "corpus", "uploads_enabled": settings.api_token is not None, "error": error}
        return page(request, "document.html", context, status_code=status)


@router.post("/ui/corpus/{document_id}/delete", response_class=HTMLResponse, dependencies=[THROTTLED])
async def document_delete(request: Request, document_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    settings = _settings(request)
    if settings.api_token is None:
        error = "删除已停用：服务器没有设置写入令牌 BIGAN_API_TOKEN。"
        return await run_in_threadpool(_document_page, request, document_id, error, 403)
    raw = await request.form(max_files=0, max_fields=4)
    token = raw.get("token")
    if not auth.write_allowed(request, token if isinstance(token, str) else None):
        return await run_in_threadpool(_document_page, request, document_id, "写入令牌不正确，文档未删除。", 401)
    if not await run_in_threadpool(delete_document, request.app, document_id):
        return message_page(request, "文档不存在", f"语料库中没有文档 #{document_id}。", 404, "corpus")
    notice = f"已删除文档 #{document_id}；套话库和检索索引已更新。"
    return await run_in_threadpool(_corpus_page, request, 1, notice, "", 200)


# ---- login (only when BIGAN_READ_TOKEN is set) ----------------------------------------------------------------


@login_router.get("/ui/login", response_class=HTMLResponse)
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    if _settings(request).read_token is None:
        return RedirectResponse(auth.safe_next(next), status_code=303)
    return page(request, "login.html", {"nav": "", "next": auth.safe_next(next), "error": ""})


@login_router.post("/ui/login", response_class=HTMLResponse, dependencies=[THROTTLED])
async def login_submit(request: Request) -> Response:
    settings = _settings(request)
    raw = await request.form(max_files=0, max_fields=4)
    token, next_path = raw.get("token"), raw.get("next")
    next_value = auth.safe_next(next_path if isinstance(next_path, str) else "/")
    if settings.read_token is None:
        return RedirectResponse(next_value, status_code=303)
    token_text = token if isinstance(token, str) else ""
    if not auth.read_token_accepted(request, token_text):
        context = {"nav": "", "next": next_value, "error": "访问令牌不正确，请向管理员确认。"}
        return page(request, "login.html", context, status_code=401)
    return auth.login_response(request, next_value)
