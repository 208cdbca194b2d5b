"""Leave-one-out reconstruction (issue 13): redraft each real speech from its own title, date and topics with
that speech removed from the corpus, and compare the draft with what the human wrote. This module is the harness;
the request and the metrics are defined (and documented) in ``benchmarks.draft_metrics``.

``reconstruct`` runs one checkout's CLI (``app.cli``, ``PYTHONPATH=<checkout>``) in a child process: the
``driver`` below imports the project once, then each fold runs in a process forked from it (fresh state, no
caches shared between folds), ``workers`` at a time. Strategy ``remove``: ingest everything once into a
template database, then per fold copy it and ``bigan documents remove ID`` (re-mines, re-indexes); ``ingest``:
``bigan db upgrade`` + ``bigan ingest --max-seconds 0`` of the other documents. Then ``bigan phrasebank
export`` and ``bigan draft --from-json REQ -f json``.

Module level imports the standard library only: the driver half of this file is executed by path inside the
measured checkout, whose ``benchmarks`` package may be older and lack ``draft_metrics``, so ``reconstruct`` (run
in the harness process only) imports the metrics itself.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


# ---- the harness ----------------------------------------------------------------------------------------

_BOOT = (
    "import importlib.util as u, sys; s = u.spec_from_file_location('recon_driver', sys.argv[1]); "
    "m = u.module_from_spec(s); sys.modules['recon_driver'] = m; s.loader.exec_module(m); m.driver(sys.argv[2])"
)
_PRELOAD = (
    "app.cli", "app.cli_draft", "app.migrate", "app.ingest.store", "app.ingest.pipeline", "app.phrasebank.service",
    "app.retrieve.service", "app.compose.service", "app.compose.output.render", "app.compose.output.docx",
)  # fmt: skip


@dataclass
class Run:
    """One checkout measured: per-fold numbers (file names and figures only) and what the driver reported."""

    checkout: str
    folds: list[dict[str, Any]]
    meta: dict[str, Any]
    seconds: float
    targets: dict[str, list[str]] = field(default_factory=dict)  # bank text: kept in memory, never written

    def mean(self, key: str) -> tuple[float | None, int]:
        values = [f[key] for f in self.folds if f.get(key) is not None]
        return (sum(values) / len(values) if values else None), len(values)


def fold_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _env(checkout: Path, workdir: Path) -> dict[str, str]:
    pinned = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return {**os.environ, **pinned, "PYTHONPATH": str(checkout), "DATABASE_URL": "", "BIGAN_DATA_DIR": str(workdir)}


def outline_records(checkout: Path, paths: Sequence[Path], workdir: Path) -> dict[str, dict[str, Any]]:
    """``bigan outline --json`` of each file, run by ``checkout``: path → record."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "outline", "--json", *map(str, paths)],
        cwd=checkout, env=_env(checkout, workdir), capture_output=True, text=True, check=False,
    )  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {str(path): record for path, record in zip(paths, records, strict=False)}


