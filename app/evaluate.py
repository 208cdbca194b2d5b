"""``make eval``: score the pipeline against the hand-made gold in ``../shared/corpus``.

Usage: ``python -m app.evaluate ../shared/corpus``. Prints cleaning, metadata and outline figures
over the seeds and dev excerpts, with the misses underneath so they can be looked at.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from app.config import REPO_ROOT
from app.ingest.errors import IngestError
from app.ingest.pipeline import PreparedDocument, prepare
from app.ingest.read.formats import read_path
from app.structure import SectionNode, flatten
from app.text.normalise import nfkc_key

TARGETS = {
    "junk removed": 0.95,
    "keep retained": 1.0,
    "kind accuracy": 0.90,
    "script accuracy": 1.0,
    "title exact-match": 0.80,
    "date accuracy": 0.80,
    "in_domain accuracy": 0.90,
    "heading precision": 0.90,
    "heading recall": 0.90,
    "level accuracy": 0.95,
    "marker accuracy": 0.95,
    "role accuracy (seeds)": 0.85,
}
SEED_ROLES = REPO_ROOT / "tests" / "data" / "seed_roles.json"


@dataclass
class Tally:
    hits: float = 0
    total: float = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str = "") -> None:
        self.total += 1
        self.hits += ok
        if not ok and miss:
            self.misses.append(miss)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


def _marker_key(marker: str) -> str:
    return unicodedata.normalize("NFKC", marker).strip()


def _headings(outline: tuple[SectionNode, ...]) -> list[SectionNode]:
    return [node for node, _ in flatten(outline) if node.heading]


def score_file(path: Path, gold: dict, tallies: dict[str, Tally]) -> None:
    name = path.name
    try:
        doc: PreparedDocument = prepare(read_path(path))
    except IngestError as error:
        for tally in tallies.values():
            tally.add(False, f"{name}: rejected ({error.reason})")
        return
    meta = doc.metadata
    cleaned_key = nfkc_key(doc.display_text)
    body_key = nfkc_key(doc.text)
    for junk in gold["junk"]:
        tallies["junk removed"].add(nfkc_key(junk) not in cleaned_key, f"{name}: junk left {junk!r}")
    for keep in gold["keep"]:
        tallies["keep retained"].add(nfkc_key(keep) in body_key, f"{name}: keep lost {keep!r}")
    tallies["kind accuracy"].add(meta.kind == gold["kind"], f"{name}: kind {meta.kind} ≠ {gold['kind']}")
    tallies["script accuracy"].add(meta.script == gold["script"], f"{name}: script {meta.script}")
    got_title = nfkc_key(meta.title) if meta.title else None
    want_title = nfkc_key(gold["title"]) if gold["title"] else None
    tallies["title exact-match"].add(got_title == want_title, f"{name}: title {meta.title!r} ≠ {gold['title']!r}")
    tallies["date accuracy"].add(meta.date == gold["date"], f"{name}: date {meta.date} ≠ {gold['date']}")
    tallies["in_domain accuracy"].add(
        meta.in_domain == gold["in_domain"], f"{name}: in_domain {meta.in_domain} ≠ {gold['in_domain']}"
    )
    _score_headings(name, _headings(doc.outline), gold["headings"], tallies)


def _score_headings(name: str, found: list[SectionNode], gold: list[dict], tallies: dict[str, Tally]) -> None:
    remaining = list(gold)
    for node in found:
        key = nfkc_key(node.heading)
        match = next((g for g in remaining if nfkc_key(g["text"]) == key), None)
        tallies["heading precision"].add(match is not None, f"{name}: extra heading {node.marker}{node.heading!r}")
        if match is None:
            continue
        remaining.remove(match)
        tallies["level accuracy"].add(
            node.level == match["level"], f"{name}: level {node.level} ≠ {match['level']} for {node.heading!r}"
        )
        tallies["marker accuracy"].add(
            _marker_key(node.marker) == _marker_key(match["marker"]),
            f"{name}: marker {node.marker!r} ≠ {match['marker']!r} for {node.heading!r}",
        )
    for g in gold:
        tallies["heading recall"].add(g not in remaining, "")
    for g in remaining:
        tallies["heading recall"].misses.append(f"{name}: missed heading {g['marker']}{g['text']!r}")


def _annotation_matches(node: SectionNode, entry: dict[str, object]) -> bool:
    """An annotation names a section by its heading (or heading prefix), or, headingless, by its first words."""
    heading = nfkc_key(str(entry["heading"]))
    if heading:
        key = nfkc_key(node.heading)
        return key.startswith(heading) if entry.get("prefix") else key == heading
    starts = nfkc_key(str(entry["starts"]))
    return not node.heading and bool(node.paragraphs) and nfkc_key(node.paragraphs[0]).startswith(starts)


def seed_role_accuracy(annotations_path: Path = SEED_ROLES, corpus_dir: Path = REPO_ROOT / "corpus") -> Tally:
    """Role accuracy of the outline against the hand annotation of the bundled seeds (in document order)."""
    tally = Tally()
    annotations = json.loads(annotations_path.read_text(encoding="utf-8"))
    for name, entries in annotations.items():
        if name.startswith("_"):
            continue
        doc = prepare(read_path(corpus_dir / name))
        nodes = [node for node, _ in flatten(doc.outline)]
        used: set[int] = set()
        for entry in entries:
            index = next((i for i, n in enumerate(nodes) if i not in used and _annotation_matches(n, entry)), None)
            label = entry["heading"] or entry["starts"]
            if index is None:
                tally.add(False, f"{name[:3]}: no section {label}")
                continue
            used.add(index)
            role = nodes[index].role
            tally.add(role == entry["role"], f"{name[:3]}: {label}: want {entry['role']} got {role}")
    return tally


def gold_pairs(corpus: Path) -> list[tuple[Path, dict]]:
    """(raw file, gold) for every gold file of ../shared/corpus (raw files in seeds/ or dev/)."""
    pairs = []
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = next((corpus / f / gold["file"] for f in ("seeds", "dev") if (corpus / f / gold["file"]).exists()), None)
        if raw is not None:
            pairs.append((raw, gold))
    return pairs


def dev2_pairs(corpus: Path) -> list[tuple[Path, dict]]:
    """(raw file, gold) for ../shared/corpus/dev2 (real excerpts: raw/NNN.txt, gold/NNN.json)."""
    pairs = []
    for gold_path in sorted((corpus / "dev2" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pairs.append((corpus / "dev2" / "raw" / gold["file"], gold))
    return pairs


def holdout_pairs(folder: Path) -> list[tuple[Path, dict]]:
    """(raw file, gold) for the held-out set written independently of the rules (any format, gold beside it)."""
    pairs = []
    for gold_path in sorted(folder.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pairs.append((folder / gold["file"], gold))
    return pairs


def evaluate(pairs: list[tuple[Path, dict]], with_roles: bool = False) -> dict[str, Tally]:
    tallies = {name: Tally() for name in TARGETS}
    if with_roles:
        tallies["role accuracy (seeds)"] = seed_role_accuracy()
    else:
        del tallies["role accuracy (seeds)"]
    for raw, gold in pairs:
        score_file(raw, gold, tallies)
    return tallies


def print_report(title: str, tallies: dict[str, Tally], seconds: float) -> None:
    print(f"== {title} ({seconds:.1f} s)\n")
    print(f"{'measure':<22}{'score':>8}{'target':>8}  n")
    for name, tally in tallies.items():
        flag = "ok" if tally.rate >= TARGETS[name] else "BELOW"
        print(f"{name:<22}{tally.rate:>8.1%}{TARGETS[name]:>8.0%}  {int(tally.total):<4} {flag}")
    for name, tally in tallies.items():
        if tally.misses:
            print(f"\n{name} — misses:")
            for miss in tally.misses[:40]:
                print(f"  {miss}")
    print()


def print_bank_preview(corpus: Path, per_kind: int = 15) -> None:
    """Mine the bundled corpus plus the dev excerpts and print the top entries of each kind for review."""
    from app.mine.miner import PhraseMiner
    from app.mine.types import from_prepared

    paths = sorted((REPO_ROOT / "corpus").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))
    documents = []
    for number, path in enumerate(paths, start=1):
        try:
            documents.append(from_prepared(number, prepare(read_path(path))))
        except IngestError:
            continue
    phrases = PhraseMiner().fit(documents).phrases_
    print(
        f"== phrase bank mined from corpus/ + {corpus / 'dev'} ({len(documents)} documents): top {per_kind} per kind\n"
    )
    for kind in sorted({p.kind for p in phrases}):
        entries = [p for p in phrases if p.kind == kind]
        print(f"{kind} ({len(entries)})")
        for phrase in entries[:per_kind]:
            example = f"  （例：{phrase.text}）" if phrase.text != phrase.template else ""
            print(f"  {phrase.doc_frequency}篇 {phrase.frequency}次  {phrase.template}{example}")
        print()


def main(argv: list[str]) -> int:
    corpus = Path(argv[0] if argv else "../shared/corpus")
    if (corpus / "gold").is_dir():
        started = time.perf_counter()
        tallies = evaluate(gold_pairs(corpus), with_roles=True)
        print_report(f"gold of {corpus} (seeds + dev)", tallies, time.perf_counter() - started)
    else:
        print(f"no gold corpus at {corpus} (expects seeds/, dev/, gold/): skipping that part\n")
    if (corpus / "dev2" / "gold").is_dir():
        started = time.perf_counter()
        tallies = evaluate(dev2_pairs(corpus))
        print_report(
            f"real excerpts {corpus / 'dev2'} (development set, tuned on)", tallies, time.perf_counter() - started
        )
    for folder in sorted(REPO_ROOT.glob("tests/data/holdout*")):
        started = time.perf_counter()
        tallies = evaluate(holdout_pairs(folder))
        label = f"held-out set {folder.relative_to(REPO_ROOT)} (written apart from the rules)"
        print_report(label, tallies, time.perf_counter() - started)
    if (corpus / "dev").is_dir():
        print_bank_preview(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
