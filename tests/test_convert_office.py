""".doc, .wps, .odt and .rtf through LibreOffice: the same outline as the .docx they were made from, one converter
run for a folder, and a clear error when LibreOffice is missing, fails or hangs.

The fixtures are made at test time: a .docx from a known speech with python-docx, then LibreOffice saves it as
.doc, .odt and .rtf (a .wps is a .doc under WPS's name, which is what WPS Office writes). Tests that need
LibreOffice are marked ``office``: CI=true .ci/run installs it; locally they skip with a message when it is
missing. Fake ``soffice`` scripts on PATH stand in for a converter that hangs or fails.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from app.cli import app
from app.config import Settings
from app.ingest.errors import IngestError
from app.ingest.isolate import IsolatedParser
from app.ingest.pipeline import prepare
from app.ingest.read.common import ReadLimits
from app.ingest.read.convert import ConverterRun, convert_batch, convert_files
from app.ingest.read.formats import read_bytes, read_path
from tests import hostile_parsers
from tests.helpers.office import SPEECH
from tests.helpers.readers import assert_rejected

LEGACY = ("doc", "odt", "rtf")
runner = CliRunner()


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice is missing: .ci/run should have installed libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui); CI=true .ci/run installs it")
    return found


def _docx(styled: bool) -> bytes:
    """The speech with typed markers, or (``styled``) with Word's heading styles on the headings."""
    doc = Document()
    for line in SPEECH:
        if styled and line.startswith(("一、", "二、", "三、")):
            doc.add_heading(line, level=1)
        else:
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _make(folder: Path, styled: bool) -> dict[str, Path]:
    """``{"docx": …, "doc": …, "odt": …, "rtf": …, "wps": …}``: one speech in every format."""
    soffice = _soffice()
    source = folder / "讲话.docx"
    source.write_bytes(_docx(styled))
    files = {"docx": source}
    for fmt in LEGACY:
        profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
        command = [soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(folder / fmt), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
        files[fmt] = folder / fmt / f"讲话.{fmt}"
    files["wps"] = folder / "讲话.wps"
    shutil.copy(files["doc"], files["wps"])
    return files


@pytest.fixture(scope="module")
def maker(tmp_path_factory: pytest.TempPathFactory) -> Callable[[bool], dict[str, Path]]:
    """Each variant made once for the module (LibreOffice takes seconds a file)."""
    made: dict[bool, dict[str, Path]] = {}

    def make(styled: bool) -> dict[str, Path]:
        if styled not in made:
            made[styled] = _make(tmp_path_factory.mktemp("styled" if styled else "typed"), styled)
        return made[styled]

    return make


@pytest.fixture
def made(maker: Callable[[bool], dict[str, Path]]) -> dict[str, Path]:
    return maker(False)


@pytest.fixture(params=[False, True], ids=["typed", "styled"])
def made_both(request: pytest.FixtureRequest, maker: Callable[[bool], dict[str, Path]]) -> dict[str, Path]:
    return maker(request.param)


def _outline(path: Path) -> tuple[str | None, list[tuple[int, str, str, str]]]:
    doc = prepare(read_path(path))
    return doc.metadata.title, [(s.level, s.marker, s.heading, s.role) for s in doc.sections]


@pytest.mark.office
@pytest.mark.parametrize("fmt", [*LEGACY, "wps"])
def test_legacy_formats_give_the_outline_of_the_docx(made_both: dict[str, Path], fmt: str) -> None:
    expected = _outline(made_both["docx"])
    assert expected[0] == SPEECH[0] and len(expected[1]) >= 6  # title, opening, 一二三, （一）（二）, closing
    assert _outline(made_both[fmt]) == expected
    raw = read_path(made_both[fmt])
    assert raw.fmt == fmt and raw.filename == f"讲话.{fmt}"  # the original name and format are kept


@pytest.mark.office
def test_bigan_outline_on_a_doc_matches_the_docx(made: dict[str, Path]) -> None:
    result = runner.invoke(app, ["outline", "--json", str(made["docx"]), str(made["doc"])])
    assert result.exit_code == 0, result.output
    docx, doc = (json.loads(line) for line in result.output.strip().splitlines())
    assert (doc["fmt"], docx["fmt"]) == ("doc", "docx")
    assert doc["sections"] == docx["sections"] and doc["title"] == docx["title"]


@pytest.mark.office
def test_a_mixed_folder_ingests_in_one_command_with_one_converter_run(
    settings: Settings, made: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "archive"
    (folder / "2019").mkdir(parents=True)
    for fmt, path in made.items():
        shutil.copy(path, folder / "2019" / f"讲话.{fmt}")
    (folder / "~$讲话.doc").write_bytes(b"\x0bWord owner file")  # Word's lock file beside an open document
    notice = "关于做好全市志愿服务工作的通知\n各区县：现将有关事项通知如下，请认真贯彻落实。\n"
    (folder / "另一篇.txt").write_text(notice, encoding="utf-8")
    calls = tmp_path / "soffice-calls"
    wrapper = tmp_path / "bin" / "soffice"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{_soffice()}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    runner.invoke(app, ["db", "upgrade"])

    result = runner.invoke(app, ["ingest", str(folder)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    outcomes = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in lines[:6]}
    assert outcomes["讲话.doc"] == "added #1" and outcomes["另一篇.txt"] == "added #2"
    # the same text in every format: each reads exactly as the .doc (first in name order) did
    assert all(outcomes[f"讲话.{fmt}"] == "duplicate of #1" for fmt in ("docx", "odt", "rtf", "wps"))
    assert lines[6] == "6 files: 2 added, 4 duplicate, 0 rejected — doc 1 · docx 1 · odt 1 · rtf 1 · txt 1 · wps 1"
    assert calls.read_text().split() == ["run"]  # four legacy files, one LibreOffice run


def test_a_doc_that_is_really_docx_html_or_text_is_read_by_its_own_reader() -> None:
    assert read_bytes(_docx(False), "讲话.doc").text.split("\n")[0] == SPEECH[0]
    page = "<html><head><meta charset='gbk'></head><body>" + "".join(f"<p>{line}</p>" for line in SPEECH)
    assert read_bytes((page + "</body></html>").encode("gbk"), "网页版.doc").fmt == "doc"
    assert read_bytes("\n".join(SPEECH).encode("gb18030"), "导出.wps").text.startswith(SPEECH[0])


def test_an_unreadable_wps_is_refused_with_what_to_do() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(b"\x00WPS" + bytes(range(256)) * 8, "旧版.wps")
    assert_rejected(exc, "unreadable_wps")
    assert "WPS Office" in exc.value.zh and ".docx" in exc.value.en


def test_without_libreoffice_the_error_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    with pytest.raises(IngestError) as exc:
        read_bytes(ole2, "旧文件.doc")
    assert_rejected(exc, "libreoffice_missing")
    assert "apt-get install libreoffice-writer-nogui" in exc.value.zh
    assert "apt-get install libreoffice-writer-nogui" in exc.value.en
    results = convert_batch([(ole2, "doc")] * 2, ReadLimits(), 5)
    assert [r.code if isinstance(r, IngestError) else r for r in results] == ["libreoffice_missing"] * 2


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    """A ``soffice`` on PATH that runs ``body`` (a shell snippet) instead of converting."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'soffice.pid'}\n{body}\n")
    fake.chmod(0o755)
    return fake.parent


def _gone(pid_file: Path) -> bool:
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_hung_batch_is_killed_and_its_unfinished_files_are_left_for_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two documents loaded, then the converter hangs: the second may be half written, so it and the third are
    # not settled; the first was never written (a fake), so it failed.
    hang_after_two = "echo 'convert a -> b'\necho 'convert c -> d'\nexec sleep 600"
    monkeypatch.setenv("PATH", f"{_fake_soffice(tmp_path, hang_after_two)}{os.pathsep}{os.environ['PATH']}")
    sources = [tmp_path / f"{i}.doc" for i in range(3)]
    (tmp_path / "work").mkdir()
    started = time.monotonic()
    run = convert_files(sources, tmp_path / "work", seconds_each=1.0)
    assert time.monotonic() - started < 10
    assert run == ConverterRun([None, None, None], unsettled=1, timed_out=True)
    assert _gone(tmp_path / "soffice.pid")  # the whole process group was killed, `sleep` included
    results = convert_batch([(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc")] * 3, ReadLimits(), 1.0)
    assert [r.code if isinstance(r, IngestError) else r for r in results] == ["convert_failed", None, None]


def test_a_crashed_batch_leaves_its_files_for_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crash = "echo 'convert a -> b'\nexit 139"  # as LibreOffice does on a segmentation fault
    monkeypatch.setenv("PATH", f"{_fake_soffice(tmp_path, crash)}{os.pathsep}{os.environ['PATH']}")
    assert convert_batch([(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc")] * 2, ReadLimits(), 5.0) == [None, None]


def test_a_failing_conversion_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fails = "echo 'Error: source file could not be loaded' >&2"
    monkeypatch.setenv("PATH", f"{_fake_soffice(tmp_path, fails)}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(IngestError) as exc:
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "损坏.wps")
    assert_rejected(exc, "convert_failed")
    assert "WPS Office" in exc.value.zh


def test_a_hung_conversion_in_the_parse_child_is_stopped_with_its_own_error(tmp_path: Path) -> None:
    """Through the real parse child (as uploads and ``bigan ingest`` run it): the child stops the converter
    before the parent's limit, says so, and the converter and its temporary profile are gone."""
    bin_dir = _fake_soffice(tmp_path, "exec sleep 600")
    parse: Callable[..., object] = hostile_parsers.with_path_first
    with IsolatedParser(timeout=3, parse=parse) as parser:  # type: ignore[arg-type]
        with pytest.raises(IngestError) as exc:
            parser(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), str(bin_dir / "卡住.doc"), ReadLimits())
        assert_rejected(exc, "convert_timeout")  # the child's own stop, not the parent's parse_timeout
        assert _gone(tmp_path / "soffice.pid")
        scratch = Path(parser._scratch or "")
        assert scratch.is_dir() and not any(scratch.iterdir())  # the conversion's temporary folder is removed
    assert not scratch.exists()  # and the child's scratch with the child
