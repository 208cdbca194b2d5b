""".docx as Word shows it: automatic numbering rendered into the text, heading styles and outline levels as
structure, page furniture and notes left out — and every way of marking the same speech outlines the same."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import etree

from app.ingest.isolate import prepare_isolated
from app.ingest.pipeline import prepare
from app.ingest.read.common import ReadLimits
from app.ingest.read.docx_numbering import ListCounter, format_number, parse_numbering
from app.ingest.read.formats import read_bytes
from app.outline_view import outline_record
from app.structure.styled import styled_lines
from tests.docx_builder import (
    Lvl,
    P,
    Raw,
    abstract,
    build_docx,
    num,
    numbering_xml,
    page_number_runs,
    para_style,
    text_box_runs,
    toc_control,
)

FILLER = P("全市上下要统一思想、凝聚共识，以更加务实的作风推进创建工作。")
GOV = [Lvl("chineseCounting", "%1、"), Lvl("chineseCounting", "（%2）"), Lvl("decimal", "%3.")]


def lines(data: bytes) -> list[str]:
    return read_bytes(data, "a.docx").text.split("\n")


def counter(*parts: str) -> ListCounter:
    return ListCounter(parse_numbering(etree.fromstring(numbering_xml(*parts).encode())))


def labels(c: ListCounter, steps: list[tuple[str, int]]) -> list[str]:
    return [c.label(num_id, ilvl) for num_id, ilvl in steps]


# --- number formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "n", "shown"),
    [
        ("decimal", 12, "12"),
        *[("chineseCounting", n, s) for n, s in [(1, "一"), (10, "十"), (11, "十一"), (99, "九十九"), (101, "一〇一")]],
        *[("chineseCountingThousand", n, s) for n, s in [(10, "十"), (15, "十五"), (100, "一百"), (101, "一百〇一")]],
        *[("chineseCountingThousand", n, s) for n, s in [(110, "一百一十"), (1010, "一千〇一十"), (2000, "二千")]],
        *[("chineseLegalSimplified", n, s) for n, s in [(1, "壹"), (10, "壹拾"), (11, "壹拾壹"), (105, "壹佰零伍")]],
        *[("ideographTraditional", n, s) for n, s in [(1, "甲"), (10, "癸"), (11, "11")]],
        *[("ideographZodiac", n, s) for n, s in [(1, "子"), (12, "亥"), (13, "13")]],
        *[("decimalEnclosedCircle", n, s) for n, s in [(1, "①"), (20, "⑳"), (21, "21")]],
        ("decimalEnclosedCircleChinese", 3, "③"),
        *[("decimalEnclosedParen", n, s) for n, s in [(1, "⑴"), (20, "⒇"), (21, "(21)")]],
        ("decimalFullWidth", 12, "１２"),
        *[("upperLetter", n, s) for n, s in [(1, "A"), (26, "Z"), (27, "AA"), (28, "BB")]],
        ("lowerLetter", 3, "c"),
        *[("upperRoman", n, s) for n, s in [(4, "IV"), (9, "IX"), (14, "XIV"), (1999, "MCMXCIX")]],
        ("lowerRoman", 12, "xii"),
        *[(fmt, 1, "") for fmt in ("bullet", "none")],
        *[("someFutureFormat", 7, "7"), ("chineseCounting", 0, "0")],  # unknown or out of range: digits
        ("upperLetter", 10**6, "1000000"),  # past Word's range (hostile input): digits, not a megabyte of A
    ],
)
def test_number_formats(fmt: str, n: int, shown: str) -> None:
    assert format_number(n, fmt) == shown


ITEMS = ["加强组织领导", "完善工作机制", "严格督查考核"]


@pytest.mark.parametrize(
    ("fmt", "template", "shown"),
    [
        ("decimal", "%1.", ["1. ", "2. ", "3. "]),
        ("chineseCounting", "%1、", ["一、", "二、", "三、"]),
        ("chineseCountingThousand", "（%1）", ["（一）", "（二）", "（三）"]),
        ("chineseLegalSimplified", "%1、", ["壹、", "贰、", "叁、"]),
        ("ideographTraditional", "%1、", ["甲、", "乙、", "丙、"]),
        ("ideographZodiac", "%1、", ["子、", "丑、", "寅、"]),
        ("decimalEnclosedCircle", "%1", ["①", "②", "③"]),
        ("decimalEnclosedCircleChinese", "%1", ["①", "②", "③"]),
        ("decimalEnclosedParen", "%1", ["⑴", "⑵", "⑶"]),
        ("decimalFullWidth", "%1．", ["１．", "２．", "３．"]),
        ("upperLetter", "%1.", ["A. ", "B. ", "C. "]),
        ("lowerLetter", "%1)", ["a) ", "b) ", "c) "]),
        ("upperRoman", "%1.", ["I. ", "II. ", "III. "]),
        ("lowerRoman", "(%1)", ["(i) ", "(ii) ", "(iii) "]),
        ("bullet", "\uf06c", ["", "", ""]),  # a Symbol-font bullet is not text, and no heading marker
        ("none", "%1", ["", "", ""]),
    ],
)
def test_each_format_is_drawn_into_the_paragraph(fmt: str, template: str, shown: list[str]) -> None:
    numbering = numbering_xml(abstract("0", [Lvl(fmt, template)]), num("1", "0"))
    data = build_docx([FILLER, *(P(item, num=("1", 0)) for item in ITEMS)], numbering=numbering)
    assert lines(data)[1:] == [label + item for label, item in zip(shown, ITEMS, strict=True)]


def test_start_value_and_chinese_numbers_past_ten() -> None:
    c = counter(abstract("0", [Lvl("chineseCounting", "%1、", start=9)]), num("1", "0"))
    assert labels(c, [("1", 0)] * 4) == ["九、", "十、", "十一、", "十二、"]


# --- levels, restarts and overrides ----------------------------------------------------------------------


def test_government_levels_restart_under_a_new_parent() -> None:
    c = counter(abstract("0", GOV), num("1", "0"))
    steps = [("1", i) for i in (0, 1, 2, 2, 1, 0, 1, 2)]
    assert labels(c, steps) == ["一、", "（一）", "1. ", "2. ", "（二）", "二、", "（一）", "1. "]


def test_multi_level_template_refers_to_every_level() -> None:
    levels = [Lvl("decimal", "%1."), Lvl("decimal", "%1.%2"), Lvl("decimal", "%1.%2.%3")]
    c = counter(abstract("0", levels), num("1", "0"))
    steps = [("1", i) for i in (0, 1, 1, 2, 0, 1, 2)]
    assert labels(c, steps) == ["1. ", "1.1 ", "1.2 ", "1.2.1 ", "2. ", "2.1 ", "2.1.1 "]


@pytest.mark.parametrize(("legal", "second"), [(True, "1.1 "), (False, "一.1 ")])
def test_is_lgl_shows_every_level_in_arabic_digits(legal: bool, second: str) -> None:
    levels = [Lvl("chineseCounting", "%1、"), Lvl("decimal", "%1.%2", legal=legal)]
    c = counter(abstract("0", levels), num("1", "0"))
    assert labels(c, [("1", 0), ("1", 1)]) == ["一、", second]


def test_lvl_restart_names_the_level_that_restarts_it() -> None:
    levels = [GOV[0], GOV[1], Lvl("decimal", "%3.", restart=1)]  # 1. … counts on across （一）（二）
    c = counter(abstract("0", levels), num("1", "0"))
    steps = [("1", i) for i in (0, 2, 1, 2, 0, 2)]
    assert labels(c, steps) == ["一、", "1. ", "（一）", "2. ", "二、", "1. "]


def test_lvl_restart_zero_never_restarts() -> None:
    c = counter(abstract("0", [GOV[0], Lvl("chineseCounting", "（%2）", restart=0)]), num("1", "0"))
    assert labels(c, [("1", i) for i in (0, 1, 0, 1)]) == ["一、", "（一）", "二、", "（二）"]


def test_a_second_list_continues_and_an_override_restarts() -> None:
    c = counter(abstract("0", GOV), num("1", "0"), num("2", "0"), num("3", "0", {0: 1}), num("4", "0", {0: 5}))
    assert labels(c, [("1", 0), ("1", 0), ("2", 0)]) == ["一、", "二、", "三、"]  # Word's "continue numbering"
    assert labels(c, [("3", 0), ("3", 0)]) == ["一、", "二、"]  # "restart at 1"
    assert labels(c, [("4", 0)]) == ["五、"]
    assert labels(c, [("9", 0), ("1", 7)]) == ["", ""]  # no such list, no such level: no number


def test_restart_in_a_second_list_inside_a_document() -> None:
    numbering = numbering_xml(abstract("0", GOV), num("1", "0"), num("2", "0", {0: 1}))
    paragraphs = [FILLER, P("第一项", num=("1", 0)), P("第二项", num=("1", 0)), P("另一组的第一项", num=("2", 0))]
    assert lines(build_docx(paragraphs, numbering=numbering))[1:] == ["一、第一项", "二、第二项", "一、另一组的第一项"]


def test_numbering_inherited_from_styles_and_switched_off() -> None:
    levels = [Lvl("chineseCounting", "%1、", pstyle="Heading1"), Lvl("chineseCounting", "（%2）", pstyle="Heading2")]
    styles = [
        para_style("Heading1", "heading 1", based_on="Normal", outline=0, num=("1", None)),  # level from w:pStyle
        para_style("Heading2", "heading 2", based_on="Normal", outline=1, num=("1", 1)),
        para_style("SpeechHead", "讲话标题", based_on="Heading1"),  # numbering through basedOn
    ]
    paragraphs = [
        FILLER,
        P("统一思想", style="Heading1"),
        P("提高认识", style="Heading2"),
        P("狠抓落实", style="SpeechHead"),
        P("不编号的一级标题", style="Heading1", num=("0", None)),
        P("加强保障", style="Heading1"),
    ]
    data = build_docx(paragraphs, numbering_xml(abstract("0", levels), num("1", "0")), styles)
    assert lines(data)[1:] == ["一、统一思想", "（一）提高认识", "二、狠抓落实", "不编号的一级标题", "三、加强保障"]


def test_numbering_through_a_numbering_style_link() -> None:
    numbering = numbering_xml(abstract("0", GOV), abstract("1", [], style_link="GovList"), num("1", "0"), num("2", "1"))
    styles = [para_style("GovList", "政府公文编号", num=("1", None), kind="numbering")]
    data = build_docx([FILLER, P("统一思想", num=("2", 0)), P("提高认识", num=("2", 1))], numbering, styles)
    assert lines(data)[1:] == ["一、统一思想", "（一）提高认识"]


def test_damaged_definitions_cost_a_number_not_the_document() -> None:
    numbering = numbering_xml(
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="many"/></w:lvl>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        "</w:abstractNum>",
        num("1", "0"),
        '<w:num w:numId="2"><w:abstractNumId w:val="404"/></w:num>',
    )
    styles = [para_style("A", "甲样式", based_on="B"), para_style("B", "乙样式", based_on="A")]  # a basedOn loop
    paragraphs = [FILLER, P("第一项", num=("1", 0)), P("第二项", num=("2", 0)), P("循环样式", style="A")]
    assert lines(build_docx(paragraphs, numbering, styles))[1:] == ["一、第一项", "第二项", "循环样式"]


# --- heading styles and outline levels -------------------------------------------------------------------


def test_heading_evidence_by_style_name_id_and_outline_level() -> None:
    styles = [
        para_style("a1", "标题 1", based_on="Normal"),
        para_style("a2", "标题2", based_on="Normal"),
        para_style("zt", "标题", based_on="Normal"),
        para_style("mine", "讲话小标题", based_on="Normal", outline=2),
        para_style("derived", "派生小标题", based_on="mine"),
    ]
    paragraphs = [
        P("中文标题样式的大标题", style="zt"),
        P("英文一级标题", style="Heading1"),
        P("英文二级标题", style="Heading2"),
        P("中文一级标题", style="a1"),
        P("中文二级标题", style="a2"),
        P("大纲级别三级", style="mine"),
        P("继承大纲级别", style="derived"),
        P("段落自带大纲级别", outline=0),
        P("正文文本级别覆盖标题样式", style="Heading1", outline=9),
        P("英文标题样式", style="Title"),
        FILLER,
    ]
    assert read_bytes(build_docx(paragraphs, styles=styles), "a.docx").headings == (
        ("中文标题样式的大标题", 0),
        ("英文一级标题", 1),
        ("英文二级标题", 2),
        ("中文一级标题", 1),
        ("中文二级标题", 2),
        ("大纲级别三级", 3),
        ("继承大纲级别", 3),
        ("段落自带大纲级别", 1),
        ("英文标题样式", 0),
    )


def test_styled_lines_match_in_order_glued_and_by_rank() -> None:
    body = ["同志们：", "统一思想", "要提高认识。", "加强组织领导各级党委要负总责。", "统一思想"]
    hints = [("在全市大会上的讲话", 2), ("统一思想", 2), ("加强组织领导", 3), ("这个标题被清理掉了", 2)]
    # the title hint is not in the body, the glued heading matches the start of its line, levels 2/3 become 1/2,
    # and the later 统一思想 line is body text: its hint was used up
    assert styled_lines(body, hints) == {1: (1, 4), 3: (2, 6)}
    assert styled_lines(["一段很长的正文" * 20], [("一段很长的正文" * 20, 1)]) == {}  # a styled paragraph


# --- the same speech, marked six ways --------------------------------------------------------------------

TITLE = "在全市创建全国文明城市推进会上的讲话"
SPEECH = [
    (0, "同志们："),
    (0, "今天召开全市创建全国文明城市推进会，主要任务是总结前段工作，部署下步重点任务。下面，我讲三点意见。"),
    (1, "提高政治站位，充分认识创建工作的重大意义"),
    (0, "创建全国文明城市是一项系统工程，是城市综合实力和文明程度的集中体现。各级各部门要深刻认识创建工作的紧迫性。"),
    (2, "创建文明城市是践行以人民为中心发展思想的必然要求"),
    (0, "人民群众对美好生活的向往，就是我们的奋斗目标。创建文明城市，归根到底是为了让群众生活得更美好。"),
    (2, "创建文明城市是提升城市综合竞争力的有效途径"),
    (0, "文明城市是含金量最高、综合性最强、影响力最大的城市品牌，是推动高质量发展的重要软实力。"),
    (1, "突出工作重点，扎实推进创建任务落实"),
    (2, "着力提升市民文明素质"),
    (0, "要深入开展理想信念教育，广泛践行社会主义核心价值观，持续推进移风易俗，引导群众崇德向善。"),
    (2, "着力改善城乡人居环境"),
    (0, "要聚焦背街小巷、农贸市场、城中村等薄弱区域，集中开展环境卫生整治，补齐基础设施短板。"),
    (1, "强化组织保障，确保创建工作取得实效"),
    (0, "各级党委政府要切实扛起创建主体责任，主要领导亲自抓、负总责，形成一级抓一级、层层抓落实的格局。"),
    (0, "同志们，创建全国文明城市使命光荣、任务艰巨。让我们团结一心、真抓实干，为夺取创建工作全面胜利而努力奋斗！"),
]
CN = "一二三四五六七八九"


def typed() -> bytes:
    out, count = [P(TITLE)], [0, 0]
    for level, text in SPEECH:
        if level:
            count[level - 1] += 1
            count[1] = 0 if level == 1 else count[1]
        marker = {0: "", 1: f"{CN[count[0] - 1]}、", 2: f"（{CN[count[1] - 1]}）"}[level]
        out.append(P(marker + text))
    return build_docx(out)


def auto() -> bytes:
    paragraphs = [P(TITLE), *(P(text, num=("1", level - 1) if level else None) for level, text in SPEECH)]
    return build_docx(paragraphs, numbering_xml(abstract("0", GOV), num("1", "0")))


def mixed() -> bytes:
    """一、 typed by hand, （一） from Word's numbering (restarted under every 一、 by a new list instance)."""
    paragraphs, parts, count, lists = [P(TITLE)], [abstract("0", GOV)], 0, 0
    for level, text in SPEECH:
        if level == 1:
            count += 1
            lists += 1
            parts.append(num(str(lists), "0", {1: 1}))
            paragraphs.append(P(f"{CN[count - 1]}、{text}"))
        else:
            paragraphs.append(P(text, num=(str(lists), 1) if level == 2 else None))
    return build_docx(paragraphs, numbering_xml(*parts))


