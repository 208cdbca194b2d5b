"""Read a .docx as Word shows it: automatic numbers drawn into the text, headings known by their styles.

What becomes text, in reading order:

* body paragraphs, with Word's automatic numbering rendered as Word draws it (``docx_numbering``): a
  heading whose ``一、`` or ``（一）`` comes from a multilevel list reads ``一、统一思想`` like a typed one;
* tables, one line per row with cells separated by a tab (a merged cell once);
* content controls (``w:sdt``) and tracked insertions, as Word displays them; tracked deletions and hidden
  (``w:vanish``) text are not shown by Word and are dropped;
* text boxes (``w:txbxContent``), read in order as lines of their own just before the paragraph they are
  anchored to: a 红头 issuer or a title set in a text box is real text, and the anchor is where Word keeps it.
  Word stores most boxes twice (a DrawingML box and a VML fallback); only the first copy is read.

What is dropped on purpose:

* page headers and footers (separate parts, never opened) and page-number fields (``PAGE``, ``NUMPAGES``) in
  the body, with the short line around one (``第 X 页``): running heads and 页码 are page furniture;
* footnotes and endnotes, and their reference marks: in a speech or report they cite sources; appended, they
  would pile up in the closing section, and a reference digit left in place would corrupt the sentence;
  comments (a reviewer's notes, another part) likewise;
* a table of contents Word generated (a ``Table of Contents`` content control, ``toc N`` styled paragraphs):
  it repeats the headings with page numbers.

Beside the text the reader reports heading evidence (``Extracted.headings``): every body paragraph that Word
treats as a heading (``docx_styles``), with its level — 0 for the title style — so the outline parser can give
a heading without a typed or numbered marker its level.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.parser import parse_xml
from lxml import etree

from app.ingest.errors import IngestError
from app.ingest.read.common import Extracted, HeadingHint, ReadLimits, human_size
from app.ingest.read.decode import sniff_magic
from app.ingest.read.docx_numbering import MC, ListCounter, child_val, is_on, parse_numbering, to_int, w
from app.ingest.read.docx_styles import Styles, outline_level

_BOMB_RATIO = 200
_BOMB_ENTRY_BYTES = 10 * 1024 * 1024
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
_SKIPPED = {
    w("pPr"),
    w("rPr"),
    w("del"),  # tracked deletion
    w("moveFrom"),  # the old place of moved text
    w("delText"),
    w("fldData"),
    w("sdtPr"),  # a content control's settings: placeholder and list texts are not what it shows
    w("footnoteReference"),
    w("endnoteReference"),
    f"{{{MC}}}Fallback",  # the VML copy of a DrawingML text box
}
_BREAK_TYPES = (None, "textWrapping")  # a page or column break is not a line break in the text
_FOOTER_CHARS = 8  # what is left of a page-number line once the number is gone: 第页, 共页, — —


def docx_error(zh: str, en: str) -> IngestError:
    return IngestError(
        "corrupt_docx",
        f"{zh}；请用 Word 或 WPS 打开后重新另存为 .docx",
        f"{en}; open it in Word or WPS and save it again as .docx",
    )


def check_zip_signature(data: bytes) -> None:
    """A .docx is a zip: anything else (a PDF, a text file renamed) is refused before it is opened."""
    kind = sniff_magic(data)
    if kind and not data.startswith(b"PK"):
        raise docx_error(f"文件内容实际是 {kind} 格式，不是 .docx", f"the file content is {kind}, not .docx")
    if not data.startswith(b"PK"):
        raise docx_error("文件不是有效的 .docx（不是 ZIP 压缩包）", "the file is not a valid .docx (not a zip)")


def check_zip(data: bytes, limits: ReadLimits) -> None:
    """Reject zip bombs from the central directory alone, before anything is decompressed.

    zipfile cuts an entry off at its declared size (and then fails the CRC), so the declared sizes
    are a real bound on what python-docx can inflate.
    """
    check_zip_signature(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise docx_error("文件已损坏，无法解压", "the file is damaged and cannot be unzipped") from exc
    total = sum(info.file_size for info in infos)
    absurd = any(
        info.file_size > _BOMB_ENTRY_BYTES and info.file_size > _BOMB_RATIO * max(1, info.compress_size)
        for info in infos
    )
    if len(infos) > limits.max_zip_entries or total > limits.max_unzipped_bytes or absurd:
        raise IngestError(
            "zip_bomb",
            f"文件解压后过大或包含过多条目（{len(infos)} 个条目，共 {human_size(total)}），疑似恶意文件；"
            "请上传正常保存的 Word 文档",
            f"the file unpacks to too much data or too many entries ({len(infos)} entries, "
            f"{human_size(total)}); upload a normally saved Word document",
        )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise docx_error(
            "文件缺少 word/document.xml，不是 Word 文档",
            "word/document.xml is missing, so this is not a Word document",
        )


def read_docx(data: bytes, limits: ReadLimits) -> Extracted:
    """``read_docx(讲话.docx bytes, limits)`` → ``Extracted("在…的讲话\\n同志们：…\\n一、统一思想…", None,
    (("在…的讲话", 0), ("一、统一思想", 1), …))``."""
    check_zip(data, limits)
    try:
        doc = Document(io.BytesIO(data))
        styles = Styles(_part_xml(doc.part, RT.STYLES))
        numbering = parse_numbering(_part_xml(doc.part, RT.NUMBERING), styles.num_style_links)
        reader = _Reader(styles, ListCounter(numbering))
        reader.blocks(doc.element.body, body=True)
    except Exception as exc:  # python-docx/lxml raise many unrelated types on damaged files
        raise docx_error("文件内容已损坏，无法读取", "the document content is damaged") from exc
    return Extracted("\n".join(reader.lines), None, tuple(reader.headings))


def _part_xml(part: Part, reltype: str) -> etree._Element | None:
    """The root element of a related part (styles, numbering), or ``None`` when the document has none."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    # a part under an unexpected content type is only bytes: parse it as python-docx would, entities unresolved
    return element if element is not None else parse_xml(related.blob)


