"""The draft .docx opens in LibreOffice without repair and lays out on A4 pages.

Needs ``libreoffice`` (Debian ``libreoffice-writer-nogui``): CI=true .ci/run installs it; locally the test
skips with a message when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages, extract_text

from app.compose.bank import ComposeBank
from app.compose.output.docx import build_docx
from app.compose.plan import plan_draft
from app.compose.request import DraftRequest

pytestmark = pytest.mark.office


def _soffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice is missing: .ci/run should have installed libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui); CI=true .ci/run installs it")
    return found


@pytest.mark.parametrize("doc_type", ["speech", "report"])
def test_libreoffice_converts_the_draft_to_pdf(tmp_path: Path, doc_type: str) -> None:
    soffice = _soffice()
    request = DraftRequest(
        doc_type=doc_type,  # type: ignore[arg-type]
        meeting="全市精神文明建设工作推进会",
        place="大连市",
        topics=["未成年人思想道德建设", "志愿服务", "城中村治理"],
        parts=4,
    )
    source = tmp_path / f"{doc_type}.docx"
    source.write_bytes(build_docx(plan_draft(request, ComposeBank())))
    # A private profile dir: parallel runs and a user's own LibreOffice settings must not interfere.
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    result = subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / f"{doc_type}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    pages = list(extract_pages(str(pdf)))
    assert pages and all(round(page.width) == 595 and round(page.height) == 842 for page in pages)  # A4 in points
    text = extract_text(str(pdf)).replace(" ", "")
    title = "在全市精神文明建设工作推进会上的讲话" if doc_type == "speech" else "大连市召开全市精神文明建设工作推进会"
    assert title in text  # Chinese laid out with real glyphs, not tofu or question marks
    artifacts = Path(__file__).parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copy(pdf, artifacts / pdf.name)


def test_page_numbers_sit_outside_the_text_block_on_alternate_sides(tmp_path: Path) -> None:
    """GB/T 9704 7.5 as LibreOffice lays it out: "— N —", odd pages right and even pages left, each one
    character (14 pt) in from the text block, the dashes about 7 mm below it; the long title on two lines."""
    from pdfminer.layout import LTTextContainer

    from tests.helpers.drafts import LONG_TITLE, paragraph_draft

    soffice = _soffice()
    draft = paragraph_draft(LONG_TITLE)
    draft = draft.model_copy(update={"sections": draft.sections * 3})  # long enough for three pages
    source = tmp_path / "long.docx"
    source.write_bytes(build_docx(draft))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    result = subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "long.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    mm = 72 / 25.4
    pages = list(extract_pages(str(pdf)))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        boxes = [e for e in page if isinstance(e, LTTextContainer)]
        footer = [b for b in boxes if b.get_text().strip() == f"— {number} —"]
        assert len(footer) == 1, [b.get_text() for b in boxes if b.y0 < 35 * mm]
        box = footer[0]
        if number % 2:  # 单页码居右空一字
            assert abs(box.x1 - (page.width - 26 * mm - 14)) < 3
        else:  # 双页码居左空一字
            assert abs(box.x0 - (28 * mm + 14)) < 3
        assert abs((box.y0 + box.y1) / 2 - (35 - 7) * mm) < 2.5 * mm  # the dashes 7 mm under the text block
        if number == 1:
            title = max(boxes, key=lambda b: b.y1)
            assert title.get_text().split() == ["在全市精神文明建设暨", "创建全国文明典范城市工作推进会上的讲话"]
