"""Scoring and top-candidate selection: the part of a query whose cost grows with the number of passages.

Both are written so that the per-passage work happens in compiled loops and the Python-level work is a fixed,
small number of numpy calls per query (each costs about a microsecond however short the array):

* ``accumulate`` adds weight × posting values into one dense score array in a single compiled call for all
  the query's terms, reading the postings in place (no slice copies, no concatenation);
* ``top`` finds the best ``limit`` scores without partially sorting the whole array (slow when most scores
  are tied at zero) and without a cascade of full-array thresholds: one pass takes the maximum of each group
  of passages, the ``limit``-th best group maximum is a score that at least ``limit`` passages reach, and
  only the groups whose maximum reaches it are looked at again.
"""

from __future__ import annotations

import functools

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

    One call of the compiled kernel for all the terms, reading the postings in place. It gets a CSC matrix
    whose column pointers are the terms' (start, end) pairs one after another: column 2i is term i's postings,
    column 2i + 1 the stretch from term i's end to term i + 1's start, with weight 0. With the terms in
    descending feature order, term i + 1 starts before term i ends, so every such gap column is empty
    (start ≥ end) and the kernel skips it: no copy of the postings, no per-term Python call.
    """
    out = np.zeros(n, dtype=np.float32)
    if len(ids) == 0:
        return out
    if _csc_matvec is None:  # pragma: no cover - scipy without its private kernels
        return np.asarray(postings[ids].T @ np.asarray(weights, dtype=np.float32), dtype=np.float32)
    order = ids.argsort()[::-1]
    accumulate_into(out, postings, ids[order], weights[order])
    return out


def accumulate_into(out: np.ndarray, postings: sp.csr_matrix, rows: np.ndarray, weights: np.ndarray) -> None:
    """``out`` += Σ weight × row of ``postings``, for ``rows`` in strictly descending order (see ``accumulate``).

    Each passage's terms are added in the order given, so two indexes that store the same passages under other
    feature ids still add them in the same order — and get the same floats — when given the same order.
    """
    if len(rows) == 0:
        return
    if _csc_matvec is None:  # pragma: no cover - scipy without its private kernels
        out += np.asarray(postings[rows].T @ np.asarray(weights, dtype=np.float32), dtype=np.float32)
        return
    pointers = np.empty(2 * len(rows), dtype=postings.indptr.dtype)
    pointers[0::2], pointers[1::2] = postings.indptr[rows], postings.indptr[rows + 1]
    factors = np.zeros(2 * len(rows) - 1, dtype=np.float32)
    factors[0::2] = weights
    _csc_matvec(len(out), len(factors), pointers, postings.indices, postings.data, factors, out)


def top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indexes of the ``limit`` best positive scores, best first (ties in index order)."""
    n = len(scores)
    groups = n // GROUP
    # numpy's ndarray methods and raw ufunc reductions below, not its module functions: those add a Python
    # frame each, a sizeable share of a query that makes a fixed few dozen calls
    if n <= DIRECT_MAX or groups < 2 * limit:
        found = (scores > 0).nonzero()[0]
        values = scores[found]
    else:
        found, values = _above_bar(scores, limit, groups)
    if len(found) > 4 * limit:  # keep the limit-th best score and above (ties included) before sorting
        keep = values >= values[values.argpartition(len(values) - limit)[len(values) - limit]]
        found, values = found[keep], values[keep]
    return found[(-values).argsort(kind="stable")[:limit]]  # ``found`` is in index order: ties stay in it


def _above_bar(scores: np.ndarray, limit: int, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(index, score) of every score reaching the ``limit``-th best group maximum (so at least ``limit`` of them),
    in index order."""
    peaks = np.maximum.reduce(scores[: groups * GROUP].reshape(GROUP, groups), axis=0)
    bar = peaks[peaks.argpartition(groups - limit)[groups - limit]]
    if bar <= 0:  # fewer than ``limit`` groups score at all: every positive score is a candidate (few)
        found = (scores > 0).nonzero()[0]
        return found, scores[found]
    offsets, tail = _layout(len(scores), groups)
    chosen = (peaks >= bar).nonzero()[0]
    found = np.concatenate(((chosen + offsets).reshape(-1), tail))  # tail: the last n mod GROUP passages
    values = scores[found]
    keep = values >= bar
    return found[keep], values[keep]


@functools.lru_cache(maxsize=8)
def _layout(n: int, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of the passages of a group from its first (a column), and the passages after the last group."""
    return groups * np.arange(GROUP)[:, None], np.arange(groups * GROUP, n)
