"""Outline parser on hand-written fixtures: a speech's levels, tree, roles and markers, and the node API.

Run-in headings and sub-points are in ``test_structure_runin.py``, news reports in
``test_structure_report.py``, tables of contents and lists that are not an outline in
``test_structure_lists.py``; all use :func:`headings` from ``tests/helpers/structure.py``.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from app.structure import flatten, parse_outline
from app.structure.headings import cn_number, title_span
from tests.helpers.structure import headings

SPEECH = """同志们：
今天我们召开全市精神文明建设工作会议，主要任务是总结工作、部署任务。下面，我讲三点意见。
一、提高站位，深刻认识精神文明建设的重要意义
精神文明建设是社会主义现代化国家的重要特征，我们必须从战略和全局的高度认识这项工作。
（一）加强精神文明建设是推动高质量发展的必然要求。物质文明和精神文明协调发展，是现代化的本质要求。
（二）加强精神文明建设是满足人民美好生活需要的重要途径。人民群众对精神文化生活有了更高期待。
二、聚焦重点，扎实推进文明城市创建各项任务
（一）深化思想道德建设。一是加强理论武装。坚持用党的创新理论凝心铸魂，推动学习走深走实。二是弘扬社会主义核心价值观。广泛开展道德模范评选表彰活动。
（二）深化新时代文明实践。要把文明实践中心建成群众身边的精神家园，常态化开展志愿服务。
三、加强领导，为精神文明建设提供坚强保障
1.压实工作责任。各级党委要切实承担主体责任，主要负责同志要亲自抓、负总责。
2.强化督查考核。把精神文明建设纳入综合考核，定期通报工作进展。
同志们，让我们更加紧密地团结起来，奋力谱写精神文明建设新篇章！"""


def test_speech_levels_markers_and_headings() -> None:
    outline = parse_outline(SPEECH, "speech")
    assert headings(outline) == [
        (1, "一、", "提高站位，深刻认识精神文明建设的重要意义"),
        (2, "（一）", "加强精神文明建设是推动高质量发展的必然要求"),
        (2, "（二）", "加强精神文明建设是满足人民美好生活需要的重要途径"),
        (1, "二、", "聚焦重点，扎实推进文明城市创建各项任务"),
        (2, "（一）", "深化思想道德建设"),
        (3, "一是", "加强理论武装"),
        (3, "二是", "弘扬社会主义核心价值观"),
        (2, "（二）", "深化新时代文明实践"),
        (1, "三、", "加强领导，为精神文明建设提供坚强保障"),
        (2, "1.", "压实工作责任"),  # 1. directly under 一、 is one level down, not 3
        (2, "2.", "强化督查考核"),
    ]


def test_speech_tree_paragraphs_and_roles() -> None:
    outline = parse_outline(SPEECH, "speech")
    opening, first, second, third, closing = outline
    assert (opening.marker, opening.heading, opening.role) == ("", "", "opening")
    assert opening.paragraphs[0] == "同志们："
    assert first.role == "significance"
    assert second.role == "tasks"
    assert third.role == "safeguards"
    assert closing.role == "closing" and closing.heading == "" and closing.paragraphs[0].startswith("同志们，让我们")
    # a run-in heading's body keeps the text after the heading sentence, without repeating it
    point = second.children[0].children[0]
    assert point.paragraphs == ("坚持用党的创新理论凝心铸魂，推动学习走深走实。",)
    assert second.children[0].paragraphs == ()
    assert [child.heading for child in third.children] == ["压实工作责任", "强化督查考核"]


def test_no_text_is_lost() -> None:
    outline = parse_outline(SPEECH, "speech")
    rebuilt = "".join(node.marker + node.heading + "".join(node.paragraphs) for node, _ in flatten(outline)).replace(
        "，", ""
    )
    source = SPEECH.replace("\n", "").replace("。", "").replace("，", "")
    assert sorted(rebuilt.replace("。", "")) == sorted(source)


def test_circled_and_parenthesised_arabic_markers() -> None:
    body = (
        "（一）加强组织领导\n（1）健全工作机制。建立联席会议制度。\n①明确牵头部门。由文明办牵头。\n"
        "（2）压实工作责任。层层签订责任书。"
    )
    assert headings(parse_outline(body, "speech")) == [
        (2, "（一）", "加强组织领导"),
        (3, "（1）", "健全工作机制"),
        (3, "①", "明确牵头部门"),
        (3, "（2）", "压实工作责任"),
    ]


def test_heading_ends_at_a_collapsed_paragraph_break() -> None:
    body = (
        "下面，我再强调三点意见： 一、提高站位、深化认识，切实增强文明城市创建责任感和紧迫感 文明，是一座城市的底色。"
    )
    outline = parse_outline(body, "speech")
    assert headings(outline) == [(1, "一、", "提高站位、深化认识，切实增强文明城市创建责任感和紧迫感")]
    assert outline[1].paragraphs == ("文明，是一座城市的底色。",)


def test_title_span_and_numbers() -> None:
    assert title_span("统一思想，提高站位") == ("统一思想，提高站位", 9)
    assert title_span("：") is None
    assert title_span("二、三等奖") is None
    assert cn_number("十二") == 12 and cn_number("二十") == 20 and cn_number("三") == 3


def test_no_headings_at_all() -> None:
    outline = parse_outline("同志们：\n今天我们隆重召开表彰大会。\n这块金牌来之不易。", "speech")
    assert len(outline) == 1
    assert outline[0].role == "opening" and outline[0].paragraphs[1] == "今天我们隆重召开表彰大会。"
    assert parse_outline("", "speech") == ()


def test_closing_call_to_action_gets_its_own_section() -> None:
    body = (
        "一、加强组织领导\n各级党委要履行主体责任。\n"
        "同志们，创建工作责任重大、使命光荣。我们要以更加饱满的热情投入创建工作！\n谢谢大家！"
    )
    outline = parse_outline(body, "speech")
    assert [(node.heading, node.role) for node in outline] == [("加强组织领导", "safeguards"), ("", "closing")]
    assert outline[1].paragraphs[-1] == "谢谢大家！"
    assert outline[0].paragraphs == ("各级党委要履行主体责任。",)


def test_to_dict_is_json_ready_and_nodes_are_frozen() -> None:
    outline = parse_outline(SPEECH, "speech")
    data = [node.to_dict() for node in outline]
    assert set(data[1]) == {"level", "marker", "heading", "role", "paragraphs", "children"}
    assert data[2]["children"][0]["children"][0]["marker"] == "一是"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    with pytest.raises(dataclasses.FrozenInstanceError):
        outline[0].role = "tasks"  # type: ignore[misc]


def test_flatten_gives_preorder_with_heading_paths() -> None:
    outline = parse_outline(SPEECH, "speech")
    flat = flatten(outline)
    assert flat[0][1] == ("",)
    point = next(path for node, path in flat if node.marker == "二是")
    assert point == ("聚焦重点，扎实推进文明城市创建各项任务", "深化思想道德建设", "弘扬社会主义核心价值观")
    assert len(flat) == sum(1 for _ in flat) == 13
