"""Tokens for the web pages, checked exactly as the API checks them (``app.api.deps.token_matches``).

- Writes (upload, delete): the form carries the write token in a password field; no token configured means
  writes are refused, as over the API.
- Reads, when ``BIGAN_READ_TOKEN`` is set: a browser cannot send a Bearer header on a link, so the login page
  takes the read (or write) token once and sets an HttpOnly session cookie — never the token itself — which
  every page then checks. Without a read token the pages are open, like the API.
- Wrong tokens typed into a form count against the client like wrong Bearer tokens (app/api/throttle.py);
  past the limit the token forms answer 429 before their body is read.

The session cookie is ``<issued-at>.<random>.<signature>``: a new random value at every login, signed with a key
derived from ``BIGAN_SESSION_SECRET`` (or a random per-process secret) and both tokens, so changing a token or
restarting without a configured secret ends every session. The issued-at time is checked here, not only left to
the browser's Max-Age: a copied cookie stops working after ``BIGAN_SESSION_SECONDS`` too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.api.deps import token_attempts, token_matches
from app.api.throttle import client_address
from app.config import Settings
from app.web.render import page

COOKIE = "bigan_read"
LOGIN_PATH = "/ui/login"
# A login stamped a little in the future (clocks of several processes disagreeing) is still accepted.
CLOCK_SKEW = 60


class LoginRequired(Exception):
    """Raised by the read guard; the web exception handler answers with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class TooManyAttempts(Exception):
    """Raised before a token form is read when its client typed too many wrong tokens; answered with a 429 page."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def refuse_when_throttled(request: Request) -> None:
    """Dependency of the pages that take a token in their form (login, upload, delete)."""
    wait = token_attempts(request).retry_after(client_address(request.scope))
    if wait is not None:
        raise TooManyAttempts(wait)


def too_many_attempts_page(request: Request, exc: Exception) -> HTMLResponse:
    wait = exc.retry_after if isinstance(exc, TooManyAttempts) else 60
    context = {"title": "尝试次数过多", "text": f"令牌输错的次数过多，请 {wait} 秒后再试。", "nav": ""}
    return page(request, "message.html", context, status_code=429, headers={"Retry-After": str(wait)})


def _counted(request: Request, accepted: bool, presented: str) -> bool:
    if not accepted and presented:  # an empty field is a forgotten token, not a guess
        token_attempts(request).failed(client_address(request.scope))
    return accepted


def write_allowed(request: Request, presented: str | None) -> bool:
    """The write token typed into a form; always False when none is configured."""
    settings: Settings = request.app.state.settings
    token = (presented or "").strip()
    return _counted(request, token_matches(token, settings.api_token), token)


def read_token_accepted(request: Request, presented: str | None) -> bool:
    """The read or the write token, typed on the login page. Both comparisons always run (no timing hint)."""
    settings: Settings = request.app.state.settings
    token = (presented or "").strip()
    read_ok = token_matches(token, settings.read_token)
    write_ok = token_matches(token, settings.api_token)
    return _counted(request, read_ok or write_ok, token)


def session_key(settings: Settings, process_secret: bytes) -> bytes:
    """The key session cookies are signed with; a different token (or secret) gives a different key."""
    secret = settings.session_secret.encode("utf-8") if settings.session_secret else process_secret
    material = "\0".join(["bigan web session", settings.read_token or "", settings.api_token or ""])
    return hmac.new(secret, material.encode("utf-8"), hashlib.sha256).digest()


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_session(key: bytes, issued_at: int) -> str:
    payload = f"{issued_at}.{secrets.token_urlsafe(16)}"
    return f"{payload}.{_signature(key, payload)}"


def session_valid(key: bytes, value: str | None, now: float, max_age: int) -> bool:
    """A cookie this server signed with ``key`` within the last ``max_age`` seconds."""
    if not value or not value.isascii():
        return False
    payload, _, signature = value.rpartition(".")
    issued, _, nonce = payload.partition(".")
    if not (issued.isdigit() and nonce and token_matches(signature, _signature(key, payload))):
        return False
    return now - max_age < int(issued) <= now + CLOCK_SKEW


def _key(request: Request) -> bytes:
    return session_key(request.app.state.settings, request.app.state.session_secret)


def read_allowed(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    if settings.read_token is None:
        return True
    return session_valid(_key(request), request.cookies.get(COOKIE), time.time(), settings.session_seconds)


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


def login_response(request: Request, next_path: str) -> RedirectResponse:
    """Redirect after a good login with a fresh session cookie (never the previous one: no session fixation)."""
    settings: Settings = request.app.state.settings
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        COOKIE,
        new_session(_key(request), int(time.time())),
        max_age=settings.session_seconds,
        httponly=True,  # page scripts never need it
        samesite="lax",  # sent on links into the app, not on other sites' form posts
        # https as the browser saw it: behind a TLS proxy, the scheme comes from X-Forwarded-Proto when
        # BIGAN_PROXY_HEADERS is on (uvicorn's proxy middleware sets it before the app runs).
        secure=request.url.scheme == "https",
        path="/",
    )
    return response
