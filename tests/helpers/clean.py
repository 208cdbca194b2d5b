"""The cleaner's noise fixtures (tests/data/noise/) and views of a cleaning result."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from app.ingest.clean.document import Cleaned, clean_text

NOISE = Path(__file__).parents[1] / "data" / "noise"


def load(name: str) -> Cleaned:
    return clean_text((NOISE / name).read_text(encoding="utf-8"))


def removed(cleaned: Cleaned) -> dict[str, list[str]]:
    by_rule: dict[str, list[str]] = defaultdict(list)
    for r in cleaned.removals:
        by_rule[r.rule].append(r.text)
    return by_rule


def lines(cleaned: Cleaned) -> list[str]:
    return cleaned.text.split("\n")
