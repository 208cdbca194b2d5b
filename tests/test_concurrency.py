"""Drafts and searches keep answering, from a whole index, while a re-mine and re-index run."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings
from app.main import create_app
from tests.conftest import SEEDS

TOKEN = "concurrency-token"


@pytest.fixture
def served(migrated: Settings) -> Iterator[TestClient]:
    result = CliRunner().invoke(cli, ["ingest", *map(str, SEEDS)])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(migrated.model_copy(update={"api_token": TOKEN}))) as client:
        yield client


def test_reads_answer_during_rebuilds_and_see_whole_indexes(served: TestClient) -> None:
    before = served.get("/search", params={"q": "志愿服务"}).json()
    versions = {before["index_version"]}
    rebuilt: list[int] = []

    def rebuild() -> None:
        for _ in range(3):
            response = served.post("/phrases/rebuild", headers={"Authorization": f"Bearer {TOKEN}"})
            rebuilt.append(response.status_code)

    writer = threading.Thread(target=rebuild)
    writer.start()
    answers = 0
    while writer.is_alive() or answers < 5:
        search = served.get("/search", params={"q": "志愿服务", "k": 5})
        assert search.status_code == 200
        body = search.json()
        # Every answer comes from one complete index: the same corpus gives the same hits in any version.
        assert [h["passage_id"] for h in body["hits"]] == [h["passage_id"] for h in before["hits"][:5]]
        versions.add(body["index_version"])
        draft = served.post("/draft", json={"meeting": "全市精神文明建设工作推进会", "detail": "outline+passages"})
        assert draft.status_code == 200 and draft.json()["sections"]
        answers += 1
    writer.join()
    assert rebuilt == [200, 200, 200]
    assert len(versions) >= 2, "the rebuilt index was swapped in while reads went on"
