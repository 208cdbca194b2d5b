"""Query-side helpers of the retriever: input checks, filters, MMR diversification and highlighting."""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np

from app.structure.model import REPORT_ROLES, SPEECH_ROLES
from app.text.dates import DateError, check_date_prefix

ROLES = tuple(dict.fromkeys(SPEECH_ROLES + REPORT_ROLES))
KINDS = ("speech", "report", "other")
MAX_QUERY_CHARS = 200
MAX_K = 100

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NOT_WORD = re.compile(r"[\W_]+")
_PLAIN_RUN = re.compile(r"[^\W_]+")  # letters, digits, ideographs: what character bigrams are made of
_SEPARATOR = "\x00"  # between the hits' texts while they are one string
_HTML_SPECIAL = re.compile("[&<>\"']")


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
        # Read strictly, as every front end reads a date (no 2026-02-30, no 2026-3-5); date_range itself stays
        # lenient because it also reads the dates stored with documents.
        for bound in filter(None, (self.since, self.until)):
            try:
                check_date_prefix(bound)
            except DateError as error:
                raise QueryError(error.code, error.message) from error
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
    relevance: np.ndarray,
    similarity: np.ndarray | Callable[[int], np.ndarray],
    k: int,
    lam: float,
    duplicate_threshold: float,
) -> list[Pick]:
    """Maximal marginal relevance over candidates sorted best first; near-duplicates fold into the first copy.

    ``relevance`` is each candidate's cosine to the query (scaled here so the best is 1); ``similarity`` is the
    candidates' cosine matrix, or a function giving one row of it (asked only for the candidates chosen). A
    candidate whose cosine to a chosen one reaches ``duplicate_threshold`` is not shown again but recorded as a
    copy of it. Two paragraphs that differ only in punctuation, spacing or letter case have identical features,
    hence cosine 1: they are always caught.
    """
    count = len(relevance)
    if count == 0:
        return []
    rel = relevance / max(float(np.maximum.reduce(relevance)), 1e-12)
    gain = lam * rel
    if not isinstance(similarity, np.ndarray):
        return _mmr_rows(gain, similarity, k, lam, duplicate_threshold)
    # marginal_j = λ·rel_j − (1 − λ)·max over chosen p of S[p, j] = min over chosen p of G[p, j]: one row of G
    # folds into the running minimum per pick (rounding of a − x is monotone in x, so this is the same number)
    table = gain[None, :] - (1.0 - lam) * similarity
    near = similarity >= duplicate_threshold
    close = np.add.reduce(near, axis=1).tolist()  # near-duplicates of each candidate, itself included if so
    itself = near.diagonal().tolist()
    marginal = gain.copy()  # chosen and folded candidates get -inf
    picks: list[Pick] = []
    while len(picks) < k:
        best = int(marginal.argmax())  # ties go to the earlier, more relevant candidate
        if marginal[best] == -np.inf:
            break
        marginal[best] = -np.inf
        duplicates: list[int] = []
        if close[best] > itself[best]:  # near-duplicates besides itself, maybe already chosen or folded
            found = (near[best] & (marginal > -np.inf)).nonzero()[0]
            marginal[found] = -np.inf
            duplicates = found.tolist()
        picks.append(Pick(best, duplicates))
        np.minimum(marginal, table[best], out=marginal)
    return picks


def _mmr_rows(
    gain: np.ndarray, similar_to: Callable[[int], np.ndarray], k: int, lam: float, duplicate_threshold: float
) -> list[Pick]:
    """``mmr`` asking for one row of the cosine matrix per chosen candidate (for large candidate sets)."""
    penalty = np.zeros(len(gain), dtype=np.float64)  # (1 - λ) · the highest cosine to a chosen candidate
    picks: list[Pick] = []
    while len(picks) < k:
        marginal = gain - penalty
        best = int(marginal.argmax())
        if marginal[best] == -np.inf:
            break
        gain[best] = -np.inf  # chosen or folded: out of the running
        similar = similar_to(best)
        same = (similar >= duplicate_threshold) & (gain > -np.inf)
        found = np.flatnonzero(same)
        gain[found] = -np.inf
        picks.append(Pick(best, found.tolist()))
        np.maximum(penalty, (1.0 - lam) * similar, out=penalty)
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


