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
MMR and the highlighting of all hits at once in ``query``, the flow in ``search``.

The live index of an installation is a ``SegmentedIndex``, which scores the same way but can take documents one
at a time; this one is the reference it is tested against, and what the configuration comparisons fit.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import row_norms

from app.retrieve import rank
from app.retrieve.arrays import RowStore, TextStore
from app.retrieve.features import RetrievalTokenizer, count_bigrams, count_words
from app.retrieve.search import Hit, PassageRecord, PassageSearch, SearchResult
from app.text.masks import blank_masks

__all__ = ["Hit", "PassageRecord", "SearchResult", "TfidfIndex"]  # the records live in ``search``; kept importable here


class TfidfIndex(PassageSearch):
    """Passage retriever fitted at once. Parameters are set here; ``fit`` learns the vocabularies, idf and matrices.

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

    def _prepare(self) -> None:
        """Lookup tables for query analysis (after ``fit`` and after loading)."""
        self.word_ids_ = {t: i for i, t in enumerate(self.word_terms_)}
        offset = len(self.word_terms_)
        self.bigram_ids_ = {t: offset + i for i, t in enumerate(self.bigram_terms_)}
        self.idf_list_ = np.concatenate((self.word_idf_, self.bigram_idf_)).tolist()  # floats, by feature id
        self.n_passages_ = len(self.passage_ids_)
        self.postings_ = rank.kernel_ready(self.postings_)

    # --- querying -----------------------------------------------------------------------------------------

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

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of every passage with the query vector (a dense float32 array; zero where nothing matches).

        This is the product of the query's rows of the feature × passage matrix with its weights, accumulated
        into one array by scipy's compiled kernel — no copy of the postings, no loop over passages.
        """
        return rank.accumulate(self.postings_, ids, weights, self.n_passages_)


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
