""".doc, .wps, .odt and .rtf through LibreOffice: converted to .docx, then read by the .docx reader.

LibreOffice runs headless (``soffice --headless --convert-to docx``) with a profile of its own in a temporary
folder: parallel conversions never share a profile (LibreOffice allows one running instance per profile), it
works for any user, even one without a home, and the folder is removed afterwards, also when the converter was
killed. A converter is a process group killed whole when its time is up (``external``).

Two ways in, one converter:

* ``to_readable`` — one file, inside the parse's child process and its time limit (uploads, ``bigan outline``,
  and the files a batch could not settle). A start costs ~2 s, most of it LibreOffice starting up.
* ``convert_batch`` — ``bigan ingest`` of a folder converts the legacy files of each group of files in one
  ``soffice`` run (~0.2 s a document once started). Each file must be done within the per-file time limit
  of the one before it (LibreOffice prints a line per document, which resets the clock); when one runs over,
  or LibreOffice crashes, the files the run had not finished go to ``to_readable`` one by one, where the file
  that hangs or crashes it gets its own error and the others are converted.

The content decides, not the suffix: archives are full of ``.doc`` files that are really .docx (read directly),
HTML pages saved by a website's "download as Word" (read as HTML) or plain text. Bytes LibreOffice would only
import as garbage text (an old WPS format, a damaged file) are refused with a clear reason before it starts.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from app.ingest.errors import IngestError
from app.ingest.read import external
from app.ingest.read.common import ReadLimits, human_size
from app.ingest.read.decode import sniff_magic

log = logging.getLogger(__name__)

LEGACY_FORMATS = ("doc", "wps", "odt", "rtf")
INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui"

Kind = Literal["docx", "html", "txt", "libreoffice"]
Converted = bytes | IngestError | None  # .docx bytes, why the file cannot be converted, or "not settled"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, WPS Office's .wps, Works: a compound file
_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE)
_FILTER = "docx:MS Word 2007 XML"  # one export filter whatever was imported (.odt, .rtf, .doc)


def find_soffice() -> str:
    """The LibreOffice command, or the error that says how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise IngestError(
            "libreoffice_missing",
            f"读取 .doc、.wps、.odt、.rtf 文件需要 LibreOffice，本机未安装；请安装（{INSTALL_COMMAND}）"
            "后重试，或先用 Word/WPS 另存为 .docx",
            f"reading .doc, .wps, .odt and .rtf files needs LibreOffice, which is not installed; install it "
            f"({INSTALL_COMMAND}) and retry, or save the file as .docx in Word or WPS",
        )
    return found


def content_kind(data: bytes, fmt: str, limits: ReadLimits) -> Kind:
    """Which reader the bytes of a ``fmt`` file need: ``"libreoffice"`` for a real .doc/.wps/.odt/.rtf, or the
    reader of what the file really is. Raises when LibreOffice could only import it as garbage text."""
    if data.startswith(_OLE2) or data.lstrip()[:5] == b"{\\rtf":
        return "libreoffice"
    if data.startswith(b"PK"):
        names = _zip_names(data, fmt, limits)
        if "word/document.xml" in names:  # a .docx under an old name, or the output of a batch conversion
            return "docx"
        if "content.xml" in names:  # OpenDocument
            return "libreoffice"
        raise _not_a_document(fmt, "ZIP")
    if _HTML_RE.search(data[:4096]):
        return "html"
    kind = sniff_magic(data)
    if kind is None and b"\x00" not in data[:4096]:
        return "txt"
    raise _not_a_document(fmt, kind)


