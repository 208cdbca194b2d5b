"""What a heading offers besides its paragraph: stock wording (a few alternatives) and retrieved passages.

One ``SuggestionBuilder`` serves one draft: it holds the writer's slot values, caches the draft's retriever
calls (coverage checks, paragraphs and suggestions share them) and remembers what each heading showed, so two
neighbouring headings never offer the same alternatives and a passage appears under one heading only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from app.compose.bank import BankEntry, ComposeBank
from app.compose.headings import fill_slots
from app.compose.model import Suggestion
from app.compose.request import DraftRequest
from app.compose.write.paragraphs import MIN_SUBJECT, bigrams, subject_pairs, subject_share
from app.text.currency import load_stale_wording
from app.text.normalise import to_simplified

# (query, role or None, k) → retrieved passages as suggestions of kind "passage", best first.
PassageLookup = Callable[[str, str | None, int], list[Suggestion]]
ALTERNATIVES = 3  # stock wording shown (folded) under a heading: a few that fit beat five that might
SEARCH_K = 8
TOPIC_CONTEXT = 3  # passages whose wording counts as "about the topic"


class SuggestionBuilder:
    """Collects, for one section at a time, the stock alternatives and passages in order of preference."""

    def __init__(
        self, request: DraftRequest, bank: ComposeBank, passages: PassageLookup | None, values: dict[str, str | None]
    ) -> None:
        self.request = request
        self.bank = bank
        self.passages = passages
        self.values = values
        self.notes: list[str] = []
        self.in_domain = True  # set by the planner: does the meeting's subject belong to 精神文明 work?
        self.said: set[str] = set()  # built-in sentence templates already used in this draft
        self._covered: dict[str, bool] = {}
        self._shown: set[str] = set()
        self._previous: set[str] = set()  # the alternatives of the heading just before
        self._searches: dict[tuple[str, str | None], list[Suggestion]] = {}
        self._stale = load_stale_wording()
        # 创建 campaigns the writer did not name: 确保文明城市创建工作取得实效 is wrong at a 文明校园 meeting.
        asked = " ".join((request.meeting, request.theme, *request.topics))
        self._other_campaigns = tuple(
            term for group in bank.defaults["campaigns"] if not any(term in asked for term in group) for term in group
        )
        self._doc_frequency = bank.memo(("doc_frequency",), lambda: {e.text: e.doc_frequency for e in bank.entries})

    def fill(self, template: str) -> str:
        return fill_slots(template, self.values)

    def text(self, template: str, entry: BankEntry | None = None) -> Suggestion:
        return Suggestion(kind="text", text=self.fill(template), source=entry.source if entry else None)

    def placeholder(self, role: str) -> list[Suggestion]:
        text = self.bank.defaults["speech"]["placeholders"].get(role, "")
        return [Suggestion(kind="placeholder", text=text)] if text else []

    def refuse(self, text: str) -> bool:
        """Wording this draft must not offer: 精神文明 wording under a meeting on another subject (安全生产,
        乡村振兴 …), or a formulation stale on the speech's date (十九届五中全会 in 2026; the dates are data in
        ``phrasebank/stale_wording.json``). Undated drafts are for today. Memoised per bank: the same stock
        entries are asked about by every draft."""
        on = self.request.date or dt.date.today()
        verdicts = self.bank.recent(("refuse", self.in_domain, on, self._other_campaigns), dict)
        if text not in verdicts:
            # A topic of the field the writer named is not foreign: 乡风文明 at a 乡村振兴 meeting keeps its 文明乡风
            # (but 安全生产 as a topic does not let 精神文明 wording in).
            terms = self.bank.defaults["domain_terms"]
            about_topic = any(topic in text for topic in self.request.topics if any(t in topic for t in terms))
            field_words = any(term in text for term in terms)
            foreign = not self.in_domain and not about_topic and field_words
            foreign = foreign or any(term in text for term in self._other_campaigns)
            # advice-level entries need context the composer lacks
            stale = any(hit.severity != "advice" for hit in self._stale.find(text, on))
            verdicts[text] = foreign or stale
        return verdicts[text]

    def stock(
        self, role: str, topic: str = "", limit: int = ALTERNATIVES, query: str = "", min_pairs: int = 1
    ) -> list[Suggestion]:
        """Up to ``limit`` alternatives for the role: the corpus's wording about this topic first, then the
        role's most shared wording, then built-in generic wording; none refused, none the previous heading
        offered. Without a topic, an alternative shares ``min_pairs`` character pairs with ``query``."""
        context = self.topic_context(topic or query, role)
        if topic:
            self.covered(topic)  # a topic the corpus lacks gets its note
        key = ("stock", role, topic, query, min_pairs, self.in_domain, hash(context))
        ordered = self.bank.recent(key, lambda: self._ordered(role, topic, query, context, min_pairs))
        if self.request.seed:  # rotated by the seed within each group, so 换一个 never buries the topical ones
            ordered = [_rotated(list(group), self.request.seed) for group in ordered]
        chosen: list[Suggestion] = []
        for suggestion in _unique([s for group in ordered for s in group]):
            if len(chosen) == limit:
                break
            if suggestion.text not in self._previous and not self.refuse(suggestion.text):
                chosen.append(suggestion)
        self._previous = {s.text for s in chosen}
        return chosen

    def _ordered(
        self, role: str, topic: str, query: str, context: str, min_pairs: int
    ) -> tuple[tuple[Suggestion, ...], ...]:
        """The candidate alternatives in groups of preference (a pure function of the bank and its arguments)."""
        # Every alternative kept below has half the topic's character pairs (or, without a topic, ``min_pairs`` of
        # the heading's): the bank hands over only those, not the role's whole wording (~60 000 entries at 10 000
        # documents).
        if topic:
            pairs = subject_pairs(topic)
            entries = self.bank.for_role(role, topic, about=pairs, min_pairs=math.ceil(MIN_SUBJECT * len(pairs)))
        else:
            entries = self.bank.for_role(role, about=bigrams(query), min_pairs=min_pairs)
        found = [e for e in entries if len(e.text) >= 4 and e.kind != "idiom"]
        # Wording the corpus used where it wrote about this topic comes first: under 未成年人思想道德建设,
        # 社会公德、职业道德、家庭美德、个人品德 rather than 一把手工程, which shares the role but not the subject.
        # Under a built-in heading (no topic) the passages are about the heading's words: what they share with
        # the heading counts, not 两个维护 quoted beside it.
        topical = [e for e in found if e.text in context and (topic or _shares_words(e.text, query))]
        # Under a topic only what names it (加强和改进未成年人思想道德建设 under 未成年人思想道德建设): in the judged
        # set the rest of a topic's alternatives — wording from its passages, the role's generic lines — was
        # relevant four times in ten. Under a built-in heading its own words decide: under 严格督查考核问责 the
        # wording about 督查考核, not 组织领导.
        if not topic:
            generic = [
                Suggestion(kind="formulation", text=self.fill(t))
                for t in self.bank.defaults["formulations"].get(role, [])
            ]
            kept = (*_as_suggestions(topical), *generic)
            return (tuple(s for s in kept if _shares_words(s.text, query, pairs=min_pairs)),)
        # Beyond the wording of the passages about this heading, only what the office says across documents in
        # its own field and that shares words with the heading: a single use (倒排工期 once), 防大汛 under
        # 组织领导 or 精神文明 wording under another subject is noise.
        shared = [
            e
            for e in found
            if e.text not in context and e.kind in ("formulation", "parallel") and self.in_domain
            and self._doc_frequency.get(e.text, 0) >= 2 and _shares_words(e.text, topic)
        ]  # fmt: skip
        return (_as_suggestions([e for e in (*topical, *shared) if subject_share(e.text, topic) >= MIN_SUBJECT]),)

    def topic_context(self, topic: str, role: str) -> str:
        """The simplified text of the passages that best match ``topic`` (under ``role``, else anywhere), joined;
        "" without a topic or an index."""
        if not topic or not self.passages:
            return ""
        hits = self.search(topic, role)[:TOPIC_CONTEXT] or self.search(topic, None)[:TOPIC_CONTEXT]
        return to_simplified("\x00".join(hit.text for hit in hits))  # bank entries are simplified

    def search(self, query: str, role: str | None) -> list[Suggestion]:
        """One retriever call per (query, role) per draft: coverage checks, paragraphs and suggestions share it."""
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
            pairs = {topic[i : i + 2] for i in range(len(topic) - 1)} or {topic}
            texts = [to_simplified(hit.text) for hit in hits]  # a traditional passage covers a simplified topic
            best = max((sum(1 for b in pairs if b in text) / len(pairs) for text in texts), default=0.0)
            self._covered[topic] = best >= 0.5
            if not self._covered[topic] and self.passages:
                self.notes.append(
                    f"语料中关于“{topic}”的内容很少，以下为通用表述，请补充 / "
                    f"the corpus has little on {topic}: neutral wording, please complete"
                )
        return self._covered[topic]

    def leaf(self, role: str, topic: str = "", query: str = "") -> list[Suggestion]:
        """A heading's suggestions: in outline mode the 【待补】 line first; alternatives; passages if asked."""
        if topic and self.passages:
            self.covered(topic)
        required = [] if self.request.paragraphs else self.placeholder(role)
        return required + self.stock(role, topic, query=query) + self.retrieved(query or topic, role, k=2)


def _shares_words(text: str, words: str, pairs: int = 1) -> bool:
    """Does ``text`` contain at least ``pairs`` distinct character pairs of ``words``? 工作 does not count: it
    is in every heading (层层压实工作责任) and says nothing of what 形成齐抓共管的工作格局 is about."""
    words = words.replace("工作", "\x00")
    found = {text[i : i + 2] for i in range(len(text) - 1)} & {words[i : i + 2] for i in range(len(words) - 1)}
    return len(found) >= pairs


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
