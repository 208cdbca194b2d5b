"""How ``bigan`` ends when it cannot finish: one line on stderr and a non-zero status, never a traceback.

- SIGINT (Ctrl-C) and SIGTERM (``kill``, a service manager stopping a run) unwind the command as an exception, so
  every ``with`` block closes on the way out: a document's transaction rolls back (``session_scope``: nothing is
  half-written) and ``bigan ingest``'s parse child is stopped and its scratch files removed (``IsolatedParser``).
  The status is 128 + the signal's number, as a shell reports a process the signal ended. A signal that arrives
  inside a database call waits the few milliseconds until it returns, so no driver is cut off mid-statement.
- An unavailable database or data directory (``app.storage``) is named in one bilingual line, status 1.

A broken stdout pipe (``bigan documents list | head -1``) Typer already ends quietly, with status 1.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from app.config import Settings
from app.storage import STORAGE_ERRORS, describe, failed_storage


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException like KeyboardInterrupt, so no ``except Exception`` swallows it, but
    not a KeyboardInterrupt, which Typer would turn into a silent exit before ``run`` could say anything."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# Code an exception must not cut off mid-call: the database drivers (SQLAlchemy invalidates a connection it was
# interrupted on and logs the failed clean-up with a traceback) and weak-reference callbacks run by the garbage
# collector (an exception there is printed and dropped).
_NOT_HERE = ("sqlalchemy.", "sqlite3", "psycopg", "weakref")
_RETRY_SECONDS = 0.02
_stopping: list[int] = []  # the signal being acted on, once one arrived


def _interrupt(signum: int, frame: FrameType | None) -> None:
    if signum != signal.SIGALRM and not _stopping:
        _stopping.append(signum)
        # A second signal ends the process at once (the default action): the first one's clean-up is under way.
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, signal.SIG_DFL)
    if not _stopping:  # an alarm this module did not set
        return
    if _inside(frame, _NOT_HERE):
        signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)  # try again when the call has returned
        return
    raise Interrupted(_stopping[0])


def _inside(frame: FrameType | None, modules: tuple[str, ...]) -> bool:
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).startswith(modules):
            return True
        frame = frame.f_back
    return False


def run(app: typer.Typer) -> None:
    """Run the command line; see the module for how it ends when it cannot finish."""
    for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(stop, _interrupt)
    try:
        app()
    except Interrupted as stopped:
        name = signal.Signals(stopped.signum).name
        message = f"已中断（{name}），未完成的写入已撤销 / interrupted ({name}); the unfinished write was undone"
        typer.echo(message, err=True)
        sys.exit(128 + stopped.signum)
    except STORAGE_ERRORS as exc:
        which = failed_storage(exc, Settings().data_dir)
        if which is None:
            raise
        typer.echo(f"{describe(which)} ({_detail(exc)})", err=True)
        sys.exit(1)


def _detail(exc: BaseException) -> str:
    """What the driver or the OS said, on one line: ``unable to open database file``, ``Read-only file system:
    '/srv/bigan/index'``."""
    if isinstance(exc, OSError):
        return f"{exc.strerror or type(exc).__name__}: {exc.filename!r}" if exc.filename else str(exc)
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]
