"""The composer's plan, without database or index: meeting types, 排比, numbering, slots, timing, seeds.

The drafted prose under the headings is tested end to end in ``test_compose_drafting.py``; here the shape of
the draft (headings, numbering, notes, outline lists) and the request schema.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import ValidationError

from app.compose.bank import BankEntry, ComposeBank, load_defaults
from app.compose.headings import balanced_topic_headings, check_parallel, fill_slots, theme_from_meeting
from app.compose.model import Draft, DraftSection, SourceRef, Suggestion
from app.compose.numbering import cn_date, cn_number, level1, level2, level3
from app.compose.output.script import to_script
from app.compose.plan import meeting_types, plan_draft
from app.compose.plan.context import count_word, split_topics
from app.compose.request import DraftRequest
from tests.compose_stubs import MINORS, SAFEGUARDS, VILLAGE, VOLUNTEER, StubIndex, corpus

MEETING = "全市精神文明建设工作推进会"
TOPICS = ["未成年人思想道德建设", "志愿服务", "城中村治理"]


def request(**overrides: object) -> DraftRequest:
    data: dict[str, object] = {"meeting": MEETING, "place": "大连市", "topics": TOPICS}
    data.update(overrides)
    return DraftRequest.model_validate(data)


def fake_passages(query: str, role: str | None, k: int) -> list[Suggestion]:
    """A stand-in retriever that knows about 志愿服务 and 城中村 only."""
    known = {
        "志愿服务": "要广泛开展志愿服务活动，健全志愿服务组织体系。",
        "城中村": "城中村治理要与文明创建同频共振，补齐环境短板。",
    }
    return [
        Suggestion(kind="passage", text=text, source=SourceRef(document_id=7, title="往年讲话", date="2025"))
        for key, text in known.items()
        if key in query
    ][:k]


def level1_sections(draft: Draft) -> list[DraftSection]:
    return [s for s in draft.sections if s.level == 1]


def spoken_texts(draft: Draft) -> list[str]:
    """Everything a draft offers as wording: paragraphs, required lines and alternatives."""
    texts = [g.text for s in draft.walk() for g in s.suggestions]
    return texts + [s.paragraph.text for s in draft.walk() if s.paragraph is not None]


@pytest.mark.parametrize(
    ("n", "cn"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (36, "三十六"), (99, "九十九")]
)
def test_chinese_numbers(n: int, cn: str) -> None:
    assert cn_number(n) == cn


def test_a_count_before_a_measure_word_says_liang() -> None:
    assert [count_word(n) for n in range(2, 7)] == ["两", "三", "四", "五", "六"]


def test_outline_markers_and_dates() -> None:
    assert (level1(3), level2(12), level3(4)) == ("三、", "（十二）", "4.")
    assert cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    with pytest.raises(ValueError):
        cn_number(0)


def test_slots_are_filled_or_marked_for_the_writer_never_invented() -> None:
    values: dict[str, str | None] = {"会议": MEETING, "人名": None, "地方": ""}
    assert fill_slots("今天我们召开{会议}", values) == f"今天我们召开{MEETING}"
    assert fill_slots("{人名}出席会议", values) == "【待补：人名】出席会议"
    assert fill_slots("开创{地方}新局面", values) == "开创新局面"  # known to be empty: no placeholder
    assert fill_slots("{单位}发言", values) == "【待补：单位】发言"


@pytest.mark.parametrize(
    ("meeting", "place", "theme"),
    [
        ("全市精神文明建设工作推进会", "", "精神文明建设"),
        ("市文明委第三十次全委会暨争创全国文明典范城市工作会议", "", "争创全国文明典范城市"),
        ("滨湖区争创全国文明典范城市推进大会", "滨湖区", "争创全国文明典范城市"),
        ("推进会", "", ""),
    ],
)
def test_theme_from_meeting(meeting: str, place: str, theme: str) -> None:
    assert theme_from_meeting(meeting, place) == theme


def test_parallel_check_accepts_real_parallels_and_rejects_mismatches() -> None:
    assert check_parallel(["要落实责任", "要凝聚合力", "要建好队伍"]).lead == "要…"
    assert check_parallel(["以治理为突破口，攻克难题", "以传承为根脉，雕琢神韵"]).ok
    assert check_parallel(["切实加强组织领导", "层层压实工作责任"]).ok
    uneven = check_parallel(["要落实责任", "要把城中村治理与文明创建同频共振统筹起来抓实抓细"])
    assert not uneven.ok and uneven.spread > 3
    unrelated = check_parallel(["加强组织领导", "城中村，治理"])
    assert not unrelated.ok


def test_report_topic_headings_balance_lengths_so_siblings_stay_parallel() -> None:
    # a report's 会议强调 points still use lead + topic + tail
    speech = load_defaults()["speech"]
    headings = balanced_topic_headings(TOPICS, speech["topic_leads"], speech["topic_tails"])
    assert [h.split("，")[0] for h in headings] == [
        "着力加强未成年人思想道德建设",
        "持续深化志愿服务",
        "扎实推进城中村治理",
    ]
    check = check_parallel(headings, [lead for _, lead in speech["topic_leads"]])
    assert check.ok, check
    assert len(set(h.split("，")[1] for h in headings)) == 3  # tails differ


@pytest.mark.parametrize("mtype", meeting_types.speech_type_keys())
def test_level1_headings_of_every_meeting_type_and_count_are_a_parallel(mtype: str) -> None:
    for parts in range(2, 7):
        for seed in range(3):
            draft = plan_draft(request(meeting_type=mtype, parts=parts, seed=seed, detail="outline"), ComposeBank())
            headings = [s.heading for s in level1_sections(draft)]
            assert len(headings) == parts
            assert draft.parallel is not None and draft.parallel.ok, (mtype, parts, seed, headings)
            assert draft.parallel == check_parallel(headings)
            assert len(set(headings)) == len(headings)


def test_the_skeleton_follows_the_meeting_type_named_or_inferred() -> None:
    inferred = plan_draft(request(detail="outline"), ComposeBank())
    assert (inferred.meeting_type, inferred.meeting_type_source) == ("progress", "inferred")
    assert inferred.skeleton == tuple(p.role for p in meeting_types.meeting_type_parts("progress", 3))
    assert inferred.skeleton_source == "meeting_type"
    assert any("推进" in note for note in inferred.notes)  # the draft says why it took this type
    named = plan_draft(request(meeting_type="表彰", detail="outline"), ComposeBank())
    assert (named.meeting_type, named.meeting_type_source) == ("commendation", "request")
    assert named.skeleton == tuple(p.role for p in meeting_types.meeting_type_parts("commendation", 3))
    assert named.skeleton != inferred.skeleton


def test_split_topics_in_order() -> None:
    assert split_topics(["a", "b", "c", "d", "e"], 2) == [["a", "b", "c"], ["d", "e"]]
    assert split_topics(["a"], 2) == [["a"], []]


@pytest.mark.parametrize("detail", ["paragraphs", "outline"])
def test_speech_shape(detail: str) -> None:
    draft = plan_draft(request(parts=4, speaker="市委副书记 张三", date="2026-12-02", detail=detail), ComposeBank())
    assert draft.title == f"在{MEETING}上的讲话"
    assert draft.byline == ("市委副书记 张三", "（2026年12月2日）")
    assert draft.salutation == "同志们："
    numbered = level1_sections(draft)
    assert [s.number for s in numbered] == ["一、", "二、", "三、", "四、"]
    assert tuple(s.role for s in numbered) == draft.skeleton == ("review", "problems", "tasks", "safeguards")
    assert draft.sections[0].role == "opening" and draft.sections[-1].role == "closing"
    opening = draft.sections[0]
    opening_lines = (
        [s.text for s in opening.paragraph.sentences] if opening.paragraph else [s.text for s in opening.suggestions]
    )
    assert "下面，我讲四点意见。" in opening_lines
    tasks = next(s for s in numbered if s.role == "tasks")
    assert [c.number for c in tasks.children] == ["（一）", "（二）", "（三）"]
    assert [c.topic for c in tasks.children] == TOPICS
    assert all(c.topic and c.topic in c.heading for c in tasks.children)  # topics become level-2 headings
    assert tasks.parallel is not None and tasks.parallel.ok
    assert draft.parallel is not None and draft.parallel.ok
    assert all(alt != s.heading for s in numbered for alt in s.alternatives) and numbered[0].alternatives


def test_facts_the_writer_must_supply_are_placeholders() -> None:
    for detail in ("paragraphs", "outline"):
        draft = plan_draft(request(speaker="", date=None, detail=detail), ComposeBank())
        assert draft.byline == ("【待补：讲话人职务 姓名】", "（【待补：日期】）")
        texts = spoken_texts(draft)
        assert any("【待补：" in t for t in texts)
        # No figures are invented anywhere: digits appear only in what the writer typed or a 【待补：…】 hint.
        assert not [t for t in texts if re.search(r"\d", re.sub(r"【待补[^】]*】", "", t))], detail


def test_report_outline_shape() -> None:
    draft = plan_draft(
        request(doc_type="report", parts=3, date="2026-02-25", speaker="区委书记 孙海东", detail="outline"),
        ComposeBank(),
    )
    assert draft.title == f"大连市召开{MEETING}"
    roles = [s.role for s in draft.sections]
    assert roles[:5] == ["lead", "attendance", "remarks", "requirements", "participants"]
    lead = draft.sections[0].suggestions[0].text
    assert lead.startswith(f"2月25日，大连市召开{MEETING}，")
    emphasis = draft.sections[3]
    assert emphasis.heading == "会议强调" and emphasis.alternatives == ("孙海东强调",)
    assert [p.number for p in emphasis.children] == ["■"] * 3
    assert all(p.heading.startswith("要") for p in emphasis.children)
    assert emphasis.parallel is not None and emphasis.parallel.ok


def test_report_paragraphs_shape() -> None:
    draft = plan_draft(request(doc_type="report", parts=3, date="2026-02-25", speaker="区委书记 孙海东"), ComposeBank())
    lead = draft.sections[0]
    assert lead.paragraph is not None and lead.paragraph.text.startswith(f"2月25日，大连市召开{MEETING}，")
    points = [p for s in draft.sections for p in s.children]
    assert points and all(p.number == "■" and p.paragraph and p.paragraph.text for p in points)


def test_report_headline_names_the_place_once() -> None:
    draft = plan_draft(
        request(doc_type="report", meeting="滨湖区争创全国文明典范城市推进大会", place="滨湖区"), ComposeBank()
    )
    assert draft.title == "滨湖区召开争创全国文明典范城市推进大会"


@pytest.mark.parametrize("detail", ["paragraphs", "outline"])
def test_same_input_and_seed_give_the_same_draft_and_seeds_vary_it(detail: str) -> None:
    first = plan_draft(request(seed=5, detail=detail), ComposeBank(), fake_passages)
    again = plan_draft(request(seed=5, detail=detail), ComposeBank(), fake_passages)
    assert first == again
    assert first.model_dump_json() == again.model_dump_json()
    headings = {
        tuple(s.heading for s in plan_draft(request(seed=seed, detail=detail), ComposeBank()).walk())
        for seed in range(3)
    }
    assert len(headings) == 3


def test_passages_come_with_sources_and_appear_once() -> None:
    draft = plan_draft(request(detail="outline+passages"), ComposeBank(), fake_passages)
    passages = [s for section in draft.walk() for s in section.suggestions if s.kind == "passage"]
    assert passages and all(p.source and p.source.title == "往年讲话" for p in passages)
    assert len({p.text for p in passages}) == len(passages)
    volunteer = next(s for s in draft.walk() if s.topic == "志愿服务")
    assert any("志愿服务" in s.text for s in volunteer.suggestions if s.kind == "passage")


def test_outline_only_has_no_passages_but_still_notes_unknown_topics() -> None:
    draft = plan_draft(request(topics=["量子计算", "志愿服务"], detail="outline"), ComposeBank(), fake_passages)
    assert not [s for section in draft.walk() for s in section.suggestions if s.kind == "passage"]
    assert not [s for s in draft.walk() if s.paragraph is not None]
    assert any("量子计算" in note for note in draft.notes)
    assert not any("志愿服务" in note for note in draft.notes)
    unknown = next(s for s in draft.walk() if s.topic == "量子计算")
    assert unknown.suggestions  # generic wording, not an empty section
    assert unknown.suggestions[0].kind == "placeholder" and unknown.suggestions[0].text.startswith("【待补")


def test_paragraphs_also_note_unknown_topics() -> None:
    draft = plan_draft(request(topics=["量子计算", "志愿服务"]), ComposeBank(), fake_passages)
    assert any("量子计算" in note for note in draft.notes)
    assert not any("志愿服务" in note for note in draft.notes)
    unknown = next(s for s in draft.walk() if s.topic == "量子计算")
    assert unknown.paragraph is not None and "【待补" in unknown.paragraph.text  # the writer is asked, not misled
    assert all(s.source is None for s in unknown.paragraph.sentences)


def test_too_few_topics_are_topped_up_with_common_ones_and_said_so() -> None:
    draft = plan_draft(request(topics=["志愿服务"], parts=5), ComposeBank())
    tasks = [c.topic for s in draft.sections if s.role == "tasks" for c in s.children]
    assert tasks[0] == "志愿服务" and len(tasks) == 2
    assert any("补充了常见议题" in note for note in draft.notes)


def test_minutes_add_up_and_a_target_balances_suggestions() -> None:
    index = StubIndex(corpus(VOLUNTEER, VILLAGE, MINORS, SAFEGUARDS))  # more passages than two minutes can hold
    loose = plan_draft(request(detail="outline+passages"), ComposeBank(), index.lookup)
    assert loose.minutes == pytest.approx(sum(s.minutes for s in loose.sections), abs=0.2)
    short = plan_draft(request(detail="outline+passages", target_minutes=2), ComposeBank(), index.lookup)
    long = plan_draft(request(detail="outline+passages", target_minutes=30), ComposeBank(), index.lookup)
    count = lambda d: sum(len(s.suggestions) for s in d.walk())  # noqa: E731
    assert count(short) < count(long)
    assert short.minutes <= 2.2 and short.target_minutes == 2
    assert any("不足 30 分钟" in note for note in long.notes)  # the corpus cannot fill half an hour
    # required lines are kept whatever the target, and said to be too long when they are
    tiny = plan_draft(request(detail="outline+passages", target_minutes=1), ComposeBank(), index.lookup)
    required = lambda d: [g.text for s in d.walk() for g in s.suggestions if g.kind in ("text", "placeholder")]  # noqa: E731
    assert required(tiny) == required(long)
    assert any("超过 1 分钟" in note for note in tiny.notes)


def test_minutes_of_a_drafted_speech_count_its_prose() -> None:
    draft = plan_draft(request(), ComposeBank(), fake_passages)
    assert draft.minutes == pytest.approx(sum(s.minutes for s in draft.sections), abs=0.2)
    prose = sum(len(s.paragraph.text) for s in draft.walk() if s.paragraph)
    assert draft.minutes >= 0.8 * prose / draft.chars_per_minute
    long = plan_draft(request(target_minutes=30), ComposeBank(), fake_passages)
    assert long.target_minutes == 30 and any("不足 30 分钟" in note for note in long.notes)


def test_traditional_script_converts_the_prose_and_keeps_identifiers() -> None:
    draft = plan_draft(request(), ComposeBank(), fake_passages)
    traditional = to_script(draft, "traditional")
    assert traditional.script == "traditional"
    assert traditional.title == "在全市精神文明建設工作推進會上的講話"
    assert [s.role for s in traditional.walk()] == [s.role for s in draft.walk()]
    volunteer = next(s for s in traditional.walk() if s.topic == "志願服務")
    assert volunteer.paragraph is not None and "志願服務" in volunteer.paragraph.text
    assert "志愿服务" not in volunteer.paragraph.text
    assert to_script(draft, "simplified") is draft


def test_request_validation_messages() -> None:
    with pytest.raises(ValidationError):
        DraftRequest(meeting="   ")
    with pytest.raises(ValidationError):
        DraftRequest(meeting=MEETING, parts=7)
    with pytest.raises(ValidationError, match="超过 30 字"):
        DraftRequest(meeting=MEETING, topics=["长" * 31])
    with pytest.raises(ValidationError):
        DraftRequest.model_validate({"meeting": MEETING, "unknown": 1})
    with pytest.raises(ValidationError):
        DraftRequest(meeting=MEETING, detail="prose")  # type: ignore[arg-type]
    split = DraftRequest.model_validate({"meeting": MEETING, "topics": "志愿服务，城中村治理、志愿服务"})
    assert split.topics == ["志愿服务", "城中村治理"]
    assert DraftRequest(meeting=MEETING).detail == "paragraphs"
    assert DraftRequest(meeting=MEETING, meeting_type="表彰大会").meeting_type == "commendation"
    assert DraftRequest(meeting=MEETING, meeting_type="").meeting_type is None


def _tasks_entry(text: str, frequency: int) -> BankEntry:
    return BankEntry(
        kind="formulation", text=text, template=text, roles={"tasks": frequency}, frequency=frequency,
        doc_frequency=frequency, source=SourceRef(document_id=3, title="往年讲话"),
    )  # fmt: skip


@pytest.mark.parametrize("detail", ["paragraphs", "outline"])
def test_stock_wording_from_passages_about_the_topic_comes_first_whatever_the_seed(detail: str) -> None:
    common, topical = _tasks_entry("压紧压实工作责任", 9), _tasks_entry("健全志愿服务组织体系", 1)
    bank = ComposeBank(entries=(common, topical))

    def traditional_passages(query: str, role: str | None, k: int) -> list[Suggestion]:
        # the stored passage is in traditional script; the bank entry is simplified
        text = "要廣泛開展志願服務活動，健全志願服務組織體系。" if "志愿服务" in query else ""
        return (
            [Suggestion(kind="passage", text=text, source=SourceRef(document_id=7, title="往年講話"))] if text else []
        )

    for seed in (0, 1, 2, 3):
        draft = plan_draft(
            request(topics=["志愿服务", "城中村治理"], seed=seed, detail=detail), bank, traditional_passages
        )
        volunteer = next(s for s in draft.walk() if s.topic == "志愿服务")
        stock = [s.text for s in volunteer.suggestions if s.kind == "formulation" and s.source is not None]
        assert stock[:1] == ["健全志愿服务组织体系"], (seed, stock)
        assert not any("志愿服务" in note for note in draft.notes)  # the traditional passage covers the topic
        if volunteer.paragraph is not None:  # and its sentence is drafted in simplified script
            assert "要广泛开展志愿服务活动，健全志愿服务组织体系。" in volunteer.paragraph.text


def _skeleton(roles: list[str], frequency: int) -> BankEntry:
    return BankEntry(
        kind="skeleton", text="speech: " + " → ".join(roles), template=" → ".join(roles), roles={r: 1 for r in roles},
        frequency=frequency, doc_frequency=frequency, extra={"doc_kind": "speech", "roles": roles},
    )  # fmt: skip


def _first_roles(bank: ComposeBank, meeting: str) -> str:
    draft = plan_draft(DraftRequest(meeting=meeting, topics=["志愿服务"], detail="outline"), bank)
    return next(s.role for s in draft.sections if s.level == 1)


def test_a_speech_opens_the_way_the_corpus_speeches_open() -> None:
    # The office's speeches open with 认清形势 (significance) far more often than with a review: a 推进会 follows.
    significance_first = ComposeBank(
        entries=(_skeleton(["opening", "significance", "tasks"], 9), _skeleton(["opening", "review"], 2))
    )
    assert _first_roles(significance_first, "全市精神文明建设工作推进会") == "significance"
    review_first = ComposeBank(entries=(_skeleton(["opening", "review", "tasks"], 5),))
    assert _first_roles(review_first, "全市精神文明建设工作推进会") == "review"
    assert _first_roles(ComposeBank(), "全市精神文明建设工作推进会") == "review"  # built-in order without skeletons
    # A genre's own opening part stays: 表彰 opens with 祝贺 whatever the corpus votes.
    assert _first_roles(significance_first, "全市道德模范表彰大会") == "review"
