"""Plan a draft: request + bank + a passage lookup → ``Draft``. Pure: no database, no index, no I/O.

A speech follows its meeting type (``meeting_types``: 表彰 → 祝贺与肯定 → 学习先进 → 再接再厉; 推进 → 成绩与差距 →
攻坚重点 → 压实责任 …; given in the request or inferred from the meeting name). Level-1 headings come from one
frame family so they read as a 排比; the writer's topics become level-2 headings that make an argument
(``topic_headings``); under every heading a ``ParagraphWriter`` drafts prose from the office's own sentences
about that heading's subject, and a few stock alternatives are offered beside it. With ``detail=outline`` the
headings carry the old lists (【待补】 line, stock wording, passages) instead of prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.compose.bank import ComposeBank
from app.compose.headings import check_parallel, fill_slots, pick_lead
from app.compose.model import Draft, DraftSection, DraftSentence, Paragraph, Suggestion
from app.compose.numbering import cn_date, level1, level2
from app.compose.plan import meeting_types
from app.compose.plan.context import in_domain, slot_values, split_topics, topics_for
from app.compose.plan.report import plan_report
from app.compose.plan.timing import fit_to_time, paragraph_target
from app.compose.plan.topic_headings import topic_headings
from app.compose.request import DraftRequest
from app.compose.write.paragraphs import ASSESSING_ROLES, HEADING_CORE, ParagraphWriter, subject_share
from app.compose.write.suggestions import PassageLookup, SuggestionBuilder
from app.text.phrases import PhraseSet

__all__ = ["PassageLookup", "plan_draft"]
INTRO_CHARS = 60  # the lead-in under a level-1 heading that has level-2 headings


def plan_draft(request: DraftRequest, bank: ComposeBank, passages: PassageLookup | None = None) -> Draft:
    """The draft for a request; same request (seed included) and bank → the same draft."""
    values = slot_values(request, bank.defaults)
    builder = SuggestionBuilder(request, bank, passages, values)
    builder.in_domain = in_domain(request, values["主题"] or "", bank.defaults)
    writer = ParagraphWriter(search=builder.search, place=request.place, formulations=shared_formulations(bank))
    if request.doc_type == "report":
        draft = plan_report(request, bank, builder, writer)
    else:
        draft = _plan_speech(request, bank, builder, writer)
    return fit_to_time(draft.with_notes(*builder.notes), request.target_minutes, bank.chars_per_minute)


def shared_formulations(bank: ComposeBank) -> PhraseSet | None:
    """The bank's formulations, 排比 and formulas used in two or more documents (per bank)."""

    def build() -> PhraseSet | None:
        texts = {e.text for e in bank.entries if e.kind in SHARED_KINDS and e.doc_frequency >= 2 and len(e.text) >= 4}
        return PhraseSet.of(texts) if texts else None

    return bank.memo(("shared_formulations",), build)


SHARED_KINDS = ("formulation", "parallel", "formula")


@dataclass
class _Slot:
    """A heading waiting for its paragraph: what it is about and how to find its sentences."""

    number: str
    heading: str
    role: str
    level: int
    subject: str
    query: str
    part_key: str
    topic: str = ""
    lead: str = ""
    min_subject: float = 0.5
    fixed_index: int | None = None  # the n-th built-in heading of its part: its own built-in sentence first
    # Built-in headings of the part left out because another part argues them: their sentences are not said here.
    left_out: tuple[str, ...] = ()


MIN_OPENING_VOTES = 2  # speeches whose first body part must agree before the built-in opening part gives way
# Parts that make their genre (表彰 opens with 祝贺, 总结 with 成绩, 座谈 with 交流): never swapped for the corpus's.
GENRE_OPENERS = frozenset({"congratulate", "achievements", "exchange"})


def opening_part_from_corpus(
    mtype: str, parts: list[meeting_types.PartSpec], bank: ComposeBank
) -> list[meeting_types.PartSpec]:
    """The meeting type's parts, opening the way the office's own speeches open where the corpus says so.

    A 推进会 speech may open with 成绩与差距 (review) or with 认清形势 (significance); the mined speech skeletons
    vote (each by its frequency) for the role of their first body part, and when the vote is for another role
    that the type has a part for, that part opens the speech instead. Built-in order where fewer than
    ``MIN_OPENING_VOTES`` speeches back the winner (one speech is not the office's habit), and never for the parts
    that make a genre (``GENRE_OPENERS``).
    """
    votes: dict[str, int] = {}
    for entry in bank.of_kind("skeleton", "speech"):
        if entry.extra.get("doc_kind") != "speech":
            continue
        body = [r for r in entry.extra.get("roles", []) if r not in ("opening", "closing")]
        if body:
            votes[body[0]] = votes.get(body[0], 0) + entry.frequency
    if not votes or not parts or parts[0].key in GENRE_OPENERS:
        return parts
    role = max(sorted(votes), key=lambda r: votes[r])
    if role == parts[0].role or votes[role] < MIN_OPENING_VOTES:
        return parts
    used = {p.key for p in parts}
    catalog = [p for n in range(2, 7) for p in meeting_types.meeting_type_parts(mtype, n)]
    swap = next((p for p in catalog if p.role == role and p.key not in used and p.children != "topics"), None)
    return [swap, *parts[1:]] if swap else parts


