"""HTTP API basics: health with counts, documents, one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.read.formats import ReadLimits
from app.ingest.store import ingest_path
from tests.conftest import SEEDS


def test_healthz_reports_counts(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    empty = client.get("/healthz").json()
    assert empty["status"] == "ok" and empty["counts"]["documents"] == 0
    ingest_path(session_factory, SEEDS[3], ReadLimits())
    counts = client.get("/healthz").json()["counts"]
    assert counts["documents"] == 1 and counts["speeches"] == 1 and counts["passages"] > 0


def test_documents_list_and_detail(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    outcome = ingest_path(session_factory, SEEDS[3], ReadLimits())
    listing = client.get("/documents").json()
    assert listing["total"] == 1 and listing["items"][0]["kind"] == "speech"
    detail = client.get(f"/documents/{outcome.document_id}").json()
    assert detail["sections"][0]["role"] == "opening"
    assert "同志们" in detail["text"]


def test_errors_share_one_shape(client: TestClient) -> None:
    missing = client.get("/documents/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "document_not_found"
    invalid = client.get("/documents?limit=0")
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_request"
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_openapi_and_docs_are_served_offline(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert "/healthz" in client.get("/openapi.json").json()["paths"]


def test_api_docs_page_loads_its_assets_from_this_server(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "jsdelivr" not in page.text
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
