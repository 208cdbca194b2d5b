"""Political wording that has gone stale by a draft's date: ``十九届五中全会精神`` in a 2026 speech.

The list lives in ``phrasebank/stale_wording.json`` so that reviewers can check dates and sources without
reading code; this module only loads, validates and applies it. Pure: no database, no settings object.

Matching runs on a simplified, half-width shadow of the text (OpenCC ``t2s`` keeps the length of these
words, full-width digits map one to one), so a hit's span indexes the caller's original string.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from app.config import REPO_ROOT
from app.text.normalise import to_simplified

Severity = Literal["error", "warning", "advice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "advice")
STALE_WORDING_PATH = REPO_ROOT / "phrasebank" / "stale_wording.json"

# Macros keep the data readable: “十四五” and 十四五 are one pattern, 不忘初心、牢记使命 and 不忘初心，牢记使命 too.
# Only upper-case names in braces are macros, so a stray regex quantifier such as {2} is caught as an error.
MACROS: dict[str, str] = {
    "Q": '[“”"「」『』]?',
    "SEP": "[、，,]?",
}
_MACRO_RE = re.compile(r"\{([A-Z]+)\}")
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


@dataclass(frozen=True)
class StaleEntry:
    """One reviewed formulation and the date from which a draft should not use it."""

    id: str
    pattern: str
    regex: bool
    stale_from: datetime.date
    stale_until: datetime.date | None
    replacement: str
    severity: Severity
    note: str
    source: str

    def active_on(self, on: datetime.date) -> bool:
        """Whether a draft dated ``on`` should be warned about this wording."""
        return on >= self.stale_from and (self.stale_until is None or on < self.stale_until)


@dataclass(frozen=True)
class StaleHit:
    """Where stale wording occurs: ``text[start:end]`` of the caller's (unconverted) text."""

    start: int
    end: int
    text: str
    entry: StaleEntry

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def severity(self) -> Severity:
        return self.entry.severity

    @property
    def replacement(self) -> str:
        return self.entry.replacement

    @property
    def note(self) -> str:
        return self.entry.note

    @property
    def source(self) -> str:
        return self.entry.source


def expand_macros(pattern: str, regex: bool) -> str:
    """The regex a data pattern stands for: literals are escaped around their macros."""
    out: list[str] = []
    pos = 0
    for m in _MACRO_RE.finditer(pattern):
        if m.group(1) not in MACROS:
            raise ValueError(f"unknown macro {m.group(0)} in {pattern!r}")
        chunk = pattern[pos : m.start()]
        out.append(chunk if regex else re.escape(chunk))
        out.append(MACROS[m.group(1)])
        pos = m.end()
    tail = pattern[pos:]
    out.append(tail if regex else re.escape(tail))
    return "".join(out)


def _shadow(text: str) -> str:
    """Simplified, half-width digits, same length as ``text`` — what patterns are matched against."""
    text = text.translate(_FULLWIDTH_DIGITS)
    simplified = to_simplified(text)
    if len(simplified) == len(text):
        return simplified
    # t2s rewrote some phrase to a different length; converting character by character keeps offsets
    # aligned at the cost of phrase-level accuracy, which these short political terms do not need.
    chars = [to_simplified(c) for c in text]
    return "".join(s if len(s) == 1 else c for c, s in zip(text, chars, strict=True))


def _date(value: Any, entry_id: str, key: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"stale wording {entry_id!r}: {key} must be YYYY-MM-DD, got {value!r}") from exc


def _entry(raw: dict[str, Any]) -> StaleEntry:
    entry_id = str(raw.get("id", "")).strip()
    if not entry_id:
        raise ValueError(f"stale wording entry without an id: {raw!r}")
    missing = [k for k in ("pattern", "stale_from", "severity", "note", "source") if not raw.get(k)]
    if missing:
        raise ValueError(f"stale wording {entry_id!r}: missing {', '.join(missing)}")
    severity = raw["severity"]
    if severity not in SEVERITIES:
        raise ValueError(f"stale wording {entry_id!r}: severity must be one of {SEVERITIES}, got {severity!r}")
    until = raw.get("stale_until")
    return StaleEntry(
        id=entry_id,
        pattern=str(raw["pattern"]),
        regex=bool(raw.get("regex", False)),
        stale_from=_date(raw["stale_from"], entry_id, "stale_from"),
        stale_until=_date(until, entry_id, "stale_until") if until else None,
        replacement=str(raw.get("replacement", "")),
        severity=cast(Severity, severity),
        note=str(raw["note"]),
        source=str(raw["source"]),
    )


class StaleList:
    """The stale-wording entries with their patterns compiled once."""

    def __init__(self, entries: tuple[StaleEntry, ...]) -> None:
        seen: set[str] = set()
        compiled: list[tuple[StaleEntry, re.Pattern[str]]] = []
        for entry in entries:
            if entry.id in seen:
                raise ValueError(f"stale wording id {entry.id!r} appears twice")
            seen.add(entry.id)
            try:
                rx = re.compile(expand_macros(entry.pattern, entry.regex))
            except (re.error, ValueError) as exc:
                raise ValueError(f"stale wording {entry.id!r}: bad pattern: {exc}") from exc
            if rx.search(""):
                # A pattern that matches nothing-at-all would flag every draft.
                raise ValueError(f"stale wording {entry.id!r}: pattern matches the empty string")
            compiled.append((entry, rx))
        self.entries = entries
        self._compiled = tuple(compiled)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> StaleEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def active(self, on: datetime.date) -> list[StaleEntry]:
        """The entries a draft dated ``on`` is checked against."""
        on = _as_date(on)
        return [e for e in self.entries if e.active_on(on)]

    def find(self, text: str, on: datetime.date) -> list[StaleHit]:
        """Stale wording in ``text`` for a draft dated ``on``, in text order (ties: file order)."""
        on = _as_date(on)
        if not text:
            return []
        shadow = _shadow(text)
        hits: list[tuple[int, int, StaleHit]] = []
        for order, (entry, rx) in enumerate(self._compiled):
            if not entry.active_on(on):
                continue
            for m in rx.finditer(shadow):
                if m.end() > m.start():
                    hits.append((m.start(), order, StaleHit(m.start(), m.end(), text[m.start() : m.end()], entry)))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [h[2] for h in hits]

    def is_stale(self, text: str, on: datetime.date) -> bool:
        """Whether ``text`` holds any wording that is stale for a draft dated ``on``."""
        on = _as_date(on)
        if not text:
            return False
        shadow = _shadow(text)
        return any(entry.active_on(on) and rx.search(shadow) for entry, rx in self._compiled)


def _as_date(on: datetime.date) -> datetime.date:
    # datetime is a date subclass but refuses to compare with a plain date, so reduce it first.
    return on.date() if isinstance(on, datetime.datetime) else on


def parse_stale_wording(data: dict[str, Any]) -> StaleList:
    """Build a :class:`StaleList` from the JSON document (``{"_about": …, "entries": […]}``)."""
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise ValueError("stale wording: top-level 'entries' must be a list")
    return StaleList(tuple(_entry(raw) for raw in raw_entries))


@lru_cache(maxsize=4)
def _load(path: Path) -> StaleList:
    return parse_stale_wording(json.loads(path.read_text(encoding="utf-8")))


def load_stale_wording(path: Path | None = None) -> StaleList:
    """The stale-wording list (default ``phrasebank/stale_wording.json``), read and compiled once per file."""
    return _load((path or STALE_WORDING_PATH).resolve())
