"""A draft as a Word document following GB/T 9704-2012 conventions for 讲话稿.

A4; margins 37/35/28/26 mm; title 方正小标宋简体 二号 (22 pt) centred, broken into lines where its meaning
breaks (``split_title``); body 仿宋_GB2312 三号 (16 pt); level-1 headings 黑体, level-2 楷体_GB2312; exactly
28 pt line spacing; page numbers 4号 半角宋体 "— 1 —" on the outer side (odd pages right, even pages left, one
character in from the edge of the text block). Each run names its East-Asian font (``w:eastAsia``) — Word
ignores the Latin font name for Chinese text otherwise — and a common fallback (黑体/楷体/仿宋 exist on every
Chinese Windows) is recorded as the font's alternate name, so a machine without the GB2312 fonts substitutes a
close face instead of a default sans.

``build_docx(clean=True)`` is the copy a writer hands on: title, byline, headings, drafted paragraphs and
【待补】 only (the templates decide what that is; see app/compose/output/render.py).
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from app.compose.model import Draft
from app.compose.output.render import render_text
from app.text.controls import without_controls


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
    # The working copy's asides under a drafted paragraph: smaller and grey, so the prose stands out.
    "source": ParagraphStyle("仿宋_GB2312", "仿宋", 12, grey=True),
    "label": ParagraphStyle("黑体", "SimHei", 12, grey=True),
    "alternative": ParagraphStyle("仿宋_GB2312", "仿宋", 14, grey=True),
}
LINE_SPACING = Pt(28)
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm: A4 less the left and right margins
# 二号 (22 pt ≈ 7.76 mm) characters on the 156 mm text width: 20 a line.
TITLE_CHARS_PER_LINE = math.floor(TEXT_WIDTH_MM / (22 * 25.4 / 72))
_PLACEHOLDER = re.compile(r"(【待补[^】]*】)")

# ---- the title, broken where its meaning breaks -------------------------------------------------------------

# Costs of breaking a title at a position; each character of imbalance between lines costs ``_IMBALANCE``.
# Meaning first: a joint beats a balanced cut through a phrase (未成年人|思想道德建设).
_FREE = 0  # after 暨 or a punctuation mark, before a dash: the title's own joints
_GOOD = 2  # before 上的讲话 (the speech's own words), before 工作…会 / 现场…会 (the meeting's kind)
_WORD = 8  # any other word boundary
_IMBALANCE = 0.5
_MEETING_KIND = re.compile(r"(?:工作|现场)[^，、；：]{0,8}会")
_JOINTS_AFTER = ("暨", "，", "、", "：", "；", " ", "　")
_SPEECH_TAIL = re.compile(r"上的(?:讲话|講話|发言|發言|致辞|致辭|主持词|主持詞|总结讲话|讲话提纲|工作报告|报告)$")
# A line never starts with these (they lean on the word before) nor ends with an opening bracket.
_NO_LINE_START = set("的之了会年月日号上，。、；：！？）》」』”’")
_NO_LINE_END = set("的（《「『“‘")
_MIN_LINE = 3  # so 讲话 is never alone on the last line


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    from app.text.tokenize import Tokenizer  # loads the lexicons: only when a title is too long for one line

    return Tokenizer()


def _break_costs(title: str) -> dict[int, int]:
    """Position → cost of a line break there; positions inside a word are absent."""
    costs = {position: _WORD for position in _tokenizer().boundaries(title)[1:-1]}
    for position in range(1, len(title)):
        if title[position - 1] in _JOINTS_AFTER or title.startswith("——", position):
            costs[position] = _FREE
        elif _SPEECH_TAIL.match(title, position) or _MEETING_KIND.match(title, position):
            costs[position] = min(costs.get(position, _GOOD), _GOOD)
    return costs


def _line_ok(line: str) -> bool:
    # A subtitle's dash may open a line (——凝心聚力…); a single dash may not.
    starts_ok = line[0] not in _NO_LINE_START and not (line[0] == "—" and not line.startswith("——"))
    return len(line) >= _MIN_LINE and starts_ok and line[-1] not in _NO_LINE_END


def split_title(title: str, width: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """The title's lines: as few as fit ``width`` characters each, broken where the meaning breaks.

    Among the splits into the fewest lines, the cheapest wins: a break after 暨 or a punctuation mark costs
    nothing, one before 上的讲话 or before 工作…会 little, any other word boundary more (words are never cut),
    and every character of difference between the longest and the shortest line costs half a break. No line
    starts with 的/会/上… or ends with 的, and none is shorter than three characters, so 讲话 or 的讲话 never
    stands alone.

    >>> split_title("在全市精神文明建设工作推进会上的讲话")
    ['在全市精神文明建设工作推进会上的讲话']
    >>> split_title("在全市精神文明建设暨创建全国文明典范城市工作推进会上的讲话")
    ['在全市精神文明建设暨', '创建全国文明典范城市工作推进会上的讲话']
    >>> split_title("在全市创建全国文明典范城市工作推进会上的讲话")
    ['在全市创建全国文明典范城市', '工作推进会上的讲话']
    """
    title = title.strip()
    if len(title) <= width:
        return [title]
    costs = _break_costs(title)
    positions = sorted(costs)
    for lines in range(math.ceil(len(title) / width), len(title) // _MIN_LINE + 1):
        best: tuple[float, list[str]] | None = None
        for breaks in itertools.combinations(positions, lines - 1):
            edges = (0, *breaks, len(title))
            parts = [title[a:b] for a, b in itertools.pairwise(edges)]
            if any(len(part) > width or not _line_ok(part) for part in parts):
                continue
            lengths = [len(part) for part in parts]
            cost = sum(costs[b] for b in breaks) + _IMBALANCE * (max(lengths) - min(lengths))
            if best is None or cost < best[0]:
                best = (cost, parts)
        if best is not None:
            return best[1]
    # Only a title made of one unbroken word longer than a line gets here: cut it evenly.
    lines = math.ceil(len(title) / width)
    size = math.ceil(len(title) / lines)
    return [title[i : i + size] for i in range(0, len(title), size)]


# ---- page layout ---------------------------------------------------------------------------------------------


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


def _page_number_run(paragraph, text: str = "") -> object:  # type: ignore[no-untyped-def]
    """A 4号 半角宋体 run (digits and the 一字线 alike) in the footer."""
    run = paragraph.add_run(text)
    run.font.name = PAGE_NUMBER_FONT
    run.font.size = PAGE_NUMBER_SIZE
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
    fonts.set(qn("w:hint"), "eastAsia")
    return run


def _page_number(paragraph) -> None:  # type: ignore[no-untyped-def]
    """``— PAGE —``: the number is a field, so Word and WPS count the pages themselves."""
    _page_number_run(paragraph, "— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        run = _page_number_run(paragraph, "1" if kind is None and instruction is None else "")
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._element.append(element)
        elif instruction is not None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
            run._element.append(element)
    _page_number_run(paragraph, " —")


def _page_numbers(document) -> None:  # type: ignore[no-untyped-def]
    """GB/T 9704-2012 7.5: 单页码居右空一字，双页码居左空一字; the dash line 7 mm below the text block.

    Odd and even pages need different footers, which Word only honours with ``w:evenAndOddHeaders`` in
    settings.xml. The footer's bottom sits 25 mm above the page edge: a 14 pt line up from there puts its
    middle (the dashes) about 7 mm under the 35 mm bottom margin.
    """
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.footer_distance = Mm(25)
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE  # 空一字
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        _page_number(paragraph)


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


def _add_text(paragraph, style_name: str, style: ParagraphStyle, text: str) -> None:  # type: ignore[no-untyped-def]
    if style_name == "title":
        lines = split_title(text)
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            _set_fonts(run, style)
            if number < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)  # one paragraph: the title stays one heading for Word's outline
        return
    # 【待补：…】 in bold wherever it sits, so a writer handing the document on finds every gap.
    for piece in _PLACEHOLDER.split(text):
        if piece:
            run = paragraph.add_run(piece)
            _set_fonts(run, style)
            if _PLACEHOLDER.fullmatch(piece):
                run.font.bold = True


def build_docx(draft: Draft, user_templates: Path | None = None, clean: bool = False) -> bytes:
    """Render the docx line protocol through the template, then lay each line out in its GB/T 9704 style.

    ``clean``: the copy a writer hands on (headings, paragraphs, 【待补】), not the working copy.
    """
    document = new_document()
    _page_setup(document)
    _page_numbers(document)
    document.core_properties.title = without_controls(draft.title)  # the body lines are cleaned by render_text
    document.core_properties.author = "Bigan 笔杆"
    _add_font_fallbacks(document)
    for line in render_text(draft, "docx", user_templates, clean=clean).splitlines():
        if not line.strip():
            continue
        style_name, _, text = line.partition("\t")
        style_name = style_name.strip()
        style = STYLES.get(style_name, STYLES["body"])
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
        fmt.space_before = fmt.space_after = Pt(0)
        if style.centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style.indent:
            fmt.first_line_indent = Pt(style.size * 2)  # two characters, as 公文 paragraphs start
        _add_text(paragraph, style_name, style, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
