"""plan_draft end to end with a stand-in passage index: the drafted paragraphs, meeting types, the field of the
meeting, alternatives, stale wording and speaking time. The passages are invented (``tests/compose_stubs.py``)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest

from app.compose.bank import BankEntry, ComposeBank
from app.compose.model import Draft, DraftSection, SourceRef
from app.compose.output.script import to_script
from app.compose.plan import meeting_types, plan_draft
from app.compose.request import DraftRequest
from tests.compose_stubs import (
    MINORS,
    SAFEGUARDS,
    SAFETY,
    STALE,
    VILLAGE,
    VOLUNTEER,
    Passage,
    StubIndex,
    corpus,
)

MEETING = "全市精神文明建设工作推进会"
TOPICS = ["志愿服务", "城中村治理", "未成年人思想道德建设"]
EVERYTHING = corpus(VOLUNTEER, VILLAGE, MINORS, SAFEGUARDS, SAFETY, STALE)
ANNOUNCED = re.compile(r"(?:讲|谈)(.)点意见")
CN_COUNT = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def request(**overrides: object) -> DraftRequest:
    data: dict[str, object] = {"meeting": MEETING, "place": "江州市", "topics": TOPICS, "date": "2026-03-12"}
    data.update(overrides)
    return DraftRequest.model_validate(data)


def draft_of(req: DraftRequest, passages: list[Passage] = EVERYTHING, bank: ComposeBank | None = None) -> Draft:
    return plan_draft(req, bank or ComposeBank(), StubIndex(passages).lookup)


def leaves(draft: Draft) -> list[DraftSection]:
    """Numbered headings with nothing under them: each must carry its own paragraph (or outline list)."""
    return [s for s in draft.walk() if s.level >= 1 and not s.children]


def prose(draft: Draft) -> list[str]:
    return [s.paragraph.text for s in draft.walk() if s.paragraph is not None]


def alternatives(draft: Draft) -> list[str]:
    return [g.text for s in draft.walk() for g in s.suggestions if g.kind not in ("text", "placeholder")] + [
        a for s in draft.walk() for a in s.alternatives
    ]


def opening_text(draft: Draft) -> str:
    opening = draft.sections[0]
    assert opening.role == "opening"
    if opening.paragraph is not None:
        return opening.paragraph.text
    return "".join(s.text for s in opening.suggestions if s.kind == "text")


@pytest.mark.parametrize("mtype", meeting_types.speech_type_keys())
def test_every_heading_without_children_has_a_paragraph(mtype: str) -> None:
    for parts in (2, 4, 6):
        draft = draft_of(request(meeting_type=mtype, parts=parts))
        assert leaves(draft)
        for section in leaves(draft):
            assert section.paragraph is not None and section.paragraph.text.strip(), (mtype, parts, section.heading)
            assert not section.suggestions or section.suggestions[0].kind != "placeholder"
        assert draft.sections[0].paragraph and draft.sections[-1].paragraph  # opening and closing too


def test_a_report_drafts_every_point() -> None:
    draft = draft_of(request(doc_type="report", parts=3))
    points = leaves(draft)
    assert len(points) >= 4 and all(p.number == "■" for p in points)
    assert all(p.paragraph is not None and p.paragraph.text for p in points)


def test_paragraphs_quote_the_corpus_with_sources() -> None:
    draft = draft_of(request())
    volunteer = next(s for s in draft.walk() if s.topic == "志愿服务")
    assert volunteer.paragraph is not None
    quoted = [s for s in volunteer.paragraph.sentences if s.source is not None]
    assert quoted and all(s.source.document_id in {p.doc for p in VOLUNTEER + STALE} for s in quoted)
    assert all("志愿服务" in s.text for s in quoted)
    # the 重点项目 sentence shares a passage with 志愿服务 sentences but is about something else
    assert not any("重点项目" in t for t in prose(draft))


def test_outline_detail_has_no_paragraphs_and_keeps_the_placeholder_line() -> None:
    draft = draft_of(request(detail="outline"))
    assert not [s for s in draft.walk() if s.paragraph is not None]
    for section in leaves(draft):
        first = section.suggestions[0]
        assert first.kind == "placeholder" and first.text.startswith("【待补"), section.heading
    assert "下面，我讲三点意见。" in [s.text for s in draft.sections[0].suggestions]


@pytest.mark.parametrize(
    "req",
    [
        {"meeting": "全市道德模范表彰大会"},
        {"meeting": "全市志愿服务工作会议", "meeting_type": "commendation"},
        {"meeting": "全市志愿服务工作会议", "meeting_type": "表彰"},
    ],
)
def test_a_commendation_meeting_gets_the_commendation_parts(req: dict[str, str]) -> None:
    draft = draft_of(request(**req, parts=3))
    assert draft.meeting_type == "commendation"
    parts = meeting_types.meeting_type_parts("commendation", 3)
    numbered = [s for s in draft.sections if s.level == 1]
    assert tuple(s.role for s in numbered) == draft.skeleton == tuple(p.role for p in parts)
    families = meeting_types.level1_families("commendation")
    for section, part in zip(numbered, parts, strict=True):
        frames = [frame for family in families for frame in family[part.key]]
        pattern = [re.escape(f).replace(re.escape("{主题}"), ".+") for f in frames]
        assert any(re.fullmatch(p, section.heading) for p in pattern), section.heading
    learn = numbered[1]
    assert [c.heading for c in learn.children] == list(parts[1].fixed[:3])
    opening = opening_text(draft)
    assert "祝贺" in opening and "表彰" in opening
    assert opening.endswith("下面，我讲三点意见。")


def test_a_progress_meeting_does_not_congratulate() -> None:
    draft = draft_of(request())
    assert draft.meeting_type == "progress" and "祝贺" not in opening_text(draft)


@pytest.mark.parametrize("mtype", meeting_types.speech_type_keys())
@pytest.mark.parametrize("detail", ["paragraphs", "outline"])
def test_the_announced_number_of_points_is_the_number_of_level1_headings(mtype: str, detail: str) -> None:
    for parts in range(2, 7):
        draft = draft_of(request(meeting_type=mtype, parts=parts, detail=detail))
        text = opening_text(draft)
        found = ANNOUNCED.findall(text)
        assert len(found) == 1, text
        assert CN_COUNT[found[0]] == parts == len([s for s in draft.sections if s.level == 1])
        assert "二点" not in text
        if parts == 2:
            assert "两点意见" in text


def test_two_parts_say_liang() -> None:
    assert opening_text(draft_of(request(parts=2))).endswith("下面，我讲两点意见。")


def test_an_off_field_meeting_never_borrows_civilisation_wording() -> None:
    words = ("精神文明", "文明城市")
    bank = ComposeBank(
        entries=(
            BankEntry(kind="formulation", text="把安全生产纳入文明城市测评", template="把安全生产纳入文明城市测评",
                      roles={"tasks": 5, "safeguards": 2}, frequency=5, doc_frequency=3,
                      source=SourceRef(document_id=31, title="子县讲话")),
            BankEntry(kind="heading", text="以精神文明建设引领安全发展", template="以精神文明建设引领安全发展",
                      roles={"tasks": 4, "review": 2}, frequency=4, doc_frequency=3, extra={"level": 1}),
        )
    )  # fmt: skip
    index = StubIndex(EVERYTHING)
    for detail in ("paragraphs", "outline"):
        req = request(meeting="全县安全生产工作会议", place="青山县", topics=["危化品监管", "安全生产"], detail=detail)
        draft = plan_draft(req, bank, index.lookup)
        offered = prose(draft) + alternatives(draft) + [s.heading for s in draft.walk()]
        assert not [t for t in offered if any(w in t for w in words)], detail
    # the material was there: the index handed out passages with that wording
    assert any(w in text for text in index.handed_out for w in words)
    # and at a meeting of the field the same material is used
    own = plan_draft(request(topics=["安全生产"]), bank, StubIndex(EVERYTHING).lookup)
    assert any("精神文明建设带动安全生产" in t for t in prose(own))
    assert "以精神文明建设引领安全发展" in alternatives(own)


def test_a_meeting_of_another_field_keeps_its_own_topics() -> None:
    draft = draft_of(request(meeting="全县安全生产工作会议", place="青山县", topics=["危化品监管"]))
    topics = [s.topic for s in draft.walk() if s.topic]
    assert topics == ["危化品监管"]
    assert not any("补充了常见议题" in note for note in draft.notes)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("meeting", [MEETING, "全县安全生产工作会议", "全市道德模范表彰大会"])
def test_a_few_alternatives_per_heading_never_repeated_by_the_neighbour(seed: int, meeting: str) -> None:
    stock_wording = {
        "tasks": ["推动志愿服务向基层延伸", "提升志愿服务专业化水平", "发挥示范带动作用", "防止脏乱差现象反弹",
                  "健全志愿服务长效机制", "压紧压实工作责任"],
        "safeguards": ["列入重要议事日程", "严肃追责问责", "压紧压实工作责任", "健全督查考核办法"],
        "review": ["取得明显成效"],
        "significance": ["凝聚奋进力量"],
    }  # fmt: skip
    entries = tuple(
        BankEntry(kind="formulation", text=text, template=text, roles={role: 3}, frequency=3, doc_frequency=3)
        for role, texts in stock_wording.items()
        for text in texts
    )
    draft = draft_of(request(meeting=meeting, seed=seed), bank=ComposeBank(entries=entries))
    offered = [s for s in draft.walk() if s.level >= 1 and not s.children]
    for section in draft.walk():
        stock = [g.text for g in section.suggestions if g.kind not in ("text", "placeholder", "passage")]
        assert len(stock) <= 5 and len(set(stock)) == len(stock), section.heading
        assert len(section.alternatives) <= 5 and section.heading not in section.alternatives
    for before, after in pairwise(offered):
        shared = {g.text for g in before.suggestions} & {g.text for g in after.suggestions}
        assert not shared, (before.heading, after.heading, shared)
    assert sum(1 for s in offered if len(s.suggestions) >= 2) >= 2  # there were alternatives to repeat


def test_a_stale_formulation_never_appears_in_a_later_draft() -> None:
    stale_entry = "深入学习贯彻党的十九届五中全会精神"
    bank = ComposeBank(
        entries=(
            BankEntry(kind="formulation", text=stale_entry, template=stale_entry, roles={"tasks": 9}, frequency=9,
                      doc_frequency=5, source=SourceRef(document_id=41, title="辰市讲话")),
        )
    )  # fmt: skip
    passages = corpus(VOLUNTEER, STALE)

    def offered(date: str | None, detail: str = "paragraphs") -> list[str]:
        req = request(meeting="全市志愿服务工作推进会", topics=["志愿服务"], date=date, detail=detail)
        draft = draft_of(req, passages, bank)
        return prose(draft) + alternatives(draft)

    # in a 2021 speech the formulation was current, and the draft uses it …
    assert any("十九届五中全会" in t for t in offered("2021-03-01"))
    # … in a 2026 speech (or an undated one, drafted today) it never appears
    for date in ("2026-03-12", None):
        for detail in ("paragraphs", "outline"):
            assert not [t for t in offered(date, detail) if "十九届" in t], (date, detail)


def test_a_longer_target_gives_longer_paragraphs() -> None:
    usual = draft_of(request(topics=["志愿服务"]))
    long = draft_of(request(topics=["志愿服务"], target_minutes=20))

    def volunteer(draft: Draft) -> int:
        section = next(s for s in draft.walk() if s.topic == "志愿服务")
        assert section.paragraph is not None
        return len(section.paragraph.text)

    assert volunteer(long) > volunteer(usual) + 40
    assert sum(map(len, prose(long))) > sum(map(len, prose(usual)))
    assert long.minutes > usual.minutes and long.target_minutes == 20
    assert any("不足 20 分钟" in note for note in long.notes)  # the stub corpus cannot fill twenty minutes


def test_no_sentence_is_said_twice_in_a_speech() -> None:
    for mtype in meeting_types.speech_type_keys():
        for parts in (3, 6):
            draft = draft_of(request(meeting_type=mtype, parts=parts))
            said = Counter(
                s.text for x in draft.walk() if x.paragraph for s in x.paragraph.sentences if "【待补" not in s.text
            )
            assert not [t for t, n in said.items() if n > 1], (mtype, parts)


def test_no_sentence_is_said_twice_in_a_report() -> None:
    draft = draft_of(request(doc_type="report", parts=4, topics=["志愿服务", "危化品监管", "量子计算", "文明交通"]))
    said = Counter(s.text for x in draft.walk() if x.paragraph for s in x.paragraph.sentences if "【待补" not in s.text)
    assert not [t for t, n in said.items() if n > 1]


def test_the_lead_sentence_is_not_said_twice() -> None:
    # 要持续深化志愿服务。 followed by 要持续深化志愿服务，推动… would say the lead twice
    echo = Passage(61, "未市讲话", "tasks", "要持续深化志愿服务，推动志愿服务融入群众日常生活。")
    draft = draft_of(request(topics=["志愿服务"]), corpus([echo], VOLUNTEER))
    volunteer = next(s for s in draft.walk() if s.topic == "志愿服务")
    assert volunteer.paragraph is not None
    texts = [s.text for s in volunteer.paragraph.sentences]
    assert texts[0].startswith("要持续深化志愿服务")
    assert len([t for t in texts if t.startswith("要持续深化志愿服务")]) == 1, texts
    assert "要持续深化志愿服务，推动志愿服务融入群众日常生活。" in texts  # the fuller sentence is the one kept


def test_built_in_level2_headings_get_their_own_sentences() -> None:
    draft = plan_draft(request(topics=["志愿服务"]), ComposeBank())  # no corpus: built-in sentences only
    said = {
        s.heading: re.sub(r"【待补[^】]*】", "", s.paragraph.text).strip("。，")
        for s in draft.walk()
        if s.role == "safeguards" and s.level == 2 and s.paragraph is not None
    }
    assert set(said) == {"切实加强组织领导", "层层压实工作责任", "严格督查考核问责"}
    assert "督查" in said["严格督查考核问责"]
    assert "督查" not in said["切实加强组织领导"] and "组织领导" in said["切实加强组织领导"]
    assert "压实工作责任" in said["层层压实工作责任"]


def test_traditional_output_converts_the_paragraphs() -> None:
    draft = to_script(draft_of(request(topics=["志愿服务"])), "traditional")
    volunteer = next(s for s in draft.walk() if s.topic == "志願服務")
    assert volunteer.paragraph is not None and "志願服務" in volunteer.paragraph.text
    assert all(s.source is None or s.source.title for s in volunteer.paragraph.sentences)


def test_a_topic_of_the_field_at_an_off_field_meeting_keeps_its_own_wording() -> None:
    # 乡风文明 at a 乡村振兴 meeting: the meeting is outside 精神文明 work, but the writer named the topic, so its
    # sentences (which say 文明) are not foreign; other 文明 wording stays out.
    rural = Passage(41, "乡镇讲话", "tasks", "要持续推进乡风文明建设，深化移风易俗，培育文明乡风、良好家风、淳朴民风。")
    index = StubIndex(corpus(EVERYTHING, [rural]))
    draft = plan_draft(
        request(meeting="全县乡村振兴工作推进会", topics=["产业发展", "乡风文明"]), ComposeBank(), index.lookup
    )
    said = prose(draft)
    assert any("培育文明乡风" in t for t in said)
    assert not any("精神文明" in t or "文明城市" in t for t in said)


def test_a_report_remark_states_rather_than_demands() -> None:
    # 会议指出 reports an assessment; a 要… demand belongs under 会议强调.
    draft = plan_draft(request(doc_type="report", topics=["志愿服务"]), ComposeBank(), StubIndex(EVERYTHING).lookup)
    remarks = next(s for s in draft.sections if s.heading == "会议指出")
    for point in remarks.children:
        assert point.paragraph is not None
        assert not [s.text for s in point.paragraph.sentences if s.source and s.text.startswith("要")]


def test_the_situation_part_argues_achievements_problems_and_tasks_under_their_own_roles() -> None:
    draft = draft_of(request(meeting_type="progress", parts=2))
    first = draft.sections[1]
    assert [c.role for c in first.children] == ["review", "problems", "significance"]
    assert [c.heading for c in first.children] == list(meeting_types.meeting_type_parts("progress", 2)[0].fixed)
    for child in first.children:  # a judgement heading is grounded, not repeated as its first sentence
        assert child.paragraph is not None and child.paragraph.sentences[0].text != child.heading + "。"
        assert "【待补" in child.paragraph.text  # this office's own achievements and problems are the writer's


def test_a_part_that_another_part_already_argues_is_not_repeated() -> None:
    # 5 parts: 肯定成绩 and 正视问题 have parts of their own, so 认清形势 neither lists nor says them again
    draft = draft_of(request(meeting_type="progress", parts=5))
    roles = [s.role for s in draft.sections[1:-1]]
    assert "review" in roles and "problems" in roles
    situation = next(s for s in draft.sections if s.heading.startswith("认清形势"))
    assert not situation.children and situation.paragraph is not None
    assert "来之不易" not in situation.paragraph.text and "不容忽视" not in situation.paragraph.text
