"""Mixed load for 60 s on one uvicorn worker: /draft, /search and /phrases from 4 load workers (wrk -t4 -c4).

Reports throughput, latency p50/p99, the error count (goal 0) and the server's RSS before and after
(goal: growth ≤ 10 %). Loopback only, bounded in time. Drafts vary their seed among 40 values and
searches cycle through the judged queries, so caches help only as much as they would in an office.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_draft import BODY, _free_port, _server, wrk_rate_and_errors
from benchmarks.common import REPO_ROOT, Row

_NOTES: list[str] = []


def _queries() -> list[str]:
    lines = (REPO_ROOT / "tests" / "data" / "queries.tsv").read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line.split("\t")[0] for line in lines if line and not line.startswith("#")))


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]


def mixed_script(path: Path, token: str | None = None) -> None:
    """The mixed-load wrk script; with ``token`` every request carries it (a server with BIGAN_READ_TOKEN set)."""
    from urllib.parse import quote

    searches = [f"/search?q={quote(q)}&k=10" for q in _queries()]
    phrases = [f"/phrases?role={role}&limit=20" for role in ("tasks", "safeguards", "opening", "requirements")]
    body = json.dumps({**BODY, "seed": 999999999}, ensure_ascii=False)
    auth = f'["Authorization"] = "Bearer {token}"' if token else ""
    path.write_text(
        f"local searches = {{{', '.join(json.dumps(s) for s in searches)}}}\n"
        f"local phrases = {{{', '.join(json.dumps(p) for p in phrases)}}}\n"
        f"local body = {json.dumps(body, ensure_ascii=False)}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  local pick = n % 3\n"
        "  if pick == 0 then\n"
        '    local text = string.gsub(body, "999999999", tostring(n % 40))\n'
        f'    return wrk.format("POST", "/draft", {{["Content-Type"] = "application/json", {auth}}}, text)\n'
        "  elseif pick == 1 then\n"
        f'    return wrk.format("GET", searches[(n % #searches) + 1], {{{auth}}})\n'
        "  end\n"
        f'  return wrk.format("GET", phrases[(n % #phrases) + 1], {{{auth}}})\n'
        "end\n",
        encoding="utf-8",
    )


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


@dataclass(frozen=True)
class Load:
    """What one wrk run of the mixed script measured."""

    rate: float  # requests per second
    p50: float  # ms
    p99: float  # ms
    errors: int  # non-2xx/3xx responses and socket errors


def warm_up(script: Path, url: str) -> None:
    """Index load, first drafts: so what is measured next is the steady state, not the empty process."""
    subprocess.run(["wrk", "-t2", "-c2", "-d3s", "-s", str(script), url], capture_output=True, check=True)


def mixed_load(script: Path, url: str, seconds: int) -> Load:
    """The well-formed load: wrk with 4 threads and 4 connections running ``script`` for ``seconds``."""
    out = subprocess.run(
        ["wrk", "-t4", "-c4", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate, errors = wrk_rate_and_errors(out)
    # Anchored to the distribution's own lines: "99%" also ends a "+/- Stdev" figure such as "80.99%".
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1])  # type: ignore[index]
    return Load(rate, p50, p99, errors)


def run(quick: bool = False) -> list[Row]:
    _NOTES.clear()
    if shutil.which("wrk") is None:
        _NOTES.append("wrk not installed (apt-get install wrk): load test skipped.")
        return []
    seconds = 10 if quick else 60
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        server = _server(Path(tmp), port)
        try:
            script = Path(tmp) / "mixed.lua"
            mixed_script(script)
            url = f"http://127.0.0.1:{port}"
            warm_up(script, url)
            before = _rss_kib(server.pid)
            load = mixed_load(script, url, seconds)
            after = _rss_kib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    growth = (after - before) / before * 100
    label = f"mixed /draft + /search + /phrases, 4 workers, {seconds} s"
    return [
        Row("load", f"{label}: throughput", round(load.rate, 1), "req/s", "", None, "", None),
        Row("load", f"{label}: latency p50", round(load.p50, 2), "ms", "", None, "", None),
        Row("load", f"{label}: latency p99", round(load.p99, 2), "ms", "", None, "", None),
        Row("load", f"{label}: errors", load.errors, "", "", None, "0", load.errors == 0),
        Row(
            "load",
            "server RSS before → after",
            round(after / 1024, 1),
            "MiB",
            "RSS before",
            round(before / 1024, 1),
            "growth ≤ 10 %",
            growth <= 10,
        ),
    ]


def report_section() -> str:
    lines = [
        "## Load",
        "",
        "`wrk -t4 -c4 --latency` for 60 s against one `bigan serve` worker over the bundled corpus, requests",
        "rotating /draft (outline+passages, 40 seeds), /search (the judged queries) and /phrases (4 roles);",
        "RSS read from /proc after a 3 s warm-up and again at the end.",
    ]
    lines += [f"- {note}" for note in _NOTES]
    return "\n".join(lines) + "\n"
