"""Metadata accuracy against the hand-made gold of ../shared/corpus (seeds + dev), raw → clean → metadata.

Skipped when the shared corpus is absent. Targets: kind ≥ 90 %, script 100 %, title exact ≥ 80 %
(simplified, whitespace removed; None must match None), date ≥ 80 %, in_domain ≥ 90 %.
Run with ``-s`` to see the per-file table of misses.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.ingest.clean.document import clean_text
from app.ingest.describe.metadata import Metadata, extract_metadata
from app.text.normalise import nfkc_key

TARGETS = {"kind": 0.90, "script": 1.0, "title": 0.80, "date": 0.80, "in_domain": 0.90}


def _title_matches(got: str | None, gold: str | None) -> bool:
    if got is None or gold is None:
        return got is gold
    return nfkc_key(got) == nfkc_key(gold)


def _score(meta: Metadata, gold: dict[str, object]) -> dict[str, bool]:
    return {
        "kind": meta.kind == gold["kind"],
        "script": meta.script == gold["script"],
        "title": _title_matches(meta.title, gold["title"]),  # type: ignore[arg-type]
        "date": meta.date == gold["date"],
        "in_domain": meta.in_domain == gold["in_domain"],
    }


def test_metadata_meets_gold_targets(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "seeds").glob("*.txt")) + sorted((shared_corpus / "dev").glob("*.txt"))
    assert files, "no corpus files found"
    hits = dict.fromkeys(TARGETS, 0)
    misses: list[str] = []
    for path in files:
        gold = json.loads((shared_corpus / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        meta = extract_metadata(clean_text(path.read_text(encoding="utf-8")))
        for field, ok in _score(meta, gold).items():
            hits[field] += ok
            if not ok:
                misses.append(f"{path.name:28} {field:9} got={getattr(meta, field)!r} gold={gold[field]!r}")
    rates = {field: hits[field] / len(files) for field in TARGETS}
    report = "\n".join([f"{f}: {hits[f]}/{len(files)}" for f in TARGETS] + misses)
    print(report)
    for field, target in TARGETS.items():
        assert rates[field] >= target, f"{field} accuracy {rates[field]:.0%} < {target:.0%}\n{report}"
