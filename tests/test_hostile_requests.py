"""Hostile and broken input (issue 17, part B): wrong types, nested lists, huge values, impossible dates, long
file names. Each is a 4xx in the error shape naming the field, or works; none is a 5xx or a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import ValidationError
from typer.testing import CliRunner

from app.cli import app as cli
from app.compose.request import MAX_TOPICS, DraftRequest
from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.retrieve.query import QueryError, SearchFilters
from app.web.forms import parse_draft_form
from tests.conftest import SEEDS

runner = CliRunner()
TOKEN = "hostile-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MEETING = "全市会议"


def _client(settings: Settings) -> TestClient:
    # raise_server_exceptions=False: a 500 shows as the response a real client would get.
    return TestClient(create_app(settings.model_copy(update={"api_token": TOKEN})), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the many refusals, which never reach the database (a fresh one each would cost ~0.7 s)."""
    data_dir = tmp_path_factory.mktemp("hostile")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bigan.sqlite3'}")
    upgrade(settings)
    with _client(settings) as client:
        yield client


@pytest.fixture
def upload_api(migrated: Settings) -> Iterator[TestClient]:
    """A fresh database on every backend: these requests may store a document."""
    with _client(migrated) as client:
        yield client


def _error(response: Response, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message"} and " / " in error["message"]  # "中文 / English"
    return error


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topics": [["x"]]}, "topics.0"),  # was a 500: unhashable type: 'list'
        ({"topics": [{"a": 1}]}, "topics.0"),  # was a 500: unhashable type: 'dict'
        ({"topics": ["志愿服务", ["x"], "志愿服务"]}, "topics.1"),
        ({"topics": [None]}, "topics.0"),
        ({"topics": {"a": 1}}, "topics"),
        ({"topics": [f"议题{i}" for i in range(10_000)]}, "topics"),
        ({"topics": "志愿服务，" * 1000}, "topics"),
        ({"meeting": ["全市会议"]}, "meeting"),
        ({"meeting": {"name": MEETING}}, "meeting"),
        ({"meeting": "全" * 100_000}, "meeting"),
        ({"place": ["大连市"]}, "place"),
        ({"theme": 5}, "theme"),
        ({"speaker": "张" * 61}, "speaker"),
        ({"meeting_type": ["表彰"]}, "meeting_type"),
        ({"meeting_type": "庆典"}, "meeting_type"),
        ({"doc_type": "poem"}, "doc_type"),
        ({"detail": ["outline"]}, "detail"),
        ({"script": "Traditional"}, "script"),
        ({"points": "maybe"}, "points"),
        ({"parts": True}, "parts"),  # JSON true is not the number 1
        ({"target_minutes": True}, "target_minutes"),
        ({"target_minutes": -5}, "target_minutes"),
        ({"target_minutes": 1e308}, "target_minutes"),
        ({"target_minutes": 12.5}, "target_minutes"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**70}, "seed"),
    ],
)
def test_a_broken_draft_field_is_a_422_naming_it(api: TestClient, body: dict[str, object], field: str) -> None:
    error = _error(api.post("/draft", json={"meeting": MEETING, **body}))
    assert error["code"] == "invalid_request" and f"body.{field}:" in error["message"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(api: TestClient, number: str) -> None:
    raw = f'{{"meeting": "{MEETING}", "target_minutes": {number}, "seed": {number}}}'  # Python's json reads these
    response = api.post("/draft", content=raw.encode(), headers={"Content-Type": "application/json"})
    message = _error(response)["message"]
    assert "body.target_minutes:" in message and "body.seed:" in message


def test_repeated_and_blank_topics_and_form_strings_still_work(api: TestClient) -> None:
    topics = ["志愿服务", " 志愿服务 ", "", "城中村治理", *["志愿服务"] * 20]  # 24 raw items, 2 topics
    body = {"meeting": MEETING, "topics": topics, "parts": "3", "seed": "7", "target_minutes": 10.0}
    response = api.post("/draft", json=body | {"detail": "outline"})
    assert response.status_code == 200, response.text
    request = DraftRequest.model_validate(body)
    assert request.topics == ["志愿服务", "城中村治理"] and (request.parts, request.seed) == (3, 7)
    too_many = [f"议题{i}" for i in range(MAX_TOPICS + 1)]
    assert "at most 8 items" in _error(api.post("/draft", json={"meeting": MEETING, "topics": too_many}))["message"]


def test_cli_draft_from_json_with_a_nested_list_says_so_without_a_traceback(settings: Settings, tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"meeting": MEETING, "topics": [["x"]]}), encoding="utf-8")
    result = runner.invoke(cli, ["draft", "--from-json", str(request)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "输入有误 / invalid input" in result.output and "topics.0" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"[1, 2]"])
