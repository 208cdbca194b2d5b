"""ParagraphWriter: prose under a heading from the office's own sentences about its subject, each sentence once."""

from __future__ import annotations

from app.compose.write.paragraphs import MIN_CHARS, ParagraphWriter, number_points, subject_share
from app.compose.write.sentences import restore_spun
from tests.compose_stubs import VILLAGE, VOLUNTEER, Passage, StubIndex, corpus

PLACEHOLDER = "围绕志愿服务，【待补：本项工作的具体目标、措施和时间节点】。"


def writer(*groups: list[Passage]) -> ParagraphWriter:
    return ParagraphWriter(search=StubIndex(corpus(*groups)).search, place="江州市")


def test_subject_share_counts_the_subjects_character_pairs() -> None:
    assert subject_share("要健全志愿服务记录制度", "志愿服务") == 1.0
    assert subject_share("要加快推进重点项目建设", "志愿服务") == 0.0
    assert 0 < subject_share("要动员志愿者参与", "志愿服务") < 0.5


def test_only_sentences_about_the_subject_are_used() -> None:
    paragraph = writer(VOLUNTEER, VILLAGE).write(subject="志愿服务", role="tasks", target=400)
    text = paragraph.text
    assert "志愿服务" in text
    # 重点项目建设 sits inside a 志愿服务 passage, and the retriever returned it: it still never appears
    assert "重点项目" not in text
    assert "城中村" not in text
    assert all(subject_share(s.text, "志愿服务") >= 0.5 for s in paragraph.sentences)


def test_no_sentence_is_used_twice_across_paragraphs() -> None:
    w = writer(VOLUNTEER)
    first = w.write(subject="志愿服务", role="tasks", target=120)
    second = w.write(subject="志愿服务", role="tasks", target=120)
    assert first.sentences and second.sentences
    assert not {s.text for s in first.sentences} & {s.text for s in second.sentences}


def test_the_paragraph_reaches_its_target_when_there_is_material() -> None:
    for target in (120, 160, 200):  # the stub has about 270 characters of 志愿服务 requirements
        paragraph = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=target)
        assert target <= len(paragraph.text) <= target + 60, (target, len(paragraph.text))
    short = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=120)
    long = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=240)
    assert len(long.sentences) > len(short.sentences)


def test_each_sentence_keeps_the_source_it_came_from() -> None:
    paragraph = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=300)
    by_document = {p.doc: restore_spun(p.text) for p in VOLUNTEER}
    assert paragraph.sentences
    for sentence in paragraph.sentences:
        assert sentence.source is not None and sentence.source.document_id is not None
        assert sentence.text in by_document[sentence.source.document_id]
    # the spun 效劳 of 甲县 came back as 服务
    assert "效劳" not in paragraph.text


def test_sentences_of_one_passage_keep_their_order() -> None:
    paragraph = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=300)
    for passage in VOLUNTEER:
        text = restore_spun(passage.text)
        positions = [
            text.index(s.text) for s in paragraph.sentences if s.source and s.source.document_id == passage.doc
        ]
        assert positions == sorted(positions)


def test_missing_material_falls_back_to_built_in_sentences_and_a_placeholder() -> None:
    fallback = ["要把志愿服务工作抓在手上、落到实处。", PLACEHOLDER]
    paragraph = writer(VILLAGE).write(subject="志愿服务", role="tasks", fallback=fallback)
    assert [s.text for s in paragraph.sentences] == fallback
    assert all(s.source is None for s in paragraph.sentences)
    # with material, the built-in sentences are not needed once the paragraph is long enough
    full = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", fallback=fallback)
    assert len(full.text) >= MIN_CHARS and PLACEHOLDER not in full.text


def test_a_built_in_sentence_is_said_once_but_the_placeholder_whenever_needed() -> None:
    w = writer(VILLAGE)
    fallback = ["要把志愿服务工作抓在手上、落到实处。", PLACEHOLDER]
    w.write(subject="志愿服务", role="tasks", fallback=fallback)
    again = w.write(subject="志愿服务", role="tasks", fallback=fallback)
    assert [s.text for s in again.sentences] == [PLACEHOLDER]


def test_the_reject_hook_is_honoured() -> None:
    def reject(text: str) -> bool:
        return "激励" in text

    free = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=600)
    assert "激励" in free.text  # the sentence would be chosen …
    refused = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", target=600, reject=reject)
    assert refused.sentences and "激励" not in refused.text  # … but the hook refuses it


def test_task_roles_take_only_requirements() -> None:
    # 志愿服务是城市温度的生动体现 describes, it does not ask for anything
    described = "志愿服务是城市温度的生动体现"
    significance = writer(VOLUNTEER).write(subject="志愿服务", role="significance", target=600)
    assert described in significance.text
    for role in ("tasks", "safeguards", "requirements"):
        paragraph = writer(VOLUNTEER).write(subject="志愿服务", role=role, target=600)
        assert paragraph.sentences and described not in paragraph.text, role


