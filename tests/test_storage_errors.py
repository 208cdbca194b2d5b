"""An unavailable database or data directory: 503 ``storage_unavailable`` on routes, a 503 ``/healthz`` that says
which, ``/livez`` still 200, and one bilingual line (no traceback) from the CLI — which also ends an ingest stopped
by SIGINT or SIGTERM with one line, parent and parse child alike, and leaves only whole documents.

Tests may run as root, for whom permission bits restrict nothing, so each unavailability is made by a mechanism
that holds for root too: a database path under a regular file (cannot be opened), a data directory replaced by a
file, a lock held by another connection, tables that are not there, and a read-only directory by ``chmod`` for
other users or the immutable attribute (``chattr +i``) for root.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import app.db
from app.cli import app as cli_app
from app.cli_exit import run
from app.config import REPO_ROOT, Settings
from app.main import create_app
from app.migrate import upgrade
from app.storage import failed_storage
from tests.conftest import SEEDS
from tests.helpers.storage import assert_consistent, document_count, make_corpus

TOKEN = "storage-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DATABASE = "数据库暂时无法访问"
DATA_DIR = "数据目录无法读写"
ENGLISH = {DATABASE: "the database is unavailable", DATA_DIR: "the data directory cannot be read or written"}
Cli = Callable[..., tuple[int, list[str]]]


def make_settings(tmp_path: Path, database: Path | None = None) -> Settings:
    """Settings with the data directory at tmp_path/data and the SQLite file at ``database`` (default: inside it)."""
    data_dir = tmp_path / "data"
    url = f"sqlite:///{database or data_dir / 'bigan.sqlite3'}"
    return Settings(data_dir=data_dir, database_url=url, api_token=TOKEN, max_ingest_seconds=30)


def upload(client: TestClient, path: Path) -> httpx.Response:
    return client.post("/documents", files={"file": (path.name, path.read_bytes())}, headers=AUTH)


def assert_unavailable(response: httpx.Response, *names: str) -> None:
    """503 in the one error shape, naming exactly the storage in ``names``, in Chinese and in English."""
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["code"] == "storage_unavailable"
    zh, en = error["message"].split(" / ", 1)
    assert [name for name in ENGLISH if name in zh] == list(names)
    assert [name for name, english in ENGLISH.items() if english in en] == list(names)
    assert "Traceback" not in error["message"] and "sqlite3" not in error["message"]


def test_a_database_that_cannot_be_opened_is_a_503_everywhere_but_livez(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the database's folder should be")
    settings = make_settings(tmp_path, database=tmp_path / "blocker" / "bigan.sqlite3")
    with TestClient(create_app(settings)) as client:  # the app starts anyway, to say what is wrong
        assert client.get("/livez").status_code == 200
        assert_unavailable(client.get("/healthz"), DATABASE)
        assert_unavailable(client.get("/documents"), DATABASE)
        assert_unavailable(client.get("/phrases"), DATABASE)
        assert_unavailable(client.post("/draft", json={"meeting": "全市精神文明建设工作推进会"}), DATABASE)
        assert_unavailable(upload(client, SEEDS[3]), DATABASE)


def test_a_postgresql_server_that_does_not_answer_is_a_503(tmp_path: Path) -> None:
    # Port 1 on loopback: refused at once, no server needed for the test.
    url = "postgresql+psycopg://bigan:bigan@127.0.0.1:1/bigan?connect_timeout=2"
    settings = Settings(data_dir=tmp_path / "data", database_url=url, api_token=TOKEN)
    settings.ensure_data_dir()  # only the database is missing here
    with TestClient(create_app(settings)) as client:
        assert client.get("/livez").status_code == 200
        assert_unavailable(client.get("/healthz"), DATABASE)
        assert_unavailable(client.get("/documents"), DATABASE)


def test_a_database_without_its_tables_is_a_503_not_a_500(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)  # never migrated: the file is created empty on first use
    with TestClient(create_app(settings)) as client:
        assert_unavailable(client.get("/healthz"), DATABASE)
        assert_unavailable(client.get("/documents/1"), DATABASE)


def test_a_locked_database_is_a_503_for_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path)
    upgrade(settings)
    real_create_engine = sqlalchemy.create_engine

    def impatient(url: str, **kwargs: object) -> sqlalchemy.Engine:
        # the app waits 30 s for a lock; the test's waits a moment
        return real_create_engine(url, **{**kwargs, "connect_args": {"check_same_thread": False, "timeout": 0.2}})

    monkeypatch.setattr(app.db, "create_engine", impatient)
    with TestClient(create_app(settings)) as client:
        holder = sqlite3.connect(settings.data_dir / "bigan.sqlite3", isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
            assert_unavailable(upload(client, SEEDS[3]), DATABASE)
        finally:
            holder.close()
        assert upload(client, SEEDS[3]).status_code == 201  # the lock gone, the same upload goes through


def test_a_data_directory_that_disappears_is_a_503_naming_it(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    upgrade(settings)
    with TestClient(create_app(settings)) as client:
        assert upload(client, SEEDS[3]).status_code == 201
        shutil.rmtree(settings.data_dir)
        settings.data_dir.write_text("a file where the data directory was")
        client.app.state.engine.dispose()  # new connections see the directory as it is now
        assert client.get("/livez").status_code == 200
        assert_unavailable(client.get("/healthz"), DATABASE, DATA_DIR)  # the database lived in it
        assert_unavailable(client.get("/search", params={"q": "志愿服务"}), DATA_DIR)  # the index did too
        assert_unavailable(client.get("/documents"), DATABASE)


@contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """``directory`` and everything in it read-only for this process: by permission bits for a normal user, by the
    immutable attribute for root (whom permission bits do not restrict); skip when neither is possible."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [directory, *directory.rglob("*")]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "-R", "+i", str(directory)]).returncode:
        subprocess.run(["chattr", "-R", "-i", str(directory)], capture_output=True)
        pytest.skip("running as root, and this file system has no immutable attribute: no read-only directory")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-R", "-i", str(directory)], check=True)


