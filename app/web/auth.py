"""Tokens for the web pages, checked exactly as the API checks them (``app.api.deps.token_matches``).

- Writes (upload, delete): the form carries the write token in a password field; no token configured means
  writes are refused, as over the API.
- Reads, when ``BIGAN_READ_TOKEN`` is set: a browser cannot send a Bearer header on a link, so the login page
  takes the read (or write) token once and sets an HttpOnly cookie holding an HMAC of it — never the token
  itself — which every page then checks. Without a read token the pages are open, like the API.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from app.api.deps import token_matches
from app.config import Settings

COOKIE = "bigan_read"
COOKIE_MAX_AGE = 12 * 60 * 60  # one working day; then the token is asked again
LOGIN_PATH = "/ui/login"


class LoginRequired(Exception):
    """Raised by the read guard; the web exception handler answers with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def write_allowed(settings: Settings, presented: str | None) -> bool:
    """The write token typed into a form; always False when none is configured."""
    return token_matches((presented or "").strip(), settings.api_token)


def session_value(token: str) -> str:
    """What the cookie holds for a token: a keyed digest, so the cookie never reveals the token."""
    return hmac.new(token.encode("utf-8"), b"bigan web read session", hashlib.sha256).hexdigest()


def read_token_accepted(settings: Settings, presented: str | None) -> bool:
    """The read or the write token, typed on the login page. Both comparisons always run (no timing hint)."""
    token = (presented or "").strip()
    read_ok = token_matches(token, settings.read_token)
    write_ok = token_matches(token, settings.api_token)
    return read_ok or write_ok


def read_allowed(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    if settings.read_token is None:
        return True
    cookie = request.cookies.get(COOKIE)
    read_ok = token_matches(cookie, session_value(settings.read_token))
    write_ok = token_matches(cookie, session_value(settings.api_token)) if settings.api_token else False
    return read_ok or write_ok


def require_web_read(request: Request) -> None:
    """Router dependency of every web page except the login page."""
    if not read_allowed(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)


def login_redirect(_: Request, exc: Exception) -> RedirectResponse:
    next_path = exc.next_path if isinstance(exc, LoginRequired) else "/"
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(next_path, safe='')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only a path on this server (not //host or a scheme): the login form must not become an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def login_response(settings: Settings, token: str, next_path: str, secure: bool) -> RedirectResponse:
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        COOKIE,
        session_value(token.strip()),
        max_age=COOKIE_MAX_AGE,
        httponly=True,  # page scripts never need it
        samesite="lax",  # sent on links into the app, not on other sites' form posts
        secure=secure,
        path="/",
    )
    return response
