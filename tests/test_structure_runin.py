"""Outline parser: headings run into their paragraph (``一、要…要继续…``), short ``要…。`` points, and the
sub-points ``一是`` / ``第一，`` / ``首先，`` — with the sentences that only look like them."""

from __future__ import annotations

from app.structure import parse_outline
from app.structure.headings import run_in_split, yao_length
from tests.helpers.structure import headings

RUN_IN = (
    "同志们：过去的一年，全市精神文明建设取得了新的成绩。重点抓好三个方面的工作："
    "一、要持续深化理论武装工作的学习宣传贯彻要继续按照学懂弄通做实的要求，抓实抓好党员干部的理论学习，"
    "推动学习宣传走深走实。"
    "二、要围绕培育时代新人深入推进道德建设要落实两个纲要。切实抓好公民道德建设实施纲要的学习宣传贯彻，"
    "推进社会公德、职业道德、家庭美德、个人品德建设。要深化诚信之城建设。推进诚信建设制度化，"
    "开展诚信缺失突出问题专项治理。"
    "三、要切实加强党对精神文明建设的领导要落实责任。市文明委要切实履行好主体责任。要凝聚合力。"
    "各成员单位要立足实际，把精神文明建设同业务工作紧密结合起来。"
)


def test_run_in_headings_and_inline_markers_split_one_long_paragraph() -> None:
    outline = parse_outline(RUN_IN, "speech")
    assert headings(outline) == [
        (1, "一、", "要持续深化理论武装工作的学习宣传贯彻"),
        (1, "二、", "要围绕培育时代新人深入推进道德建设"),
        (3, "", "要落实两个纲要"),
        (3, "", "要深化诚信之城建设"),
        (1, "三、", "要切实加强党对精神文明建设的领导"),
        (3, "", "要落实责任"),
        (3, "", "要凝聚合力"),
    ]
    assert outline[0].paragraphs[0].endswith("重点抓好三个方面的工作：")
    assert outline[1].paragraphs[0].startswith("要继续按照学懂弄通做实的要求，")
    assert outline[2].children[0].paragraphs[0].endswith("个人品德建设。")  # the 、 list did not split
    assert outline[3].role == "safeguards"
    assert [child.role for child in outline[3].children] == ["safeguards", "safeguards"]


def test_lone_short_yao_sentence_is_body_text() -> None:
    body = "一、加强组织领导\n要高度重视。各级党委要把这项工作摆上重要议事日程，定期研究解决重大问题。"
    outline = parse_outline(body, "speech")
    assert headings(outline) == [(1, "一、", "加强组织领导")]
    assert outline[0].paragraphs == ("要高度重视。各级党委要把这项工作摆上重要议事日程，定期研究解决重大问题。",)


def test_run_in_split_points() -> None:
    text = (
        "要持续深化习近平新时代中国特色社会主义思想和党的十九届五中全会精神的学习宣传贯彻"
        "要继续按照学懂弄通做实的要求，抓实"
    )
    assert text[run_in_split(text) :].startswith("要继续按照")
    assert run_in_split("各级各部门各单位要进一步提高认识。") == 0
    assert run_in_split("以治理现代化为突破口，全力攻克…") == 0
    assert yao_length("要落实两个纲要。切实抓好") == 7
    assert yao_length("要实行文明委成员单位述职制度，确保…。") == 0
    assert yao_length("要求各级党委高度重视。") == 0


SUB_POINTS = """一、坚定信心、保持定力，锲而不舍把创建全国文明城市进行到底
之所以有这样的信心，是基于对创建工作形势的总体判断，概括起来就是三句话。
第一句话：我们取得的成效十分明显。三年来，我们苦干实干，全国排名持续前移。
第二句话：我们面临的形势依然严峻。周边城市你追我赶，不进则退。
二、统一思想，提高站位
精神文明是社会进步的灵魂。第一，加强精神文明建设，是筑牢执政根基的必然要求。人心是最大的政治。第二，加强精神文明建设，是推动高质量发展的内在要求。发展离不开精神力量。
三、突出重点，全面推进
首先，创文明城市要有广泛的社会参与。每一个市民都应该成为文明城市的建设者。
其次，创文明城市要有全方位的环境保护。环境是我们的资源。
最后，创文明城市要有长效的管理机制。常态长效是关键。"""


def test_ordinal_and_sequence_sub_points_are_level_three() -> None:
    assert headings(parse_outline(SUB_POINTS, "speech"))[1:3] == [
        (3, "第一句话", "我们取得的成效十分明显"),
        (3, "第二句话", "我们面临的形势依然严峻"),
    ]
    assert headings(parse_outline(SUB_POINTS, "speech"))[4:] == [
        (3, "第一", "加强精神文明建设，是筑牢执政根基的必然要求"),
        (3, "第二", "加强精神文明建设，是推动高质量发展的内在要求"),
        (1, "三、", "突出重点，全面推进"),
        (3, "首先", "创文明城市要有广泛的社会参与"),
        (3, "其次", "创文明城市要有全方位的环境保护"),
        (3, "最后", "创文明城市要有长效的管理机制"),
    ]


def test_greetings_and_stray_sequence_words_are_not_headings() -> None:
    body = (
        "亲爱的各位市民、各位领导：\n"
        "首先，我代表市委、市政府，向大家表示最热烈的欢迎和衷心的感谢！\n"
        "我们要充分认识创建工作的深远意义。首先，创建需要全民参与，然后才能见到成效。\n"
        "其次一点不需要多说。最后，讲一点意见。"
    )
    assert headings(parse_outline(body, "speech")) == []


def test_courtesies_after_sequence_words_are_not_points() -> None:
    body = "首先，感谢大家百忙之中参加今天的会议。\n其次，我们要统一思想。最后，祝大家工作顺利。"
    assert headings(parse_outline(body, "speech")) == []


def test_ordinal_series_must_start_at_one() -> None:
    body = "一、认清形势\n我们取得了一定成绩。第二，要看到差距。这是我们必须正视的问题。"
    assert headings(parse_outline(body, "speech")) == [(1, "一、", "认清形势")]


def test_inline_enumeration_inside_one_sentence_is_not_split() -> None:
    body = "一、存在的问题\n主要表现在：一是认识不到位，二是措施不得力，三是机制不健全。这些问题必须认真加以解决。"
    assert headings(parse_outline(body, "speech")) == [(1, "一、", "存在的问题")]


def test_sub_points_separated_by_semicolons() -> None:
    body = (
        "（一）加强道德建设\n重点抓好三项工作：一是开展道德模范评选；二是推进诚信建设；三是深化志愿服务。"
        "各地要抓好落实。"
    )
    assert headings(parse_outline(body, "speech")) == [
        (2, "（一）", "加强道德建设"),
        (3, "一是", "开展道德模范评选"),
        (3, "二是", "推进诚信建设"),
        (3, "三是", "深化志愿服务"),
    ]


def test_a_single_paired_opening_is_body_text() -> None:
    body = "一、提高认识\n坚持党建引领、强化统筹协调，推动各项工作落地见效。这是做好工作的根本保证。"
    assert headings(parse_outline(body, "speech")) == [(1, "一、", "提高认识")]
