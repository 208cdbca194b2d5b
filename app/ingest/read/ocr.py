"""Scanned PDF pages read by OCR: each page without a text layer is rendered to an image and read by Tesseract.

Only pages that have no text of their own are recognised: a PDF with a text layer is never OCR'd, and a scan
with a typed cover keeps the cover's real text. The recognised text then goes through the same cleaning as any
other (page numbers, running heads, lines broken at the scan's margin), and the document's format becomes
``pdf-ocr`` so a reader knows its text may hold recognition errors.

Why helper programs (``pdftoppm`` from poppler-utils, ``tesseract``) rather than Python bindings: both are Debian
packages beside the language data (tesseract-ocr-chi-sim, -chi-tra) that has to be installed anyway, and as
separate processes they run in a process group that is killed when the file's time is up (``external``), like
LibreOffice; a wrapper such as pytesseract would add a dependency for nothing but building the command line.

Time: OCR costs seconds a page where reading a text layer costs milliseconds, so before it starts the reader asks
for ``ocr_page_seconds`` per page on top of the file's time limit (``external.extend``). Tesseract runs one
thread per process (its OpenMP threads made a page twice as slow here) and one process per core, each reading a
share of the pages, so the language model is loaded once per process, not once per page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

from app.ingest.errors import IngestError
from app.ingest.read import external
from app.ingest.read.common import ReadLimits
from app.text.normalise import CJK_RE

PageSize = tuple[float, float]  # width, height in points

_DPI = 300  # what Tesseract is trained for; smaller text (a 仿宋 三号 scan) loses strokes below it
_MAX_SIDE_PX = 5000  # an A3 page at 300 dpi; a page claiming to be metres wide is rendered smaller, not huge
_CID_RE = re.compile(r"\(cid:\d+\)")  # glyphs pdfminer could not map to text
_MIN_TEXT_CHARS = 40  # fewer visible characters and no Chinese: a scanner's stamp or a page number, not text
_WIDE = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_NARROW = r"0-9!-/:-@\[-`{-~"
# Tesseract separates Chinese characters (and their punctuation) with spaces a typeset page never has, and
# reads full-width punctuation as ASCII: "(一)" would not be the "（一）" of the typed original.
_SPACE_RE = re.compile(rf"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}{_NARROW}])|(?<=[{_NARROW}])[ \t]+(?=[{_WIDE}])")
_ASCII_PUNCT_RE = re.compile(rf"\((?=[{_WIDE}])|(?<=[{_WIDE}])[):;,!?]")
_FULL_WIDTH = str.maketrans("():;,!?", "（）：；，！？")


def needs_ocr(page_text: str) -> bool:
    """A page with no text layer to speak of: ``needs_ocr("")`` → ``True``, ``needs_ocr("正文……")`` → ``False``."""
    visible = "".join(_CID_RE.sub("", page_text).split())
    return not CJK_RE.search(visible) and len(visible) < _MIN_TEXT_CHARS


def missing_packages(languages: str) -> list[str]:
    """The Debian packages OCR still needs for ``languages`` (``"chi_sim"``, ``"chi_sim+chi_tra"``); empty when
    it can run."""
    packages = {lang: f"tesseract-ocr-{lang.lower().replace('_', '-')}" for lang in languages.split("+") if lang}
    tools = [] if shutil.which("pdftoppm") else ["poppler-utils"]
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return ["tesseract-ocr", *packages.values(), *tools]
    installed = set(
        subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    )
    return [package for lang, package in packages.items() if lang not in installed] + tools


def fill_scanned_pages(data: bytes, pages: list[str], sizes: list[PageSize], limits: ReadLimits) -> tuple[str, int]:
    """The PDF's text with every page that has no text layer recognised by OCR, and how many pages were.

    ``pages`` is pdfminer's text split at its page breaks (one more item than there are pages, the text after
    the last break), ``sizes`` each page's size. Raises ``no_text_layer`` when no text is left to read, saying
    how to turn OCR on when it is off or missing.
    """
    scanned = [index for index in range(len(sizes)) if needs_ocr(pages[index])]
    missing = missing_packages(limits.ocr_languages) if scanned and limits.ocr else []
    if scanned and limits.ocr and not missing:
        for index, text in zip(scanned, recognise(data, {i: sizes[i] for i in scanned}, limits), strict=True):
            pages[index] = text
        text = "\n".join(pages)
        if not CJK_RE.search(text):
            raise IngestError(
                "no_text_layer",
                "PDF 中没有可提取的文字，文字识别（OCR）也没有识别出中文（页面可能只有图片，或扫描不清晰）；"
                "请上传原始 Word 文件或更清晰的扫描件",
                "the PDF has no extractable text and OCR found no Chinese in it (pictures only, or an unclear "
                "scan); upload the original Word file or a clearer scan",
            )
        return text, len(scanned)
    text = "\n".join(pages)
    if not text.strip() or len(_CID_RE.findall(text)) > len(CJK_RE.findall(text)):
        raise _no_text_error(limits.ocr, missing)
    return text, 0


def recognise(data: bytes, pages: dict[int, PageSize], limits: ReadLimits) -> list[str]:
    """OCR some pages of a PDF (0-based index → size): one text per page, in order, spaces between Chinese removed."""
    external.extend(len(pages) * limits.ocr_page_seconds)
    allowed = external.remaining()
    with tempfile.TemporaryDirectory(prefix="bigan-ocr-") as tmp:
        workdir = Path(tmp)
        pdf = workdir / "in.pdf"
        pdf.write_bytes(data)
        images = [_render(pdf, index, size, workdir, len(pages), allowed) for index, size in pages.items()]
        texts = _tesseract(images, limits.ocr_languages, workdir, allowed)
    return [_tidy(text) for text in texts]


def _tidy(text: str) -> str:
    """``_tidy("(一) 深化 实践:")`` → ``"（一）深化实践："``."""
    text = _ASCII_PUNCT_RE.sub(lambda match: match.group().translate(_FULL_WIDTH), _SPACE_RE.sub("", text))
    return _SPACE_RE.sub("", text).strip() + "\n"  # again: a space after what is full-width only now


def _render(pdf: Path, index: int, size: PageSize, workdir: Path, pages: int, allowed: float | None) -> Path:
    width, height = (abs(side) for side in size)
    dpi = max(1, min(_DPI, int(_MAX_SIDE_PX * 72 / max(width, height, 1))))
    stem = workdir / f"page{index:05d}"
    page = str(index + 1)
    # Uncompressed greyscale (.pgm): writing a PNG took five times as long as rendering the page.
    argv = ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", "-f", page, "-l", page, str(pdf), str(stem)]
    done = external.run(argv, stdin=subprocess.DEVNULL)
    if done is None:
        raise _timeout_error(pages, allowed)
    image = stem.with_suffix(".pgm")
    if done.returncode != 0 or not image.is_file():
        raise _failed_error(done.stderr)
    return image


def _tesseract(images: list[Path], languages: str, workdir: Path, allowed: float | None) -> list[str]:
    """Run one single-threaded Tesseract per core, each over every n-th page, and put the pages back in order."""
    workers = max(1, min(len(images), os.cpu_count() or 1))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    shares = [images[worker::workers] for worker in range(workers)]
    with ExitStack() as running:
        runs = []
        for worker, share in enumerate(shares):
            listing = workdir / f"pages{worker}.lst"
            listing.write_text("".join(f"{image}\n" for image in share), encoding="utf-8")
            argv = ["tesseract", str(listing), str(workdir / f"worker{worker}"), "-l", languages, "--psm", "3"]
            # stderr to a file: a pipe nobody reads while another worker is waited for could fill and stall it
            stderr = running.enter_context(open(workdir / f"worker{worker}.log", "wb"))
            spawned = external.spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
            runs.append(running.enter_context(spawned))
        for worker, run in enumerate(runs):
            try:
                run.wait(timeout=external.remaining())
            except subprocess.TimeoutExpired:
                raise _timeout_error(len(images), allowed) from None
            if run.returncode != 0:
                raise _failed_error((workdir / f"worker{worker}.log").read_bytes())
    texts = [""] * len(images)
    for worker, share in enumerate(shares):
        # Tesseract writes a form feed between the pages of a list (its page_separator)
        pages = (workdir / f"worker{worker}.txt").read_text("utf-8").split("\f")
        for position, text in enumerate(pages[: len(share)]):
            texts[worker + position * workers] = text
    return texts


def _no_text_error(enabled: bool, missing: list[str]) -> IngestError:
    if not enabled:
        how_zh = "文字识别（OCR）已关闭：去掉 --no-ocr（服务端设置 BIGAN_OCR=true）后重新入库即可识别"
        how_en = "OCR is turned off: ingest again without --no-ocr (on the server, set BIGAN_OCR=true) to read it"
    elif missing:
        command = f"apt-get install {' '.join(missing)}"
        how_zh = f"本机缺少文字识别（OCR）所需的软件，安装（{command}）后重新入库即可识别"
        how_en = f"the software OCR needs is missing; install it ({command}) and ingest again to read it"
    else:
        how_zh, how_en = "请上传原始 Word 文件", "upload the original Word file"
    return IngestError(
        "no_text_layer",
        f"PDF 中没有可提取的文字（可能是扫描件或字体无法识别）；{how_zh}",
        f"the PDF has no extractable text (probably a scan or unmapped fonts); {how_en}",
    )


def _timeout_error(pages: int, allowed: float | None) -> IngestError:
    seconds = f"{allowed:.0f}" if allowed is not None else "?"
    return IngestError(
        "ocr_timeout",
        f"扫描件 {pages} 页的文字识别（OCR）超过 {seconds} 秒仍未完成，已停止；请拆分 PDF 后再入库，"
        "或调大每页的识别时限 BIGAN_MAX_OCR_PAGE_SECONDS",
        f"OCR of the {pages} scanned pages took longer than {seconds} s and was stopped; split the PDF and retry, "
        "or raise the per-page limit BIGAN_MAX_OCR_PAGE_SECONDS",
    )


def _failed_error(stderr: bytes) -> IngestError:
    detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
    return IngestError(
        "ocr_failed",
        f"扫描件的文字识别（OCR）失败（{detail[0][:200]}）；请确认 PDF 未损坏，或上传原始 Word 文件",
        f"OCR of the scanned pages failed ({detail[0][:200]}); check the PDF is not damaged, or upload the "
        "original Word file",
    )
