"""Saving, loading and atomically swapping fitted indexes — numpy, scipy ``.npz`` and JSON only, never pickle.

Layout under the index root (``settings.data_dir / "index"``)::

    current                 the name of the live version (replaced atomically with os.replace)
    v-<time>-<uuid>/        one fitted index: meta.json, postings_*.npy, rows_*.npy, texts_*.npy, passages.npz

The postings hold the tf-idf values as float32; the passage rows (read per query for MMR) hold only feature ids
and term counts (``RowStore`` recomputes their values), so no float is stored twice.

A build writes ``index.tmp-<uuid>/`` in full, renames it to ``v-…`` and only then points ``current`` at it, so
a reader — in this process or another — sees the old index or the new one, never half of one. In-process,
``IndexHolder`` keeps a reference to the loaded index and swaps it under a lock when ``current`` changes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from app.retrieve.arrays import InMemory, NpyFile, RowStore, TextStore
from app.retrieve.features import RetrievalTokenizer
from app.retrieve.index import TfidfIndex

log = logging.getLogger(__name__)

FORMAT = 2  # 2: rows as feature ids and counts (1 stored their float values too), postings as .npy (not .npz)
POINTER = "current"
IN_MEMORY_MAX_BYTES = 256 * 1024 * 1024  # larger passage rows and texts are read from disk per query (~150k passages)
KEEP_VERSIONS = 2  # the live version and the one before it (a reader may still be loading it)
PASSAGE_ARRAYS = ("passage_ids", "document_ids", "roles", "heading_index", "kinds", "in_domain", "date_lo", "date_hi")


class IndexFormatError(ValueError):
    """The saved index was written by another version of the retriever: it must be rebuilt."""


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


class IndexStore:
    """The versioned index directory: publish a new version atomically, find and load the live one."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def pointer(self) -> Path:
        return self.root / POINTER

    def current_version(self) -> str | None:
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name / "meta.json").exists() else None

    def stamp(self) -> tuple[int, int] | None:
        """A cheap fingerprint of the pointer file (inode, mtime): it changes whenever a version is published."""
        try:
            stat = self.pointer.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def publish(self, index: TfidfIndex) -> str:
        """Write ``index`` as a new version and make it the live one; returns the version name."""
        self.root.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:12]
        building = self.root / f"index.tmp-{token}"
        try:
            save_index(index, building)
            version = f"v-{time.strftime('%Y%m%d%H%M%S')}-{token}"
            os.replace(building, self.root / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _fsync_dir(self.root / version)
        staged = self.root / f"{POINTER}.tmp-{token}"
        staged.write_text(version + "\n", encoding="utf-8")
        os.replace(staged, self.pointer)
        _fsync_dir(self.root)
        self._remove_old(keep=version)
        return version

    def load_current(self) -> tuple[str, TfidfIndex] | None:
        """(version, index) of the live version, or None when none has been built — or when it was built by
        another version of the retriever (callers then rebuild it, as for a missing index)."""
        for _ in range(3):  # the live version can be replaced (and an old one removed) while we read
            version = self.current_version()
            if version is None:
                return None
            try:
                return version, load_index(self.root / version)
            except FileNotFoundError:
                continue
            except IndexFormatError as error:
                log.warning("%s", error)
                return None
        return None

    def _remove_old(self, keep: str) -> None:
        versions = sorted(p for p in self.root.glob("v-*") if p.is_dir() and p.name != keep)
        for old in versions[: max(0, len(versions) - (KEEP_VERSIONS - 1))]:
            shutil.rmtree(old, ignore_errors=True)
        for stale in self.root.glob("index.tmp-*"):
            if time.time() - stale.stat().st_mtime > 3600:  # an interrupted build, long ago
                shutil.rmtree(stale, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class IndexHolder:
    """The index a process answers from. ``get`` is lock-free for readers; a newer published version (from
    this process or from ``bigan ingest`` in another) is loaded on the side and swapped in under a lock.
    """

    def __init__(self, store: IndexStore, check_interval: float = 0.0) -> None:
        self.store = store
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._live: tuple[str | None, TfidfIndex | None] = (None, None)  # replaced whole, so reads are atomic
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0

    @property
    def version(self) -> str | None:
        return self._live[0]

    def get(self) -> TfidfIndex | None:
        """The live index (None when none has been built yet), reloading first if a new version was published."""
        return self.current()[1]

    def current(self) -> tuple[str | None, TfidfIndex | None]:
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
                loaded = self.store.load_current()
            except Exception:  # a broken version must not take search down: keep answering from the old one
                log.exception("could not load index from %s", self.store.root)
                return
            self._stamp = stamp
            if loaded is not None:
                self._live = loaded
        finally:
            self._lock.release()

    def swap(self, version: str, index: TfidfIndex) -> None:
        """Install an index built in this process (already published as ``version``)."""
        with self._lock:
            self._live = (version, index)
            self._stamp = self.store.stamp()
