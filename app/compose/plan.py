"""Plan a draft: request + bank + a passage lookup → ``Draft``. Pure: no database, no index, no I/O.

The plan chooses the skeleton (mined when the corpus has one that fits, else built in), writes level-1
headings from one frame family so they read as a 排比, puts the writer's topics under the task parts, and
lists under every heading what to say: stock wording for its role, retrieved passages, and 【待补】 for facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.compose.bank import BankEntry, ComposeBank
from app.compose.headings import balanced_topic_headings, check_parallel, fill_slots, theme_from_meeting
from app.compose.model import Draft, DraftSection, Suggestion
from app.compose.numbering import cn_date, cn_month_day, cn_number, level1, level2
from app.compose.report_plan import plan_report
from app.compose.request import DraftRequest
from app.compose.timing import fit_to_time
from app.text.normalise import to_simplified

# (query, role or None, k) → retrieved passages as suggestions of kind "passage", best first.
PassageLookup = Callable[[str, str | None, int], list[Suggestion]]
STOCK_PER_SECTION = 3
SEARCH_K = 5
TOPIC_CONTEXT = 3  # passages whose wording counts as "about the topic"
BODY_ROLES = ("review", "problems", "significance", "tasks", "safeguards")


def slot_values(request: DraftRequest, defaults: dict[str, Any]) -> dict[str, str | None]:
    """What the writer told us, keyed by the bank's slot names; None means the writer must supply it."""
    theme = request.theme or theme_from_meeting(request.meeting, request.place) or defaults["default_theme"]
    return {
        "会议": request.meeting,
        "主题": theme,
        "地方": request.place,
        "地名": request.place or None,
        "日期": cn_month_day(request.date) if request.date else None,
        "讲话人": request.speaker or None,
        "人名": None,
        "单位": None,
        "数字": cn_number(request.parts),
    }


def plan_draft(request: DraftRequest, bank: ComposeBank, passages: PassageLookup | None = None) -> Draft:
    """The draft outline for a request; same request (seed included) and bank → the same draft."""
    builder = SuggestionBuilder(request, bank, passages)
    draft = (
        plan_report(request, bank, builder) if request.doc_type == "report" else _plan_speech(request, bank, builder)
    )
    return fit_to_time(draft.with_notes(*builder.notes), request.target_minutes, bank.chars_per_minute)


class SuggestionBuilder:
    """Collects, for one section, the candidate suggestions in order of preference (timing trims them later)."""

    def __init__(self, request: DraftRequest, bank: ComposeBank, passages: PassageLookup | None) -> None:
        self.request = request
        self.bank = bank
        self.passages = passages
        self.values = slot_values(request, bank.defaults)
        self.notes: list[str] = []
        self._covered: dict[str, bool] = {}
        self._used: dict[str, int] = {}
        self._shown: set[str] = set()
        self.tails_used: set[str] = set()
        self._searches: dict[tuple[str, str | None], list[Suggestion]] = {}

    def fill(self, template: str) -> str:
        return fill_slots(template, self.values)

    def text(self, template: str, entry: BankEntry | None = None) -> Suggestion:
        return Suggestion(kind="text", text=self.fill(template), source=entry.source if entry else None)

    def placeholder(self, role: str) -> list[Suggestion]:
        text = self.bank.defaults["speech"]["placeholders"].get(role, "")
        return [Suggestion(kind="placeholder", text=text)] if text else []

    def stock(self, role: str, topic: str = "") -> list[Suggestion]:
        """Bank wording for the role (rotated by the seed among equals), then the built-in generic wording."""
        found = list(
            self.bank.memo(("suggestions", role, topic), lambda: _as_suggestions(self.bank.for_role(role, topic)))
        )
        # Wording the corpus used where it wrote about this topic comes first: under 未成年人思想道德建设,
        # 社会公德、职业道德、家庭美德、个人品德 rather than 一把手工程, which shares the role but not the subject.
        context = self.topic_context(topic, role)
        groups = [[s for s in found if s.text in context], [s for s in found if s.text not in context]]
        if self.request.seed:  # rotated by the seed within each group, so 换一个 never buries the topical ones
            groups = [_rotated(group, self.request.seed) for group in groups]
        found = groups[0] + groups[1]
        generic = [
            Suggestion(kind="formulation", text=self.fill(t)) for t in self.bank.defaults["formulations"].get(role, [])
        ]
        # For a topic the corpus knows nothing about, generic wording beats unrelated mined phrases.
        found = generic + found if topic and not self._covered.get(topic, True) else found + generic
        # Siblings should not all get the same three lines: least-used first (stable, so still deterministic).
        found = sorted(_unique(found), key=lambda s: self._used.get(s.text, 0))
        for suggestion in found[:STOCK_PER_SECTION]:
            self._used[suggestion.text] = self._used.get(suggestion.text, 0) + 1
        return found

    def topic_context(self, topic: str, role: str) -> str:
        """The simplified text of the passages that best match ``topic`` (under ``role``, else anywhere), joined;
        "" without a topic or an index."""
        if not topic or not self.passages:
            return ""
        hits = self.search(topic, role)[:TOPIC_CONTEXT] or self.search(topic, None)[:TOPIC_CONTEXT]
        return to_simplified("\x00".join(hit.text for hit in hits))  # bank entries are simplified

    def search(self, query: str, role: str | None) -> list[Suggestion]:
        """One retriever call per (query, role) per draft: coverage checks and suggestions share it."""
        key = (query, role)
        if key not in self._searches:
            self._searches[key] = self.passages(query, role, SEARCH_K) if self.passages else []
        return self._searches[key]

    def retrieved(self, query: str, role: str | None, k: int = 3) -> list[Suggestion]:
        if not self.passages or not self.request.passages:
            return []
        hits = [h for h in self.search(query, role) if h.text not in self._shown]
        if not hits and role is not None:
            hits = [h for h in self.search(query, None) if h.text not in self._shown]
        # One passage appears once in a draft, under the first heading it fits.
        self._shown.update(h.text for h in hits[:k])
        return hits[:k]

    def covered(self, topic: str) -> bool:
        """Does the corpus say anything about this topic? Unknown topics get a note, not an empty section."""
        if topic not in self._covered:
            hits = self.search(topic, None)[:3]
            bigrams = {topic[i : i + 2] for i in range(len(topic) - 1)} or {topic}
            texts = [to_simplified(hit.text) for hit in hits]  # a traditional passage covers a simplified topic
            best = max((sum(1 for b in bigrams if b in text) / len(bigrams) for text in texts), default=0.0)
            self._covered[topic] = best >= 0.5
            if not self._covered[topic] and self.passages:
                self.notes.append(
                    f"语料中关于“{topic}”的内容很少，以下为通用表述 / the corpus has little on {topic}: generic wording"
                )
        return self._covered[topic]

    def leaf(self, role: str, topic: str = "", query: str = "") -> list[Suggestion]:
        if topic and self.passages:
            self.covered(topic)
        return self.placeholder(role) + self.stock(role, topic) + self.retrieved(query or topic, role, k=2)


