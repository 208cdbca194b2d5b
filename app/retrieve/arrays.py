"""Arrays read by ranges — in memory, or from a ``.npy`` file with ``pread`` — and the stores built on them:
``RowStore`` (passage vectors, CSR rows) and ``TextStore`` (passage texts, one UTF-8 blob with offsets)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

try:  # scipy's compiled kernels behind ``csr_matrix @ csr_matrix``, called without its per-call checks and copies
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
    from scipy.sparse._sparsetools import csr_tocsc as _csr_tocsc
    from scipy.sparse._sparsetools import csr_todense as _csr_todense
except ImportError:  # pragma: no cover
    _csr_matmat = _csr_matvec = _csr_tocsc = _csr_todense = None

FULL_MATRIX_MAX = 256  # candidates up to which MMR gets the whole cosine matrix (n² floats) at once
_LOG_TF = (1.0 + np.log(np.maximum(np.arange(2**16, dtype=np.float64), 1.0))).astype(np.float32)  # sublinear tf


class InMemory:
    """An array read by ranges (the in-memory twin of ``persist.NpyFile``): a numpy array or a memory map."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.buffer = memoryview(array) if array.dtype == np.uint8 else None  # text blobs: slices without copies

    def __len__(self) -> int:
        return len(self.array)

    def read(self, start: int, end: int) -> np.ndarray:
        return self.array[start:end]

    def full(self) -> np.ndarray:
        return self.array


class NpyFile:
    """A 1-d ``.npy`` array read by ranges with ``os.pread``.

    Not a memory map on purpose: mapped file pages count in the process's resident memory, and recent kernels
    map whole large folios around each touched page, so a memory-mapped index "grows" by megabytes a query.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(handle)
            self.offset = handle.tell()
        if len(shape) != 1 or fortran or dtype.hasobject:
            raise ValueError(f"{path}: expected a 1-d numeric array")
        self.path = path
        self.dtype = dtype
        self.length = shape[0]
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.length

    def read(self, start: int, end: int) -> np.ndarray:
        size = self.dtype.itemsize
        data = os.pread(self._fd, (end - start) * size, self.offset + start * size)
        return np.frombuffer(data, dtype=self.dtype)

    def full(self) -> np.ndarray:
        return np.load(self.path, allow_pickle=False)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)


class RowStore:
    """Passage vectors (CSR rows) for MMR, kept as feature ids and term counts — not as floats.

    The postings already hold every tf-idf value as a float32; storing the rows' values again would double the
    index. A value is recomputed when a row is read, with the weighting itself: ``(1 + ln count) · idf[feature]
    · scale[passage, block]``, where ``scale`` (two floats a passage) folds in the block's L2 norm, the block
    weight and the final normalisation. ``indptr`` and ``scale`` are in memory; feature ids and counts are in
    memory or read from disk.
    """

    def __init__(self, indptr: np.ndarray, indices: Any, counts: Any, idf: np.ndarray, split: int, scale: np.ndarray):
        self.indptr = indptr
        self.indices = indices
        self.counts = counts
        self.idf = np.asarray(idf, dtype=np.float32)  # by feature id, both blocks
        self.split = split  # feature ids below this are words, the others bigrams
        self.scale = np.asarray(scale, dtype=np.float32)  # passages × 2 (word block, bigram block)
        self.n_features = len(self.idf)

    @classmethod
    def from_counts(
        cls,
        words: sp.csr_matrix | None,
        grams: sp.csr_matrix | None,
        idf: np.ndarray,
        weights: tuple[float, float],
        norms: np.ndarray,
    ) -> RowStore:
        """From the two blocks' term counts (passages × features; a block may be absent), as ``fit`` weights them.

        ``idf`` covers both blocks' features, words first; ``norms`` (passages × 2) holds the L2 norm of each
        passage's tf-idf vector in each block. A passage's scale for a block is the block weight over that norm,
        over the norm of the two weighted, normalised blocks side by side.
        """
        weight = np.asarray(weights, dtype=np.float64)
        total = np.sqrt(((norms > 0) * weight**2).sum(axis=1, keepdims=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(norms > 0, weight / norms / total, 0.0)
        counts = stack_counts(words, grams)
        return cls(
            counts.indptr.astype(np.int64),
            InMemory(counts.indices.astype(np.int32, copy=False)),
            InMemory(counts.data),
            idf,
            words.shape[1] if words is not None else 0,
            scale,
        )

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row pointer, feature, value): the given rows' nonzeros concatenated, reading only those rows.

        Row ``i``'s nonzeros are ``[pointer[i], pointer[i + 1])`` of the other two arrays (CSR layout).
        """
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        sizes = self.indptr[rows + 1] - starts
        pointer = np.zeros(len(rows) + 1, dtype=np.int32)
        sizes.cumsum(out=pointer[1:])
        total = int(pointer[-1])
        if not total:
            return pointer, np.zeros(0, np.int32), np.zeros(0, np.float32)
        if isinstance(self.indices, InMemory) and isinstance(self.counts, InMemory):
            # one fancy index over all the rows' ranges instead of a slice and a concatenation per row
            at = (starts - pointer[:-1]).repeat(sizes) + np.arange(total)
            columns, counts = self.indices.array[at], self.counts.array[at]
        else:
            bounds = list(zip(starts.tolist(), (starts + sizes).tolist(), strict=True))
            columns = np.concatenate([self.indices.read(start, end) for start, end in bounds])
            counts = np.concatenate([self.counts.read(start, end) for start, end in bounds])
        values = _LOG_TF[counts] * self.idf[columns]
        values *= self.scale[rows.repeat(sizes), (columns >= self.split).view(np.int8)]
        return pointer, columns, values

    def vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        """The given rows as a (len(rows) × features) CSR matrix."""
        pointer, columns, values = self.gather(rows)
        return sp.csr_matrix((values, columns, pointer), shape=(len(pointer) - 1, self.n_features), dtype=np.float32)

    def cosines(self, rows: np.ndarray) -> np.ndarray | Callable[[int], np.ndarray]:
        """Dot products (cosines: rows are unit vectors) of every pair of the given rows (see ``cosine_matrix``)."""
        return cosine_matrix(*self.gather(rows), self.n_features)


