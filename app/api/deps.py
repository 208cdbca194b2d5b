"""Request-scoped dependencies (Annotated), built from the app's state — nothing global.

Access control:

- ``WriteAccess`` on every route that changes the corpus: ``Authorization: Bearer <BIGAN_API_TOKEN>``.
  With no token configured, HTTP writes are refused outright (403) — an unset token never means "open".
- ``require_read`` on every router that returns corpus data: ``APIRouter(dependencies=[READ_GUARD])``.
  It only checks anything when ``BIGAN_READ_TOKEN`` is set; the write token is accepted for reads too.
  ``/healthz`` and the API docs stay open (they reveal counts and the schema, no text).
- Wrong tokens are counted per client (app/api/throttle.py): past ``BIGAN_AUTH_MAX_FAILURES`` in
  ``BIGAN_AUTH_WINDOW_SECONDS`` the client gets 429 ``too_many_attempts`` with Retry-After.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.orm import Session, sessionmaker

from app.api.errors import ApiError
from app.api.throttle import AttemptThrottle, client_address, too_many_attempts
from app.config import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.session_factory


def get_session(factory: Annotated[sessionmaker[Session], Depends(get_session_factory)]) -> Iterator[Session]:
    with factory() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
SessionDep = Annotated[Session, Depends(get_session)]

# auto_error=False: a missing or non-Bearer header reaches our checks, which answer in the one error shape.
# One scheme object, so OpenAPI (and Swagger UI's "Authorize" button) shows a single "bearer" scheme.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="BIGAN_API_TOKEN for writes; BIGAN_READ_TOKEN (or the write token) for reads when it is set.",
)
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header (scheme case-insensitive, RFC 7235), else None."""
    scheme, token = get_authorization_scheme_param(authorization)
    return token if scheme.lower() == "bearer" and token else None


def _matches(presented: bytes | None, expected: str | None) -> bool:
    """Constant-time comparison, so response timing does not reveal how much of a guess was right."""
    if presented is None or expected is None:
        return False
    return hmac.compare_digest(presented, expected.encode("utf-8"))


def token_matches(presented: str | None, expected: str | None) -> bool:
    """``_matches`` for a token typed into a web form (app/web) rather than sent as a Bearer header."""
    return _matches(presented.encode("utf-8") if presented is not None else None, expected)


def _unauthorized(what_zh: str, what_en: str) -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        f"缺少或错误的访问令牌；请在请求头中加入 Authorization: Bearer <{what_zh}> / "
        f"missing or wrong access token: send Authorization: Bearer <{what_en}>",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _check_token(
    presented: str | None, accepted: tuple[str | None, ...], attempts: AttemptThrottle, client: str
) -> bool:
    """True when ``presented`` is one of ``accepted``; raises 429 while ``client`` is throttled.

    A missing token is not a guess (a browser or a script that forgot the header): it is refused without
    counting. A client over the limit is refused before any comparison, so a right token does not get through
    either — otherwise the limit would not slow guessing at all.
    """
    if presented is None:
        return False
    wait = attempts.retry_after(client)
    if wait is not None:
        raise too_many_attempts(wait)
    # Every comparison always runs: which token matched (or that none did) is not visible in the timing.
    results = [_matches(presented.encode("utf-8"), expected) for expected in accepted]
    if not any(results):
        attempts.failed(client)
    return any(results)


def check_write(settings: Settings, presented: str | None, attempts: AttemptThrottle, client: str) -> None:
    """Allow only the configured write token; ``presented`` is the Bearer token, if any."""
    if settings.api_token is None:
        raise ApiError(
            403,
            "writes_disabled",
            "未配置写入令牌，已禁止通过 HTTP 修改语料；请设置环境变量 BIGAN_API_TOKEN 后重启服务 / "
            "writes over HTTP are disabled: set BIGAN_API_TOKEN and restart the server",
        )
    if not _check_token(presented, (settings.api_token,), attempts, client):
        raise _unauthorized("BIGAN_API_TOKEN", "BIGAN_API_TOKEN")


def check_read(settings: Settings, presented: str | None, attempts: AttemptThrottle, client: str) -> None:
    """Allow anything when no read token is configured, else the read or the write token.

    app/http_guard.py runs this too, before a request's body is read: FastAPI reads a JSON body before it
    runs any dependency.
    """
    if settings.read_token is None:
        return
    if not _check_token(presented, (settings.read_token, settings.api_token), attempts, client):
        raise _unauthorized("BIGAN_READ_TOKEN", "BIGAN_READ_TOKEN")


def token_attempts(request: Request) -> AttemptThrottle:
    return request.app.state.token_attempts


def require_write(request: Request, settings: SettingsDep, credentials: CredentialsDep) -> None:
    presented = credentials.credentials if credentials is not None else None
    check_write(settings, presented, token_attempts(request), client_address(request.scope))


def require_read(request: Request, settings: SettingsDep, credentials: CredentialsDep) -> None:
    presented = credentials.credentials if credentials is not None else None
    check_read(settings, presented, token_attempts(request), client_address(request.scope))


WriteAccess = Annotated[None, Depends(require_write)]
ReadAccess = Annotated[None, Depends(require_read)]
# For routers: APIRouter(..., dependencies=[READ_GUARD]) protects every route on it, present and future.
READ_GUARD = Depends(require_read)
