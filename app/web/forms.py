"""The draft form: form fields → ``DraftRequest``, errors in Chinese per field, and chosen headings (换一个).

A browser sends every field as a string ("" for an empty box); the request model wants typed values with
defaults, so empty optional fields are left out rather than sent as "".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.compose.headings import check_parallel
from app.compose.model import Draft, DraftSection, ParallelCheck
from app.compose.request import MAX_TOPIC_CHARS, MAX_TOPICS, MEETING_TYPE_NAMES, DraftRequest
from app.text.dates import DATE_ERROR

FIELDS = (
    "doc_type",
    "meeting",
    "place",
    "speaker",
    "date",
    "theme",
    "topics",
    "parts",
    "detail",
    "meeting_type",
    "points",
    "script",
    "target_minutes",
    "seed",
)
# An empty box, an unticked checkbox (sends nothing) and 自动识别 ("") all mean "the model's default".
_OPTIONAL = {"date", "target_minutes", "seed", "place", "speaker", "theme", "topics", "parts", "meeting_type", "points"}
# What the form shows before the writer types anything (the model's defaults, as strings).
DEFAULT_VALUES: dict[str, str] = {
    "doc_type": "speech",
    "meeting": "",
    "place": "",
    "speaker": "",
    "date": "",
    "theme": "",
    "topics": "",
    "parts": "3",
    "detail": "paragraphs",
    "meeting_type": "",
    "points": "",
    "script": "simplified",
    "target_minutes": "",
    "seed": "0",
}
FIELD_LABELS: dict[str, str] = {
    "doc_type": "文种",
    "meeting": "会议名称",
    "place": "地点",
    "speaker": "讲话人",
    "date": "会议日期",
    "theme": "主题",
    "topics": "重点议题",
    "parts": "一级标题个数",
    "detail": "内容",
    "meeting_type": "会议类型",
    "points": "一要、二要",
    "script": "字形",
    "target_minutes": "目标时长",
    "seed": "变化种子",
}
DETAIL_OPTIONS: tuple[tuple[str, str], ...] = (
    ("paragraphs", "段落（默认）"),
    ("outline", "提纲"),
    ("outline+passages", "提纲+参考段落"),
)
MEETING_TYPE_OPTIONS: tuple[tuple[str, str], ...] = (("", "自动识别"), *MEETING_TYPE_NAMES.items())
POINTS_ON = "1"  # the checkbox's value; request_values writes it back into the hidden fields
OVERRIDE_PREFIX = "h_"  # h_<index of the section in Draft.walk()> = the heading the writer chose
MAX_FIELD_CHARS = 2000  # the model limits each field far lower; this only bounds what we echo back


@dataclass
class DraftForm:
    values: dict[str, str]  # as typed, to refill the form
    request: DraftRequest | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field name → 中文 message
    overrides: dict[int, str] = field(default_factory=dict)
    swap: int | None = None


def parse_draft_form(form: Mapping[str, Any], topic_values: list[str] | None = None) -> DraftForm:
    """Validate the posted fields; ``topic_values`` are all ``topics`` inputs (a tag list may send several)."""
    values = {name: _text(form.get(name, DEFAULT_VALUES[name])) for name in FIELDS}
    if topic_values is not None and len(topic_values) > 1:
        values["topics"] = "，".join(_text(v) for v in topic_values if _text(v).strip())
    parsed = DraftForm(values=values, overrides=_overrides(form), swap=_int_or_none(form.get("swap")))
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = values[name].strip()
        if value == "" and name in _OPTIONAL:
            continue  # the model's default applies
        data[name] = value
    try:
        parsed.request = DraftRequest.model_validate(data)
        # A macro or a link may name the meeting type in Chinese (表彰); the select shows it by its key.
        parsed.values["meeting_type"] = parsed.request.meeting_type or ""
    except ValidationError as error:
        for detail in error.errors():
            name = str(detail["loc"][0]) if detail["loc"] else "meeting"  # the one model-level check is on meeting
            parsed.errors.setdefault(name if name in FIELDS else "meeting", chinese_message(detail))
    return parsed


def request_values(request: DraftRequest) -> dict[str, str]:
    """The validated request as form strings: the hidden fields that let download and 换一个 redo this draft."""
    return {
        "doc_type": request.doc_type,
        "meeting": request.meeting,
        "place": request.place,
        "speaker": request.speaker,
        "date": request.date.isoformat() if isinstance(request.date, dt.date) else "",
        "theme": request.theme,
        "topics": "，".join(request.topics),
        "parts": str(request.parts),
        "detail": request.detail,
        "meeting_type": request.meeting_type or "",
        "points": POINTS_ON if request.points else "",
        "script": request.script,
        "target_minutes": "" if request.target_minutes is None else str(request.target_minutes),
        "seed": str(request.seed),
    }


def chinese_message(detail: ErrorDetails) -> str:
    """One pydantic error in the writer's language; the model's own messages are already "中文 / English"."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return "此项必填"
    if kind == "string_too_short":
        return f"至少需要 {ctx.get('min_length')} 个字"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字"
    if kind == "too_long":
        return f"最多 {MAX_TOPICS} 个议题"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "请填写整数"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == DATE_ERROR:  # the date type's own "中文 / English": a bad spelling or a day the calendar lacks
        return detail["msg"].split(" / ")[0]
    if kind == "literal_error":
        return "请从列表中选择"
    if kind == "value_error":
        message = str(ctx.get("error") or detail["msg"]).removeprefix("Value error, ")
        return message.split(" / ")[0]  # the Chinese half
    return f"填写有误（议题每项不超过 {MAX_TOPIC_CHARS} 字）" if detail["loc"][:1] == ("topics",) else "填写有误"


