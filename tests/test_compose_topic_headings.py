"""Level-2 headings for the writer's topics: one frame for all siblings (a 排比), each ending in an argument."""

from __future__ import annotations

import pytest

from app.compose.bank import load_defaults
from app.compose.headings import check_parallel
from app.compose.plan.topic_headings import TopicSentences, arguments_from, topic_headings

SPEECH = load_defaults()["speech"]
CONFIG = SPEECH["topic_frames"]
LEADS = SPEECH["topic_leads"]
LEAD_VERBS = [lead for _, lead in LEADS]
TOPICS = ["未成年人思想道德建设", "志愿服务", "城中村治理"]
# Verbs a heading must not say twice (a few of them; the module keeps its own list).
VERBS = ("加强", "推进", "推动", "提升", "深化", "建设", "完善", "健全", "强化", "开展", "聚焦")

SENTENCES = {
    "志愿服务": ["要健全志愿服务站点网络，织密服务群众的阵地网络。"],
    "城中村治理": ["要扎实开展城中村治理攻坚，补齐环境卫生短板。"],
    "未成年人思想道德建设": ["要加强未成年人思想道德建设，帮助孩子扣好人生第一粒扣子。"],
}


def sentences_for(topic: str) -> list[str]:
    return SENTENCES.get(topic, [])


def _nothing(topic: str) -> list[str]:
    return []


def _split(heading: str) -> tuple[str, str]:
    head, argument = heading.split("，", 1)
    return head, argument


def _frame(head: str, topic: str) -> str:
    """What a sibling heading says around its topic: 以…为, 聚焦…, or a lead verb."""
    if head.startswith("以") and "为" in head[len(topic) :]:
        return "以…为…"
    if head.startswith("聚焦"):
        return "聚焦…"
    return "引领" if any(head.startswith(lead) for lead in LEAD_VERBS) else head


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lookup", [sentences_for, _nothing])
def test_siblings_share_one_frame_and_read_as_a_parallel(seed: int, lookup: TopicSentences) -> None:
    headings = topic_headings(TOPICS, CONFIG, LEADS, lookup, (), seed)
    assert len(headings) == len(TOPICS)
    frames = {_frame(_split(h)[0], t) for h, t in zip(headings, TOPICS, strict=True)}
    assert len(frames) == 1, headings
    assert check_parallel(headings, LEAD_VERBS).ok, headings
    for heading, topic in zip(headings, TOPICS, strict=True):
        head, argument = _split(heading)
        assert topic in head and topic not in argument  # the topic is named once, in the head


def test_the_argument_comes_from_a_sentence_about_the_topic() -> None:
    assert arguments_from(SENTENCES["志愿服务"], CONFIG["argument_verbs"], "志愿服务") == ["织密服务群众的阵地网络"]
    for seed in range(3):
        (heading,) = topic_headings(["志愿服务"], CONFIG, LEADS, sentences_for, (), seed)
        assert heading.endswith("，织密服务群众的阵地网络"), (seed, heading)
    # without a sentence about the topic, a built-in argument
    (plain,) = topic_headings(["志愿服务"], CONFIG, LEADS, _nothing, (), 0)
    assert _split(plain)[1] in CONFIG["fallback_arguments"] + CONFIG["domain_fallback_arguments"]


def test_a_clause_that_cannot_end_a_heading_is_not_an_argument() -> None:
    clauses = arguments_from(
        [
            "要健全志愿服务站点网络，作为服务群众的重要载体。",  # not a verb-object clause
            "要推动志愿服务与社区治理、文化活动相结合。",  # a list (、) and it names the topic
            "既要打造一支稳定的队伍，也要完善激励的制度。",  # half of a pair
            "要营造人人参与志愿的氛围和。",  # ends on a function word
        ],
        CONFIG["argument_verbs"],
        "志愿服务",
    )
    assert clauses == []


@pytest.mark.parametrize("seed", range(6))
def test_no_heading_says_its_verb_twice(seed: int) -> None:
    # 完善基础设施建设标准 would fit in length but says 建设 again after 阵地建设
    sentences = {
        "阵地建设": ["要加强阵地建设，完善基础设施建设标准。"],
        "队伍建设": ["要加强队伍建设，推进骨干队伍建设提质。"],
    }
    headings = topic_headings(["阵地建设", "队伍建设"], CONFIG, LEADS, lambda t: sentences[t], (), seed, False)
    assert not any("基础设施建设标准" in h or "骨干队伍建设提质" in h for h in headings), headings
    for heading in headings:
        head, argument = _split(heading)
        assert not [v for v in VERBS if v in head and v in argument], heading


@pytest.mark.parametrize("seed", range(6))
def test_no_argument_is_shared_between_siblings_or_with_the_rest_of_the_draft(seed: int) -> None:
    same = ["要动员社会力量广泛参与，织密服务群众的阵地网络。"]
    topics = ["志愿服务", "文明实践", "移风易俗"]
    headings = topic_headings(topics, CONFIG, LEADS, lambda t: same, (), seed)
    arguments = [_split(h)[1] for h in headings]
    assert len(set(arguments)) == len(arguments), headings
    # ``avoid``: what earlier parts of the draft said is not said again, and what is said here is added
    avoid = set(arguments)
    later = topic_headings(["城中村治理", "网络文明建设"], CONFIG, LEADS, _nothing, (), seed, True, avoid)
    assert not {_split(h)[1] for h in later} & set(arguments)
    assert {_split(h)[1] for h in later} <= avoid


def test_a_meeting_on_another_subject_gets_no_civilisation_arguments() -> None:
    domain = set(CONFIG["domain_fallback_arguments"])
    for seed in range(8):
        headings = topic_headings(["危化品监管", "消防安全", "道路交通安全"], CONFIG, LEADS, _nothing, (), seed, False)
        assert not {_split(h)[1] for h in headings} & domain, headings
        assert not any("文明" in h for h in headings)


def test_same_seed_same_headings_and_seeds_vary_them() -> None:
    once = topic_headings(TOPICS, CONFIG, LEADS, sentences_for, (), 4)
    assert once == topic_headings(TOPICS, CONFIG, LEADS, sentences_for, (), 4)
    assert len({tuple(topic_headings(TOPICS, CONFIG, LEADS, sentences_for, (), s)) for s in range(3)}) > 1


def test_frames_follow_the_corpus_headings() -> None:
    mined = ["聚焦文明实践，打通服务群众最后一公里", "聚焦移风易俗，推动形成文明新风", "以阵地为依托，扩大覆盖面"]
    headings = topic_headings(TOPICS, CONFIG, LEADS, sentences_for, mined, 0)
    assert all(h.startswith("聚焦") for h in headings), headings
