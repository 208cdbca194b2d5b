"""Telling "the storage is unavailable" apart from a bug, for the API (503) and the CLI (one line, no traceback).

Two things can be unavailable: the database (SQLAlchemy's ``OperationalError``: the SQLite file cannot be opened,
is read-only or locked, the disk is full, the PostgreSQL server does not answer) and the data directory (an
``OSError`` on a path inside it, where the index and the SQLite file live, or a file-system condition that no
path can escape: read-only, full, over quota). Anything else is not the operator's storage and stays a 500.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Literal

from sqlalchemy.exc import OperationalError

Storage = Literal["database", "data_dir"]

STORAGE_ERRORS = (OperationalError, OSError)
"""What ``failed_storage`` may recognise: catch these, then ask it."""

_FILE_SYSTEM_ERRNOS = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT})

MESSAGES: dict[Storage, tuple[str, str]] = {
    "database": (
        "数据库暂时无法访问（无法打开、只读、被锁定或连接失败）；请检查数据库文件或数据库服务",
        "the database is unavailable (cannot be opened, read-only, locked or not answering); "
        "check the database file or server",
    ),
    "data_dir": (
        "数据目录无法读写（不存在、只读或磁盘已满）；请检查 BIGAN_DATA_DIR 所指的目录",
        "the data directory cannot be read or written (missing, read-only or full); "
        "check the directory BIGAN_DATA_DIR names",
    ),
}


def failed_storage(exc: BaseException, data_dir: Path) -> Storage | None:
    """Which storage ``exc`` says is unavailable, or None when it is some other error."""
    if isinstance(exc, OperationalError):
        return "database"
    if not isinstance(exc, OSError):
        return None
    if exc.errno in _FILE_SYSTEM_ERRNOS:
        return "data_dir"
    root = Path(os.path.abspath(data_dir))
    for name in (exc.filename, exc.filename2):
        if isinstance(name, (str, os.PathLike)) and Path(os.path.abspath(name)).is_relative_to(root):
            return "data_dir"
    return None


def data_dir_usable(data_dir: Path) -> bool:
    """Whether this process may create files in the data directory — or create the directory, where it does not
    exist yet (with PostgreSQL nothing needs it until the first passage index is written).

    ``os.access`` asks the kernel, so a read-only mount counts for every user, root included (EROFS), and so does
    the immutable attribute; only permission bits are ignored for root — who can then write anyway."""
    existing = Path(os.path.abspath(data_dir))
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


def describe(*which: Storage) -> str:
    """The bilingual message for what is unavailable: ``"数据库暂时无法访问… / the database is unavailable…"``."""
    return "；".join(MESSAGES[w][0] for w in which) + " / " + "; ".join(MESSAGES[w][1] for w in which)
