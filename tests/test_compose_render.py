"""Rendering a draft: golden files per format, escaping of untrusted text, docx fonts, user templates.

Golden files live in tests/data/golden; after an intended change, regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_compose_render.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from app.compose.bank import ComposeBank
from app.compose.docx import build_docx
from app.compose.model import SourceRef, Suggestion
from app.compose.plan import plan_draft
from app.compose.render import md_escape, render_text
from app.compose.request import DraftRequest
from app.compose.script import to_script

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
    text = render_text(plan_draft(sample("speech"), ComposeBank(), passages), "markdown")
    positions = [
        text.index(marker) for marker in ("# 在全市", "同志们：", "## 一、", "### （一）", "## 二、", "## 三、")
    ]
    assert positions == sorted(positions)
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
    draft = to_script(plan_draft(sample("speech"), ComposeBank(), passages), "traditional")
    assert draft.title == "在全市精神文明建設工作推進會上的講話" and draft.script == "traditional"
    assert draft.sections[1].role == "significance"  # identifiers stay as they are
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
    second = first.children[0]
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
