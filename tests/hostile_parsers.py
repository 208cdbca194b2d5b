"""Stand-ins for parsers gone wrong, run in the upload child process (kept import-light on purpose:
the child imports this module before it can start, and that must not eat into the time limit)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def hang(data: bytes, filename: str, limits: object) -> object:
    """Never finishes, as a real parser can on a pathological file; leaves its pid in <name>.pid."""
    Path(filename).with_suffix(".pid").write_text(str(os.getpid()))
    while True:
        time.sleep(1)


def die(data: bytes, filename: str, limits: object) -> object:
    """Takes its own process down, as a crash in a C extension would."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def with_path_first(data: bytes, filename: str, limits: object) -> object:
    """The real parse, with the folder of ``filename`` first on PATH: a fake helper program (a ``soffice`` that
    hangs) lives there, and a fork server's child does not see PATH changes the test makes in its own process."""
    folder, name = os.path.split(filename)
    os.environ["PATH"] = folder + os.pathsep + os.environ["PATH"]
    from app.ingest.isolate import parse_bytes  # preloaded in the fork server: free

    return parse_bytes(data, name, limits)  # type: ignore[arg-type]
