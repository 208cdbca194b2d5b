"""The phrase-bank miner on hand-written fixtures: one test per extractor, plus the estimator contract."""

from __future__ import annotations

import dataclasses

import pytest

from app.mine import KINDS, PhraseMiner
from app.mine.formulas import count_of, expansion, is_formula_name
from app.mine.headings import shape_heading
from app.mine.idioms import structure
from app.mine.lexicon import load_lexicon, shared_tokenizer
from app.mine.parallel import find_runs
from app.mine.skeletons import consensus, role_sequence
from app.mine.types import MinedPhrase
from tests.mine_fixtures import SHARED, make_document


@pytest.fixture(scope="module")
def miner() -> PhraseMiner:
    return PhraseMiner().fit(SHARED)


def by_text(miner: PhraseMiner, kind: str) -> dict[str, MinedPhrase]:
    return {p.text: p for p in miner.phrases_ if p.kind == kind}


def test_estimator_contract(miner: PhraseMiner) -> None:
    assert PhraseMiner().get_params()["min_doc_frequency"] == 2
    assert {p.kind for p in miner.phrases_} <= set(KINDS)
    keys = [(p.kind, -p.score, p.text) for p in miner.phrases_]
    assert keys == sorted(keys)
    assert not hasattr(PhraseMiner(), "phrases_")  # learned state only after fit


def test_fit_twice_gives_identical_bank() -> None:
    first = PhraseMiner().fit(SHARED).phrases_
    second = PhraseMiner().fit(list(SHARED)).phrases_
    assert [dataclasses.asdict(p) for p in first] == [dataclasses.asdict(p) for p in second]


def test_formulation_shared_by_documents(miner: PhraseMiner) -> None:
    found = by_text(miner, "formulation")
    guide = found["坚持以习近平新时代中国特色社会主义思想为指导"]
    assert guide.doc_frequency == 3 and guide.frequency == 3
    assert {o.document_id for o in guide.occurrences} == {1, 2, 3}
    # a maximal shared part of longer clauses, never the 全市上下要 / 我们要 in front of it
    assert "深入学习贯彻习近平总书记关于精神文明建设的重要论述" in found
    assert not any(t.startswith(("要", "全市上下", "我们要")) for t in found)
    # the place is a slot: two cities, one formulation
    chapter = next(p for p in found.values() if p.template == "为谱写中国式现代化{地名}篇章贡献力量")
    assert chapter.doc_frequency == 2
    assert all(p.doc_frequency >= 2 for p in found.values())


def test_formulation_occurrence_points_at_its_surface(miner: PhraseMiner) -> None:
    phrase = by_text(miner, "formulation")["坚持以习近平新时代中国特色社会主义思想为指导"]
    passages = {(d.document_id, s.ordinal): [p.text for p in s.passages] for d in SHARED for s in d.sections}
    for occ in phrase.occurrences:
        text = next(t for t in passages[(occ.document_id, occ.section_ordinal)] if occ.surface in t)
        assert text[occ.offset : occ.offset + len(occ.surface)] == occ.surface == phrase.text


def test_min_doc_frequency_is_a_parameter() -> None:
    strict = PhraseMiner(min_doc_frequency=3).fit(SHARED)
    assert all(p.doc_frequency >= 3 for p in strict.by_kind("formulation"))
    assert "坚持以习近平新时代中国特色社会主义思想为指导" in {p.text for p in strict.by_kind("formulation")}


def test_parallel_runs_in_a_sentence(miner: PhraseMiner) -> None:
    runs = by_text(miner, "parallel")
    assert runs["抓在经常、融入日常、做在平常"].extra["frame"] == "___常"
    assert runs["说文明话、办文明事、做文明人"].extra["items"] == ["说文明话", "办文明事", "做文明人"]
    assert "增强“四个意识”、坚定“四个自信”、做到“两个维护”" in runs  # quotes kept for the writer


@pytest.mark.parametrize(
    "text",
    [
        "市城管局、市住建局、市交通局等部门要担起责任。",  # a line-up of units
        "完善教育、文体、医疗、养老等公共服务设施。",  # a list of nouns: equal length, nothing shared
        "广泛开展文明家庭、文明社区、文明校园创建。",  # kinds under one noun
    ],
)
def test_lists_are_not_parallel(text: str) -> None:
    miner = PhraseMiner().fit([make_document(1, "speech", [(1, "", "", "tasks", [text])])])
    assert miner.by_kind("parallel") == []


def test_parallel_edge_items_are_trimmed_to_the_run() -> None:
    tokenizer = shared_tokenizer()
    text = "让人民群众在创城中得到实惠、看到变化、感到满意。健全以学铸魂、以学增智、以学正风、以学促干长效机制。"
    runs = list(find_runs(text, tokenizer))
    assert [r.items for r in runs] == [
        ("得到实惠", "看到变化", "感到满意"),
        ("以学铸魂", "以学增智", "以学正风", "以学促干"),
    ]


def test_idioms_keep_set_phrases_and_drop_terms(miner: PhraseMiner) -> None:
    idioms = by_text(miner, "idiom")
    for word in ("久久为功", "守正创新", "走深走实", "与时俱进", "落到实处"):
        assert word in idioms
    for term in ("精神文明", "文明城市", "文明实践", "贯彻落实", "说文明话"):
        assert term not in idioms
    assert idioms["落到实处"].doc_frequency == 2
    assert idioms["走深走实"].extra["evidence"] == "structure"
    assert structure("实实在在") == "AABB" and structure("守正创新") == ""


