"""Upload and delete from the corpus page: the API's services (parse_upload, store_parsed, refresh_derived) behind a
form.

The token arrives inside the multipart body, so unlike the API (which checks the header before reading a
byte) the body must be parsed first; it is read through a byte counter that stops at the configured size
cap, so an anonymous client can at most make the server spool ``max_file_bytes`` once. Nothing is ingested
before the token has been checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.multipart import MAX_FILENAME_CHARS, capped_form, filename_too_long, header_too_long
from app.api.refresh import exclusive_write, refresh_derived
from app.config import Settings
from app.ingest.store import ParsedFile, parse_upload, read_limits, remove_document, store_parsed


class UploadRefused(Exception):
    """The upload cannot be read: too large, not multipart, no file. ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class UploadForm:
    token: str
    filename: str
    data: bytes


_NAME_TOO_LONG = f"文件名过长（超过 {MAX_FILENAME_CHARS} 个字符），请把文件改名后再上传"


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):.3g} MB"


async def read_upload_form(request: Request, settings: Settings) -> UploadForm:
    too_large = UploadRefused(
        413, f"文件超过上限 {_megabytes(settings.max_file_bytes)}，请拆分文件或删除其中的图片后再上传"
    )
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise UploadRefused(415, "请通过页面上的上传表单选择文件")
    try:
        form = await capped_form(request, settings.max_file_bytes, lambda: too_large, 4)
    except StarletteHTTPException as exc:  # a malformed body or too many parts
        if header_too_long(exc):  # a name of thousands of characters overflows the part's header
            raise UploadRefused(422, _NAME_TOO_LONG) from exc
        raise UploadRefused(400, "上传内容无法读取，请一次只选择一个文件") from exc
    try:
        token = form.get("token")
        part = form.get("file")
        if not isinstance(part, UploadFile) or not (part.filename or "").strip():
            raise UploadRefused(422, "没有选择文件，请先选择要上传的文件")
        if filename_too_long(part.filename):
            raise UploadRefused(422, _NAME_TOO_LONG)
        data = await part.read(settings.max_file_bytes + 1)
        if len(data) > settings.max_file_bytes:
            raise too_large
        return UploadForm(token=token if isinstance(token, str) else "", filename=part.filename or "", data=data)
    finally:
        await form.close()


@dataclass(frozen=True)
class StoredUpload:
    ok: bool
    message: str
    document_id: int | None = None


def store_upload(app: FastAPI, upload: UploadForm) -> StoredUpload:
    """Ingest the file as ``POST /documents`` does, and re-mine and reindex when the corpus changed."""
    settings: Settings = app.state.settings
    factory = app.state.session_factory
    # Parsed before the write lock is taken, as the API does: a slow file holds up no other write.
    parsed = parse_upload(factory, upload.data, upload.filename, read_limits(settings), settings.max_ingest_seconds)
    with exclusive_write():
        outcome = store_parsed(factory, parsed) if isinstance(parsed, ParsedFile) else parsed
        if outcome.status == "added":
            refresh_derived(app)
    if outcome.status == "rejected":
        reason = (outcome.reason or "无法入库").split(" / ")[0]
        return StoredUpload(False, f"“{outcome.source}”未能入库：{reason}")
    if outcome.status == "duplicate":
        return StoredUpload(
            True, f"“{outcome.source}”与已入库的文档 #{outcome.document_id} 内容相同，未重复保存", outcome.document_id
        )
    extra = f"（取代了截断的副本 #{outcome.supersedes}）" if outcome.supersedes else ""
    if outcome.removed_controls:
        extra += f"（删除了 {outcome.removed_controls} 个控制字符等无效字符）"
    return StoredUpload(
        True,
        f"“{outcome.source}”已入库为文档 #{outcome.document_id}{extra}；套话库和检索索引已更新",
        outcome.document_id,
    )


def delete_document(app: FastAPI, document_id: int) -> bool:
    """Remove as ``DELETE /documents/{id}`` does; False when there is no such document."""
    with exclusive_write():
        if not remove_document(app.state.session_factory, document_id):
            return False
        refresh_derived(app)
    return True
