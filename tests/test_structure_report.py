"""Outline parser on news reports: sub-head lines (``会议强调``), ``■`` bullets, paired openings
(``统一思想、迅速行动，``) and the headingless lead/attendance/participants parts."""

from __future__ import annotations

from app.structure import parse_outline
from tests.helpers.structure import headings

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
