"""What every HTTP request passes before the app sees it: the token check, the body cap, security headers.

Pure ASGI (no BaseHTTPMiddleware, which would buffer bodies), in this order:

1. **Token first.** With ``BIGAN_READ_TOKEN`` set, every API route wants the read (or write) token, and FastAPI
   parses a JSON body before it runs any dependency — so a client with no token could make the server parse a
   huge body just to be told 401. Here a request that carries a body gets the API's read check
   (``app.api.deps.check_read``: same answer, same per-client count of wrong tokens) before a byte is read.
   The web pages are left out: a browser sends no Bearer header, and their cookie check already runs before
   their handlers read the form. Write routes check the write token before reading their bodies themselves.
2. **Body cap.** ``BIGAN_MAX_BODY_BYTES`` (1 MB) for JSON and forms; uploads get ``BIGAN_MAX_FILE_BYTES`` plus
   room for the multipart envelope. A declared Content-Length over the cap is refused at once; a chunked
   body is counted as it streams and cut off at the cap: the client gets 413 and the app sees a disconnect.
   Either way the server never holds more than the cap, and the event loop is never busy parsing it.
3. **Headers** on every response: ``X-Content-Type-Options: nosniff``; on HTML also a Content-Security-Policy,
   ``Referrer-Policy`` and framing rules (``BIGAN_FRAME_ANCESTORS``; no framing unless set).

``install_http_guard`` adds it, and uvicorn's proxy-header middleware in front when ``BIGAN_PROXY_HEADERS``
is on, so client addresses (throttling) and the scheme (Secure cookies) are the ones the proxy saw.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.api.deps import bearer_token, check_read
from app.api.errors import ApiError, error_response
from app.api.multipart import MULTIPART_SLACK
from app.api.throttle import AttemptThrottle, client_address
from app.config import Settings

# Requests that carry a whole document. Their routes cap it themselves (app/api/multipart.py) at
# max_file_bytes + slack, with a message that names the file limit; this cap sits one slack above, a backstop.
UPLOAD_ROUTES = {("POST", "/documents"), ("POST", "/ui/corpus/upload")}


def _is_web_page(path: str) -> bool:
    """The writers' pages (app/web): ``/`` and everything under ``/ui/``."""
    return path == "/" or path.startswith("/ui/")


# The writers' pages load one script and one stylesheet from this server and nothing else: no inline script
# or style, so markup smuggled in by an uploaded document could not run even if escaping failed.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
# A draft rendered as HTML by the API (POST /draft?format=html) is a standalone document with its own
# <style> block (user templates may change it) and no script at all.
_DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
# Swagger UI and ReDoc (FastAPI's pages, assets served locally) start from an inline script and ReDoc writes
# its styles at run time; they show only the API schema, no corpus text.
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")


def install_http_guard(app: FastAPI, settings: Settings) -> None:
    """Add the guard (and the proxy-header middleware, when enabled) to ``app``.

    Call it before adding CORS, so that CORS stays outermost and the guard's 401/413 carry CORS headers.
    """
    app.state.token_attempts = AttemptThrottle(settings.auth_max_failures, settings.auth_window_seconds)
    app.add_middleware(HttpGuard)
    if settings.proxy_headers:  # added last, so it runs first: the guard sees the client the proxy saw
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)


class HttpGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fastapi_app: FastAPI = scope["app"]  # set by Starlette before the middleware stack runs
        settings: Settings = fastapi_app.state.settings
        send = _with_security_headers(scope, send, settings)
        headers = Headers(scope=scope)
        cap = _body_cap(scope, settings)
        refusal = _token_refusal(fastapi_app, scope, headers, settings)
        declared = headers.get("content-length", "")
        if refusal is None and declared.isdigit() and int(declared) > cap:
            refusal = _too_large(cap)
        if refusal is not None:
            # Not a byte of the body is read; the server closes the connection after the answer.
            await error_response(refusal)(scope, receive, send)
            return
        await _call_capped(self.app, scope, receive, send, cap)


def _token_refusal(fastapi_app: FastAPI, scope: Scope, headers: Headers, settings: Settings) -> ApiError | None:
    has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
    if settings.read_token is None or not has_body or _is_web_page(scope["path"]):
        return None
    attempts: AttemptThrottle = fastapi_app.state.token_attempts
    try:
        check_read(settings, bearer_token(headers.get("authorization")), attempts, client_address(scope))
    except ApiError as refusal:
        return refusal
    return None


def _body_cap(scope: Scope, settings: Settings) -> int:
    if (scope["method"], scope["path"]) in UPLOAD_ROUTES:
        return settings.max_file_bytes + 2 * MULTIPART_SLACK
    return settings.max_body_bytes


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):.3g} MB"


def _too_large(cap: int) -> ApiError:
    size = _megabytes(cap)
    return ApiError(413, "too_large", f"请求内容过大，上限为 {size} / request body too large: the limit is {size}")


async def _call_capped(app: ASGIApp, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
    """Run the app, counting body bytes as they arrive; past ``cap`` answer 413 and end the body."""
    received = 0
    started = False  # has a response (the app's or ours) begun?
    cut_off = False  # did we answer 413? then the app's own answer is dropped

    async def capped_receive() -> Message:
        nonlocal received, cut_off, started
        if cut_off:
            return {"type": "http.disconnect"}
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                cut_off = True
                if not started:
                    started = True
                    await error_response(_too_large(cap))(scope, receive, send)
                # The app sees the client gone: it stops reading and whatever it answers is dropped.
                return {"type": "http.disconnect"}
        return message

    async def guarded_send(message: Message) -> None:
        nonlocal started
        if cut_off:
            return
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await app(scope, capped_receive, guarded_send)
    except Exception:
        # An app that raises on the disconnect (a form parser) has nothing left to say: the client has its
        # 413. Anything else is the app's own failure and goes to the usual 500 handling.
        if not cut_off:
            raise


def _with_security_headers(scope: Scope, send: Send, settings: Settings) -> Send:
    html_headers = _html_headers(scope["path"], settings)

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            if headers.get("content-type", "").startswith("text/html"):
                for name, value in html_headers.items():
                    headers.setdefault(name, value)
        await send(message)

    return send_with_headers


def _html_headers(path: str, settings: Settings) -> dict[str, str]:
    if path in _DOCS_PATHS or path.startswith("/docs/"):
        policy = _DOCS_POLICY
    elif _is_web_page(path):
        policy = _PAGE_POLICY
    else:
        policy = _DOCUMENT_POLICY
    # Office add-in task panes may show the pages in a frame, but only from origins the operator named.
    ancestors = " ".join(settings.frame_ancestors) or "'none'"
    headers = {"Content-Security-Policy": f"{policy}; frame-ancestors {ancestors}", "Referrer-Policy": "same-origin"}
    # X-Frame-Options (for browsers without frame-ancestors) cannot list origins; CSP governs when it is absent.
    frame_options = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(ancestors)
    if frame_options:
        headers["X-Frame-Options"] = frame_options
    return headers
