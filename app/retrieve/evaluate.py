"""Relevance of the retriever on judged queries: nDCG@10 and recall@10 per configuration, beside BM25.

The judgements (``tests/data/queries.tsv``) name passages by corpus file and a distinctive substring, because
database ids change from one ingest to the next. ``compare`` fits every configuration on the same passages
and scores the same queries; BM25 (``bm25s``, Lucene variant) gets exactly the shipped configuration's tokens.
The live index (``SegmentedIndex``) is scored too, built as an installation builds it: a document at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.retrieve.features import RetrievalTokenizer, bigrams
from app.retrieve.index import PassageRecord, TfidfIndex
from app.retrieve.query import normalised
from app.retrieve.search import PassageSearch
from app.retrieve.segmented import SegmentedIndex

QUERIES = Path(__file__).resolve().parents[2] / "tests" / "data" / "queries.tsv"
K = 10

SearchFn = Callable[[str], list[int]]  # query → passage ids, best first


@dataclass(frozen=True)
class Judgement:
    query: str
    file: str
    substring: str
    grade: int


def load_judgements(path: Path = QUERIES) -> list[Judgement]:
    """Rows of the TSV: query, corpus file, passage substring, grade (1 or 2); ``#`` lines are comments."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{path}:{number}: expected 4 tab-separated fields")
        rows.append(Judgement(fields[0].strip(), fields[1].strip(), fields[2].strip(), int(fields[3])))
    return rows


def resolve(judgements: Sequence[Judgement], records: Sequence[PassageRecord]) -> dict[str, dict[int, int]]:
    """{query: {passage id: grade}}; each (file, substring) must name exactly one passage."""
    texts = [(r.passage_id, Path(r.source).name, normalised(r.text)) for r in records]
    qrels: dict[str, dict[int, int]] = {}
    for j in judgements:
        needle = normalised(j.substring)
        found = [pid for pid, name, text in texts if name == j.file and needle in text]
        if len(found) != 1:
            raise ValueError(f"{j.file} / {j.substring!r}: {len(found)} passages match, expected 1")
        qrels.setdefault(j.query, {})[found[0]] = j.grade
    return qrels


def ndcg_at_k(ranked: Sequence[int], grades: dict[int, int], k: int = K) -> float:
    """Normalised discounted cumulative gain with gain 2^grade − 1."""
    dcg = sum((2 ** grades.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall_at_k(ranked: Sequence[int], grades: dict[int, int], k: int = K) -> float:
    relevant = {pid for pid, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def score(search: SearchFn, qrels: dict[str, dict[int, int]], k: int = K) -> tuple[float, float]:
    """Mean nDCG@k and recall@k over the queries."""
    ndcg, recall = [], []
    for query, grades in qrels.items():
        ranked = search(query)
        ndcg.append(ndcg_at_k(ranked, grades, k))
        recall.append(recall_at_k(ranked, grades, k))
    return float(np.mean(ndcg)), float(np.mean(recall))


def tfidf_search(index: PassageSearch, k: int = K) -> SearchFn:
    return lambda query: [hit.passage_id for hit in index.search(query, k=k).hits]


def bm25_search(records: Sequence[PassageRecord], tokenizer: RetrievalTokenizer, k: int = K) -> SearchFn:
    """bm25s over the shipped tokens (words + character bigrams), top k by BM25 score."""
    import bm25s

    def tokens(text: str) -> list[str]:
        return tokenizer.words(text) + bigrams(text)

    retriever = bm25s.BM25()
    retriever.index([tokens(r.text) for r in records], show_progress=False)
    ids = [r.passage_id for r in records]

    def search(query: str) -> list[int]:
        found, found_scores = retriever.retrieve([tokens(query)], k=min(k, len(ids)), show_progress=False)
        return [ids[int(i)] for i, s in zip(found[0], found_scores[0], strict=True) if s > 0]

    return search


CONFIGURATIONS: dict[str, dict[str, object]] = {
    "words only": {"words": True, "bigrams": False},
    "bigrams only": {"words": False, "bigrams": True},
    "words + bigrams (shipped)": {},
    "words + bigrams, no MMR": {"mmr_lambda": 1.0},
}


def compare(
    records: Sequence[PassageRecord], qrels: dict[str, dict[int, int]], extra_words: Sequence[str] = ()
) -> list[dict[str, object]]:
    """One row per configuration: name, nDCG@10, recall@10 (rounded to 3 places)."""
    from app.retrieve.service import SHIPPED

    rows: list[dict[str, object]] = []
    shipped_index = None
    for name, overrides in CONFIGURATIONS.items():
        index = TfidfIndex(**{**SHIPPED, **overrides, "extra_words": tuple(extra_words)}).fit(records)  # type: ignore[arg-type]
        if not overrides:
            shipped_index = index
        ndcg, recall = score(tfidf_search(index), qrels)
        rows.append({"configuration": name, "ndcg@10": round(ndcg, 3), "recall@10": round(recall, 3)})
    assert shipped_index is not None
    documents: dict[int, list[PassageRecord]] = {}
    for record in records:
        documents.setdefault(record.document_id, []).append(record)
    live = SegmentedIndex(**{**SHIPPED, "extra_words": tuple(extra_words)}).fit([])  # type: ignore[arg-type]
    for passages in documents.values():
        live = live.add(passages)
    ndcg, recall = score(tfidf_search(live), qrels)
    rows.append(
        {
            "configuration": "words + bigrams (shipped), live index built a document at a time",
            "ndcg@10": round(ndcg, 3),
            "recall@10": round(recall, 3),
        }
    )
    ndcg, recall = score(bm25_search(records, shipped_index.tokenizer_), qrels)
    rows.append(
        {"configuration": "BM25 (bm25s), same tokens", "ndcg@10": round(ndcg, 3), "recall@10": round(recall, 3)}
    )
    return rows
