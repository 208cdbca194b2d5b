"""Measure the cleaner against the hand-made gold annotations in /work/shared/corpus.

Skipped when the shared corpus is absent (it is not part of the project). Run it as a script to see
every junk string that survives and every keep string that was lost:

    .venv/bin/python tests/test_clean_gold.py
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.ingest.clean.document import clean_text
from app.text.normalise import to_simplified

SHARED = Path("/work/shared/corpus")
_WS_RE = re.compile(r"\s+")

JUNK_TARGET = 0.95
KEEP_TARGET = 1.0


def _key(text: str) -> str:
    """How gold strings are compared: simplified characters, no whitespace at all."""
    return _WS_RE.sub("", to_simplified(text))


@dataclass
class Score:
    junk_total: int = 0
    junk_removed: int = 0
    keep_total: int = 0
    keep_kept: int = 0
    junk_left: list[tuple[str, str]] = field(default_factory=list)
    keep_lost: list[tuple[str, str]] = field(default_factory=list)


def _pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for sub in ("seeds", "dev"):
        for raw in sorted((SHARED / sub).glob("*.txt")):
            gold = SHARED / "gold" / (raw.stem + ".json")
            if gold.exists():
                pairs.append((raw, gold))
    return pairs


def score() -> Score:
    result = Score()
    for raw, gold_path in _pairs():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        cleaned = _key(clean_text(raw.read_text(encoding="utf-8")).text)
        for junk in gold.get("junk", []):
            result.junk_total += 1
            if _key(junk) in cleaned:
                result.junk_left.append((raw.name, junk))
            else:
                result.junk_removed += 1
        for keep in gold.get("keep", []):
            result.keep_total += 1
            if _key(keep) in cleaned:
                result.keep_kept += 1
            else:
                result.keep_lost.append((raw.name, keep))
    return result


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared gold corpus not available")
def test_gold_targets() -> None:
    result = score()
    assert result.junk_total > 50 and result.keep_total > 50
    junk_rate = result.junk_removed / result.junk_total
    keep_rate = result.keep_kept / result.keep_total
    assert keep_rate >= KEEP_TARGET, f"keep strings lost: {result.keep_lost}"
    assert junk_rate >= JUNK_TARGET, f"junk left ({junk_rate:.1%}): {result.junk_left}"


if __name__ == "__main__":  # pragma: no cover - a helper for working on the cleaner
    res = score()
    print(f"junk removed {res.junk_removed}/{res.junk_total} = {res.junk_removed / res.junk_total:.1%}")
    print(f"keep retained {res.keep_kept}/{res.keep_total} = {res.keep_kept / res.keep_total:.1%}")
    for name, text in res.junk_left:
        print("JUNK LEFT", name, repr(text))
    for name, text in res.keep_lost:
        print("KEEP LOST", name, repr(text))
    sys.exit(0)
