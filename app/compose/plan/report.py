"""Plan a meeting report (会议报道): headline, lead, attendance, 会议指出 / 会议强调 with ■ points, participants."""

from __future__ import annotations

from app.compose.bank import ComposeBank
from app.compose.headings import balanced_topic_headings, check_parallel, fill_slots
from app.compose.model import Draft, DraftSection, DraftSentence, Paragraph, Suggestion, SuggestionKind
from app.compose.plan.context import topics_for
from app.compose.plan.timing import paragraph_target
from app.compose.request import DraftRequest
from app.compose.write.paragraphs import ParagraphWriter
from app.compose.write.suggestions import SuggestionBuilder

POINT = "■"
# A mined lead or attendance line naming a body above the office (中央文明委在…召开, 政治局常委…出席) states
# another meeting's facts; this office's report cannot reuse it.
_HIGHER_BODY = ("中央", "政治局", "国务院", "委员会", "省委", "省政府")


def _own_level(template: str) -> bool:
    return not any(word in template for word in _HIGHER_BODY)


def _mined_lead(bank: ComposeBank, builder: SuggestionBuilder) -> Suggestion | None:
    """The corpus's own lead sentence pattern ({日期}，{地名}召开{会议}，…) when every slot can be filled."""
    usable = []
    for entry in (e for e in bank.by_rule("opener", "report_lead", "report") if _own_level(e.template)):
        template = entry.template.replace("…", "【待补：会议主要内容】。")
        names = [n for n in ("日期", "地名", "会议") if "{" + n + "}" in template]
        if "{会议}" in template and all(builder.values.get(n) for n in names):
            usable.append((len(names), template, entry))
    if not usable:
        return None
    # The pattern that says the most of what the writer told us (date and place), then the most used one.
    _, template, entry = max(usable, key=lambda item: item[0])
    return builder.text(template, entry)


def _block_lines(
    kind: SuggestionKind, rule: str, bank: ComposeBank, builder: SuggestionBuilder, limit: int | None = None
) -> list[Suggestion]:
    """An unheaded block (出席领导, 参会人员, 会议形式): the built-in line, then the corpus's own sentences of it.

    ``rule`` names both the built-in line in the report defaults and the miner's rule for the block's
    ``kind`` (opener / closer); ``limit`` caps the mined ones (None: all, most used first).
    """
    lines = [builder.text(bank.defaults["report"][rule])]
    lines += [
        Suggestion(kind=kind, text=builder.fill(e.template), source=e.source)
        for e in [e for e in bank.by_rule(kind, rule, "report") if _own_level(e.template)][:limit]
    ]
    return lines


def _point(
    heading: str, role: str, topic: str, query: str, builder: SuggestionBuilder, writer: ParagraphWriter, target: int
) -> DraftSection:
    """A ■ point of 会议指出 / 会议强调: its drafted paragraph (or, in outline mode, its list)."""
    if not builder.request.paragraphs:
        suggestions = builder.leaf(role, topic, query=query)
        return DraftSection(number=POINT, heading=heading, role=role, level=2, topic=topic or None,
                            suggestions=tuple(suggestions))  # fmt: skip
    theme = builder.values["主题"] or ""
    paragraph = writer.write(
        subject=topic or theme, role=role, heading=heading, query=query, target=target,
        min_subject=0.5 if topic else 0.34, reject=builder.refuse,
        fallback=[*(builder.fill(t) for t in builder.bank.defaults["report"]["fallback"].get(role, [])),
                  f"围绕{topic}，【待补：具体部署】。" if topic else "【待补：具体内容】。"],
    )  # fmt: skip
    if topic and builder.passages:
        builder.covered(topic)
    return DraftSection(number=POINT, heading=heading, role=role, level=2, topic=topic or None, paragraph=paragraph,
                        suggestions=tuple(builder.stock(role, topic)))  # fmt: skip


def _requirement_points(
    request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder, writer: ParagraphWriter, target: int
) -> list[DraftSection]:
    report = bank.defaults["report"]
    topics = topics_for(request, bank, request.parts, builder.notes, builder.in_domain)[: request.parts]
    leads = [[ending, "要" + lead] for ending, lead in report["requirement_leads"]]
    headings = balanced_topic_headings(topics, leads, bank.defaults["speech"]["topic_tails"], request.seed)
    return [
        _point(heading, "requirements", topic, topic, builder, writer, target)
        for topic, heading in zip(topics, headings, strict=True)
    ]


def plan_report(request: DraftRequest, bank: ComposeBank, builder: SuggestionBuilder, writer: ParagraphWriter) -> Draft:
    report = bank.defaults["report"]
    values = builder.values
    place = request.place
    # 滨湖区召开争创全国文明典范城市推进大会, not 滨湖区召开滨湖区争创…: the place is said once.
    meeting = request.meeting[len(place) :] if place and request.meeting.startswith(place) else request.meeting
    builder.values["会议"] = meeting
    title = fill_slots(report["headline"], {**values, "地方": place, "会议": meeting}) if place else f"{meeting}召开"

    lead_lines = [_mined_lead(bank, builder) or builder.text(report["lead"])]
    if not values["日期"]:
        builder.notes.append("未填写日期，导语中以【待补：日期】占位 / no date given: the lead has a placeholder")
    attendance = _block_lines("opener", "attendance", bank, builder, limit=2)

    target = paragraph_target(request, len(report["remarks"]) + request.parts, bank.chars_per_minute)
    remark_points = [
        _point(fill_slots(text, values), "remarks", "", f"{values['主题']} {text}", builder, writer, target)
        for text in (report["remarks"] if builder.in_domain else report["remarks_neutral"])
    ]
    requirement_points = _requirement_points(request, bank, builder, writer, target)
    participants = _block_lines("closer", "participants", bank, builder, limit=2)
    form = _block_lines("closer", "format", bank, builder)

    if request.paragraphs:
        lead = Paragraph(sentences=tuple(DraftSentence(text=s.text, source=s.source) for s in lead_lines))
        lead_section = DraftSection(number="", heading="导语", role="lead", level=0, paragraph=lead)
    else:
        lead_section = DraftSection(number="", heading="导语", role="lead", level=0, suggestions=lead_lines)
    sections = [
        lead_section,
        DraftSection(number="", heading="出席领导", role="attendance", level=0, suggestions=attendance),
        DraftSection(
            number="",
            heading="会议指出",
            role="remarks",
            level=1,
            children=remark_points,
            alternatives=_speaker_verbs(request.speaker, "指出"),
        ),
        DraftSection(
            number="",
            heading="会议强调",
            role="requirements",
            level=1,
            children=requirement_points,
            alternatives=_speaker_verbs(request.speaker, "强调"),
            parallel=check_parallel([p.heading for p in requirement_points]),
        ),
        DraftSection(number="", heading="参会人员", role="participants", level=0, suggestions=participants),
        DraftSection(number="", heading="会议形式", role="other", level=0, suggestions=form),
    ]
    skeletons = bank.skeletons("report")
    mined = skeletons[0] if skeletons and skeletons[0] == report["skeleton"] else None
    return Draft(
        title=title,
        doc_type="report",
        meeting_type="report",
        meeting_type_source="request",
        skeleton=tuple(report["skeleton"]),
        skeleton_source="mined" if mined else "default",
        sections=sections,
    )


def _speaker_verbs(speaker: str, verb: str) -> list[str]:
    """会议强调 can also read 张三强调 — the name is the last word of ``speaker`` (市委书记 张三)."""
    name = speaker.split()[-1] if speaker.split() else ""
    return [f"{name}{verb}"] if 2 <= len(name) <= 4 else []
