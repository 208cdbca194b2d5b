"""Outline parser on hand-written fixtures: one per structure a writer meets in past speeches and reports."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app.structure import SectionNode, flatten, parse_outline
from app.structure.headings import cn_number, run_in_split, title_span, yao_length
from app.structure.lines import is_toc_line, join_page_markers, prepare_lines


def headings(outline: tuple[SectionNode, ...]) -> list[tuple[int, str, str]]:
    """(level, marker, heading) of every headed node, pre-order."""
    return [(node.level, node.marker, node.heading) for node, _ in flatten(outline) if node.heading]


def by_heading(outline: tuple[SectionNode, ...], text: str) -> SectionNode:
    return next(node for node, _ in flatten(outline) if node.heading == text)


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


REPORT = """3月15日，市文明委全委会暨争创全国文明典范城市工作会议召开，总结去年全市创城工作，安排部署今年重点任务。
市委书记胡玉亭主持会议并讲话。市长陈绍旺出席。市委常委、宣传部部长郭铁钧通报有关情况。
会议指出
今年是全国文明城市创建周期的收官之年。全市上下要提高政治站位，强化使命担当。
会议强调
在硬件建设上，市城管局等部门要担起责任、干出实绩。
■ 要加快补齐短板弱项，深入实施城市更新行动，持续提升城市功能品质和美誉度。
■ 要加强日常管护。强化执法检查，及时发现问题，现场解决问题。
胡玉亭要求
要层层压实责任、做到知责尽责。
■ 要高效协同。各级党委要切实承担起主体责任。
■ 要全民参与。引导广大市民从自己做起、从身边的小事做起。
市委常委，市直有关单位负责同志等参加。
会议以电视电话会议形式召开，各区市县设分会场。"""


def test_report_sub_heads_and_bullets() -> None:
    outline = parse_outline(REPORT, "report")
    assert headings(outline) == [
        (1, "", "会议指出"),
        (1, "", "会议强调"),
        (2, "■", "要加快补齐短板弱项，深入实施城市更新行动，持续提升城市功能品质和美誉度"),
        (2, "■", "要加强日常管护"),
        (1, "", "胡玉亭要求"),
        (2, "■", "要高效协同"),
        (2, "■", "要全民参与"),
    ]


def test_report_roles_and_headingless_parts() -> None:
    outline = parse_outline(REPORT, "report")
    roles = [(node.heading, node.role) for node in outline]
    assert roles == [
        ("", "lead"),
        ("", "attendance"),
        ("会议指出", "remarks"),
        ("会议强调", "requirements"),
        ("胡玉亭要求", "requirements"),
        ("", "participants"),
        ("", "other"),
    ]
    assert all(child.role == "requirements" for child in outline[3].children)
    assert outline[5].paragraphs == ("市委常委，市直有关单位负责同志等参加。",)
    assert outline[4].children[-1].paragraphs == ("引导广大市民从自己做起、从身边的小事做起。",)


PAIRED = """2月25日，滨湖区召开争创全国文明典范城市推进大会，总结工作、分析形势、部署任务。
区委书记孙海东强调，全区上下要以更加饱满的热情、更加扎实的作风，合力推动创建工作向纵深发展。
区委副书记、区长李平主持会议。区人大常委会主任赵虹路出席会议。
孙海东指出，文明典范城市是全国文明城市“桂冠上的明珠”，创建标准更高、荣誉含金量更足。
他说，过去一年，全区上下坚持把文明城市创建作为一项基础性工程抓紧抓实，各项工作取得阶段性成效。
李平在主持会议时指出，争创工作要求严、标尺高、难度大。各板块各有关部门要——
统一思想、迅速行动，坚决把思想和行动统一到区委区政府的决策部署上来。
突出重点、内外兼修，深入把握“文明典范”的标准内涵，全面提升市民文明素质。
高位统筹、合力推进，主要领导要主动挂帅、靠前指挥，层层传导压力。
会上，相关单位领取了《创建工作任务书》。
区各有关部门、单位主要负责同志参加会议。"""


def test_paired_run_in_headings_in_a_report() -> None:
    outline = parse_outline(PAIRED, "report")
    assert headings(outline) == [
        (2, "", "统一思想、迅速行动"),
        (2, "", "突出重点、内外兼修"),
        (2, "", "高位统筹、合力推进"),
    ]
    assert [node.role for node in outline] == [
        "lead",
        "requirements",
        "attendance",
        "remarks",
        "requirements",
        "other",
        "participants",
    ]
    remarks = outline[3]
    assert len(remarks.paragraphs) == 2  # 他说 continues 孙海东's remarks
    demands = outline[4]
    assert demands.paragraphs[0].startswith("李平在主持会议时指出")  # a new speaker, a new part
    assert demands.children[0].heading == "统一思想、迅速行动"
    assert demands.children[0].paragraphs == ("坚决把思想和行动统一到区委区政府的决策部署上来。",)


def test_a_single_paired_opening_is_body_text() -> None:
    body = "一、提高认识\n坚持党建引领、强化统筹协调，推动各项工作落地见效。这是做好工作的根本保证。"
    assert headings(parse_outline(body, "speech")) == [(1, "一、", "提高认识")]


def test_report_inline_verbs_are_not_sub_heads() -> None:
    body = (
        "会议指出，创建全国文明城市是提高城市治理能力的重要抓手。\n会议强调，要把握要点，推动文明实践工作提升新水平。"
    )
    outline = parse_outline(body, "report")
    assert headings(outline) == []
    assert [node.role for node in outline] == ["lead", "requirements"]


def test_quotation_lead_in_is_not_a_sub_head_in_a_speech() -> None:
    body = (
        "一、深刻认识重要意义\n习近平总书记强调\n“人民有信仰，国家有力量，民族有希望。”我们要深刻领会。\n"
        "二、扎实推进重点工作\n要抓好落实。"
    )
    assert [h[2] for h in headings(parse_outline(body, "speech"))] == ["深刻认识重要意义", "扎实推进重点工作"]


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


PAGED = (
    "1、在精神文明建设工作会上的讲话同志们：刚刚，市文明办汇报了全市精神文明建设工作情况，安排部署了今年的工作。"
    "过去的一年，全市精神文明战线认真学习贯彻党的创新理论，全面落实各项决策部署，围\n"
    "2、绕中心、服务大局，积极履职、主动作为，各项工作取得了新的成绩，对全市事业发展起到了应有的推动和保障作用。"
    "今年要坚持稳中求进，坚持守正创新。重点抓好两个方面的工作：一、要持续深化理论武装\n"
    "3、工作要继续按照学懂弄通做实的要求，抓实抓好党员干部的理论武装，推动学习宣传贯彻走深走实走心，"
    "把全市人民凝聚在新时代的思想旗帜下。二、要切实加强党对精神文明建设的领导，进一步完善工作机制。第1页共3页"
)


def test_page_markers_are_glued_not_headings() -> None:
    lines = prepare_lines(PAGED)
    assert len(lines) == 1 and "围绕中心" in lines[0] and "第1页" not in lines[0]
    outline = parse_outline(PAGED, "speech")
    assert [(h[0], h[1]) for h in headings(outline)] == [(1, "一、"), (1, "二、")]
    assert outline[0].paragraphs[0].startswith("在精神文明建设工作会上的讲话同志们：")


def test_real_numbered_items_after_a_finished_sentence_are_kept() -> None:
    lines = ["各级要抓好以下工作。", "2、" + "加强督查考核，" * 20 + "确保落实。"]
    assert join_page_markers(lines) == lines


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


def test_heading_ends_at_a_collapsed_paragraph_break() -> None:
    body = (
        "下面，我再强调三点意见： 一、提高站位、深化认识，切实增强文明城市创建责任感和紧迫感 文明，是一座城市的底色。"
    )
    outline = parse_outline(body, "speech")
    assert headings(outline) == [(1, "一、", "提高站位、深化认识，切实增强文明城市创建责任感和紧迫感")]
    assert outline[1].paragraphs == ("文明，是一座城市的底色。",)


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


def test_courtesies_after_sequence_words_are_not_points() -> None:
    body = "首先，感谢大家百忙之中参加今天的会议。\n其次，我们要统一思想。最后，祝大家工作顺利。"
    assert headings(parse_outline(body, "speech")) == []


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


def test_numeral_list_split_onto_its_own_line_is_still_not_a_section() -> None:
    body = "一、推动经济发展\n一产稳定增长。\n二、三产业发展迅速，结构持续优化。\n二、加强文明创建\n要常抓不懈。"
    assert [h[2] for h in headings(parse_outline(body, "speech"))] == ["推动经济发展", "加强文明创建"]


def test_closing_call_to_action_gets_its_own_section() -> None:
    body = (
        "一、加强组织领导\n各级党委要履行主体责任。\n"
        "同志们，创建工作责任重大、使命光荣。我们要以更加饱满的热情投入创建工作！\n谢谢大家！"
    )
    outline = parse_outline(body, "speech")
    assert [(node.heading, node.role) for node in outline] == [("加强组织领导", "safeguards"), ("", "closing")]
    assert outline[1].paragraphs[-1] == "谢谢大家！"
    assert outline[0].paragraphs == ("各级党委要履行主体责任。",)


def test_attachment_list_of_a_notice_is_not_an_outline() -> None:
    body = "请各单位认真组织实施。\n附件：1.测评实地考察点位清单\n2.问题整改销号表\n云岭市文明办"
    outline = parse_outline(body, "other")
    headings = [node.heading for node, _ in flatten(outline) if node.heading]
    assert headings == []
    assert any("2.问题整改销号表" in p for node in outline for p in node.paragraphs)