def reconstruct(
    cases: Sequence[tuple[Path, dict[str, Any] | None]],
    workdir: Path,
    checkout: Path = REPO_ROOT,
    *,
    reference: Path | None = None,
    targets: dict[str, list[str]] | None = None,
    strategy: str = "remove",
    workers: int = 2,
) -> Run:
    """Leave out each qualifying speech of ``cases`` (every case is corpus) in turn and score ``checkout``'s draft.

    ``reference`` parses the human side (default: ``checkout``); ``targets`` (fold → formulations, from another
    run) fixes the formulation targets so two versions are scored on the same ones (default: this fold's bank).
    """
    from benchmarks.draft_metrics import build_request, formulation_targets, human_sections, is_fold, score_fold

    started = time.perf_counter()
    checkout, workdir = checkout.resolve(), workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    folds = [(path.resolve(), gold) for path, gold in cases if gold is not None and is_fold(gold)]
    records = outline_records(reference or checkout, [p for p, _ in folds], workdir)
    job: dict[str, Any] = {"strategy": strategy, "workers": workers, "template": str(workdir / "template")}
    job["corpus"] = [str(path.resolve()) for path, _ in cases]
    job["folds"], humans = [], {}
    for i, (path, gold) in enumerate(folds):
        humans[str(path)] = human_sections(records.get(str(path), {}))
        fold_dir = workdir / f"fold{i:03d}"
        fold_dir.mkdir(exist_ok=True)
        (fold_dir / "request.json").write_text(json.dumps(build_request(gold, humans[str(path)]), ensure_ascii=False))
        export = targets is None or fold_name(path) not in targets  # the bank is only read for the targets
        job["folds"].append({"path": str(path), "dir": str(fold_dir), "export": export})
    (workdir / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (workdir / "driver.log").open("w") as log:
        subprocess.run(
            [sys.executable, "-c", _BOOT, __file__, str(workdir / "job.json")],
            cwd=checkout, env=_env(checkout, workdir / "unused"), stdout=log, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    meta_path = workdir / "driver.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {"error": "driver failed, see driver.log"}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the driver and every fold process it forked
    meta["cpu_s"] = round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 1)
    run = Run(str(checkout), [], {**meta, "outlined": len(records)}, 0.0)
    for (path, gold), spec in zip(folds, job["folds"], strict=True):
        fold_dir = Path(spec["dir"])
        status_path = fold_dir / "status.json"
        status = json.loads(status_path.read_text()) if status_path.exists() else {"error": "no status"}
        request = json.loads((fold_dir / "request.json").read_text())
        row = {"fold": fold_name(path), "parts": request["parts"], "topics": len(request["topics"]), **status}
        row["human_l1"] = sum(h.level == 1 for h in humans[str(path)])
        row["human_l2"] = sum(h.level == 2 for h in humans[str(path)])
        if targets is not None and fold_name(path) in targets:
            run.targets[fold_name(path)], row["targets_from"] = targets[fold_name(path)], "reference run"
        elif (fold_dir / "bank.jsonl").exists():
            entries = [json.loads(line) for line in (fold_dir / "bank.jsonl").read_text().splitlines() if line]
            human_text = records.get(str(path), {}).get("text", "")
            run.targets[fold_name(path)] = formulation_targets(entries, human_text)
            row["targets_from"] = "own bank"
        if status.get("ok") and (fold_dir / "draft.json").exists():
            draft = json.loads((fold_dir / "draft.json").read_text())
            row.update(score_fold(draft, gold, humans[str(path)], run.targets.get(fold_name(path), [])))
        run.folds.append(row)
    run.seconds = time.perf_counter() - started
    return run


# ---- the driver: runs inside the measured checkout's interpreter ------------------------------------------


def _cli(*args: str, check: bool = True) -> str:
    """One ``bigan`` command in this process; its stdout."""
    import contextlib
    import io

    from app.cli import app  # the measured checkout's CLI

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = app(args=list(args), prog_name="bigan", standalone_mode=False)
    if check and code not in (0, None):
        raise RuntimeError(f"bigan {args[0]} exited {code}")
    return out.getvalue()


def _template(job: dict[str, Any]) -> None:
    os.environ["BIGAN_DATA_DIR"] = job["template"]
    _cli("db", "upgrade")
    _cli("ingest", "--max-seconds", "0", *job["corpus"], check=False)
    rows = [json.loads(line) for line in _cli("documents", "list", "--json", "--limit", "100000").splitlines()]
    ids = {str(Path(r["source"]).resolve()): r["id"] for r in rows if r.get("source") and not r.get("duplicate_of_id")}
    Path(job["template"], "ids.json").write_text(json.dumps(ids))


def _fold(task: tuple[dict[str, Any], dict[str, Any]]) -> None:
    job, fold = task
    folder = Path(fold["dir"])
    data = folder / "data"
    os.environ["BIGAN_DATA_DIR"] = str(data)
    status: dict[str, Any] = {"ok": False}
    started, cpu = time.perf_counter(), time.process_time()
    try:
        ids = json.loads(Path(job["template"], "ids.json").read_text()) if job["strategy"] == "remove" else {}
        shutil.rmtree(data, ignore_errors=True)
        if fold["path"] in ids:
            shutil.copytree(job["template"], data, symlinks=True, ignore=shutil.ignore_patterns("ids.json"))
            _cli("documents", "remove", str(ids[fold["path"]]))
            status["setup"] = "remove"
        else:
            _cli("db", "upgrade")
            _cli("ingest", "--max-seconds", "0", *(p for p in job["corpus"] if p != fold["path"]), check=False)
            status["setup"] = "ingest"
        status.update(setup_s=round(time.perf_counter() - started, 2), setup_cpu=round(time.process_time() - cpu, 2))
        if fold.get("export", True):
            _cli("phrasebank", "export", "--out", str(folder / "bank.jsonl"))
        drafted, cpu = time.perf_counter(), time.process_time()
        _cli("draft", "--from-json", str(folder / "request.json"), "-f", "json", "-o", str(folder / "draft.json"))
        status.update(
            ok=True, draft_s=round(time.perf_counter() - drafted, 2), draft_cpu=round(time.process_time() - cpu, 2)
        )
    except BaseException as error:  # a version that fails is a finding, not a harness crash
        status["error"] = type(error).__name__
        print(f"{fold['path']}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
    shutil.rmtree(data, ignore_errors=True)  # the draft and the bank are all the scoring reads
    (folder / "status.json").write_text(json.dumps(status))


def driver(job_path: str) -> None:
    """Import the checkout once, build the template, then each fold in a fresh fork of this process."""
    import importlib
    import multiprocessing

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    started = time.perf_counter()
    meta: dict[str, Any] = {"preload_errors": []}
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as error:
            meta["preload_errors"].append(f"{name}: {type(error).__name__}")
    with __import__("contextlib").suppress(Exception):
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
    with __import__("contextlib").suppress(Exception):
        from app.compose.request import DraftRequest

        meta["detail_default"] = DraftRequest.model_fields["detail"].default
    meta["app"] = str(Path(importlib.import_module("app").__file__ or "").parent)
    meta["preload_s"] = round(time.perf_counter() - started, 2)
    context = multiprocessing.get_context("fork")
    if job["strategy"] == "remove":
        started = time.perf_counter()
        builder = context.Process(target=_template, args=(job,))
        builder.start()
        builder.join()
        meta["template_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    with context.Pool(job["workers"], maxtasksperchild=1) as pool:
        pool.map(_fold, [(job, fold) for fold in job["folds"]], chunksize=1)
    meta["folds_s"] = round(time.perf_counter() - started, 2)
    Path(job_path).with_name("driver.json").write_text(json.dumps(meta))
