"""The load test re-run under attack (issue 17): bench_load's well-formed mixed load, quiet and then while
hostile clients send what tests/test_hostile_*.py send one at a time.

One ``bigan serve`` worker over the bundled corpus, with BIGAN_API_TOKEN and BIGAN_READ_TOKEN set (the
well-formed clients carry the read token). Goals: the well-formed clients see 0 errors and a p99 within 2× of
the quiet run; the hostile clients see no 5xx. Loopback only, bounded in time.

The hostile clients are two closed-loop threads cycling through the cases over raw sockets (a client library
would refuse to send some of them). Each case comes from its own loopback address (127.0.0.10, .11, …): wrong
tokens are throttled per address, and one case's lock-out must neither blunt the other cases nor reach the
well-formed clients on 127.0.0.1 — as on a real network, where the attacker is another machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import socket
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from benchmarks.bench_draft import _free_port, _server
from benchmarks.bench_load import Load, mixed_load, mixed_script, warm_up
from benchmarks.common import Row

READ = "bench-read-token"
WRITE = "bench-write-token"
HOSTILE_CLIENTS = 2
_NOTES: list[str] = []


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """A raw HTTP/1.1 request; Content-Length is the body's unless ``headers`` declares one (or chunking)."""
    if body and "Content-Length" not in headers and "Transfer-Encoding" not in headers:
        headers = headers | {"Content-Length": str(len(body))}
    head = "".join(
        f"{name}: {value}\r\n" for name, value in ({"Host": "bench", "Connection": "close"} | headers).items()
    )
    return f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + body


