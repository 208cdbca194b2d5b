"""What the composer knows: the mined phrase bank (from the database) beside the built-in defaults."""

from __future__ import annotations

import json
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


@dataclass(frozen=True)
class ComposeBank:
    """The bank's entries plus the defaults; pure queries, no database."""

    entries: tuple[BankEntry, ...] = ()
    defaults: dict[str, Any] = field(default_factory=load_defaults)
    version: str = "empty"
    _memo: dict[Hashable, object] = field(default_factory=dict, compare=False, repr=False, hash=False)

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
        """A value derived from this (immutable) bank, computed once: drafts ask the same questions again."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def for_role(self, role: str, topic: str = "", kinds: tuple[str, ...] = SUGGESTION_KINDS) -> list[BankEntry]:
        """Stock wording seen in sections of this role, the ones sharing words with ``topic`` first."""
        return list(self.memo(("for_role", role, topic, kinds), lambda: self._for_role(role, topic, kinds)))

    def _for_role(self, role: str, topic: str, kinds: tuple[str, ...]) -> tuple[BankEntry, ...]:
        topic_bigrams = {topic[i : i + 2] for i in range(len(topic) - 1)}

        def overlap(entry: BankEntry) -> int:
            return sum(1 for i in range(len(entry.text) - 1) if entry.text[i : i + 2] in topic_bigrams)

        # A speech's 意义 part says what a report's 会议指出 reports, its 任务/保障 what 会议强调 reports: an
        # entry seen only under the sibling role still fits, ranked after the role's own entries.
        related = RELATED_ROLES.get(role, ())

        def fit(entry: BankEntry) -> int:
            return entry.roles.get(role, 0) * 100 + sum(entry.roles.get(r, 0) for r in related)

        found = [e for e in self.entries if e.kind in kinds and fit(e) > 0]
        return tuple(
            sorted(found, key=lambda e: (e.roles.get(role, 0) == 0, -overlap(e), -fit(e), -e.doc_frequency, e.text))
        )

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
