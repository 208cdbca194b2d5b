"""Every 4xx/5xx answer has one JSON shape, {"error": {"code", "message"}}, "中文 / English", no internals."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.config import Settings
from app.main import create_app

TOKEN = "error-shape-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "SELECT password FROM /etc/shadow"


@pytest.fixture
def api(migrated: Settings) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=migrated.data_dir, database_url=migrated.database_url, api_token=TOKEN, max_file_bytes=1000
    )
    app = create_app(settings)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError(SECRET)

    # raise_server_exceptions=False: see what a real client gets, not the exception the test client re-raises.
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_error_shape(response: Response, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    error = body["error"]
    if code is not None:
        assert error["code"] == code
    assert re.fullmatch(r"[a-z_]+", error["code"])
    zh, _, en = error["message"].partition(" / ")
    assert re.search(r"[\u4e00-\u9fff]", zh) and en.strip(), error["message"]
    assert "Traceback" not in response.text and SECRET not in response.text
    return error


def test_400_malformed_upload(api: TestClient) -> None:
    headers = {"Content-Type": "multipart/form-data"} | AUTH
    assert_error_shape(api.post("/documents", content=b"x", headers=headers), 400, "invalid_upload")


def test_401_unauthorized(api: TestClient) -> None:
    response = api.post("/phrases/rebuild")
    assert_error_shape(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_403_writes_disabled(migrated: Settings) -> None:
    with TestClient(create_app(migrated)) as client:
        assert_error_shape(client.post("/phrases/rebuild", headers=AUTH), 403, "writes_disabled")


def test_404_unknown_path_and_unknown_ids(api: TestClient) -> None:
    assert_error_shape(api.get("/no/such/page"), 404, "not_found")
    assert_error_shape(api.get("/documents/12345"), 404, "document_not_found")
    assert_error_shape(api.get("/phrases/12345"), 404, "phrase_not_found")
    assert_error_shape(api.delete("/documents/12345", headers=AUTH), 404, "document_not_found")


def test_405_wrong_method_keeps_the_allow_header(api: TestClient) -> None:
    response = api.put("/healthz")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_error_shape(api.patch("/documents/1", headers=AUTH), 405, "method_not_allowed")


def test_413_too_large(api: TestClient) -> None:
    response = api.post("/documents", files={"file": ("a.txt", "中文".encode() * 1000)}, headers=AUTH)
    assert_error_shape(response, 413, "too_large")


def test_415_unsupported_type(api: TestClient) -> None:
    response = api.post("/documents", files={"file": ("a.exe", "中文内容".encode() * 10)}, headers=AUTH)
    assert_error_shape(response, 415, "unsupported_type")
    assert_error_shape(api.post("/documents", json={"file": "x"}, headers=AUTH), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "path", ["/documents?limit=0", "/documents/abc", "/documents/0", "/phrases?kind=nope", "/search", "/search?k=0"]
)
def test_422_invalid_parameters(api: TestClient, path: str) -> None:
    error = assert_error_shape(api.get(path), 422, "invalid_request")
    assert "invalid request" in error["message"]


def test_422_query_the_search_cannot_use(api: TestClient) -> None:
    assert_error_shape(api.get("/search", params={"q": "   "}), 422)


def test_500_hides_internals(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    error = assert_error_shape(api.get("/boom"), 500, "internal_error")
    assert error["message"] == "服务器内部错误 / internal server error"
    assert SECRET in caplog.text  # the operator still gets the traceback in the log
