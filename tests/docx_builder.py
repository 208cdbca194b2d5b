"""Build .docx fixtures the way Word stores them: paragraphs with styles and ``w:numPr``, raw numbering.xml
definitions and extra paragraph styles — what python-docx alone cannot write.

``build_docx([P("一、统一思想"), P("统一思想", num=("1", 0))], numbering=numbering_xml(abstract("0", [Lvl(…)]),
num("1", "0")))`` → bytes of a document whose second paragraph Word numbers automatically.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

NS = nsdecls("w")


@dataclass(frozen=True)
class Lvl:
    """One ``w:lvl`` of an abstract number."""

    fmt: str
    text: str
    start: int | None = 1
    restart: int | None = None
    legal: bool = False
    suff: str | None = None
    pstyle: str | None = None

    def xml(self, ilvl: int) -> str:
        parts = [f'<w:start w:val="{self.start}"/>' if self.start is not None else ""]
        parts.append(f'<w:numFmt w:val="{self.fmt}"/>')
        parts.append(f'<w:lvlRestart w:val="{self.restart}"/>' if self.restart is not None else "")
        parts.append(f'<w:pStyle w:val="{self.pstyle}"/>' if self.pstyle else "")
        parts.append("<w:isLgl/>" if self.legal else "")
        parts.append(f'<w:suff w:val="{self.suff}"/>' if self.suff else "")
        parts.append(f"<w:lvlText w:val={quoteattr(self.text)}/>")
        return f'<w:lvl w:ilvl="{ilvl}">{"".join(parts)}</w:lvl>'


def abstract(abstract_id: str, levels: Iterable[Lvl], style_link: str | None = None) -> str:
    link = f'<w:numStyleLink w:val="{style_link}"/>' if style_link else ""
    body = "".join(level.xml(i) for i, level in enumerate(levels))
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{link}{body}</w:abstractNum>'


def num(num_id: str, abstract_id: str, starts: Mapping[int, int] | None = None) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'
        for ilvl, value in (starts or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def numbering_xml(*parts: str) -> str:
    """Abstract numbers first, then instances, as the schema orders them."""
    ordered = sorted(parts, key=lambda part: not part.startswith("<w:abstractNum"))
    return f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:numbering {NS}>{''.join(ordered)}</w:numbering>"


def para_style(
    style_id: str,
    name: str,
    based_on: str | None = None,
    outline: int | None = None,
    num: tuple[str, int | None] | None = None,
    kind: str = "paragraph",
) -> str:
    ppr = ""
    if num is not None:
        ilvl = f'<w:ilvl w:val="{num[1]}"/>' if num[1] is not None else ""
        ppr += f'<w:numPr>{ilvl}<w:numId w:val="{num[0]}"/></w:numPr>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style {NS} w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}</w:style>"
    )


@dataclass(frozen=True)
class P:
    """A body paragraph: text (or raw run XML), style id, own numbering ``(numId, ilvl)``, own outline level."""

    text: str = ""
    style: str | None = None
    num: tuple[str, int | None] | None = None
    outline: int | None = None
    runs: str | None = None

    def xml(self) -> str:
        ppr = f'<w:pStyle w:val="{self.style}"/>' if self.style else ""
        if self.num is not None:
            ilvl = f'<w:ilvl w:val="{self.num[1]}"/>' if self.num[1] is not None else ""
            ppr += f'<w:numPr>{ilvl}<w:numId w:val="{self.num[0]}"/></w:numPr>'
        if self.outline is not None:
            ppr += f'<w:outlineLvl w:val="{self.outline}"/>'
        runs = self.runs if self.runs is not None else f'<w:r><w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'
        return f"<w:p {NS}>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


@dataclass(frozen=True)
class Raw:
    """A body element written out in full (a content control, a table), namespaces declared by the caller."""

    body: str

    def xml(self) -> str:
        return self.body


_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def text_box_runs(text: str) -> str:
    """A run holding a text box as Word 2010+ writes it: a DrawingML box and its VML copy for older readers."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r><mc:AlternateContent {_MC} {_WPS} {_V}><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
        f"</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def page_number_runs(before: str, after: str) -> str:
    """``第 {PAGE} 页`` as a complex field whose last computed result is 3."""
    return (
        f'<w:r><w:t>{before}</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
        'xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>{after}</w:t></w:r>'
    )


def toc_control(entry: str) -> str:
    """A table of contents as Word generates it: a content control from the Table of Contents gallery."""
    return (
        f'<w:sdt {NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>'
        f"</w:sdtPr><w:sdtContent><w:p><w:r><w:t>{escape(entry)}</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )


_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _footnotes_xml(notes: Mapping[int, str]) -> bytes:
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:footnote>'
        for i, text in notes.items()
    )
    return f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:footnotes {NS}>{body}</w:footnotes>".encode()


def build_docx(
    paragraphs: Iterable[P | Raw],
    numbering: str | None = None,
    styles: Iterable[str] = (),
    footnotes: Mapping[int, str] | None = None,
) -> bytes:
    """A .docx from python-docx's default template with these paragraphs, styles added (replacing any with the
    same id), word/numbering.xml replaced by ``numbering`` and a footnotes part holding ``footnotes``."""
    doc = Document()
    styles_el = doc.styles.element
    for xml in styles:
        style = parse_xml(xml)
        for old in styles_el.findall(qn("w:style")):
            if old.get(qn("w:styleId")) == style.get(qn("w:styleId")):
                styles_el.remove(old)
        styles_el.append(style)
    sect = doc.element.body.find(qn("w:sectPr"))
    for paragraph in paragraphs:
        sect.addprevious(parse_xml(paragraph.xml()))
    if footnotes is not None:
        doc.part.rels.get_or_add_ext_rel(_FOOTNOTES_REL, "footnotes.xml")  # internal once the part is zipped in
    buf = io.BytesIO()
    doc.save(buf)
    if numbering is None and footnotes is None:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/numbering.xml" and numbering is not None:
                data = numbering.encode("utf-8")
            elif info.filename == "word/_rels/document.xml.rels" and footnotes is not None:
                data = data.replace(b' TargetMode="External"', b"")
            elif info.filename == "[Content_Types].xml" and footnotes is not None:
                override = f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            dst.writestr(info.filename, data)
        if footnotes is not None:
            dst.writestr("word/footnotes.xml", _footnotes_xml(footnotes))
    return out.getvalue()
