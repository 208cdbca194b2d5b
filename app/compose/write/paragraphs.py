"""Drafted paragraphs: the office's own sentences, chosen for a heading's subject and role, joined into prose.

For each heading the writer of a speech needs 120–300 characters that say what the heading promises. The
``ParagraphWriter`` asks the passage index for the subject (under the heading's role, then anywhere), adapts
each passage's sentences (``sentences.adapt_passage``: spun words restored, other documents' facts refused,
places slotted), scores every sentence for

- **subject**: how much of the subject (the topic, else the heading's own words) it mentions — a sentence
  that says nothing of 志愿服务 does not go under a 志愿服务 heading, whatever its score in the index;
- **role**: cue words of the heading's role (``phrasebank/role_cues.json``: 意义 for significance, 责任 for
  safeguards …) and whether its passage was filed under that role;
- **shape**: a requirement (``要…``, ``推动…``) suits a task heading; a mid-length sentence reads best,

and keeps the best sentences up to the length asked for, in their source order within each passage so the
argument still runs as it was written. A sentence used under one heading is never used under another. When
the corpus has too little, the paragraph is completed from neutral built-in sentences for the role and a
【待补：…】 for what only the writer knows — never another field's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.compose.model import DraftSentence, Paragraph, Suggestion
from app.compose.write.sentences import SentenceCandidate, adapt_passage, fill
from app.structure.roles import load_cues
from app.text.phrases import PhraseSet

# (query, role or None) → retrieved passages (kind "passage"), best first.
PassageSearch = Callable[[str, str | None], list[Suggestion]]

DEFAULT_CHARS = 200  # a paragraph under a heading: 120–300 characters
MIN_CHARS = 120
MAX_CHARS = 300
MIN_SUBJECT = 0.5  # share of the subject's character pairs a sentence must mention
HEADING_CORE = 0.25  # … and of a built-in heading's own words, beyond the theme
RESTATED = 0.5  # a sentence whose pairs are half in another of the paragraph says nothing new
LEAD_ADVERBS = ("切实", "持续", "进一步", "着力", "全面", "扎实", "不断", "大力", "深入", "认真", "层层", "严格")
REQUIREMENT_STARTS = ("要", "推动", "推进", "加强", "深化", "健全", "完善", "坚持", "着力", "持续", "进一步", "切实",
                      "积极", "大力", "深入", "广泛", "强化", "扎实", "全面", "不断", "努力", "确保", "围绕", "聚焦",
                      "以", "把", "让", "各级", "各地", "各部门", "各单位")  # fmt: skip
TASK_ROLES = ("tasks", "safeguards", "requirements")
ASSESSING_ROLES = ("review", "problems", "remarks")  # 会议指出 reports an assessment, 会议强调 the demands
# Parts that may say what was done. Not even a speech's review: another office's achievements are its facts,
# so a review paragraph is the built-in frame with 【待补】 for this office's own.
NARRATIVE_ROLES = ("remarks", "lead")
POINT_NUMBERS = "一二三四五六七八九十"


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


def subject_pairs(subject: str) -> set[str]:
    """The character pairs that say what ``subject`` is about: a trailing 工作 (文明交通工作) says nothing."""
    return bigrams(subject.removesuffix("工作") if len(subject) > 4 else subject)


def subject_share(sentence: str, subject: str) -> float:
    """Share of the subject's character pairs the sentence contains: 志愿服务 in 健全志愿服务网络 → 1.0."""
    pairs = subject_pairs(subject)
    return sum(1 for pair in pairs if pair in sentence) / len(pairs) if pairs else 0.0


