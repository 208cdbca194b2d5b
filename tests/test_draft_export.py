"""The working copy and the clean export of a draft with drafted paragraphs, in every format and on the web
page (复制正文, the clean .docx download, the 内容 / 会议类型 / 一要、二要 choices).

Drafts are built as values (tests/helpers/drafts.py), so the rendering tests pin the templates whatever the
planner writes; the .docx layout tests (page numbers, title lines) in tests/test_compose_render.py use them too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from app.compose.model import Draft, DraftSection, DraftSentence, Paragraph, Suggestion
from app.compose.output.render import MAX_ALTERNATIVES, cite, render_text, section_parts
from app.compose.output.script import to_script
from app.compose.request import MEETING_TYPE_NAMES
from app.main import create_app
from tests.helpers.drafts import (
    GAP,
    NOTICE,
    OPENING,
    PASSAGE,
    SIGNIFICANCE,
    SPEECH_2024,
    STOCK,
    VOLUNTEER,
    paragraph_draft,
)
from tests.helpers.web import FORM, build_corpus

FORMATS = ("markdown", "text", "html", "docx")


def report_draft() -> Draft:
    remarks_text = "会议指出，精神文明建设取得明显成效。"
    return Draft(
        title="大连市召开全市精神文明建设工作推进会",
        doc_type="report",
        minutes=0.8,
        notes=("报道提示",),
        sections=(
            DraftSection(
                number="",
                heading="导语",
                role="lead",
                level=0,
                suggestions=(Suggestion(kind="text", text="12月2日，大连市召开会议，【待补：会议主要内容】。"),),
            ),
            DraftSection(
                number="",
                heading="会议指出",
                role="remarks",
                level=1,
                paragraph=Paragraph(sentences=(DraftSentence(text=remarks_text, source=SPEECH_2024),)),
                suggestions=STOCK,
                children=(
                    DraftSection(
                        number="■",
                        heading="要深化志愿服务",
                        role="requirements",
                        level=2,
                        paragraph=Paragraph(sentences=VOLUNTEER),
                        suggestions=(PASSAGE,),
                    ),
                ),
            ),
        ),
    )


def docx_lines(draft: Draft, clean: bool) -> list[tuple[str, str]]:
    rendered = render_text(draft, "docx", clean=clean)
    return [tuple(line.split("\t", 1)) for line in rendered.splitlines()]  # type: ignore[misc]


# ---- paragraphs, sources, alternatives ------------------------------------------------------------------------


def test_cite_numbers_each_distinct_source_once_and_skips_built_in_wording() -> None:
    cited = cite(Paragraph(sentences=SIGNIFICANCE))
    assert [s.mark for s in cited.sentences] == ["①", "", "②", "①"]
    assert [(c.mark, c.title, c.date, c.document_id) for c in cited.sources] == [
        ("①", SPEECH_2024.title, "2024-03-01", 3),
        ("②", NOTICE.title, None, 7),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_the_paragraphs_in_both_copies(fmt: str) -> None:
    draft = paragraph_draft()
    working = render_text(draft, fmt)
    clean = render_text(draft, fmt, clean=True)
    for sentence in (*SIGNIFICANCE, *VOLUNTEER):
        assert sentence.text in working, sentence.text
    for paragraph in (Paragraph(sentences=SIGNIFICANCE), Paragraph(sentences=VOLUNTEER)):
        assert paragraph.text in clean  # whole, no source marks between the sentences
    for text in (*OPENING, "同志们，让我们奋力开创精神文明建设新局面！", GAP.text):
        assert text in working and text in clean
    for heading in ("一、提高站位，深刻认识精神文明建设的重大意义", "（一）切实加强组织领导"):
        assert heading in working and heading in clean


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_working_copy_has_sources_and_at_most_five_alternatives(fmt: str) -> None:
    working = render_text(paragraph_draft(), fmt)
    assert "精神文明建设是一项长期的战略任务。①" in working.replace('<sup class="cite">', "").replace("</sup>", "")
    # Each source named once per paragraph, numbered, with its date when it has one.
    assert re.search(r"①在全市精神文明建设工作会上的讲话，2024-03-01；②关于深化志愿服务的通知", working)
    assert "可选表述" in working and "参考段落" in working and PASSAGE.text in working
    shown = [n for n in range(1, 8) if f"可选表述第{n}条" in working]
    assert shown == [1, 2, 3, 4, 5] and MAX_ALTERNATIVES == 5  # the first five, in order; never more
    assert "主要领导亲自抓、负总责" in working  # a section without a paragraph keeps its outline list


def test_html_folds_the_alternatives_and_passages() -> None:
    html = render_text(paragraph_draft(), "html")
    assert '<p class="body">精神文明建设是一项长期的战略任务。<sup class="cite">①</sup>' in html
    folded = re.search(r'<details class="alternatives"><summary>可选表述（5）</summary>(.*?)</details>', html, re.S)
    assert folded is not None and folded[1].count("<li") == 5
    assert re.search(r'<details class="passages"><summary>参考段落（1）</summary>.*?深化志愿服务制度化建设', html, re.S)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_clean_copy_has_no_labels_sources_alternatives_passages_minutes_or_notes(fmt: str) -> None:
    clean = render_text(paragraph_draft(), fmt, clean=True)
    for absent in ("来源", "可选表述", "参考段落", "【套话】", "【四字语】", "分钟", "提示", "会议类型", "①", "②"):
        assert absent not in clean, absent
    for absent in ("可选表述第1条", "开场套话", "久久为功", "主要领导亲自抓", PASSAGE.text):
        assert absent not in clean, absent
    assert clean.count(GAP.text) == 2  # the one under 二、 the paragraph does not hold, and the outline's


def test_a_required_line_the_paragraph_already_says_is_not_repeated() -> None:
    draft = paragraph_draft()
    opening = draft.sections[0]
    assert section_parts(opening).required == ()
    for fmt in FORMATS:
        for clean in (False, True):
            assert render_text(draft, fmt, clean=clean).count("下面，我讲三点意见。") == 1, (fmt, clean)


def test_clean_text_is_set_like_a_document_body() -> None:
    lines = render_text(paragraph_draft(), "text", clean=True).splitlines()
    assert lines[:5] == ["在全市精神文明建设工作推进会上的讲话", "市委副书记 张三", "（2026年12月2日）", "", "同志们："]
    body = lines[5:]
    assert "" not in body  # no blank lines to delete after pasting
    assert all(line.startswith("　　") for line in body)  # two-character indent, headings included
    assert "　　一、提高站位，深刻认识精神文明建设的重大意义" in body
    assert "　　" + Paragraph(sentences=SIGNIFICANCE).text in body


def test_level_0_paragraphs_are_body_text_in_docx() -> None:
    working = docx_lines(paragraph_draft(), clean=False)
    assert ("body", "".join(OPENING)) in working
    assert ("label", "可选表述：") in working and ("alternative", "· 开场套话") in working
    clean = docx_lines(paragraph_draft(), clean=True)
    assert [style for style, _ in clean] == [
        "title", "byline", "byline", "salutation", "body",
        "h1", "body",
        "h1", "body", "placeholder",
        "h2", "placeholder",
        "body",
    ]  # fmt: skip


def test_a_report_clean_copy_drops_block_labels_and_a_heading_its_paragraph_opens_with() -> None:
    draft = report_draft()
    clean = render_text(draft, "text", clean=True)
    assert "导语" not in clean and clean.count("会议指出") == 1
    assert "　　■要深化志愿服务" in clean and Paragraph(sentences=VOLUNTEER).text in clean
    working = render_text(draft, "text")
    assert "【导语】" in working and "【会议指出】" in working and "（来源：①关于深化志愿服务的通知）" in working
    for fmt in FORMATS:
        assert "来源" not in render_text(draft, fmt, clean=True) and "来源" in render_text(draft, fmt)


def test_traditional_script_converts_both_copies() -> None:
    draft = to_script(paragraph_draft(), "traditional")
    assert "可選表述" in render_text(draft, "text") and "來源" in render_text(draft, "text")
    clean = render_text(draft, "text", clean=True)
    assert "精神文明建設是一項長期的戰略任務。" in clean and "來源" not in clean


def test_a_user_template_sees_clean_and_one_that_ignores_it_still_renders(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "speech.txt.j2").write_text("{{ '正文' if clean else '工作稿' }}：{{ draft.title }}")
    (tmp_path / "drafts" / "speech.md.j2").write_text("# {{ draft.title }}")
    draft = paragraph_draft()
    assert render_text(draft, "text", tmp_path) == f"工作稿：{draft.title}\n"
    assert render_text(draft, "text", tmp_path, clean=True) == f"正文：{draft.title}\n"
    assert render_text(draft, "markdown", tmp_path, clean=True) == f"# {draft.title}\n"


# ---- the web page: choices carried to downloads, 复制正文, the clean .docx --------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(build_corpus(tmp_path_factory.mktemp("export") / "data"))) as client:
        yield client


def _options(html: str, name: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each option of the select named ``name``."""
    select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', select[1])
    return [(value, bool(selected), label) for value, selected, label in found]


