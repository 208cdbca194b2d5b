"""``bigan ingest`` of a whole archive: legacy files converted in batches, every file ingested, a tally by format.

Files are taken in groups of ``GROUP_FILES``. The .doc/.wps/.odt/.rtf files of a group that are new to the
database go through one LibreOffice run (``convert.convert_batch``): starting LibreOffice costs ~2 s and
converting a document once it runs ~0.2 s, so one run per group instead of one per file makes a folder of old
Word files several times faster (``benchmarks/bench_convert.py``). The converted .docx is then parsed in the
parse child like any file, under the same time limit. A file the batch could not settle (the run was stopped
while on it) is converted again on its own in the parse child, where its own time limit decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.ingest.errors import IngestError
from app.ingest.isolate import Parser
from app.ingest.read.convert import LEGACY_FORMATS, content_kind, convert_batch
from app.ingest.read.formats import ReadLimits, load_file
from app.ingest.store import IngestOutcome, ingest_path, is_stored

# Big enough that LibreOffice's start-up is spread thin, small enough that results appear as the run goes
# and a group's converted files (kept in memory until parsed) stay a few megabytes.
GROUP_FILES = 32


def ingest_files(
    factory: sessionmaker[Session],
    paths: Iterable[Path],
    limits: ReadLimits,
    parse: Parser | None,
    seconds_each: float | None,
) -> Iterator[tuple[Path, IngestOutcome]]:
    """Ingest files in order, yielding each with its outcome as soon as it is known.

    ``seconds_each`` is the per-file time limit (``None``: none), which a batch conversion applies to each file.
    """
    files = iter(paths)
    while group := list(islice(files, GROUP_FILES)):
        converted = _convert_new_legacy_files(factory, group, limits, seconds_each)
        for path in group:
            result = converted.get(path)
            if isinstance(result, IngestError):
                yield path, IngestOutcome(str(path), "rejected", reason=result.reason, code=result.code)
            else:
                yield path, ingest_path(factory, path, limits, parse, converted=result)


def _convert_new_legacy_files(
    factory: sessionmaker[Session], group: list[Path], limits: ReadLimits, seconds_each: float | None
) -> dict[Path, bytes | IngestError]:
    """The group's legacy files that LibreOffice must convert and that are not stored yet, converted in one run.

    A file that cannot be loaded, is stored already, or is not what LibreOffice reads (a .doc that is really
    HTML) is left out: ``ingest_path`` says why, or reads it with its own reader."""
    batch: list[tuple[Path, bytes, str]] = []
    for path in group:
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in LEGACY_FORMATS:
            continue
        try:
            data = load_file(path, limits)
            if content_kind(data, fmt, limits) != "libreoffice" or is_stored(factory, data):
                continue
        except IngestError:
            continue
        batch.append((path, data, fmt))
    if not batch:
        return {}
    results = convert_batch([(data, fmt) for _, data, fmt in batch], limits, seconds_each)
    return {path: result for (path, _, _), result in zip(batch, results, strict=True) if result is not None}


@dataclass
class Tally:
    """What a run did, by outcome and by file format: the last line ``bigan ingest`` prints."""

    statuses: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    ocr: int = 0

    def add(self, path: Path, outcome: IngestOutcome) -> None:
        self.statuses[outcome.status] += 1
        self.formats[path.suffix.lower().lstrip(".") or "(no extension)"] += 1
        self.ocr += outcome.fmt == "pdf-ocr"

    def summary(self) -> str:
        """``"48 files: 40 added, 5 duplicate, 3 rejected — doc 30 · docx 12 · pdf 4 (OCR 2) · wps 2"``."""
        total = sum(self.statuses.values())
        statuses = ", ".join(f"{self.statuses[s]} {s}" for s in ("added", "duplicate", "rejected"))
        formats = " · ".join(
            f"{fmt} {count}" + (f" (OCR {self.ocr})" if fmt == "pdf" and self.ocr else "")
            for fmt, count in sorted(self.formats.items(), key=lambda item: (-item[1], item[0]))
        )
        return f"{total} file{'s' * (total != 1)}: {statuses} — {formats or 'no files'}"
