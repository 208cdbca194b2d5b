"""Outline parser: what looks like an outline but is not — tables of contents, numeral lists, related-link
lists, a notice's attachments, and doc-site page markers (removed by the cleaner before parsing)."""

from __future__ import annotations

from app.ingest.clean.document import clean_text
from app.structure import flatten, parse_outline
from app.structure.lines import is_toc_line, prepare_lines
from tests.helpers.structure import headings

TOC_DOC = """【提纲】一、肯定成绩、正视挑战，深刻把握精神文明建设的历史性转变。一是从“指标驱动”转向“价值引领”。\
二、聚焦关键、系统推进，精准把握核心任务。（一）以治理现代化为突破口。
同志们：
今天我们召开全市精神文明建设工作推进会。下面，我讲两点意见。
一、肯定成绩、正视挑战，深刻把握精神文明建设的历史性转变
过去几年，是我市精神文明建设砥砺前行、成果丰硕的几年。
二、聚焦关键、系统推进，精准把握核心任务
（一）以治理现代化为突破口。城乡二元结构带来的文明发展不均衡，是必须破解的难题。"""


def test_table_of_contents_line_is_not_the_outline() -> None:
    outline = parse_outline(TOC_DOC, "speech")
    assert headings(outline) == [
        (1, "一、", "肯定成绩、正视挑战，深刻把握精神文明建设的历史性转变"),
        (1, "二、", "聚焦关键、系统推进，精准把握核心任务"),
        (2, "（一）", "以治理现代化为突破口"),
    ]
    assert outline[0].paragraphs[0] == "同志们："
    assert outline[1].role == "review"
    assert is_toc_line(TOC_DOC.splitlines()[0])
    assert not is_toc_line(
        "一、统一思想。精神文明是社会进步的灵魂，是现代化建设的重要内容和目标，我们必须深刻认识。二、强化担当。"
    )


def test_table_of_contents_on_separate_lines_is_not_repeated() -> None:
    body = (
        "目录\n一、统一思想认识\n（一）充分认识重要意义\n二、突出工作重点\n"
        "同志们：今天召开会议。\n一、统一思想认识\n（一）充分认识重要意义\n精神文明建设是灵魂工程。\n"
        "二、突出工作重点\n要抓好落实。"
    )
    assert headings(parse_outline(body, "speech")) == [
        (1, "一、", "统一思想认识"),
        (2, "（一）", "充分认识重要意义"),
        (1, "二、", "突出工作重点"),
    ]


def test_labelled_table_of_contents_block_is_dropped() -> None:
    body = (
        "目录/提纲：……\n一、统一认识，增强创建全国文明城市信心\n一是有扎实的工作基础\n二是有广泛的群众基础\n"
        "二、注重内涵，明确创建工作的目标任务\n……\n同志们：\n今天召开动员大会。下面，我讲两点意见。\n"
        "一、统一认识，增强创建全国文明城市信心\n创建工作有基础。一是有扎实的工作基础。多年来我们积累了经验。"
        "二是有广泛的群众基础。市民支持率很高。"
    )
    assert prepare_lines(body)[0] == "同志们："
    assert headings(parse_outline(body, "speech")) == [
        (1, "一、", "统一认识，增强创建全国文明城市信心"),
        (3, "一是", "有扎实的工作基础"),
        (3, "二是", "有广泛的群众基础"),
    ]


PAGED = (
    "1、在精神文明建设工作会上的讲话同志们：刚刚，市文明办汇报了全市精神文明建设工作情况，安排部署了今年的工作。"
    "过去的一年，全市精神文明战线认真学习贯彻党的创新理论，全面落实各项决策部署，围\n"
    "2、绕中心、服务大局，积极履职、主动作为，各项工作取得了新的成绩，对全市事业发展起到了应有的推动和保障作用。"
    "今年要坚持稳中求进，坚持守正创新。重点抓好两个方面的工作：一、要持续深化理论武装\n"
    "3、工作要继续按照学懂弄通做实的要求，抓实抓好党员干部的理论武装，推动学习宣传贯彻走深走实走心，"
    "把全市人民凝聚在新时代的思想旗帜下。二、要切实加强党对精神文明建设的领导，进一步完善工作机制。第1页共3页"
)


def test_page_markers_are_glued_not_headings() -> None:
    # parse_outline takes a cleaned body: the cleaner removes page markers and counters, not lines.py
    body = clean_text(PAGED).text
    assert "围绕中心" in body and "第1页" not in body and "2、" not in body and "3、" not in body
    outline = parse_outline(body, "speech")
    assert [(h[0], h[1]) for h in headings(outline)] == [(1, "一、"), (1, "二、")]
    # the run-on title block is cut into its lines (app/ingest/clean/runon.py): title, salutation, text
    assert outline[0].paragraphs[:2] == ("在精神文明建设工作会上的讲话", "同志们：")


def test_real_numbered_items_after_a_finished_sentence_are_kept() -> None:
    lines = ["各级要抓好以下工作。", "2、" + "加强督查考核，" * 20 + "确保落实。"]
    body = clean_text("\n".join(lines)).text
    assert body.split("\n") == lines
    assert prepare_lines(body) == lines


def test_lists_that_must_not_split() -> None:
    body = (
        "一、深化道德建设\n"
        "推进社会公德、职业道德、家庭美德、个人品德建设。第一届道德模范评选活动获得一、二、三等奖的共有30人。"
        "奖项分为：一、二、三等奖。推动一、二、三产业融合发展。2023、2024年连续两年考核优秀，增长1.5个百分点。"
    )
    outline = parse_outline(body, "speech")
    assert headings(outline) == [(1, "一、", "深化道德建设")]
    assert "一、二、三等奖" in outline[0].paragraphs[0]


def test_numeral_list_after_a_full_stop_does_not_start_a_section() -> None:
    body = "一、推动经济发展\n一产稳定增长。二、三产业发展迅速，结构持续优化。\n二、加强文明创建\n要常抓不懈。"
    assert [h[2] for h in headings(parse_outline(body, "speech"))] == ["推动经济发展", "加强文明创建"]


def test_numeral_list_split_onto_its_own_line_is_still_not_a_section() -> None:
    body = "一、推动经济发展\n一产稳定增长。\n二、三产业发展迅速，结构持续优化。\n二、加强文明创建\n要常抓不懈。"
    assert [h[2] for h in headings(parse_outline(body, "speech"))] == ["推动经济发展", "加强文明创建"]


def test_navigation_lists_and_empty_markers_are_not_headings() -> None:
    body = (
        "同志们：今天召开动员大会。\n"
        "（一）：\n"
        "一、充分认识创建全国文明城市的重要意义\n"
        "全国文明城市是最高的城市荣誉品牌。\n"
        "（一）\n"
        "相关推荐\n"
        "1、在创建全国文明城市动员大会上的讲话\n"
        "2、在文明城市创建推进会上的讲话\n"
        "3、全市精神文明建设工作会议讲话稿"
    )
    assert headings(parse_outline(body, "speech")) == [(1, "一、", "充分认识创建全国文明城市的重要意义")]


def test_attachment_list_of_a_notice_is_not_an_outline() -> None:
    body = "请各单位认真组织实施。\n附件：1.测评实地考察点位清单\n2.问题整改销号表\n云岭市文明办"
    outline = parse_outline(body, "other")
    headings = [node.heading for node, _ in flatten(outline) if node.heading]
    assert headings == []
    assert any("2.问题整改销号表" in p for node in outline for p in node.paragraphs)
