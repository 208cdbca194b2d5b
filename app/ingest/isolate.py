"""Parse untrusted files in a child process that is killed when a file runs past a time limit.

Why a process and not a thread: Python cannot stop a thread. A parse stuck in a pathological PDF, a
deeply nested HTML page or a backtracking regex would keep its thread — and its CPU and memory — long
after the request gave up. A child process can be killed (SIGKILL) and everything it held is freed.

Why ``forkserver`` (``spawn`` where it is missing): the web server is multi-threaded, and ``fork()`` from a
threaded process can leave the child holding a lock another thread had taken. The fork server is a
single-threaded process, started once, that imports the parsing code up front and then forks a fresh
child in milliseconds (``spawn`` would pay ~0.5 s of imports per upload). An upload gets a child of its own;
``bigan ingest`` sends file after file to one child and replaces it only when a file kills it or runs over.

The child only turns bytes into a ``PreparedDocument``; the parent writes the database, so no database
connection ever crosses a process boundary. As with any ``multiprocessing`` code, a script that serves the
app must keep its top level behind ``if __name__ == "__main__":`` (``bigan serve``, uvicorn and pytest do):
the child imports the main module (so a slow-to-import script adds its import time to every upload).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from app.ingest.errors import IngestError
from app.ingest.pipeline import PreparedDocument, prepare
from app.ingest.read import external
from app.ingest.read.formats import ReadLimits, read_bytes

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


def _serve(conn: Connection, parse: Parser, scratch: str) -> None:
    """The child's loop: parse each (data, filename, limits, seconds) it is sent, answer, wait for the next.

    One child serves a whole ``bigan ingest`` run so its warm caches (converters, lexicons) are paid for once;
    the parent kills it when a file runs over the limit and starts a fresh one for the next file. The file's
    seconds are the budget of the helper programs a reader runs (LibreOffice, Tesseract: ``external``); a reader
    that asks for more time sends ``("extend", seconds)`` before the answer. Temporary files go to ``scratch``,
    which the child removes when its files end and the parent when it kills the child, so neither a child killed
    mid-conversion nor a parent killed mid-run leaves anything behind.
    """
    tempfile.tempdir = scratch
    # Ctrl-C reaches the whole process group: the parent handles it (and stops this process), so the child must not
    # turn it into a KeyboardInterrupt traceback of its own. SIGTERM keeps its default: the child ends silently.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            try:
                data, filename, limits, seconds = conn.recv()
            except (EOFError, OSError):  # the parent closed its end (no more files) or died (reset): stop quietly
                return
            external.begin(seconds, lambda extra: conn.send(("extend", extra)))
            try:
                result: tuple[str, object] = ("ok", parse(data, filename, limits))
            except IngestError as error:
                # IngestError does not survive pickling (its __init__ takes three arguments), so send the parts.
                result = ("rejected", (error.code, error.zh, error.en))
            except BaseException as error:  # a parser crashing on hostile input is that input's problem
                result = ("crashed", f"{type(error).__name__}: {error}"[:500])
            finally:
                external.end()
            try:
                conn.send(result)
            except OSError:  # the parent is gone (killed mid-parse): nobody is waiting for the answer
                return
    finally:  # no more files (the parent may even have been killed): remove what parses left behind
        shutil.rmtree(scratch, ignore_errors=True)


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


class IsolatedParser:
    """A ``Parser`` that runs each parse in a child process, killed after ``timeout`` seconds.

    File after file goes to the same child (starting one per file costs ~40 ms of cold caches, which more than
    doubled ``bigan ingest`` of many small files); a file that runs over the limit or crashes the child takes
    only that child with it, and the next file gets a fresh one. Use it as a context manager so the child
    is stopped at the end.

    Calling it raises ``IngestError``: the reader's own rejection, ``parse_timeout``, or ``parse_failed`` when
    the child crashed or died without an answer.
    """

    def __init__(self, timeout: float, parse: Parser | None = None) -> None:
        self.timeout = timeout
        self._parse = parse
        self._context = _context()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._scratch: str | None = None

    def __enter__(self) -> IsolatedParser:
        if self._context.get_start_method() == "forkserver":
            # Start the fork server now, without waiting for it: its imports (~0.4 s) overlap with whatever
            # the caller does before the first file (``bigan ingest``: the database set-up).
            multiprocessing.forkserver.ensure_running()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __call__(self, data: bytes, filename: str, limits: ReadLimits) -> PreparedDocument:
        with _SLOTS:
            conn = self._connection()
            try:
                conn.send((data, filename, limits, self.timeout))
                status, payload = self._answer(conn)
            except (EOFError, OSError) as exc:  # killed, out of memory, segfault in a C extension …
                self.close()
                raise crash_error() from exc
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "rejected":
            code, zh, en = payload
            raise IngestError(code, zh, en)
        log.warning("parser crashed on %r: %s", filename, payload)
        raise crash_error()

    def _answer(self, conn: Connection) -> tuple[str, object]:
        """The child's answer within the time limit, moved on by each extension it asks for (OCR: per page)."""
        allowed = self.timeout
        deadline = time.monotonic() + allowed
        while conn.poll(max(0.0, deadline - time.monotonic())):
            message = conn.recv()
            if message[0] != "extend":
                return message  # type: ignore[no-any-return]
            allowed += message[1]
            deadline += message[1]
        self.close()  # the only way to stop a parse is to kill its process
        raise timeout_error(allowed)

    def close(self) -> None:
        """Stop the child (idle or stuck, it holds nothing the parent needs), reap it and remove its scratch."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _connection(self) -> Connection:
        if self._conn is None:
            ours, theirs = self._context.Pipe()
            scratch = tempfile.mkdtemp(prefix="bigan-parse-")
            process = self._context.Process(  # type: ignore[attr-defined]
                target=_serve, args=(theirs, self._parse or parse_bytes, scratch), name="bigan-parse", daemon=True
            )
            try:
                process.start()
            except BaseException:
                ours.close()
                shutil.rmtree(scratch, ignore_errors=True)
                raise
            finally:
                theirs.close()  # the child holds the only other end now: its death reads as EOF here
            self._process, self._conn, self._scratch = process, ours, scratch
        return self._conn


def prepare_isolated(
    data: bytes, filename: str, limits: ReadLimits, timeout: float, parse: Parser | None = None
) -> PreparedDocument:
    """``prepare(read_bytes(data, filename, limits))`` in a fresh child process, killed after ``timeout`` seconds
    (an upload gets a process of its own). Raises ``IngestError`` as ``IsolatedParser`` does."""
    with IsolatedParser(timeout, parse) as parser:
        return parser(data, filename, limits)
