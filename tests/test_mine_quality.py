"""Quality of the phrase bank on the bundled corpus: labelled precision, no chrome, no cut words, baselines.

The labels live in ``tests/data/phrase_labels.tsv`` (kind, text, label, note). When the miner or the cleaning
stages change what is mined, a new entry fails ``test_precision_at_100`` until someone labels it — honestly,
as a demanding 笔杆子 would: good = a writer would reuse it as a unit.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from app.ingest.pipeline import prepare
from app.ingest.read.formats import read_path
from app.mine import PhraseMiner
from app.mine.baselines import MEASURED_KINDS, comparison, load_labels
from app.mine.clauses import CLAUSE_RE
from app.mine.lexicon import shared_tokenizer
from app.mine.types import MiningDocument, from_prepared
from app.text.normalise import to_simplified
from tests.conftest import SEEDS, SHARED_CORPUS

LABELS = Path(__file__).parent / "data" / "phrase_labels.tsv"
DEV = SHARED_CORPUS / "dev"
GOLD = SHARED_CORPUS / "gold"
TOP_K = 100
MIN_PRECISION = 0.90


@lru_cache(maxsize=2)
def documents(with_dev: bool = False) -> tuple[MiningDocument, ...]:
    paths = list(SEEDS) + (sorted(DEV.glob("*.txt")) if with_dev else [])
    return tuple(from_prepared(i + 1, prepare(read_path(p))) for i, p in enumerate(paths))


@lru_cache(maxsize=2)
def bank(with_dev: bool = False) -> PhraseMiner:
    return PhraseMiner().fit(documents(with_dev))


@pytest.mark.parametrize("kind", MEASURED_KINDS)
def test_precision_at_100(kind: str) -> None:
    labels = load_labels(LABELS)
    top = [p.text for p in bank().by_kind(kind)][:TOP_K]
    assert top, f"no {kind} entries at all: the miner must not silence a kind to look precise"
    unlabelled = [t for t in top if (kind, t) not in labels]
    assert not unlabelled, (
        f"{len(unlabelled)} {kind} entries are not labelled — add them to {LABELS.name} "
        f"(kind, text, good|bad, note):\n" + "\n".join(f"{kind}\t{t}" for t in unlabelled)
    )
    good = sum(1 for t in top if labels[(kind, t)] == "good")
    assert good / len(top) >= MIN_PRECISION, f"{kind}: precision@{TOP_K} {good}/{len(top)}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(text)).translate(str.maketrans({",": "，", ":": "：", ";": "；"}))


@pytest.mark.parametrize(
    "with_dev",
    [False, pytest.param(True, marks=pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev"))],
)
def test_bank_holds_no_site_chrome(with_dev: bool) -> None:
    if not GOLD.is_dir():
        pytest.skip("needs ../shared/corpus/gold for the junk lists")
    junk = sorted({_norm(j) for f in GOLD.glob("*.json") for j in json.loads(f.read_text("utf-8"))["junk"] if _norm(j)})
    for phrase in bank(with_dev).phrases_:
        for field in (_norm(phrase.text), _norm(phrase.template)):
            hit = next(
                (j for j in junk if j in field or (len(field) >= 4 and field in j and 2 * len(field) >= len(j))), None
            )
            assert hit is None, f"{phrase.kind} {phrase.text!r} is site chrome ({hit!r})"


def _source_text(doc: MiningDocument, occurrence) -> str:  # type: ignore[no-untyped-def]
    section = next(s for s in doc.sections if s.ordinal == occurrence.section_ordinal)
    texts = [section.heading] + [p.text for p in section.passages]
    end = occurrence.offset + len(occurrence.surface)
    return next(t for t in texts if t[occurrence.offset : end] == occurrence.surface)


@pytest.mark.parametrize(
    "with_dev",
    [False, pytest.param(True, marks=pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev"))],
)
def test_formulations_start_and_end_on_word_boundaries(with_dev: bool) -> None:
    tokenizer = shared_tokenizer()
    docs = {d.document_id: d for d in documents(with_dev)}
    for phrase in bank(with_dev).by_kind("formulation"):
        assert phrase.occurrences
        for occ in phrase.occurrences:
            text = _source_text(docs[occ.document_id], occ)
            start, end = occ.offset, occ.offset + len(occ.surface.rstrip("”’）"))
            clause = next(m for m in CLAUSE_RE.finditer(text) if m.start() <= start and end <= m.end())
            edges = set(tokenizer.boundaries(clause.group()))
            assert start - clause.start() in edges and end - clause.start() in edges, (
                f"{phrase.text!r} cuts a word in {clause.group()!r}: {tokenizer.cut(clause.group())}"
            )


def test_comparison_with_jieba_baselines() -> None:
    labels = load_labels(LABELS)
    rows = {(r["method"], r["kind"]): r for r in comparison(documents(), bank().phrases_, labels, TOP_K)}
    for method in ("jieba.analyse.extract_tags", "jieba.analyse.textrank"):
        row = rows[(method, "baseline")]
        assert row["entries"] == TOP_K
        assert not row["unlabelled"], f"label these {method} keywords as kind 'baseline': {row['unlabelled']}"
    pooled = rows[("PhraseMiner", "+".join(MEASURED_KINDS))]
    assert pooled["precision"] > max(
        rows[(m, "baseline")]["precision"]
        for m in (  # type: ignore[operator]
            "jieba.analyse.extract_tags",
            "jieba.analyse.textrank",
        )
    )
