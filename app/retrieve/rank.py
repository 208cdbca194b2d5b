"""Scoring and top-candidate selection: the part of a query whose cost grows with the number of passages.

Both are written so that the per-passage work happens in compiled loops and the Python-level work is a fixed,
small number of numpy calls per query (each costs about a microsecond however short the array):

* ``accumulate`` adds weight × posting values into one dense score array, one compiled call per query term,
  reading the postings in place (no slice copies, no concatenation);
* ``top`` finds the best ``limit`` scores without partially sorting the whole array (slow when most scores
  are tied at zero) and without a cascade of full-array thresholds: one pass takes the maximum of each group
  of passages, the ``limit``-th best group maximum is a score that at least ``limit`` passages reach, and
  only the groups whose maximum reaches it are looked at again.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

try:  # y += A·x for a CSC matrix A, in place: scipy's compiled kernel behind ``csc_matrix @ vector``
    from scipy.sparse._sparsetools import csc_matvec as _csc_matvec
except ImportError:  # pragma: no cover
    _csc_matvec = None

GROUP = 64  # passages per group (strided: group g holds passages g, g + G, g + 2G … so the pass is vectorised)
DIRECT_MAX = 8192  # below this many passages, one comparison over all scores is cheaper than grouping


def kernel_ready(postings: sp.csr_matrix) -> sp.csr_matrix:
    """``postings`` with ``indptr`` of the same integer type as ``indices`` (the compiled kernel needs one type)."""
    if postings.indptr.dtype != postings.indices.dtype:
        wide = np.int64 if postings.nnz >= 2**31 else postings.indices.dtype
        postings.indptr = postings.indptr.astype(wide)
        postings.indices = postings.indices.astype(wide)
    return postings


def accumulate(postings: sp.csr_matrix, ids: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Σ weight × row of ``postings`` over the query's feature rows: a dense float32 array of ``n`` scores.

    ``indptr[t : t + 2]`` is a one-column CSC matrix over the whole ``indices`` / ``data`` arrays, so each term
    costs one kernel call on its own postings and nothing else.
    """
    out = np.zeros(n, dtype=np.float32)
    if len(ids) == 0:
        return out
    weights = np.ascontiguousarray(weights, dtype=np.float32)
    if _csc_matvec is None:  # pragma: no cover - scipy without its private kernels
        return np.asarray(postings[ids].T @ weights, dtype=np.float32)
    indptr, indices, data = postings.indptr, postings.indices, postings.data
    for j, term in enumerate(ids.tolist()):
        _csc_matvec(n, 1, indptr[term : term + 2], indices, data, weights[j : j + 1], out)
    return out


def top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indexes of the ``limit`` best positive scores, best first (ties in index order)."""
    n = len(scores)
    groups = n // GROUP
    small = n <= DIRECT_MAX or groups < 2 * limit
    found = np.flatnonzero(scores > 0) if small else _above_bar(scores, limit, groups)
    values = scores[found]
    if len(found) > limit:  # keep those above the limit-th best score, then the earliest of those equal to it
        bar = np.partition(values, len(values) - limit)[len(values) - limit]
        above = values > bar
        tied = np.flatnonzero(values == bar)[: limit - int(np.count_nonzero(above))]
        above[tied] = True
        found, values = found[above], values[above]
    return found[np.lexsort((found, -values))]


def _above_bar(scores: np.ndarray, limit: int, groups: int) -> np.ndarray:
    """Every passage whose score reaches the ``limit``-th best group maximum (so at least ``limit`` of them)."""
    peaks = scores[: groups * GROUP].reshape(GROUP, groups).max(axis=0)
    bar = float(np.partition(peaks, groups - limit)[groups - limit])
    if bar <= 0:  # fewer than ``limit`` groups score at all: every positive score is a candidate (few)
        return np.flatnonzero(scores > 0)
    chosen = np.flatnonzero(peaks >= bar)
    found = (chosen + groups * np.arange(GROUP)[:, None]).ravel()
    found = found[scores[found] >= bar]
    tail = groups * GROUP + np.flatnonzero(scores[groups * GROUP :] >= bar)  # the last n mod GROUP passages
    return np.concatenate((found, tail)) if len(tail) else found
