"""Legacy formats and scans: .doc → .docx through LibreOffice, one run for a batch (``bigan ingest`` of a folder)
beside one run per document (an upload, or a file a batch left over); and OCR pages/s of a scanned speech beside
reading the text layer of the same pages, with how much of the text OCR gets back.

Needs LibreOffice and Tesseract (chi_sim) with pdftoppm and a CJK font; a part whose tools are missing is left out.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from app.ingest.read.common import ReadLimits
from app.ingest.read.convert import convert_batch, to_readable
from app.ingest.read.formats import read_bytes
from app.ingest.read.ocr import missing_packages
from benchmarks.common import Row, synthetic_text

_PAGE_CHARS = 28 * 22  # a page of a speech set in 三号: 28 characters a line, 22 lines


def _doc_files(count: int, workdir: Path) -> list[bytes]:
    """``count`` different speeches of about 3 000 characters as Word 97-2003 files (made once, in one run)."""
    sources = []
    for index in range(count):
        doc = Document()
        for paragraph in synthetic_text(3000, seed=index).split("\n"):
            doc.add_paragraph(paragraph)
        sources.append(workdir / f"{index:03d}.docx")
        doc.save(sources[-1])
    profile = f"-env:UserInstallation={(workdir / 'profile').as_uri()}"
    command = ["soffice", profile, "--headless", "--convert-to", "doc", "--outdir", str(workdir / "doc")]
    subprocess.run([*command, *map(str, sources)], check=True, capture_output=True, timeout=600)
    return [(workdir / "doc" / f"{source.stem}.doc").read_bytes() for source in sources]


def _convert_rows(quick: bool) -> list[Row]:
    count = 8 if quick else 40
    limits = ReadLimits()
    with tempfile.TemporaryDirectory() as tmp:
        docs = _doc_files(count, Path(tmp))
    started = time.perf_counter()
    converted = convert_batch([(data, "doc") for data in docs], limits, None)
    batch_s = time.perf_counter() - started
    assert all(isinstance(result, bytes) for result in converted)
    singles = docs[: max(4, count // 4)]  # a start per document: a quarter of them tells the rate
    started = time.perf_counter()
    for data in singles:
        to_readable(data, "doc", limits)
    single_s = time.perf_counter() - started
    return [
        Row(
            "convert",
            f".doc → .docx, {count} documents of ~3 000 characters, one LibreOffice run",
            round(count / batch_s, 2),
            "docs/s",
            "one LibreOffice run per document",
            round(len(singles) / single_s, 2),
        )
    ]


def _pdf(pages: list[str | Image.Image]) -> bytes:
    """Pages of text typeset in 15 pt Song (28 characters a line), or pictures filling an A4 page."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for page in pages:
        if isinstance(page, str):
            pdf.setFont("STSong-Light", 15)
            for line, start in enumerate(range(0, len(page), 28)):
                pdf.drawString(72, 770 - 30 * line, page[start : start + 28])
        else:
            pdf.drawImage(ImageReader(page), 0, 0, *A4)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _scan(pages: list[str], workdir: Path) -> tuple[bytes, bytes]:
    """The pages typeset with a CJK font (a text layer), and the same pages scanned at 200 dpi (pictures only)."""
    typed = _pdf(list(pages))
    (workdir / "typed.pdf").write_bytes(typed)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(workdir / "typed.pdf"), str(workdir / "scan")], check=True)
    return typed, _pdf([Image.open(path) for path in sorted(workdir.glob("scan*.pgm"))])


def _ocr_rows(quick: bool) -> list[Row]:
    count = 2 if quick else 8
    text = synthetic_text(count * _PAGE_CHARS).replace("\n", "")
    pages = [text[start : start + _PAGE_CHARS] for start in range(0, count * _PAGE_CHARS, _PAGE_CHARS)]
    with tempfile.TemporaryDirectory() as tmp:
        typed, scanned = _scan(pages, Path(tmp))
    started = time.perf_counter()
    recognised = read_bytes(scanned, "scan.pdf")
    ocr_s = time.perf_counter() - started
    started = time.perf_counter()
    read_bytes(typed, "typed.pdf")
    text_s = time.perf_counter() - started
    assert recognised.fmt == "pdf-ocr"
    got = "".join(recognised.text.split())
    accuracy = difflib.SequenceMatcher(None, got, "".join(pages), autojunk=False).ratio()
    return [
        Row(
            "convert",
            f"OCR (Tesseract chi_sim, one process per core) of {count} scanned pages, 200 dpi",
            round(count / ocr_s, 3),
            "pages/s",
            "text layer of the same pages (pdfminer)",
            round(count / text_s, 1),
        ),
        Row("convert", "OCR: characters recovered (similarity to the typeset text)", round(100 * accuracy, 1), "%"),
    ]


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    if shutil.which("soffice"):
        rows += _convert_rows(quick)
    else:
        print("bench_convert: LibreOffice missing, .doc conversion not measured", file=sys.stderr)
    if missing := missing_packages("chi_sim"):
        print(f"bench_convert: OCR not measured (apt-get install {' '.join(missing)})", file=sys.stderr)
    else:
        rows += _ocr_rows(quick)
    return rows