def _rotated(items: list[Suggestion], seed: int) -> list[Suggestion]:
    shift = seed % len(items) if items else 0
    return items[shift:] + items[:shift]


def _as_suggestions(entries: Sequence[BankEntry]) -> tuple[Suggestion, ...]:
    # model_construct: bank values are already valid; validating hundreds per draft costs more than the plan.
    return tuple(Suggestion.model_construct(kind=e.kind, text=e.text, source=e.source) for e in entries)


def _unique(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    seen: set[str] = set()
    kept = []
    for suggestion in suggestions:
        if suggestion.text not in seen:
            seen.add(suggestion.text)
            kept.append(suggestion)
    return kept


def choose_skeleton(bank: ComposeBank, parts: int) -> tuple[list[str], str]:
    """The most frequent mined speech skeleton with exactly ``parts`` body parts, else the built-in one."""
    for roles in bank.skeletons("speech"):
        body = [r for r in roles if r not in ("opening", "closing")]
        if len(body) == parts and all(r in BODY_ROLES for r in body) and body.count("tasks") <= 2:
            return body, "mined"
    return list(bank.defaults["speech"]["skeletons"][str(parts)]), "default"


def level1_headings(skeleton: Sequence[str], builder: SuggestionBuilder) -> tuple[list[str], list[list[str]], int]:
    """Level-1 headings from the first frame family (rotated by seed) whose headings pass the 排比 check.

    Returns the headings, the alternatives for each (other families and the bank), and the family index.
    """
    families = builder.bank.defaults["speech"]["level1_families"]
    order = [(builder.request.seed + i) % len(families) for i in range(len(families))]

    def render(family: dict[str, list[str]]) -> list[str]:
        used: dict[str, int] = {}
        out = []
        for role in skeleton:
            frames = family[role]
            out.append(builder.fill(frames[min(used.get(role, 0), len(frames) - 1)]))
            used[role] = used.get(role, 0) + 1
        return out

    candidates = [(index, render(families[index])) for index in order]
    chosen_index, chosen = next(((i, h) for i, h in candidates if check_parallel(h).ok), candidates[0])
    alternatives = []
    for position, role in enumerate(skeleton):
        others = [h[position] for i, h in candidates if i != chosen_index]
        others += [e.text for e in builder.bank.headings(role, level=1)[:3]]
        alternatives.append(list(dict.fromkeys(o for o in others if o != chosen[position])))
    return chosen, alternatives, chosen_index


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


def topics_for(request: DraftRequest, bank: ComposeBank, needed: int, builder: SuggestionBuilder) -> list[str]:
    """The writer's topics, topped up from the common ones (not overlapping theirs) when there are too few."""
    topics = list(request.topics)
    if len(topics) < needed:
        pool = [t for t in bank.defaults["default_topics"] if not _overlaps(t, topics)]
        extra = pool[: needed - len(topics)]
        if extra:
            builder.notes.append(
                f"议题不足，补充了常见议题：{'、'.join(extra)} / added common topics: {', '.join(extra)}"
            )
        topics += extra
    return topics


def _children(role: str, topics: list[str], builder: SuggestionBuilder) -> list[DraftSection]:
    speech = builder.bank.defaults["speech"]
    if role == "tasks":
        # Tails already used by an earlier task part are avoided, so two parts never end the same way.
        headings = balanced_topic_headings(
            topics, speech["topic_leads"], speech["topic_tails"], builder.request.seed, builder.tails_used
        )
        builder.tails_used.update(h.split("，", 1)[-1] for h in headings)
        pairs = list(zip(headings, topics, strict=True))
    elif role in speech["level2_fixed"]:
        values = {**builder.values, "地方": builder.request.place or "经济社会"}
        pairs = [(fill_slots(t, values), "") for t in speech["level2_fixed"][role][:3]]
    else:
        return []
    query_theme = builder.values["主题"] or ""
    return [
        DraftSection(
            number=level2(i),
            heading=heading,
            role=role,
            level=2,
            topic=topic or None,
            suggestions=builder.leaf(role, topic, query=topic or f"{query_theme} {heading}"),
        )
        for i, (heading, topic) in enumerate(pairs, start=1)
    ]


def _plan_speech(request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder) -> Draft:
    skeleton, skeleton_source = choose_skeleton(bank, request.parts)
    headings, alternatives, _ = level1_headings(skeleton, builder)
    task_parts = skeleton.count("tasks")
    topics = topics_for(request, bank, 2 * task_parts if task_parts else 0, builder)
    topic_groups = iter(split_topics(topics, task_parts) if task_parts else [])

    sections = [_opening(request, bank, builder)]
    for i, (role, heading) in enumerate(zip(skeleton, headings, strict=True), start=1):
        children = _children(role, next(topic_groups) if role == "tasks" else [], builder)
        own = [] if children else builder.leaf(role, query=f"{builder.values['主题']} {heading}")
        parallel = (
            check_parallel([c.heading for c in children], [lead for _, lead in _leads(bank)])
            if len(children) > 1
            else None
        )
        section = DraftSection(
            number=level1(i), heading=heading, role=role, level=1, suggestions=own,
            alternatives=alternatives[i - 1], children=children, parallel=parallel,
        )  # fmt: skip
        sections.append(section)
    sections.append(_closing(bank, builder))

    byline = [
        request.speaker or "【待补：讲话人职务 姓名】",
        f"（{cn_date(request.date)}）" if request.date else "（【待补：日期】）",
    ]
    salutation = next((e.text for e in bank.by_rule("opener", "salutation", "speech")), "同志们：")
    return Draft(
        title=f"在{request.meeting}上的讲话",
        doc_type="speech",
        byline=byline,
        salutation=salutation,
        skeleton=skeleton,
        skeleton_source=skeleton_source,
        parallel=check_parallel(headings),
        sections=sections,
    )


def _leads(bank: ComposeBank) -> list[list[str]]:
    return bank.defaults["speech"]["topic_leads"]


def _opening(request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder) -> DraftSection:
    """今天我们召开…；刚才…；下面，我讲三点意见。— mined templates where the corpus has them."""
    built_in = bank.defaults["speech"]["opening"]
    lines: list[Suggestion] = []
    for kind, rule, fallback in (
        ("opener", "purpose", built_in[0]),
        ("transition", "just_now", built_in[1]),
        ("transition", "points", built_in[2]),
    ):
        mined = bank.by_rule(kind, rule, "speech")
        entry = next((e for e in mined if e.template), None)
        template = _complete(entry.template, rule) if entry else fallback
        lines.append(builder.text(template, entry))
    return DraftSection(
        number="", heading="", role="opening", level=0,
        suggestions=lines + builder.stock("opening")[:2],
    )  # fmt: skip


def _complete(template: str, rule: str) -> str:
    """Mined openers stop at "…" where the sentence went on: 主要任务是… needs the writer, 发言，… just ends."""
    if not template.endswith("…"):
        return template
    if rule == "purpose":
        return template[:-1] + "【待补：会议主要任务】。"
    return template[:-1].rstrip("，,、") + "。"


def _closing(bank: ComposeBank, builder: SuggestionBuilder) -> DraftSection:
    lines = [builder.text(t) for t in bank.defaults["speech"]["closing"]]
    return DraftSection(number="", heading="", role="closing", level=0, suggestions=lines)