def test_the_form_offers_content_meeting_type_and_points(web: TestClient) -> None:
    html = web.get("/").text
    assert _options(html, "detail") == [
        ("paragraphs", True, "段落（默认）"),
        ("outline", False, "提纲"),
        ("outline+passages", False, "提纲+参考段落"),
    ]
    kinds = _options(html, "meeting_type")
    assert kinds[0] == ("", True, "自动识别")
    assert [(value, label) for value, _, label in kinds[1:]] == list(MEETING_TYPE_NAMES.items())
    points = re.search(r'<input type="checkbox" id="f-points" name="points" value="1"([^>]*)>', html)
    assert points is not None and "checked" not in points[1]


def test_content_meeting_type_and_points_are_kept_and_carried_to_downloads(web: TestClient) -> None:
    chosen = {"detail": "outline+passages", "meeting_type": "表彰", "points": "1"}  # a Chinese name is accepted
    html = web.post("/", data=FORM | chosen).text
    assert ("outline+passages", True, "提纲+参考段落") in _options(html, "detail")
    assert ("commendation", True, "表彰") in _options(html, "meeting_type")
    assert re.search(r'id="f-points" name="points" value="1" checked', html)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert (fields["detail"], fields["meeting_type"], fields["points"]) == ("outline+passages", "commendation", "1")
    plain = web.post("/", data=FORM).text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', plain))
    assert (fields["detail"], fields["meeting_type"], fields["points"]) == ("paragraphs", "", "")
    assert web.post("/", data=FORM | {"meeting_type": "茶话会"}).status_code == 422


