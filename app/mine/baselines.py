"""The phrase bank against jieba's keyword extractors, under the same hand labels.

``jieba.analyse.extract_tags`` (TF-IDF) and ``jieba.analyse.textrank`` rank single words; a writer asks for
units to reuse. Both are run on the same documents and judged with the same labels as the miner
(``tests/data/phrase_labels.tsv``, kind ``baseline`` for their words): precision at k of each kind of the bank
and of each baseline, as rows for BENCHMARKS.md.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from app.mine.types import MinedPhrase, MiningDocument

MEASURED_KINDS = ("formulation", "parallel", "idiom", "formula")
BASELINES = ("jieba.analyse.extract_tags", "jieba.analyse.textrank")
Labels = dict[tuple[str, str], str]


def corpus_text(documents: Iterable[MiningDocument]) -> str:
    """Headings and passages of all documents, one per line (what the baselines read)."""
    lines: list[str] = []
    for document in documents:
        for section in document.sections:
            if section.heading:
                lines.append(section.heading)
            lines.extend(p.text for p in section.passages)
    return "\n".join(lines)


def baseline_terms(documents: Sequence[MiningDocument], top_k: int = 100) -> dict[str, list[str]]:
    """The top ``top_k`` keywords of each jieba extractor on the corpus, best first."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter
    text = corpus_text(documents)
    return {
        "jieba.analyse.extract_tags": list(jieba.analyse.extract_tags(text, topK=top_k)),
        "jieba.analyse.textrank": list(jieba.analyse.textrank(text, topK=top_k)),
    }


def load_labels(path: Path) -> Labels:
    """``(kind, text) → good|bad`` from a TSV with columns kind, text, label, note (header line first)."""
    labels: Labels = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            labels[(row["kind"], row["text"])] = row["label"].strip()
    return labels


def precision_row(
    method: str, kind: str, texts: Sequence[str], labels: Labels, label_kind: str, top_k: int
) -> dict[str, object]:
    """Precision at ``top_k`` of one ranked list; unlabelled entries are listed, not counted."""
    top = list(texts[:top_k])
    judged = [labels.get((label_kind, t)) for t in top]
    good = sum(1 for j in judged if j == "good")
    labelled = sum(1 for j in judged if j in ("good", "bad"))
    return {
        "method": method,
        "kind": kind,
        "entries": len(top),
        "labelled": labelled,
        "good": good,
        "precision": round(good / labelled, 3) if labelled else None,
        "unlabelled": [t for t, j in zip(top, judged, strict=True) if j not in ("good", "bad")],
    }


def comparison(
    documents: Sequence[MiningDocument],
    phrases: Sequence[MinedPhrase],
    labels: Labels,
    top_k: int = 100,
    kinds: Sequence[str] = MEASURED_KINDS,
) -> list[dict[str, object]]:
    """Rows of precision@``top_k``: one per measured kind of the bank, the pooled bank, and each baseline.

    ``phrases`` are a fitted miner's ``phrases_`` (already best first within each kind).
    """
    rows = []
    pooled_good = pooled_labelled = pooled_entries = 0
    for kind in kinds:
        texts = [p.text for p in phrases if p.kind == kind]
        row = precision_row("PhraseMiner", kind, texts, labels, kind, top_k)
        pooled_good += int(row["good"])  # type: ignore[call-overload]
        pooled_labelled += int(row["labelled"])  # type: ignore[call-overload]
        pooled_entries += int(row["entries"])  # type: ignore[call-overload]
        rows.append(row)
    rows.append(
        {
            "method": "PhraseMiner",
            "kind": "+".join(kinds),
            "entries": pooled_entries,
            "labelled": pooled_labelled,
            "good": pooled_good,
            "precision": round(pooled_good / pooled_labelled, 3) if pooled_labelled else None,
            "unlabelled": [],
        }
    )
    for method, terms in baseline_terms(documents, top_k).items():
        rows.append(precision_row(method, "baseline", terms, labels, "baseline", top_k))
    return rows