def test_points_number_the_requirements_after_the_lead() -> None:
    lead = "要持续深化志愿服务。"
    paragraph = writer(VOLUNTEER).write(subject="志愿服务", role="tasks", lead=lead, target=200, points=True)
    texts = [s.text for s in paragraph.sentences]
    assert texts[0] == lead and len(texts) >= 3
    numbered = [t for t in texts[1:] if t[:2].endswith("要") and t[0] in "一二三四五六七八九十"]
    assert [t[0] for t in numbered] == list("一二三四五六七八九十")[: len(numbered)]
    assert len(numbered) == len(texts) - 1  # every chosen sentence here is a 要… requirement
    assert not any(t.startswith(("要要", "一要要")) or "要要" in t[:3] for t in texts)


def test_number_points_keeps_placeholders_and_descriptions_unnumbered() -> None:
    from app.compose.model import DraftSentence

    sentences = [
        DraftSentence(text="要擦亮志愿服务品牌。"),
        DraftSentence(text="志愿服务是城市温度的体现。"),
        DraftSentence(text="推动志愿服务向基层延伸。"),
        DraftSentence(text="【待补：具体措施】。"),
    ]
    assert [s.text for s in number_points(sentences, has_lead=False)] == [
        "一要擦亮志愿服务品牌。",
        "志愿服务是城市温度的体现。",
        "二要推动志愿服务向基层延伸。",
        "【待补：具体措施】。",
    ]


def test_the_writers_place_fills_the_slot_and_scope_words() -> None:
    passage = Passage(
        51, "午市讲话", "tasks",
        "大连市各级各部门要把志愿服务摆上重要议事日程，形成工作合力。全县志愿服务组织要主动对接群众需求，做到精准服务。",
    )  # fmt: skip
    paragraph = ParagraphWriter(search=StubIndex([passage]).search, place="滨湖区").write(
        subject="志愿服务", role="tasks"
    )
    assert [s.text for s in paragraph.sentences] == [
        "滨湖区各级各部门要把志愿服务摆上重要议事日程，形成工作合力。",
        "全区志愿服务组织要主动对接群众需求，做到精准服务。",
    ]


def test_review_and_problem_parts_take_no_requirements() -> None:
    assessment = Passage(52, "申市讲话", "review", "志愿服务队伍不断壮大，志愿服务阵地覆盖城乡社区。")
    for role in ("review", "problems"):
        paragraph = writer(VOLUNTEER, [assessment]).write(subject="志愿服务", role=role, target=600)
        assert "志愿服务队伍不断壮大，志愿服务阵地覆盖城乡社区。" in [s.text for s in paragraph.sentences]
        assert not [s.text for s in paragraph.sentences if s.text.startswith("要")], role


def test_a_lead_the_next_sentence_already_says_is_dropped() -> None:
    echo = Passage(53, "酉市讲话", "tasks", "要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。")
    paragraph = writer([echo]).write(subject="志愿服务", role="tasks", lead="要持续擦亮志愿服务品牌。")
    assert [s.text for s in paragraph.sentences] == ["要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。"]
    kept = writer([echo]).write(subject="志愿服务", role="tasks", lead="要持续深化志愿服务。")
    assert kept.sentences[0].text == "要持续深化志愿服务。" and kept.sentences[0].source is None


def test_two_documents_versions_of_one_sentence_are_not_both_said() -> None:
    long = Passage(61, "甲市讲话", "safeguards",
                   "要进一步完善党委统一领导、党政齐抓共管、有关部门各负其责、全社会积极参与的领导体制。")  # fmt: skip
    short = Passage(62, "乙市讲话", "safeguards",
                    "要完善党委统一领导、党政群齐抓共管、有关部门各负其责、全社会积极参与的工作格局。")  # fmt: skip
    other = Passage(63, "丙市讲话", "safeguards", "要把组织领导纳入年度考核，定期听取工作汇报，及时研究解决重大问题。")
    paragraph = writer([long, short, other]).write(subject="", role="safeguards", query="组织领导", target=400)
    texts = [s.text for s in paragraph.sentences]
    assert sum("各负其责" in t for t in texts) == 1
    assert any("年度考核" in t for t in texts)  # a sentence that says something else is kept


def test_a_lead_said_with_another_adverb_is_dropped() -> None:
    echo = Passage(64, "丁市讲话", "safeguards", "要加强组织领导，把精神文明建设摆上重要议事日程，定期研究部署。")
    paragraph = writer([echo]).write(subject="", role="safeguards", query="组织领导", lead="要切实加强组织领导。")
    assert paragraph.sentences[0].text.startswith("要加强组织领导，")
    assert "要切实加强组织领导。" not in paragraph.text
