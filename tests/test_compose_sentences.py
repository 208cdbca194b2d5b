"""Reusing a past speech's sentence: spun words restored, enumerators dropped, other occasions' facts refused,
the writer's place filled in. The sentences are invented for these tests."""

from __future__ import annotations

import pytest

from app.compose.model import SourceRef
from app.compose.write.sentences import adapt_passage, adapt_sentence, fill, restore_spun, split_sentences


@pytest.mark.parametrize(
    ("raw", "adapted"),
    [
        ("要进一步健全志愿效劳站点网络，方便群众就近参与。", "要进一步健全志愿服务站点网络，方便群众就近参与。"),
        (
            "社区志愿队伍是基层治理的重要组成局部，必须持续加强。",
            "社区志愿队伍是基层治理的重要组成部分，必须持续加强。",
        ),
        (
            "要把文明创立同基层治理结合起来，形成上下联动的工作格局。",
            "要把文明创建同基层治理结合起来，形成上下联动的工作格局。",
        ),
    ],
)
def test_spun_words_are_restored(raw: str, adapted: str) -> None:
    assert adapt_sentence(raw) == adapted
    assert restore_spun("志愿效劳") == "志愿服务"


@pytest.mark.parametrize(
    ("raw", "adapted"),
    [
        # 二要 loses its number but keeps the 要 that makes it a requirement
        ("二要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。", "要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。"),
        ("三要 健全城中村常态巡查机制，防止脏乱差现象反弹。", "要健全城中村常态巡查机制，防止脏乱差现象反弹。"),
        ("（三）健全城中村常态巡查机制，防止脏乱差现象反弹。", "健全城中村常态巡查机制，防止脏乱差现象反弹。"),
        ("首先，要坚持问题导向，聚焦群众反映强烈的急难愁盼。", "要坚持问题导向，聚焦群众反映强烈的急难愁盼。"),
        ("2.健全城中村常态巡查机制，防止脏乱差现象反弹。", "健全城中村常态巡查机制，防止脏乱差现象反弹。"),
    ],
)
def test_enumerators_are_stripped(raw: str, adapted: str) -> None:
    assert adapt_sentence(raw) == adapted


@pytest.mark.parametrize(
    "raw",
    [
        # the occasion itself
        "刚才，几位同志结合实际作了交流发言，讲得都很好。",
        "今天召开的推进会，主要是动员各方面力量集中攻坚。",
        "这次会议很重要，各单位回去后要认真传达落实。",
        # another document's facts: a year, a person with a title, a count of what happened
        "2023年全县新建志愿服务站点覆盖所有行政村。",
        "要在2023年底前完成老旧小区改造提升任务。",
        "王建国书记强调，要把安全生产摆在更加突出的位置。",
        "上个月辖区内发生两起事故，暴露出安全管理仍有漏洞。",
        # characters lost in copying
        "要深入学习?习近平文化思想?，不断增强文化自信。",
        # a cut sentence (no end mark)
        "要坚持以人民为中心，不断提升群众的获得感和",
    ],
)
def test_sentences_that_cannot_be_reused_honestly_are_refused(raw: str) -> None:
    assert adapt_sentence(raw) is None


def test_the_same_sentence_without_the_fact_is_reused() -> None:
    # the refusals above are about the fact, not the wording around it
    assert adapt_sentence("全县新建志愿服务站点覆盖所有行政村。") is not None
    assert adapt_sentence("要把安全生产摆在更加突出的位置，坚决守住安全底线。") is not None
    assert adapt_sentence("要坚持以人民为中心，不断提升群众的获得感和幸福感。") is not None


def test_unbalanced_quotes_are_repaired_or_refused() -> None:
    # a closing quote lost: the quotes go, the sentence stays
    repaired = adapt_sentence("要持续深化“志愿之城建设，推动志愿服务走深走实。")
    assert repaired == "要持续深化志愿之城建设，推动志愿服务走深走实。"
    assert adapt_sentence("要持续深化“志愿之城”建设，推动志愿服务走深走实。") == (
        "要持续深化“志愿之城”建设，推动志愿服务走深走实。"
    )
    # other unbalanced marks are not guessed at
    unbalanced = adapt_sentence("要持续深化《志愿之城建设，推动志愿服务走深走实。")
    assert unbalanced is None or unbalanced.count("《") == unbalanced.count("》")
    for text in (repaired, unbalanced):
        if text is not None:
            assert text.count("“") == text.count("”")


