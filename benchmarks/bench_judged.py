"""Issue 13: judged relevance of draft suggestions, the working tree beside a base commit in the same run.

Every request of ``tests/data/draft_judgements/requests.json`` is drafted by both versions over the same
corpus (``benchmarks.draft_judged``: bundled corpus plus ../shared/corpus/dev and dev2/raw), and every item —
a drafted sentence, an alternative, a required line — is looked up in the judges' labels
(``tests/data/draft_judgements/labels.jsonl``, keyed by a hash of request, heading and text; the method is
in ``GUIDELINES.md``). A figure is only valid when every item has a label: items no judge has seen yet are
counted and named in the row, never guessed. ``BASE=<commit>`` as for bench_reconstruction (default HEAD;
``none`` measures the working tree only).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks.bench_reconstruction import export_commit, snapshot_worktree
from benchmarks.common import Row
from benchmarks.draft_judged import LABELS, OUT_DIR, REQUESTS, default_corpora, dump, summary

TARGET = 0.80
_NOTES: list[str] = []


def _draft_items(checkout: Path, out: Path, label: str, send_meeting_type: bool) -> Path:
    """Draft every request with ``checkout``; ``send_meeting_type`` only for a version whose request accepts it."""
    args = argparse.Namespace(
        checkout=str(checkout), label=label, out=str(out), corpus=None, requests=str(REQUESTS), python=None,
        detail=None, send_meeting_type=send_meeting_type, jobs=2,
    )  # fmt: skip
    if dump(args) != 0:  # a request that failed to draft has no items: its figure would silently shrink
        _NOTES.append(f"{label}: some requests failed to draft (see stderr); their items are missing")
    return out


def _share(report: dict, group: str) -> float | None:
    good, total = report["relevant"].get(group, [0, 0])
    return round(100 * good / total, 1) if total else None


def run(quick: bool = False) -> list[Row]:
    _NOTES.clear()
    base_name = os.environ.get("BASE", "HEAD")
    with tempfile.TemporaryDirectory(prefix="bigan-judged-") as tmp:
        work = Path(tmp)
        # The items are kept outside the repo (they hold corpus text) so that unlabelled ones can be judged:
        # python -m benchmarks.draft_judged view /tmp/judge/items-bench-new.jsonl --unlabelled
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        items = _draft_items(snapshot_worktree(work / "current"), OUT_DIR / "items-bench-new.jsonl", "new", True)
        current = summary(items, LABELS)[0]
        base = None
        if base_name.lower() != "none":
            base_dir, sha = export_commit(base_name, work / "base")
            # The base predates meeting_type (its request forbids unknown fields): it infers the type or has none.
            base = summary(_draft_items(base_dir, OUT_DIR / "items-bench-base.jsonl", "base", False), LABELS)[0]
            _NOTES.append(f"peer: {base_name} ({sha}), drafted over the same corpus in the same run")
    corpora = ", ".join(str(p) for p in default_corpora())
    _NOTES.append(f"corpus: {corpora}; {current['items']} items judged in the working tree")
    for name, report in (("working tree", current), ("base", base)):
        if report is not None and report["unlabelled"]:
            _NOTES.append(f"{name}: {report['unlabelled']} items have no label — figures not valid until judged")
    peer = "base commit, same requests and corpus"
    rows = []
    for group, measure, goal in (
        ("all", "judged relevant, all items (24 requests)", "≥ 80 %"),
        ("kind paragraph", "judged relevant, drafted paragraph sentences", ""),
        ("kind stock", "judged relevant, stock alternatives", ""),
    ):
        value = _share(current, group)
        rows.append(
            Row("judged", measure, value if value is not None else float("nan"), "%", peer,
                _share(base, group) if base else None, goal,
                (value is not None and value >= 100 * TARGET and not current["unlabelled"]) if goal else None)
        )  # fmt: skip
    headed = current["headings_level1plus"] or 1
    base_headed = (base or {}).get("headings_level1plus") or 1
    rows.append(
        Row("judged", "headings (level ≥ 1) with a drafted paragraph", round(100 * current["headings_with_paragraph"]
            / headed, 1), "%", peer, round(100 * base["headings_with_paragraph"] / base_headed, 1) if base else None)
    )  # fmt: skip
    rows.append(Row("judged", "items without a label (must be 0)", current["unlabelled"], "items", goal="0",
                    met=current["unlabelled"] == 0))  # fmt: skip
    return rows


def report_section() -> str:
    if not _NOTES:
        return ""
    return "### Judged relevance\n\n" + "\n".join(f"- {note}" for note in _NOTES) + "\n"
