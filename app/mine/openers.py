"""Openers, transitions and closers: the sentences that frame a speech or a news report.

Found by cue and position — ``同志们：`` and ``今天，我们召开…，主要任务是…`` in a speech's opening,
``刚才，…`` / ``下面，我讲三点意见。`` as transitions, ``同志们，让我们…`` at the end; a report's
``{日期}，{会议}召开`` lead, its attendance lines, ``{人名}强调，`` and ``…参加会议。`` — and slotted so they
travel: names, places, dates and numbers become slots, the meeting's name becomes ``{会议}``, and the part of a
long sentence that belongs to one meeting only is cut to ``…``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.mine.candidates import MiningContext, most_frequent, occurrence
from app.mine.clauses import QUOTES, Site, clean_surface, iter_units, to_wide
from app.mine.slots import SLOT_CHAR, expand
from app.mine.types import MinedPhrase, Occurrence

_SENTENCE_RE = re.compile(r"[^。！!？?]+[。！!？?]?")
_MEETING_END = "(?:工作会议|工作会|推进会议|推进会|推进大会|动员大会|动员会|表彰大会|表彰会|座谈会|全委会|会议|大会)"
_MEETING_AFTER_RE = re.compile(rf"(?<=召开)(?:了)?([^，,。；;“”]{{3,48}}?{_MEETING_END})")
_MEETING_BEFORE_RE = re.compile(
    rf"^([^，,。；;]{{0,6}}?[，,]?)([^，,。；;]{{4,60}}?{_MEETING_END})(?=(?:在[^，,。]{{2,12}})?召开)"
)
_SPEECH_VERB_RE = re.compile(r"指出|强调|要求|表示|认为|说")
MAX_KEEP = 48  # longer sentences keep their cue and lose their particulars to …


@dataclass(frozen=True)
class CueRule:
    kind: str  # opener | transition | closer
    name: str
    pattern: re.Pattern[str]
    doc_kinds: tuple[str, ...]  # which documents the rule reads
    roles: tuple[str, ...]  # section roles it may sit in (empty: any)
    keep: str  # "sentence": the whole sentence (cut at MAX_KEEP); "cue": up to the end of the cue's clause;
    # "exact": up to the end of the cue itself (今天我们召开{会议}，主要任务是…)
    weight: float


def _rule(kind: str, name: str, pattern: str, doc_kinds: str, roles: str, keep: str, weight: float) -> CueRule:
    return CueRule(kind, name, re.compile(pattern), tuple(doc_kinds.split()), tuple(roles.split()), keep, weight)


_SALUTATION = r"^(?:同志们|各位领导|各位来宾|各位代表|各位委员|同志们、朋友们|亲爱的[^，,。：:]{1,30})[：:！!]?$"
_PURPOSE = (
    r"^(?:今天|今天的|这次|本次|我们今天)[^。]{0,20}?(?:召开|举行|会议)[^。]*?"
    r"(?:主要任务是|主要目的是|主要是|就是要)"
)
_ATTENDANCE = r"(?:出席会议并讲话|出席并讲话|主持会议并讲话|主持会议|出席会议|出席|主持)[。]?$"
_POINTS = r"^下面[，,]?[^。]{0,20}?(?:讲|强调|谈)[^。]{0,8}?(?:意见|几点|方面|看法)"
_FOCUS = r"(?:重点|着力|主要)(?:抓好|做好|抓)[^。：:]{0,12}?(?:方面的?工作|项工作|件事)[：:]"
_REPORTED = r"^(?:\ue000|会议|大会)(?:在讲话中|在主持会议时|在讲话时)?(?:指出|强调|要求|表示|认为)[，,：:]?"
_PARTICIPANTS = r"(?:参加会议|参加大会|等参加|列席会议|参加)[。]?$"
_SPEAKERS = r"(?:在大会上|在会上)?(?:作)?(?:交流|表态)?发言[。]?$"

RULES: tuple[CueRule, ...] = (
    _rule("opener", "salutation", _SALUTATION, "speech", "", "sentence", 1.0),
    _rule("opener", "purpose", _PURPOSE, "speech", "opening", "exact", 1.0),
    _rule("opener", "on_behalf", r"^(?:借此机会|借此时机|在此)[，,]?我代表", "speech", "", "cue", 0.9),
    _rule(
        "opener",
        "report_lead",
        r"^[\ue004\ue003]?[^。]{0,8}?[，,]?[^。]{2,80}?(?:召开|举行)",
        "report",
        "lead",
        "cue",
        1.0,
    ),
    _rule("opener", "attendance", _ATTENDANCE, "report", "lead attendance", "sentence", 0.8),
    _rule("transition", "just_now", r"^(?:刚才|刚刚)[，,]", "speech", "opening", "cue", 1.0),
    _rule("transition", "points", _POINTS, "speech", "", "sentence", 1.0),
    _rule("transition", "focus", _FOCUS, "speech", "", "sentence", 0.8),
    _rule("transition", "aware", r"^(?:我们)?(?:必须|要)?(?:清醒地|深刻)认识到", "speech", "", "cue", 0.6),
    _rule("transition", "reported_speech", _REPORTED, "report", "", "cue", 0.8),
    _rule("closer", "call", r"(?:^|[，,！!])让我们", "speech", "closing safeguards", "sentence", 1.0),
    _rule("closer", "thanks", r"^谢谢(?:大家)?[！!。]?$", "speech", "", "sentence", 0.8),
    _rule("closer", "participants", _PARTICIPANTS, "report", "participants", "sentence", 0.9),
    _rule("closer", "format", r"^会议以[^。]{2,20}?形式召开", "report", "", "sentence", 1.0),
    _rule("closer", "speakers", _SPEAKERS, "report", "other procedural", "sentence", 0.7),
    _rule("closer", "award", r"^(?:大会|会议)(?:为|对)[^。]{2,40}?(?:颁奖|表彰|授牌)", "report", "", "sentence", 0.7),
)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pairs: ``同志们：今天…。下面，…`` → two sentences (a salutation line is its own)."""
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group().strip()
        if sentence:
            yield m.start() + m.group().index(sentence[0]), sentence


