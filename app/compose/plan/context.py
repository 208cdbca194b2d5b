"""What the request tells the planner: slot values, the subject, its field, and the topics to cover."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.compose.bank import ComposeBank
from app.compose.headings import theme_from_meeting
from app.compose.numbering import cn_month_day, cn_number
from app.compose.request import DraftRequest


def count_word(n: int) -> str:
    """讲两点意见, not 二点: a count before a measure word says 两."""
    return "两" if n == 2 else cn_number(n)


def slot_values(request: DraftRequest, defaults: dict[str, Any]) -> dict[str, str | None]:
    """What the writer told us, keyed by the bank's slot names; None means the writer must supply it."""
    theme = request.theme or theme_from_meeting(request.meeting, request.place) or defaults["default_theme"]
    # 推动{主题}取得成效 needs an activity: 道德模范 (from 道德模范表彰大会) reads as 道德模范工作.
    if not theme.endswith(tuple(defaults["activity_endings"])):
        theme += "工作"
    return {
        "会议": request.meeting,
        "主题": theme,
        "地方": request.place,
        "地名": request.place or None,
        "日期": cn_month_day(request.date) if request.date else None,
        "讲话人": request.speaker or None,
        "人名": None,
        "单位": None,
        "数字": count_word(request.parts),
    }


def in_domain(request: DraftRequest, theme: str, defaults: dict[str, Any]) -> bool:
    """Is the meeting about 精神文明 work? Its theme or meeting name says so (a 乡村振兴 meeting with a 乡风文明
    topic is still a 乡村振兴 meeting: the topic's own heading gets its own wording)."""
    text = " ".join((theme, request.meeting, request.theme))
    return any(term in text for term in defaults["domain_terms"])


def split_topics(topics: Sequence[str], buckets: int) -> list[list[str]]:
    """Topics shared out in order over the task parts: 5 topics over 2 parts → 3 + 2."""
    size, extra = divmod(len(topics), buckets)
    out, start = [], 0
    for i in range(buckets):
        end = start + size + (1 if i < extra else 0)
        out.append(list(topics[start:end]))
        start = end
    return out


def _overlaps(topic: str, others: Sequence[str]) -> bool:
    return any(topic in other or other in topic for other in others)


def topics_for(request: DraftRequest, bank: ComposeBank, needed: int, notes: list[str], domain: bool) -> list[str]:
    """The writer's topics, topped up from the common ones (not overlapping theirs) when there are too few.

    Common 精神文明 topics are added only to a meeting of that field; a meeting on another subject keeps the
    writer's own topics (or the subject itself) rather than borrowing 志愿服务 for a 安全生产 speech.
    """
    topics = list(request.topics)
    if len(topics) < needed and domain:
        pool = [t for t in bank.defaults["default_topics"] if not _overlaps(t, topics)]
        extra = pool[: needed - len(topics)]
        if extra:
            notes.append(f"议题不足，补充了常见议题：{'、'.join(extra)} / added common topics: {', '.join(extra)}")
        topics += extra
    return topics
