"""``bigan search`` and ``GET /search`` on the bundled corpus, as a user drives them, with every bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app
from app.config import Settings
from app.main import create_app
from app.retrieve.persist import IndexStore
from app.retrieve.service import index_root
from tests.conftest import SEEDS

runner = CliRunner()


def _ingest(*paths: str) -> str:
    result = runner.invoke(app, ["ingest", *paths])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_ingest_rebuilds_the_index_and_search_finds_passages(settings: Settings) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    empty = runner.invoke(app, ["search", "志愿服务"])
    assert empty.exit_code == 0 and "no documents ingested" in empty.output

    output = _ingest(*map(str, SEEDS))
    assert "passage index rebuilt: 76 passages from 5 documents" in output
    first = IndexStore(index_root(settings)).current_version()
    assert first is not None

    plain = runner.invoke(app, ["search", "志愿服务", "--role", "tasks", "-k", "3"])
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("1. ") and "〔tasks〕" in plain.output and "【志愿" in plain.output

    result = runner.invoke(app, ["search", "城中村治理", "--json", "-k", "5", "--kind", "speech", "--since", "2025"])
    hits = [json.loads(line) for line in result.output.strip().splitlines()]
    assert 1 <= len(hits) <= 5 and all(h["document"]["kind"] == "speech" for h in hits)
    assert "城中村" in hits[0]["text"] and hits[0]["role"] == "tasks"
    start, end = hits[0]["spans"][0]
    assert hits[0]["text"][start:end] in hits[0]["highlighted"]
    doc = hits[0]["document"]["id"]
    excluded = runner.invoke(app, ["search", "城中村治理", "--json", "--exclude-doc", str(doc)])
    assert all(json.loads(line)["document"]["id"] != doc for line in excluded.output.strip().splitlines())

    in_domain = runner.invoke(app, ["search", "组织领导 责任落实", "--in-domain", "--until", "2025-06", "--json"])
    assert in_domain.exit_code == 0 and in_domain.output.strip()

    removed = runner.invoke(app, ["documents", "remove", str(doc)])
    assert removed.exit_code == 0 and "passage index rebuilt" in removed.output
    assert IndexStore(index_root(settings)).current_version() != first
    after = runner.invoke(app, ["search", "城中村治理", "--json"])
    assert all(json.loads(line)["document"]["id"] != doc for line in after.output.strip().splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "empty"),
        (["，。、"], "stop words"),
        (["志愿服务" * 2500], "too long"),
        (["志愿服务", "-k", "0"], "k must be"),
        (["志愿服务", "--role", "nonsense"], "unknown role"),
        (["志愿服务", "--since", "2025-13"], "no such date"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(settings: Settings, args: list[str], message: str) -> None:
    runner.invoke(app, ["db", "upgrade"])
    _ingest(str(SEEDS[3]))
    result = runner.invoke(app, ["search", *args])
    assert result.exit_code == 2 and message in result.output


def test_api_search_follows_ingest_in_another_process(settings: Settings, client: TestClient) -> None:
    empty = client.get("/search", params={"q": "志愿服务"})
    assert empty.status_code == 200
    assert empty.json()["hits"] == [] and empty.json()["reason"] and empty.json()["index_version"] is None

    _ingest(*map(str, SEEDS))  # publishes a new index version; the app swaps it in on the next request
    response = client.get("/search", params={"q": "志愿服务", "role": "tasks", "k": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["index_version"] == IndexStore(index_root(settings)).current_version()
    assert 1 <= body["total"] == len(body["hits"]) <= 3 and body["reason"] is None
    hit = body["hits"][0]
    assert set(hit) >= {
        "passage_id",
        "text",
        "spans",
        "highlighted",
        "highlighted_html",
        "score",
        "role",
        "heading_path",
        "document",
        "also_in",
    }
    assert hit["role"] == "tasks" and set(hit["document"]) == {"id", "title", "date", "kind", "source"}
    for start, end in hit["spans"]:
        assert f"<mark>{hit['text'][start:end]}</mark>" in hit["highlighted_html"]
    scores = [h["score"] for h in body["hits"]]
    assert all(0 < s <= 1 for s in scores)

    filtered = client.get(
        "/search", params={"q": "文明城市", "kind": "report", "since": "2022", "until": "2022-12", "in_domain": True}
    ).json()
    assert filtered["hits"] and all(h["document"]["kind"] == "report" for h in filtered["hits"])
    assert all((h["document"]["date"] or "").startswith("2022") for h in filtered["hits"])
    doc = filtered["hits"][0]["document"]["id"]
    others = client.get("/search", params={"q": "文明城市", "exclude_doc": doc}).json()
    assert others["hits"] and all(h["document"]["id"] != doc for h in others["hits"])

    nothing = client.get("/search", params={"q": "量子计算机"}).json()
    assert nothing["hits"] == [] and nothing["reason"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, "empty_query"),
        ({"q": "   "}, "empty_query"),
        ({"q": "，。！？"}, "no_terms"),
        ({"q": "的 了 和"}, "no_terms"),
        ({"q": "志愿服务" * 1500 + "a" * 4000}, "query_too_long"),  # 10 000 characters (httpx caps a URL part)
        ({"q": "志愿服务", "k": 0}, "invalid_request"),
        ({"q": "志愿服务", "k": 1000}, "invalid_request"),
        ({"q": "志愿服务", "k": "ten"}, "invalid_request"),
        ({"q": "志愿服务", "role": "nonsense"}, "unknown_role"),
        ({"q": "志愿服务", "kind": "poem"}, "invalid_request"),
        ({"q": "志愿服务", "since": "2025/06"}, "bad_date"),
        ({"q": "志愿服务", "since": "2025", "until": "2024"}, "bad_date_range"),
        ({"q": "志愿服务", "exclude_doc": -1}, "invalid_request"),
        ({}, "invalid_request"),
    ],
)
def test_api_bad_input_is_a_4xx_with_the_error_shape(settings: Settings, params: dict, code: str) -> None:
    runner.invoke(app, ["db", "upgrade"])
    _ingest(str(SEEDS[3]))
    with TestClient(create_app(settings)) as client:
        response = client.get("/search", params=params)
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_api_bad_input_on_an_empty_database_is_still_a_4xx(client: TestClient) -> None:
    response = client.get("/search", params={"q": " "})
    assert response.status_code == 422 and response.json()["error"]["code"] == "empty_query"


def test_app_builds_a_missing_index_at_start_up(migrated: Settings) -> None:
    import time

    from app.db import make_engine, make_session_factory
    from app.ingest.store import ingest_path, read_limits

    engine = make_engine(migrated)
    factory = make_session_factory(engine)
    assert ingest_path(factory, SEEDS[3], read_limits(migrated)).status == "added"  # no CLI: no index yet
    engine.dispose()
    assert IndexStore(index_root(migrated)).current_version() is None
    with TestClient(create_app(migrated)) as client:
        deadline = time.monotonic() + 60
        body = client.get("/search", params={"q": "城中村治理"}).json()
        while body["index_version"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
            body = client.get("/search", params={"q": "城中村治理"}).json()
    assert body["index_version"] is not None and body["hits"]