@dataclass
class ParagraphWriter:
    """Writes every paragraph of one draft; remembers what it used so no sentence appears twice."""

    search: PassageSearch
    place: str = ""
    used: set[str] = field(default_factory=set)
    k: int = 8
    # The office's shared formulations (bank entries seen in two or more documents): a sentence that says one
    # is the office's own way of putting it, preferred to a one-off wording of the same point.
    formulations: PhraseSet | None = None

    def candidates(self, query: str, role: str | None) -> list[SentenceCandidate]:
        """Reusable sentences of the passages found for ``query`` under ``role`` and then anywhere."""
        found: list[SentenceCandidate] = []
        seen: set[str] = set()
        narrative = role in NARRATIVE_ROLES
        for filter_role in (role, None) if role else (None,):
            for rank, hit in enumerate(self.search(query, filter_role)[: self.k]):
                for candidate in adapt_passage(hit.text, hit.source, rank, filter_role or "other", narrative):
                    if candidate.key not in seen:
                        seen.add(candidate.key)
                        found.append(candidate)
        return found

    def score(self, candidate: SentenceCandidate, subject: str, role: str, heading: str) -> float:
        text = candidate.template
        share = subject_share(text, subject)
        score = 3.0 * share + 0.8 * subject_share(text, heading)
        body_cues = load_cues().speech.get(role, ((), ()))[1]
        score += 0.5 * min(2, sum(1 for cue in body_cues if cue in text))
        if candidate.role == role:
            score += 0.6
        if role in TASK_ROLES and text.startswith(REQUIREMENT_STARTS):
            score += 0.5
        if self.formulations is not None:
            score += 0.3 * min(2, len(set(self.formulations.matches(text))))
        score -= 0.15 * candidate.passage  # the retriever's order still counts
        score -= 0.4 * text.count("{")  # each slot is something the writer must fill in
        if not 20 <= len(text) <= 90:
            score -= 0.4
        return score

    def write(
        self,
        *,
        subject: str,
        role: str,
        heading: str = "",
        query: str = "",
        lead: str = "",
        target: int = DEFAULT_CHARS,
        fallback: Sequence[str] = (),
        points: bool = False,
        min_subject: float = MIN_SUBJECT,
        reject: Callable[[str], bool] | None = None,
        heading_subject: bool = False,
    ) -> Paragraph:
        """The paragraph under ``heading``: ``lead`` (the writer's own topic sentence), then the best reusable
        sentences about ``subject`` up to ``target`` characters, then built-in ``fallback`` sentences if the
        corpus had too little. With ``points`` the chosen requirements are numbered 一要、二要…. ``reject`` refuses
        sentences the draft must not say (another field's wording, stale formulations)."""
        sentences: list[DraftSentence] = [DraftSentence(text=lead)] if lead else []
        length = len(lead)
        scored = []
        for candidate in self.candidates(query or subject, role):
            if candidate.key in self.used:
                continue
            on_subject = not subject or subject_share(candidate.template, subject) >= min_subject
            if heading_subject:
                # A built-in heading (层层压实工作责任) is its own subject: the sentence must say what the heading
                # says (its words beyond the theme), and may then come from any field's documents.
                core = subject_share(candidate.template, heading.replace(subject, ""))
                # …but a significance heading argues for this subject: 城市是高质量发展的主战场 proves nothing
                # about 未成年人思想道德建设, however well it says 高质量发展.
                enough = on_subject or (core >= 0.4 and role != "significance")
                if core < HEADING_CORE or not enough:
                    continue
            elif not on_subject:
                continue  # about something else: never under this heading
            if reject is not None and reject(candidate.template):
                continue
            if role in TASK_ROLES and not _requirement(candidate.template):
                continue  # a task part says what to do
            if role in ASSESSING_ROLES and _requirement(candidate.template):
                continue  # a review or a problem part says how things stand, not what to do
            scored.append((self.score(candidate, subject, role, heading), candidate))
        scored.sort(key=lambda item: -item[0])
        chosen: list[SentenceCandidate] = []
        for _, candidate in scored:
            if length >= target:
                break
            if length + len(candidate.template) > max(target, MIN_CHARS) + 60:
                continue
            if _restates(candidate.template, [c.template for c in chosen]):
                continue  # two documents' versions of one sentence (…的工作格局 / …的领导体制和工作机制)
            chosen.append(candidate)
            length += len(candidate.template)
        # Source order within a passage keeps the argument as it was written; passages by their rank.
        chosen.sort(key=lambda c: (c.passage, c.position))
        for candidate in chosen:
            self.used.add(candidate.key)
            sentences.append(DraftSentence(text=fill(candidate.template, self.place), source=candidate.source))
        for index, text in enumerate(fallback):
            # the writer's placeholder (last, with 【待补】) is said whenever the paragraph is short; any other
            # built-in sentence only once in a draft
            last = index == len(fallback) - 1 and "【待补" in text
            if length >= MIN_CHARS or (last and any("【待补" in s.text for s in sentences)):
                break
            if _restates(text, [s.text for s in sentences]) and not last:
                continue  # 要加强组织领导，完善…工作格局 after the corpus's …领导体制和工作机制 says it twice
            if text not in self.used or last:
                self.used.add(text)
                sentences.append(DraftSentence(text=text))
                length += len(text)
        said = _claim(lead)
        if lead and any(said in s.text.split("，")[0] for s in sentences[1:]):
            sentences = sentences[1:]  # 要层层压实工作责任，明确… already says the lead, and more
            lead = ""
        if points:
            sentences = number_points(sentences, bool(lead))
        return Paragraph(sentences=tuple(sentences))


def _claim(lead: str) -> str:
    """What a lead demands without its 要 and adverbs: 要切实加强组织领导。 → 加强组织领导."""
    claim = lead.rstrip("。").removeprefix("要")
    for adverb in LEAD_ADVERBS:
        claim = claim.removeprefix(adverb)
    return claim


def _restates(text: str, earlier: Sequence[str]) -> bool:
    """A sentence that shares most of the character pairs of itself or of the shorter one already in the
    paragraph: either way one of the two says nothing the other does not."""
    pairs = bigrams(re.sub(r"【[^】]*】", "", text))
    return any(
        len(pairs & other) >= RESTATED * min(len(pairs), len(other))
        for other in (bigrams(e) for e in earlier if len(e) > 12)
    )


def _requirement(text: str) -> bool:
    """要加强…, 推动…, 各级党委要…: a sentence that asks for action (要 within its first clause)."""
    return text.startswith(REQUIREMENT_STARTS) or "要" in text[:12].split("，")[0]


def number_points(sentences: list[DraftSentence], has_lead: bool) -> list[DraftSentence]:
    """一要…；二要…: the requirements after the lead sentence become numbered points (要 kept once)."""
    out = sentences[:1] if has_lead else []
    number = 0
    for sentence in sentences[1:] if has_lead else sentences:
        text = sentence.text
        if number < len(POINT_NUMBERS) and not text.startswith("【") and text.startswith(REQUIREMENT_STARTS):
            body = text[1:] if text.startswith("要") else text
            text = f"{POINT_NUMBERS[number]}要{body}"
            number += 1
        out.append(sentence.model_copy(update={"text": text}))
    return out