def to_readable(data: bytes, fmt: str, limits: ReadLimits) -> tuple[Kind, bytes]:
    """A legacy file as bytes another reader takes: ``("docx", converted)``, or its own bytes when the content is
    already HTML, text or .docx. Converts within the remaining parse time."""
    kind = content_kind(data, fmt, limits)
    if kind != "libreoffice":
        return kind, data
    seconds = external.remaining()
    with tempfile.TemporaryDirectory(prefix="bigan-soffice-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"in.{fmt}"
        source.write_bytes(data)
        run = convert_files([source], workdir, seconds)
        if run.timed_out:
            raise _timeout_error(fmt, seconds or 0)
        if run.outputs[0] is None:
            raise _failed_error(fmt)
        return "docx", _read_output(run.outputs[0], limits)


def convert_batch(files: list[tuple[bytes, str]], limits: ReadLimits, seconds_each: float | None) -> list[Converted]:
    """Convert ``(data, fmt)`` pairs that ``content_kind`` sends to LibreOffice in one run; per file the .docx,
    the error, or ``None`` where the run stopped (too slow, or crashed) before the file was safely done."""
    try:
        find_soffice()
    except IngestError as missing:
        return [missing] * len(files)
    with tempfile.TemporaryDirectory(prefix="bigan-soffice-") as tmp:
        workdir = Path(tmp)
        (workdir / "in").mkdir()
        # Numbered names: two folders' 讲话.doc must not overwrite each other's output, and odd characters in
        # a name (#, %, newlines) never reach LibreOffice's URL handling.
        sources = [workdir / "in" / f"{index:05d}.{fmt}" for index, (_, fmt) in enumerate(files)]
        for source, (data, _) in zip(sources, files, strict=True):
            source.write_bytes(data)
        run = convert_files(sources, workdir, seconds_each)
        results: list[Converted] = []
        for index, (output, (_, fmt)) in enumerate(zip(run.outputs, files, strict=True)):
            if run.unsettled is not None and index >= run.unsettled:
                results.append(None)
            elif output is None:
                results.append(_failed_error(fmt))
            else:
                try:
                    results.append(_read_output(output, limits))
                except IngestError as error:
                    results.append(error)
        return results


@dataclass(frozen=True)
class ConverterRun:
    """What one ``soffice`` run left: per source its .docx or ``None``, and where it stopped short.

    ``unsettled`` is the index from which files were not safely finished (``None``: the run ended normally, so
    a file without output is one LibreOffice could not convert); ``timed_out`` says whether it was stopped for
    taking too long rather than crashing."""

    outputs: list[Path | None]
    unsettled: int | None = None
    timed_out: bool = False


def convert_files(sources: list[Path], workdir: Path, seconds_each: float | None) -> ConverterRun:
    """One ``soffice`` run over ``sources``, writing into ``workdir/out``. ``seconds_each`` is how long each
    document may take after the one before it (``None``: no limit)."""
    outdir = workdir / "out"
    argv = [
        find_soffice(),
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        _FILTER,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    # HOME too: LibreOffice and fontconfig write caches there, and a service user may have no home at all.
    env = {**os.environ, "HOME": str(workdir)}
    lines: queue.Queue[str | None] = queue.Queue()
    timed_out = False
    with (
        open(workdir / "stderr.txt", "wb") as stderr,
        external.spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env) as run,
    ):
        assert run.stdout is not None
        reader = threading.Thread(target=_read_lines, args=(run.stdout, lines), daemon=True)
        reader.start()
        loaded = 0
        while True:
            try:
                line = lines.get(timeout=seconds_each)
            except queue.Empty:
                timed_out = True
                break
            if line is None:
                break
            loaded += line.startswith("convert ")
        if not timed_out:
            with contextlib.suppress(subprocess.TimeoutExpired):  # output closed: let it finish exiting
                run.wait(timeout=seconds_each)
        external.stop(run)
        reader.join()
        run.stdout.close()
    outputs = [outdir / f"{source.stem}.docx" for source in sources]
    # "convert X -> Y" is printed once X is loaded, before it is written: after a kill or a crash the last one
    # named may be half written, so it is redone with the rest. (A file LibreOffice could not load prints no
    # line, so this may redo a little more than needed, never less.)
    unsettled = max(0, loaded - 1) if timed_out or run.returncode != 0 else None
    done = [path if path.is_file() and (unsettled is None or i < unsettled) else None for i, path in enumerate(outputs)]
    if unsettled is None and not any(done):
        said = (workdir / "stderr.txt").read_text("utf-8", "replace")[-500:]
        log.warning("LibreOffice converted none of %d files (exit status %s): %s", len(sources), run.returncode, said)
    return ConverterRun(done, unsettled, timed_out)


def _read_lines(stream: IO[bytes], lines: queue.Queue[str | None]) -> None:
    """Forward LibreOffice's progress lines to a queue the caller can wait on with a timeout; ``None`` at the end."""
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


def _read_output(path: Path, limits: ReadLimits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_unzipped_bytes:
        raise IngestError(
            "too_large",
            f"转换后的文件有 {human_size(size)}，超过上限 {human_size(limits.max_unzipped_bytes)}；"
            "请删除其中的图片或拆分后再入库",
            f"the converted file is {human_size(size)}, larger than the {human_size(limits.max_unzipped_bytes)} "
            "limit; remove images or split the file and retry",
        )
    return path.read_bytes()


def _zip_names(data: bytes, fmt: str, limits: ReadLimits) -> set[str]:
    """Entry names of a zip-based file, refusing a zip bomb before LibreOffice would inflate it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _not_a_document(fmt, "ZIP") from exc
    total = sum(info.file_size for info in infos)
    if len(infos) > limits.max_zip_entries or total > limits.max_unzipped_bytes:
        raise IngestError(
            "zip_bomb",
            f"文件解压后过大或包含过多条目（{len(infos)} 个条目，共 {human_size(total)}），疑似恶意文件；"
            "请上传正常保存的文档",
            f"the file unpacks to too much data or too many entries ({len(infos)} entries, {human_size(total)}); "
            "upload a normally saved document",
        )
    return {info.filename for info in infos}


def _not_a_document(fmt: str, kind: str | None) -> IngestError:
    actual_zh = f"实际是 {kind} 格式" if kind else "不是可识别的格式"
    actual_en = f"is actually {kind}" if kind else "is not in a recognisable format"
    if fmt == "wps":
        return IngestError(
            "unreadable_wps",
            f"该 .wps 文件{actual_zh}，LibreOffice 无法读取（可能是早期 WPS 格式或文件已损坏）；"
            "请用 WPS Office 打开后另存为 .docx 再入库",
            f"this .wps file {actual_en}, which LibreOffice cannot read (probably an early WPS format, or a damaged "
            "file); open it in WPS Office, save it as .docx and retry",
        )
    return IngestError(
        "unreadable_document",
        f"该 .{fmt} 文件{actual_zh}，不是 Word、WPS、OpenDocument 或 RTF 文档；"
        "请确认文件扩展名，或用原软件另存为 .docx",
        f"this .{fmt} file {actual_en}, not a Word, WPS, OpenDocument or RTF document; check the file extension or "
        "save it as .docx in the program that made it",
    )


def _failed_error(fmt: str) -> IngestError:
    program = "WPS Office" if fmt == "wps" else "Word 或 WPS"
    program_en = "WPS Office" if fmt == "wps" else "Word or WPS"
    return IngestError(
        "convert_failed",
        f"LibreOffice 无法转换该 .{fmt} 文件（可能已损坏、加密，或是 LibreOffice 不支持的版本）；"
        f"请用 {program} 打开后另存为 .docx 再入库",
        f"LibreOffice could not convert this .{fmt} file (damaged, password-protected, or a version it does not "
        f"read); open it in {program_en}, save it as .docx and retry",
    )


def _timeout_error(fmt: str, seconds: float) -> IngestError:
    return IngestError(
        "convert_timeout",
        f"用 LibreOffice 转换该 .{fmt} 文件超过 {seconds:.0f} 秒仍未完成，已停止；"
        "请检查文件是否损坏，或用 Word/WPS 另存为 .docx 后再入库",
        f"converting this .{fmt} file with LibreOffice took longer than {seconds:.0f} s and was stopped; check the "
        "file is not damaged, or save it as .docx in Word or WPS and retry",
    )
