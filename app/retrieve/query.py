"""Query-side helpers of the retriever: input checks, filters, MMR diversification and highlighting."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.structure.model import REPORT_ROLES, SPEECH_ROLES

ROLES = tuple(dict.fromkeys(SPEECH_ROLES + REPORT_ROLES))
KINDS = ("speech", "report", "other")
MAX_QUERY_CHARS = 200
MAX_K = 100

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NOT_WORD = re.compile(r"[\W_]+")


class QueryError(ValueError):
    """Input the retriever refuses, with a stable code and a bilingual message (the API answers 422)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SearchFilters:
    """What a hit must satisfy. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (inclusive)."""

    role: str | None = None
    kind: str | None = None
    in_domain: bool = False
    since: str | None = None
    until: str | None = None
    exclude_doc: int | None = None

    def validate(self) -> SearchFilters:
        if self.role is not None and self.role not in ROLES:
            raise QueryError(
                "unknown_role", f"未知的部分类型 {self.role!r} / unknown role {self.role!r}; one of: {', '.join(ROLES)}"
            )
        if self.kind is not None and self.kind not in KINDS:
            raise QueryError(
                "unknown_kind", f"未知的文种 {self.kind!r} / unknown kind {self.kind!r}; one of: {', '.join(KINDS)}"
            )
        since = date_range(self.since)[0] if self.since else None
        until = date_range(self.until)[1] if self.until else None
        if since is not None and until is not None and since > until:
            raise QueryError("bad_date_range", f"起始日期晚于截止日期 / since {self.since} is after until {self.until}")
        return self


def date_range(value: str) -> tuple[int, int]:
    """The first and last day a date of that precision can mean, as YYYYMMDD ints: ``2025-06`` → 20250601, 20250631.

    Raises ``QueryError`` for anything but ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a real month and day.
    """
    match = _DATE_RE.match(value.strip())
    if not match:
        raise QueryError("bad_date", f"日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD / bad date {value!r}")
    year, month, day = int(match[1]), match[2], match[3]
    if (month is not None and not 1 <= int(month) <= 12) or (day is not None and not 1 <= int(day) <= 31):
        raise QueryError("bad_date", f"日期不存在 / no such date {value!r}")
    if month is None:
        return year * 10000 + 101, year * 10000 + 1231
    base = year * 10000 + int(month) * 100
    return (base + int(day), base + int(day)) if day is not None else (base + 1, base + 31)


def document_date_range(value: str | None) -> tuple[int, int]:
    """Like ``date_range`` for a stored document date; (0, 0) when it is missing or unreadable."""
    if not value:
        return 0, 0
    try:
        return date_range(value)
    except QueryError:
        return 0, 0


def check_query(query: str, k: int) -> str:
    """The stripped query, or ``QueryError`` for an empty or overlong query or a k out of range."""
    text = (query or "").strip()
    if not text:
        raise QueryError("empty_query", "查询为空 / the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            "query_too_long",
            f"查询过长（{len(text)} 字，上限 {MAX_QUERY_CHARS} 字） / query too long ({len(text)} > {MAX_QUERY_CHARS})",
        )
    if not 1 <= k <= MAX_K:
        raise QueryError("bad_k", f"k 应在 1 到 {MAX_K} 之间 / k must be between 1 and {MAX_K}, got {k}")
    return text


def normalised(text: str) -> str:
    """Text without punctuation or spaces, lower-cased: how two copies of a paragraph are recognised."""
    return _NOT_WORD.sub("", text).lower()


@dataclass
class Pick:
    """One chosen candidate and the near-duplicates it stands for."""

    candidate: int
    duplicates: list[int] = field(default_factory=list)


def mmr(
    relevance: np.ndarray, similar_to: Callable[[int], np.ndarray], k: int, lam: float, duplicate_threshold: float
) -> list[Pick]:
    """Maximal marginal relevance over candidates sorted best first; near-duplicates fold into the first copy.

    ``relevance`` is each candidate's cosine to the query (scaled here so the best is 1); ``similar_to(i)`` gives
    the cosines of every candidate to candidate ``i`` — asked only for the ones chosen, so the cost grows with
    k, not with the square of the candidates. A candidate whose cosine to a chosen one reaches
    ``duplicate_threshold`` is not shown again but recorded as a copy of it. Two paragraphs that differ only in
    punctuation, spacing or letter case have identical features, hence cosine 1: they are always caught.
    """
    count = len(relevance)
    if count == 0:
        return []
    rel = relevance / max(float(relevance.max()), 1e-12)
    alive = np.ones(count, dtype=bool)
    max_sim = np.zeros(count, dtype=np.float64)
    picks: list[Pick] = []
    while len(picks) < k and alive.any():
        gain = np.where(alive, lam * rel - (1.0 - lam) * max_sim, -np.inf)
        best = int(np.argmax(gain))  # ties go to the earlier, more relevant candidate
        alive[best] = False
        similarity = similar_to(best)
        same = (similarity >= duplicate_threshold) & alive
        picks.append(Pick(best, np.flatnonzero(same).tolist()))
        alive &= ~same
        np.maximum(max_sim, similarity, out=max_sim)
    return picks


def spans(text: str, terms: list[str]) -> list[list[int]]:
    """[start, end) character offsets of the query terms in ``text``, overlapping and touching spans merged."""
    haystack = text.lower()
    if len(haystack) != len(text):  # a few letters change length when lower-cased; match as written then
        haystack = text
    found: list[tuple[int, int]] = []
    for term in set(terms):
        if not term:
            continue
        start = haystack.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = haystack.find(term, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def mark(text: str, offsets: list[list[int]], as_html: bool = False) -> str:
    """``text`` with each span wrapped in 【】, or, with ``as_html``, HTML-escaped with ``<mark>`` elements."""
    escape = html.escape if as_html else (lambda s: s)
    left, right = ("<mark>", "</mark>") if as_html else ("【", "】")
    parts: list[str] = []
    position = 0
    for start, end in offsets:
        parts += [escape(text[position:start]), left, escape(text[start:end]), right]
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)
