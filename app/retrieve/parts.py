"""How a ``SegmentedIndex`` snapshot sees its segments: the shared vocabulary that gives their features
corpus-wide ids, each segment's live passages and current norm sums (a ``Part``), and the merge policy."""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.retrieve.norms import NormSums
from app.retrieve.segment import Segment


@dataclass(frozen=True, eq=False)
class Joined:
    """A segment's place in a vocabulary: global ids of its features, and the way back to its postings rows."""

    words: np.ndarray  # global word id of each local word feature
    bigrams: np.ndarray  # global bigram id of each local bigram feature
    word_rows: np.ndarray  # postings row of each global word id, −1 if absent; a last −1 for later ids
    bigram_rows: np.ndarray
    codes: np.ndarray  # local feature → global code: 2 × word id, 2 × bigram id + 1


class Vocabulary:
    """Feature ids shared by the snapshots of one index. Terms are only ever appended, so a snapshot reading it
    while a newer one adds terms ignores the ids beyond its own statistics."""

    def __init__(self) -> None:
        self.words: dict[str, int] = {}
        self.bigrams: dict[str, int] = {}
        self._joined: weakref.WeakKeyDictionary[Segment, Joined] = weakref.WeakKeyDictionary()
        # a writer and a reader loading another process's version may join at once: ids must not collide
        self._lock = threading.Lock()

    def join(self, segment: Segment) -> Joined:
        with self._lock:
            return self._join(segment)

    def _join(self, segment: Segment) -> Joined:
        joined = self._joined.get(segment)
        if joined is None:
            words, grams = _ids(self.words, segment.word_terms), _ids(self.bigrams, segment.bigram_terms)
            joined = Joined(
                words,
                grams,
                _rows(words, len(self.words), 0),
                _rows(grams, len(self.bigrams), segment.split),
                np.concatenate((2 * words, 2 * grams + 1)),
            )
            self._joined[segment] = joined
        return joined


@dataclass(frozen=True, eq=False)
class Part:
    """A segment as one snapshot sees it."""

    segment: Segment
    live: np.ndarray  # bool per passage
    sums: NormSums
    dead_df: np.ndarray  # per local feature: dead passages containing it
    saved: tuple[str, NormSums] | None = None  # norm sums on disk with the segment (file name), once written


def plan_merges(sizes: Sequence[int], dead: Sequence[int], factor: int, floor: int) -> list[tuple[int, int]]:
    """Runs [start, stop) of adjacent segments to merge, from the segments' live and dead passage counts.

    Lucene's LogMergePolicy, which keeps the segments in order: tier t holds segments of floor·factorᵗ to
    floor·factorᵗ⁺¹ live passages (all below the floor in tier 0), and ``factor`` neighbours of one tier merge,
    the oldest first. A segment with more dead than live passages is rewritten alone, without them.
    """
    tiers = [int(math.log(max(size, floor) / floor, factor)) for size in sizes]
    runs = []
    start = 0
    while start < len(sizes):
        stop = start
        while stop < len(sizes) and tiers[stop] == tiers[start]:
            stop += 1
        if stop - start >= factor:
            runs.append((start, start + factor))
            start += factor
            continue
        runs += [(i, i + 1) for i in range(start, stop) if dead[i] > sizes[i]]
        start = stop
    return runs


def part_of(segment: Segment) -> Part:
    """A segment just written: every passage live, its norm sums as written."""
    return Part(segment, np.ones(segment.n, dtype=bool), segment.sums, np.zeros(len(segment.df), dtype=np.int64))


def _ids(table: dict[str, int], terms: list[str]) -> np.ndarray:
    """Global ids of ``terms``, new terms appended to ``table``."""
    return np.fromiter((table.setdefault(t, len(table)) for t in terms), dtype=np.int64, count=len(terms))


def _rows(ids: np.ndarray, size: int, first: int) -> np.ndarray:
    rows = np.full(size + 1, -1, dtype=np.int32)
    rows[ids] = first + np.arange(len(ids), dtype=np.int32)
    return rows


def local(joined: Joined, word_values: np.ndarray, bigram_values: np.ndarray) -> np.ndarray:
    """A corpus-wide per-feature array read for one segment's local features."""
    return np.concatenate((word_values[joined.words], bigram_values[joined.bigrams]))