def level1_headings(
    parts: Sequence[meeting_types.PartSpec], families: Sequence[dict[str, list[str]]], builder: SuggestionBuilder
) -> tuple[list[str], list[list[str]]]:
    """Level-1 headings from the first frame family (rotated by seed) whose headings pass the 排比 check,
    and the alternatives for each (the other families' heading for that part and the bank's)."""
    order = [(builder.request.seed + i) % len(families) for i in range(len(families))]

    def render(family: dict[str, list[str]]) -> list[str]:
        used: dict[str, int] = {}
        out = []
        for part in parts:
            frames = family[part.key]
            out.append(builder.fill(frames[min(used.get(part.key, 0), len(frames) - 1)]))
            used[part.key] = used.get(part.key, 0) + 1
        return out

    candidates = [(index, render(families[index])) for index in order]
    chosen_index, chosen = next(((i, h) for i, h in candidates if check_parallel(h).ok), candidates[0])
    alternatives = []
    for position, part in enumerate(parts):
        others = [h[position] for i, h in candidates if i != chosen_index]
        if builder.in_domain:  # the corpus's own headings are 精神文明 ones
            others += [e.text for e in builder.bank.headings(part.role, level=1)[:3]]
        alternatives.append(list(dict.fromkeys(o for o in others if o != chosen[position])))
    return chosen, alternatives


def _topic_slots(part: meeting_types.PartSpec, topics: list[str], builder: SuggestionBuilder, writer: ParagraphWriter,
                 avoid: set[str]) -> list[_Slot]:  # fmt: skip
    speech = builder.bank.defaults["speech"]
    mined = [e.text for e in builder.bank.headings(part.role, level=2)] + [
        e.text for e in builder.bank.headings("tasks")
    ]
    headings = topic_headings(
        topics,
        speech["topic_frames"],
        speech["topic_leads"],
        lambda t: [c.template for c in writer.candidates(t, part.role) if subject_share(c.template, t) >= 0.5],
        mined,
        builder.request.seed,
        builder.in_domain,
        avoid,
    )
    slots = []
    for i, (topic, heading) in enumerate(zip(topics, headings, strict=True), start=1):
        lead_verb = pick_lead(topic, speech["topic_leads"])
        # 要持续深化志愿服务。— only where the lead verb was chosen for the topic's kind (not 扎实推进危化品).
        knows_kind = any(ending and topic.endswith(ending) for ending, _ in speech["topic_leads"])
        lead = f"要{lead_verb}{topic}。" if part.role in ("tasks", "requirements") and knows_kind else ""
        slots.append(_Slot(level2(i), heading, part.role, 2, topic, topic, part.key, topic=topic, lead=lead))
    return slots


