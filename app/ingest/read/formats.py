"""Read an uploaded or on-disk document (txt, md, html, docx, pdf) into plain text.

Only extraction happens here: line endings are normalised, nothing else is cleaned and traditional
characters stay traditional. Every kind of bad input raises ``IngestError`` with a stable code and a
reason in Chinese and English that tells the user what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from app.ingest.errors import IngestError
from app.ingest.read.decode import decode_text, sniff_magic
from app.ingest.read.html import html_to_text, title_first
from app.ingest.read.markdown import split_front_matter, strip_markdown
from app.text.normalise import CJK_RE

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MIN_CJK_CHARS = 10
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
_BOMB_RATIO = 200
_BOMB_ENTRY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep one hostile or huge upload from exhausting memory or CPU."""

    max_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 2000
    max_pdf_pages: int = 500


@dataclass(frozen=True)
class RawDoc:
    """Extracted text, one paragraph (or pdfminer line) per ``\\n``-separated line, original script."""

    text: str
    fmt: str
    encoding: str | None
    filename: str


DEFAULT_LIMITS = ReadLimits()


def read_path(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawDoc:
    """Read a file from disk: ``read_path(Path("讲话.docx")).text`` → ``"在全市…的讲话\\n同志们：…"``."""
    return read_bytes(load_file(path, limits), path.name, limits)


def load_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a supported file on disk, unparsed (``bigan ingest`` hands them to a parse process).

    The suffix is checked first and the size with ``stat``, so a 5 GB file is never loaded.
    """
    _format_for(path.name)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(path)
        _check_size(size, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            "unreadable",
            f"无法读取文件（{exc.strerror or type(exc).__name__}）；请确认文件存在且有读取权限",
            f"cannot read the file ({exc.strerror or type(exc).__name__}); check it exists and is readable",
        ) from exc
    return data


def read_bytes(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> RawDoc:
    """Read an upload: ``read_bytes("会议纪要……".encode("gbk"), "纪要.txt")`` → ``RawDoc(fmt="txt",
    encoding="gbk", …)``. The suffix picks the reader; the content must match it.
    """
    fmt = _format_for(filename)
    _check_size(len(data), limits)
    if not data.strip():
        raise _empty_error()
    text, encoding = _READERS[fmt](data, limits)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _empty_error()
    if len(CJK_RE.findall(text)) < MIN_CJK_CHARS:
        raise IngestError(
            "no_chinese",
            f"文件中几乎没有中文（少于 {MIN_CJK_CHARS} 个汉字），不能作为公文样本；请确认上传了正确的文件",
            f"the file contains almost no Chinese (fewer than {MIN_CJK_CHARS} Chinese characters); "
            "check that you uploaded the right file",
        )
    return RawDoc(text=text, fmt=fmt, encoding=encoding, filename=filename)


def _format_for(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in _FORMATS:
        shown = suffix or "（无扩展名）"
        hint_zh = "；旧版 .doc/.wps 请先另存为 .docx" if suffix in {".doc", ".wps"} else ""
        hint_en = "; save old .doc/.wps files as .docx first" if suffix in {".doc", ".wps"} else ""
        raise IngestError(
            "unsupported_type",
            f"不支持 {shown} 文件；仅支持 {'、'.join(SUPPORTED_SUFFIXES)}{hint_zh}",
            f"{suffix or 'files without an extension'} is not supported; use one of "
            f"{', '.join(SUPPORTED_SUFFIXES)}{hint_en}",
        )
    return _FORMATS[suffix]


def _human(size: int) -> str:
    """``_human(20 * 1024 * 1024)`` → ``"20 MB"``; ``_human(1536)`` → ``"1.5 KB"``."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"


def _check_size(size: int, limits: ReadLimits) -> None:
    if size > limits.max_bytes:
        cap, got = _human(limits.max_bytes), _human(size)
        raise IngestError(
            "too_large",
            f"文件大小 {got}，超过上限 {cap}；请拆分文件或删除其中的图片后再上传",
            f"the file is {got}, larger than the {cap} limit; split it or remove images and upload again",
        )


def _empty_error() -> IngestError:
    return IngestError(
        "empty",
        "文件为空或没有任何文字；请确认上传了正确的文件",
        "the file is empty or contains no text; check that you uploaded the right file",
    )


# --- plain text and markdown -------------------------------------------------------------------


def _read_txt(data: bytes, limits: ReadLimits) -> tuple[str, str | None]:
    return decode_text(data)


def _read_md(data: bytes, limits: ReadLimits) -> tuple[str, str | None]:
    """Markdown without its syntax or front matter; a front matter ``title:`` goes first, as a page's <title>
    does, unless the text already has it (a ``date:`` is dropped: the metadata has no place for a hint)."""
    text, encoding = decode_text(data)
    fields, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = strip_markdown(body).split("\n")
    title = fields.get("title", "")
    return "\n".join(title_first(title, lines) if CJK_RE.search(title) else lines), encoding


# --- html ----------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def _read_html(data: bytes, limits: ReadLimits) -> tuple[str, str | None]:
    match = _META_CHARSET_RE.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    markup, encoding = decode_text(data, declared)
    return html_to_text(markup), encoding


# --- docx ----------------------------------------------------------------------------------------


def _docx_error(zh: str, en: str) -> IngestError:
    return IngestError(
        "corrupt_docx",
        f"{zh}；请用 Word 或 WPS 打开后重新另存为 .docx",
        f"{en}; open it in Word or WPS and save it again as .docx",
    )


def _check_zip(data: bytes, limits: ReadLimits) -> None:
    """Reject zip bombs from the central directory alone, before anything is decompressed.

    zipfile cuts an entry off at its declared size (and then fails the CRC), so the declared sizes
    are a real bound on what python-docx can inflate.
    """
    kind = sniff_magic(data)
    if kind and not data.startswith(b"PK"):
        raise _docx_error(f"文件内容实际是 {kind} 格式，不是 .docx", f"the file content is {kind}, not .docx")
    if not data.startswith(b"PK"):
        raise _docx_error("文件不是有效的 .docx（不是 ZIP 压缩包）", "the file is not a valid .docx (not a zip)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _docx_error("文件已损坏，无法解压", "the file is damaged and cannot be unzipped") from exc
    total = sum(info.file_size for info in infos)
    absurd = any(
        info.file_size > _BOMB_ENTRY_BYTES and info.file_size > _BOMB_RATIO * max(1, info.compress_size)
        for info in infos
    )
    if len(infos) > limits.max_zip_entries or total > limits.max_unzipped_bytes or absurd:
        raise IngestError(
            "zip_bomb",
            f"文件解压后过大或包含过多条目（{len(infos)} 个条目，共 {_human(total)}），疑似恶意文件；"
            "请上传正常保存的 Word 文档",
            f"the file unpacks to too much data or too many entries ({len(infos)} entries, "
            f"{_human(total)}); upload a normally saved Word document",
        )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise _docx_error(
            "文件缺少 word/document.xml，不是 Word 文档",
            "word/document.xml is missing, so this is not a Word document",
        )


def _blocks(parent: BaseOxmlElement) -> Iterator[CT_P | CT_Tbl]:
    """Body-level paragraphs and tables in reading order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if isinstance(child, CT_P | CT_Tbl):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _table_lines(tbl: CT_Tbl, story: DocxDocument) -> Iterator[str]:
    """One line per row, cells separated by a tab; merged continuation cells are empty and skipped.

    Raw ``w:tc`` elements are used because ``row.cells`` repeats a merged cell once per grid column.
    """
    for tr in tbl.tr_lst:
        cells = (" ".join(p.text for p in _Cell(tc, story).paragraphs).strip() for tc in tr.tc_lst)
        yield "\t".join(cell for cell in cells if cell)


def _read_docx(data: bytes, limits: ReadLimits) -> tuple[str, str | None]:
    _check_zip(data, limits)
    try:
        doc = Document(io.BytesIO(data))
        lines: list[str] = []
        for el in _blocks(doc.element.body):
            if isinstance(el, CT_P):
                lines.append(Paragraph(el, doc).text)
            else:
                lines.extend(_table_lines(el, doc))
    except Exception as exc:  # python-docx/lxml raise many unrelated types on damaged files
        raise _docx_error("文件内容已损坏，无法读取", "the document content is damaged") from exc
    return "\n".join(lines), None


# --- pdf -----------------------------------------------------------------------------------------


def _open_pdf(data: bytes) -> PDFDocument:
    if b"%PDF-" not in data[:1024]:
        raise IngestError(
            "corrupt_pdf",
            "文件不是 PDF（缺少 %PDF- 文件头）；请确认文件扩展名",
            "the file is not a PDF (no %PDF- header); check the file extension",
        )
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IngestError(
            "encrypted_pdf",
            "PDF 已加密，需要密码才能打开；请去除密码后再上传",
            "the PDF is encrypted and needs a password; remove the password and retry",
        ) from exc
    except Exception as exc:  # pdfminer raises PSEOF, KeyError, TypeError … on damaged files
        raise IngestError(
            "corrupt_pdf",
            "PDF 文件已损坏，无法读取；请重新导出 PDF 后上传",
            "the PDF is damaged and cannot be read; export it again and retry",
        ) from exc


def _read_pdf(data: bytes, limits: ReadLimits) -> tuple[str, str | None]:
    doc = _open_pdf(data)
    try:
        pages = sum(1 for _ in islice(PDFPage.create_pages(doc), limits.max_pdf_pages + 1))
        if pages > limits.max_pdf_pages:
            raise IngestError(
                "too_many_pages",
                f"PDF 超过 {limits.max_pdf_pages} 页；请拆分后分别上传",
                f"the PDF has more than {limits.max_pdf_pages} pages; split it and upload the parts",
            )
        out = io.StringIO()
        manager = PDFResourceManager()
        with TextConverter(manager, out, laparams=LAParams()) as device:
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(doc):
                interpreter.process_page(page)
    except IngestError:
        raise
    except Exception as exc:  # same reason as in _open_pdf
        raise IngestError(
            "corrupt_pdf",
            "PDF 文件已损坏，无法读取；请重新导出 PDF 后上传",
            "the PDF is damaged and cannot be read; export it again and retry",
        ) from exc
    # pdfminer ends every page with a form feed; "(cid:123)" marks glyphs it could not map to text
    text = out.getvalue().replace("\f", "\n")
    if not text.strip() or len(re.findall(r"\(cid:\d+\)", text)) > len(CJK_RE.findall(text)):
        raise IngestError(
            "no_text_layer",
            "PDF 中没有可提取的文字（可能是扫描件或字体无法识别）；请上传原始 Word 文件或先做文字识别 (OCR)",
            "the PDF has no extractable text (probably a scan or unmapped fonts); upload the original "
            "Word file or run OCR first",
        )
    return text, None


_READERS: dict[str, Callable[[bytes, ReadLimits], tuple[str, str | None]]] = {
    "txt": _read_txt,
    "md": _read_md,
    "html": _read_html,
    "docx": _read_docx,
    "pdf": _read_pdf,
}
