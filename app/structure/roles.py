"""Section roles: what each part of a speech or a news report does for its reader.

A speech moves through ``opening`` → ``review`` / ``problems`` / ``significance`` → ``tasks`` →
``safeguards`` → ``closing``; a news report through ``lead`` → ``attendance`` → ``remarks`` (指出)
→ ``requirements`` (强调/要求) → ``participants``. Roles are read from cue words in the heading and
the first paragraph, the section's position and the document kind; the cue words live in the
hand-maintained lexicon ``phrasebank/role_cues.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DEFAULT_CUES_PATH = Path(__file__).resolve().parents[2] / "phrasebank" / "role_cues.json"

HEADING_WEIGHT = 2.0  # a cue in the heading says more than one in the body
BODY_WEIGHT = 0.5
BODY_WINDOW = 150  # the first paragraph's opening sentences carry the section's intent
PARENT_BONUS = 1.5  # a sub-point keeps its parent's role unless a cue in its own heading disagrees
POSITION_BONUS = 0.75

# A paragraph that opens with a speaker and a verb: ``孙海东指出，…``, ``李平在主持会议时指出，…``.
_SPEAKER_RE = re.compile(r"^[^，,。；;：:！？]{0,24}?(指出|强调|要求|表示|认为|说|提出|希望)[，,：:]")
# A clause opening like this sets a task even when it ends with 深化/提升.
_IMPERATIVE_START = ("要", "推动", "促进", "确保", "努力", "着力", "切实", "全力", "奋力", "让", "使", "进一步", "持续")
_PRONOUN_SPEAKER_RE = re.compile(r"^[他她](?:还|又|也)?(指出|强调|要求|表示|认为|说)[，,：:]")
_LEAD_RE = re.compile(r"召开|举行|开幕|闭幕|举办")
_INTRODUCES_DEMANDS_RE = re.compile(r"要[—\-－]+$|要[：:]$")  # ``各板块各有关部门要——``


@dataclass(frozen=True)
class RoleCues:
    """The lexicon: per speech role, heading and body cue words; report paragraph cues; closing cues;
    progress verbs that make a heading report a result (``…扎实推进``)."""

    speech: MappingProxyType[str, tuple[tuple[str, ...], tuple[str, ...]]]
    report: MappingProxyType[str, tuple[str, ...]]
    closing_starts: tuple[str, ...]
    closing_contains: tuple[str, ...]
    achievement_endings: tuple[str, ...] = ()


def _parse_cues(data: dict[str, Any]) -> RoleCues:
    """Turn the JSON lexicon into immutable tuples (see ``phrasebank/role_cues.json``)."""
    speech = {
        role: (tuple(entry.get("heading", ())), tuple(entry.get("body", ()))) for role, entry in data["speech"].items()
    }
    report = {role: tuple(words) for role, words in data["report"].items()}
    return RoleCues(
        MappingProxyType(speech),
        MappingProxyType(report),
        tuple(data.get("closing", {}).get("starts", ())),
        tuple(data.get("closing", {}).get("contains", ())),
        tuple(data.get("achievement_endings", ())),
    )


@lru_cache(maxsize=8)
def load_cues(path: Path | str | None = None) -> RoleCues:
    """Load the role lexicon once; ``load_cues()`` reads ``phrasebank/role_cues.json`` of this repo."""
    source = Path(path) if path is not None else DEFAULT_CUES_PATH
    return _parse_cues(json.loads(source.read_text(encoding="utf-8")))


def _hits(text: str, words: tuple[str, ...]) -> list[int]:
    """Positions of the cue words found in ``text`` (each word counted once)."""
    return [pos for pos in (text.find(word) for word in words) if pos >= 0]


def score_speech_roles(heading: str, first_paragraph: str, cues: RoleCues) -> dict[str, float]:
    """Cue scores per speech role: ``认清形势，正视差距`` → significance 2 + problems 4 (…).

    An earlier cue in the heading wins a tie (writers put the theme first), hence the small
    position term.
    """
    body = first_paragraph[:BODY_WINDOW]
    achieved = _achievement(heading, cues)
    scores: dict[str, float] = {}
    for role, (heading_words, body_words) in cues.speech.items():
        found = _hits(heading[: len(heading) - len(achieved)] if role == "tasks" else heading, heading_words)
        score = HEADING_WEIGHT * len(found) + BODY_WEIGHT * len(_hits(body, body_words))
        if found:
            score += 0.1 * (1 - min(found) / max(len(heading), 1))
        scores[role] = score
    if achieved:
        scores["review"] += HEADING_WEIGHT
    return scores


def _achievement(heading: str, cues: RoleCues) -> str:
    """The progress verb a heading ends with when it reports a result, or ``""``.

    ``思想道德建设扎实推进`` (subject, then 推进) reports work done → ``推进``; ``推进思想道德建设``
    (推进 first), ``推动…不断深化`` and a bare ``全面推进`` set work to do → ``""``.
    """
    last_clause = re.split(r"[，,、；;：:]", heading)[-1]
    if len(last_clause) < 6 or last_clause.startswith(_IMPERATIVE_START + cues.speech["tasks"][0]):
        return ""  # 推动精神文明建设不断深化 asks for work; it does not report it
    return next((word for word in cues.achievement_endings if last_clause.endswith(word)), "")


def speech_role(
    heading: str,
    first_paragraph: str,
    *,
    parent_role: str | None,
    first: bool,
    last: bool,
    cues: RoleCues,
) -> str:
    """Role of a headed speech section.

    ``一、肯定成绩、正视挑战，深刻把握…转变`` with ``过去几年…成果丰硕`` below it → ``review``;
    ``四、要切实加强党对精神文明建设的领导`` (last part) → ``safeguards``; ``要落实两个纲要`` under
    a ``tasks`` part → ``tasks``. Nothing to go on → the parent's role, else ``significance`` for
    the first part and ``tasks`` for the rest (most of a speech is work deployment).
    """
    scores = score_speech_roles(heading, first_paragraph, cues)
    if parent_role in scores:
        scores[parent_role] += PARENT_BONUS
    elif parent_role is None:
        if first:
            scores["significance"] += POSITION_BONUS  # speeches open most often with 提高认识 …
            scores["review"] += POSITION_BONUS / 2  # … or with a look back
        if last:
            scores["safeguards"] += POSITION_BONUS
    scores["closing"] -= 0 if last else 1.0  # only the end of a speech calls people to action
    best = max(scores, key=lambda role: scores[role])
    if scores[best] > 0:
        return best
    if parent_role:
        return parent_role
    return "significance" if first else "tasks"


def report_paragraph_role(paragraph: str, cues: RoleCues, *, trailing: bool = False) -> str | None:
    """Role of a news-report paragraph that has no heading above it, or None to continue the last.

    ``孙海东强调，全区上下…`` → requirements; ``区委副书记、区长李平主持会议。…`` → attendance;
    ``会上，相关单位领取了…`` → other; at the end (``trailing``) ``…负责同志参加会议。`` →
    participants; ``李平在主持会议时指出，…各有关部门要——`` → requirements (it introduces demands).
    """
    text = paragraph.strip()
    if _INTRODUCES_DEMANDS_RE.search(text):
        return "requirements"
    verb = _speaker_verb(text)
    if verb:
        return "requirements" if verb in cues.report["requirements"] else "remarks"
    if any(0 <= text.find(word) <= 15 for word in cues.report["speech_openers"]):
        return "remarks"  # 连辑在讲话中对…给予了充分肯定
    if text.startswith(cues.report["procedural"]):
        return "other"
    if trailing and _hits(text, cues.report["participants"]):
        return "participants"
    if _hits(text[:200], cues.report["attendance"]) and len(text) <= 300:
        return "participants" if trailing else "attendance"
    return None


def _speaker_verb(text: str) -> str | None:
    """The verb of a speaker opening in the first or second sentence, or None.

    ``孙海东指出，…`` → 指出; ``市委常委、宣传部长刘秀玲作重要讲话。她说，…`` → 说;
    ``吴振成主持会议，他指出，…`` → 指出.
    """
    speaker = _SPEAKER_RE.match(text)
    if speaker:
        return speaker.group(1)
    first_end = next((i for i, ch in enumerate(text[:60]) if ch in "。；;，,"), -1)
    if first_end > 0:
        speaker = _PRONOUN_SPEAKER_RE.match(text[first_end + 1 :])
        if speaker:  # …作重要讲话。她说，/ 吴振成主持会议，他指出，
            return speaker.group(1)
    return None


def is_lead_paragraph(paragraph: str) -> bool:
    """``昨日，全国文明城市创建工作推进会在市委小礼堂召开，…`` — the news itself: a meeting held."""
    return bool(_LEAD_RE.search(paragraph[:120]))


def paragraph_speaker(paragraph: str) -> str | None:
    """Who speaks in a report paragraph: ``区委书记孙海东强调，…`` → ``区委书记孙海东``; none → None.

    ``他说，…`` → ``他`` (the same speaker as before).
    """
    speaker = _SPEAKER_RE.match(paragraph.strip())
    return speaker.group(0)[: speaker.start(1)] if speaker else None


def same_speaker(previous: str | None, current: str | None) -> bool:
    """``区委书记孙海东`` and ``孙海东`` are one person; a pronoun or no speaker continues the last."""
    if previous is None or current is None or current in ("他", "她", "他还", "她还", "会议还", "会议"):
        return True
    base = re.sub(r"(在.*|还)$", "", current)
    prev = re.sub(r"(在.*|还)$", "", previous)
    return bool(base and prev) and (base.endswith(prev) or prev.endswith(base))


def report_heading_role(heading: str, parent_role: str | None, cues: RoleCues) -> str:
    """Role of a headed report section: ``会议指出`` → remarks, ``熊茂平强调`` → requirements.

    Bullets and points under a heading keep the parent's remarks/requirements; points elsewhere
    are what the meeting asked for (requirements).
    """
    for verb in cues.report["requirements"]:
        if heading.endswith(verb):
            return "requirements"
    for verb in cues.report["remarks"]:
        if heading.endswith(verb):
            return "remarks"
    if parent_role in ("remarks", "requirements"):
        return parent_role
    return "requirements"


def is_closing_paragraph(paragraph: str, cues: RoleCues) -> bool:
    """``同志们，让我们…奋勇前进！`` / ``谢谢大家！`` at the end of a speech: the call to action."""
    return paragraph.startswith(cues.closing_starts) or any(word in paragraph for word in cues.closing_contains)
