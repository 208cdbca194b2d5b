"""Run a helper program (LibreOffice, pdftoppm, Tesseract) on an untrusted file, within the parse's time.

A helper runs in a process group of its own, so that when its time is up it is killed with every process it
started: ``soffice`` is a shell script that starts ``oosplash``, which starts ``soffice.bin``, and killing only
the first would leave the converter running.

Its time is what is left of the parse's budget. In the child process of ``app.ingest.isolate`` the budget is the
file's time limit, set by ``begin``; a reader that knows it needs more (OCR: seconds per scanned page) asks for
it with ``extend``, which tells the parent too, so the parent's deadline moves with the child's. The child stops
its helper a moment before the parent would stop the child, so the error names what ran over and no helper is
left running. Outside a child (``bigan ingest --max-seconds 0``, ``bigan outline``) there is no budget: helpers
run until they finish, as the parse itself does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# What the child keeps for itself after its helper's deadline: killing the helper, cleaning up and answering
# must happen before the parent's own deadline, or the parent kills the child first and the error is vaguer.
_MARGIN_SECONDS = 1.0


class _Budget:
    deadline: float | None = None
    notify: Callable[[float], None] | None = None


_budget = _Budget()


def begin(seconds: float, notify: Callable[[float], None]) -> None:
    """Start the budget of one file: ``seconds`` from now; ``notify(extra)`` tells the parent of an extension."""
    _budget.deadline = time.monotonic() + seconds
    _budget.notify = notify


def end() -> None:
    _budget.deadline = None
    _budget.notify = None


def extend(seconds: float) -> None:
    """Give the current file ``seconds`` more (no-op without a budget): OCR asks for its pages' time up front."""
    if _budget.deadline is None:
        return
    _budget.deadline += seconds
    if _budget.notify is not None:
        _budget.notify(seconds)


def remaining() -> float | None:
    """Seconds a helper may still run, or ``None`` without a budget (no limit)."""
    if _budget.deadline is None:
        return None
    return max(0.0, _budget.deadline - _MARGIN_SECONDS - time.monotonic())


@contextmanager
def spawn(argv: list[str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """Start ``argv`` in a new process group; on leaving, the whole group is killed if anything of it still runs."""
    process = subprocess.Popen(argv, start_new_session=True, **popen)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[Any]) -> None:
    """Kill the helper's process group (its leader may have exited while a grandchild runs on) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run(argv: list[str], **popen: Any) -> subprocess.CompletedProcess[bytes] | None:
    """Run a helper to the end within the remaining budget: its output, or ``None`` when time ran out (the
    helper is killed by then and the caller raises its own error, which knows what was being done)."""
    with spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen) as process:
        try:
            out, err = process.communicate(timeout=remaining())
        except subprocess.TimeoutExpired:
            stop(process)
            process.communicate()  # drains and closes the pipes
            return None
    return subprocess.CompletedProcess(argv, process.returncode, out, err)
