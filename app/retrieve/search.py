"""What every fitted retriever shares: the passage records, the hits, and the search itself.

``PassageSearch.search`` is the whole query flow — check the input, embed the query, score every passage, apply
the filters, take the best candidates, diversify them with MMR, fold near-duplicates and build the highlighted
hits. A retriever (``TfidfIndex``, fitted at once; ``SegmentedIndex``, updated a document at a time) provides
the parts that depend on how its passages are stored: ``_vector`` and ``scores`` (the embedding and the score of
every passage), ``candidates`` (the best scores, ties in the order of a full rebuild), ``rows_.cosines`` (the
candidates' similarity matrix) and ``texts_.many`` (their texts), over the per-passage arrays set here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from app.retrieve import rank
from app.retrieve.features import RetrievalTokenizer, bigrams
from app.retrieve.query import (
    KINDS,
    ROLES,
    Highlighter,
    Pick,
    QueryError,
    SearchFilters,
    check_query,
    date_range,
    document_date_range,
    mmr,
)

CANDIDATES_PER_HIT = 3  # MMR chooses among this many candidates per requested hit …
MIN_CANDIDATES = 30  # … and never fewer than this
MAX_CANDIDATES = 2000  # when copies fill the candidates, widen up to this many
_UNSET = object()
MASK_CACHE = 16  # filter combinations whose masks are kept (1 byte per passage each)
PASSAGE_ARRAYS = ("passage_ids", "document_ids", "roles", "heading_index", "kinds", "in_domain", "date_lo", "date_hi")


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """One passage to index, with what a hit shows and what filters test."""

    passage_id: int
    document_id: int
    text: str
    role: str = "other"
    heading_path: str = ""
    title: str | None = None
    date: str | None = None
    kind: str = "other"
    source: str = ""
    in_domain: bool = True


@dataclass(frozen=True)
class Hit:
    passage_id: int
    text: str
    spans: list[list[int]]
    highlighted: str
    highlighted_html: str
    score: float
    role: str
    heading_path: str
    document: dict[str, Any]
    also_in: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, **fields: Any) -> Hit:
        """A hit built without the frozen ``__init__``, which sets each field with its own ``object.__setattr__``
        call (3 µs a hit, a tenth of a whole query's budget at k = 10). All fields must be given."""
        hit = cls.__new__(cls)
        hit.__dict__.update(fields)
        return hit


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    reason: str | None = None  # why there are no hits, when there are none


class Rows(Protocol):
    def cosines(self, rows: np.ndarray) -> np.ndarray | Callable[[int], np.ndarray]: ...


class Texts(Protocol):
    def many(self, rows: Sequence[int]) -> list[str]: ...


def document_facts(record: PassageRecord) -> dict[str, Any]:
    """What a hit shows of its document (and what the kind, date and in-domain filters test)."""
    return {
        "id": record.document_id,
        "title": record.title,
        "date": record.date,
        "kind": record.kind,
        "source": record.source,
        "in_domain": record.in_domain,
    }


def passage_arrays(
    records: Sequence[PassageRecord], documents: dict[int, dict[str, Any]]
) -> tuple[dict[str, np.ndarray], list[str]]:
    """The per-passage filter and display arrays of ``records`` (named as in ``PASSAGE_ARRAYS``, without the
    trailing underscore) and the heading paths ``heading_index`` points into; ``documents`` holds each
    record's ``document_facts``."""
    role_codes = {r: i for i, r in enumerate(ROLES)}
    kind_codes = {k: i for i, k in enumerate(KINDS)}
    paths: dict[str, int] = {}
    arrays = {
        "passage_ids": np.array([r.passage_id for r in records], dtype=np.int64),
        "document_ids": np.array([r.document_id for r in records], dtype=np.int64),
        "roles": np.array([role_codes.get(r.role, role_codes["other"]) for r in records], dtype=np.int8),
        "heading_index": np.array([paths.setdefault(r.heading_path, len(paths)) for r in records], np.int32),
    }
    doc_ids = np.array(sorted(documents), dtype=np.int64)
    docs = [documents[int(d)] for d in doc_ids]
    ranges = np.array([document_date_range(d["date"]) for d in docs], dtype=np.int32).reshape(-1, 2)
    kinds = np.array([kind_codes.get(d["kind"], kind_codes["other"]) for d in docs], dtype=np.int8)
    in_domain = np.array([bool(d["in_domain"]) for d in docs], dtype=bool)
    where = np.searchsorted(doc_ids, arrays["document_ids"])
    arrays["kinds"] = kinds[where] if len(docs) else np.zeros(0, np.int8)
    arrays["in_domain"] = in_domain[where] if len(docs) else np.zeros(0, bool)
    arrays["date_lo"] = ranges[where, 0] if len(docs) else np.zeros(0, np.int32)
    arrays["date_hi"] = ranges[where, 1] if len(docs) else np.zeros(0, np.int32)
    return arrays, list(paths)


class PassageSearch(ABC):
    """The search flow over per-passage arrays; subclasses fit or assemble the index (see the module doc)."""

    words: bool
    bigrams: bool
    mmr_lambda: float
    duplicate_threshold: float
    tokenizer_: RetrievalTokenizer
    n_passages_: int
    passage_ids_: np.ndarray
    document_ids_: np.ndarray
    roles_: np.ndarray
    heading_index_: np.ndarray
    heading_paths_: list[str]
    kinds_: np.ndarray
    in_domain_: np.ndarray
    date_lo_: np.ndarray
    date_hi_: np.ndarray
    documents_: dict[int, dict[str, Any]]
    rows_: Rows
    texts_: Texts

    def _set_metadata(self, records: Sequence[PassageRecord]) -> None:
        self.documents_ = {}
        for r in records:
            self.documents_.setdefault(r.document_id, document_facts(r))
        arrays, self.heading_paths_ = passage_arrays(records, self.documents_)
        for name in PASSAGE_ARRAYS:
            setattr(self, f"{name}_", arrays[name])

    def live_passages(self) -> int:
        """How many passages a search can find."""
        return self.n_passages_

    @abstractmethod
    def _vector(self, words: list[str], grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(feature ids, weights) of a query's words and character pairs, in this index's vocabulary."""

    @abstractmethod
    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Every live passage's score for a query vector."""

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(feature ids, weights, query terms): what ``scores`` takes for ``query``.

        Raises ``QueryError`` when the query has no word but punctuation or function words.
        """
        words, grams = self._terms(query)
        ids, weights = self._vector(words, grams)
        return ids, weights, words + grams

    def _terms(self, query: str) -> tuple[list[str], list[str]]:
        words = self.tokenizer_.words(query)
        if not words:
            raise QueryError(
                "no_terms", "查询只有标点或虚词，没有可检索的词 / the query has only punctuation or stop words"
            )
        return words, bigrams(query)

    def _cached_mask(self, filters: SearchFilters) -> np.ndarray | None:
        """``mask`` remembered for the last few filter combinations (a writer filters the same way many times)."""
        cache: dict[SearchFilters, np.ndarray | None] = self.__dict__.setdefault("_masks", {})
        allowed = cache.get(filters, _UNSET)
        if allowed is not _UNSET:
            return allowed  # type: ignore[return-value]
        allowed = self.mask(filters)
        if len(cache) >= MASK_CACHE:
            cache.clear()  # atomic, unlike evicting one entry while other threads read
        cache[filters] = allowed
        return allowed

    def mask(self, filters: SearchFilters) -> np.ndarray | None:
        """Boolean mask of the passages the filters allow (None: all of them)."""
        conditions = []
        if filters.role is not None:
            conditions.append(self.roles_ == ROLES.index(filters.role))
        if filters.kind is not None:
            conditions.append(self.kinds_ == KINDS.index(filters.kind))
        if filters.in_domain:
            conditions.append(self.in_domain_)
        if filters.since or filters.until:
            conditions.append(self.date_lo_ > 0)
        if filters.since:
            conditions.append(self.date_hi_ >= date_range(filters.since)[0])
        if filters.until:
            conditions.append(self.date_lo_ <= date_range(filters.until)[1])
        if filters.exclude_doc is not None:
            conditions.append(self.document_ids_ != filters.exclude_doc)
        if not conditions:
            return None
        result = conditions[0].copy()
        for condition in conditions[1:]:
            result &= condition
        return result

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> SearchResult:
        """The ``k`` best passages for ``query`` under ``filters``, diversified, near-duplicates shown once.

        Raises ``QueryError`` for an empty, overlong or stop-word-only query, k out of range or a bad filter.
        """
        text = check_query(query, k)
        filters = (filters or SearchFilters()).validate()
        if self.live_passages() == 0:
            return SearchResult([], "索引为空：还没有入库文档 / the index is empty: no documents ingested yet")
        words, grams = self._terms(text)
        ids, weights = self._vector(words, grams)
        if len(ids) == 0:
            return SearchResult([], "语料中没有查询里的词 / no passage contains any term of the query")
        scores = self.scores(ids, weights)
        allowed = self._cached_mask(filters)
        if allowed is not None:
            np.multiply(scores, allowed, out=scores)  # once, rather than at every widening
        limit = max(CANDIDATES_PER_HIT * k, MIN_CANDIDATES)
        while True:
            candidates = self.candidates(scores, limit)
            if len(candidates) == 0:
                return SearchResult([], "没有符合条件的段落 / no passage matches the query and filters")
            relevance = scores[candidates].astype(np.float64)
            picks = mmr(relevance, self.rows_.cosines(candidates), k, self.mmr_lambda, self.duplicate_threshold)
            if len(picks) >= k or len(candidates) < limit or limit >= MAX_CANDIDATES:
                break
            limit *= 4  # the candidates were mostly copies of each other: look further down
        return SearchResult(self._hits(candidates, relevance, picks, Highlighter(words, grams)))

    def candidates(self, scores: np.ndarray, limit: int) -> np.ndarray:
        """Indexes of the ``limit`` best positive scores, best first (ties in passage order)."""
        return rank.top(scores, limit)

    def _hits(self, candidates: np.ndarray, relevance: np.ndarray, picks: list[Pick], marker: Highlighter) -> list[Hit]:
        chosen = [pick.candidate for pick in picks]
        rows = candidates[chosen]
        texts = self.texts_.many(rows)
        facts = zip(  # Python values fetched in bulk: indexing numpy arrays one element at a time costs more
            [round(score, 4) for score in relevance[chosen].tolist()],
            self.passage_ids_[rows].tolist(),
            self.document_ids_[rows].tolist(),
            self.roles_[rows].tolist(),
            self.heading_index_[rows].tolist(),
            strict=True,
        )
        hits = []
        for pick, text, (score, passage_id, own, role, heading), (offsets, plain, marked) in zip(
            picks, texts, facts, marker.mark_all(texts), strict=True
        ):
            also = (
                sorted(set(self.document_ids_[candidates[pick.duplicates]].tolist()) - {own}) if pick.duplicates else []
            )
            hits.append(
                Hit.of(
                    passage_id=passage_id,
                    text=text,
                    spans=offsets,
                    highlighted=plain,
                    highlighted_html=marked,
                    score=score,
                    role=ROLES[role],
                    heading_path=self.heading_paths_[heading],
                    document=dict(self.documents_[own]),
                    also_in=also,
                )
            )
        return hits
