"""A segment of the incremental index: passages indexed together, never changed afterwards.

A segment holds what does not depend on the rest of the corpus — each passage's term counts (as rows, for MMR,
and as postings of ``l = 1 + ln count``, for scoring), ``S0`` of its norms, its own document frequencies, texts
and filter arrays. What does depend on the corpus (idf, hence norms and scores) is computed by the index from
corpus-wide statistics (``norms``). Deleting a passage marks it dead in the index; a merge writes the live
passages of adjacent segments into a new segment.

A segment's features are numbered in the order of their text (words first, then bigrams): any two segments
list shared terms in the same order, so scoring adds a passage's terms in an order that does not depend on
which segment, or which history of merges, holds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from app.retrieve import rank
from app.retrieve.arrays import InMemory, NpyFile, RowStore, TextStore, log_tf, stack_counts
from app.retrieve.features import RetrievalTokenizer, count_bigrams, count_words
from app.retrieve.norms import NormSums, squared_sums
from app.retrieve.search import PASSAGE_ARRAYS, PassageRecord, document_facts, passage_arrays
from app.text.masks import blank_masks

SEGMENT_ARRAYS = (*PASSAGE_ARRAYS, "ordinal")  # ordinal: the passage's place in its document (ties sort by it)


@dataclass(frozen=True, eq=False)
class Segment:
    """An immutable run of passages (see the module doc). ``sums`` are its norm sums as written with it."""

    name: str
    generation: int  # the index generation that wrote it
    word_terms: list[str]  # sorted; local feature ids 0 … split − 1
    bigram_terms: list[str]  # sorted; local feature ids split …
    postings: sp.csr_matrix  # local features × passages, float32 ``1 + ln count``
    row_pointer: np.ndarray  # rows (passages × local features) as CSR: pointer, feature ids, counts
    row_features: InMemory | NpyFile
    row_counts: InMemory | NpyFile
    df: np.ndarray  # int64 per local feature: the segment's passages that contain it, dead or alive
    s0: np.ndarray  # int64, 2 × passages
    sums: NormSums
    texts: TextStore
    arrays: dict[str, np.ndarray]  # SEGMENT_ARRAYS
    heading_paths: list[str]
    documents: dict[int, dict[str, Any]]
    stamps: dict[int, str]  # per document, what the caller identifies its content by (e.g. a hash)

    @property
    def n(self) -> int:
        return len(self.arrays["passage_ids"])

    @property
    def split(self) -> int:
        return len(self.word_terms)

    def row_store(self, idf: np.ndarray, scale: np.ndarray) -> RowStore:
        """The passage vectors under the corpus's current ``idf`` (per local feature) and ``scale`` (n × 2)."""
        return RowStore(self.row_pointer, self.row_features, self.row_counts, idf, self.split, scale)

    def entries(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row pointer, local feature ids, counts) of the rows where the mask ``chosen`` is true."""
        rows = np.flatnonzero(chosen)
        starts = self.row_pointer[rows]
        sizes = self.row_pointer[rows + 1] - starts
        pointer = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=pointer[1:])
        if isinstance(self.row_features, InMemory) and isinstance(self.row_counts, InMemory):
            at = (starts - pointer[:-1]).repeat(sizes) + np.arange(pointer[-1])
            return pointer, self.row_features.array[at], self.row_counts.array[at]
        bounds = list(zip(starts.tolist(), (starts + sizes).tolist(), strict=True))  # rows on disk: read by range
        features = [self.row_features.read(a, b) for a, b in bounds]
        counts = [self.row_counts.read(a, b) for a, b in bounds]
        empty = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint8)
        return pointer, np.concatenate(features or [empty[0]]), np.concatenate(counts or [empty[1]])

    def feature_df(self, chosen: np.ndarray) -> np.ndarray:
        """Per local feature, how many of the rows where ``chosen`` is true contain it."""
        if not chosen.any():
            return np.zeros(len(self.df), dtype=np.int64)
        _, features, _ = self.entries(chosen)
        return np.bincount(features, minlength=len(self.df)).astype(np.int64)


def sort_by_document(records: Sequence[PassageRecord]) -> list[PassageRecord]:
    """Records in the order a full rebuild reads them: by document, each document's passages as given."""
    return sorted(records, key=lambda r: r.document_id)  # stable: keeps each document's passage order


def build_segment(
    records: Sequence[PassageRecord],
    tokenizer: RetrievalTokenizer,
    *,
    words: bool,
    bigrams: bool,
    generation: int,
    stamps: dict[int, str] | None = None,
    workers: int = 1,
) -> Segment:
    """A segment of ``records`` (in ``sort_by_document`` order), counted with the index's tokenizer."""
    texts = [r.text for r in records]
    searchable = [blank_masks(text) for text in texts]  # a masked name (XX, **, ××) is no search term
    word_block = bigram_block = None
    word_terms: list[str] = []
    bigram_terms: list[str] = []
    if words:
        word_block, word_terms = _sorted_columns(*count_words(tokenizer, searchable, workers=workers))
    if bigrams:
        bigram_block, bigram_terms = _sorted_columns(*count_bigrams(searchable))
    counts = stack_counts(word_block, bigram_block)
    documents: dict[int, dict[str, Any]] = {}
    for record in records:
        documents.setdefault(record.document_id, document_facts(record))
    arrays, heading_paths = passage_arrays(records, documents)
    arrays["ordinal"] = _ordinals(arrays["document_ids"])
    stamps = stamps or {}
    return _assemble(
        generation,
        word_terms,
        bigram_terms,
        counts.indptr.astype(np.int64),
        counts.indices.astype(np.int32),
        counts.data,
        NormSums.empty(len(records), len(word_terms) + len(bigram_terms)),
        TextStore.from_texts(texts),
        arrays,
        heading_paths,
        documents,
        {d: stamps.get(d, "") for d in documents},
    )