def slot_meeting(compact: str) -> str:
    """``今天我们召开全市精神文明建设工作推进会，…`` → ``今天我们召开{会议}，…`` (compact form)."""
    meeting = SLOT_CHAR["会议"]
    compact = _MEETING_AFTER_RE.sub(meeting, compact, count=1)
    return _MEETING_BEFORE_RE.sub(lambda m: m.group(1) + meeting, compact, count=1)


def shape(compact: str, rule: CueRule, cue_end: int) -> str:
    """The template of a sentence matched by ``rule`` whose cue ends at ``cue_end``.

    ``cue`` rules keep the clause holding the cue and replace the rest by …; ``sentence`` rules keep the
    sentence when it is short and otherwise its first clauses up to MAX_KEEP characters, then ….
    """
    ends = [m.end() for m in re.finditer(r"[，,：:；;]", compact)]
    body = compact.rstrip("。！!？?")
    tail = compact[len(body) :]
    if rule.keep == "exact":
        return compact[:cue_end] + "…" if cue_end < len(body) else compact
    if rule.keep == "cue":
        stop = next((e for e in ends if e > cue_end), None)
        if stop is None or stop >= len(body):
            return compact
        return body[:stop] + "…"
    if len(body) <= MAX_KEEP:
        return compact
    stop = max((e for e in ends if e <= MAX_KEEP), default=None)
    if rule.kind == "closer" and rule.name == "participants":
        start = max((e for e in ends if e < len(body) - 4), default=0)
        return "…" + body[start:] + tail
    return (body[:stop] + "…") if stop else body[:MAX_KEEP] + "…"


def match_rules(sentence: str, doc_kind: str, role: str, first_in_doc: bool) -> Iterator[tuple[CueRule, int]]:
    """Rules that fire on one (slotted, compact) sentence, with the offset where the cue ends."""
    for rule in RULES:
        if doc_kind not in rule.doc_kinds:
            continue
        if rule.roles and role not in rule.roles:
            continue
        if rule.name == "report_lead" and not first_in_doc:
            continue
        m = rule.pattern.search(sentence)
        if m:
            yield rule, m.end()


