"""Speaking time: characters ÷ a stated rate (220 字/分钟 by default), and fitting suggestions to a target."""

from __future__ import annotations

from app.compose.model import Draft, DraftSection, Suggestion

# Without a target, how many optional suggestions of each family a section keeps.
DEFAULT_CAPS = {"stock": 3, "passage": 2}
REQUIRED_KINDS = ("text", "placeholder")


def _family(suggestion: Suggestion) -> str:
    if suggestion.kind in REQUIRED_KINDS:
        return "required"
    return "passage" if suggestion.kind == "passage" else "stock"


def spoken_chars(suggestion: Suggestion) -> int:
    """Characters a suggestion adds to the speech; 【待补】 placeholders count nothing until written."""
    return 0 if suggestion.kind == "placeholder" else len(suggestion.text)


def _default_trim(suggestions: list[Suggestion]) -> list[Suggestion]:
    used = {"stock": 0, "passage": 0}
    kept = []
    for suggestion in suggestions:
        family = _family(suggestion)
        if family == "required" or used[family] < DEFAULT_CAPS[family]:
            kept.append(suggestion)
            if family != "required":
                used[family] += 1
    return kept


def _sections(draft: Draft) -> list[DraftSection]:
    return draft.walk()


def fit_to_time(draft: Draft, target_minutes: int | None, chars_per_minute: int) -> Draft:
    """Keep the required lines of every section, then optional suggestions up to the caps or the time budget.

    With a target, optional suggestions are added one per section in turns (so every section grows evenly)
    while they fit in ``target_minutes × chars_per_minute`` characters, headings included.
    """
    sections = _sections(draft)
    candidates = {id(s): list(s.suggestions) for s in sections}
    if target_minutes is None:
        for section in sections:
            section.suggestions = _default_trim(candidates[id(section)])
    else:
        budget = target_minutes * chars_per_minute
        used = sum(len(s.heading) for s in sections) + len(draft.title)
        queues: dict[int, list[Suggestion]] = {}
        for section in sections:
            required = [c for c in candidates[id(section)] if _family(c) == "required"]
            section.suggestions = required
            used += sum(spoken_chars(c) for c in required)
            queues[id(section)] = [c for c in candidates[id(section)] if _family(c) != "required"]
        progress = True
        while progress:
            progress = False
            for section in sections:
                queue = queues[id(section)]
                while queue:
                    nxt = queue.pop(0)
                    if used + spoken_chars(nxt) <= budget:
                        section.suggestions.append(nxt)
                        used += spoken_chars(nxt)
                        progress = True
                        break
        if used < budget * 0.8:
            draft.notes.append(
                f"现有素材约 {used / chars_per_minute:.1f} 分钟，不足 {target_minutes} 分钟，请补充内容 / "
                f"material for about {used / chars_per_minute:.1f} of {target_minutes} minutes"
            )
        elif used > budget:
            draft.notes.append(
                f"必要内容已超过 {target_minutes} 分钟 / the required lines alone exceed {target_minutes} minutes"
            )
        draft.target_minutes = target_minutes
    draft.chars_per_minute = chars_per_minute
    _set_minutes(draft.sections, chars_per_minute)
    draft.minutes = round(sum(s.minutes for s in draft.sections) + len(draft.title) / chars_per_minute, 1)
    return draft


def _set_minutes(sections: list[DraftSection], rate: int) -> float:
    """Each section's minutes include its children's; returns the unrounded total."""
    total = 0.0
    for section in sections:
        own = len(section.heading) + sum(spoken_chars(s) for s in section.suggestions)
        minutes = own / rate + _set_minutes(section.children, rate)
        section.minutes = round(minutes, 1)
        total += minutes
    return total
