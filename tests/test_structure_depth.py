"""Outline levels follow nesting depth (``（1）`` under ``1.`` under ``一、`` is level 3), and markers are reported
as printed in the document's own script (``最後``, ``第一點``) while headings stay simplified. Invented fixtures."""

from __future__ import annotations

import pytest

from app.ingest.pipeline import prepare
from app.ingest.read.formats import read_bytes
from app.structure import parse_outline
from app.text.normalise import to_simplified
from tests.helpers.structure import headings

P = "各单位要按照时间节点抓好落实，确保各项任务落地见效。"


@pytest.mark.parametrize(("dot", "paren"), [("1.", "（1）"), ("1、", "(1)"), ("1．", "（1）")])
def test_bracketed_numbers_under_plain_numbers_under_l1(dot: str, paren: str) -> None:
    two = dot.replace("1", "2")
    paren2 = paren.replace("1", "2")
    body = "\n".join(
        [
            "一、重点任务",
            f"{dot}深化思想道德建设。",
            f"{paren}加强理论武装。{P}",
            f"{paren2}选树先进典型。{P}",
            f"{two}提升城市管理水平。",
            f"{paren}整治市容环境。{P}",
            "二、组织保障",
            f"{dot}加强组织领导。{P}",
        ]
    )
    got = [(level, text) for level, _, text in headings(parse_outline(body, "other"))]
    assert got == [
        (1, "重点任务"),
        (2, "深化思想道德建设"),
        (3, "加强理论武装"),
        (3, "选树先进典型"),
        (2, "提升城市管理水平"),
        (3, "整治市容环境"),
        (1, "组织保障"),
        (2, "加强组织领导"),
    ]


def test_plain_numbers_under_bracketed_numbers_nest_the_other_way() -> None:
    body = "\n".join(
        [
            "一、工作措施",
            f"（1）完善阵地体系。{P}",
            f"1.建好实践站。{P}",
            f"2.用好实践所。{P}",
            f"（2）打造服务品牌。{P}",
        ]
    )
    got = [(level, marker) for level, marker, _ in headings(parse_outline(body, "other"))]
    assert got == [(1, "一、"), (2, "（1）"), (3, "1."), (3, "2."), (2, "（2）")]


def test_numbers_under_l2_stay_at_level_three() -> None:
    body = "\n".join(
        [
            "一、主要任务",
            f"（一）抓好思想教育。{P}",
            f"1.开展理论宣讲。{P}",
            f"（1）进社区宣讲。{P}",
            f"2.开展道德评议。{P}",
        ]
    )
    got = [(level, marker) for level, marker, _ in headings(parse_outline(body, "other"))]
    assert got == [(1, "一、"), (2, "（一）"), (3, "1."), (3, "（1）"), (3, "2.")]


def test_a_new_l1_resets_the_arabic_nesting() -> None:
    body = "\n".join(
        ["一、总体要求", f"（1）坚持问题导向。{P}", "二、重点任务", f"1.抓好整改。{P}", f"（1）建立台账。{P}"]
    )
    got = [(level, marker) for level, marker, _ in headings(parse_outline(body, "other"))]
    assert got == [(1, "一、"), (2, "（1）"), (1, "二、"), (2, "1."), (3, "（1）")]


# --- markers as printed -----------------------------------------------------------------------------------

TRAD = """一、深化思想道德建設，築牢城市文明根基
首先，要抓好理論武裝。把學習宣傳黨的創新理論作為首要政治任務。其次，要抓好道德實踐。深入開展道德模範評選表彰。最後，要抓好未成年人思想道德建設。學校、家庭、社會要形成合力。
二、深化文明城市創建，提升城市治理水平
第一點，要堅持常態長效。把測評標準融入城市日常管理。第二點，要堅持以民為本。每年辦好一批民生實事。"""


def test_markers_are_reported_in_the_printed_script() -> None:
    outline = parse_outline(to_simplified(TRAD), "speech", printed=TRAD)
    got = headings(outline)
    assert [marker for _, marker, _ in got] == ["一、", "首先", "其次", "最後", "二、", "第一點", "第二點"]
    assert got[3][2] == "要抓好未成年人思想道德建设"  # the heading stays simplified
    assert [marker for _, marker, _ in headings(parse_outline(to_simplified(TRAD), "speech"))][3] == "最后"


def test_simplified_text_keeps_its_markers() -> None:
    simp = to_simplified(TRAD)
    assert headings(parse_outline(simp, "speech", printed=simp)) == headings(parse_outline(simp, "speech"))


def test_traditional_speech_through_the_pipeline() -> None:
    raw = (
        "在全市精神文明建設工作會議上的講話\n同志們：\n今天，我們召開全市精神文明建設工作會議，主要任務是總結工作、"
        "部署任務。下面，我講兩點意見。\n" + TRAD
    )
    doc = prepare(read_bytes(raw.encode("utf-8"), "speech.txt"))
    markers = [s.marker for s in doc.sections if s.heading]
    assert "最後" in markers and "第一點" in markers
    assert all(s.heading == to_simplified(s.heading) for s in doc.sections)


def test_numbers_with_nothing_above_them_are_level_one() -> None:
    body = "\n".join(
        [
            "全体市民朋友们：",
            "文明是城市的名片。为此，我们发出如下倡议：",
            f"1、做文明理念的传播者。{P}",
            f"（1）带头学习宣传。{P}",
            f"（2）带头移风易俗。{P}",
            f"2、做文明交通的践行者。{P}",
        ]
    )
    got = [(level, text) for level, _, text in headings(parse_outline(body, "other"))]
    assert got == [(1, "做文明理念的传播者"), (2, "带头学习宣传"), (2, "带头移风易俗"), (1, "做文明交通的践行者")]
