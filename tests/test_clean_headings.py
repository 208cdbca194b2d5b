"""Tests for the cleaner around headings: a numbered heading cut mid-phrase by a line break (a scan's or an
export's wrap in a document that is not wrapped throughout) is joined back, a stray scanner space inside a
heading goes, and nothing else is glued to a heading — not its body, a sub-head, a date or a sign-off."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import clean_text
from app.ingest.pipeline import prepare
from app.ingest.read.formats import RawDoc
from app.structure import flatten
from tests.helpers.clean import lines

TITLE = "在全市文明交通志愿服务工作会议上的讲话"
OPENING = "今天召开这次会议，主要任务是总结去年全市文明交通志愿服务工作，安排部署今年重点任务。"
BODY_1 = "各区要把文明交通劝导岗设在事故多发路口，做到早晚高峰有人值守，引导市民自觉遵守交通规则。"
BODY_2 = "各部门要加强协调配合，公安交管、城管、教育等部门要各司其职，形成齐抓共管的工作合力。"


def _headings(text: str) -> list[tuple[str, str]]:
    doc = prepare(RawDoc(text=text, fmt="txt", encoding="utf-8", filename="speech.txt"))
    return [(node.marker, node.heading) for node, _ in flatten(doc.outline) if node.heading]


@pytest.mark.parametrize(
    ("head", "piece"),
    [
        ("一、坚持问题导向，推动文明交通劝导工作提", "质增效"),
        ("（二）聚焦重点路段，着力破解非机动车乱停乱", "放难题"),
        ("三、压实属地责任，形成全市上下齐抓共管的工作", "格局"),
        ("2.完善志愿者招募培训和激励回馈的长效", "机制"),
    ],
)
@pytest.mark.parametrize("after", ["next_heading", "body"])
def test_heading_cut_mid_phrase_is_joined(head: str, piece: str, after: str) -> None:
    follow = "（三）强化宣传引导" if after == "next_heading" else BODY_1
    out = lines(clean_text("\n".join([TITLE, OPENING, head, piece, follow, BODY_2])))
    assert head + piece in out
    assert out[out.index(head + piece) + 1] == follow


def test_joined_heading_is_one_heading_in_the_outline() -> None:
    cut = ["一、坚持问题导向，推动文明交通劝导工作提", "质增效"]
    text = "\n".join([TITLE, OPENING, *cut, BODY_1, "二、强化宣传引导", BODY_2])
    assert _headings(text) == [("一、", "坚持问题导向，推动文明交通劝导工作提质增效"), ("二、", "强化宣传引导")]


@pytest.mark.parametrize(
    "lines_after",
    [
        ["一、总体要求", BODY_1],  # a short heading over its body
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", BODY_1],  # a whole heading over its body
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", "会议强调", BODY_1],  # a sub-head
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", "2024年6月", BODY_1],  # a date
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", "（略）", BODY_1],  # brackets
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", "市文明办", "市交警支队"],  # short lines, no paragraph
        ["一、坚持问题导向，推动文明交通劝导工作提质增效。", "强化宣传", BODY_1],  # the heading ended a sentence
        ["一、坚持问题导向，推动文明交通劝导工作提质增效", "二、强化宣传引导", BODY_1],  # the next heading
    ],
)
def test_nothing_else_is_glued_to_a_heading(lines_after: list[str]) -> None:
    out = lines(clean_text("\n".join([TITLE, OPENING, *lines_after])))
    assert out[2 : 2 + len(lines_after)] == lines_after


def test_stray_space_inside_a_clause_heading_goes_but_a_phrase_stack_keeps_its_spaces() -> None:
    spaced = "二、坚持问题导向，推动文明交通劝导工作提 质增效"
    text = "\n".join([TITLE, OPENING, spaced, BODY_1, "抓常态 抓长效 抓提升", BODY_2])
    out = lines(clean_text(text))
    assert "二、坚持问题导向，推动文明交通劝导工作提质增效" in out
    assert "抓常态 抓长效 抓提升" in out
