"""``SegmentedIndex``: the passage index updated a document at a time, scoring exactly as a full rebuild would.

Lucene's design, carried over to tf-idf cosine scoring:

* passages live in immutable segments (``segment``); documents added go into a new small segment, searchable
  at once;
* a deleted document's passages are tombstoned — marked dead, with a scale of 0 so they never score — and
  a document added again is deleted first;
* adjacent segments merge by size tier (``plan_merges``): small merges run inline, the others when the caller
  runs ``merge`` (in a background job, say); a merge also drops the dead passages;
* the corpus statistics — each feature's document frequency over the live passages, and their number N — are
  kept corpus-wide and updated from the features of the passages added or deleted. idf follows from them at
  query time; passage norms follow from fixed-point sums updated on the changed features' postings
  (``norms``).

Searching the segments gives the hits and the scores, bit for bit, that ``fit`` on the same live passages gives:
query weights depend only on the query and the statistics, each passage's score adds its terms in the order of
their text (``rank.accumulate_into``), the norm sums are exact integers, and score ties go to the earlier
document, then passage, as in a full rebuild. (``tests/test_retrieve_incremental.py`` checks this on random
sequences of additions and deletions.) Scores equal ``TfidfIndex``'s to float32 precision.

Every update returns a new index and leaves this one as it was, sharing unchanged segments and arrays: readers
keep answering from the snapshot they hold while the next is built (``persist.IndexHolder`` swaps them).
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.retrieve import norms, rank
from app.retrieve.arrays import SegmentRows, SegmentTexts
from app.retrieve.features import RetrievalTokenizer
from app.retrieve.parts import Part, Vocabulary, local, part_of, plan_merges
from app.retrieve.search import PassageRecord, PassageSearch
from app.retrieve.segment import SEGMENT_ARRAYS, Segment, build_segment, merge_segments, sort_by_document

MAX_CASCADE = 8  # inline merges in a row (each can complete a tier above)


class SegmentedIndex(PassageSearch):
    """Passage retriever updated in place of a rebuild (see the module doc). Parameters are ``TfidfIndex``'s plus
    the merge policy; ``fit`` builds one segment, ``add`` / ``remove`` / ``merge`` return updated indexes.

    >>> index = SegmentedIndex().fit([PassageRecord(1, 1, "广泛开展志愿服务活动")])
    >>> index = index.add([PassageRecord(2, 2, "加强组织领导，推进志愿服务")])
    >>> [hit.passage_id for hit in index.remove([1]).search("志愿服务").hits]
    [2]
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
        merge_factor: int = 8,
        merge_floor: int = 1000,
        inline_merge_max: int = 50_000,
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
        self.merge_factor = merge_factor
        self.merge_floor = merge_floor
        self.inline_merge_max = inline_merge_max

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters that ``persist`` saves (not where the lexicons are, nor the processes)."""
        return {
            "words": self.words,
            "bigrams": self.bigrams,
            "word_weight": self.word_weight,
            "bigram_weight": self.bigram_weight,
            "mmr_lambda": self.mmr_lambda,
            "duplicate_threshold": self.duplicate_threshold,
            "extra_words": list(self.extra_words),
            "merge_factor": self.merge_factor,
            "merge_floor": self.merge_floor,
            "inline_merge_max": self.inline_merge_max,
        }

    # --- building and updating --------------------------------------------------------------------------------

    def fit(self, records: Sequence[PassageRecord], stamps: Mapping[int, str] | None = None) -> SegmentedIndex:
        """Index ``records`` in one segment (a full rebuild). ``stamps`` identify documents' contents (e.g. a
        hash), for ``document_states``."""
        self.tokenizer_ = RetrievalTokenizer(self.lexicon_dir, self.extra_words)
        self.vocabulary_ = Vocabulary()
        self.database_: dict[str, Any] | None = None
        segment = self._segment(records, stamps, generation=1)
        self._set_parts([part_of(segment)], generation=1)
        return self

    def assemble(
        self,
        parts: list[Part],
        generation: int,
        like: SegmentedIndex | None = None,
        database: dict[str, Any] | None = None,
    ) -> SegmentedIndex:
        """This unfitted index made of ``parts`` — segments read back by ``store`` — sharing ``like``'s tokenizer
        and vocabulary when given (an earlier load of the same index, whose segments are already joined)."""
        self.tokenizer_ = like.tokenizer_ if like else RetrievalTokenizer(self.lexicon_dir, self.extra_words)
        self.vocabulary_ = like.vocabulary_ if like else Vocabulary()
        self.database_ = database
        self._set_parts(parts, generation)
        return self

    def add(self, records: Sequence[PassageRecord], stamps: Mapping[int, str] | None = None) -> SegmentedIndex:
        """This index with ``records`` searchable: in a new segment, their documents' earlier passages (if any)
        tombstoned, small merges done. This index is left as it was."""
        if not records:
            return self
        parts = self._without({r.document_id for r in records})
        segment = self._segment(records, stamps, generation=self.generation_ + 1)
        return self._derive([*parts, part_of(segment)]).merge(self.inline_merge_max, cascade=True)

    def remove(self, document_ids: Iterable[int]) -> SegmentedIndex:
        """This index without the passages of ``document_ids`` (tombstoned); itself when it has none of them."""
        before = self.parts_
        parts = self._without(set(document_ids))
        if all(new is old for new, old in zip(parts, before, strict=True)):
            return self
        return self._derive(parts).merge(self.inline_merge_max, cascade=True)

    def merges_due(self, max_passages: int | None = None) -> list[tuple[int, int]]:
        """The merges the policy asks for, as [start, stop) runs of segments; only those of at most
        ``max_passages`` live passages when given."""
        sizes = [int(part.live.sum()) for part in self.parts_]
        dead = [len(part.live) - size for part, size in zip(self.parts_, sizes, strict=True)]
        runs = plan_merges(sizes, dead, self.merge_factor, self.merge_floor)
        return [(a, b) for a, b in runs if max_passages is None or sum(sizes[a:b]) <= max_passages]

    def merge(
        self, max_passages: int | None = None, *, everything: bool = False, cascade: bool = False
    ) -> SegmentedIndex:
        """This index with the due merges done (of at most ``max_passages`` live passages each, when given); with
        ``everything``, all segments merged into one without their dead passages; with ``cascade``, again while
        merges complete tiers above."""
        index = self
        for _ in range(MAX_CASCADE if cascade else 1):
            runs = index.merge_runs(max_passages, everything=everything)
            if not runs:
                break
            index = index.with_merged(index, runs, index.merged_segments(runs))
            assert index is not None  # merged from itself: its segments are all there
        return index

    def merge_runs(self, max_passages: int | None = None, *, everything: bool = False) -> list[tuple[int, int]]:
        """``merges_due``, or with ``everything`` the whole index as one run (none when that would change nothing)."""
        if not everything:
            return self.merges_due(max_passages)
        whole = len(self.parts_) == 1 and bool(self.parts_[0].live.all())
        return [] if whole or not self.parts_ else [(0, len(self.parts_))]

    def merged_segments(self, runs: list[tuple[int, int]]) -> list[Segment]:
        """The segments that ``runs`` of this index merge into: the costly part of a merge, which needs no lock —
        ``with_merged`` then puts them into whatever index is live by then."""
        return [
            merge_segments([(p.segment, p.live, p.sums) for p in self.parts_[a:b]], generation=self.generation_ + 1)
            for a, b in runs
        ]

    def with_merged(
        self, source: SegmentedIndex, runs: list[tuple[int, int]], segments: list[Segment]
    ) -> SegmentedIndex | None:
        """This index with ``segments`` — merged from ``runs`` of ``source``, this index or an earlier snapshot
        of it — in place of those runs' segments, and the documents deleted since ``source`` tombstoned in them.
        None when some run's segments are no longer here, in order (another merge got there first)."""
        parts = list(self.parts_)
        position = {id(part.segment): i for i, part in enumerate(parts)}
        for (a, b), merged in sorted(zip(runs, segments, strict=True), key=lambda run: run[0], reverse=True):
            before = source.parts_[a:b]
            start = position.get(id(before[0].segment), -1)
            now = parts[start : start + b - a] if start >= 0 else []
            if [p.segment for p in now] != [p.segment for p in before]:
                return None
            alive = np.concatenate([p.segment.arrays["document_ids"][p.live] for p in now] or [np.zeros(0, np.int64)])
            live = np.isin(merged.arrays["document_ids"], alive)
            part = Part(merged, live, merged.sums, merged.feature_df(~live))
            parts[start : start + b - a] = [part] if merged.n else []
        return self._derive(parts)

    def document_states(self) -> dict[int, tuple[str, int, int]]:
        """Per live document: (stamp, passages, highest passage id) — what a caller compares with the database
        to find documents added, removed or changed since this index was written."""
        states: dict[int, tuple[str, int, int]] = {}
        for part in self.parts_:
            documents = part.segment.arrays["document_ids"][part.live]
            if not len(documents):
                continue
            ids, where, counts = np.unique(documents, return_inverse=True, return_counts=True)
            highest = np.full(len(ids), np.iinfo(np.int64).min)
            np.maximum.at(highest, where, part.segment.arrays["passage_ids"][part.live])
            for doc, count, top in zip(ids.tolist(), counts.tolist(), highest.tolist(), strict=True):
                states[doc] = (part.segment.stamps.get(doc, ""), count, top)
        return states

    def live_passages(self) -> int:
        return self.n_live_

    def _segment(self, records: Sequence[PassageRecord], stamps: Mapping[int, str] | None, generation: int) -> Segment:
        return build_segment(
            sort_by_document(records),
            self.tokenizer_,
            words=self.words,
            bigrams=self.bigrams,
            generation=generation,
            stamps=dict(stamps or {}),
            workers=self.workers,
        )

    def _without(self, document_ids: set[int]) -> list[Part]:
        """The parts with the passages of ``document_ids`` tombstoned (unchanged parts are the same objects)."""
        wanted = np.fromiter(document_ids, dtype=np.int64, count=len(document_ids))
        parts = []
        for part in self.parts_:
            hit = part.live & np.isin(part.segment.arrays["document_ids"], wanted)
            if hit.any():
                dead_df = part.dead_df + part.segment.feature_df(hit)
                part = Part(part.segment, part.live & ~hit, part.sums, dead_df, part.saved)
            parts.append(part)
        return parts

    def _derive(self, parts: list[Part]) -> SegmentedIndex:
        """A new snapshot of ``parts`` sharing this one's parameters, tokenizer and vocabulary."""
        new = copy.copy(self)
        new.__dict__.pop("_masks", None)  # filter masks are per snapshot
        new.database_ = None  # what the database held is known again when the store writes the snapshot
        new._set_parts(parts, generation=self.generation_ + 1)
        return new

    def _set_parts(self, parts: list[Part], generation: int) -> None:
        """Corpus statistics, norm sums, scales and the per-passage arrays of ``parts``."""
        self.generation_ = generation
        vocabulary = self.vocabulary_
        joined = [vocabulary.join(part.segment) for part in parts]
        self.word_df_ = np.zeros(len(vocabulary.words), dtype=np.int64)
        self.bigram_df_ = np.zeros(len(vocabulary.bigrams), dtype=np.int64)
        for part, j in zip(parts, joined, strict=True):
            own = part.segment.df - part.dead_df
            self.word_df_[j.words] += own[: part.segment.split]
            self.bigram_df_[j.bigrams] += own[part.segment.split :]
        self.n_live_ = sum(int(part.live.sum()) for part in parts)
        word_idf = norms.idf(self.word_df_, self.n_live_).astype(np.float32)
        bigram_idf = norms.idf(self.bigram_df_, self.n_live_).astype(np.float32)
        weights = (self.word_weight, self.bigram_weight)
        self.parts_: list[Part] = []
        stores, scales = [], []
        for part, j in zip(parts, joined, strict=True):
            segment = part.segment
            sums = norms.refresh(part.sums, segment.postings, segment.split, local(j, self.word_df_, self.bigram_df_))
            self.parts_.append(Part(segment, part.live, sums, part.dead_df, part.saved))
            scale = norms.block_scales(segment.s0, sums, self.n_live_, weights, part.live)
            stores.append(segment.row_store(local(j, word_idf, bigram_idf), scale))
            scales.append(scale)
        self.joined_ = joined
        self.offsets_ = np.concatenate(([0], np.cumsum([p.segment.n for p in parts]))).astype(np.int64)
        self.n_passages_ = int(self.offsets_[-1])
        self._set_arrays()
        scale = np.concatenate(scales) if scales else np.zeros((0, 2), dtype=np.float32)
        words, grams = scale[:, 0], scale[:, 1]
        # score = base · (ratio · bigram sum + word sum): two passes over the scores, whatever the segments
        self.base_ = np.where(words > 0, words, grams)
        self.ratio_ = np.divide(grams, words, out=np.ones_like(grams), where=words > 0)
        n_features = 2 * max(len(vocabulary.words), len(vocabulary.bigrams)) + 2
        self.rows_ = SegmentRows(stores, [j.codes for j in joined], self.offsets_, n_features)
        self.texts_ = SegmentTexts([p.segment.texts for p in parts], self.offsets_)

    def _set_arrays(self) -> None:
        parts = self.parts_
        for name in SEGMENT_ARRAYS:
            arrays = [p.segment.arrays[name] for p in parts]
            setattr(self, f"{name}_", np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64))
        shifts = np.cumsum([0] + [len(p.segment.heading_paths) for p in parts])
        self.heading_index_ = self.heading_index_ + np.repeat(shifts[:-1], [p.segment.n for p in parts]).astype(
            np.int32
        )
        self.heading_paths_ = [path for p in parts for path in p.segment.heading_paths]
        self.live_ = np.concatenate([p.live for p in parts]) if parts else np.zeros(0, dtype=bool)
        self.documents_ = {}
        for p in parts:
            for doc in np.unique(p.segment.arrays["document_ids"][p.live]).tolist():
                self.documents_[doc] = p.segment.documents[doc]
        live_documents = self.document_ids_[self.live_]
        self.ordered_ = bool((live_documents[1:] >= live_documents[:-1]).all())

    # --- querying -----------------------------------------------------------------------------------------------

    def _vector(self, words: list[str], grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(feature codes, weights): the query's tf-idf vector, each weight times its feature's idf (the
        passages' postings hold ``l`` only), each block in descending order of its terms' text."""
        vocabulary, n = self.vocabulary_, self.n_live_
        blocks = []
        for use, terms, table, df, weight, parity in (
            (self.bigrams, grams, vocabulary.bigrams, self.bigram_df_, self.bigram_weight, 1),
            (self.words, words, vocabulary.words, self.word_df_, self.word_weight, 0),
        ):
            if not use:
                continue
            found = []
            for term, count in Counter(terms).items():
                gid = table.get(term)
                if gid is None or gid >= len(df) or not df[gid]:  # unknown here, or only in dead passages
                    continue
                idf = math.log((1.0 + n) / (1.0 + int(df[gid]))) + 1.0
                found.append((term, 2 * gid + parity, (1.0 + math.log(count)) * idf, idf))
            if found:
                scale = weight / math.hypot(*(w for _, _, w, _ in found))  # the block's L2 norm in one call
                blocks.append([(term, code, w * scale, idf) for term, code, w, idf in sorted(found, reverse=True)])
        norm = math.hypot(*(w for block in blocks for _, _, w, _ in block)) or 1.0
        entries = [entry for block in blocks for entry in block]
        codes = np.array([code for _, code, _, _ in entries], dtype=np.int64)
        return codes, np.array([w / norm * idf for _, _, w, idf in entries], dtype=np.float32)

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of every passage (dead ones: 0) with the query vector ``_vector`` gives (bigrams first), float32.

        Each segment adds its postings of the query's bigrams, then — after one pass that scales the bigram
        sums against the word sums — of its words, into its stretch of one score array.
        """
        out = np.zeros(self.n_passages_, dtype=np.float32)
        split = int(np.count_nonzero(ids & 1))
        if split:
            self._accumulate(out, ids[:split] >> 1, weights[:split], "bigram_rows")
            out *= self.ratio_
        if split < len(ids):
            self._accumulate(out, ids[split:] >> 1, weights[split:], "word_rows")
        out *= self.base_
        return out

    def _accumulate(self, out: np.ndarray, gids: np.ndarray, weights: np.ndarray, block: str) -> None:
        for part, joined, start in zip(self.parts_, self.joined_, self.offsets_[:-1].tolist(), strict=True):
            lookup = getattr(joined, block)
            rows = lookup[np.minimum(gids, len(lookup) - 1)]
            present = rows >= 0
            if not present.all():
                rows, chosen = rows[present], weights[present]
            else:
                chosen = weights
            stop = start + part.segment.n
            rank.accumulate_into(out[start:stop], part.segment.postings, rows, chosen)

    def candidates(self, scores: np.ndarray, limit: int) -> np.ndarray:
        """Indexes of the ``limit`` best positive scores, best first; ties by document, then passage order."""
        found = rank.top(scores, limit)
        if self.ordered_ or not len(found):
            return found
        tied = np.flatnonzero(scores >= scores[found[-1]])  # everything the cut-off score reaches, ties included
        order = np.lexsort((self.ordinal_[tied], self.document_ids_[tied], -scores[tied]))
        return tied[order[:limit]]