def styled(title: str, heads: dict[int, str], styles: list[str] | None = None) -> bytes:
    out = [P(TITLE, style=title), *(P(text, style=heads.get(level)) for level, text in SPEECH)]
    return build_docx(out, styles=styles or [])


def outline_levels() -> bytes:
    return build_docx([P(TITLE), *(P(text, outline=level - 1 if level else None) for level, text in SPEECH)])


def shape(record: dict[str, Any], markers: bool = True) -> dict[str, Any]:
    def node(section: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in section.items() if k != "children" and (markers or k != "marker")}
        return {**kept, "children": [node(child) for child in section["children"]]}

    return {"title": record["title"], "kind": record["kind"], "sections": [node(s) for s in record["sections"]]}


def outline_of(tmp_path: Path, name: str, data: bytes) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return outline_record(path, ReadLimits())


def test_automatic_numbering_outlines_exactly_like_typed_markers(tmp_path: Path) -> None:
    expected = outline_of(tmp_path, "typed.docx", typed())
    assert [s["heading"] for s in expected["sections"]][1:4] == [
        "提高政治站位，充分认识创建工作的重大意义",
        "突出工作重点，扎实推进创建任务落实",
        "强化组织保障，确保创建工作取得实效",
    ]
    assert [c["marker"] for c in expected["sections"][2]["children"]] == ["（一）", "（二）"]
    for name, data in (("auto.docx", auto()), ("mixed.docx", mixed())):
        got = outline_of(tmp_path, name, data)
        assert shape(got) == shape(expected), name
        assert got["text"] == expected["text"], name


