"""Meeting-type templates: which level-1 parts a speech has, by the kind of meeting (表彰, 动员部署 …).

A 表彰大会 speech congratulates, holds up the models and urges everyone on; a 总结会 speech looks back, draws
lessons and plans ahead. The data (parts, heading frames, built-in sentences) lives in
phrasebank/meeting_types.json so a writer can review it; this module only reads it. Pure: the file is read
once per process, nothing else is touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from app.config import REPO_ROOT
from app.text.normalise import to_simplified

MEETING_TYPES_PATH = REPO_ROOT / "phrasebank" / "meeting_types.json"
REPORT_TYPE = "report"  # 会议报道: planned by plan/report.py; it has a name here, no parts
MIN_PARTS, MAX_PARTS = 2, 6  # the request's ``parts`` bounds (DraftRequest.parts)
ChildrenKind = Literal["topics", "fixed", "none"]
CHILDREN_KINDS: tuple[ChildrenKind, ...] = ("topics", "fixed", "none")


@dataclass(frozen=True)
class PartSpec:
    """One level-1 part of a speech.

    ``role`` is a corpus role (review, problems, significance, tasks, safeguards) so retrieval and the bank can
    be filtered by it; ``query`` retrieves passages for the part; ``children`` says what goes under it:
    the writer's topics as level-2 headings, the built-in ``fixed`` level-2 headings, or a paragraph ("none").
    ``fixed_roles`` gives each fixed heading its own role where it differs from the part's: a 认清形势 part
    argues 成绩来之不易 (review), 问题不容忽视 (problems), 任务依然艰巨 (significance), each paragraph drawn
    from the corpus's passages of that role.
    """

    key: str
    label: str
    role: str
    query: str
    children: ChildrenKind
    fixed: tuple[str, ...] = ()
    fixed_roles: tuple[str, ...] = ()


@cache
def load_meeting_types(path: Path = MEETING_TYPES_PATH) -> dict[str, Any]:
    """phrasebank/meeting_types.json, read once per process. Callers must not mutate it (it is shared)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _types() -> dict[str, dict[str, Any]]:
    return load_meeting_types()["types"]


def speech_type_keys() -> tuple[str, ...]:
    """The meeting types a speech can have (every type but ``report``), in file order."""
    return tuple(key for key in _types() if key != REPORT_TYPE)


def meeting_type_name(key: str) -> str:
    """The Chinese name of a type (表彰, 会议报道 …), for a draft that states its type."""
    if key not in _types():
        raise ValueError(f"unknown meeting type {key!r}")
    return str(_types()[key]["name"])


def _speech_type(key: str) -> dict[str, Any]:
    # A report has no level-1 parts, openings or frames: asking for them is a caller's bug, not an empty answer.
    if key == REPORT_TYPE:
        raise ValueError("a report (会议报道) has no speech parts; it is planned by app/compose/plan/report.py")
    if key not in _types():
        raise ValueError(f"unknown meeting type {key!r}; expected one of {', '.join(speech_type_keys())}")
    return _types()[key]


def infer_meeting_type(meeting: str) -> tuple[str, str]:
    """The meeting type a meeting name indicates, and the cue that decided ("" when the default was taken).

    A name joined with 暨 is read segment by segment: the first meeting named is the main one (前主后次),
    a later one decides only when the first has no cue. Within a segment the cue ending furthest right wins,
    because a Chinese meeting name ends with its kind (经验交流推进会 is a 推进会); then the longer cue
    (动员部署 over 部署); then the file's ``precedence``.

    >>> infer_meeting_type("全市精神文明建设表彰大会暨第八届全国文明城市创建工作推进会议")
    ('commendation', '表彰')
    >>> infer_meeting_type("全县安全生产工作会议")
    ('progress', '')
    """
    data = load_meeting_types()
    text = "".join(to_simplified(meeting).split())  # 表彰大會 names the same meeting as 表彰大会
    for segment in text.split(data["joiner"]):
        found = _best_cue(segment, data["precedence"])
        if found:
            return found
    return str(data["default"]), ""


def _best_cue(segment: str, precedence: list[str]) -> tuple[str, str] | None:
    best: tuple[int, int, int] | None = None
    found: tuple[str, str] | None = None
    for key in speech_type_keys():
        rank = -precedence.index(key) if key in precedence else -len(precedence)
        for cue in _types()[key]["cues"]:
            start = segment.rfind(cue)
            if start < 0:
                continue
            score = (start + len(cue), len(cue), rank)
            if best is None or score > best:
                best, found = score, (key, cue)
    return found


def meeting_type_parts(key: str, parts: int) -> list[PartSpec]:
    """The level-1 parts, in order, of a ``key`` speech with ``parts`` level-1 headings (2-6)."""
    if not MIN_PARTS <= parts <= MAX_PARTS:
        raise ValueError(f"parts must be {MIN_PARTS}-{MAX_PARTS}, got {parts}")
    part_keys = _speech_type(key)["parts"][str(parts)]
    return [_part_spec(part_key) for part_key in part_keys]


def _part_spec(part_key: str) -> PartSpec:
    spec = load_meeting_types()["parts_catalog"][part_key]
    children = spec["children"]
    if children not in CHILDREN_KINDS:
        raise ValueError(f"part {part_key!r}: children must be one of {CHILDREN_KINDS}, got {children!r}")
    # A fixed heading is its text, or {"heading": …, "role": …} when it argues another role than its part.
    fixed = [item if isinstance(item, dict) else {"heading": item} for item in spec.get("fixed", ())]
    return PartSpec(
        key=part_key,
        label=spec["label"],
        role=spec["role"],
        query=spec["query"],
        children=cast(ChildrenKind, children),
        fixed=tuple(item["heading"] for item in fixed),
        fixed_roles=tuple(item.get("role", spec["role"]) for item in fixed),
    )


def part_keys(key: str) -> list[str]:
    """Every part key a ``key`` speech can have, over all parts counts, in first-use order."""
    by_count = _speech_type(key)["parts"]
    return list(dict.fromkeys(part for count in sorted(by_count, key=int) for part in by_count[count]))


def level1_families(key: str) -> list[dict[str, list[str]]]:
    """The level-1 heading frame families of a type: part key → frames with a {主题} slot.

    One draft takes all its level-1 headings from one family so they read as a 排比. The family's name is
    left out (it is not a part key); ``level1_family_names`` gives the names in the same order.
    """
    return [
        {part: list(frames) for part, frames in family.items() if part != "name"}
        for family in _speech_type(key)["level1_families"]
    ]


def level1_family_names(key: str) -> list[str]:
    """The names of ``level1_families(key)``, same order: 四字对句, 以……为……, 要……."""
    return [str(family["name"]) for family in _speech_type(key)["level1_families"]]


def opening_lines(key: str) -> list[str]:
    """Built-in opening sentences (purpose, 祝贺/刚才…, 下面我讲{数字}点意见) with slots unfilled."""
    return list(_speech_type(key)["opening"])


def closing_lines(key: str) -> list[str]:
    """Built-in closing sentences with slots unfilled."""
    return list(_speech_type(key)["closing"])


def fallback_sentences(key: str, part_key: str) -> list[str]:
    """Neutral sentences for a part when the corpus has nothing for it; facts are 【待补：…】, slots unfilled."""
    if part_key not in part_keys(key):
        raise ValueError(f"meeting type {key!r} has no part {part_key!r}")
    return list(load_meeting_types()["fallback_paragraphs"].get(part_key, ()))
