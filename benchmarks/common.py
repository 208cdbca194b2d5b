"""What every benchmark shares: result rows, machine facts, peak memory, a synthetic corpus."""

from __future__ import annotations

import os
import platform
import random
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"


@dataclass(frozen=True)
class Row:
    """One measured figure beside its peer, measured in the same run."""

    benchmark: str
    measure: str
    value: float
    unit: str
    peer: str = ""
    peer_value: float | None = None
    goal: str = ""
    met: bool | None = None


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    versions = []
    for package in ("jieba", "rjieba", "scikit-learn", "numpy", "opencc", "SQLAlchemy", "fastapi"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "packages": ", ".join(versions),
        "commit": _git_commit(),
    }


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_sentences() -> list[str]:
    """Sentences of the bundled corpus (simplified, cleaned) — the material synthetic corpora recombine."""
    from app.ingest.pipeline import prepare
    from app.ingest.read.formats import read_path

    sentences: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = prepare(read_path(path)).text
        sentences.extend(s for s in re.split(r"(?<=[。！？；])", text.replace("\n", "")) if len(s) >= 8)
    return sentences


def synthetic_text(target_chars: int, seed: int = 7) -> str:
    """Paragraphs of recombined real sentences, about ``target_chars`` long (seeded, reproducible)."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    parts: list[str] = []
    size = 0
    while size < target_chars:
        paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)
