"""Saving and loading indexes — numpy ``.npy`` / ``.npz`` and JSON only, never pickle — and swapping the live one.

``save_index`` / ``load_index`` write and read a fitted ``TfidfIndex`` in one directory (meta.json,
postings_*.npy, rows_*.npy, texts_*.npy, passages.npz): the postings hold the tf-idf values as float32; the
passage rows (read per query for MMR) hold only feature ids and term counts (``RowStore`` recomputes their
values), so no float is stored twice.

The live index of a data directory is a ``SegmentedIndex`` in an ``IndexStore`` (``store``), published
atomically. In-process, ``IndexHolder`` keeps a reference to the loaded index and swaps it under a lock when a
new version is published — by this process or another.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from app.retrieve.arrays import InMemory, NpyFile, RowStore, TextStore
from app.retrieve.features import RetrievalTokenizer
from app.retrieve.index import TfidfIndex
from app.retrieve.search import PASSAGE_ARRAYS
from app.retrieve.segment_io import IN_MEMORY_MAX_BYTES, IndexFormatError
from app.retrieve.segmented import SegmentedIndex
from app.retrieve.store import IndexStore

__all__ = ["IndexFormatError", "IndexHolder", "IndexStore", "load_index", "save_index"]

log = logging.getLogger(__name__)

FORMAT = 2  # 2: rows as feature ids and counts (1 stored their float values too), postings as .npy (not .npz)


def save_index(index: TfidfIndex, directory: Path) -> None:
    """Write a fitted index into ``directory`` (created; must not hold another index)."""
    directory.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": FORMAT,
        "params": index.get_params(),
        "n_passages": index.n_passages_,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "word_terms": index.word_terms_,
        "bigram_terms": index.bigram_terms_,
        "heading_paths": index.heading_paths_,
        "documents": [index.documents_[d] for d in sorted(index.documents_)],
    }
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    np.save(directory / "word_idf.npy", index.word_idf_)
    np.save(directory / "bigram_idf.npy", index.bigram_idf_)
    for name in ("indptr", "indices", "data"):  # plain .npy: read ~3x faster than from an .npz container
        np.save(directory / f"postings_{name}.npy", getattr(index.postings_, name))
    rows = index.rows_
    np.save(directory / "rows_indptr.npy", rows.indptr)
    np.save(directory / "rows_indices.npy", rows.indices.full())
    np.save(directory / "rows_counts.npy", rows.counts.full())
    np.save(directory / "rows_scale.npy", rows.scale)
    np.save(directory / "texts_blob.npy", index.texts_.blob.full())
    np.save(directory / "texts_offsets.npy", np.asarray(index.texts_.offsets))
    np.savez(  # the filter arrays too: deriving them again parses every document's date at start-up
        directory / "passages.npz",
        **{name: getattr(index, f"{name}_") for name in PASSAGE_ARRAYS},
    )


def load_index(directory: Path, on_disk: bool | None = None) -> TfidfIndex:
    """Read an index written by ``save_index``.

    With ``on_disk`` passage vectors and texts stay in their files and each query reads the few it needs with
    ``pread``; only the postings and the filter arrays are held in memory. By default that happens when the
    vectors and texts would take more than ``IN_MEMORY_MAX_BYTES``; below that they are memory-mapped.
    """
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise IndexFormatError(
            f"{directory}: index format {meta.get('format')} is not {FORMAT}; rebuild it (bigan mine)"
        )
    params = meta["params"]
    index = TfidfIndex(**params)
    index.word_terms_ = meta["word_terms"]
    index.bigram_terms_ = meta["bigram_terms"]
    index.heading_paths_ = meta["heading_paths"]
    index.documents_ = {int(d["id"]): d for d in meta["documents"]}
    index.word_idf_ = np.load(directory / "word_idf.npy", allow_pickle=False)
    index.bigram_idf_ = np.load(directory / "bigram_idf.npy", allow_pickle=False)
    indptr, indices, data = (
        np.load(directory / f"postings_{name}.npy", allow_pickle=False) for name in ("indptr", "indices", "data")
    )
    shape = (len(indptr) - 1, int(meta["n_passages"]))  # features × passages
    index.postings_ = sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    if on_disk is None:
        names = ("rows_indices.npy", "rows_counts.npy", "texts_blob.npy")
        on_disk = sum((directory / name).stat().st_size for name in names) > IN_MEMORY_MAX_BYTES
    # Held rows and texts are memory-mapped rather than read: start-up does not wait for them, and their pages
    # become resident as queries touch them, never more than reading them whole would take.
    # (as plain ndarray views: np.memmap's Python-level __getitem__ would add frames to every lookup).
    reader = NpyFile if on_disk else (lambda path: InMemory(_mapped(path)))
    index.rows_ = RowStore(
        np.load(directory / "rows_indptr.npy", allow_pickle=False),
        reader(directory / "rows_indices.npy"),
        reader(directory / "rows_counts.npy"),
        np.concatenate((index.word_idf_, index.bigram_idf_)),
        len(index.word_terms_),
        np.load(directory / "rows_scale.npy", allow_pickle=False),
    )
    index.texts_ = TextStore(
        reader(directory / "texts_blob.npy"), np.load(directory / "texts_offsets.npy", allow_pickle=False)
    )
    with np.load(directory / "passages.npz", allow_pickle=False) as arrays:
        for name in PASSAGE_ARRAYS:
            setattr(index, f"{name}_", arrays[name])
    index._prepare()
    index.tokenizer_ = RetrievalTokenizer(index.lexicon_dir, index.extra_words)
    return index


def _mapped(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


class IndexHolder:
    """The index a process answers from. ``get`` is lock-free for readers; a newer published version (from
    this process or from ``bigan ingest`` in another) is loaded on the side and swapped in under a lock.
    """

    def __init__(self, store: IndexStore, check_interval: float = 0.0) -> None:
        self.store = store
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._live: tuple[str | None, SegmentedIndex | None] = (None, None)  # replaced whole: reads are atomic
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0

    @property
    def version(self) -> str | None:
        return self._live[0]

    def get(self) -> SegmentedIndex | None:
        """The live index (None when none has been built yet), reloading first if a new version was published."""
        return self.current()[1]

    def current(self) -> tuple[str | None, SegmentedIndex | None]:
        """(version, index) of the live index, reloading first if a new version was published.

        While another thread loads a new version, this one answers from the index it has (it waits only when
        it has none yet).
        """
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self._checked = now
            if self.store.stamp() != self._stamp:
                self.reload(wait=self._live[1] is None)
        return self._live

    def reload(self, wait: bool = True) -> None:
        """Load the live version if it is not the one held; readers keep the old index until the swap."""
        if not self._lock.acquire(blocking=wait):
            return
        try:
            stamp = self.store.stamp()
            if stamp == self._stamp and self._live[1] is not None:
                return
            version = self.store.current_version()
            if version is not None and version == self._live[0]:
                self._stamp = stamp
                return
            try:
                loaded = self.store.load_current(previous=self._live[1])  # its segments are not read again
            except Exception:  # a broken version must not take search down: keep answering from the old one
                log.exception("could not load index from %s", self.store.root)
                return
            self._stamp = stamp
            if loaded is not None:
                self._live = loaded
        finally:
            self._lock.release()

    def swap(self, version: str, index: SegmentedIndex) -> None:
        """Install an index built in this process (already published as ``version``)."""
        with self._lock:
            self._live = (version, index)
            self._stamp = self.store.stamp()
