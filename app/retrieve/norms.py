"""Passage norms that follow the corpus statistics without a rebuild: exact, whatever the order of the updates.

A passage's tf-idf vector in one block has the squared norm ``Σ_t l_t² idf_t²`` with ``l_t = 1 + ln count`` and
scikit-learn's smooth idf ``ln((1 + N) / (1 + df_t)) + 1 = A − b_t``, where ``A = ln(1 + N) + 1`` and
``b_t = ln(1 + df_t)``. Every document added or removed changes N and so every idf; the norm is therefore kept
as three sums, ``‖u‖² = A²·S0 − 2A·S1 + S2`` with ``S0 = Σ l²``, ``S1 = Σ l² b`` and ``S2 = Σ l² b²``: a change
of N costs one pass over the passages' sums (A is applied when the scales are computed), and a change of a
term's df updates S1 and S2 on that term's postings only — not the corpus.

The sums are integers in units of 2⁻³², each term's share rounded on its own. Integer addition is exact and
does not depend on order, so sums updated over any history of additions and deletions are equal, bit for bit,
to sums computed from scratch on the final corpus — and so are the scores and their ties, which decide which
passage a search shows. Float sums would differ in the last bits with the order of the updates. (The rounding
is ≤ 2⁻³³ per term; an int64 sum overflows only for a passage of millions of words.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

UNIT = float(2**32)  # fixed-point unit of the sums


@dataclass(frozen=True, eq=False)
class NormSums:
    """One segment's ``S1`` and ``S2`` (int64, 2 × passages: word block, bigram block) and, per local feature,
    the document frequency they were computed with."""

    s1: np.ndarray
    s2: np.ndarray
    df_seen: np.ndarray

    @classmethod
    def empty(cls, n_passages: int, n_features: int) -> NormSums:
        """Sums computed with every df 0 (then b = 0 and S1 = S2 = 0): ``refresh`` brings them up to date."""
        zeros = np.zeros((2, n_passages), dtype=np.int64)
        return cls(zeros, zeros.copy(), np.zeros(n_features, dtype=np.int64))


def shares(squared_tf: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's share of S1 and S2, given its ``l²`` and its term's ``b`` (float64 arrays)."""
    product = squared_tf * b
    s1 = np.rint(product * UNIT).astype(np.int64)
    product *= b
    return s1, np.rint(product * UNIT).astype(np.int64)


def squared_sums(postings: sp.csr_matrix, split: int, n_passages: int) -> np.ndarray:
    """``S0`` of every passage (int64, 2 × passages) from a segment's postings (features × passages, values l)."""
    squared = postings.data.astype(np.float64)
    squared *= squared
    block = np.repeat((np.arange(postings.shape[0]) >= split).astype(np.int64), np.diff(postings.indptr))
    out = np.zeros(2 * n_passages, dtype=np.int64)
    np.add.at(out, block * n_passages + postings.indices, np.rint(squared * UNIT).astype(np.int64))
    return out.reshape(2, n_passages)


def refresh(sums: NormSums, postings: sp.csr_matrix, split: int, df_now: np.ndarray) -> NormSums:
    """``sums`` recomputed for the document frequencies ``df_now`` (per local feature): only the postings of the
    features whose df changed are read. Returns ``sums`` itself when nothing changed (snapshots share arrays).

    A posting of count 1 (l² = 1, most of them) changes the sums by its feature's change alone, computed once
    per feature; only the others get their own.
    """
    changed = np.flatnonzero(df_now != sums.df_seen)
    if not len(changed):
        return sums
    s1, s2 = sums.s1.copy(), sums.s2.copy()
    b_new = np.log1p(df_now[changed].astype(np.float64))
    b_old = np.log1p(sums.df_seen[changed].astype(np.float64))
    ones = np.ones(len(changed))
    (new1, new2), (old1, old2) = shares(ones, b_new), shares(ones, b_old)
    for block, chosen in enumerate((changed < split, changed >= split)):
        features = changed[chosen]
        if not len(features):
            continue
        starts = postings.indptr[features]
        sizes = postings.indptr[features + 1] - starts
        pointer = np.zeros(len(features) + 1, dtype=np.int64)
        np.cumsum(sizes, out=pointer[1:])
        at = (starts - pointer[:-1]).repeat(sizes) + np.arange(pointer[-1])  # the features' postings
        rows = postings.indices[at]
        delta1 = (new1[chosen] - old1[chosen]).repeat(sizes)
        delta2 = (new2[chosen] - old2[chosen]).repeat(sizes)
        tf = postings.data[at]
        other = np.flatnonzero(tf != 1.0)
        if len(other):  # counts above one: l² ≠ 1, each posting its own share
            squared = tf[other].astype(np.float64)
            squared *= squared
            feature = np.searchsorted(pointer, other, side="right") - 1
            up1, up2 = shares(squared, b_new[chosen][feature])
            down1, down2 = shares(squared, b_old[chosen][feature])
            delta1[other], delta2[other] = up1 - down1, up2 - down2
        np.add.at(s1[block], rows, delta1)
        np.add.at(s2[block], rows, delta2)
    df_seen = sums.df_seen.copy()
    df_seen[changed] = df_now[changed]
    return NormSums(s1, s2, df_seen)


def drift(sums: NormSums, saved: NormSums, postings: sp.csr_matrix) -> int:
    """How many postings ``refresh`` would read to bring ``saved`` to where ``sums`` is (a cost of loading)."""
    changed = np.flatnonzero(sums.df_seen != saved.df_seen)
    return int((postings.indptr[changed + 1] - postings.indptr[changed]).sum())


def block_scales(
    s0: np.ndarray, sums: NormSums, n_live: int, weights: tuple[float, float], live: np.ndarray
) -> np.ndarray:
    """Each passage's factor per block (float32, passages × 2): the block weight over the block's tf-idf norm,
    over the norm of the two weighted blocks side by side — what ``TfidfIndex`` folds into its matrix. A
    passage's score is Σ over blocks of its factor × Σ_t (query weight × idf)_t · l_t. Zero for dead passages."""
    a = np.log1p(float(n_live)) + 1.0
    squared = (a * a) * (s0 / UNIT) - (2.0 * a) * (sums.s1 / UNIT) + sums.s2 / UNIT
    norms = np.sqrt(np.maximum(squared, 0.0)).T  # passages × 2
    weight = np.asarray(weights, dtype=np.float64)
    present = (norms > 0) & live[:, None]
    total = np.sqrt((present * weight**2).sum(axis=1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(present, weight / norms / total, 0.0).astype(np.float32)


def idf(df: np.ndarray, n_live: int) -> np.ndarray:
    """scikit-learn's smooth idf, ``ln((1 + N) / (1 + df)) + 1`` (float64)."""
    return np.log((1.0 + n_live) / (1.0 + df.astype(np.float64))) + 1.0