def test_ascii_punctuation_becomes_full_width() -> None:
    adapted = adapt_sentence("要坚持以人民为中心(人民至上),不断提升群众的获得感和幸福感;")
    assert adapted == "要坚持以人民为中心（人民至上），不断提升群众的获得感和幸福感。"
    assert not any(mark in adapted for mark in ",;:()!?")


def test_a_clause_ending_in_a_semicolon_becomes_a_sentence() -> None:
    assert split_sentences("要加强阵地建设；要壮大队伍力量。") == ["要加强阵地建设；", "要壮大队伍力量。"]
    assert adapt_sentence("要持续壮大基层志愿服务队伍力量；") == "要持续壮大基层志愿服务队伍力量。"


def test_narration_of_past_deeds_is_refused_outside_narrative_parts() -> None:
    done = "全市志愿服务工作取得了明显成效，群众满意度稳步提升。"
    assert adapt_sentence(done, narrative=True) == done
    assert adapt_sentence(done, narrative=False) is None


def test_a_place_is_slotted_and_filled_with_the_writers_place() -> None:
    template = adapt_sentence("大连市各级各部门要切实加强组织领导，形成工作合力。")
    assert template == "{地名}各级各部门要切实加强组织领导，形成工作合力。"
    assert fill(template, "江州市") == "江州市各级各部门要切实加强组织领导，形成工作合力。"
    assert fill(template, "") == "全市各级各部门要切实加强组织领导，形成工作合力。"


@pytest.mark.parametrize(
    ("place", "filled"),
    [
        ("江州市", "全市各级各部门要把志愿服务摆上重要议事日程，我市要带头抓好落实。"),
        ("滨湖区", "全区各级各部门要把志愿服务摆上重要议事日程，我区要带头抓好落实。"),
        ("青山县", "全县各级各部门要把志愿服务摆上重要议事日程，我县要带头抓好落实。"),
        ("", "全县各级各部门要把志愿服务摆上重要议事日程，我县要带头抓好落实。"),
    ],
)
def test_scope_words_follow_the_level_of_the_writers_place(place: str, filled: str) -> None:
    template = "全县各级各部门要把志愿服务摆上重要议事日程，我县要带头抓好落实。"
    assert fill(template, place) == filled


def test_figures_become_placeholders_never_numbers() -> None:
    assert fill("要把{数字}项任务落到实处，由{单位}牵头。", "江州市") == (
        "要把【待补：数字】项任务落到实处，由【待补：责任单位】牵头。"
    )


def test_a_passage_keeps_its_source_order_and_positions() -> None:
    source = SourceRef(document_id=9, title="往年讲话")
    text = (
        "刚才大家的发言都很好。要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。"
        "要健全志愿效劳记录制度，做到服务时长可查可转。"
    )
    found = adapt_passage(text, source, rank=2, role="tasks", narrative=False)
    assert [c.template for c in found] == [
        "要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。",
        "要健全志愿服务记录制度，做到服务时长可查可转。",
    ]
    assert [c.position for c in found] == [1, 2]
    assert all(c.source == source and c.passage == 2 and c.role == "tasks" for c in found)
    assert len({c.key for c in found}) == 2


def test_a_traditional_passage_is_reused_in_simplified_script() -> None:
    assert adapt_sentence("要持續擦亮志願服務品牌，推動志願服務向基層延伸。") == (
        "要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。"
    )


def test_a_stock_quantifier_is_not_a_fact() -> None:
    # 一批/一项 is how a requirement speaks (推出一批志愿服务品牌项目); 两起/三批 count what happened elsewhere.
    assert adapt_sentence("要精心培育推出一批志愿服务品牌项目，扩大社会影响力。") is not None
    assert adapt_sentence("全市已经推出三批志愿服务品牌项目，扩大了社会影响力。") is None


def test_a_single_event_elsewhere_is_still_a_fact() -> None:
    assert adapt_sentence("上个月辖区内发生一起较大事故，教训十分深刻。") is None
    assert adapt_sentence("全市有一家企业被挂牌督办，必须引以为戒。") is None