def stack_counts(words: sp.csr_matrix | None, grams: sp.csr_matrix | None) -> sp.csr_matrix:
    """The two blocks' term counts side by side (a block may be absent), as small integers: a float copy of a
    million passages' counts would be 600 MB. A count above 65535 — no paragraph repeats a term that often — is
    capped."""
    blocks = [b for b in (words, grams) if b is not None]
    most = max((int(b.data.max()) for b in blocks if b.nnz), default=0)
    narrow = np.uint8 if most <= 255 else np.uint16
    data = [b.data if most < len(_LOG_TF) else np.minimum(b.data, len(_LOG_TF) - 1) for b in blocks]
    small = [sp.csr_matrix((d.astype(narrow), b.indices, b.indptr), b.shape) for d, b in zip(data, blocks, strict=True)]
    return sp.hstack(small, format="csr") if small else sp.csr_matrix((0, 0), dtype=narrow)


def log_tf(counts: np.ndarray) -> np.ndarray:
    """Sublinear term frequencies ``1 + ln count`` (float32) of stored counts, from one table."""
    return _LOG_TF[counts]


def cosine_matrix(
    pointer: np.ndarray, columns: np.ndarray, values: np.ndarray, n_features: int
) -> np.ndarray | Callable[[int], np.ndarray]:
    """Dot products of every pair of the CSR rows ``(pointer, columns, values)`` — a dense float64 matrix, or for
    more than ``FULL_MATRIX_MAX`` rows a function giving one row of it (MMR asks for k rows only).

    The matrix is one sparse product R·Rᵀ by scipy's compiled kernels. Feature ids are first renumbered
    densely (each feature becomes the position of one of its occurrences): the kernels cost time per column.
    Each entry sums its products in the order of the row's features, so equal rows give equal numbers.
    """
    n = len(pointer) - 1
    nnz = len(columns)
    if not nnz:
        return np.zeros((n, n), dtype=np.float64)
    if _csr_matmat is None:  # pragma: no cover - scipy without its private kernels
        vectors = sp.csr_matrix((values, columns, pointer), shape=(n, n_features))
        return np.asarray((vectors @ vectors.T).toarray(), dtype=np.float64)
    slot = np.empty(n_features, dtype=np.int32)
    slot[columns] = np.arange(nnz, dtype=np.int32)
    local = slot[columns]
    values = np.ascontiguousarray(values, dtype=np.float32)
    if n > FULL_MATRIX_MAX:

        def row(i: int) -> np.ndarray:
            dense = np.zeros(nnz, dtype=np.float32)
            dense[local[pointer[i] : pointer[i + 1]]] = values[pointer[i] : pointer[i + 1]]
            out = np.zeros(n, dtype=np.float32)
            _csr_matvec(n, nnz, pointer, local, values, dense, out)
            return out.astype(np.float64)

        return row
    t_ptr, t_idx, t_val = np.empty(nnz + 1, np.int32), np.empty(nnz, np.int32), np.empty(nnz, np.float32)
    o_ptr, o_idx, o_val = np.empty(n + 1, np.int32), np.empty(n * n, np.int32), np.empty(n * n, np.float32)
    _csr_tocsc(n, nnz, pointer, local, values, t_ptr, t_idx, t_val)
    _csr_matmat(n, n, pointer, local, values, t_ptr, t_idx, t_val, o_ptr, o_idx, o_val)
    out = np.zeros((n, n), dtype=np.float32)
    _csr_todense(n, n, o_ptr, o_idx, o_val, out)
    return out.astype(np.float64)