def _upload(name: str, content: bytes) -> bytes:
    boundary = "bench-hostile-boundary"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
    headers = {"Authorization": f"Bearer {WRITE}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return _request("POST", "/documents", headers, part + content + f"\r\n--{boundary}--\r\n".encode())


def cases() -> dict[str, bytes]:
    """Each hostile case, as the bytes sent. Bodies that are meant to reach the parser carry the right token."""
    json_headers = {"Authorization": f"Bearer {READ}", "Content-Type": "application/json"}

    def draft(body: bytes) -> bytes:
        return _request("POST", "/draft", json_headers, body)

    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    many_keys = {"meeting": "全市会议", **{f"k{n}": n for n in range(62_000)}}  # ~1 000 000 bytes: just under the cap
    junk = random.Random(17).randbytes(65536)
    return {
        "oversized body, Content-Length (200 MB announced)": _request(
            "POST", "/draft", json_headers | {"Content-Length": str(200 * 1024 * 1024)}, b"{" * 65536
        ),
        "oversized body, chunked (1.1 MB, no Content-Length)": _request(
            "POST", "/draft", json_headers | {"Transfer-Encoding": "chunked"}, chunk * 17 + b"0\r\n\r\n"
        ),
        "oversized body without a token": _request(
            "POST", "/draft", {"Content-Type": "application/json", "Content-Length": str(200 * 1024 * 1024)}, b"{"
        ),
        "1 MB body of 62 000 keys": draft(json.dumps(many_keys).encode()),
        "wrong token": _request("GET", "/documents", {"Authorization": "Bearer guess-0123456789"}),
        "malformed JSON": draft('{"meeting": "全市会议", "topics": ['.encode()),
        "nested topics": draft(json.dumps({"meeting": "全市会议", "topics": [["x"], {"a": 1}]}).encode()),
        "deeply nested JSON (50 000 levels)": draft(
            b'{"meeting": "x", "topics": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
        ),
        "impossible date (/draft)": draft(json.dumps({"meeting": "全市会议", "date": "2026-02-30"}).encode()),
        "impossible date (/search)": _request(
            "GET", f"/search?q={quote('志愿服务')}&since=9999-99-99", {"Authorization": f"Bearer {READ}"}
        ),
        "junk upload (.txt)": _upload("讲话.txt", junk),
        "junk upload (.docx)": _upload("讲话.docx", b"PK\x03\x04" + junk),
        "junk upload (.pdf)": _upload("讲话.pdf", b"%PDF-1.7\n" + junk),
    }


def exchange(port: int, source: str, request: bytes) -> int | None:
    """Send ``request`` from ``source``; the status the server answered, or None when it closed without one."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0)) as sock:
        # Refused before the whole body was sent (413, 401): the server closes, and its answer waits to be read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n" not in answer and (chunk := sock.recv(4096)):
                answer += chunk
    status = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(status[1]) if status else None


@dataclass
class Tally:
    """What the hostile clients sent and got, per case; ``None`` is a connection closed without an answer."""

    answers: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, case: str, status: int | None) -> None:
        with self.lock:
            self.answers[case, status] += 1

    @property
    def tried(self) -> int:
        return sum(self.answers.values())

    @property
    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.answers.items() if status is not None and status >= 500)


def attack(port: int, client: int, stop: threading.Event, tally: Tally) -> None:
    """One hostile client: the cases in turn (each client starting elsewhere in the list) until ``stop``."""
    sent = list(cases().items())
    sources = {name: f"127.0.0.{10 + n}" for n, (name, _) in enumerate(sent)}
    turn = client * len(sent) // HOSTILE_CLIENTS
    while not stop.is_set():
        name, request = sent[turn % len(sent)]
        tally.add(name, exchange(port, sources[name], request))
        turn += 1


def run(quick: bool = False) -> list[Row]:
    _NOTES.clear()
    if shutil.which("wrk") is None:
        _NOTES.append("wrk not installed (apt-get install wrk): load test under attack skipped.")
        return []
    seconds = 6 if quick else 20
    tally = Tally()
    tokens = {"BIGAN_API_TOKEN": WRITE, "BIGAN_READ_TOKEN": READ}
    with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, tokens):
        port = _free_port()
        server = _server(Path(tmp), port)
        try:
            script = Path(tmp) / "mixed.lua"
            mixed_script(script, token=READ)
            url = f"http://127.0.0.1:{port}"
            warm_up(script, url)
            quiet = mixed_load(script, url, seconds)
            stop = threading.Event()
            clients = [threading.Thread(target=attack, args=(port, n, stop, tally)) for n in range(HOSTILE_CLIENTS)]
            for thread in clients:
                thread.start()
            try:
                attacked = mixed_load(script, url, seconds)
            finally:
                stop.set()
                for thread in clients:
                    thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    _note_answers(tally)
    return _rows(quiet, attacked, tally, seconds)


def _rows(quiet: Load, attacked: Load, tally: Tally, seconds: int) -> list[Row]:
    label = f"well-formed mixed load, 4 workers, {seconds} s"
    return [
        Row(
            "hostile",
            f"{label}: latency p99 under attack",
            round(attacked.p99, 2),
            "ms",
            "quiet",
            round(quiet.p99, 2),
            "≤ 2× quiet",
            attacked.p99 <= 2 * quiet.p99,
        ),
        Row(
            "hostile",
            f"{label}: errors under attack",
            attacked.errors,
            "",
            "quiet",
            quiet.errors,
            "0",
            attacked.errors == 0 and quiet.errors == 0,
        ),
        Row(
            "hostile",
            f"{label}: throughput under attack",
            round(attacked.rate, 1),
            "req/s",
            "quiet",
            round(quiet.rate, 1),
        ),
        Row(
            "hostile",
            f"hostile requests, {HOSTILE_CLIENTS} clients: 5xx",
            tally.server_errors,
            "",
            "",
            None,
            "0",
            tally.server_errors == 0,
        ),
        Row("hostile", f"hostile requests, {HOSTILE_CLIENTS} clients: cases tried", tally.tried, ""),
    ]


def _note_answers(tally: Tally) -> None:
    by_case: dict[str, list[str]] = {}
    for (case, status), n in sorted(tally.answers.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        by_case.setdefault(case, []).append(f"{n} × {status or 'no answer'}")
    _NOTES.extend(f"{case}: {', '.join(answers)}" for case, answers in by_case.items())


def report_section() -> str:
    lines = [
        "## Load under attack",
        "",
        "bench_load's mixed load (`wrk -t4 -c4 --latency`, /draft + /search + /phrases with the read token) against",
        "one `bigan serve` worker, first quiet and then for as long again while two hostile clients send, back to",
        "back, each case from its own loopback address. What the hostile clients got, per case:",
        "",
    ]
    lines += [f"- {note}" for note in _NOTES]
    return "\n".join(lines) + "\n"
