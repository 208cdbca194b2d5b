"""Access control: bearer token for writes (refused when unset), optional read token on every data route."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import app.api.deps as deps
from app.config import Settings
from app.ingest.read.formats import ReadLimits
from app.ingest.store import corpus_counts, ingest_path
from app.main import create_app
from tests.conftest import SEEDS

WRITE = "w-0123456789abcdef"
READ = "r-fedcba9876543210"
# Routes anyone may call: liveness, and FastAPI's schema and docs pages (no corpus text in any of them).
OPEN_PATHS = {"/healthz", "/livez", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_client(migrated: Settings) -> Iterator[Callable[..., TestClient]]:
    """A client over the test database with the given tokens configured."""
    clients: list[TestClient] = []

    def build(api_token: str | None = None, read_token: str | None = None) -> TestClient:
        settings = Settings(
            data_dir=migrated.data_dir,
            database_url=migrated.database_url,
            api_token=api_token,
            read_token=read_token,
        )
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def _write_requests(client: TestClient, headers: dict[str, str]) -> list:
    files = {"file": ("讲话.txt", SEEDS[3].read_bytes())}
    return [
        client.post("/documents", files=files, headers=headers),
        client.delete("/documents/1", headers=headers),
        client.post("/phrases/rebuild", headers=headers),
    ]


def test_writes_are_refused_when_no_token_is_configured(make_client, session_factory: sessionmaker[Session]) -> None:
    ingest_path(session_factory, SEEDS[0], ReadLimits())
    client = make_client(api_token=None)
    # Even a request carrying some token is refused: there is nothing it could match.
    for response in _write_requests(client, {}) + _write_requests(client, bearer("anything")):
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "writes_disabled"
        assert "BIGAN_API_TOKEN" in error["message"]
    with session_factory() as session:
        assert corpus_counts(session).documents == 1


def test_a_blank_token_in_the_environment_counts_as_unset(make_client) -> None:
    client = make_client(api_token="   ")
    assert client.app.state.settings.api_token is None
    assert client.post("/phrases/rebuild", headers={"Authorization": "Bearer "}).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("wrong"),
        bearer(WRITE + "x"),
        bearer(WRITE[:-1]),
        {"Authorization": WRITE},  # no scheme
        {"Authorization": f"Basic {WRITE}"},
        {"Authorization": f"Token {WRITE}"},
        {"X-Api-Token": WRITE},
    ],
    ids=["none", "wrong", "longer", "prefix", "no-scheme", "basic", "token-scheme", "other-header"],
)
def test_writes_without_the_right_token_get_401_with_a_challenge(
    make_client, session_factory: sessionmaker[Session], headers: dict[str, str]
) -> None:
    ingest_path(session_factory, SEEDS[0], ReadLimits())
    client = make_client(api_token=WRITE)
    for response in _write_requests(client, headers):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "unauthorized"
    with session_factory() as session:
        assert corpus_counts(session).documents == 1  # the DELETE did not happen


def test_the_right_token_writes(make_client, session_factory: sessionmaker[Session]) -> None:
    client = make_client(api_token=WRITE)
    added = client.post("/documents", files={"file": ("讲话.txt", SEEDS[3].read_bytes())}, headers=bearer(WRITE))
    assert added.status_code == 201
    # The scheme name is case-insensitive (RFC 7235).
    rebuilt = client.post("/phrases/rebuild", headers={"Authorization": f"bearer {WRITE}"})
    assert rebuilt.status_code == 200 and rebuilt.json()["phrases"] > 0
    removed = client.delete(f"/documents/{added.json()['document_id']}", headers=bearer(WRITE))
    assert removed.status_code == 200
    with session_factory() as session:
        assert corpus_counts(session).documents == 0


def test_tokens_are_compared_in_constant_time(make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = deps.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(deps.hmac, "compare_digest", spy)
    client = make_client(api_token=WRITE, read_token=READ)
    assert client.post("/phrases/rebuild", headers=bearer("guess")).status_code == 401
    assert (b"guess", WRITE.encode()) in calls
    calls.clear()
    assert client.get("/documents", headers=bearer("guess")).status_code == 401
    # Both tokens are always checked, whichever matches, so timing does not tell which one was close.
    assert {b for _, b in calls} == {READ.encode(), WRITE.encode()}


def test_read_token_protects_data_routes_and_leaves_health_open(
    make_client, session_factory: sessionmaker[Session]
) -> None:
    document_id = ingest_path(session_factory, SEEDS[3], ReadLimits()).document_id
    client = make_client(api_token=WRITE, read_token=READ)
    client.post("/phrases/rebuild", headers=bearer(WRITE))
    phrase_id = client.get("/phrases", headers=bearer(READ)).json()["items"][0]["id"]
    reads = ["/documents", f"/documents/{document_id}", "/phrases", f"/phrases/{phrase_id}", "/search?q=志愿服务"]
    for path in reads:
        denied = client.get(path)
        assert denied.status_code == 401, path
        assert denied.headers["WWW-Authenticate"] == "Bearer"
        assert "BIGAN_READ_TOKEN" in denied.json()["error"]["message"]
        assert client.get(path, headers=bearer("wrong")).status_code == 401, path
        assert client.get(path, headers=bearer(READ)).status_code == 200, path
        assert client.get(path, headers=bearer(WRITE)).status_code == 200, path  # a writer may read
    for path in OPEN_PATHS - {"/docs/oauth2-redirect"}:
        assert client.get(path).status_code == 200, path
    # The read token does not allow writes.
    assert client.post("/phrases/rebuild", headers=bearer(READ)).status_code == 401


def test_without_a_read_token_reads_are_open(make_client) -> None:
    client = make_client(api_token=WRITE)
    assert client.get("/documents").status_code == 200
    assert client.get("/search?q=志愿服务").status_code == 200


def test_every_route_but_the_open_ones_requires_the_read_token(make_client) -> None:
    """A guard for routes added later: each must carry READ_GUARD (or WriteAccess) to pass."""
    client = make_client(api_token=WRITE, read_token=READ)
    checked = []
    for template, operations in client.get("/openapi.json").json()["paths"].items():
        if template in OPEN_PATHS:
            continue
        path = re.sub(r"\{[^}]+\}", "1", template)
        for method in operations:
            response = client.request(method.upper(), path)
            assert response.status_code == 401, f"{method.upper()} {template} is not protected by the read token"
            checked.append(f"{method.upper()} {template}")
    assert {"GET /documents", "POST /documents", "GET /search", "POST /phrases/rebuild", "POST /draft"} <= set(checked)


def test_openapi_declares_the_bearer_scheme(make_client) -> None:
    schema = make_client().get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": deps._bearer.model.description,
    }
    upload = schema["paths"]["/documents"]["post"]
    assert {"bearer": []} in upload["security"]
    assert {"401", "403", "413", "415", "422"} <= set(upload["responses"])
