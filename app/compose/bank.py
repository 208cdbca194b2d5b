"""What the composer knows: the mined phrase bank (from the database) beside the built-in defaults."""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from app.compose.model import SourceRef
from app.config import REPO_ROOT

T = TypeVar("T")
DEFAULTS_PATH = REPO_ROOT / "phrasebank" / "compose_defaults.json"
SUGGESTION_KINDS = ("formulation", "formula", "parallel", "idiom")
RELATED_ROLES = {
    "review": ("remarks",),
    "significance": ("remarks",),
    "tasks": ("requirements",),
    "safeguards": ("requirements",),
    "remarks": ("review", "significance"),
    "requirements": ("tasks", "safeguards"),
}


@dataclass(frozen=True)
class BankEntry:
    """One phrase-bank entry as the composer needs it."""

    kind: str
    text: str
    template: str
    roles: dict[str, int]
    frequency: int
    doc_frequency: int
    extra: dict[str, Any] = field(default_factory=dict)
    source: SourceRef | None = None

    @property
    def rule(self) -> str:
        return str(self.extra.get("rule", ""))

    def for_doc_kind(self, doc_kind: str) -> bool:
        kinds = self.extra.get("doc_kinds")
        return not kinds or doc_kind in kinds


@lru_cache(maxsize=4)
def load_defaults(path: Path = DEFAULTS_PATH) -> dict[str, Any]:
    """The built-in frames (phrasebank/compose_defaults.json), read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


RECENT_ANSWERS = 4096  # per-request answers (a role about a topic) kept per bank; the rest are recomputed


@dataclass(frozen=True)
class ComposeBank:
    """The bank's entries plus the defaults; pure queries, no database."""

    entries: tuple[BankEntry, ...] = ()
    defaults: dict[str, Any] = field(default_factory=load_defaults)
    version: str = "empty"
    _memo: dict[Hashable, object] = field(default_factory=dict, compare=False, repr=False, hash=False)
    _recent: OrderedDict[Hashable, object] = field(default_factory=OrderedDict, compare=False, repr=False, hash=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False, hash=False)

    @property
    def chars_per_minute(self) -> int:
        return int(self.defaults.get("chars_per_minute", 220))

    def of_kind(self, kind: str, doc_kind: str | None = None) -> list[BankEntry]:
        # Memoised: at 10 000 documents a scan of the whole bank per call cost 11 ms, ~100 ms a draft.
        return list(self.memo(("of_kind", kind, doc_kind), lambda: tuple(
            e for e in self.entries if e.kind == kind and (doc_kind is None or e.for_doc_kind(doc_kind))
        )))  # fmt: skip

    def by_rule(self, kind: str, rule: str, doc_kind: str) -> list[BankEntry]:
        """Openers / transitions / closers mined by one rule (salutation, purpose, report_lead …), most used first."""
        found = [e for e in self.of_kind(kind, doc_kind) if e.rule == rule]
        return sorted(found, key=lambda e: (-e.frequency, -e.doc_frequency, e.text))

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value derived from this (immutable) bank, computed once: drafts ask the same questions again. Only
        for questions of which there are few (per kind, per role); per-request ones go through ``recent``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def recent(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Like ``memo`` for questions with a request's own words in them (a topic, a heading): the last
        ``RECENT_ANSWERS`` are kept, so a server answering new topics all day does not grow without bound."""
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]  # type: ignore[return-value]
        value = compute()  # outside the lock: two threads may compute one answer, both get a correct one
        with self._lock:
            self._recent[key] = value
            while len(self._recent) > RECENT_ANSWERS:
                self._recent.popitem(last=False)
        return value

    def for_role(
        self,
        role: str,
        topic: str = "",
        kinds: tuple[str, ...] = SUGGESTION_KINDS,
        about: frozenset[str] | set[str] = frozenset(),
        min_pairs: int = 1,
    ) -> list[BankEntry]:
        """Stock wording seen in sections of this role, the ones sharing words with ``topic`` first. With
        ``about`` (character pairs), only the entries containing at least ``min_pairs`` of them, found through an
        index of pairs, not a scan: at 10 000 documents a role has ~60 000 entries."""
        key = ("for_role", role, topic, kinds, frozenset(about), min_pairs)
        return list(self.recent(key, lambda: self._for_role(role, topic, kinds, frozenset(about), min_pairs)))

    def _for_role(
        self, role: str, topic: str, kinds: tuple[str, ...], about: frozenset[str], min_pairs: int
    ) -> tuple[BankEntry, ...]:
        ranked, position = self.memo(("role_ranking", role, kinds), lambda: self._role_ranking(role, kinds))
        if about and all(len(pair) == 2 for pair in about):  # a one-character subject is found by a scan
            index = self.memo(("pair_index", kinds), lambda: self._pair_index(kinds))
            found = Counter(position[i] for pair in about for i in index.get(pair, ()) if i in position)
            candidates = [ranked[at] for at in sorted(at for at, pairs in found.items() if pairs >= min_pairs)]
        else:
            candidates = list(ranked)
        if not topic:
            return tuple(candidates)
        topic_pairs = _pairs(topic)

        def overlap(entry: BankEntry) -> int:
            return sum(1 for i in range(len(entry.text) - 1) if entry.text[i : i + 2] in topic_pairs)

        # Stable: within the same overlap the role's own ranking stays.
        return tuple(sorted(candidates, key=lambda e: (e.roles.get(role, 0) == 0, -overlap(e))))

    def _role_ranking(self, role: str, kinds: tuple[str, ...]) -> tuple[tuple[BankEntry, ...], dict[int, int]]:
        """The role's entries best first (its own before the sibling role's, then by fit and spread), and each
        one's place in that order by its position in ``entries``."""
        # A speech's 意义 part says what a report's 会议指出 reports, its 任务/保障 what 会议强调 reports: an
        # entry seen only under the sibling role still fits, ranked after the role's own entries.
        related = RELATED_ROLES.get(role, ())

        def fit(entry: BankEntry) -> int:
            return entry.roles.get(role, 0) * 100 + sum(entry.roles.get(r, 0) for r in related)

        members = self.memo(("role_members", kinds), lambda: self._role_members(kinds))
        at = sorted({i for r in (role, *related) for i in members.get(r, ())})
        found = [(i, self.entries[i]) for i in at if fit(self.entries[i]) > 0]
        found.sort(
            key=lambda item: (item[1].roles.get(role, 0) == 0, -fit(item[1]), -item[1].doc_frequency, item[1].text)
        )
        return tuple(e for _, e in found), {i: at for at, (i, _) in enumerate(found)}

    def _role_members(self, kinds: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
        """Role → positions in ``entries`` of the entries of these kinds seen under it."""
        members: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            if entry.kind in kinds:
                for role in entry.roles:
                    members.setdefault(role, []).append(i)
        return {role: tuple(found) for role, found in members.items()}

    def warm(self) -> None:
        """Build what the first draft would otherwise wait for (at 10 000 documents ~10 s): the pair index and
        each role's ranking of the stock wording."""
        kinds = SUGGESTION_KINDS
        self.memo(("pair_index", kinds), lambda: self._pair_index(kinds))
        for role in self.memo(("role_members", kinds), lambda: self._role_members(kinds)):
            self.memo(("role_ranking", role, kinds), lambda role=role: self._role_ranking(role, kinds))  # type: ignore[misc]

    def _pair_index(self, kinds: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
        """Character pair → positions in ``entries`` of the entries of these kinds that contain it."""
        index: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            if entry.kind in kinds:
                for pair in _pairs(entry.text):
                    index.setdefault(pair, []).append(i)
        return {pair: tuple(found) for pair, found in index.items()}

    def skeletons(self, doc_kind: str) -> list[list[str]]:
        """Mined section-role sequences of this document kind, most frequent first."""
        rows = [e for e in self.of_kind("skeleton") if e.extra.get("doc_kind") == doc_kind]
        rows.sort(key=lambda e: (-e.frequency, e.text))
        return [list(e.extra.get("roles", [])) for e in rows]

    def headings(self, role: str, level: int | None = None) -> list[BankEntry]:
        """Headings past documents used for this role (alternatives for 换一个)."""
        found = [
            e
            for e in self.of_kind("heading")
            if role in e.roles and (level is None or e.extra.get("level") == level) and "{" not in e.text
        ]
        return sorted(found, key=lambda e: (-e.frequency, e.text))


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
