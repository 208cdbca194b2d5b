"""Hostile HTTP (issue 17, part A): body caps before parsing, tokens before bodies, throttled guessing,
expiring signed web sessions, security headers on every HTML response."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import uvicorn
from fastapi.testclient import TestClient

from app.api.throttle import AttemptThrottle
from app.config import Settings
from app.main import create_app
from app.web import auth

WRITE = "w-0123456789abcdef"
READ = "r-fedcba9876543210"
DRAFT = {"meeting": "全市精神文明建设工作推进会"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _client(settings: Settings, client: tuple[str, int] = ("testclient", 50000), **update: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=update)), client=client)


@dataclass
class Exchange:
    """One request sent straight to the ASGI app, recording how much of the body the app pulled."""

    chunks_pulled: int = 0
    messages: list[dict] = field(default_factory=list)

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.messages if m["type"] == "http.response.start")

    @property
    def json(self) -> dict:
        return json.loads(b"".join(m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"))


def _call(app, method: str, path: str, headers: dict[str, str], chunks: list[bytes]) -> Exchange:  # type: ignore[no-untyped-def]
    exchange = Exchange()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.9", 1234),
        "server": ("testserver", 80),
    }

    async def receive() -> dict:
        if exchange.chunks_pulled >= len(chunks):
            return {"type": "http.disconnect"}
        exchange.chunks_pulled += 1
        more = exchange.chunks_pulled < len(chunks)
        return {"type": "http.request", "body": chunks[exchange.chunks_pulled - 1], "more_body": more}

    async def send(message: dict) -> None:
        exchange.messages.append(message)

    asyncio.run(app(scope, receive, send))
    return exchange


# ---- body cap -------------------------------------------------------------------------------------------------


def test_a_declared_oversized_body_is_refused_without_reading_it(migrated: Settings) -> None:
    app = create_app(migrated)
    headers = {"content-type": "application/json", "content-length": str(12 * 1024 * 1024)}
    exchange = _call(app, "POST", "/draft", headers, [b"{" * 65536] * 4)
    assert exchange.status == 413 and exchange.chunks_pulled == 0
    error = exchange.json["error"]
    assert error["code"] == "too_large" and "上限为 1 MB" in error["message"] and "limit is 1 MB" in error["message"]


@pytest.mark.parametrize("path", ["/draft", "/"])
def test_a_chunked_body_is_cut_off_at_the_cap(migrated: Settings, path: str) -> None:
    """No Content-Length: bytes are counted as they stream; the app (JSON route or web form) never gets more."""
    app = create_app(migrated.model_copy(update={"max_body_bytes": 4096}))
    headers = {"content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked"}
    exchange = _call(app, "POST", path, headers, [b"a=" + b"x" * 2046] * 100)
    assert exchange.status == 413 and exchange.json["error"]["code"] == "too_large"
    assert exchange.chunks_pulled == 3  # 6 KB read of the 200 KB offered
    assert [m["type"] for m in exchange.messages].count("http.response.start") == 1  # the app's answer is dropped


def test_bodies_under_the_cap_and_uploads_pass(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE) as client:
        assert client.post("/draft?format=markdown", json=DRAFT).status_code == 200
        # 1.5 MB is over the JSON cap but not the upload cap: the upload route itself judges the file.
        files = {"file": ("会议.txt", b"\0" * 1_500_000)}
        assert client.post("/documents", files=files, headers=bearer(WRITE)).status_code == 415
        assert client.post("/draft", content=b" " * (1024 * 1024 + 1), headers=bearer(WRITE)).status_code == 413


def test_an_upload_over_the_file_limit_keeps_its_specific_message(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE, max_file_bytes=2000) as client:
        files = {"file": ("big.txt", "精神文明".encode() * 2000)}
        refused = client.post("/documents", files=files, headers=bearer(WRITE))
        assert refused.status_code == 413 and "上传内容超过上限" in refused.json()["error"]["message"]


def test_the_token_is_checked_before_the_body(migrated: Settings) -> None:
    """With BIGAN_READ_TOKEN set, a body without the token is not read: 401, not the 413 or 422 it would earn."""
    app = create_app(migrated.model_copy(update={"api_token": WRITE, "read_token": READ}))
    huge = {"content-type": "application/json", "content-length": str(12 * 1024 * 1024)}
    for headers in (huge, huge | bearer("guess")):
        exchange = _call(app, "POST", "/draft", headers, [b"{}"])
        assert exchange.status == 401 and exchange.chunks_pulled == 0
        assert exchange.json["error"]["code"] == "unauthorized"
    malformed = {"content-type": "application/json", "content-length": "3"}
    exchange = _call(app, "POST", "/draft", malformed, [b"{{{"])
    assert exchange.status == 401 and exchange.chunks_pulled == 0
    assert _call(app, "POST", "/draft", malformed | bearer(READ), [b"{{{"]).status == 422  # now it is read
    upload = {"content-type": "multipart/form-data; boundary=x", "content-length": "100000"}
    exchange = _call(app, "POST", "/documents", upload | bearer(READ), [b"x" * 100000])
    assert exchange.status == 401 and exchange.chunks_pulled == 0  # the read token does not open writes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server(migrated: Settings) -> Iterator[int]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(migrated), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _raw(port: int, head: bytes) -> bytes:
    # The timeout only keeps a broken server from hanging the test; the answer must come without the body.
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):  # until the server closes: it will not wait for the rest of the body
            answer += chunk
        return answer


def test_a_real_server_refuses_a_huge_body_before_it_is_sent(live_server: int) -> None:
    head = b"POST /draft HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 201326592\r\n\r\n"
    answer = _raw(live_server, head + b"{")  # 192 MB announced, one byte sent
    assert answer.startswith(b"HTTP/1.1 413") and b'"too_large"' in answer
    # Chunked, never terminated: 1 MB + 1 byte, so the server has read everything sent when it refuses.
    chunked = b"POST /draft HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    assert _raw(live_server, chunked + chunk * 16 + b"1\r\nx\r\n").startswith(b"HTTP/1.1 413")
    assert _raw(live_server, b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200")


# ---- token attempts -----------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_counts_failures_per_client_over_a_sliding_window() -> None:
    clock = Clock()
    throttle = AttemptThrottle(limit=3, window=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("a") is None
        throttle.failed("a")
        clock.now += 10
    assert throttle.retry_after("a") == 30  # the first failure ages out at 1060
    assert throttle.retry_after("b") is None
    clock.now += 30
    assert throttle.retry_after("a") is None


def _throttled_client(settings: Settings, clock: Clock, **update: object) -> TestClient:
    client = _client(settings, api_token=WRITE, read_token=READ, **update)
    client.app.state.token_attempts = AttemptThrottle(10, 60, clock=clock)
    return client


def test_wrong_tokens_get_429_after_ten(migrated: Settings) -> None:
    clock = Clock()
    with _throttled_client(migrated, clock) as client:
        for _ in range(30):  # right tokens and missing ones are not guesses: they never count
            assert client.get("/documents", headers=bearer(READ)).status_code == 200
            assert client.get("/documents").status_code == 401
        for _ in range(10):
            assert client.get("/documents", headers=bearer("guess")).status_code == 401
        for headers in (bearer("guess"), bearer(READ)):  # locked out: even the right token waits
            refused = client.get("/documents", headers=headers)
            assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
            assert refused.json()["error"]["code"] == "too_many_attempts"
            assert "秒后再试" in refused.json()["error"]["message"]
        big = client.post("/draft", content=b"x" * 5000, headers=bearer("guess") | {"content-type": "application/json"})
        assert big.status_code == 429
        assert client.get("/livez").status_code == 200  # routes without a token are unaffected
        clock.now += 61
        assert client.get("/documents", headers=bearer(READ)).status_code == 200


def test_each_client_address_is_counted_on_its_own(migrated: Settings) -> None:
    clock = Clock()
    with _throttled_client(migrated, clock) as client:
        for _ in range(10):
            client.post("/phrases/rebuild", headers=bearer("guess"))
        assert client.post("/phrases/rebuild", headers=bearer("guess")).status_code == 429
        other = TestClient(client.app, client=("192.0.2.7", 4000))  # the same server, another machine
        assert other.get("/documents", headers=bearer(READ)).status_code == 200


@pytest.mark.parametrize("proxy_headers", [False, True])
def test_forwarded_addresses_count_only_with_proxy_headers(migrated: Settings, proxy_headers: bool) -> None:
    clock = Clock()
    update = {"proxy_headers": proxy_headers, "forwarded_allow_ips": "testclient"}
    with _throttled_client(migrated, clock, **update) as client:
        for n in range(10):  # a different forwarded address each time
            client.get("/documents", headers=bearer("guess") | {"X-Forwarded-For": f"198.51.100.{n}"})
        status = client.get("/documents", headers=bearer("guess") | {"X-Forwarded-For": "198.51.100.99"}).status_code
        assert status == (401 if proxy_headers else 429)


def test_wrong_tokens_in_web_forms_count_too(migrated: Settings) -> None:
    clock = Clock()
    with _throttled_client(migrated, clock) as client:
        for _ in range(5):
            assert client.post("/ui/login", data={"token": "guess"}).status_code == 401
            assert client.post("/ui/login", data={"token": ""}).status_code == 401  # empty: not counted
        login = client.post("/ui/login", data={"token": READ}, follow_redirects=False)
        assert login.status_code == 303  # 5 wrong so far
        files = {"file": ("讲话.txt", "同志们：".encode())}
        for _ in range(5):
            assert client.post("/ui/corpus/upload", files=files, data={"token": "guess"}).status_code == 401
        refused = client.post("/ui/login", data={"token": READ}, follow_redirects=False)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
        assert "秒后再试" in refused.text and "bigan_read" not in refused.headers.get("set-cookie", "")


# ---- web sessions -------------------------------------------------------------------------------------------


def _login(client: TestClient, token: str = READ, **headers: str) -> str:
    response = client.post("/ui/login", data={"token": token, "next": "/"}, headers=headers, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["set-cookie"]


def _cookie_value(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def test_each_login_gets_a_new_signed_cookie_that_expires(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE, read_token=READ) as client:
        first, second = _login(client), _login(client)
        assert _cookie_value(first) != _cookie_value(second)
        assert READ not in first and "HttpOnly" in first and "SameSite=lax" in first and "Max-Age=43200" in first
        assert "Secure" not in first  # plain http
        assert client.get("/ui/phrases", follow_redirects=False).status_code == 200
        key = auth.session_key(client.app.state.settings, client.app.state.session_secret)
        stale = auth.new_session(key, int(time.time()) - 12 * 60 * 60 - 1)
        issued, nonce, signature = _cookie_value(second).split(".")
        for value in (stale, f"{int(issued) + 5}.{nonce}.{signature}", "a" * 64, f"{issued}.{nonce}."):
            client.cookies.set("bigan_read", value)
            assert client.get("/ui/phrases", follow_redirects=False).status_code == 303, value


def test_a_token_change_or_a_restart_ends_sessions(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE, read_token=READ, session_secret="s3cret") as client:
        cookie = _cookie_value(_login(client))
    same = {"api_token": WRITE, "read_token": READ}
    cases = [({"session_secret": "s3cret"}, 200), ({"session_secret": "s3cret", "read_token": "r-new"}, 303), ({}, 303)]
    for update, status in cases:  # same secret and tokens: still in; new token or per-process secret: log in again
        with _client(migrated, **(same | update)) as client:
            client.cookies.set("bigan_read", cookie)
            assert client.get("/ui/phrases", follow_redirects=False).status_code == status, update


def test_the_cookie_is_secure_behind_a_tls_proxy(migrated: Settings) -> None:
    https = {"X-Forwarded-Proto": "https"}
    with _client(migrated, read_token=READ, proxy_headers=True, forwarded_allow_ips="testclient") as client:
        assert "Secure" in _login(client, **https)
        assert "Secure" not in _login(client)
    with _client(migrated, read_token=READ) as client:  # proxy headers off: a client cannot claim https
        assert "Secure" not in _login(client, **https)
    app = create_app(migrated.model_copy(update={"read_token": READ}))
    with TestClient(app, base_url="https://testserver") as client:
        assert "Secure" in _login(client)


# ---- security headers ---------------------------------------------------------------------------------------


def test_every_html_response_carries_the_security_headers(migrated: Settings) -> None:
    with _client(migrated, read_token=READ) as client:
        pages = {
            "page": client.get("/ui/login"),
            "docs": client.get("/docs"),
            "redoc": client.get("/redoc"),
            "draft": client.post("/draft?format=html", json=DRAFT, headers=bearer(READ)),
        }
        for name, response in pages.items():
            assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), name
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], name
            assert response.headers["X-Content-Type-Options"] == "nosniff", name
            assert response.headers["X-Frame-Options"] == "DENY", name
            assert response.headers["Referrer-Policy"] == "same-origin", name
        assert "script-src 'self';" in pages["page"].headers["Content-Security-Policy"]  # no inline script
        # The standalone draft keeps its own <style> and may run nothing.
        draft_policy = pages["draft"].headers["Content-Security-Policy"]
        assert "<style>" in pages["draft"].text and "style-src 'unsafe-inline'" in draft_policy
        assert "default-src 'none'" in draft_policy and "script-src" not in draft_policy
        api = client.get("/documents", headers=bearer(READ))
        assert api.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" not in api.headers


@pytest.mark.parametrize(
    ("ancestors", "frame_options"),
    [("self", "SAMEORIGIN"), ("self,https://addin.example.cn", None)],
)
def test_framing_is_allowed_only_for_named_origins(
    migrated: Settings, ancestors: str, frame_options: str | None
) -> None:
    settings = Settings(data_dir=migrated.data_dir, database_url=migrated.database_url, frame_ancestors=ancestors)
    with TestClient(create_app(settings)) as client:
        response = client.get("/")
        expected = " ".join("'self'" if a == "self" else a for a in ancestors.split(","))
        assert f"frame-ancestors {expected}" in response.headers["Content-Security-Policy"]
        assert response.headers.get("X-Frame-Options") == frame_options


def test_frame_ancestors_must_be_origins() -> None:
    with pytest.raises(ValueError, match="not an origin"):
        Settings(frame_ancestors="https://a.example; script-src *")


def test_openapi_declares_the_new_refusals(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE, read_token=READ) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"401", "413", "429"} <= set(paths["/draft"]["post"]["responses"])
    assert "429" in paths["/documents"]["get"]["responses"] and "413" not in paths["/documents"]["get"]["responses"]
