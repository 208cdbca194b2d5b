"""A segment's files — numpy ``.npy`` / ``.npz`` and JSON only, never pickle — written once, read by ``persist``.

    meta.json                      format, generation, the features' texts, heading paths, documents, stamps
    postings_{indptr,indices,data}.npy, rows_{pointer,features,counts}.npy, texts_{blob,offsets}.npy
    df.npy, s0.npy, passages.npz   document frequencies, norm sums S0, per-passage filter arrays
    norms-<tag>.npz                S1, S2 and the df they reflect, as of some generation (``norms``)

The norm sums change with the corpus, so a segment can gain newer ``norms-*`` files; the manifest names the one
to read, and loading brings it up to date from the postings of the features whose df changed since.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from app.retrieve import rank
from app.retrieve.arrays import InMemory, NpyFile, TextStore
from app.retrieve.norms import NormSums
from app.retrieve.segment import SEGMENT_ARRAYS, Segment

FORMAT = 3  # 3: segments (2: one fitted TfidfIndex a version)
IN_MEMORY_MAX_BYTES = 256 * 1024 * 1024  # larger passage rows and texts are read from disk per query


class IndexFormatError(ValueError):
    """The saved index was written by another version of the retriever: it must be rebuilt."""


def save_segment(segment: Segment, directory: Path) -> None:
    """Write ``segment`` (without norm sums: ``save_norms``) into the new directory ``directory``."""
    directory.mkdir(parents=True)
    meta = {
        "format": FORMAT,
        "name": segment.name,
        "generation": segment.generation,
        "word_terms": segment.word_terms,
        "bigram_terms": segment.bigram_terms,
        "heading_paths": segment.heading_paths,
        "documents": [segment.documents[d] for d in sorted(segment.documents)],
        "stamps": {str(d): stamp for d, stamp in segment.stamps.items()},
    }
    _write(directory / "meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    arrays = {
        "postings_indptr": segment.postings.indptr,
        "postings_indices": segment.postings.indices,
        "postings_data": segment.postings.data,
        "rows_pointer": segment.row_pointer,
        "rows_features": segment.row_features.full(),
        "rows_counts": segment.row_counts.full(),
        "texts_blob": segment.texts.blob.full(),
        "texts_offsets": np.asarray(segment.texts.offsets),
        "df": segment.df,
        "s0": segment.s0,
    }
    for name, array in arrays.items():
        with (directory / f"{name}.npy").open("wb") as handle:
            np.save(handle, array)
            _flush(handle)
    with (directory / "passages.npz").open("wb") as handle:
        np.savez(handle, **{name: segment.arrays[name] for name in SEGMENT_ARRAYS})
        _flush(handle)
    fsync_dir(directory)


def save_norms(sums: NormSums, path: Path) -> None:
    """Write norm sums atomically (a reader sees the whole file or none)."""
    staged = path.with_name(f".{path.name}.tmp")
    with staged.open("wb") as handle:
        np.savez(handle, s1=sums.s1, s2=sums.s2, df_seen=sums.df_seen)
        _flush(handle)
    os.replace(staged, path)
    fsync_dir(path.parent)


def load_norms(path: Path) -> NormSums:
    with np.load(path, allow_pickle=False) as arrays:
        return NormSums(arrays["s1"], arrays["s2"], arrays["df_seen"])


def load_segment(directory: Path, norms_file: str, on_disk: bool | None = None) -> Segment:
    """Read a segment and the norm sums in ``norms_file``. Passage rows and texts stay in their files (read per
    query with ``pread``) when ``on_disk``, by default when they exceed ``IN_MEMORY_MAX_BYTES``; otherwise they
    are memory-mapped, so start-up does not wait for them."""
    meta: dict[str, Any] = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise IndexFormatError(f"{directory}: segment format {meta.get('format')} is not {FORMAT}; rebuild the index")

    def held(name: str) -> np.ndarray:
        return np.load(directory / f"{name}.npy", allow_pickle=False)

    if on_disk is None:
        names = ("rows_features.npy", "rows_counts.npy", "texts_blob.npy")
        on_disk = sum((directory / name).stat().st_size for name in names) > IN_MEMORY_MAX_BYTES
    reader = NpyFile if on_disk else (lambda path: InMemory(_mapped(path)))
    n_features = len(meta["word_terms"]) + len(meta["bigram_terms"])
    with np.load(directory / "passages.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in SEGMENT_ARRAYS}
    postings = sp.csr_matrix(
        (held("postings_data"), held("postings_indices"), held("postings_indptr")),
        shape=(n_features, len(arrays["passage_ids"])),
        copy=False,
    )
    return Segment(
        name=meta["name"],
        generation=int(meta["generation"]),
        word_terms=meta["word_terms"],
        bigram_terms=meta["bigram_terms"],
        postings=rank.kernel_ready(postings),
        row_pointer=held("rows_pointer"),
        row_features=reader(directory / "rows_features.npy"),
        row_counts=reader(directory / "rows_counts.npy"),
        df=held("df"),
        s0=held("s0"),
        sums=load_norms(directory / norms_file),
        texts=TextStore(reader(directory / "texts_blob.npy"), held("texts_offsets")),
        arrays=arrays,
        heading_paths=meta["heading_paths"],
        documents={int(d["id"]): d for d in meta["documents"]},
        stamps={int(d): stamp for d, stamp in meta["stamps"].items()},
    )


def _mapped(path: Path) -> np.ndarray:
    # a plain ndarray view: np.memmap's Python-level __getitem__ would add frames to every lookup
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


def _write(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        _flush(handle)


def _flush(handle: Any) -> None:
    """On disk before the manifest that names the file is: a crash then leaves the previous index whole."""
    handle.flush()
    os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
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
