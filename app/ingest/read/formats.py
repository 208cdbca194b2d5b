"""Read an uploaded or on-disk document (txt, md, html, docx, pdf) into plain text.

Only extraction happens here: line endings are normalised and control characters, non-characters and lone
surrogates removed (``app.text.controls``: no format may bring them into the database), nothing else is cleaned
and traditional characters stay traditional. Every kind of bad input raises ``IngestError`` with a stable code and a
reason in Chinese and English that tells the user what to do.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path

from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from app.ingest.errors import IngestError
from app.ingest.read.common import DEFAULT_LIMITS, Extracted, HeadingHint, ReadLimits
from app.ingest.read.common import human_size as _human
from app.ingest.read.convert import LEGACY_FORMATS, to_readable
from app.ingest.read.decode import decode_text
from app.ingest.read.docx import check_zip_signature, read_docx
from app.ingest.read.html import html_to_text, title_first
from app.ingest.read.markdown import split_front_matter, strip_markdown
from app.ingest.read.ocr import PageSize, fill_scanned_pages
from app.text.controls import normalise_controls
from app.text.normalise import CJK_RE

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", *(f".{fmt}" for fmt in LEGACY_FORMATS))
MIN_CJK_CHARS = 10
MIN_CJK_SHARE = 0.2  # of a long text's non-space characters (see _check_chinese)
_LONG_TEXT_CHARS = 100_000
_SPACES = (" ", "\n", "\t", "\u3000")
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"} | {
    f".{fmt}": fmt for fmt in LEGACY_FORMATS
}


@dataclass(frozen=True)
class RawDoc:
    """Extracted text, one paragraph (or pdfminer line) per ``\\n``-separated line, original script.

    ``headings`` is the file's own heading evidence, in document order (.docx: paragraphs with a heading style or
    outline level, level 0 the title); the outline parser uses it for headings that have no typed marker.
    ``removed_controls`` counts the control characters, non-characters and lone surrogates taken out of the text
    (the ingest report shows it: a file full of them was probably damaged or mis-exported).
    """

    text: str
    fmt: str
    encoding: str | None
    filename: str
    headings: tuple[HeadingHint, ...] = ()
    removed_controls: int = 0


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
    fmt = check_file(data, filename, limits)
    extracted = _READERS[fmt](data, limits)
    text, removed = normalise_controls(extracted.text)
    if not text.strip():
        raise _empty_error()
    _check_chinese(text)
    return RawDoc(
        text=text,
        fmt=extracted.fmt or fmt,
        encoding=extracted.encoding,
        filename=filename,
        headings=tuple((normalise_controls(heading)[0], level) for heading, level in extracted.headings),
        removed_controls=removed,
    )


def check_file(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """The checks that need no parsing — a supported suffix, the size cap, not empty, and for .docx and .pdf the
    container's signature — and the format they allow: ``check_file(b"PK\\x03\\x04…", "讲话.docx")`` → ``"docx"``.

    Ingestion makes them before anything else, the duplicate lookup included: whether a file is refused must not
    depend on whether the same bytes were stored before (a stored .txt sent again as ``x.exe`` is still an .exe).
    """
    fmt = _format_for(filename)
    _check_size(len(data), limits)
    if not data.strip():
        raise _empty_error()
    if fmt == "docx":
        check_zip_signature(data)
    elif fmt == "pdf":
        _check_pdf_header(data)
    return fmt


def _check_chinese(text: str) -> None:
    """Refuse text with almost no Chinese, and long text that is mostly something else.

    The second is about cost as much as content: the outline parser tries a heading at every space and
    punctuation mark, so megabytes of symbols (a 5 MB line of ``，。、；``) take it tens of seconds, and no Chinese
    office document is like that (in the bundled and shared corpora Chinese characters are at least 45 % of the
    non-space text). A short file is cheap to try, so only long ones are held to the share.
    """
    cjk = len(CJK_RE.findall(text))
    if cjk < MIN_CJK_CHARS:
        raise IngestError(
            "no_chinese",
            f"文件中几乎没有中文（少于 {MIN_CJK_CHARS} 个汉字），不能作为公文样本；请确认上传了正确的文件",
            f"the file contains almost no Chinese (fewer than {MIN_CJK_CHARS} Chinese characters); "
            "check that you uploaded the right file",
        )
    dense = len(text) - sum(map(text.count, _SPACES))
    if dense > _LONG_TEXT_CHARS and cjk < MIN_CJK_SHARE * dense:
        share = f"{cjk / dense:.1%}"
        raise IngestError(
            "no_chinese",
            f"文件很长，但汉字只占 {share}，大部分是符号、数字或外文，不像中文公文；请确认上传了正确的文件",
            f"the file is long but only {share} of it is Chinese; the rest is symbols, figures or other languages, "
            "which no Chinese office document is like; check that you uploaded the right file",
        )


def _format_for(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in _FORMATS:
        shown = suffix or "（无扩展名）"
        raise IngestError(
            "unsupported_type",
            f"不支持 {shown} 文件；仅支持 {'、'.join(SUPPORTED_SUFFIXES)}",
            f"{suffix or 'files without an extension'} is not supported; use one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    return _FORMATS[suffix]


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


def _read_txt(data: bytes, limits: ReadLimits) -> Extracted:
    return Extracted(*decode_text(data))


def _read_md(data: bytes, limits: ReadLimits) -> Extracted:
    """Markdown without its syntax or front matter; a front matter ``title:`` goes first, as a page's <title>
    does, unless the text already has it (a ``date:`` is dropped: the metadata has no place for a hint)."""
    text, encoding = decode_text(data)
    fields, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = strip_markdown(body).split("\n")
    title = fields.get("title", "")
    return Extracted("\n".join(title_first(title, lines) if CJK_RE.search(title) else lines), encoding)


# --- html ----------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def _read_html(data: bytes, limits: ReadLimits) -> Extracted:
    match = _META_CHARSET_RE.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    markup, encoding = decode_text(data, declared)
    return Extracted(html_to_text(markup), encoding)


# --- pdf -----------------------------------------------------------------------------------------


def _check_pdf_header(data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:
        raise IngestError(
            "corrupt_pdf",
            "文件不是 PDF（缺少 %PDF- 文件头）；请确认文件扩展名",
            "the file is not a PDF (no %PDF- header); check the file extension",
        )


def _open_pdf(data: bytes) -> PDFDocument:
    _check_pdf_header(data)
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


def _read_pdf(data: bytes, limits: ReadLimits) -> Extracted:
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
        sizes: list[PageSize] = []  # for rendering the pages that need OCR
        with TextConverter(manager, out, laparams=LAParams()) as device:
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(doc):
                interpreter.process_page(page)
                x0, y0, x1, y1 = page.mediabox
                sizes.append((x1 - x0, y1 - y0))
    except IngestError:
        raise
    except Exception as exc:  # same reason as in _open_pdf
        raise IngestError(
            "corrupt_pdf",
            "PDF 文件已损坏，无法读取；请重新导出 PDF 后上传",
            "the PDF is damaged and cannot be read; export it again and retry",
        ) from exc
    # pdfminer ends every page with a form feed; a page without a text layer (a scan) is read by OCR
    text, recognised = fill_scanned_pages(data, out.getvalue().split("\f"), sizes, limits)
    return Extracted(text, None, fmt="pdf-ocr" if recognised else None)


def _read_legacy(data: bytes, limits: ReadLimits, fmt: str) -> Extracted:
    """.doc/.wps/.odt/.rtf: LibreOffice turns it into .docx for the .docx reader, unless the content is really
    something else (a .docx, an HTML page, text) that its own reader takes (convert.py)."""
    kind, readable = to_readable(data, fmt, limits)
    return _READERS[kind](readable, limits)


_READERS: dict[str, Callable[[bytes, ReadLimits], Extracted]] = {
    "txt": _read_txt,
    "md": _read_md,
    "html": _read_html,
    "docx": read_docx,
    "pdf": _read_pdf,
} | {fmt: partial(_read_legacy, fmt=fmt) for fmt in LEGACY_FORMATS}