def test_a_read_only_data_directory_is_a_503_naming_it(tmp_path: Path) -> None:
    # The database lives elsewhere: what is read-only here is the data directory (its passage index) alone.
    (tmp_path / "db").mkdir()
    settings = make_settings(tmp_path, database=tmp_path / "db" / "bigan.sqlite3")
    upgrade(settings)
    with TestClient(create_app(settings)) as client:
        added = upload(client, SEEDS[3]).json()
        with read_only(settings.data_dir):
            assert client.get("/livez").status_code == 200
            assert_unavailable(client.get("/healthz"), DATA_DIR)
            assert client.get("/search", params={"q": "志愿服务"}).status_code == 200  # reading still works
            assert_unavailable(client.delete(f"/documents/{added['document_id']}", headers=AUTH), DATA_DIR)
        assert client.get("/healthz").status_code == 200


def test_only_errors_on_the_storage_count_as_storage() -> None:
    data_dir = Path("/srv/bigan")
    inside = FileNotFoundError(errno.ENOENT, "No such file or directory", "/srv/bigan/index/current")
    elsewhere = FileNotFoundError(errno.ENOENT, "No such file or directory", "/usr/bin/soffice")
    read_only_fs = OSError(errno.EROFS, "Read-only file system")
    assert failed_storage(inside, data_dir) == "data_dir"
    assert failed_storage(read_only_fs, data_dir) == "data_dir"
    assert failed_storage(elsewhere, data_dir) is None
    assert failed_storage(ValueError("not storage"), data_dir) is None


# --- the command line ---------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """Run ``bigan …`` through its real entry point in this process, and give back (exit status, stderr lines).
    ``run`` installs signal handlers; they are put back afterwards so pytest's own Ctrl-C keeps working."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)}

    def invoke(*args: str) -> tuple[int, list[str]]:
        monkeypatch.setattr("sys.argv", ["bigan", *args])
        with pytest.raises(SystemExit) as exited:
            run(cli_app)
        return int(exited.value.code or 0), capsys.readouterr().err.strip().splitlines()

    yield invoke
    for number, handler in saved.items():
        signal.signal(number, handler)


def test_the_cli_names_an_unavailable_database_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    (tmp_path / "blocker").write_text("")
    monkeypatch.setenv("BIGAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'blocker' / 'bigan.sqlite3'}")
    for args in (("documents", "list"), ("ingest", str(SEEDS[3])), ("db", "upgrade")):
        status, lines = cli(*args)
        assert status == 1 and len(lines) == 1, (args, lines)
        assert lines[0].startswith(DATABASE) and "the database is unavailable" in lines[0]
        assert "unable to open database file" in lines[0]  # what the driver said, for the operator


def test_the_cli_names_an_unusable_data_directory_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    (tmp_path / "blocker").write_text("")
    monkeypatch.setenv("BIGAN_DATA_DIR", str(tmp_path / "blocker" / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    status, lines = cli("documents", "list")
    assert status == 1 and len(lines) == 1
    assert lines[0].startswith(DATA_DIR) and "Not a directory" in lines[0]


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True)],  # ``kill <pid>``; Ctrl-C, which reaches the parse child too
    ids=["sigterm", "ctrl-c"],
)
def test_a_stopped_ingest_says_one_line_and_leaves_whole_documents(
    migrated: Settings,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    signum: int,
    whole_group: bool,
) -> None:
    make_corpus(tmp_path / "inbox", 150)
    scratch = tmp_path / "tmp"  # where the parse child keeps its scratch folder (bigan-parse-…)
    scratch.mkdir()
    process = subprocess.Popen(  # BIGAN_DATA_DIR and DATABASE_URL come from the settings fixture
        [sys.executable, "-W", "ignore", "-m", "app.cli", "ingest", str(tmp_path / "inbox")],
        cwd=REPO_ROOT,
        env=os.environ | {"TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while document_count(session_factory) < 3:  # stopped mid-run, with a parse child at work
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.01)
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum
    assert err.decode().strip().splitlines() == [
        f"已中断（{name}），未完成的写入已撤销 / interrupted ({name}); the unfinished write was undone"
    ]
    assert not list(scratch.iterdir())  # the parse child was stopped and its scratch removed
    assert assert_consistent(session_factory) >= 3
