"""Level-2 headings for the writer's topics that read as one argument: ``以志愿服务为纽带，打通服务群众的“最后一公里”``.

A human's level-2 heading names its subject and then says what to achieve with it. The old composer glued a
lead verb to the topic and a random tail (``扎实推进危化品，补齐短板弱项``). Here every sibling uses one frame
(``phrasebank/compose_defaults.json`` → ``speech.topic_frames``: 以A为B，…; 聚焦A，…; 引领动词+A，…), chosen in
the order the corpus's own headings use them, so the set is a 排比; the second half is an argument taken from
the corpus's sentences about that very topic — a verb-object clause such as ``打通服务群众的“最后一公里”`` —
and only when the corpus has none, a neutral built-in one. Checks: no verb said twice (``加强…加强``), no
argument shared by two siblings, no topic repeated in its own argument, lengths kept close.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from app.compose.headings import check_parallel, pick_lead

_CLAUSE = re.compile(r"[，,；;。！？：:]")
_BAD_END = (
    "的",
    "和",
    "与",
    "及",
    "等",
    "在",
    "把",
    "对",
    "为",
    "从",
    "向",
    "了",
    "着",
    "是",
    "要",
    # …作为构建和谐社会的实际行动: a noun phrase that needs its 作为, not an argument of its own
    "行动",
    "举措",
    "抓手",
    "载体",
    "内容",
    "部分",
    "工程",
    "任务",
    "要求",
    "意义",
    "作用",
    "方面",
    "环节",
)
ARGUMENT_CHARS = (6, 15)

# A topic's clauses from the corpus: (topic) → candidate sentence templates about it, best first.
TopicSentences = Callable[[str], list[str]]


def anchor_for(topic: str, anchors: Sequence[Sequence[str]], taken: set[str], spare: Sequence[str]) -> str:
    """以志愿服务为纽带, 以城中村治理为突破口: the anchor suits the topic's ending; siblings never share one."""
    wanted = next((a for ending, a in anchors if ending and topic.endswith(ending)), "")
    wanted = wanted or next((a for ending, a in anchors if not ending), "重点")
    if wanted not in taken:
        return wanted
    return next((a for a in spare if a not in taken), wanted)


def arguments_from(sentences: Sequence[str], verbs: Sequence[str], topic: str) -> list[str]:
    """Verb-object clauses a heading can end with: ``打通服务群众的“最后一公里”`` from a sentence about the topic."""
    found: list[str] = []
    for sentence in sentences:
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip().removeprefix("要").removeprefix("进一步").removeprefix("着力").removeprefix("不断")
            low, high = ARGUMENT_CHARS
            if not low <= len(clause) <= high or "{" in clause or "【" in clause:
                continue
            if not clause.startswith(tuple(verbs)) or clause.endswith(_BAD_END) or topic in clause:
                continue
            if clause.count("“") != clause.count("”") or "、" in clause:
                continue
            if any(word in clause for word in ("既", "不仅", "一方面", "也是", "还是")):  # half of a pair
                continue
            if clause not in found:
                found.append(clause)
    return found


def _verb_collides(head: str, argument: str) -> bool:
    """加强…加强, 推进…推进: the heading would say the same verb twice."""
    return any(head[i : i + 2] in argument for i in range(len(head) - 1) if head[i : i + 2] in _VERBS_ONCE)


_VERBS_ONCE = frozenset(
    [
        "加强",
        "推进",
        "推动",
        "提升",
        "深化",
        "建设",
        "打造",
        "构建",
        "完善",
        "健全",
        "强化",
        "开展",
        "营造",
        "弘扬",
        "培育",
        "促进",
        "实施",
        "落实",
        "坚持",
        "聚焦",
    ]
)


def frame_order(frames: Sequence[str], mined_headings: Sequence[str], seed: int) -> list[str]:
    """Frames in the order the corpus prefers them (how many mined level-2 headings open the same way),
    rotated by the seed for 换一个."""

    def used(frame: str) -> int:
        opening = frame.split("{", 1)[0]
        if frame.startswith("以"):
            return sum(1 for h in mined_headings if re.match(r"^以.{2,12}为.{1,4}，", h))
        if not opening:
            return 0
        return sum(1 for h in mined_headings if h.startswith(opening))

    ranked = sorted(frames, key=lambda f: -used(f))
    shift = seed % len(ranked) if ranked else 0
    return ranked[shift:] + ranked[:shift]


def topic_headings(
    topics: Sequence[str],
    config: dict[str, Any],
    leads: Sequence[Sequence[str]],
    sentences_for: TopicSentences,
    mined_headings: Sequence[str] = (),
    seed: int = 0,
    in_domain: bool = True,
    avoid: set[str] | None = None,
) -> list[str]:
    """One heading per topic, all in the first frame whose set passes the 排比 check; ``avoid`` holds arguments
    used elsewhere in the draft (updated with the ones used here)."""
    if not topics:
        return []
    avoid = avoid if avoid is not None else set()
    fallback = list(config["fallback_arguments"]) + (list(config["domain_fallback_arguments"]) if in_domain else [])
    per_topic = [arguments_from(sentences_for(t), config["argument_verbs"], t) for t in topics]
    best: list[str] = []
    for frame in frame_order(config["frames"], mined_headings, seed):
        taken: set[str] = set()
        used = set(avoid)
        heads = []
        for topic in topics:
            anchor = anchor_for(topic, config["anchors"], taken, config["spare_anchors"])
            taken.add(anchor)
            head = frame.split("{论点}")[0].replace("{议题}", topic).replace("{抓手}", anchor)
            heads.append(head.replace("{引领}", pick_lead(topic, leads)))
        # Siblings come out about as long as the longest head plus a mid-length argument.
        target = max(len(h) for h in heads) + 10
        headings = []
        for head, own in zip(heads, per_topic, strict=True):
            argument = _closest(head, own, _rotated(fallback, seed), used, target - len(head))
            used.add(argument)
            headings.append(head + argument)
        if check_parallel(headings).ok or not best:
            best = headings
            if check_parallel(headings).ok:
                avoid.update(h.split("，", 1)[-1] for h in headings)
                return headings
    avoid.update(h.split("，", 1)[-1] for h in best)
    return best


def _closest(head: str, own: Sequence[str], fallback: Sequence[str], used: set[str], want: int) -> str:
    """The corpus's own argument when one is near the wanted length, else the nearest built-in one."""
    fits = [a for a in (*own, *fallback) if a not in used and not _verb_collides(head, a)]
    if not fits:
        return fallback[0]
    close = [a for a in fits if abs(len(a) - want) <= 3]
    if close:
        return close[0]  # own arguments come first in ``fits``
    return min(fits, key=lambda a: abs(len(a) - want))


def _rotated(items: Sequence[str], seed: int) -> list[str]:
    shift = seed % len(items) if items else 0
    return list(items[shift:]) + list(items[:shift])
