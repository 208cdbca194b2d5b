"""Headings with slots filled, and the 排比 check that sibling headings must pass."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from app.compose.model import ParallelCheck

_PUNCT = re.compile(r"[、，,；;：:]")
_SLOT = re.compile(r"\{([^{}]+)\}")
# Meeting names end in a kind of meeting; what is left is its theme (全市精神文明建设工作推进会 → 精神文明建设).
_MEETING_TAIL = re.compile(
    r"(工作)?(推进会|推进大会|动员大会|动员会|部署会|座谈会|现场会|调度会|表彰大会|总结大会|电视电话会议|全委会|会议|大会|会)$"
)
_MEETING_HEAD = re.compile(r"^(全市|全区|全县|全省|全州|全镇|全旗|市|区|县)")


def theme_from_meeting(meeting: str, place: str = "") -> str:
    """The subject a meeting is about, for ``{主题}`` when the writer gave none; '' when nothing is left."""
    text = meeting.strip()
    if place and text.startswith(place):
        text = text[len(place) :]
    text = _MEETING_HEAD.sub("", text)
    text = re.sub(r"^.*?暨", "", text) if "暨" in text else text
    text = _MEETING_TAIL.sub("", text)
    return text if len(text) >= 2 else ""


def fill_slots(template: str, values: dict[str, str]) -> str:
    """Replace ``{slot}`` with its value; a slot with no value becomes ``【待补：slot】`` — never invented."""
    return _SLOT.sub(lambda m: values[m[1]] if values.get(m[1]) is not None else f"【待补：{m[1]}】", template)


def _common_prefix(texts: Sequence[str]) -> str:
    first = min(texts, key=len)
    for i, char in enumerate(first):
        if any(text[i] != char for text in texts):
            return first[:i]
    return first


def _shape(heading: str) -> str:
    """The punctuation skeleton: 肯定成绩、坚定信心，全面总结… → 4、4，*."""
    parts = _PUNCT.split(heading)
    marks = _PUNCT.findall(heading)
    if not marks:
        return "*"
    heads = [str(len(part)) for part in parts[:-1]]
    return "".join(h + m for h, m in zip(heads, marks, strict=True)) + "*"


def _frame_lead(headings: Sequence[str], leads: Sequence[str]) -> str | None:
    """What the siblings share at their start: a common prefix, a known 4-char lead verb, or equal shapes."""
    prefix = _common_prefix(headings)
    if prefix and not _PUNCT.search(prefix):
        inner = _common_infix(headings, len(prefix))
        return f"{prefix}…{inner}…" if inner else f"{prefix}…"
    if leads and all(any(h.startswith(lead) for lead in leads) for h in headings):
        return "（动词）…"
    shapes = {_shape(h) for h in headings}
    if len(shapes) == 1 and next(iter(shapes)) != "*":
        return next(iter(shapes)).replace("4", "XXXX").replace("2", "XX")
    # 切实加强组织领导 / 层层压实工作责任: no shared word, but the same 4+4 rhythm.
    if shapes == {"*"} and len({len(h) for h in headings}) == 1 and len(headings[0]) % 2 == 0:
        half = len(headings[0]) // 2
        return f"{half}+{half} 字对仗"
    return None


def _common_infix(headings: Sequence[str], skip: int) -> str:
    """A shared connective after the shared lead, e.g. 以X为Y → 为 (the 以…为… frame)."""
    for connective in ("为", "上", "中", "是"):
        if all(connective in h[skip + 1 : skip + 5] for h in headings):
            return connective
    return ""


def check_parallel(headings: Sequence[str], leads: Sequence[str] = (), tolerance: float = 0.25) -> ParallelCheck:
    """Do these sibling headings read as a 排比?

    They must share a lead structure (a common opening like 要/以…为/坚持, or all start with a lead verb from
    ``leads``, or all have the same punctuation skeleton such as XXXX、XXXX，…) and the same punctuation
    sequence, and their lengths must differ by at most ``tolerance`` of the longest (and never less than 3 chars).

    >>> check_parallel(["切实加强组织领导", "层层压实工作责任"]).ok
    True
    >>> check_parallel(["切实加强组织领导", "关于城中村治理的若干意见和下一步工作安排"]).ok
    False
    """
    lengths = [len(h) for h in headings]
    if len(headings) < 2:
        return ParallelCheck(ok=True, lead="", lengths=lengths, spread=0)
    spread = max(lengths) - min(lengths)
    lead = _frame_lead(headings, leads)
    same_marks = len({tuple(_PUNCT.findall(h)) for h in headings}) == 1
    limit = max(3, round(max(lengths) * tolerance))
    return ParallelCheck(
        ok=bool(lead) and same_marks and spread <= limit, lead=lead or "", lengths=lengths, spread=spread
    )


def pick_lead(topic: str, leads: Sequence[Sequence[str]]) -> str:
    """The lead verb that suits a topic by its last word: …建设 → 着力加强, …治理 → 扎实推进."""
    for ending, lead in leads:
        if ending and (topic.endswith(ending) or ending in topic[-4:]):
            return lead
    return next((lead for ending, lead in leads if not ending), "扎实推进")


def balanced_topic_headings(
    topics: Sequence[str],
    leads: Sequence[Sequence[str]],
    tails: Sequence[str],
    offset: int = 0,
    avoid: Collection[str] = (),
) -> list[str]:
    """``{lead}{topic}，{tail}`` for each topic, tails chosen so the headings come out about the same length.

    Topics differ in length (志愿服务 vs 未成年人思想道德建设); a longer tail evens out a shorter topic, so
    the siblings still read as a 排比. ``offset`` rotates the tail pool (the draft's seed); ``avoid`` holds
    tails used elsewhere in the draft.
    """
    heads = [pick_lead(topic, leads) + topic for topic in topics]
    if not heads:
        return []
    target = max(len(h) for h in heads) + 1 + min(len(t) for t in tails) + 2
    pool = list(tails[offset % len(tails) :]) + list(tails[: offset % len(tails)])
    fresh = [t for t in pool if t not in avoid]  # tails another part already used, unless none are left
    pool = fresh if len(fresh) >= len(heads) else pool
    headings = []
    for head in heads:
        want = target - len(head) - 1
        tail = min(pool, key=lambda t: (abs(len(t) - want), pool.index(t)))
        if len(pool) > 1:
            pool.remove(tail)
        headings.append(f"{head}，{tail}")
    return headings
