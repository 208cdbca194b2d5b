"""Parse one untrusted file in a child process that is killed when it runs past a time limit.

Why a process and not a thread: Python cannot stop a thread. A parse stuck in a pathological PDF, a
deeply nested HTML page or a backtracking regex would keep its thread — and its CPU and memory — long
after the request gave up. A child process can be killed (SIGKILL) and everything it held is freed.

Why ``forkserver`` (``spawn`` where it is missing): the web server is multi-threaded, and ``fork()`` from a
threaded process can leave the child holding a lock another thread had taken. The fork server is a
single-threaded process, started once, that imports the parsing code up front and then forks a fresh
child per file in milliseconds (``spawn`` would pay ~0.5 s of imports per upload).

The child only turns bytes into a ``PreparedDocument``; the parent writes the database, so no database
connection ever crosses a process boundary. As with any ``multiprocessing`` code, a script that serves the
app must keep its top level behind ``if __name__ == "__main__":`` (``bigan serve``, uvicorn and pytest do):
the child imports the main module (so a slow-to-import script adds its import time to every upload).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext

from app.ingest.errors import IngestError
from app.ingest.pipeline import PreparedDocument, prepare
from app.ingest.readers import ReadLimits, read_bytes

log = logging.getLogger(__name__)

Parser = Callable[[bytes, str, ReadLimits], PreparedDocument]

# At most one parse per core at a time: a burst of hostile uploads cannot starve the server of CPU.
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def parse_bytes(data: bytes, filename: str, limits: ReadLimits) -> PreparedDocument:
    """What the child runs: read and prepare, exactly as in-process ingestion does."""
    return prepare(read_bytes(data, filename, limits))


def _context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Only takes effect when the fork server starts (the first parse); later calls are no-ops. app.cli: each
        # child re-runs the main script's imports, and under `bigan serve` those are app.cli's — preloaded, free.
        context.set_forkserver_preload(["app.ingest.isolate", "app.cli"])
        return context
    return multiprocessing.get_context("spawn")


def _child(conn: Connection, parse: Parser, data: bytes, filename: str, limits: ReadLimits) -> None:
    try:
        result: tuple[str, object] = ("ok", parse(data, filename, limits))
    except IngestError as error:
        # IngestError does not survive pickling (its __init__ takes three arguments), so send the parts.
        result = ("rejected", (error.code, error.zh, error.en))
    except BaseException as error:  # a parser crashing on hostile input is that input's problem
        result = ("crashed", f"{type(error).__name__}: {error}"[:500])
    try:
        conn.send(result)
    finally:
        conn.close()


def timeout_error(seconds: float) -> IngestError:
    return IngestError(
        "parse_timeout",
        f"解析文件超过 {seconds:g} 秒仍未完成，已停止；请检查文件是否损坏，或拆分后再上传",
        f"parsing the file took longer than {seconds:g} s and was stopped; check the file is not damaged, "
        "or split it and upload the parts",
    )


def crash_error() -> IngestError:
    return IngestError(
        "parse_failed",
        "无法解析该文件（解析程序异常退出）；请用原软件重新保存后再上传",
        "the file could not be parsed (the parser failed); save it again in the program that made it and retry",
    )


def prepare_isolated(
    data: bytes, filename: str, limits: ReadLimits, timeout: float, parse: Parser | None = None
) -> PreparedDocument:
    """``prepare(read_bytes(data, filename, limits))`` in a child process, killed after ``timeout`` seconds.

    Raises ``IngestError``: the reader's own rejection, ``parse_timeout``, or ``parse_failed`` when the
    child crashed or died without an answer.
    """
    context = _context()
    with _SLOTS:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(  # type: ignore[attr-defined]
            target=_child,
            args=(sender, parse or parse_bytes, data, filename, limits),
            name="bigan-parse",
            daemon=True,
        )
        started = False
        try:
            process.start()
            started = True
            sender.close()  # the child holds the only write end now: its death reads as EOF here
            if not receiver.poll(timeout):
                raise timeout_error(timeout)
            try:
                status, payload = receiver.recv()
            except EOFError as exc:  # killed, out of memory, segfault in a C extension …
                raise crash_error() from exc
        finally:
            sender.close()
            receiver.close()
            if started:
                if process.is_alive():
                    process.kill()
                process.join()
    if status == "ok":
        return payload  # type: ignore[return-value]
    if status == "rejected":
        code, zh, en = payload  # type: ignore[misc]
        raise IngestError(code, zh, en)
    log.warning("parser crashed on %r: %s", filename, payload)
    raise crash_error()