def merge_segments(parts: Sequence[tuple[Segment, np.ndarray, NormSums]], generation: int) -> Segment:
    """One segment of the live passages of ``parts`` — (segment, live mask, its current norm sums) in order.

    The new segment's sums are the parts' current sums (the corpus statistics do not change in a merge), so it
    needs no refresh; its df counts live passages only.
    """
    word_union = _union([_live_terms(s, live, True) for s, live, _ in parts])
    bigram_union = _union([_live_terms(s, live, False) for s, live, _ in parts])
    split = len(word_union)
    pointers, features, counts, s1, s2, arrays, texts = [], [], [], [], [], [], []
    df_seen = np.zeros(split + len(bigram_union), dtype=np.int64)
    heading_paths: dict[str, int] = {}
    documents: dict[int, dict[str, Any]] = {}
    stamps: dict[int, str] = {}
    for segment, live, sums in parts:
        # each old feature's new id: the same text keeps its rank, so rows stay sorted by feature
        new_ids = np.concatenate(
            (
                np.searchsorted(word_union, np.array(segment.word_terms, dtype=str)),
                split + np.searchsorted(bigram_union, np.array(segment.bigram_terms, dtype=str)),
            )
        ).astype(np.int32)
        pointer, old, count = segment.entries(live)
        pointers.append(np.diff(pointer))
        features.append(new_ids[old])
        counts.append(count)
        kept = np.unique(old)
        df_seen[new_ids[kept]] = sums.df_seen[kept]
        s1.append(sums.s1[:, live])
        s2.append(sums.s2[:, live])
        rows = np.flatnonzero(live)
        texts += segment.texts.many(rows)
        part = {name: segment.arrays[name][live] for name in SEGMENT_ARRAYS}
        renumber = np.array([heading_paths.setdefault(p, len(heading_paths)) for p in segment.heading_paths], np.int32)
        part["heading_index"] = renumber[part["heading_index"]]
        arrays.append(part)
        for document in np.unique(part["document_ids"]).tolist():
            documents[document] = segment.documents[document]
            stamps[document] = segment.stamps.get(document, "")
    pointer = np.zeros(sum(len(p) for p in pointers) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(pointers), out=pointer[1:])
    return _assemble(
        generation,
        word_union.tolist(),
        bigram_union.tolist(),
        pointer,
        np.concatenate(features),
        np.concatenate(counts),
        NormSums(np.concatenate(s1, axis=1), np.concatenate(s2, axis=1), df_seen),
        TextStore.from_texts(texts),
        {name: np.concatenate([part[name] for part in arrays]) for name in SEGMENT_ARRAYS},
        list(heading_paths),
        documents,
        stamps,
    )


def _assemble(
    generation: int,
    word_terms: list[str],
    bigram_terms: list[str],
    pointer: np.ndarray,
    features: np.ndarray,
    counts: np.ndarray,
    sums: NormSums,
    texts: TextStore,
    arrays: dict[str, np.ndarray],
    heading_paths: list[str],
    documents: dict[int, dict[str, Any]],
    stamps: dict[int, str],
) -> Segment:
    n, n_features = len(pointer) - 1, len(word_terms) + len(bigram_terms)
    transposed = sp.csr_matrix((counts, features, pointer), shape=(n, n_features)).T.tocsr()
    postings = sp.csr_matrix((log_tf(transposed.data), transposed.indices, transposed.indptr), transposed.shape)
    postings = rank.kernel_ready(postings)
    return Segment(
        name=f"s-{generation:07d}-{uuid.uuid4().hex[:10]}",
        generation=generation,
        word_terms=word_terms,
        bigram_terms=bigram_terms,
        postings=postings,
        row_pointer=pointer,
        row_features=InMemory(features.astype(np.int32, copy=False)),
        row_counts=InMemory(counts),
        df=np.diff(postings.indptr).astype(np.int64),
        s0=squared_sums(postings, len(word_terms), n),
        sums=sums,
        texts=texts,
        arrays=arrays,
        heading_paths=heading_paths,
        documents=documents,
        stamps=stamps,
    )


def _sorted_columns(counts: sp.csr_matrix, terms: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    """The count matrix with its columns in the order of their terms' text (rows' entries sorted too)."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank_of = np.empty(len(terms), dtype=np.int32)
    rank_of[order] = np.arange(len(terms), dtype=np.int32)
    moved = sp.csr_matrix((counts.data, rank_of[counts.indices], counts.indptr), counts.shape)
    moved.sort_indices()
    return moved, [terms[i] for i in order]


def _ordinals(document_ids: np.ndarray) -> np.ndarray:
    """Each passage's place among its document's passages (records come grouped by document)."""
    n = len(document_ids)
    starts = np.flatnonzero(np.r_[True, document_ids[1:] != document_ids[:-1]]) if n else np.zeros(0, np.int64)
    lengths = np.diff(np.r_[starts, n])
    return (np.arange(n) - np.repeat(starts, lengths)).astype(np.int32)


def _live_terms(segment: Segment, live: np.ndarray, words: bool) -> np.ndarray:
    """The texts of one block's features that some live passage contains."""
    _, features, _ = segment.entries(live)
    present = np.unique(features)
    if words:
        return np.array([segment.word_terms[i] for i in present[present < segment.split].tolist()], dtype=str)
    return np.array([segment.bigram_terms[i - segment.split] for i in present[present >= segment.split].tolist()], str)


def _union(parts: list[np.ndarray]) -> np.ndarray:
    """Sorted distinct texts (numpy sorts strings by code point, as Python does)."""
    joined = np.concatenate(parts) if parts else np.zeros(0, dtype=str)
    return np.unique(joined.astype(str))
