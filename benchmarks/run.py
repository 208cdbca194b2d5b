"""``make bench``: run every benchmark and write BENCHMARKS.md with the machine and each peer.

``python -m benchmarks.run [--quick] [--only NAME …]``; ``--quick`` uses small sizes for a smoke run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from datetime import UTC, datetime

from benchmarks.common import REPO_ROOT, Row, machine

BENCHMARKS = ("bench_ingest", "bench_outline", "bench_mine")
OUTPUT = REPO_ROOT / "BENCHMARKS.md"


def render(rows: list[Row], facts: dict[str, str], extra_sections: list[str], quick: bool) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); every figure is measured in the same run as its",
        "peer, on the machine below. Do not edit by hand — re-run the benchmarks.",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}" + (" (quick sizes)" if quick else ""),
    ]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    lines += ["", "| benchmark | measure | value | peer | peer value | goal | met |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        peer_value = "" if row.peer_value is None else f"{row.peer_value:g} {row.unit}"
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        cells = [row.benchmark, row.measure, f"{row.value:g} {row.unit}", row.peer, peer_value, row.goal, met]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *extra_sections]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--only", nargs="*", default=None, help="benchmark module names")
    args = parser.parse_args()
    rows: list[Row] = []
    extra: list[str] = []
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        result = module.run(quick=args.quick)
        rows.extend(result)
        if hasattr(module, "report_section"):
            extra.append(module.report_section())
        print(json.dumps({"benchmark": name, "seconds": round(time.perf_counter() - started, 1)}), flush=True)
        for row in result:
            print(json.dumps(row.__dict__, ensure_ascii=False), flush=True)
    OUTPUT.write_text(render(rows, machine(), extra, args.quick), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
