"""Two app processes over one database and one data dir: a write through one is seen by the other.

This is how a shared intranet deployment runs (several uvicorn workers or hosts behind a proxy, one
PostgreSQL, a shared data dir for the index). Runs on SQLite and, under CI=true, on PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import Settings

TOKEN = "multi-worker-token"
UNIQUE = "鹭岛微笑行动"
DOCUMENT = (
    "在全区精神文明建设推进会上的讲话\n同志们：\n一、深化志愿服务\n"
    f"要广泛开展{UNIQUE}，组织志愿者走进社区，推动文明新风深入人心，让市民在参与中提升文明素养。\n"
    "二、加强组织领导\n各级各部门要压实责任，形成齐抓共管的工作格局，确保各项任务落到实处。\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BIGAN_API_TOKEN": TOKEN}
    bigan = Path(sys.executable).parent / "bigan"
    process = subprocess.Popen(
        [str(bigan), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"worker on port {port} did not start: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]


@pytest.fixture
def two_workers(migrated: Settings) -> Iterator[tuple[str, str]]:
    ports = [_free_port(), _free_port()]
    processes = [_serve(port) for port in ports]
    try:
        yield f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}"
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_ingest_through_one_worker_is_seen_by_the_other(two_workers: tuple[str, str]) -> None:
    first, second = two_workers
    assert httpx.get(f"{second}/search", params={"q": UNIQUE}).json()["hits"] == []
    upload = httpx.post(
        f"{first}/documents",
        headers={"Authorization": f"Bearer {TOKEN}"},
        files={"file": ("讲话.txt", DOCUMENT.encode("utf-8"), "text/plain")},
        timeout=120,
    )
    assert upload.status_code == 201, upload.text
    document_id = upload.json()["document_id"]

    # The database is shared: the other worker lists the document at once.
    listed = httpx.get(f"{second}/documents").json()["items"]
    assert document_id in [item["id"] for item in listed]
    # The index is published atomically in the shared data dir; the other worker swaps it in on its next request.
    deadline = time.monotonic() + 30
    hits: list[dict[str, object]] = []
    while time.monotonic() < deadline and not hits:
        hits = httpx.get(f"{second}/search", params={"q": UNIQUE}).json()["hits"]
        if not hits:
            time.sleep(0.5)
    assert hits and UNIQUE in str(hits[0]["text"])
    draft = httpx.post(
        f"{second}/draft", json={"meeting": "全区精神文明建设推进会", "topics": [UNIQUE], "detail": "outline+passages"}
    ).json()
    # Anywhere in the draft: a passage appears once, under the first heading it fits.
    sections = list(draft["sections"]) + [c for section in draft["sections"] for c in section["children"]]
    passages = [s for section in sections for s in section["suggestions"]]
    assert any(UNIQUE in s["text"] for s in passages if s["kind"] == "passage")
