"""Meeting-type templates (app/compose/plan/meeting_types.py, phrasebank/meeting_types.json)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from app.compose.headings import check_parallel, fill_slots
from app.compose.plan import meeting_types as mt
from app.compose.request import MEETING_TYPE_NAMES
from app.structure.model import SPEECH_ROLES

THEMES = ("志愿服务", "精神文明建设", "安全生产", "未成年人思想道德建设")
ALLOWED_SLOTS = {"主题", "地方", "会议", "数字"}
BODY_ROLES = {"review", "problems", "significance", "tasks", "safeguards"}
_SLOT = re.compile(r"\{([^{}]*)\}")
# Words a heading must not say twice (加强…加强 reads as a slip), nor two sibling headings share.
WATCHED = (
    "加强", "推进", "推动", "提升", "做好", "抓好", "强化", "深化", "肯定", "信心", "把握", "先进", "榜样", "落实",
    "全面", "切实", "深刻", "扎实", "认识", "问题", "成效", "重点", "责任", "成绩", "经验", "形势", "任务", "意义",
    "要求", "差距", "合力", "保障", "目标", "机制", "典型", "工作", "有力", "着力", "持续", "全力", "准确", "清醒",
)  # fmt: skip

INFERRED = [
    ("全市创建全国文明城市动员大会", "mobilization", "动员"),
    ("全市精神文明建设工作推进会", "progress", "推进"),
    ("全市道德模范表彰大会", "commendation", "表彰"),
    ("2025年度精神文明建设工作总结会", "summary", "总结"),
    ("新时代文明实践工作座谈会", "symposium", "座谈"),
    ("全市未成年人思想道德建设专题部署会", "special", "专题部署"),
    ("全县安全生产工作会议", "progress", ""),
    ("全省精神文明建设工作电视电话会议", "progress", ""),
    ("全市精神文明建设表彰大会暨第八届全国文明城市创建工作推进会议", "commendation", "表彰"),
    ("全市精神文明建设工作会议暨文明城市创建表彰大会", "commendation", "表彰"),  # first segment has no cue
    ("全市2025年度总结表彰暨2026年创建工作动员大会", "commendation", "表彰"),
    ("全市网络文明建设工作推进会暨业务培训会", "progress", "推进"),
    ("全区文明城市创建百日攻坚誓师大会", "mobilization", "誓师"),
    ("全市文明典范城市创建工作动员部署会", "mobilization", "动员部署"),  # not 部署 → special
    ("全市文明城市创建工作调度会", "progress", "调度"),
    ("全市文明城市创建工作现场观摩会", "progress", "观摩"),
    ("全市学雷锋志愿服务先进典型座谈会", "symposium", "座谈"),  # a 座谈会 about models, not a 表彰
    ("全市精神文明建设总结表彰大会", "commendation", "表彰"),  # the kind is named last
    ("全市志愿服务工作经验交流会", "symposium", "交流"),
    ("全市精神文明建设工作经验交流推进会", "progress", "推进"),
    ("全市新时代文明实践中心建设工作研讨会", "symposium", "研讨"),
    ("全市移风易俗工作安排部署会", "special", "安排部署"),
    ("全市第九届道德模范颁奖典礼", "commendation", "颁奖"),
    ("全市文明城市创建年终总结会", "summary", "总结"),
    ("全市文明單位表彰大會", "commendation", "表彰"),  # traditional characters
    ("全市 文明城市创建 推进会", "progress", "推进"),
]


@pytest.mark.parametrize(("meeting", "key", "cue"), INFERRED)
def test_infer_meeting_type_from_realistic_names(meeting: str, key: str, cue: str) -> None:
    assert mt.infer_meeting_type(meeting) == (key, cue)


def test_every_cue_names_its_own_type() -> None:
    # A cue that another type's cue overrides (same end, longer) would never decide: the data would lie.
    for key in mt.speech_type_keys():
        for cue in mt.load_meeting_types()["types"][key]["cues"]:
            assert mt.infer_meeting_type(f"全市精神文明建设工作{cue}会") == (key, cue)


def test_types_match_the_request_schema() -> None:
    data = mt.load_meeting_types()
    assert set(mt.speech_type_keys()) == set(MEETING_TYPE_NAMES)
    for key, name in MEETING_TYPE_NAMES.items():
        assert mt.meeting_type_name(key) == name
    assert mt.meeting_type_name(mt.REPORT_TYPE) == "会议报道"
    assert data["types"][mt.REPORT_TYPE]["doc_type"] == "report"
    assert data["default"] in MEETING_TYPE_NAMES
    assert sorted(data["precedence"]) == sorted(MEETING_TYPE_NAMES)


@pytest.mark.parametrize("key", sorted(MEETING_TYPE_NAMES))
@pytest.mark.parametrize("parts", range(2, 7))
def test_every_type_and_count_gives_that_many_valid_parts(key: str, parts: int) -> None:
    specs = mt.meeting_type_parts(key, parts)
    assert len(specs) == parts
    assert len({s.key for s in specs}) == parts  # one part per key: frames are looked up by key
    assert any(s.children == "topics" for s in specs)  # the writer's topics always have a home
    for spec in specs:
        assert spec.role in BODY_ROLES and spec.role in SPEECH_ROLES
        assert spec.label and len(spec.query.split()) >= 3
        assert spec.children in mt.CHILDREN_KINDS
        assert (spec.children == "fixed") == bool(spec.fixed)
        assert 3 <= len(spec.fixed) <= 4 or not spec.fixed
        assert len(spec.fixed_roles) == len(spec.fixed) and set(spec.fixed_roles) <= set(BODY_ROLES)


def test_parts_for_three_follow_the_genre() -> None:
    keys = {key: [s.key for s in mt.meeting_type_parts(key, 3)] for key in MEETING_TYPE_NAMES}
    assert keys["commendation"] == ["congratulate", "learn_from_models", "keep_going"]
    assert [s.role for s in mt.meeting_type_parts("commendation", 3)] == ["review", "significance", "tasks"]
    assert [s.key for s in mt.meeting_type_parts("commendation", 2)] == ["congratulate", "keep_going"]
    assert keys["mobilization"] == ["unify_thinking", "goals_tasks", "responsibility"]
    assert keys["progress"] == ["review_gaps", "focus_tasks", "responsibility"]
    assert keys["special"] == ["significance", "tasks", "safeguards"]
    assert [s.key for s in mt.meeting_type_parts("summary", 4)] == [
        "achievements", "experience", "problems", "next_steps",
    ]  # fmt: skip


def _rendered(key: str, parts: int, family: dict[str, list[str]], theme: str) -> Iterator[list[str]]:
    """The level-1 headings of one family, once per frame index (alternatives are checked too)."""
    specs = mt.meeting_type_parts(key, parts)
    depth = max(len(family[s.key]) for s in specs)
    for index in range(depth):
        yield [fill_slots(family[s.key][min(index, len(family[s.key]) - 1)], {"主题": theme}) for s in specs]


@pytest.mark.parametrize("key", sorted(MEETING_TYPE_NAMES))
def test_every_family_is_a_parallel_for_every_count_and_theme(key: str) -> None:
    families = mt.level1_families(key)
    assert len(families) == 3
    assert mt.level1_family_names(key) == ["四字对句", "以……为……", "要……"]
    for family in families:
        assert set(mt.part_keys(key)) <= set(family), (key, set(mt.part_keys(key)) - set(family))
        for parts in range(2, 7):
            for theme in THEMES:
                for headings in _rendered(key, parts, family, theme):
                    check = check_parallel(headings)
                    assert check.ok, (key, parts, theme, headings, check)
                    assert len(set(headings)) == len(headings)


@pytest.mark.parametrize("key", sorted(MEETING_TYPE_NAMES))
def test_headings_do_not_repeat_a_word(key: str) -> None:
    for family in mt.level1_families(key):
        for parts in range(2, 7):
            # 〇 stands for the theme: 精神文明建设 may itself contain 建设, which is not the frame's slip.
            for headings in _rendered(key, parts, family, "〇"):
                for heading in headings:
                    assert all(heading.count(w) <= 1 for w in WATCHED), (key, heading)
                for word in WATCHED:
                    users = [h for h in headings if word in h]
                    assert len(users) <= 1, (key, parts, word, users)


def test_level1_frames_hold_the_theme_once() -> None:
    # With {主题} once in every frame, siblings differ in length only by their frames, whatever the theme.
    for key in mt.speech_type_keys():
        for family in mt.level1_families(key):
            for frames in family.values():
                assert all(frame.count("{主题}") == 1 for frame in frames), (key, frames)


@pytest.mark.parametrize("place", ["", "大连市", "经济社会"])
def test_fixed_level2_headings_are_parallel(place: str) -> None:
    for key in mt.speech_type_keys():
        for parts in range(2, 7):
            for spec in mt.meeting_type_parts(key, parts):
                if spec.fixed:
                    for theme in THEMES:
                        headings = [fill_slots(h, {"主题": theme, "地方": place}) for h in spec.fixed]
                        assert check_parallel(headings).ok, (spec.key, headings)


def _all_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            if name != "_about":
                yield from _all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_strings(item)


def test_no_slot_but_the_allowed_ones() -> None:
    values = {"主题": "志愿服务", "地方": "大连市", "会议": "全市志愿服务工作推进会", "数字": "三"}
    for text in _all_strings(mt.load_meeting_types()):
        assert set(_SLOT.findall(text)) <= ALLOWED_SLOTS, text
        filled = fill_slots(text, values)
        assert "{" not in filled and not any(f"【待补：{slot}】" in filled for slot in ALLOWED_SLOTS), filled


@pytest.mark.parametrize("key", sorted(MEETING_TYPE_NAMES))
def test_openings_closings_and_fallbacks_are_complete_sentences(key: str) -> None:
    opening, closing = mt.opening_lines(key), mt.closing_lines(key)
    assert len(opening) >= 2 and closing
    assert any("{数字}" in line for line in opening)  # 下面，我讲三点意见
    for part in mt.part_keys(key):
        sentences = mt.fallback_sentences(key, part)
        assert 2 <= len(sentences) <= 4, (key, part)
        assert any("{主题}" in s or "【待补：" in s for s in sentences), (key, part)
    for line in opening + closing + [s for p in mt.part_keys(key) for s in mt.fallback_sentences(key, p)]:
        assert line[-1] in "。！", line
        assert "文明" not in line, line  # built-in wording must suit any subject, not only 精神文明


def test_commendation_opens_with_congratulations() -> None:
    assert any("表示热烈的祝贺" in line for line in mt.opening_lines("commendation"))


def test_unknown_keys_and_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        mt.meeting_type_parts("report", 3)
    with pytest.raises(ValueError):
        mt.meeting_type_parts("banquet", 3)
    with pytest.raises(ValueError):
        mt.meeting_type_parts("progress", 7)
    with pytest.raises(ValueError):
        mt.fallback_sentences("progress", "congratulate")
    with pytest.raises(ValueError):
        mt.opening_lines("report")
