"""Sample texts, the .docx and .pdf builders, and the check on a refused file, for the reader and upload tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from app.ingest.errors import IngestError

SPEECH = (
    "在全市经济工作会议上的讲话\n"
    "同志们：\n"
    "今年以来，全市上下坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，"
    "经济运行总体平稳、稳中有进，高质量发展取得新成效。\n"
    "一、充分肯定今年以来取得的成绩\n"
    "二、准确把握当前经济形势\n"
    "三、扎实做好明年经济工作\n"
)


def assert_rejected(exc: pytest.ExceptionInfo[IngestError], code: str) -> None:
    err = exc.value
    assert err.code == code
    assert err.zh.strip() and err.en.strip()
    assert err.zh != err.en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- shared file builders ----------------------------------------------------------------------


def make_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("关于印发2025年工作要点的通知")
    doc.add_paragraph("各区县人民政府，市政府各部门：")
    table = doc.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("单位", "负责人", "时限"), ("市发展改革委", "张三", "6月底")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    doc.add_paragraph("现将有关事项通知如下，请认真贯彻落实。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


PDF_PAGES = [
    ["在全市经济工作会议上的讲话", "同志们：今年以来，全市上下坚持稳中求进工作总基调。"],
    ["二、扎实做好明年经济工作", "推动高质量发展取得新成效。"],
]


def make_pdf(pages: list[list[str]], **kwargs: object) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, **kwargs)  # type: ignore[arg-type]
    for lines in pages:
        pdf.setFont("STSong-Light", 14)
        for i, line in enumerate(lines):
            pdf.drawString(72, 750 - 30 * i, line)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


# --- encodings -------------------------------------------------------------------------------