def _plan_speech(
    request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder, writer: ParagraphWriter
) -> Draft:
    mtype, cue = (
        (request.meeting_type, "") if request.meeting_type else meeting_types.infer_meeting_type(request.meeting)
    )
    parts = opening_part_from_corpus(mtype, meeting_types.meeting_type_parts(mtype, request.parts), bank)
    headings, alternatives = level1_headings(parts, meeting_types.level1_families(mtype), builder)
    theme = builder.values["主题"] or ""
    topic_parts = [p for p in parts if p.children == "topics"]
    topics = topics_for(request, bank, 2 * len(topic_parts), builder.notes, builder.in_domain)
    if topic_parts and not topics:
        builder.notes.append("未填写重点议题，任务部分按主题起草 / no topics given: the task parts follow the theme")
    groups = iter(split_topics(topics, len(topic_parts)) if topic_parts else [])
    avoid: set[str] = set()

    plan: list[tuple[_Slot, list[_Slot]]] = []
    for i, (part, heading) in enumerate(zip(parts, headings, strict=True), start=1):
        own = _Slot(level1(i), heading, part.role, 1, theme, f"{theme} {part.query}", part.key, min_subject=0.34)
        children: list[_Slot] = []
        if part.children == "topics":
            group = next(groups, [])
            children = _topic_slots(part, group, builder, writer, avoid) if group else []
        elif part.children == "fixed":
            values = {**builder.values, "地方": request.place or "全市"}
            # 认清形势 argues 成绩来之不易 and 问题不容忽视 only where no part of its own reviews or lists problems;
            # one argument left is no list, so the part is then a paragraph.
            elsewhere = {p.role for p in parts if p is not part}
            fixed = [(t, r) for t, r in zip(part.fixed, part.fixed_roles, strict=True) if r == part.role
                     or r not in elsewhere][:3]  # fmt: skip
            own.left_out = tuple(t for t in part.fixed if not any(t == kept for kept, _ in fixed))
            for j, (text, role) in enumerate(fixed if len(fixed) > 1 else [], start=1):
                child = fill_slots(text, values)
                children.append(
                    _Slot(level2(j), child, role, 2, theme, f"{theme} {child}", part.key, min_subject=0.34,
                          fixed_index=j - 1)
                )  # fmt: skip
        plan.append((own, children))

    target = paragraph_target(request, sum(len(c) or 1 for _, c in plan), bank.chars_per_minute)
    sections = [_opening(request, bank, builder, mtype)]
    for index, (own, children) in enumerate(plan):
        child_sections = tuple(_section(s, builder, writer, target, mtype) for s in children)
        section = _section(own, builder, writer, target, mtype, has_children=bool(children))
        section = section.model_copy(update={"children": child_sections, "alternatives": tuple(alternatives[index])})
        if len(child_sections) > 1:
            leads = [lead for _, lead in bank.defaults["speech"]["topic_leads"]]
            section = section.model_copy(
                update={"parallel": check_parallel([c.heading for c in child_sections], leads)}
            )
        sections.append(section)
    sections.append(_closing(builder, mtype))

    byline = [
        request.speaker or "【待补：讲话人职务 姓名】",
        f"（{cn_date(request.date)}）" if request.date else "（【待补：日期】）",
    ]
    salutation = next((e.text for e in bank.by_rule("opener", "salutation", "speech")), "同志们：")
    return Draft(
        title=f"在{request.meeting}上的讲话",
        doc_type="speech",
        byline=tuple(byline),
        salutation=salutation,
        meeting_type=mtype,
        meeting_type_source="request" if request.meeting_type else "inferred",
        skeleton=tuple(p.role for p in parts),
        skeleton_source="meeting_type",
        parallel=check_parallel(headings),
        notes=(f"会议类型：{meeting_types.meeting_type_name(mtype)}（据会议名称中的“{cue}”判断）",) if cue else (),
        sections=tuple(sections),
    )


def _section(
    slot: _Slot,
    builder: SuggestionBuilder,
    writer: ParagraphWriter,
    target: int,
    mtype: str,
    has_children: bool = False,
) -> DraftSection:
    """A heading with its paragraph (or, in outline mode, its list). A level-1 heading with children gets a
    one-sentence lead-in when the corpus has one squarely about the subject (创建全国文明城市是一项系统工程…)."""
    suggestions: list[Suggestion] = []
    paragraph = None
    if has_children and builder.request.paragraphs:
        intro = writer.write(
            subject=slot.subject, role=slot.role, heading=slot.heading, query=slot.query, target=INTRO_CHARS,
            reject=builder.refuse,
        )  # fmt: skip
        paragraph = intro if intro.sentences else None
    if not has_children:
        if builder.request.paragraphs:
            # Built-in sentences speak of the heading's own topic; the last resort says what the writer must add.
            values = {**builder.values, "主题": slot.topic or builder.values["主题"]}
            # A built-in sentence is said once per speech, whatever topic fills it: two task headings never both
            # say 要坚持问题导向，对排查出的问题建立清单….
            pairs = [
                (t, fill_slots(t, values)) for t in meeting_types.fallback_sentences(mtype, slot.part_key)
                if t not in builder.said
            ]  # fmt: skip
            for frame in slot.left_out:
                pairs = [(t, text) for t, text in pairs if subject_share(text, frame) < HEADING_CORE]
            if slot.fixed_index is not None:
                # A built-in heading takes the part's built-in sentence that says it (组织领导 → …组织领导…), or none.
                core = slot.heading.replace(builder.values["主题"] or "", "")
                fits = [(subject_share(text, core), i) for i, (_, text) in enumerate(pairs)]
                best = max((f for f in fits if f[0] >= HEADING_CORE), default=None)
                pairs = [pairs[best[1]]] if best else []
            # A built-in heading opens its paragraph by saying it (要切实加强组织领导。), as a speech does.
            lead = _thesis(slot) if slot.fixed_index is not None else slot.lead
            # …and no built-in sentence then says it again in the same frame (做好X，是…。做好X，是…).
            opening = lead.split("，")[0] if "，" in lead else None
            pairs = [(t, text) for t, text in pairs if opening is None or not text.startswith(opening)]
            fallback = [text for _, text in pairs]
            fallback.append(_placeholder_sentence(builder, slot))
            paragraph = writer.write(
                subject=slot.subject, role=slot.role, heading=slot.heading, query=slot.query, lead=lead,
                target=target, fallback=fallback, points=builder.request.points, min_subject=slot.min_subject,
                reject=builder.refuse, heading_subject=slot.fixed_index is not None,
            )  # fmt: skip
            builder.said.update(t for t, text in pairs if text in paragraph.text)
            if slot.topic and builder.passages:
                builder.covered(slot.topic)
            # A built-in heading's alternatives are about its own words, not the theme's (工作 in 创建工作 is no
            # reason to offer 工作发展不平衡 under 思想认识还有差距); a judgement's, about two of them (坚定“四个
            # 自信” shares only 坚定 with 任务依然艰巨，必须坚定信心).
            builtin = slot.fixed_index is not None
            suggestions = builder.stock(slot.role, slot.topic, query=slot.heading if builtin else slot.query,
                                        min_pairs=2 if builtin and _judgement(slot) else 1)  # fmt: skip
        else:
            suggestions = builder.leaf(slot.role, slot.topic, query=slot.query)
    return DraftSection(
        number=slot.number, heading=slot.heading, role=slot.role, level=slot.level, topic=slot.topic or None,
        paragraph=paragraph, suggestions=tuple(suggestions),
    )  # fmt: skip


