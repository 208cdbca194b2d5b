"""A draft as a Word document following GB/T 9704-2012 conventions for 讲话稿.

A4; margins 37/35/28/26 mm; title 方正小标宋简体 二号 (22 pt) centred; body 仿宋_GB2312 三号 (16 pt);
level-1 headings 黑体, level-2 楷体_GB2312; exactly 28 pt line spacing. Each run names its East-Asian font
(``w:eastAsia``) — Word ignores the Latin font name for Chinese text otherwise — and a common fallback
(黑体/楷体/仿宋 exist on every Chinese Windows) is recorded as the font's alternate name, so a machine without
the GB2312 fonts substitutes a close face instead of a default sans.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from app.compose.model import Draft
from app.compose.render import render_text


@dataclass(frozen=True)
class ParagraphStyle:
    font: str
    fallback: str
    size: float
    bold: bool = False
    centred: bool = False
    indent: bool = True
    grey: bool = False


STYLES = {
    "title": ParagraphStyle("方正小标宋简体", "宋体", 22, centred=True, indent=False),
    "byline": ParagraphStyle("楷体_GB2312", "楷体", 16, centred=True, indent=False),
    "salutation": ParagraphStyle("仿宋_GB2312", "仿宋", 16, indent=False),
    "h1": ParagraphStyle("黑体", "SimHei", 16),
    "h2": ParagraphStyle("楷体_GB2312", "楷体", 16),
    "h3": ParagraphStyle("仿宋_GB2312", "仿宋", 16, bold=True),
    "body": ParagraphStyle("仿宋_GB2312", "仿宋", 16),
    "suggestion": ParagraphStyle("仿宋_GB2312", "仿宋", 16),
    "passage": ParagraphStyle("仿宋_GB2312", "仿宋", 14, grey=True),
    "placeholder": ParagraphStyle("仿宋_GB2312", "仿宋", 16, bold=True),
    "note": ParagraphStyle("仿宋_GB2312", "仿宋", 12, indent=False, grey=True),
}
LINE_SPACING = Pt(28)


def _set_fonts(run, style: ParagraphStyle) -> None:  # type: ignore[no-untyped-def]
    run.font.name = "Times New Roman"  # Latin letters and digits, as 公文 use
    run.font.size = Pt(style.size)
    run.font.bold = style.bold
    if style.grey:
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), style.font)
    fonts.set(qn("w:hint"), "eastAsia")


def _page_setup(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")


def _add_font_fallbacks(document) -> None:  # type: ignore[no-untyped-def]
    """Declare each GB font in the font table with its common alternate (仿宋_GB2312 → 仿宋), GB2312 charset.

    python-docx has no font-table API; the part is plain XML, so it is edited directly.
    """
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for style in STYLES.values():
        if style.font in known:
            continue
        known.add(style.font)
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): style.font})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): style.fallback})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if "黑" in style.font else "roman"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_docx(draft: Draft, user_templates: Path | None = None) -> bytes:
    """Render the docx line protocol through the template, then lay each line out in its GB/T 9704 style."""
    document = new_document()
    _page_setup(document)
    document.core_properties.title = draft.title
    document.core_properties.author = "Bigan 笔杆"
    _add_font_fallbacks(document)
    for line in render_text(draft, "docx", user_templates).splitlines():
        if not line.strip():
            continue
        style_name, _, text = line.partition("\t")
        style = STYLES.get(style_name.strip(), STYLES["body"])
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
        fmt.space_before = fmt.space_after = Pt(0)
        if style.centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style.indent:
            fmt.first_line_indent = Pt(style.size * 2)  # two characters, as 公文 paragraphs start
        _set_fonts(paragraph.add_run(text), style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
