"""Issue 13: leave-one-out reconstruction of every real speech (``benchmarks.draft_reconstruction``), the
working tree measured beside a base commit in the same run.

``BASE=<commit> make bench`` (or ``BASE=<commit> python -m benchmarks.run --only bench_reconstruction``);
BASE defaults to HEAD, ``BASE=none`` measures the working tree only. The working tree is measured from a
snapshot (``git ls-files -co --exclude-standard`` copied aside), the base from ``git archive BASE`` — no
git state changes, and edits made while the benchmark runs do not leak into it. Both run with this venv's
interpreter and ``PYTHONPATH=<copy>``. The human side (outline, roles) is parsed by the working tree's
copy, and the formulation targets come from its fold banks, so both versions are scored against the same
reference. ``RECON_STRATEGY=remove|ingest`` picks how fold databases are built (default remove);
``SHARED=<dir>`` points at the shared corpus (default ../shared; skipped with a note when absent).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, Row
from benchmarks.draft_metrics import is_fold
from benchmarks.draft_reconstruction import Run, reconstruct

SHARED = Path(os.environ.get("SHARED") or REPO_ROOT.parent / "shared")
METRICS = (
    ("roles_l1", "roles L1: share of the human's level-1 section roles the draft's level-1 sections carry"),
    ("roles_l2", "roles L2: same for level-2 sections (speeches with level-2 sections)"),
    ("heading_l1", "heading overlap L1: best bigram Dice of each human level-1 heading with a draft one, mean"),
    ("heading_l2", "heading overlap L2: same for level-2 headings"),
    ("recall_body", "formulation recall: human's distinctive formulations found in the draft body"),
    ("recall_all", "formulation recall, alternatives and every suggestion included"),
    ("subject_l1", "subject precision L1: drafted sentences closest to their mapped human level-1 section"),
    ("subject_l2", "subject precision L2: same at level 2 (speeches with ≥ 2 human level-2 sections)"),
)
_NOTES: list[str] = []
_SECTION: list[str] = []


def discover(shared: Path = SHARED) -> tuple[list[tuple[Path, dict[str, Any] | None]], list[str]]:
    """Every document of the corpora the project holds, with its gold annotation where there is one."""
    notes: list[str] = []
    cases: list[tuple[Path, dict[str, Any] | None]] = []
    gold_dir = shared / "corpus" / "gold"

    def gold(path: Path) -> dict[str, Any] | None:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    for path in sorted((REPO_ROOT / "corpus").glob("*.txt")):
        cases.append((path, gold(gold_dir / f"{path.stem}.json")))
    if (shared / "corpus" / "dev").is_dir():
        cases += [
            (path, gold(gold_dir / f"{path.stem}.json")) for path in sorted((shared / "corpus/dev").glob("*.txt"))
        ]
    else:
        notes.append(f"{shared} not found: ../shared/corpus/dev skipped, bundled corpus has no gold (not left out).")
    for folder in sorted((REPO_ROOT / "tests" / "data").glob("holdout*")):
        for annotation in sorted(folder.glob("*.json")):
            files = [p for p in folder.glob(f"{annotation.stem}.*") if p.suffix != ".json"]
            cases += [(path, gold(annotation)) for path in sorted(files)[:1]]
    return cases, notes


def snapshot_worktree(dest: Path) -> Path:
    """The working tree as it is now: tracked and untracked files (not ignored ones), copied to ``dest``."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listing.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def export_commit(commit: str, dest: Path) -> tuple[Path, str]:
    """``git archive`` of ``commit`` unpacked in ``dest`` (reads objects only); (folder, short sha)."""
    sha = subprocess.run(["git", "rev-parse", "--short", commit], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    tar = subprocess.run(["git", "archive", "--format=tar", sha], cwd=REPO_ROOT, capture_output=True, check=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(dest, filter="data")
    return dest, sha


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _works(run: Run) -> bool:
    return any(fold.get("ok") for fold in run.folds)


def run(quick: bool = False) -> list[Row]:
    _NOTES.clear()
    _SECTION.clear()
    cases, notes = discover()
    _NOTES.extend(notes)
    if quick:  # the whole corpus, but only every fifth speech left out
        folds = [path for path, gold in cases if gold is not None and is_fold(gold)][::5]
        cases = [(path, gold if path in folds else None) for path, gold in cases]
    base_name = os.environ.get("BASE", "HEAD")
    strategy = os.environ.get("RECON_STRATEGY", "remove")
    with tempfile.TemporaryDirectory(prefix="bigan-recon-") as tmp:
        work = Path(tmp)
        current_dir = snapshot_worktree(work / "current-checkout")
        current = reconstruct(cases, work / "current", current_dir, strategy=strategy)
        runs: dict[str, Run] = {}
        if _works(current):
            runs["working tree"] = current
        else:
            _NOTES.append(f"working tree does not draft ({_failure(current)}): base measured alone.")
        if base_name.lower() != "none":
            base_dir, sha = export_commit(base_name, work / "base-checkout")
            reference = current_dir if current.meta.get("outlined") else None  # else the base parses the human side
            base = reconstruct(cases, work / "base", base_dir, reference=reference, targets=current.targets,
                               strategy=strategy)  # fmt: skip
            runs[f"{base_name} {sha}" if base_name != sha else sha] = base
    return _rows(runs, strategy)


def _failure(run: Run) -> str:
    errors = sorted({str(f.get("error")) for f in run.folds if f.get("error")})
    preload = run.meta.get("preload_errors") or []
    return "; ".join([*preload, *errors]) or "no folds"


def _rows(runs: dict[str, Run], strategy: str) -> list[Row]:
    names = list(runs)
    if not names:
        _NOTES.append("nothing drafted.")
        return []
    main, peer = runs[names[0]], (runs[names[1]] if len(names) > 1 else None)
    label = "" if names[0] == "working tree" else f" [{names[0]}]"
    rows: list[Row] = []
    for key, measure in METRICS:
        value, count = main.mean(key)
        peer_value = peer.mean(key)[0] if peer else None
        if value is None:
            continue
        rows.append(Row("reconstruction", f"{measure}, {count} speeches{label}", round(100 * value, 1), "%",
                        names[1] if peer else "", None if peer is None else _pct(peer_value)))  # fmt: skip
    for name, measured in runs.items():
        ok = sum(1 for f in measured.folds if f.get("ok"))
        rows.append(Row("reconstruction", f"wall time, {name}: {ok}/{len(measured.folds)} folds drafted, "
                        f"strategy {strategy}, 2 workers", round(measured.seconds, 1), "s",
                        "CPU time of its processes", measured.meta.get("cpu_s")))  # fmt: skip
    _SECTION.extend(_details(runs))
    return rows


def _details(runs: dict[str, Run]) -> list[str]:
    lines = []
    for name, measured in runs.items():
        meta = measured.meta
        modes = sorted({str(f.get("mode")) for f in measured.folds if f.get("ok")})
        setups = Counter(str(f.get("setup")) for f in measured.folds)
        lines.append(
            f"- {name}: default detail `{meta.get('detail_default')}`, drafts read as {', '.join(modes)}; "
            f"import {meta.get('preload_s')} s, template {meta.get('template_s', '-')} s, "
            f"folds {meta.get('folds_s')} s wall, {meta.get('cpu_s')} s CPU; fold databases by "
            + ", ".join(f"{k} {v}" for k, v in setups.items())
        )
    keys = ("roles_l1", "roles_l2", "heading_l1", "heading_l2", "recall_body", "recall_all", "subject_l1", "subject_l2")
    header = (
        "| speech | version | parts | topics | targets | sentences | " + " | ".join(keys) + " | setup s | draft s |"
    )
    lines += ["", "<details><summary>Per speech</summary>", "", header, "|" + "---|" * (len(keys) + 8)]
    for name, measured in runs.items():
        for fold in measured.folds:
            cells = [fold["fold"], name, fold["parts"], fold["topics"], fold.get("targets", ""),
                     fold.get("sentences_l1", ""), *("" if fold.get(k) is None else _pct(fold[k]) for k in keys),
                     fold.get("setup_s", ""), fold.get("draft_s", fold.get("error", ""))]  # fmt: skip
            lines.append("| " + " | ".join(map(str, cells)) + " |")
    return [*lines, "", "</details>"]


def report_section() -> str:
    lines = [
        "## Leave-one-out reconstruction (issue 13)",
        "",
        "Each speech whose gold kind is speech with ≥ 2 level-1 headings (bundled corpus, ../shared/corpus/dev,",
        "tests/data/holdout*) is left out of the corpus of all the others and redrafted from its own title",
        "(meeting, speaker, place), date, level-1 count and topics taken from its headings; the draft is compared",
        "with the human's speech. Definitions: `benchmarks/draft_metrics.py`. Value: the working tree; peer:",
        "BASE (default HEAD), same run, same reference (human outline parsed and formulation targets mined by the",
        "working tree). Means over speeches; the L2 rows cover speeches with human level-2 sections only.",
    ]
    lines += [f"- {note}" for note in _NOTES]
    return "\n".join([*lines, *_SECTION]) + "\n"
