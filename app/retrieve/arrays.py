"""Arrays read by ranges — in memory, or from a ``.npy`` file with ``pread`` — and the stores built on them:
``RowStore`` (passage vectors, CSR rows) and ``TextStore`` (passage texts, one UTF-8 blob with offsets)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp


class InMemory:
    """An array read by ranges (the in-memory twin of ``persist.NpyFile``)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

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
    """Passage vectors (CSR rows) for MMR: ``indptr`` in memory, indices and data in memory or read from disk."""

    def __init__(self, indptr: np.ndarray, indices: Any, data: Any, n_features: int) -> None:
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.n_features = n_features

    @classmethod
    def from_matrix(cls, matrix: sp.csr_matrix) -> RowStore:
        return cls(matrix.indptr, InMemory(matrix.indices), InMemory(matrix.data), matrix.shape[1])

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(position in ``rows``, feature, value) of every nonzero of the given rows, reading only those rows."""
        bounds = [(int(self.indptr[r]), int(self.indptr[r + 1])) for r in np.asarray(rows).tolist()]
        sizes = [end - start for start, end in bounds]
        if not sum(sizes):
            return np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)
        columns = np.concatenate([self.indices.read(start, end) for start, end in bounds])
        values = np.concatenate([self.data.read(start, end) for start, end in bounds])
        return np.repeat(np.arange(len(bounds)), sizes), columns, values

    def vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        """The given rows as a (len(rows) × features) CSR matrix."""
        owner, columns, values = self.gather(rows)
        return sp.csr_matrix((values, (owner, columns)), shape=(len(rows), self.n_features), dtype=np.float32)


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