@pytest.mark.parametrize("variant", ["english", "chinese", "outline_levels", "deeper_styles"])
def test_heading_styles_outline_like_typed_markers(tmp_path: Path, variant: str) -> None:
    chinese = [para_style("a1", "标题 1", "Normal"), para_style("a2", "标题2", "Normal"), para_style("zt", "标题")]
    data = {
        "english": lambda: styled("Title", {1: "Heading1", 2: "Heading2"}),
        "chinese": lambda: styled("zt", {1: "a1", 2: "a2"}, chinese),
        "outline_levels": outline_levels,
        "deeper_styles": lambda: styled("Heading1", {1: "Heading2", 2: "Heading3"}),  # 标题 1 is the title
    }[variant]()
    expected = outline_of(tmp_path, "typed.docx", typed())
    got = outline_of(tmp_path, f"{variant}.docx", data)
    assert shape(got, markers=False) == shape(expected, markers=False)
    assert {s["marker"] for s in got["sections"]} == {""}  # no marker was typed or numbered


def test_styled_headings_survive_the_isolated_parser() -> None:
    data = styled("Title", {1: "Heading1", 2: "Heading2"})
    isolated = prepare_isolated(data, "styled.docx", ReadLimits(), timeout=120)
    assert isolated.outline == prepare(read_bytes(data, "styled.docx")).outline
    assert next(s.heading for s in isolated.outline if s.heading) == "提高政治站位，充分认识创建工作的重大意义"