def cut_like(surface: str, template: str) -> str:
    """Cut a surface sentence where its template was cut: as many clauses kept, and the same … side.

    ``刚才，相关单位作了很好的交流发言，分享了经验。`` with template ``刚才，{单位}作了…发言，…`` →
    ``刚才，相关单位作了很好的交流发言，…``.
    """
    seps = "，,：:；;"
    if template.endswith("…") and template[-2:-1] not in seps:
        cue = template[-6:-1]  # the literal end of an exact cue (主要任务是)
        at = surface.find(cue)
        if at >= 0:
            return surface[: at + len(cue)] + "…"
    if template.endswith("…"):
        keep = sum(1 for c in template if c in seps)
        count = 0
        for i, c in enumerate(surface):
            if c in seps:
                count += 1
                if count == keep:
                    return surface[: i + 1] + "…"
        return surface
    if template.startswith("…"):
        keep = sum(1 for c in template if c in seps) + 1
        count = 0
        for i in range(len(surface) - 1, -1, -1):
            if surface[i] in seps:
                count += 1
                if count == keep:
                    return "…" + surface[i + 1 :]
    return surface


@dataclass
class _CueGroup:
    rule: CueRule
    texts: dict[str, int] = field(default_factory=dict)
    docs: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    roles: dict[str, int] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    frequency: int = 0


def _fire(compact: str, doc_kind: str, role: str, first: bool) -> list[tuple[CueRule, str]]:
    """(rule, template) of the rules that fire on a slotted sentence, at most one per kind."""
    fired: dict[str, tuple[CueRule, str]] = {}
    for rule, cue_end in match_rules(compact, doc_kind, role, first):
        if rule.kind in fired:
            continue
        if rule.name == "reported_speech":
            template = compact[:cue_end].rstrip("，,：:") + "，"
        else:
            template = shape(compact, rule, cue_end)
        fired[rule.kind] = (rule, template)
    return list(fired.values())


def _shown(sentence: str, rule: CueRule, template: str) -> str:
    """The surface a writer sees for a fired rule: cut like its template."""
    surface = clean_surface(sentence)
    if rule.name == "reported_speech":
        verb = _SPEECH_VERB_RE.search(surface)
        return (surface[: verb.end()] if verb else surface).rstrip("，：") + "，"
    return cut_like(surface, template)


def mine_openers(ctx: MiningContext) -> list[MinedPhrase]:
    """Opener, transition and closer entries, grouped by template across documents (cached per sentence)."""
    groups: dict[tuple[str, str], _CueGroup] = {}
    compacts: dict[str, str] = {}
    fired_cache: dict[tuple[str, str, str, bool], list[tuple[CueRule, str, str]]] = {}
    for doc_index, document in enumerate(ctx.documents):
        first = True
        for ordinal, section_id, passage_id, text, role, is_heading in iter_units(document):
            for offset, sentence in sentences(text):
                lead = first and not is_heading
                if not is_heading:
                    first = False
                key = (sentence, document.kind, role, lead)
                fired = fired_cache.get(key)
                if fired is None:
                    compact = compacts.get(sentence)
                    if compact is None:
                        bare = to_wide("".join(c for c in sentence if c not in QUOTES))
                        noisy = ctx.is_noise(sentence)
                        compact = compacts[sentence] = "" if noisy else slot_meeting(ctx.slotter.slot(bare).compact)
                    fired = fired_cache[key] = [
                        (rule, template, _shown(sentence, rule, template))
                        for rule, template in (_fire(compact, *key[1:]) if compact else [])
                    ]
                for rule, template, shown in fired:
                    group = groups.setdefault((rule.kind, template), _CueGroup(rule))
                    group.texts[shown] = group.texts.get(shown, 0) + 1
                    group.docs.add(doc_index)
                    group.kinds.add(document.kind)
                    group.roles[role] = group.roles.get(role, 0) + 1
                    group.frequency += 1
                    if len(group.occurrences) < ctx.max_occurrences:
                        site = Site(doc_index, ordinal, section_id, passage_id, offset)
                        group.occurrences.append(occurrence(ctx.documents, site, 0, len(sentence), sentence))
    phrases = []
    for (kind, template), group in groups.items():
        df = len(group.docs)
        phrases.append(
            MinedPhrase(
                kind=kind,
                text=most_frequent(group.texts),
                template=expand(template),
                roles=tuple(sorted(group.roles, key=lambda r: (-group.roles[r], r))),
                frequency=group.frequency,
                doc_frequency=df,
                score=round(group.rule.weight + df + 0.1 * math.log1p(group.frequency), 4),
                occurrences=tuple(group.occurrences),
                extra={"rule": group.rule.name, "doc_kinds": sorted(group.kinds)},
            )
        )
    return phrases