def test_cli_draft_from_unreadable_json_exits_2_with_a_message(
    settings: Settings, tmp_path: Path, content: bytes
) -> None:
    request = tmp_path / "request.json"
    request.write_bytes(content)
    result = runner.invoke(cli, ["draft", "--from-json", str(request)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "JSON" in result.output and "Traceback" not in result.output


# --- Dates: one reading (app/text/dates.py) on every route, the CLI and the web form ---

IMPOSSIBLE = ["2026-02-30", "2026-02-29", "9999-99-99", "2026-13-01", "2026-00-10", "0000-01-01"]
NOT_A_DATE = [0, 20260305, 1.5, True, ["2026-03-05"], "", "2026-3-5", "2026/03/05", "2026年3月5日",
              "2026-03-05T00:00:00", "20260305", "２０２６-03-05", "2026-03-05\n"]  # fmt: skip


@pytest.mark.parametrize("value", IMPOSSIBLE + NOT_A_DATE)
def test_the_draft_date_is_a_real_yyyy_mm_dd_day(api: TestClient, value: object) -> None:
    error = _error(api.post("/draft", json={"meeting": MEETING, "date": value}))
    assert error["code"] == "bad_date" and "body.date:" in error["message"]
    expected = "no such date" if value in IMPOSSIBLE else "a date must be YYYY-MM-DD"
    assert expected in error["message"]


@pytest.mark.parametrize("value", IMPOSSIBLE + [v for v in NOT_A_DATE if isinstance(v, str) and v])
@pytest.mark.parametrize("bound", ["since", "until"])
def test_search_dates_are_read_the_same_way(api: TestClient, bound: str, value: str) -> None:
    error = _error(api.get("/search", params={"q": "志愿服务", bound: value}))
    assert error["code"] == "bad_date" and f"query.{bound}:" in error["message"]
    with pytest.raises(QueryError) as refused:  # the web search page and ``bigan search`` go through this
        SearchFilters(**{bound: value}).validate()
    assert refused.value.code == "bad_date"


def test_real_dates_pass_everywhere(api: TestClient) -> None:
    draft = api.post("/draft?format=json", json={"meeting": MEETING, "date": "2024-02-29", "detail": "outline"})
    assert draft.status_code == 200, draft.text
    for since, until in (("2024", "2024-12"), ("2024-02-29", "2024-02-29"), ("0001", "9999-12-31")):
        response = api.get("/search", params={"q": "志愿服务", "since": since, "until": until})
        assert response.status_code == 200, response.text
        SearchFilters(since=since, until=until).validate()
    assert DraftRequest(meeting=MEETING, date=dt.date(2026, 3, 5)).date == dt.date(2026, 3, 5)  # from Python
    with pytest.raises(ValidationError):
        DraftRequest(meeting=MEETING, date=dt.datetime(2026, 3, 5, 9, 30))  # a moment is not a day


def test_a_mixed_error_keeps_the_general_code(api: TestClient) -> None:
    error = _error(api.post("/draft", json={"meeting": MEETING, "date": "2026-02-30", "parts": 9}))
    assert error["code"] == "invalid_request" and "body.date:" in error["message"] and "body.parts:" in error["message"]


def test_the_web_form_and_the_cli_say_the_same_about_a_date(settings: Settings) -> None:
    form = parse_draft_form({"meeting": MEETING, "date": "2026-02-30"})
    assert form.request is None and form.errors["date"] == "日期不存在：2026-02-30"
    assert parse_draft_form({"meeting": MEETING, "date": "2026/02/03"}).errors["date"].startswith("日期格式应为")
    result = runner.invoke(cli, ["draft", "-m", MEETING, "--date", "2026-02-30"])
    assert result.exit_code == 2 and "date: 日期不存在：2026-02-30 / no such date: 2026-02-30" in result.output


def test_the_schema_documents_the_date_spelling(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()
    date = schema["components"]["schemas"]["DraftRequest"]["properties"]["date"]["anyOf"][0]
    assert date == {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    since = next(p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "since")
    assert since["schema"]["anyOf"][0]["pattern"] == "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


# --- Upload file names ---


@pytest.mark.parametrize(
    "name",
    [
        "讲" * 2000 + ".txt",  # ~6 KB of header: python-multipart stops parsing it
        "a" * 2000 + ".txt",  # parses, but no file system has such a name
        "C:\\材料\\" + "b" * 300 + ".txt",
    ],
)
def test_an_absurdly_long_file_name_is_named_as_the_problem(upload_api: TestClient, name: str) -> None:
    response = upload_api.post("/documents", files={"file": (name, SEEDS[3].read_bytes(), "text/plain")}, headers=AUTH)
    error = _error(response)
    assert error["code"] == "filename_too_long" and "file name" in error["message"]


def test_a_long_but_real_file_name_is_accepted(upload_api: TestClient) -> None:
    name = "材料/" * 100 + "关" * 250 + ".txt"  # folders do not count; 254 characters are allowed
    response = upload_api.post("/documents", files={"file": (name, SEEDS[3].read_bytes(), "text/plain")}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["filename"].startswith("关") and len(response.json()["filename"]) <= 200


def test_a_body_of_many_unknown_keys_gets_one_short_error(api: TestClient) -> None:
    error = _error(api.post("/draft", json={"meeting": "全市会议", **{f"k{n}": n for n in range(62_000)}}))
    assert "too many fields (62001, at most 32)" in error["message"] and len(error["message"]) < 200


def test_a_422_names_the_first_problems_and_counts_the_rest(api: TestClient) -> None:
    error = _error(api.post("/draft", json={"meeting": "全市会议", **{f"k{n}": n for n in range(25)}}))
    assert "k9" in error["message"] and "k10" not in error["message"]
    assert "另有 15 处 / 15 more" in error["message"]