def test_formula_with_expansion(miner: PhraseMiner) -> None:
    formulas = by_text(miner, "formula")
    assert formulas["四季红"].extra["expansion"] == ["亲情季", "成长季", "丰收季", "诚信季"]
    assert formulas["四季红"].extra["expansion_source"] == "corpus"
    assert formulas["四个自信"].extra["expansion"] == ["道路自信", "理论自信", "制度自信", "文化自信"]
    assert formulas["四个自信"].extra["expansion_source"] == "lexicon"


def test_formula_expansion_from_text() -> None:
    text = (
        "对精神文明工作提出了“六个坚持”的具体要求，"
        "即要坚持把建设核心价值体系作为主线；坚持围绕中心、服务大局；坚持以人为本。"
    )
    start = text.index("六个坚持")
    items, complete = expansion(text, start, start + 4, "六个坚持")
    assert items == ("坚持把建设核心价值体系作为主线", "坚持围绕中心、服务大局", "坚持以人为本") and not complete
    lexicon = load_lexicon()
    assert is_formula_name("十大品牌", lexicon) and is_formula_name("两先区", lexicon)
    assert not is_formula_name("七连冠", lexicon) and not is_formula_name("一年试点、两年攻坚", lexicon)
    assert count_of("十大品牌") == 10 and count_of("四个意识") == 4 and count_of("十四五") is None


def test_speech_openers_transitions_and_closer(miner: PhraseMiner) -> None:
    openers = {p.template: p for p in miner.by_kind("opener")}
    assert openers["同志们："].doc_frequency == 2
    assert "今天，我们召开{会议}，主要任务是…" in openers
    transitions = {p.template: p for p in miner.by_kind("transition")}
    assert transitions["下面，我讲{数字}点意见。"].doc_frequency == 2
    assert "刚才，{人名}同志通报了有关情况。" in transitions
    closers = {p.text for p in miner.by_kind("closer")}
    assert "同志们，让我们更加紧密地团结起来，奋力开创精神文明建设新局面！" in closers


def test_report_openers_and_closer(miner: PhraseMiner) -> None:
    templates = {(p.kind, p.template) for p in miner.phrases_}
    assert ("opener", "{日期}，{会议}召开。") in templates
    assert ("opener", "市委书记{人名}出席会议并讲话。") in templates
    assert ("transition", "{人名}强调，") in templates
    assert ("closer", "市直有关部门主要负责同志参加会议。") in templates


def test_heading_patterns_and_siblings(miner: PhraseMiner) -> None:
    headings = by_text(miner, "heading")
    lead = headings["以文明实践为抓手，全力推动各项任务落地见效"]
    assert lead.template == "以{主题}为抓手，全力推动{内容}"
    assert lead.extra["pattern"] == "以X为Y，Z"
    assert lead.extra["siblings"][0] == "提高站位、凝聚共识，深刻认识精神文明建设的重要意义"
    assert headings["提高站位、凝聚共识，深刻认识精神文明建设的重要意义"].template.startswith("{四字}、{四字}，")
    assert "王志强强调" not in headings  # a report's speech cue is a transition, not a heading
    tokenizer = shared_tokenizer()
    assert (
        shape_heading("以治理现代化为突破口，全力攻克城乡文明融合的最后一公里", tokenizer).template
        == "以{主题}为突破口，全力攻克{难题}"
    )
    assert shape_heading("要高效协同", tokenizer).template == "要{四字}"


def test_skeletons(miner: PhraseMiner) -> None:
    skeletons = by_text(miner, "skeleton")
    full = skeletons["speech: opening → significance → tasks → safeguards → closing"]
    assert full.extra["roles"] == ["opening", "significance", "tasks", "safeguards", "closing"]
    assert full.extra["example_headings"]["tasks"] == ["以文明实践为抓手，全力推动各项任务落地见效"]
    assert role_sequence(SHARED[2]) == ("lead", "requirements", "participants")
    assert consensus([("a", "b", "c"), ("a", "c"), ("a", "b", "c", "d")]) == ("a", "b", "c")


def test_all_documents_feed_the_bank_and_domain_is_recorded() -> None:
    docs = [dataclasses.replace(d, in_domain=d.document_id != 2) for d in SHARED]
    phrase = next(
        p
        for p in PhraseMiner().fit(docs).by_kind("formulation")
        if p.text == "坚持以习近平新时代中国特色社会主义思想为指导"
    )
    assert phrase.doc_frequency == 3
    assert phrase.extra["in_domain_share"] == pytest.approx(2 / 3, abs=1e-3)


def test_occurrences_are_capped_but_counted() -> None:
    docs = [
        make_document(i, "speech", [(1, "", "", "tasks", ["要坚持以人民为中心的发展思想，推动各项工作落到实处。"])])
        for i in range(1, 31)
    ]
    phrase = next(
        p for p in PhraseMiner(max_occurrences=5).fit(docs).by_kind("formulation") if p.text == "推动各项工作落到实处"
    )
    assert phrase.doc_frequency == 30 and phrase.frequency == 30 and len(phrase.occurrences) == 5