class Highlighter:
    """Marks one query's terms in the hits' texts: one numpy pass over all of them, not a search per term per hit.

    The spans are those of ``spans`` — the union of every occurrence of every query term, merged. A word made
    only of letters, digits and ideographs is covered by its own character bigrams, which are query terms too,
    so it is enough to look up every bigram of the texts among the query's (as integer keys) and every
    character among its one-character words; only words with other characters (``5.0``, ``c++``) are searched
    with ``str.find``.
    """

    def __init__(self, words: list[str], grams: list[str]) -> None:
        self.terms = words + grams
        gram_set = {g for g in grams if len(g) == 2}
        # a bigram as the little-endian 64-bit word of its two UTF-32 code units: first | second << 32
        self.keys = np.array(sorted({ord(g[0]) | ord(g[1]) << 32 for g in gram_set}), dtype=np.uint64)
        self.chars = np.array(sorted({ord(w) for w in words if len(w) == 1}), dtype=np.uint32)
        self.others = sorted(
            {
                w
                for w in words
                if len(w) > 1
                and _SEPARATOR not in w
                and not (_PLAIN_RUN.fullmatch(w) and gram_set.issuperset(map(operator.add, w, w[1:])))
            }
        )

    def mark_all(self, texts: list[str]) -> list[tuple[list[list[int]], str, str]]:
        """(spans, text with 【】, HTML-escaped text with <mark>) for each text."""
        joined = _SEPARATOR.join(texts)
        if not texts or joined.count(_SEPARATOR) != len(texts) - 1:
            return [self._one(text) for text in texts]  # a text holds the separator itself
        # matched in lower case, unless lower-casing changes a text's length (then as written, like ``spans``);
        # no character lower-cases to nothing, so equal total lengths mean every text kept its length
        haystack = joined.lower()
        if len(haystack) != len(joined):
            haystack = _SEPARATOR.join(low if len(low := text.lower()) == len(text) else text for text in texts)
        covered = self._covered(haystack, haystack.encode("utf-32-le"))  # one False before and after
        edges = (covered[1:] != covered[:-1]).nonzero()[0].tolist()  # where runs of marked characters start, end
        spans_of: list[list[list[int]]] = [[] for _ in texts]
        begins = [at + i for i, at in enumerate(accumulate(map(len, texts), initial=0))]  # each text's start
        i = 0
        for start, end in zip(*[iter(edges)] * 2, strict=True):  # a few dozen runs: plain Python
            while start >= begins[i + 1]:
                i += 1
            spans_of[i].append([start - begins[i], end - begins[i]])
        bounds = [0, *edges, len(joined)]  # the string cut at every edge; marks go between the pieces
        pieces = list(map(joined.__getitem__, map(slice, bounds, bounds[1:])))
        plain = _interleave(pieces, "【", "】").split(_SEPARATOR)
        if _HTML_SPECIAL.search(joined):  # escaping shifts offsets: mark those texts one by one
            marked_html = [mark(text, offsets, as_html=True) for text, offsets in zip(texts, spans_of, strict=True)]
        else:
            marked_html = _interleave(pieces, "<mark>", "</mark>").split(_SEPARATOR)
        return list(zip(spans_of, plain, marked_html, strict=True))

    def _covered(self, haystack: str, raw: bytes) -> np.ndarray:
        """Which characters (of ``raw``, the UTF-32 haystack) some query term covers, padded with a False at
        each end."""
        codes = np.frombuffer(raw, dtype=np.uint32)
        padded = np.zeros(len(codes) + 2, dtype=bool)
        covered = padded[1:-1]
        if len(self.keys) and len(codes) > 1:
            # every character with the next as one 64-bit key: overlapping 8-byte windows of the same bytes
            pairs = np.ndarray((len(codes) - 1,), np.uint64, raw, 0, (4,))
            pair = self.keys[np.minimum(self.keys.searchsorted(pairs), len(self.keys) - 1)] == pairs
            covered[:-1] |= pair
            covered[1:] |= pair
        if len(self.chars):
            covered |= self.chars[np.minimum(self.chars.searchsorted(codes), len(self.chars) - 1)] == codes
        for word in self.others:
            start = haystack.find(word)
            while start >= 0:
                covered[start : start + len(word)] = True
                start = haystack.find(word, start + 1)
        return padded

    def _one(self, text: str) -> tuple[list[list[int]], str, str]:
        offsets = spans(text, self.terms)
        return offsets, mark(text, offsets), mark(text, offsets, as_html=True)


def _interleave(pieces: list[str], left: str, right: str) -> str:
    """The pieces (an odd number) joined with ``left`` and ``right`` alternately between them."""
    parts = pieces + pieces[1:]  # any list of the right length (2n − 1)
    parts[0::2] = pieces
    parts[1::2] = [left, right] * (len(pieces) // 2)
    return "".join(parts)