def test_copy_and_download_the_clean_text(web: TestClient) -> None:
    html = web.post("/", data=FORM).text
    copy = r'<button type="button" class="copy" data-copy-target="clean-text" hidden[^>]*>复制正文</button>'
    assert re.search(copy, html)
    download = (
        r'<button type="submit" name="format" value="docx" formaction="/ui/download\?clean=true"[^>]*>下载正文 Word<'
    )
    assert re.search(download, html)
    clean = re.search(r'<textarea id="clean-text" readonly rows="\d+">(.*?)</textarea>', html, re.S)
    plain = re.search(r'<textarea id="plain-text" readonly rows="\d+">(.*?)</textarea>', html, re.S)
    assert clean is not None and plain is not None
    assert clean[1].startswith("在全市精神文明建设工作推进会上的讲话") and "　　一、" in clean[1]
    assert "分钟" in plain[1] and "可选表述" in plain[1]
    assert not [word for word in ("分钟", "来源", "可选表述", "参考段落", "提示") if word in clean[1]]

    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    docx = web.post("/ui/download?clean=true", data=fields | {"format": "docx"})
    assert docx.status_code == 200
    disposition = docx.headers["content-disposition"]
    assert unquote(disposition.split("UTF-8''")[1]) == "在全市精神文明建设工作推进会上的讲话（正文）.docx"
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        document_xml = archive.read("word/document.xml").decode("utf-8")
    assert "一、" in document_xml and "来源" not in document_xml and "可选表述" not in document_xml
    working = web.post("/ui/download", data=fields | {"format": "docx"})
    with zipfile.ZipFile(io.BytesIO(working.content)) as archive:
        assert "可选表述" in archive.read("word/document.xml").decode("utf-8")
    text = web.post("/ui/download?clean=true", data=fields | {"format": "text"}).text
    assert text == unescape(clean[1])  # the download is what 复制正文 copies
