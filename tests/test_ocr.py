"""Scanned PDFs read by OCR: a page without a text layer is recognised, a page with one never is, the text gets
the outline of the original, and OCR that is off, missing or too slow says what to do.

The scan is made at test time: a known speech is typeset with a CJK font (reportlab), rendered to a picture
(pdftoppm) and put back into a PDF as nothing but that picture. Tests that run Tesseract are marked ``ocr``:
CI=true .ci/run installs it (tesseract-ocr, tesseract-ocr-chi-sim, poppler-utils, fonts-noto-cjk); locally they
skip with a message when something is missing.
"""

from __future__ import annotations

import difflib
import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

import app.ingest.read.ocr as ocr
from app.cli import app
from app.config import Settings
from app.ingest.errors import IngestError
from app.ingest.isolate import IsolatedParser
from app.ingest.pipeline import prepare
from app.ingest.read.common import ReadLimits
from app.ingest.read.formats import read_bytes
from tests import hostile_parsers
from tests.helpers.office import SPEECH
from tests.helpers.readers import PDF_PAGES, assert_rejected, make_pdf

runner = CliRunner()
Page = list[str] | Image.Image  # typed lines (a text layer), or a scanned picture


def _ocr_tools() -> None:
    missing = ocr.missing_packages("chi_sim")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if not missing else "x"
    if not fonts.strip():
        missing.append("fonts-noto-cjk")  # to typeset the speech that is then scanned
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but OCR tools are missing ({' '.join(missing)}): .ci/run should have installed them")
        pytest.skip(f"OCR tools not installed (apt-get install {' '.join(missing)}); CI=true .ci/run installs them")


