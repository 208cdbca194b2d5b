"""POST /documents and DELETE /documents/{id}: hostile uploads are refused, and a refusal stores nothing."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import app.ingest.isolate as isolate
from app.config import Settings
from app.ingest.read.formats import ReadLimits
from app.ingest.store import corpus_counts, safe_filename
from app.main import create_app
from tests import hostile_parsers
from tests.conftest import SEEDS
from tests.helpers.readers import PDF_PAGES, make_docx, make_pdf

TOKEN = "upload-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPEECH = next(p for p in SEEDS if p.name.startswith("003_")).read_bytes()
OTHER = next(p for p in SEEDS if p.name.startswith("002_")).read_bytes()  # refusals: not a duplicate of SPEECH


@pytest.fixture
def upload_settings(migrated: Settings) -> Settings:
    return Settings(
        data_dir=migrated.data_dir,
        database_url=migrated.database_url,
        api_token=TOKEN,
        max_file_bytes=200_000,
        max_unzipped_bytes=1_000_000,
        max_zip_entries=50,
        max_pdf_pages=3,
        max_ingest_seconds=20,
    )


@pytest.fixture
def api(upload_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(upload_settings)) as client:
        yield client


def post(client: TestClient, name: str, data: bytes) -> object:
    return client.post("/documents", files={"file": (name, data)}, headers=AUTH)


def snapshot(client: TestClient, data_dir: Path) -> tuple[dict, list[str]]:
    """What a rejected upload must leave unchanged: the corpus counts and every file under the data dir."""
    counts = client.get("/healthz").json()["counts"]
    files = sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*")) if data_dir.exists() else []
    return counts, files


# --- accepted uploads --------------------------------------------------------------------------


def test_upload_adds_the_document_and_refreshes_bank_and_index(api: TestClient) -> None:
    response = post(api, "../../etc/讲话.txt", SPEECH)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "added" and body["filename"] == "讲话.txt"
    assert body["refresh"]["phrases"] > 0 and body["refresh"]["passages"] > 0
    detail = api.get(f"/documents/{body['document_id']}").json()
    assert detail["source"] == "讲话.txt" and detail["kind"] == "speech"
    # The new index is live at once: search answers from it without a restart.
    search = api.get("/search", params={"q": "志愿服务"}).json()
    assert search["index_version"] == body["refresh"]["index_version"] and search["total"] > 0
    assert api.get("/phrases").json()["total"] == body["refresh"]["phrases"]


def test_the_same_file_again_is_a_200_duplicate_not_a_second_copy(api: TestClient) -> None:
    first = post(api, "a.txt", SPEECH).json()
    again = post(api, "b.txt", SPEECH)
    assert again.status_code == 200
    body = again.json()
    assert body["status"] == "duplicate" and body["document_id"] == first["document_id"]
    assert f"#{first['document_id']}" in body["message"] and body["refresh"] is None
    # Same text with other page furniture is the same document too.
    same_text = post(api, "c.txt", "首页 > 范文\n\n".encode() + SPEECH)
    assert same_text.status_code == 200 and same_text.json()["document_id"] == first["document_id"]
    assert api.get("/healthz").json()["counts"]["documents"] == 1


def test_docx_and_pdf_uploads_are_read_by_content(api: TestClient) -> None:
    assert post(api, "讲话.docx", make_docx()).status_code == 201
    assert post(api, "讲话.pdf", make_pdf(PDF_PAGES)).status_code == 201


def test_delete_removes_the_document_and_refreshes(api: TestClient) -> None:
    document_id = post(api, "a.txt", SPEECH).json()["document_id"]
    removed = api.delete(f"/documents/{document_id}", headers=AUTH)
    assert removed.status_code == 200
    assert removed.json()["refresh"] == {
        "documents": 0,
        "phrases": 0,
        "phrases_by_kind": {},
        "passages": 0,
        "index_version": removed.json()["refresh"]["index_version"],
    }
    assert api.get(f"/documents/{document_id}").status_code == 404
    again = api.delete(f"/documents/{document_id}", headers=AUTH)
    assert again.status_code == 404 and again.json()["error"]["code"] == "document_not_found"


# --- refused uploads ---------------------------------------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


REFUSALS = [
    # (name, content, status, code)
    ("big.txt", ("测试内容。" * 20_000).encode(), 413, "too_large"),
    ("bomb.docx", zip_bytes({"word/document.xml": b"<w/>", "pad.bin": b"\0" * 2_000_000}), 413, "zip_bomb"),
    ("many.docx", zip_bytes({"word/document.xml": b"<w/>"} | {f"e{i}.xml": b"x" for i in range(60)}), 413, "zip_bomb"),
    ("long.pdf", make_pdf([["第一页的内容，用于测试页数上限。"]] * 4), 413, "too_many_pages"),
    ("virus.exe", OTHER, 415, "unsupported_type"),
    ("演示.ppt", OTHER, 415, "unsupported_type"),
    ("旧版.wps", b"\x00WPS" + bytes(range(256)) * 4, 415, "unreadable_wps"),
    ("noext", OTHER, 415, "unsupported_type"),
    ("fake.txt", make_pdf(PDF_PAGES), 415, "binary"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), 415, "binary"),
    ("fake.pdf", OTHER, 422, "corrupt_pdf"),
    ("fake.docx", OTHER, 422, "corrupt_docx"),
    ("noword.docx", zip_bytes({"content.xml": "<a>中文</a>".encode()}), 422, "corrupt_docx"),
    ("empty.txt", b"", 422, "empty"),
    ("english.txt", b"Just an English memo with no Chinese at all. " * 10, 422, "no_chinese"),
    ("chrome.html", "<nav>首页 网站地图 联系我们 版权所有 登录 注册</nav>".encode(), 422, "empty"),
    ("ads.txt", "广告\n点击下载\n登录注册\n上一篇下一篇\n".encode() * 3, 422, "no_content"),
]


@pytest.mark.parametrize(("name", "data", "status", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_hostile_uploads_are_refused_and_store_nothing(
    api: TestClient, upload_settings: Settings, name: str, data: bytes, status: int, code: str
) -> None:
    post(api, "kept.txt", SPEECH)  # something stored already: a refusal must not disturb it either
    before = snapshot(api, upload_settings.data_dir)
    response = post(api, name, data)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert " / " in error["message"]  # 中文 / English
    assert snapshot(api, upload_settings.data_dir) == before


def test_a_declared_oversized_body_is_refused_before_it_is_read(api: TestClient) -> None:
    huge = {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(10**9)} | AUTH
    response = api.post("/documents", content=b"--x--\r\n", headers=huge)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_an_oversized_body_without_length_is_cut_off(api: TestClient, upload_settings: Settings) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(100):  # 100 × 64 KiB, far past the 200 kB cap
            yield b"a" * 65536

    headers = {"Content-Type": "multipart/form-data; boundary=x"} | AUTH
    response = api.post("/documents", content=chunks(), headers=headers)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert api.get("/healthz").json()["counts"]["documents"] == 0


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": {"file": "not a file"}, "files": {"other": ("a.txt", SPEECH)}}, 422, "missing_file"),
        ({"data": {"file": "url-encoded"}}, 415, "unsupported_media_type"),
        ({"files": {"other": ("a.txt", SPEECH)}}, 422, "missing_file"),
        ({"files": [("file", ("a.txt", SPEECH)), ("file", ("b.txt", SPEECH))]}, 400, "invalid_upload"),
        ({"content": b"{}", "headers": {"Content-Type": "application/json"}}, 415, "unsupported_media_type"),
        ({"content": b"garbage", "headers": {"Content-Type": "multipart/form-data"}}, 400, "invalid_upload"),
    ],
    ids=["string-field", "url-encoded", "wrong-field", "two-files", "json", "no-boundary"],
)
def test_malformed_upload_requests(api: TestClient, kwargs: dict, status: int, code: str) -> None:
    kwargs = dict(kwargs)  # the parameter dict is shared by the sqlite and postgresql runs: do not pop from it
    headers = kwargs.pop("headers", {}) | AUTH
    response = api.post("/documents", headers=headers, **kwargs)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert api.get("/healthz").json()["counts"]["documents"] == 0


def test_a_parse_past_the_time_limit_is_killed(
    upload_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)
    settings = upload_settings.model_copy(update={"max_ingest_seconds": 3.0})
    pid_file = tmp_path / "slow.pid"
    with TestClient(create_app(settings)) as client:
        monkeypatch.chdir(tmp_path)  # the child starts in this directory and writes slow.pid here
        response = post(client, "slow.txt", SPEECH)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "parse_timeout"
        assert client.get("/healthz").json()["counts"]["documents"] == 0
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(pid, 0)


def test_a_parser_that_crashes_its_process_is_a_clean_refusal(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.die)
    response = post(api, "a.txt", SPEECH)
    assert response.status_code == 422 and response.json()["error"]["code"] == "parse_failed"
    assert api.get("/healthz").json()["counts"]["documents"] == 0


def test_ingest_upload_without_a_time_limit_parses_in_process(
    session_factory: sessionmaker[Session],
) -> None:
    """ingest_upload without a timeout (CLI, tests) parses in-process with the same checks."""
    from app.ingest.store import ingest_upload

    outcome = ingest_upload(session_factory, SPEECH, "x/讲话.txt", ReadLimits())
    assert outcome.status == "added" and outcome.source == "讲话.txt"
    refused = ingest_upload(session_factory, b"\x89PNG\r\n\x1a\n" + bytes(64), "a.txt", ReadLimits())
    assert refused.status == "rejected" and refused.code == "binary"
    with session_factory() as session:
        assert corpus_counts(session).documents == 1


# --- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("讲话.txt", "讲话.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/abs/path/报告.docx", "报告.docx"),
        ("C:\\Users\\王\\Desktop\\通知.pdf", "通知.pdf"),
        ("..\\..\\x.txt", "x.txt"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        ("   .hidden.txt ", "hidden.txt"),
        ("evil\u202etxt.exe", "eviltxt.exe"),  # right-to-left override would display as "evilexe.txt"
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("new\nline.txt", "newline.txt"),
        ("lone\ud800surrogate.txt", "lonesurrogate.txt"),
        ("cafe\u0301.txt", "café.txt"),  # NFC
        ("会议" * 150 + ".txt", "会议" * 98 + ".txt"),  # cut to 200 characters, extension kept
    ],
)
def test_safe_filename(raw: str | None, safe: str) -> None:
    assert safe_filename(raw) == safe
    assert len(safe_filename(raw)) <= 200


def test_weird_names_are_stored_cleaned(api: TestClient) -> None:
    response = post(api, "..\\..\\报告\u202e\u200b.txt", SPEECH)
    assert response.status_code == 201
    document = api.get(f"/documents/{response.json()['document_id']}").json()
    assert document["source"] == "报告.txt"
