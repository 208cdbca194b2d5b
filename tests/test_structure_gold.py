"""Outline headings against the hand-made gold of ../shared/corpus (seeds + dev): raw → clean → metadata → outline.

Skipped when the shared corpus is absent. A heading matches when its text matches after NFKC, simplified
conversion and whitespace removal; level and marker are scored on matched headings (markers compared after
NFKC, so gold ``(一)`` equals ``（一）`` in the text). Targets: precision ≥ 0.90, recall ≥ 0.90, level ≥ 0.95,
marker ≥ 0.95, and 50 documents parsed in well under 10 s. Run with ``-s`` for the per-file table of misses.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from app.ingest.clean.document import clean_text
from app.ingest.describe.metadata import extract_metadata
from app.structure import SectionNode, flatten, parse_outline
from app.text.normalise import nfkc_key, to_simplified

TARGETS = {"precision": 0.90, "recall": 0.90, "level": 0.95, "marker": 0.95}


def outline_of(raw: str) -> tuple[SectionNode, ...]:
    """The product's own path from a raw file to an outline."""
    meta = extract_metadata(clean_text(raw))
    return parse_outline(to_simplified(meta.body), meta.kind)


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0
    level: int = 0
    marker: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        return {
            "precision": self.matched / max(self.predicted, 1),
            "recall": self.matched / max(self.gold, 1),
            "level": self.level / max(self.matched, 1),
            "marker": self.marker / max(self.matched, 1),
        }


def score_file(name: str, outline: tuple[SectionNode, ...], gold: list[dict[str, object]], score: Score) -> None:
    """Match predicted headings to gold headings by text, in order; record every miss."""
    predicted = [node for node, _ in flatten(outline) if node.heading]
    wanted = [(nfkc_key(str(h["text"])), h) for h in gold]
    used: set[int] = set()
    score.predicted += len(predicted)
    score.gold += len(gold)
    for node in predicted:
        key = nfkc_key(node.heading)
        index = next((i for i, (k, _) in enumerate(wanted) if i not in used and k == key), None)
        if index is None:
            score.misses.append(f"{name:26} extra   {node.level} {node.marker!r:8} {node.heading[:40]}")
            continue
        used.add(index)
        score.matched += 1
        target = wanted[index][1]
        if target["level"] == node.level:
            score.level += 1
        else:
            score.misses.append(f"{name:26} level   gold {target['level']} got {node.level}: {node.heading[:30]}")
        if unicodedata.normalize("NFKC", str(target["marker"])) == unicodedata.normalize("NFKC", node.marker):
            score.marker += 1
        else:
            score.misses.append(f"{name:26} marker  gold {target['marker']!r} got {node.marker!r}: {node.heading[:30]}")
    for index, (_, target) in enumerate(wanted):
        if index not in used:
            score.misses.append(
                f"{name:26} missed  {target['level']} {target['marker']!r:8} {str(target['text'])[:40]}"
            )


def test_outline_headings_meet_gold_targets(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "seeds").glob("*.txt")) + sorted((shared_corpus / "dev").glob("*.txt"))
    assert len(files) >= 26, "corpus files missing"
    score = Score()
    for path in files:
        gold = json.loads((shared_corpus / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        score_file(path.name, outline_of(path.read_text(encoding="utf-8")), gold["headings"], score)
    rates = score.rates()
    report = "\n".join(
        [f"{k}: {v:.3f}" for k, v in rates.items()]
        + [f"matched {score.matched} / predicted {score.predicted} / gold {score.gold}"]
        + score.misses
    )
    print(report)
    for metric, target in TARGETS.items():
        assert rates[metric] >= target, f"{metric} {rates[metric]:.3f} < {target}\n{report}"