def test_a_styled_heading_keeps_its_typed_marker_and_unmarked_ones_nest_under_it(tmp_path: Path) -> None:
    paragraphs = [P(TITLE, style="Title")]
    for level, text in SPEECH:
        if level == 1:
            paragraphs.append(P(f"{CN[sum(1 for p in paragraphs if p.style == 'Heading1')]}、{text}", style="Heading1"))
        else:
            paragraphs.append(P(text, style="Heading2" if level == 2 else None))
    got = outline_of(tmp_path, "half.docx", build_docx(paragraphs))
    assert [(s["marker"], [c["marker"] for c in s["children"]]) for s in got["sections"][1:4]] == [
        ("一、", ["", ""]),
        ("二、", ["", ""]),
        ("三、", []),
    ]
    assert shape(got, markers=False) == shape(outline_of(tmp_path, "typed.docx", typed()), markers=False)


def test_a_slogan_title_styled_as_title_is_the_title_even_under_an_issuer() -> None:
    body = [P(text) for _, text in SPEECH[:2]]
    paragraphs = [
        P("某某市精神文明建设委员会办公室"),
        P("2024年3月5日"),
        P("凝心聚力抓创建 久久为功树新风", style="Title"),
    ]
    doc = prepare(read_bytes(build_docx([*paragraphs, *body]), "a.docx"))
    assert doc.metadata.title == "凝心聚力抓创建久久为功树新风"
    assert doc.display_text.split("\n")[1] == "同志们："


