"""Outline parser on the less common marks: ``◎`` bullets under a report's sub-heads (the cleaner's
heading-line check must agree, so no bullet line is glued to the one above), the ``○`` that is the zero of a
year and never a bullet, and a stray space near a heading's end that is no collapsed paragraph break."""

from __future__ import annotations

import pytest

from app.ingest.clean.common import is_heading
from app.ingest.clean.document import clean_text
from app.structure import parse_outline
from app.structure.headings import title_span
from app.structure.markers import BULLET_RE
from tests.helpers.structure import headings

REPORT = """5月9日，枫林县召开文明乡风建设推进会，总结去年工作，部署今年任务。县委书记主持会议并讲话。
会议强调
◎要堅持移風易俗。推動村規民約修訂完善，治理高價彩禮、大操大辦等陳規陋習。
◎ 要坚持典型引领。广泛开展“最美家庭”“好媳妇好婆婆”评选，用身边事教育身边人。
◎要坚持群众主体
县直有关单位、各乡镇主要负责同志参加会议。"""


def test_double_circle_bullets_are_report_points() -> None:
    assert headings(parse_outline(REPORT, "report")) == [
        (1, "", "会议强调"),
        (2, "◎", "要堅持移風易俗"),
        (2, "◎", "要坚持典型引领"),
        (2, "◎", "要坚持群众主体"),
    ]


def test_cleaner_and_parser_agree_on_double_circle_lines() -> None:
    for line in ("◎要坚持移风易俗。", "◎ 要坚持典型引领"):
        assert is_heading(line) and BULLET_RE.match(line)
    # a wrapped line above a bullet is never glued to it
    wrapped = "\n".join(
        [
            "标题",
            "会议强调，各乡镇要把移风易俗纳入村规民约，建立健全红白理事会，引导群",
            "众破除陈规陋习、树立文明新风，对大操大办、铺张浪费等行为要及时劝导制",
            "止；要发挥党员干部带头作用，带动广大群众自觉抵制高价彩礼、人情攀比等",
            "不良风气，让文明新风真正吹进千家万户，成为群众日常生活的自觉行动和习",
            "◎要坚持移风易俗。推动村规民约修订完善。",
        ]
    )
    assert clean_text(wrapped).text.split("\n")[-1] == "◎要坚持移风易俗。推动村规民约修订完善。"


@pytest.mark.parametrize("line", ["○要坚持移风易俗", "二○二四年五月九日"])
def test_small_circle_is_no_bullet(line: str) -> None:
    assert not BULLET_RE.match(line) and not is_heading(line)


def test_stray_space_before_a_heading_end_is_no_paragraph_break() -> None:
    outline = parse_outline("二、坚持问题导向，推动文明乡风建设提 质增效\n各乡镇要对照标准逐项整改。", "speech")
    assert headings(outline) == [(1, "二、", "坚持问题导向，推动文明乡风建设提 质增效")]
    assert title_span("推动工作走深走 实")[0] == "推动工作走深走 实"
    # a real paragraph after the space still starts a paragraph
    assert title_span("切实增强责任感和紧迫感 文明，是一座城市的底色。")[0] == "切实增强责任感和紧迫感"


DASH_REPORT = """6月3日，枫林县召开理论宣讲工作推进会。县委常委、宣传部部长出席并讲话。
会议强调
——要让宣讲“接地气”。用群众听得懂的语言讲清道理，把课堂搬到田间地头。
——要让宣讲“有温度”。多讲身边人身边事，让理论可感可知。
各乡镇宣传委员参加会议。"""


def test_dash_points_in_a_series_are_report_points() -> None:
    assert headings(parse_outline(DASH_REPORT, "report")) == [
        (1, "", "会议强调"),
        (2, "——", "要让宣讲“接地气”"),
        (2, "——", "要让宣讲“有温度”"),
    ]


def test_a_lone_dash_line_is_an_attribution_not_a_point() -> None:
    speech = "同志们：\n“幸福都是奋斗出来的。”\n——引自新年贺词\n我们要以奋斗姿态推进文明创建，不断取得新成效。"
    assert headings(parse_outline(speech, "speech")) == []