def _pdf(pages: list[Page]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for page in pages:
        if isinstance(page, Image.Image):
            pdf.drawImage(ImageReader(page), 0, 0, *A4)
        else:
            y = 780.0
            for index, paragraph in enumerate(page):
                size, width = (20, 24) if index == 0 else (15, 30)  # a title line, then body lines of 30 characters
                for start in range(0, len(paragraph), width):
                    pdf.setFont("STSong-Light", size)
                    pdf.drawString(60, y, paragraph[start : start + width])
                    y -= size * 1.7
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _scan(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page of ``pdf`` as a 200 dpi greyscale picture, as an office scanner would make it."""
    source = tmp_path / "typed.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(source), str(tmp_path / "scan")], check=True)
    return [Image.open(path) for path in sorted(tmp_path.glob("scan*.pgm"))]


@pytest.fixture
def scanned_speech(tmp_path: Path) -> bytes:
    _ocr_tools()
    return _pdf(_scan(_pdf([SPEECH]), tmp_path))


def _black_page() -> bytes:
    """A PDF page with a picture and no text at all."""
    return _pdf([Image.new("L", (200, 280), 0)])


@pytest.mark.ocr
def test_a_scanned_speech_is_read_by_ocr_with_the_outline_of_its_text(scanned_speech: bytes) -> None:
    raw = read_bytes(scanned_speech, "扫描件.pdf")
    assert raw.fmt == "pdf-ocr"  # marked, so a reader knows the text was recognised
    scanned, typed = prepare(raw), prepare(read_bytes(_pdf([SPEECH]), "原件.pdf"))
    assert typed.metadata.title == SPEECH[0]
    assert scanned.metadata.title == typed.metadata.title
    assert [(s.level, s.marker, s.role) for s in scanned.sections] == [
        (s.level, s.marker, s.role) for s in typed.sections
    ]
    for ours, theirs in zip(scanned.sections, typed.sections, strict=True):
        assert difflib.SequenceMatcher(None, ours.heading, theirs.heading).ratio() > 0.8, (ours, theirs)
    # most characters come back, and the lines broken at the page margin are joined again by the cleaner
    expected = "".join(SPEECH[1:])
    recovered = "".join(scanned.text.split("\n"))
    assert difflib.SequenceMatcher(None, recovered, expected, autojunk=False).ratio() > 0.9
    assert len(scanned.text.split("\n")) == len(typed.text.split("\n"))


def test_a_pdf_with_a_text_layer_is_never_ocrd(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> list[str]:
        raise AssertionError("a page with a text layer went to OCR")

    monkeypatch.setattr(ocr, "recognise", refuse)
    raw = read_bytes(make_pdf(PDF_PAGES), "原件.pdf")
    assert raw.fmt == "pdf" and raw.text.startswith(PDF_PAGES[0][0])


@pytest.mark.ocr
def test_a_scan_with_a_typed_cover_keeps_the_cover_and_recognises_the_rest(tmp_path: Path) -> None:
    _ocr_tools()
    cover = ["关于印发全市精神文明建设工作要点的通知", "市文明办"]
    raw = read_bytes(_pdf([cover, *_scan(_pdf([SPEECH]), tmp_path)]), "合订本.pdf")
    assert raw.fmt == "pdf-ocr"
    assert [line for line in raw.text.split("\n") if line][:2] == cover  # the text layer, exactly, not its OCR
    assert "奋力开创全市精神文明建设新局面" in "".join(raw.text.split())


def test_ocr_turned_off_says_how_to_turn_it_on() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(_black_page(), "扫描件.pdf", ReadLimits(ocr=False))
    assert_rejected(exc, "no_text_layer")
    assert "--no-ocr" in exc.value.zh and "--no-ocr" in exc.value.en


def test_without_tesseract_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(IngestError) as exc:
        read_bytes(_black_page(), "扫描件.pdf")
    assert_rejected(exc, "no_text_layer")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils" in exc.value.en
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils" in exc.value.zh


def test_ingest_ocr_flag_checks_that_tesseract_is_there(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["ingest", "--ocr", str(tmp_path)])
    assert result.exit_code == 2 and "apt-get install tesseract-ocr" in result.output


@pytest.mark.ocr
def test_ocr_time_is_added_per_page(scanned_speech: bytes) -> None:
    # 1 s is far too short to OCR a page (~2 s here), but each scanned page brings its own time
    with IsolatedParser(timeout=1) as parse:
        assert parse(scanned_speech, "扫描件.pdf", ReadLimits(ocr_page_seconds=120)).raw.fmt == "pdf-ocr"


@pytest.mark.ocr
def test_ocr_running_over_is_stopped_with_a_clear_error(scanned_speech: bytes, tmp_path: Path) -> None:
    """Through the real parse child, with a Tesseract that never finishes: the child stops it in time."""
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    pid_file = tmp_path / "tesseract.pid"
    languages = '[ "$1" = --list-langs ] && echo chi_sim && exit 0'
    fake.write_text(f"#!/bin/sh\n{languages}\necho $$ > {pid_file}\nexec sleep 600\n")
    fake.chmod(0o755)
    with IsolatedParser(timeout=3, parse=hostile_parsers.with_path_first) as parse:  # type: ignore[arg-type]
        with pytest.raises(IngestError) as exc:
            parse(scanned_speech, str(fake.parent / "扫描件.pdf"), ReadLimits(ocr_page_seconds=0.01))
        assert_rejected(exc, "ocr_timeout")  # the child's own stop, not the parent's parse_timeout
        assert "BIGAN_MAX_OCR_PAGE_SECONDS" in exc.value.en
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid_file.read_text()), 0)  # the whole process group was killed


@pytest.mark.ocr
def test_bigan_ingest_counts_ocr_pdfs_and_shows_them(settings: Settings, scanned_speech: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "扫描件.pdf").write_bytes(scanned_speech)
    (folder / "原件.pdf").write_bytes(make_pdf(PDF_PAGES))
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 files: 2 added, 0 duplicate, 0 rejected — pdf 2 (OCR 1)" in result.output.splitlines()
    shown = runner.invoke(app, ["documents", "show", "2"])
    assert "format: pdf-ocr" in shown.output
    tree = runner.invoke(app, ["outline", str(folder / "扫描件.pdf")])
    assert "扫描件经文字识别（OCR）" in tree.output and "一、肯定成绩" in tree.output