# --- what is not body text ------------------------------------------------------------------------------

EDITS = (
    "<w:r><w:t>要坚持</w:t></w:r><w:del><w:r><w:delText>删去的话</w:delText></w:r></w:del><w:ins><w:r><w:t>问题导向"
    "</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的批注</w:t></w:r><w:r><w:t>。</w:t></w:r>"
    '<w:r><w:footnoteReference w:id="1"/></w:r>'
)


def test_headers_footers_page_numbers_notes_and_contents_stay_out() -> None:
    data = build_docx(
        [
            Raw(toc_control("一、统一思想\t1")),
            P("目录条目样式的一行\t2", style="TOC1"),
            FILLER,
            P(runs=text_box_runs("某某市文明办 内部资料") + "<w:r><w:t>锚定段落的正文。</w:t></w:r>"),
            P(runs=EDITS),
            P(runs=page_number_runs("第", "页")),
        ],
        styles=[para_style("TOC1", "toc 1")],
        footnotes={1: "引自《新时代公民道德建设实施纲要》"},
    )
    doc = Document(io.BytesIO(data))
    doc.sections[0].header.paragraphs[0].text = "某某市精神文明建设委员会办公室 内部文件"
    doc.sections[0].footer.paragraphs[0].text = "— 1 —"
    buf = io.BytesIO()
    doc.save(buf)
    assert lines(buf.getvalue()) == [FILLER.text, "某某市文明办 内部资料", "锚定段落的正文。", "要坚持问题导向。"]
