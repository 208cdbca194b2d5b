"""Speaking time: characters ÷ a stated rate (220 字/分钟 by default), and fitting suggestions to a target."""

from __future__ import annotations

from collections.abc import Sequence

from app.compose.model import Draft, DraftSection, Suggestion
from app.compose.request import DraftRequest

# Without a target, how many optional suggestions of each family a section keeps.
DEFAULT_CAPS = {"stock": 3, "passage": 2}
REQUIRED_KINDS = ("text", "placeholder")
PARAGRAPH_CHARS = (120, 200, 300)  # a drafted paragraph: shortest, usual, longest without a target
FIXED_CHARS = 450  # title, opening, headings and closing of a speech, roughly
MAX_PARAGRAPH = 900  # a long speech grows by more sentences per heading, up to about four minutes each


def paragraph_target(request: DraftRequest, paragraphs: int, chars_per_minute: int) -> int:
    """Characters each drafted paragraph should have: 200 by default; with ``target_minutes`` the speech's
    budget less its fixed parts, shared over the paragraphs (so time is fitted on prose, not bullet words)."""
    low, usual, _ = PARAGRAPH_CHARS
    if request.target_minutes is None or paragraphs == 0:
        return usual
    budget = request.target_minutes * chars_per_minute - FIXED_CHARS
    return max(low // 2, min(MAX_PARAGRAPH, budget // paragraphs))


def _spoken(section: DraftSection) -> int:
    """Characters of a section that will be spoken: its heading, its paragraph and its required lines."""
    own = sum(spoken_chars(s) for s in section.suggestions if _family(s) == "required")
    prose = len(section.paragraph.text.replace("【待补", "").strip()) if section.paragraph else 0
    return len(section.heading) + own + prose


def _family(suggestion: Suggestion) -> str:
    if suggestion.kind in REQUIRED_KINDS:
        return "required"
    return "passage" if suggestion.kind == "passage" else "stock"


def spoken_chars(suggestion: Suggestion) -> int:
    """Characters a suggestion adds to the speech; 【待补】 placeholders count nothing until written."""
    return 0 if suggestion.kind == "placeholder" else len(suggestion.text)


def _default_trim(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    used = {"stock": 0, "passage": 0}
    kept = []
    for suggestion in suggestions:
        family = _family(suggestion)
        if family == "required" or used[family] < DEFAULT_CAPS[family]:
            kept.append(suggestion)
            if family != "required":
                used[family] += 1
    return kept


def fit_to_time(draft: Draft, target_minutes: int | None, chars_per_minute: int) -> Draft:
    """Keep the required lines of every section, then optional suggestions up to the caps or the time budget.

    With a target, optional suggestions are added one per section in turns (so every section grows evenly)
    while they fit in ``target_minutes × chars_per_minute`` characters, headings included. Returns a new draft
    (sections rebuilt with the kept suggestions and their minutes); ``draft`` itself is left as it was.
    """
    update: dict[str, object] = {"chars_per_minute": chars_per_minute}
    kept: dict[int, tuple[Suggestion, ...]] | None = None  # by id(section); None: the default caps
    sections = draft.walk()
    if any(s.paragraph is not None for s in sections):
        return _paragraph_minutes(draft, target_minutes, chars_per_minute)
    if target_minutes is not None:
        budget = target_minutes * chars_per_minute
        used = sum(len(s.heading) for s in sections) + len(draft.title)
        chosen: dict[int, list[Suggestion]] = {}
        queues: dict[int, list[Suggestion]] = {}
        for section in sections:
            required = [c for c in section.suggestions if _family(c) == "required"]
            chosen[id(section)] = required
            used += sum(spoken_chars(c) for c in required)
            # Passages before stock words: time is filled with material a writer can use, never idioms first.
            optional = [c for c in section.suggestions if _family(c) != "required"]
            queues[id(section)] = sorted(optional, key=lambda c: _family(c) != "passage")
        progress = True
        while progress:
            progress = False
            for section in sections:
                queue = queues[id(section)]
                while queue:
                    nxt = queue.pop(0)
                    if used + spoken_chars(nxt) <= budget:
                        chosen[id(section)].append(nxt)
                        used += spoken_chars(nxt)
                        progress = True
                        break
        kept = {key: tuple(value) for key, value in chosen.items()}
        if used < budget * 0.8:
            update["notes"] = (
                *draft.notes,
                f"现有素材约 {used / chars_per_minute:.1f} 分钟，不足 {target_minutes} 分钟，请补充内容 / "
                f"material for about {used / chars_per_minute:.1f} of {target_minutes} minutes",
            )
        elif used > budget:
            update["notes"] = (
                *draft.notes,
                f"必要内容已超过 {target_minutes} 分钟 / the required lines alone exceed {target_minutes} minutes",
            )
        update["target_minutes"] = target_minutes
    top, _ = _rebuild(draft.sections, kept, chars_per_minute)
    update["sections"] = top
    update["minutes"] = round(sum(s.minutes for s in top) + len(draft.title) / chars_per_minute, 1)
    return draft.model_copy(update=update)


def _paragraph_minutes(draft: Draft, target_minutes: int | None, rate: int) -> Draft:
    """Minutes of a drafted speech: its prose only (alternatives are not spoken); a note when it falls short."""
    sections = _with_minutes(draft.sections, rate)
    minutes = round(sum(s.minutes for s in sections) + len(draft.title) / rate, 1)
    notes = draft.notes
    if target_minutes is not None and minutes < target_minutes * 0.8:
        notes = (
            *notes,
            f"现有素材约 {minutes} 分钟，不足 {target_minutes} 分钟，请在【待补】处补充内容 / "
            f"material for about {minutes} of {target_minutes} minutes: complete the 【待补】 parts",
        )
    update = {"sections": sections, "minutes": minutes, "chars_per_minute": rate, "notes": notes}
    return draft.model_copy(update={**update, "target_minutes": target_minutes})


def _with_minutes(sections: tuple[DraftSection, ...], rate: int) -> tuple[DraftSection, ...]:
    out = []
    for section in sections:
        children = _with_minutes(section.children, rate)
        minutes = _spoken(section) / rate + sum(c.minutes for c in children)
        out.append(section.model_copy(update={"children": children, "minutes": round(minutes, 1)}))
    return tuple(out)


def _rebuild(
    sections: tuple[DraftSection, ...], kept: dict[int, tuple[Suggestion, ...]] | None, rate: int
) -> tuple[tuple[DraftSection, ...], float]:
    """Sections with their kept suggestions and minutes (each including its children's); also the unrounded total."""
    rebuilt = []
    total = 0.0
    for section in sections:
        children, below = _rebuild(section.children, kept, rate)
        suggestions = tuple(_default_trim(section.suggestions)) if kept is None else kept[id(section)]
        minutes = (len(section.heading) + sum(spoken_chars(s) for s in suggestions)) / rate + below
        update = {"suggestions": suggestions, "children": children, "minutes": round(minutes, 1)}
        rebuilt.append(section.model_copy(update=update))
        total += minutes
    return tuple(rebuilt), total
