"""POST /draft over the bundled corpus on one uvicorn worker: latency, and throughput at 64 connections
beside a bare JSON endpoint of the same app (GET /livez) measured in the same run.

Load comes from ``wrk`` (Debian package ``wrk``) in a second process on loopback; without wrk the
throughput rows are skipped with a note. Goals (issue 6): p50 ≤ 20 ms with passages; throughput ≥ 25 %
of the bare endpoint's, no errors.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import CORPUS, REPO_ROOT, Row

BODY = {
    "meeting": "全市精神文明建设工作推进会",
    "place": "大连市",
    "topics": ["未成年人思想道德建设", "志愿服务", "城中村治理"],
    "parts": 4,
    "detail": "outline+passages",
}
_NOTES: list[str] = []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server(data_dir: Path, port: int, corpus: Path | None = CORPUS) -> subprocess.Popen[bytes]:
    """``bigan serve`` on ``data_dir`` once it answers; ``corpus`` is ingested first (None: already ingested)."""
    env = {**os.environ, "BIGAN_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    bigan = str(Path(sys.executable).parent / "bigan")
    for command in (["db", "upgrade"], *([["ingest", str(corpus)]] if corpus is not None else [])):
        subprocess.run([bigan, *command], check=True, capture_output=True, env=env, cwd=REPO_ROOT)
    server = subprocess.Popen(
        [bigan, "serve", "--port", str(port)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not start")


def _latency(base: str, requests: int, body: dict[str, object] = BODY, timeout: float = 10) -> list[float]:
    timings = []
    with httpx.Client(base_url=base, timeout=timeout) as client:
        for _ in range(20):  # warm-up: bank cache, index load, first template compile
            client.post("/draft", json=body).raise_for_status()
        for seed in range(requests):
            started = time.perf_counter()
            # A new seed each time: the draft cache never answers, every request is planned afresh.
            client.post("/draft", json={**body, "seed": 1000 + seed}).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _wrk(url: str, seconds: int, body: dict[str, object] | None, vary_seed: bool = False) -> tuple[float, int]:
    """(requests per second, errors) at 64 connections, 2 threads; ``vary_seed`` makes every request new."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        if body is not None and vary_seed:
            template = json.dumps({**body, "seed": 999999999}, ensure_ascii=False)
            script.write(f"local template = {json.dumps(template, ensure_ascii=False)}\n")
            script.write(
                "request = function()\n"
                '  local text = string.gsub(template, "999999999", tostring(math.random(1, 2000000000)))\n'
                '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, text)\n'
                "end\n"
            )
        elif body is not None:
            script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
            script.write(f"wrk.body = {json.dumps(json.dumps(body, ensure_ascii=False), ensure_ascii=False)}\n")
    try:
        out = subprocess.run(
            ["wrk", "-t2", "-c64", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    return wrk_rate_and_errors(out)


def wrk_rate_and_errors(out: str) -> tuple[float, int]:
    """Requests per second and the error count (non-2xx responses plus socket errors) from wrk's report."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(g) for g in match.groups())
    return rate, errors


def run(quick: bool = False) -> list[Row]:
    _NOTES.clear()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        server = _server(Path(tmp), port)
        base = f"http://127.0.0.1:{port}"
        try:
            timings = _latency(base, 50 if quick else 300)
            p50 = statistics.median(timings)
            p99 = statistics.quantiles(timings, n=100)[98]
            rows.append(Row("draft", "/draft p50, new seed each time (outline+passages)", round(p50, 2), "ms",
                            "", None, "≤ 20 ms", p50 <= 20))  # fmt: skip
            rows.append(Row("draft", "/draft p99", round(p99, 2), "ms", "", None, "", None))
            # The default since issue 13: a drafted paragraph under every heading.
            drafted = _latency(base, 50 if quick else 300, {**BODY, "detail": "paragraphs"})
            p50_drafted = statistics.median(drafted)
            rows.append(Row("draft", "/draft p50 with paragraphs (default detail), new seed each time",
                            round(p50_drafted, 2), "ms", "outline+passages p50", round(p50, 2), "≤ 20 ms",
                            p50_drafted <= 20))  # fmt: skip
            rows.append(Row("draft", "/draft p99 with paragraphs", round(statistics.quantiles(drafted, n=100)[98], 2),
                            "ms", "", None, "", None))  # fmt: skip
            if shutil.which("wrk") is None:
                _NOTES.append("wrk not installed (apt-get install wrk): throughput rows skipped.")
            else:
                seconds = 5 if quick else 20
                bare, bare_errors = _wrk(f"{base}/livez", seconds, None)
                draft, draft_errors = _wrk(f"{base}/draft", seconds, BODY)
                fresh, fresh_errors = _wrk(f"{base}/draft", seconds, BODY, vary_seed=True)
                ratio = draft / bare
                rows.append(Row("draft", "/draft throughput, 64 conns, same request (cached)", round(draft, 1), "req/s",
                                "GET /livez (bare JSON, same app)", round(bare, 1), "≥ 25 % of bare",
                                ratio >= 0.25))  # fmt: skip
                rows.append(Row("draft", "/draft / bare throughput", round(ratio * 100, 1), "%", "", None,
                                "≥ 25 %", ratio >= 0.25))  # fmt: skip
                rows.append(Row("draft", "/draft throughput, every request new (random seed)", round(fresh, 1),
                                "req/s", "GET /livez", round(bare, 1), "(no goal: plan not cached)", None))  # fmt: skip
                errors = draft_errors + bare_errors + fresh_errors
                rows.append(Row("draft", "errors under load (all three runs)", errors, "", "", None, "0",
                                errors == 0))  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def report_section() -> str:
    lines = [
        "## /draft",
        "",
        "One uvicorn worker (`bigan serve`) over the bundled corpus (5 documents, 76 passages, 153 bank entries);",
        "latency from a keep-alive client, one request at a time; throughput from `wrk -t2 -c64` on the same",
        "2-core machine (the load generator shares the cores with the server). Repeated identical requests are",
        "answered from the draft cache (a draft is a pure function of request, bank version and index version);",
        "the random-seed runs (latency and throughput) re-plan every draft; the retriever's answers for the same",
        "topic or heading are cached per index (a pure function of index and query), so they are warm there.",
    ]
    lines += [f"- {note}" for note in _NOTES]
    return "\n".join(lines) + "\n"
