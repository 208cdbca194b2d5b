"""The corpus over HTTP: list and read documents; upload and remove them with the write token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy import func, select
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.deps import READ_GUARD, SessionDep, SessionFactoryDep, SettingsDep, WriteAccess
from app.api.errors import ApiError
from app.api.multipart import MAX_FILENAME_CHARS, capped_form, filename_too_long, header_too_long
from app.api.refresh import exclusive_write, refresh_derived
from app.api.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentRemovedOut,
    DocumentSummary,
    UploadOut,
    error_responses,
)
from app.ingest.store import (
    ParsedFile,
    get_document,
    list_documents,
    parse_upload,
    read_limits,
    remove_document,
    store_parsed,
)
from app.models import Document

router = APIRouter(
    prefix="/documents", tags=["documents"], dependencies=[READ_GUARD], responses=error_responses(401, 422)
)

# Which ingestion rejections get which status; every other rejection is 422 (a file we cannot use).
_REJECTION_STATUS = {
    "too_large": 413,
    "zip_bomb": 413,
    "too_many_pages": 413,
    "unsupported_type": 415,
    "binary": 415,
    "unreadable_wps": 415,
    "unreadable_document": 415,
}
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A .txt, .md, .html, .docx, .pdf, .doc, .wps, .odt or .rtf file; "
                            "its content must match.",
                        }
                    },
                }
            }
        },
    }
}


@router.get("", response_model=DocumentList)
def documents_index(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> DocumentList:
    """List stored documents with their metadata."""
    total = session.scalar(select(func.count()).select_from(Document)) or 0
    rows = list_documents(session, limit=limit, offset=offset)
    return DocumentList(total=total, items=[DocumentSummary.model_validate(r) for r in rows])


@router.get("/{document_id}", response_model=DocumentDetail, responses=error_responses(404))
def document_detail(session: SessionDep, document_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> DocumentDetail:
    """Show one document: metadata, cleaned text and outline sections."""
    row = get_document(session, document_id)
    if row is None:
        raise _not_found(document_id)
    return DocumentDetail.model_validate(row)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _too_large(limit: int) -> ApiError:
    megabytes = f"{limit / (1024 * 1024):.3g} MB"
    return ApiError(
        413,
        "too_large",
        f"上传内容超过上限 {megabytes}；请拆分文件或删除其中的图片后再上传 / "
        f"the upload is larger than the {megabytes} limit; split it or remove images and retry",
    )


def _filename_too_long() -> ApiError:
    return ApiError(
        422,
        "filename_too_long",
        f"文件名过长（超过 {MAX_FILENAME_CHARS} 个字符），请改短后再上传 / "
        f"the file name is longer than {MAX_FILENAME_CHARS} characters: shorten it and upload again",
    )


async def read_upload(request: Request, settings: SettingsDep, _: WriteAccess) -> Upload:
    """The one file of a multipart upload, read only after the token check and never past the size cap.

    FastAPI would parse a ``File()`` parameter before any dependency ran, spooling a huge body for an
    unauthenticated caller; reading it here, after ``WriteAccess``, and counting bytes as they arrive means
    an oversized body is cut off at the cap (Content-Length is not trusted: it may be absent or wrong).
    """
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ApiError(
            415,
            "unsupported_media_type",
            "请以 multipart/form-data 格式上传，文件放在 file 字段 / "
            "send the document as multipart/form-data in a field named 'file'",
        )
    try:
        form = await capped_form(request, settings.max_file_bytes, lambda: _too_large(settings.max_file_bytes), 8)
    except StarletteHTTPException as exc:  # Starlette's 400 for a malformed body or too many parts
        if header_too_long(exc):
            raise _filename_too_long() from exc
        raise ApiError(
            400,
            "invalid_upload",
            "上传内容格式有误，无法读取；请只上传一个文件，放在 file 字段 / "
            "the upload could not be read: send exactly one file, in a field named 'file'",
        ) from exc
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise ApiError(
                422,
                "missing_file",
                "请求中没有文件；请把文件放在 file 字段上传 / no file in the request: send it in a field named 'file'",
            )
        if filename_too_long(part.filename):
            raise _filename_too_long()
        data = await part.read(settings.max_file_bytes + 1)
        if len(data) > settings.max_file_bytes:
            raise _too_large(settings.max_file_bytes)
        return Upload(filename=part.filename or "", data=data)
    finally:
        await form.close()


UploadDep = Annotated[Upload, Depends(read_upload)]


@router.post(
    "",
    status_code=201,
    response_model=UploadOut,
    responses={200: {"model": UploadOut, "description": "Duplicate of a stored document."}}
    | error_responses(400, 403, 413, 415),
    openapi_extra=_UPLOAD_BODY,
)
def upload_document(
    upload: UploadDep, request: Request, response: Response, factory: SessionFactoryDep, settings: SettingsDep
) -> UploadOut:
    """Add a document (txt, md, html, docx, pdf) to the corpus, then rebuild the phrase bank and index."""
    # The parse (up to max_ingest_seconds) runs before the write lock is taken: a slow file holds up no other write.
    parsed = parse_upload(factory, upload.data, upload.filename, read_limits(settings), settings.max_ingest_seconds)
    with exclusive_write():
        outcome = store_parsed(factory, parsed) if isinstance(parsed, ParsedFile) else parsed
        refresh = refresh_derived(request.app) if outcome.status == "added" else None
    if outcome.status == "rejected":
        code = outcome.code or "rejected"
        raise ApiError(_REJECTION_STATUS.get(code, 422), code, outcome.reason or "无法入库 / cannot ingest")
    assert outcome.document_id is not None
    if outcome.status == "duplicate":
        response.status_code = 200
        message = (
            f"与已入库的文档 #{outcome.document_id} 内容相同，未重复保存 / "
            f"same text as stored document #{outcome.document_id}; not stored again"
        )
    else:
        removed = outcome.removed_controls
        message = (
            f"已入库为文档 #{outcome.document_id}"
            + (f"（删除了 {removed} 个控制字符等无效字符）" if removed else "")
            + f" / stored as document #{outcome.document_id}"
            + (f" ({removed} control or invalid characters removed)" if removed else "")
        )
    return UploadOut(
        status=outcome.status,
        document_id=outcome.document_id,
        filename=outcome.source,
        message=message,
        supersedes=outcome.supersedes,
        refresh=refresh,
    )


@router.delete("/{document_id}", response_model=DocumentRemovedOut, responses=error_responses(403, 404))
def delete_document(
    _: WriteAccess, request: Request, factory: SessionFactoryDep, document_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> DocumentRemovedOut:
    """Remove a document with its sections and passages, then rebuild the phrase bank and index."""
    with exclusive_write():
        if not remove_document(factory, document_id):
            raise _not_found(document_id)
        refresh = refresh_derived(request.app)
    return DocumentRemovedOut(
        document_id=document_id,
        message=f"已删除文档 #{document_id} / removed document #{document_id}",
        refresh=refresh,
    )


def _not_found(document_id: int) -> ApiError:
    return ApiError(404, "document_not_found", f"文档 #{document_id} 不存在 / document #{document_id} not found")
