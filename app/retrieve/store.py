"""The live passage index on disk: segments written once, and a manifest replaced atomically to publish a change.

Layout under the index root (``settings.data_dir / "index"``)::

    current              the manifest (JSON): format, version, generation, parameters, what the database held
                         (as the caller described it), and the segments with their norm-sums file and the
                         documents deleted from each
    segments/<name>/     one segment (``segment_io``)
    .lock                held while a writer reads, changes and publishes the index (across processes)

Publishing writes the new segments and norm-sums files first (each file synced), then a new manifest beside
``current``, and only then moves it over ``current`` with ``os.replace``. A reader — in this process or
another — sees the old index or the new one, never half of one; a crash at any point leaves the last published
index whole, and the files of an unpublished change are removed by the next publish. Segments of the previous
manifest are kept one round, for readers still loading it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from app.retrieve import norms
from app.retrieve.parts import Part
from app.retrieve.segment_io import (
    FORMAT,
    IndexFormatError,
    fsync_dir,
    load_norms,
    load_segment,
    save_norms,
    save_segment,
)
from app.retrieve.segmented import SegmentedIndex

log = logging.getLogger(__name__)

POINTER = "current"
SEGMENTS = "segments"
REWRITE_DRIFT = 0.25  # rewrite a segment's norm sums once loading them would read this share of its postings
_HELD = threading.local()  # index roots whose lock this thread holds (the lock is re-entered, not re-taken)


class IndexStore:
    """The versioned index directory: publish a new version atomically, find and load the live one."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def pointer(self) -> Path:
        return self.root / POINTER

    def manifest(self) -> dict[str, Any] | None:
        """The live manifest, or None when no index was published (or one of an older layout)."""
        try:
            manifest = json.loads(self.pointer.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) and "version" in manifest else None

    def current_version(self) -> str | None:
        manifest = self.manifest()
        return None if manifest is None else str(manifest["version"])

    def stamp(self) -> tuple[int, int] | None:
        """A cheap fingerprint of the manifest file (inode, mtime): it changes whenever a version is published."""
        try:
            stat = self.pointer.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across processes (and threads) for one writer's read, change and publish; re-entrant."""
        held: set[Path] = _HELD.__dict__.setdefault("roots", set())
        key = self.root.resolve()
        if key in held:
            yield
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held.add(key)
            try:
                yield
            finally:
                held.discard(key)
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self, index: SegmentedIndex, database: dict[str, Any] | None = None) -> str:
        """Write ``index`` — its segments not yet on disk, and fresh norm sums where the saved ones drifted —
        and make it the live version; returns the version name. ``database`` describes what the database held
        (stored in the manifest, read back as ``index.database_``)."""
        with self.lock():
            previous = self.manifest()
            folder = self.root / SEGMENTS
            folder.mkdir(parents=True, exist_ok=True)
            token = uuid.uuid4().hex[:10]
            entries = []
            for i, part in enumerate(index.parts_):
                directory = folder / part.segment.name
                if not (directory / "meta.json").exists():
                    staged = folder / f"tmp-{token}-{i}"
                    save_segment(part.segment, staged)
                    os.replace(staged, directory)
                if part.saved is None or _drifted(part):
                    name = f"norms-{index.generation_:07d}-{token}.npz"
                    save_norms(part.sums, directory / name)
                    part = index.parts_[i] = Part(part.segment, part.live, part.sums, part.dead_df, (name, part.sums))
                assert part.saved is not None
                deleted = np.unique(part.segment.arrays["document_ids"][~part.live]).tolist()
                entries.append({"name": part.segment.name, "norms": part.saved[0], "deleted": deleted})
            fsync_dir(folder)
            version = f"g{index.generation_:07d}-{token}"
            manifest = {
                "format": FORMAT,
                "version": version,
                "generation": index.generation_,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "params": index.get_params(),
                "database": database,
                "segments": entries,
                "previous": previous["segments"] if previous and previous.get("format") == FORMAT else [],
            }
            staged_manifest = self.root / f"{POINTER}.tmp-{token}"
            with staged_manifest.open("w", encoding="utf-8") as handle:
                json.dump(manifest, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(staged_manifest, self.pointer)
            fsync_dir(self.root)
            index.database_ = database
            self._remove_unused(manifest)
        return version

    def load_current(self, previous: SegmentedIndex | None = None) -> tuple[str, SegmentedIndex] | None:
        """(version, index) of the live version, or None when none has been built — or when it was built by
        another version of the retriever (callers then rebuild it, as for a missing index). Segments that
        ``previous`` (an index loaded before) holds are taken from it rather than read again."""
        for _ in range(3):  # the live version can be replaced (and an old one removed) while we read
            manifest = self.manifest()
            if manifest is None:
                return None
            try:
                if manifest.get("format") != FORMAT:
                    raise IndexFormatError(f"{self.pointer}: index format {manifest.get('format')} is not {FORMAT}")
                return str(manifest["version"]), self._load(manifest, previous)
            except FileNotFoundError:
                continue
            except IndexFormatError as error:
                log.warning("%s; rebuild the index (bigan mine)", error)
                return None
        return None

    def _load(self, manifest: dict[str, Any], previous: SegmentedIndex | None) -> SegmentedIndex:
        params = manifest["params"]
        index = SegmentedIndex(**params)
        same = previous is not None and previous.get_params() == index.get_params()
        held = {part.segment.name: part for part in previous.parts_} if same and previous else {}
        parts = []
        for entry in manifest["segments"]:
            directory = self.root / SEGMENTS / entry["name"]
            old = held.get(entry["name"])
            if old is None:
                segment = load_segment(directory, entry["norms"])
                saved = (entry["norms"], segment.sums)
                sums = segment.sums
            else:  # its current sums are as good as the file's: refreshing them reads only what changed since
                segment, sums = old.segment, old.sums
                same_file = old.saved is not None and old.saved[0] == entry["norms"]
                saved = old.saved if same_file else (entry["norms"], load_norms(directory / entry["norms"]))
            live = ~np.isin(segment.arrays["document_ids"], np.asarray(entry["deleted"], dtype=np.int64))
            parts.append(Part(segment, live, sums, segment.feature_df(~live), saved))
        return index.assemble(parts, int(manifest["generation"]), previous if same else None, manifest.get("database"))

    def _remove_unused(self, manifest: dict[str, Any]) -> None:
        """Segments and norm-sums files neither manifest names, files of a publish that failed or was killed
        (no other writer runs: the lock is held), and the one-directory-per-version layout of format 2."""
        kept: dict[str, set[str]] = {}
        for entry in manifest["segments"] + manifest["previous"]:
            kept.setdefault(entry["name"], set()).add(entry["norms"])
        for path in (self.root / SEGMENTS).iterdir():
            if path.name not in kept:
                shutil.rmtree(path, ignore_errors=True)
                continue
            for old in path.glob("norms-*.npz"):
                if old.name not in kept[path.name]:
                    old.unlink(missing_ok=True)
        for stale in [*self.root.glob(f"{POINTER}.tmp-*"), *self.root.glob("index.tmp-*"), *self.root.glob("v-*")]:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def _drifted(part: Part) -> bool:
    """Whether loading the saved norm sums would read over ``REWRITE_DRIFT`` of the segment's postings."""
    assert part.saved is not None
    moved = norms.drift(part.sums, part.saved[1], part.segment.postings)
    return moved > REWRITE_DRIFT * max(part.segment.postings.nnz, 1)
