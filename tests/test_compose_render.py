"""Rendering a draft: golden files per format, escaping of untrusted text, docx fonts, page numbers and title
lines, user templates.

Golden files live in tests/data/golden; after an intended change, regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_compose_render.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from lxml import etree

from app.compose.bank import ComposeBank
from app.compose.model import Paragraph, SourceRef, Suggestion
from app.compose.output.docx import TITLE_CHARS_PER_LINE, build_docx, split_title
from app.compose.output.render import md_escape, render_text
from app.compose.output.script import to_script
from app.compose.plan import plan_draft
from app.compose.request import DraftRequest
from app.text.tokenize import Tokenizer
from tests.helpers.drafts import LONG_TITLE, OPENING, SIGNIFICANCE, paragraph_draft

GOLDEN = Path(__file__).parent / "data" / "golden"
SUFFIX = {"markdown": "md", "text": "txt", "html": "html", "docx": "docx.txt"}


def passages(query: str, role: str | None, k: int) -> list[Suggestion]:
    if "志愿服务" not in query:
        return []
    source = SourceRef(document_id=3, title="在全市精神文明建设工作会上的讲话", date="2024-03-01")
    return [Suggestion(kind="passage", text="要广泛开展志愿服务活动，健全志愿服务组织体系。", source=source)]


def sample(doc_type: str) -> DraftRequest:
    return DraftRequest(
        doc_type=doc_type,  # type: ignore[arg-type]
        meeting="全市精神文明建设工作推进会",
        place="大连市",
        speaker="市委副书记 张三",
        date="2026-12-02",  # type: ignore[arg-type]
        topics=["未成年人思想道德建设", "志愿服务", "城中村治理"],
        parts=3,
        detail="outline+passages",
    )


@pytest.mark.parametrize("doc_type", ["speech", "report"])
@pytest.mark.parametrize("fmt", ["markdown", "text", "html", "docx"])
def test_golden(doc_type: str, fmt: str) -> None:
    draft = plan_draft(sample(doc_type), ComposeBank(), passages)
    output = render_text(draft, fmt)
    path = GOLDEN / f"{doc_type}.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8"), f"{path} differs; UPDATE_GOLDEN=1 after reviewing"


def test_golden_json() -> None:
    draft = plan_draft(sample("speech"), ComposeBank(), passages)
    path = GOLDEN / "speech.json"
    output = draft.model_dump_json(indent=1) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


def test_markdown_has_the_outline_in_order() -> None:
    draft = plan_draft(sample("speech"), ComposeBank(), passages)
    text = render_text(draft, "markdown")
    # Title, salutation, then every numbered heading at its level, in the draft's own order.
    markers = ["# 在全市", "同志们："] + [
        f"{'#' * (s.level + 1)} {s.number}{md_escape(s.heading)}" for s in draft.walk() if s.level > 0
    ]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions) and len(markers) >= 2 + 3 + 3  # three parts, sub-headings under them
    assert "（来源：在全市精神文明建设工作会上的讲话，2024-03-01）" in text


def untrusted_draft():  # type: ignore[no-untyped-def]
    evil = "<script>alert(1)</script>{{ 7*7 }}{% raw %}**粗**"

    def lookup(query: str, role: str | None, k: int) -> list[Suggestion]:
        return [Suggestion(kind="passage", text=evil, source=SourceRef(document_id=1, title=evil, date=None))]

    return plan_draft(sample("speech"), ComposeBank(), lookup)


def test_corpus_text_is_escaped_in_html_and_markdown_and_never_evaluated() -> None:
    draft = untrusted_draft()
    html = render_text(draft, "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    markdown = render_text(draft, "markdown")
    assert "<script>" not in markdown and r"\<script\>" in markdown and r"\*\*粗\*\*" in markdown
    text = render_text(draft, "text")
    assert "<script>alert(1)</script>{{ 7*7 }}{% raw %}" in text  # plain text shows it as written
    assert md_escape("a|b") == r"a\|b"


def test_traditional_output_converts_labels_and_content() -> None:
    simplified = plan_draft(sample("speech"), ComposeBank(), passages)
    draft = to_script(simplified, "traditional")
    assert draft.title == "在全市精神文明建設工作推進會上的講話" and draft.script == "traditional"
    # Identifiers stay as they are.
    assert [s.role for s in draft.walk()] == [s.role for s in simplified.walk()]
    assert draft.sections[1].role.isascii() and draft.sections[1].role in simplified.skeleton
    text = render_text(draft, "markdown")
    assert "來源" in text and "预计" not in text and "講話" in text and "群眾" in text


def _runs_by_text(document) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {p.text: p.runs[0] for p in document.paragraphs if p.runs}


def test_docx_round_trip_fonts_sizes_spacing() -> None:
    draft = plan_draft(sample("speech"), ComposeBank(), passages)
    data = build_docx(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/document.xml" in archive.namelist()
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
    assert "仿宋_GB2312" in fonts and 'w:altName w:val="仿宋"' in fonts
    document = read_docx(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    runs = _runs_by_text(document)

    def east_asia(text: str) -> tuple[str | None, float]:
        run = runs[text]
        return run._element.rPr.rFonts.get(qn("w:eastAsia")), run.font.size.pt  # type: ignore[attr-defined]

    assert east_asia(draft.title) == ("方正小标宋简体", 22)
    first = next(s for s in draft.sections if s.level == 1)
    assert east_asia(first.number + first.heading) == ("黑体", 16)
    second = next(s for s in draft.walk() if s.level == 2)
    assert east_asia(second.number + second.heading) == ("楷体_GB2312", 16)
    opening = draft.sections[0].suggestions[0].text
    assert east_asia(opening) == ("仿宋_GB2312", 16)
    for paragraph in document.paragraphs:
        assert paragraph.paragraph_format.line_spacing.pt == 28
        for run in paragraph.runs:
            assert run._element.rPr.rFonts.get(qn("w:eastAsia"))  # every run names its East-Asian font


def test_user_templates_override_the_built_ins(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "speech.md.j2").write_text("自定义：{{ draft.title }}｜{{ 3 | level2 }}", encoding="utf-8")
    draft = plan_draft(sample("speech"), ComposeBank())
    assert render_text(draft, "markdown", tmp_path) == "自定义：在全市精神文明建设工作推进会上的讲话｜（三）\n"
    assert render_text(draft, "text", tmp_path).startswith("在全市")  # not overridden: built-in


def test_a_template_naming_a_missing_field_fails_loudly(tmp_path: Path) -> None:
    from jinja2 import UndefinedError

    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "speech.md.j2").write_text("{{ draft.no_such_field }}", encoding="utf-8")
    with pytest.raises(UndefinedError):
        render_text(plan_draft(sample("speech"), ComposeBank()), "markdown", tmp_path)


# ---- the .docx --------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith("rels")
                or name.endswith(".xml")}  # fmt: skip


def _footer(parts: dict[str, etree._Element], kind: str) -> etree._Element:
    """The footer part the section uses for ``kind`` (default: odd pages; even)."""
    reference = parts["word/document.xml"].find(f".//{W}sectPr/{W}footerReference[@{W}type='{kind}']")
    assert reference is not None, f"no {kind} footer"
    rel_id = reference.get(f"{R}id")
    target = next(r.get("Target") for r in parts["word/_rels/document.xml.rels"] if r.get("Id") == rel_id)
    return parts[f"word/{target}"]


@pytest.mark.parametrize(("kind", "alignment", "indent"), [("default", "right", "right"), ("even", "left", "left")])
def test_page_numbers_are_a_page_field_between_dashes_on_the_outer_side(kind: str, alignment: str, indent: str) -> None:
    parts = _parts(build_docx(paragraph_draft()))
    footer = _footer(parts, kind)
    paragraph = footer.find(f"{W}p")
    assert paragraph is not None
    assert paragraph.find(f"{W}pPr/{W}jc").get(f"{W}val") == alignment
    assert paragraph.find(f"{W}pPr/{W}ind").get(f"{W}{indent}") == "280"  # one 14 pt character: 空一字
    runs = paragraph.findall(f"{W}r")
    pieces = []
    for run in runs:
        field = run.find(f"{W}fldChar")
        instruction = run.find(f"{W}instrText")
        text = run.find(f"{W}t")
        if field is not None:
            pieces.append(f"<{field.get(f'{W}fldCharType')}>")
        elif instruction is not None:
            pieces.append(instruction.text.strip())
        elif text is not None:
            pieces.append(text.text)
        assert run.find(f"{W}rPr/{W}sz").get(f"{W}val") == "28"  # 4号 = 14 pt in half-points
        assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "宋体"
    assert pieces == ["— ", "<begin>", "PAGE", "<separate>", "1", "<end>", " —"]
    settings = parts["word/settings.xml"]
    assert settings.find(f"{W}evenAndOddHeaders") is not None


def test_the_title_breaks_where_its_meaning_breaks_in_the_docx() -> None:
    document = read_docx(io.BytesIO(build_docx(paragraph_draft(LONG_TITLE))))
    title = document.paragraphs[0]
    assert title.text == "在全市精神文明建设暨\n创建全国文明典范城市工作推进会上的讲话"  # one paragraph, a line break
    assert len(title._element.findall(f".//{W}br")) == 1
    assert all(run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体" for run in title.runs)


def test_the_clean_docx_holds_headings_paragraphs_and_gaps_only() -> None:
    document = read_docx(io.BytesIO(build_docx(paragraph_draft(), clean=True)))
    texts = [p.text for p in document.paragraphs]
    assert texts[4] == "".join(OPENING) and Paragraph(sentences=SIGNIFICANCE).text in texts
    assert not [t for t in texts if re.search("来源|可选表述|参考段落|分钟|提示|可选表述第", t)]
    gaps = [run for p in document.paragraphs for run in p.runs if run.text.startswith("【待补")]
    assert gaps and all(run.bold for run in gaps)  # every gap stands out in the document handed on
    working = [p.text for p in read_docx(io.BytesIO(build_docx(paragraph_draft()))).paragraphs]
    assert "可选表述：" in working and any(t.startswith("（来源：①") for t in working)


# ---- split_title ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("在全市精神文明建设工作推进会上的讲话", ["在全市精神文明建设工作推进会上的讲话"]),
        (LONG_TITLE, ["在全市精神文明建设暨", "创建全国文明典范城市工作推进会上的讲话"]),
        ("在全市创建全国文明典范城市工作推进会上的讲话", ["在全市创建全国文明典范城市", "工作推进会上的讲话"]),
        ("在2025年全市未成年人思想道德建设工作会议上的讲话", ["在2025年全市未成年人思想道德建设", "工作会议上的讲话"]),
        (
            "在全市精神文明建设工作推进会上的讲话——凝心聚力创建全国文明典范城市",
            ["在全市精神文明建设工作推进会上的讲话", "——凝心聚力创建全国文明典范城市"],
        ),
        (
            "在全市深入学习贯彻习近平新时代中国特色社会主义思想主题教育动员部署会议上的讲话",
            ["在全市深入学习贯彻", "习近平新时代中国特色社会主义思想", "主题教育动员部署会议上的讲话"],
        ),
    ],
)
def test_split_title(title: str, lines: list[str]) -> None:
    assert split_title(title) == lines


TITLES = [
    LONG_TITLE,
    "在全区新时代文明实践中心建设现场推进会上的讲话",
    "在全市新时代文明实践志愿服务工作经验交流座谈会上的讲话",
    "在2024年度全市精神文明建设表彰大会暨2025年全市精神文明建设工作动员部署会上的讲话",
    "在全市文明城市常态化长效化创建工作推进会议上的讲话",
    "大连市召开全市精神文明建设暨创建全国文明典范城市工作推进会",
]


@pytest.mark.parametrize("title", TITLES)
def test_split_title_never_cuts_a_word_or_leaves_the_speech_words_alone(title: str) -> None:
    lines = split_title(title)
    assert "".join(lines) == title and len(lines) == -(-len(title) // TITLE_CHARS_PER_LINE)
    assert all(len(line) <= TITLE_CHARS_PER_LINE for line in lines)
    assert lines[-1] not in ("讲话", "的讲话") and not any(line.startswith(("的", "会")) for line in lines)
    boundaries = set(Tokenizer().boundaries(title)) | {i + 1 for i, c in enumerate(title) if c == "暨"}
    boundaries |= {m.start() for m in re.finditer("上的讲话", title)}
    breaks = [sum(len(line) for line in lines[:n]) for n in range(1, len(lines))]
    assert all(b in boundaries for b in breaks), (lines, breaks)


def test_title_chars_per_line_follows_the_text_width() -> None:
    assert TITLE_CHARS_PER_LINE == 20  # 156 mm / 22 pt (7.76 mm)
