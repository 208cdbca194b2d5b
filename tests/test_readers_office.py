"""Readers for docx and pdf: text in reading order, and every way a damaged or hostile file is refused."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.pdfgen import canvas

from app.ingest.errors import IngestError
from app.ingest.read.formats import RawDoc, ReadLimits, read_bytes, read_path
from tests.helpers.readers import PDF_PAGES, SPEECH, assert_rejected, make_docx, make_pdf, write

# --- docx ------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "要点.docx", make_docx()))
    assert doc == RawDoc(
        text="关于印发2025年工作要点的通知\n各区县人民政府，市政府各部门：\n单位\t负责人\t时限\n"
        "市发展改革委\t张三\t6月底\n现将有关事项通知如下，请认真贯彻落实。",
        fmt="docx",
        encoding=None,
        filename="要点.docx",
    )


def test_docx_merged_cells_are_not_repeated() -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "二〇二五年重点工作任务分解表"
    for cell, value in zip(table.rows[1].cells, ("序号", "任务内容", "牵头单位"), strict=True):
        cell.text = value
    buf = io.BytesIO()
    doc.save(buf)
    assert read_bytes(buf.getvalue(), "a.docx").text == "二〇二五年重点工作任务分解表\n序号\t任务内容\t牵头单位"


def test_docx_text_inside_content_controls_is_kept() -> None:
    doc = Document()
    doc.add_paragraph("正文第一段：全市上下要统一思想。")
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>某某市人民政府办公室</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(0, sdt)
    buf = io.BytesIO()
    doc.save(buf)
    assert read_bytes(buf.getvalue(), "a.docx").text == "某某市人民政府办公室\n正文第一段：全市上下要统一思想。"


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(4000),
        b"PK\x03\x04" + random.Random(2).randbytes(4000),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),  # an old .doc renamed to .docx
    ],
    ids=["random", "broken-zip", "legacy-doc"],
)
def test_docx_that_is_not_a_zip_is_rejected(data: bytes) -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "a.docx")
    assert_rejected(exc, "corrupt_docx")


def test_docx_without_document_xml_is_rejected() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "在全市经济工作会议上的讲话")
    with pytest.raises(IngestError) as exc:
        read_bytes(buf.getvalue(), "a.docx")
    assert_rejected(exc, "corrupt_docx")
    assert "word/document.xml" in exc.value.en


def test_docx_with_bad_xml_is_rejected() -> None:
    data = rezip(make_docx(), {"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "a.docx")
    assert_rejected(exc, "corrupt_docx")


def test_docx_zip_bomb_total_size() -> None:
    data = rezip(make_docx(), {"word/media/zeros.bin": None})
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/zeros.bin", bytes(5_000_000))
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(IngestError) as exc:
        read_bytes(buf.getvalue(), "a.docx", ReadLimits(max_unzipped_bytes=1_000_000))
    assert_rejected(exc, "zip_bomb")


def test_docx_zip_bomb_compression_ratio_with_default_limits() -> None:
    buf = io.BytesIO(make_docx())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/zeros.bin", bytes(11 * 1024 * 1024))
    with pytest.raises(IngestError) as exc:
        read_bytes(buf.getvalue(), "a.docx")
    assert_rejected(exc, "zip_bomb")


def test_docx_too_many_entries() -> None:
    buf = io.BytesIO(make_docx())
    with zipfile.ZipFile(buf, "a") as zf:
        for i in range(30):
            zf.writestr(f"extra/item{i}.xml", "<a/>")
    with pytest.raises(IngestError) as exc:
        read_bytes(buf.getvalue(), "a.docx", ReadLimits(max_zip_entries=20))
    assert_rejected(exc, "zip_bomb")


# --- pdf -------------------------------------------------------------------------------------


def test_pdf_chinese_text_with_page_breaks(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "讲话.pdf", make_pdf(PDF_PAGES)))
    assert (doc.fmt, doc.encoding) == ("pdf", None)
    assert "\f" not in doc.text
    assert [line for line in doc.text.split("\n") if line] == [line for page in PDF_PAGES for line in page]
    first_page_end = doc.text.index("总基调。") + len("总基调。")
    assert "\n" in doc.text[first_page_end : doc.text.index("二、扎实")]


def test_pdf_over_page_limit() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(make_pdf(PDF_PAGES), "a.pdf", ReadLimits(max_pdf_pages=1))
    assert_rejected(exc, "too_many_pages")


def test_pdf_encrypted_with_password() -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(make_pdf(PDF_PAGES, encrypt="secret"), "a.pdf")
    assert_rejected(exc, "encrypted_pdf")


def test_pdf_without_text_is_reported_as_scan() -> None:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.rect(72, 600, 200, 100, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(IngestError) as exc:
        read_bytes(buf.getvalue(), "scan.pdf")
    assert_rejected(exc, "no_text_layer")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + random.Random(3).randbytes(3000),
        make_pdf(PDF_PAGES)[:400],
        SPEECH.encode("utf-8"),
    ],
    ids=["junk-after-header", "truncated", "text-named-pdf"],
)
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(IngestError) as exc:
        read_bytes(data, "a.pdf")
    assert_rejected(exc, "corrupt_pdf")