def apply_headings(draft: Draft, overrides: Mapping[int, str], swap: int | None) -> tuple[Draft, dict[int, str]]:
    """``draft`` with the writer's chosen headings, and the choices now in effect (walk index → heading).

    The draft is frozen (it may be the composer's cached one): sections whose heading changes, and their
    ancestors, are rebuilt with ``model_copy``; the rest are shared with ``draft``, which stays as it was.
    Only a section's own heading or one of its ``alternatives`` is accepted, so a stale or forged field
    cannot put arbitrary text in the document. ``swap`` moves that section on to its next alternative.
    When a heading changes, the 排比 check of its siblings is redone, so the page never claims a 排比 that the
    swap broke.
    """
    chosen: dict[int, str] = {}
    position = 0

    def visit(sections: tuple[DraftSection, ...]) -> tuple[tuple[DraftSection, ...], bool, bool]:
        """The sections with choices applied; whether one of these headings changed; whether anything below did."""
        nonlocal position
        rebuilt: list[DraftSection] = []
        headings_changed = changed = False
        for section in sections:
            index = position  # walk order: a section, then its children
            position += 1
            cycle = [section.heading, *[a for a in section.alternatives if a != section.heading]]
            wanted = overrides.get(index)
            current = wanted if wanted in cycle else section.heading
            if swap == index and len(cycle) > 1:
                current = cycle[(cycle.index(current) + 1) % len(cycle)]
            children, child_headings_changed, children_changed = visit(section.children)
            update: dict[str, object] = {}
            if current != section.heading:
                update["heading"] = current
                update["alternatives"] = tuple(h for h in cycle if h != current)
                chosen[index] = current
                headings_changed = True
            if children_changed:
                update["children"] = children
            if child_headings_changed and (parallel := _recheck(children)) is not None:
                update["parallel"] = parallel
            if update:
                section = section.model_copy(update=update)
                changed = True
            rebuilt.append(section)
        return tuple(rebuilt), headings_changed, changed

    sections, headings_changed, changed = visit(draft.sections)
    if not changed:
        return draft, chosen
    update: dict[str, object] = {"sections": sections}
    if headings_changed and (parallel := _recheck(sections)) is not None:
        update["parallel"] = parallel
    return draft.model_copy(update=update), chosen


def _recheck(siblings: tuple[DraftSection, ...]) -> ParallelCheck | None:
    """The 排比 check of sibling headings (numbered ones only), or None when there are fewer than two."""
    headings = [s.heading for s in siblings if s.level > 0]
    return check_parallel(headings) if len(headings) > 1 else None


def heading_cycles(draft: Draft) -> list[list[str]]:
    """Per section (walk order): its heading first, then the alternatives 换一个 steps through."""
    return [[s.heading, *[a for a in s.alternatives if a != s.heading]] for s in draft.walk()]


def _overrides(form: Mapping[str, Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for key, value in form.items():
        if isinstance(key, str) and re.fullmatch(rf"{OVERRIDE_PREFIX}\d{{1,4}}", key) and isinstance(value, str):
            found[int(key[len(OVERRIDE_PREFIX) :])] = value.strip()[:MAX_FIELD_CHARS]
    return found


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) <= 4 else None


def _text(value: object) -> str:
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""