def _thesis(slot: _Slot) -> str:
    """A built-in heading said as its paragraph's opening sentence, as speeches do:
    做好X是…的必然要求 → 做好X，是…的必然要求。; 学习先进典型…的进取精神 → 要学习先进典型…的进取精神。
    None for a judgement heading, which the paragraph goes on to ground."""
    heading = slot.heading.rstrip("。")
    if slot.role == "significance" and "是" in heading and "，" not in heading:
        head, _, rest = heading.partition("是")
        return f"{head}，是{rest}。"
    if _judgement(slot):
        return ""  # a judgement (成绩来之不易，必须倍加珍惜) is said by the heading; its paragraph gives the grounds
    return f"{heading}。" if heading.startswith(("要", "坚持", "以", "把")) else f"要{heading}。"


def _judgement(slot: _Slot) -> bool:
    """A heading that states how things stand (成绩来之不易，必须倍加珍惜; 思想认识还有差距), not what to do."""
    return slot.role in ASSESSING_ROLES or "，" in slot.heading


def _placeholder_sentence(builder: SuggestionBuilder, slot: _Slot) -> str:
    """要围绕志愿服务，【待补：本项工作的具体目标、措施和时间节点】。— what only the writer knows, said as such."""
    placeholder = builder.bank.defaults["speech"]["placeholders"].get(slot.role) or "【待补：具体内容】"
    return f"围绕{slot.topic}，{placeholder}。" if slot.topic else f"{placeholder}。"


def _opening(request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder, mtype: str) -> DraftSection:
    """The meeting type's opening (今天召开…，主要任务是…；刚才…；表彰: 祝贺；下面，我讲两点意见。); the corpus's
    own purpose sentence, where it is a whole one, is offered beside it."""
    sentences = tuple(DraftSentence(text=builder.fill(t)) for t in meeting_types.opening_lines(mtype))
    mined = [
        Suggestion(kind="opener", text=builder.fill(_complete(e.template)), source=e.source)
        for e in bank.by_rule("opener", "purpose", "speech")
        if _usable(e.template)
    ][:2]
    if builder.request.paragraphs:
        paragraph = Paragraph(sentences=sentences)
        return DraftSection(
            number="", heading="", role="opening", level=0, paragraph=paragraph, suggestions=tuple(mined)
        )
    lines = tuple(Suggestion(kind="text", text=s.text) for s in sentences)
    return DraftSection(number="", heading="", role="opening", level=0, suggestions=lines + tuple(mined))


def _usable(template: str) -> bool:
    """A mined opener that is a whole sentence for any meeting: {会议} slotted, no other document's facts."""
    return "{会议}" in template and not any(s in template for s in ("{人名}", "{年份}", "{日期}", "?", "？"))


def _complete(template: str) -> str:
    """Mined openers stop at "…" where the sentence went on: 主要任务是… needs the writer."""
    if not template.endswith("…"):
        return template if template.endswith("。") else template + "。"
    return template[:-1] + "【待补：会议主要任务】。"


def _closing(builder: SuggestionBuilder, mtype: str) -> DraftSection:
    lines = [builder.fill(t) for t in meeting_types.closing_lines(mtype)] or [
        builder.fill(t) for t in builder.bank.defaults["speech"]["closing"]
    ]
    if builder.request.paragraphs:
        paragraph = Paragraph(sentences=tuple(DraftSentence(text=t) for t in lines))
        return DraftSection(number="", heading="", role="closing", level=0, paragraph=paragraph)
    suggestions = tuple(Suggestion(kind="text", text=t) for t in lines)
    return DraftSection(number="", heading="", role="closing", level=0, suggestions=suggestions)
