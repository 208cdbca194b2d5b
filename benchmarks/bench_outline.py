"""`bigan outline --json` over 50 files in one call (goal: well under 10 s), beside jieba.lcut on the same text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import CORPUS, REPO_ROOT, Row, synthetic_text

FILES = 50


def _make_files(folder: Path) -> list[Path]:
    seeds = sorted(CORPUS.glob("*.txt"))
    paths = []
    for index in range(FILES):
        target = folder / f"{index:03d}.txt"
        if index < len(seeds):
            shutil.copy(seeds[index], target)
        else:
            # recombined real sentences under a speech title, so every file is a different document
            body = synthetic_text(4000, seed=index)
            target.write_text(f"在全市精神文明建设工作会议上的讲话\n同志们：\n{body}\n", encoding="utf-8")
        paths.append(target)
    return paths


def run(quick: bool = False) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = _make_files(Path(tmp))
        bigan = Path(sys.executable).parent / "bigan"
        started = time.perf_counter()
        subprocess.run(
            [str(bigan), "outline", "--json", *map(str, paths)], check=True, capture_output=True, cwd=REPO_ROOT
        )
        outline_seconds = time.perf_counter() - started
        text = "".join(p.read_text(encoding="utf-8") for p in paths)
        peer_code = "import jieba,sys; jieba.initialize(); jieba.lcut(sys.stdin.read())"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", peer_code], input=text, text=True, check=True, capture_output=True)
        peer_seconds = time.perf_counter() - started
    return [
        Row(
            "outline",
            f"bigan outline --json, {FILES} files ({len(text) / 1e6:.2f} M chars), whole command",
            round(outline_seconds, 2),
            "s",
            "python -c jieba.lcut (same text, incl. start-up)",
            round(peer_seconds, 2),
            "well under 10 s",
            outline_seconds < 10,
        )
    ]
