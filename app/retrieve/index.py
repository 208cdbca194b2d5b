"""``TfidfIndex``: cosine retrieval of passages over word and character-bigram tf-idf features.

Each passage is two tf-idf blocks — words from our ``Tokenizer`` (phrasebank lexicons plus phrase-bank entries
as whole words) and character bigrams, so that a segmentation mistake or a variant wording (志愿服务 / 志愿效劳)
still matches — each weighted like ``TfidfVectorizer(sublinear_tf=True, norm="l2")``, scaled by its block weight,
stacked side by side and L2-normalised again. The score of a passage is the cosine of its vector with the
query's. Scoring reads only the postings of the query's features: the index keeps the matrix transposed
(features × passages, CSR, float32) and multiplies the query's rows by its weights into one score array — no
loop over passages. Filters are boolean masks over numpy arrays of role, kind, date and document; the best
candidates are then diversified with MMR and near-duplicate paragraphs are shown once.

A query costs a fixed number of numpy calls plus compiled loops, never Python work per passage: scoring and
the best candidates in ``rank``, the candidates' cosine matrix (one sparse product) in ``arrays.RowStore``,
MMR and the highlighting of all hits at once in ``query``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import row_norms

from app.retrieve import rank
from app.retrieve.arrays import RowStore, TextStore
from app.retrieve.features import RetrievalTokenizer, bigrams, count_bigrams, count_words
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
from app.text.masks import blank_masks

CANDIDATES_PER_HIT = 3  # MMR chooses among this many candidates per requested hit …
MIN_CANDIDATES = 30  # … and never fewer than this
MAX_CANDIDATES = 2000  # when copies fill the candidates, widen up to this many
_UNSET = object()
MASK_CACHE = 16  # filter combinations whose masks are kept (1 byte per passage each)


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


class TfidfIndex:
    """Passage retriever. Parameters are set here; ``fit`` learns the vocabularies, idf and matrices.

    >>> index = TfidfIndex().fit([PassageRecord(1, 1, "广泛开展志愿服务活动"), PassageRecord(2, 1, "加强组织领导")])
    >>> [hit.passage_id for hit in index.search("志愿服务").hits]
    [1]
    """

    def __init__(
        self,
        *,
        words: bool = True,
        bigrams: bool = True,
        word_weight: float = 1.0,
        bigram_weight: float = 1.0,
        mmr_lambda: float = 0.7,
        duplicate_threshold: float = 0.9,
        extra_words: Sequence[str] = (),
        lexicon_dir: Path | None = None,
        workers: int = 1,
    ) -> None:
        if not (words or bigrams):
            raise ValueError("need word or bigram features")
        self.words = words
        self.bigrams = bigrams
        self.word_weight = word_weight
        self.bigram_weight = bigram_weight
        self.mmr_lambda = mmr_lambda
        self.duplicate_threshold = duplicate_threshold
        self.extra_words = tuple(extra_words)
        self.lexicon_dir = lexicon_dir
        self.workers = workers

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters (what ``persist`` saves besides the learned state)."""
        return {
            "words": self.words,
            "bigrams": self.bigrams,
            "word_weight": self.word_weight,
            "bigram_weight": self.bigram_weight,
            "mmr_lambda": self.mmr_lambda,
            "duplicate_threshold": self.duplicate_threshold,
            "extra_words": list(self.extra_words),
        }

    # --- fitting ------------------------------------------------------------------------------------------

    def fit(self, records: Sequence[PassageRecord]) -> TfidfIndex:
        """Learn vocabularies and idf from ``records`` and build the passage matrices and filter arrays."""
        clock = time.perf_counter()
        self.timings_: dict[str, float] = {}
        self.tokenizer_ = RetrievalTokenizer(self.lexicon_dir, self.extra_words)
        texts = [r.text for r in records]
        searchable = [blank_masks(text) for text in texts]  # a masked name (XX, **, ××) is no search term
        blocks: list[sp.csr_matrix] = []
        word_counts = bigram_counts = None
        norms = np.zeros((len(records), 2))  # each passage's word and bigram tf-idf norms, for the row store
        self.word_terms_: list[str] = []
        self.bigram_terms_: list[str] = []
        self.word_idf_ = np.zeros(0)
        self.bigram_idf_ = np.zeros(0)
        if self.words:
            word_counts, self.word_terms_ = count_words(self.tokenizer_, searchable, workers=self.workers)
            clock = self._lap("segment and count words", clock)
            block, self.word_idf_, norms[:, 0] = _tfidf(word_counts)
            blocks.append(block * np.float32(self.word_weight))
            clock = self._lap("weight, stack, transpose, metadata", clock)
        if self.bigrams:
            bigram_counts, self.bigram_terms_ = count_bigrams(searchable)
            clock = self._lap("extract and count bigrams", clock)
            block, self.bigram_idf_, norms[:, 1] = _tfidf(bigram_counts)
            blocks.append(block * np.float32(self.bigram_weight))
            clock = self._lap("weight, stack, transpose, metadata", clock)
        matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
        if matrix.shape[0] and matrix.shape[1]:
            matrix = normalize(matrix, copy=False).astype(np.float32, copy=False)
        self.postings_ = matrix.T.tocsr()
        del matrix, blocks, block  # a million passages: each copy of the values is more than a gigabyte
        self.rows_ = RowStore.from_counts(
            word_counts,
            bigram_counts,
            np.concatenate((self.word_idf_, self.bigram_idf_)),
            (self.word_weight, self.bigram_weight),
            norms,
        )
        del word_counts, bigram_counts, searchable
        self._set_metadata(records)
        self.texts_ = TextStore.from_texts(texts)
        self._prepare()
        self._lap("weight, stack, transpose, metadata", clock)
        return self

    def _lap(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.timings_[stage] = round(self.timings_.get(stage, 0.0) + now - started, 3)
        return now

    def _set_metadata(self, records: Sequence[PassageRecord]) -> None:
        role_codes = {r: i for i, r in enumerate(ROLES)}
        self.passage_ids_ = np.array([r.passage_id for r in records], dtype=np.int64)
        self.document_ids_ = np.array([r.document_id for r in records], dtype=np.int64)
        self.roles_ = np.array([role_codes.get(r.role, role_codes["other"]) for r in records], dtype=np.int8)
        paths: dict[str, int] = {}
        self.heading_index_ = np.array([paths.setdefault(r.heading_path, len(paths)) for r in records], np.int32)
        self.heading_paths_ = list(paths)
        self.documents_: dict[int, dict[str, Any]] = {}
        for r in records:
            self.documents_.setdefault(
                r.document_id,
                {
                    "id": r.document_id,
                    "title": r.title,
                    "date": r.date,
                    "kind": r.kind,
                    "source": r.source,
                    "in_domain": r.in_domain,
                },
            )
        self._set_document_arrays()

    def _set_document_arrays(self) -> None:
        """Per-passage arrays of document facts (for filters), derived from ``documents_``."""
        kind_codes = {k: i for i, k in enumerate(KINDS)}
        doc_ids = np.array(sorted(self.documents_), dtype=np.int64)
        docs = [self.documents_[int(d)] for d in doc_ids]
        ranges = np.array([document_date_range(d["date"]) for d in docs], dtype=np.int32).reshape(-1, 2)
        kinds = np.array([kind_codes.get(d["kind"], kind_codes["other"]) for d in docs], dtype=np.int8)
        in_domain = np.array([bool(d["in_domain"]) for d in docs], dtype=bool)
        where = np.searchsorted(doc_ids, self.document_ids_)
        self.kinds_ = kinds[where] if len(docs) else np.zeros(0, np.int8)
        self.in_domain_ = in_domain[where] if len(docs) else np.zeros(0, bool)
        self.date_lo_ = ranges[where, 0] if len(docs) else np.zeros(0, np.int32)
        self.date_hi_ = ranges[where, 1] if len(docs) else np.zeros(0, np.int32)

    def _prepare(self) -> None:
        """Lookup tables for query analysis (after ``fit`` and after loading)."""
        self.word_ids_ = {t: i for i, t in enumerate(self.word_terms_)}
        offset = len(self.word_terms_)
        self.bigram_ids_ = {t: offset + i for i, t in enumerate(self.bigram_terms_)}
        self.idf_list_ = np.concatenate((self.word_idf_, self.bigram_idf_)).tolist()  # floats, by feature id
        self.n_passages_ = len(self.passage_ids_)
        self.postings_ = rank.kernel_ready(self.postings_)

    # --- querying -----------------------------------------------------------------------------------------

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(feature ids, weights, query terms): the query embedded exactly as a passage would be.

        Raises ``QueryError`` when the query has no word but punctuation or function words. A query has a
        dozen terms, so the weights are computed on Python floats (numpy costs a microsecond a call).
        """
        words, grams = self._terms(query)
        ids, weights = self._vector(words, grams)
        return ids, weights, words + grams

    def _vector(self, words: list[str], grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        ids: list[int] = []
        weights: list[float] = []
        idf = self.idf_list_
        for use, terms, lookup, weight in (
            (self.words, words, self.word_ids_, self.word_weight),
            (self.bigrams, grams, self.bigram_ids_, self.bigram_weight),
        ):
            if not use:
                continue
            block_ids, block_w = [], []
            for term, count in Counter(terms).items():
                column = lookup.get(term)
                if column is not None:
                    block_ids.append(column)
                    block_w.append((1.0 + math.log(count)) * idf[column])
            if block_ids:
                scale = weight / math.hypot(*block_w)  # the block's L2 norm in one call
                ids += block_ids
                weights += [w * scale for w in block_w]
        norm = math.hypot(*weights) or 1.0
        return np.array(ids, dtype=np.int64), np.array([w / norm for w in weights], dtype=np.float32)

    def _terms(self, query: str) -> tuple[list[str], list[str]]:
        words = self.tokenizer_.words(query)
        if not words:
            raise QueryError(
                "no_terms", "查询只有标点或虚词，没有可检索的词 / the query has only punctuation or stop words"
            )
        return words, bigrams(query)

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of every passage with the query vector (a dense float32 array; zero where nothing matches).

        This is the product of the query's rows of the feature × passage matrix with its weights, accumulated
        into one array by scipy's compiled kernel — no copy of the postings, no loop over passages.
        """
        return rank.accumulate(self.postings_, ids, weights, self.n_passages_)

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
        if self.n_passages_ == 0:
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

    @staticmethod
    def candidates(scores: np.ndarray, limit: int) -> np.ndarray:
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


def _tfidf(counts: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """scikit-learn's tf-idf weighting (sublinear tf, smooth idf, L2 rows) of a count matrix, its idf, and each
    row's norm before normalising (the row store recomputes values from counts with it)."""
    if counts.shape[1] == 0:
        return counts.astype(np.float32), np.zeros(0), np.zeros(counts.shape[0])
    transformer = TfidfTransformer(sublinear_tf=True, norm=None, smooth_idf=True)
    matrix = transformer.fit_transform(counts).astype(np.float32, copy=False).tocsr()
    norms = row_norms(matrix)
    normalize(matrix, copy=False)  # what norm="l2" does inside the transformer
    return matrix, transformer.idf_.astype(np.float64), norms.astype(np.float64)
