"""The leave-one-out reconstruction metrics (benchmarks/draft_metrics.py) on tiny hand-made inputs."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.draft_metrics import (
    DraftView,
    HumanSection,
    build_request,
    dice,
    formulation_recall,
    formulation_targets,
    heading_overlap,
    is_fold,
    meeting_from_title,
    normalise,
    request_topics,
    role_recall,
    score_fold,
    subject_precision,
    topic_from_heading,
)

HUMAN = [
    HumanSection(1, "提高政治站位，深刻认识志愿服务的重大意义", "significance", "志愿服务是文明城市的重要标志。"),
    HumanSection(1, "聚焦重点任务，全力抓好城市治理", "tasks", "整治占道经营、车辆乱停，推进老旧小区改造。"),
    HumanSection(1, "加强组织领导，提供坚强保障", "safeguards", "压实责任，严格督查考核，严肃问责。"),
]


def _section(level: int, heading: str, role: str, sentences: list[str], **extra: Any) -> dict[str, Any]:
    paragraph = {"sentences": [{"text": s} for s in sentences]} if sentences else None
    return {"level": level, "heading": heading, "role": role, "paragraph": paragraph, "suggestions": [],
            "alternatives": [], "children": [], **extra}  # fmt: skip


def test_normalise_and_dice() -> None:
    assert normalise("“文明”城市 建設") == "文明城市建设"
    assert dice("文明城市", "文明城市") == 1.0
    assert dice("文明城市", "城市文明") == pytest.approx(2 * 2 / 6)  # {文明, 城市} shared of 3 + 3 bigrams
    assert dice("文明城市", "") == 0.0


def test_role_recall_is_a_multiset_share() -> None:
    assert role_recall(["significance", "tasks", "tasks"], ["tasks", "safeguards", "review"]) == pytest.approx(1 / 3)
    assert role_recall(["tasks", "tasks"], ["tasks", "tasks", "tasks"]) == 1.0
    assert role_recall([], ["tasks"]) is None


def test_heading_overlap_takes_the_best_draft_heading() -> None:
    assert heading_overlap(["文明城市", "志愿服务"], ["城市文明", "志愿服务"]) == pytest.approx((2 / 3 + 1) / 2)
    assert heading_overlap(["文明城市"], []) == 0.0
    assert heading_overlap([], ["文明城市"]) is None


def test_formulation_targets_and_recall() -> None:
    entries = [
        {"kind": "formulation", "template": "我讲{数字}点意见", "doc_frequency": 3},
        {"kind": "idiom", "template": "落到实处", "doc_frequency": 2},
        {"kind": "idiom", "template": "齐抓共管", "doc_frequency": 1},  # one other document: not distinctive
        {"kind": "heading", "template": "加强组织领导", "doc_frequency": 5},  # not a formulation kind
        {"kind": "formula", "template": "两个维护", "doc_frequency": 4},  # not in the human's text
    ]
    human = "下面，我讲三点意见。要齐抓共管，把各项任务落到实处，加强组织领导。"
    targets = formulation_targets(entries, human)
    assert targets == ["我讲{数字}点意见", "落到实处"]
    assert formulation_recall(targets, "我讲四点意见。") == 0.5
    assert formulation_recall(targets, "我讲\n四点意见") == 0.0  # a slot never spans two lines
    assert formulation_recall([], "anything") is None


def test_draft_view_reads_paragraphs_or_old_suggestions() -> None:
    new = {"title": "T", "sections": [_section(1, "一", "tasks", ["甲。", "乙。"])]}
    assert DraftView.of(new).paragraphs
    assert DraftView.of(new).own_sentences(new["sections"][0]) == ["甲。", "乙。"]
    old_section = _section(1, "一", "tasks", [], paragraph=None)
    old_section["suggestions"] = [
        {"kind": "placeholder", "text": "【待补：数据】"},
        {"kind": "passage", "text": "第一句。第二句！"},
        {"kind": "idiom", "text": "落到实处"},
    ]
    old_section.pop("paragraph")  # old drafts have no paragraph field at all
    view = DraftView.of({"title": "T", "sections": [old_section]})
    assert not view.paragraphs
    assert view.own_sentences(old_section) == ["第一句。", "第二句！", "落到实处"]
    assert "【待补：数据】" in view.all_text() and "【待补：数据】" not in view.body_text()


def test_subject_precision_maps_by_heading_then_role() -> None:
    draft = {
        "title": "T",
        "sections": [
            # mapped by heading overlap to the tasks section: one sentence on its subject, one on another's
            _section(
                1, "聚焦重点任务，抓好城市治理", "tasks", ["整治占道经营和车辆乱停。", "严格督查考核，严肃问责。"]
            ),
            # no heading overlap: mapped by role to the safeguards section; 【…】 removed, then too short
            _section(1, "强化担当狠抓落实", "safeguards", ["压实责任，严格督查。", "【待补：责任单位】。"]),
            # no overlap, no such human role: its sentence counts as a miss
            _section(1, "肯定成绩坚定信心", "review", ["志愿服务是重要标志。"]),
        ],
    }
    precision, counted = subject_precision(DraftView.of(draft), HUMAN, 1)
    assert counted == 4
    assert precision == pytest.approx(2 / 4)
    assert subject_precision(DraftView.of(draft), HUMAN, 2) == (None, 0)


def test_score_fold_combines_the_metrics() -> None:
    gold = {"headings": [{"level": 1, "text": h.heading} for h in HUMAN]}
    draft = {"title": "T", "sections": [_section(1, h.heading, h.role, [h.body]) for h in HUMAN]}
    scores = score_fold(draft, gold, HUMAN, ["严肃问责"])
    assert scores["roles_l1"] == scores["heading_l1"] == scores["subject_l1"] == scores["recall_body"] == 1.0
    assert scores["mode"] == "paragraphs" and scores["roles_l2"] is None and scores["subject_l2"] is None


def test_meeting_speaker_and_place_from_the_title() -> None:
    assert meeting_from_title("在全市精神文明建设工作推进会上的讲话") == ("全市精神文明建设工作推进会", "", "")
    assert meeting_from_title("县委书记在琅屿市2024年新时代文明实践工作推进会上的讲话") == (
        "琅屿市新时代文明实践工作推进会",
        "县委书记",
        "琅屿市",
    )
    assert meeting_from_title("在全縣鞏固全國文明城市創建成果大會上的講話")[0] == "全县巩固全国文明城市创建成果大会"


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("在思想引领上求突破", "思想引领"),
        ("坚持共建共享，广泛凝聚全民参与的强大合力", "全民参与"),
        ("抓好环境卫生整治", "环境卫生整治"),
        ("持续深化志愿服务", "志愿服务"),
        ("要持续深化“好人之城”建设", "好人之城建设"),
    ],
)
def test_topic_from_heading(heading: str, topic: str) -> None:
    assert topic_from_heading(heading) == topic


def test_request_topics_prefer_the_tasks_part_points() -> None:
    sections = [HumanSection(1, "提高站位", "significance", ""), HumanSection(1, "聚焦重点任务", "tasks", "")]
    gold = {
        "kind": "speech",
        "title": "在2024年全市创建文明城市推进会上的讲话",
        "date": "2024",
        "headings": [
            {"level": 1, "text": "提高站位"},
            {"level": 3, "text": "一要看到差距"},
            {"level": 1, "text": "聚焦重点任务"},
            {"level": 3, "text": "在城市治理上求突破"},
            {"level": 3, "text": "在文明实践上求突破"},
        ],
    }
    assert request_topics(gold, sections) == ["城市治理", "文明实践"]
    request = build_request(gold, sections)
    assert request == {
        "doc_type": "speech",
        "meeting": "全市创建文明城市推进会",
        "parts": 2,
        "topics": ["城市治理", "文明实践"],
        "date": "2024-01-01",
    }
    assert is_fold(gold)
    assert not is_fold({**gold, "kind": "report"})
    assert not is_fold({**gold, "headings": gold["headings"][:2]})
