"""``make bench``: run every benchmark and write BENCHMARKS.md with the machine and each peer.

``python -m benchmarks.run [--quick] [--only NAME …]``; ``--quick`` uses small sizes for a smoke run.
``BASE=<commit>`` (default HEAD) names the version bench_reconstruction and bench_judged measure beside the
working tree.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from datetime import UTC, datetime

from benchmarks.common import REPO_ROOT, Row, machine

BENCHMARKS = (
    "bench_ingest",
    "bench_convert",
    "bench_outline",
    "bench_mine",
    "bench_retrieve",
    "bench_draft",
    "bench_draft_scale",
    "bench_load",
    "bench_hostile",
    "bench_reconstruction",
    "bench_judged",
)
OUTPUT = REPO_ROOT / "BENCHMARKS.md"


RESULTS = REPO_ROOT / "benchmarks" / "results"


def render(results: list[dict]) -> str:
    """BENCHMARKS.md from every stored result (each benchmark keeps the machine and date it ran on)."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks.run [--only NAME …]`); every figure is measured in the",
        "same run as its peer. Each benchmark's last result is kept in `benchmarks/results/NAME.json`, so re-running",
        "one benchmark refreshes its rows only. Do not edit by hand — re-run the benchmarks.",
        "",
    ]
    machines = {json.dumps(r["machine"], sort_keys=True) for r in results}
    for facts in sorted(machines):
        names = ", ".join(r["name"] for r in results if json.dumps(r["machine"], sort_keys=True) == facts)
        lines.append(f"Machine for {names}:")
        lines += [f"- {key}: {value}" for key, value in json.loads(facts).items()]
        lines.append("")
    lines += [
        "| benchmark | measure | value | peer | peer value | goal | met | run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for row in (Row(**r) for r in result["rows"]):
            peer_value = "" if row.peer_value is None else f"{row.peer_value:g} {row.unit}"
            met = "" if row.met is None else ("yes" if row.met else "**no**")
            run = result["date"] + (" (quick)" if result["quick"] else "")
            cells = [row.benchmark, row.measure, f"{row.value:g} {row.unit}", row.peer, peer_value, row.goal, met, run]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [result["section"] for result in results if result.get("section")]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--only", nargs="*", default=None, help="benchmark module names")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    facts = machine()
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        rows = module.run(quick=args.quick)
        section = module.report_section() if hasattr(module, "report_section") else ""
        result = {
            "name": name,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "machine": facts,
            "rows": [row.__dict__ for row in rows],
            "section": section,
        }
        (RESULTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps({"benchmark": name, "seconds": round(time.perf_counter() - started, 1)}), flush=True)
        for row in rows:
            print(json.dumps(row.__dict__, ensure_ascii=False), flush=True)
    stored = [
        json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
        for name in BENCHMARKS
        if (RESULTS / f"{name}.json").exists()
    ]
    OUTPUT.write_text(render(stored), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
