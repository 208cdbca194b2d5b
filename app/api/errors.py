"""One JSON error shape for every 4xx/5xx: ``{"error": {"code": …, "message": …}}``.

Messages are "中文 / English". Nothing from a traceback or an exception's text reaches the client for a
500; for framework errors (404, 405, a malformed body …) the message is one of ours, never Starlette's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.schemas import ErrorResponse
from app.storage import Storage, describe, failed_storage
from app.text.dates import DATE_ERROR

log = logging.getLogger(__name__)

LISTED_ERRORS = 10  # validation problems named in a 422's message


class ApiError(Exception):
    """An error a route raises on purpose, with a stable code and a bilingual message."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers) if headers else None


# Framework-raised HTTP errors (unknown path, wrong method, a body that is not multipart …) by status.
_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式有误 / malformed request"),
    401: ("unauthorized", "需要有效的访问令牌 / a valid access token is required"),
    403: ("forbidden", "无权执行此操作 / not allowed"),
    404: ("not_found", "页面不存在 / not found"),
    405: ("method_not_allowed", "不支持该请求方法 / method not allowed"),
    413: ("too_large", "请求内容过大 / request body too large"),
    415: ("unsupported_media_type", "不支持的内容类型 / unsupported media type"),
}


def _body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def error_response(exc: ApiError) -> JSONResponse:
    """The response for an ``ApiError``; also sent by middleware (app/http_guard.py) that answers before routing."""
    return JSONResponse(_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers)


def storage_unavailable(*which: Storage) -> ApiError:
    """503 ``storage_unavailable``; the message names what: the database, the data directory or both."""
    return ApiError(503, "storage_unavailable", describe(*which))


def install_error_handlers(app: FastAPI) -> None:
    _document_auth_errors(app)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = ("http_error", f"请求失败 / request failed ({exc.status_code})")
        code, message = _HTTP_ERRORS.get(exc.status_code, fallback)
        # exc.headers carries e.g. Allow for a 405; the detail text stays out (it can echo internals).
        return JSONResponse(_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        # The first few problems name the fields; a body of 60 000 unknown keys does not get them all back.
        parts = [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in errors[:LISTED_ERRORS]]
        if len(errors) > LISTED_ERRORS:
            parts.append(f"另有 {len(errors) - LISTED_ERRORS} 处 / {len(errors) - LISTED_ERRORS} more")
        message = "请求参数有误 / invalid request: " + "; ".join(parts)
        # A refused date has one code wherever it was caught (a query parameter, a JSON body, the retriever).
        code = DATE_ERROR if errors and all(err["type"] == DATE_ERROR for err in errors) else "invalid_request"
        return JSONResponse(_body(code, message), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Log the traceback for the operator; the client gets no internals.
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(_body("internal_error", "服务器内部错误 / internal server error"), status_code=500)

    @app.exception_handler(OperationalError)
    @app.exception_handler(OSError)
    async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
        # A database or data directory that cannot be used is the operator's to fix, not a bug: 503, and a log
        # line without a traceback. Any other OSError is a 500 like every unexpected error.
        which = failed_storage(exc, request.app.state.settings.data_dir)
        if which is None:
            return await _unexpected(request, exc)
        log.error("storage unavailable (%s): %s", which, exc)
        return error_response(storage_unavailable(which))


def _document_auth_errors(app: FastAPI) -> None:
    """Declare the 401 and 429 in OpenAPI for every operation that needs a bearer token (READ_GUARD, WriteAccess),
    and the 413 for every operation that takes a body (app/http_guard.py caps them all).

    A dependency cannot add responses to the schema, so a router that takes ``READ_GUARD`` would otherwise
    answer an undocumented 401 (schemathesis flags that); this covers routers added later too.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict):
                    continue
                declared: dict[str, str] = {}
                if operation.get("security"):
                    declared["401"] = "Missing or wrong bearer token (sent with WWW-Authenticate: Bearer)."
                    declared["429"] = "Too many wrong tokens from this client; Retry-After says when to try again."
                if operation.get("requestBody"):
                    declared["413"] = "Request body larger than the configured limit."
                for status, description in declared.items():
                    operation.setdefault("responses", {}).setdefault(
                        status, {"description": description, "content": {"application/json": {"schema": error_ref}}}
                    )
        # The models themselves, in case no route references them directly.
        error_schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in error_schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("ErrorResponse", error_schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