class TextStore:
    """Passage texts as one UTF-8 byte array and offsets: compact, and readable from disk by ranges."""

    def __init__(self, blob: Any, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> TextStore:
        encoded = [t.encode("utf-8") for t in texts]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(InMemory(np.frombuffer(b"".join(encoded), dtype=np.uint8)), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.blob.read(int(self.offsets[i]), int(self.offsets[i + 1])).tobytes().decode("utf-8")

    def many(self, rows: Sequence[int]) -> list[str]:
        """The texts of the given rows (in memory: slices of one buffer, no array objects per text)."""
        starts, ends = self.offsets[rows].tolist(), self.offsets[np.asarray(rows) + 1].tolist()
        if isinstance(self.blob, InMemory):
            buffer = self.blob.buffer
            return [str(buffer[a:b], "utf-8") for a, b in zip(starts, ends, strict=True)]
        return [self.blob.read(a, b).tobytes().decode("utf-8") for a, b in zip(starts, ends, strict=True)]


class SegmentRows:
    """Passage vectors spread over segments (a ``RowStore`` each), read by global row: rows ``offsets[s]`` …
    ``offsets[s + 1] − 1`` are segment ``s``'s, whose local feature ids ``codes[s]`` maps to global ones."""

    def __init__(self, stores: list[RowStore], codes: list[np.ndarray], offsets: np.ndarray, n_features: int) -> None:
        self.stores = stores
        self.codes = codes
        self.offsets = offsets
        self.n_features = n_features

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row pointer, global feature, value) of the given rows, as ``RowStore.gather``."""
        rows = np.asarray(rows, dtype=np.int64)
        segment_of = np.searchsorted(self.offsets, rows, side="right") - 1
        if len(rows) and (segment_of == segment_of[0]).all():  # the usual case: one segment holds them all
            s = int(segment_of[0])
            pointer, columns, values = self.stores[s].gather(rows - self.offsets[s])
            return pointer, self.codes[s][columns], values
        order = np.argsort(segment_of, kind="stable")
        pieces = []
        for s in np.unique(segment_of).tolist():
            chosen = rows[order][segment_of[order] == s] - self.offsets[s]
            pointer, columns, values = self.stores[s].gather(chosen)
            pieces.append((np.diff(pointer), self.codes[s][columns], values))
        sizes = np.concatenate([p[0] for p in pieces])  # rows in segment order
        columns = np.concatenate([p[1] for p in pieces])
        values = np.concatenate([p[2] for p in pieces])
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        place = np.empty(len(rows), dtype=np.int64)
        place[order] = np.arange(len(rows))  # each requested row's position in segment order
        sizes, starts = sizes[place], starts[place]
        pointer = np.zeros(len(rows) + 1, dtype=np.int32)
        sizes.cumsum(out=pointer[1:])
        at = (starts - pointer[:-1]).repeat(sizes) + np.arange(pointer[-1])
        return pointer, columns[at], values[at]

    def cosines(self, rows: np.ndarray) -> np.ndarray | Callable[[int], np.ndarray]:
        """Dot products of every pair of the given rows (see ``cosine_matrix``)."""
        return cosine_matrix(*self.gather(rows), self.n_features)


class SegmentTexts:
    """Passage texts spread over segments (a ``TextStore`` each), read by global row."""

    def __init__(self, stores: list[TextStore], offsets: np.ndarray) -> None:
        self.stores = stores
        self.offsets = offsets

    def many(self, rows: Sequence[int]) -> list[str]:
        rows = np.asarray(rows, dtype=np.int64)
        segment_of = np.searchsorted(self.offsets, rows, side="right") - 1
        out: list[str] = [""] * len(rows)
        for s in np.unique(segment_of).tolist():
            where = np.flatnonzero(segment_of == s)
            for i, text in zip(where.tolist(), self.stores[s].many(rows[where] - self.offsets[s]), strict=True):
                out[i] = text
        return out