def _is_toc(sdt: etree._Element) -> bool:
    """A content control Word fills with a generated table of contents."""
    gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
    return gallery is not None and "Table of Contents" in (gallery.get(w("val")) or "")


def _field_name(instruction: str) -> str:
    """``" PAGE  \\* MERGEFORMAT "`` → ``"PAGE"``."""
    words = instruction.split()
    return words[0].upper() if words else ""


class _Runs:
    """The visible text of one paragraph's runs, and the text boxes anchored in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.boxes: list[etree._Element] = []
        self.page_number = False  # a page-number field was met: the paragraph may be a typed footer
        self._fields: list[list[str]] = []  # open complex fields: [instruction, "result" once past separate]

    def _hidden_field(self) -> bool:
        """Inside the result of a page-number field (``PAGE`` …), which Word recomputes per page."""
        return any(len(f) > 1 and _field_name(f[0]) in _PAGE_FIELDS for f in self._fields)

    def _emit(self, text: str) -> None:
        if not self._hidden_field():
            self.parts.append(text)

    def _field_char(self, el: etree._Element) -> None:
        kind = el.get(w("fldCharType"))
        if kind == "begin":
            self._fields.append([""])
        elif kind == "separate" and self._fields:
            self._fields[-1].append("result")
            self.page_number = self.page_number or _field_name(self._fields[-1][0]) in _PAGE_FIELDS
        elif kind == "end" and self._fields:
            self._fields.pop()

    def walk(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue  # comments and processing instructions have no str tag
            if tag == w("t"):
                self._emit(el.text or "")
            elif tag in (w("tab"), w("ptab")):
                self._emit("\t")
            elif tag in (w("br"), w("cr")):
                self._emit("\n" if el.get(w("type")) in _BREAK_TYPES else "")
            elif tag == w("noBreakHyphen"):
                self._emit("-")
            elif tag == w("fldChar"):
                self._field_char(el)
            elif tag == w("instrText"):
                if self._fields and len(self._fields[-1]) == 1:
                    self._fields[-1][0] += el.text or ""
            elif tag == w("txbxContent"):
                self.boxes.append(el)
            elif tag == w("r") and is_on(el.find(f"{w('rPr')}/{w('vanish')}")):
                continue  # hidden text
            elif tag == w("fldSimple") and _field_name(el.get(w("instr")) or "") in _PAGE_FIELDS:
                self.page_number = True
            else:
                self.walk(el)


class _Reader:
    """Walks the body in document order: numbering counts every numbered paragraph where Word would."""

    def __init__(self, styles: Styles, counter: ListCounter) -> None:
        self.styles = styles
        self.counter = counter
        self.lines: list[str] = []
        self.headings: list[HeadingHint] = []

    def blocks(self, parent: etree._Element, body: bool = False) -> None:
        """Paragraphs and tables of a body, text box or content control, as lines."""
        for el in parent:
            if el.tag == w("p"):
                text, level = self.paragraph(el)
                if text is None:
                    continue
                self.lines.append(text)
                if body and level is not None and text.strip():
                    self.headings.append((text.strip(), level))
            elif el.tag == w("tbl"):
                self.lines.extend(self.table(el))
            elif el.tag == w("sdt") and not _is_toc(el):
                content = el.find(w("sdtContent"))
                if content is not None:
                    self.blocks(content, body)
            elif el.tag == w("customXml"):
                self.blocks(el, body)

    def paragraph(self, p: etree._Element) -> tuple[str | None, int | None]:
        """A paragraph's text as Word shows it and its heading level (``None``: body text); no text for a
        table-of-contents entry. Its text boxes become lines first."""
        ppr = p.find(w("pPr"))
        style_id = child_val(ppr, "pStyle") or self.styles.default
        if self.styles.is_toc(style_id):
            return None, None
        runs = _Runs()
        runs.walk(p)
        for box in runs.boxes:
            self.blocks(box)
        own_outline = to_int(child_val(ppr, "outlineLvl"))
        level = outline_level(own_outline) if own_outline is not None else self.styles.heading_level(style_id)
        text = "".join(runs.parts)
        if runs.page_number and len(text.strip()) <= _FOOTER_CHARS:
            return None, None  # 第 X 页 / — X — typed into the body: page furniture without its number
        if level:  # a line break inside a heading is layout: Word shows one heading
            text = text.replace("\n", "")
        return self.label(ppr, style_id) + text, level

    def label(self, ppr: etree._Element | None, style_id: str | None) -> str:
        """The automatic number of a paragraph: its own ``w:numPr``, or the one its style carries."""
        num_pr = ppr.find(w("numPr")) if ppr is not None else None
        style_num, style_ilvl = self.styles.numbering(style_id)
        num_id = child_val(num_pr, "numId") or style_num
        if num_id is None or num_id == "0":  # numId 0 switches numbering off
            return ""
        ilvl = to_int(child_val(num_pr, "ilvl"))
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None and style_id is not None:
            ilvl = self.counter.level_of_style(num_id, style_id)
        return self.counter.label(num_id, ilvl or 0)

    def table(self, tbl: etree._Element) -> list[str]:
        """One line per row, cells separated by a tab; merged continuation cells are empty and skipped."""
        rows = []
        for tr in tbl.findall(w("tr")):
            cells = (" ".join(self.cell_texts(tc)).strip() for tc in tr.findall(w("tc")))
            rows.append("\t".join(cell for cell in cells if cell))
        return rows

    def cell_texts(self, parent: etree._Element) -> list[str]:
        """The paragraphs of a cell (or a content control in it), nested tables flattened, in order."""
        out: list[str] = []
        for el in parent:
            if el.tag == w("p"):
                text, _ = self.paragraph(el)
                out.extend([text] if text is not None else [])
            elif el.tag == w("tbl"):
                out.extend(" ".join(row.split("\t")) for row in self.table(el))
            elif el.tag == w("sdt") and (content := el.find(w("sdtContent"))) is not None:
                out.extend(self.cell_texts(content))
        return out
