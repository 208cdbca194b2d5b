"""The contenders of the retrieval benchmark, each run in its own process (``bench_retrieve._child``), so each
one's load time and memory are its own: our ``TfidfIndex``, ``bm25s`` and ``rank_bm25``, on the same tokens;
and our ``SegmentedIndex`` taking one more document incrementally against a full rebuild.

    .venv/bin/python -m benchmarks.retrieve_contenders --n 100000 --what tfidf-build --dir /tmp/x   # one JSON line
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import peak_rss_mb  # noqa: E402
from benchmarks.synthetic import queries, synthetic_records  # noqa: E402

CHILDREN = ("tfidf-build", "tfidf-query", "bm25s-build", "bm25s-query", "rank_bm25", "incremental")
DOCUMENT = 20  # passages of one synthetic document (``synthetic_records`` makes a document of every 20)


def _latencies(search, qs: list[str], rounds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    for q in qs[:5]:
        search(q)  # warm up
    times = []
    for _ in range(rounds):
        for q in qs:
            start = time.perf_counter()
            search(q)
            times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 3),
        "p99_ms": round(float(np.percentile(times, 99)), 3),
        "queries": len(times),
    }


def _dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def child_tfidf_build(n: int, out: Path) -> dict:  # type: ignore[type-arg]
    from app.retrieve.index import TfidfIndex
    from app.retrieve.persist import save_index
    from app.retrieve.service import SHIPPED
    from app.text.tokenize import default_workers

    records = synthetic_records(n)
    start = time.perf_counter()
    index = TfidfIndex(**SHIPPED, workers=default_workers()).fit(records)  # type: ignore[arg-type]
    build = time.perf_counter() - start
    save_index(index, out)
    tokenise = sum(v for k, v in index.timings_.items() if "count" in k)
    return {
        "build_s": round(build, 2),
        "tokenise_s": round(tokenise, 2),
        "timings": index.timings_,
        "nnz": int(index.postings_.nnz),
        "features": int(index.postings_.shape[0]),
        "disk_mb": _dir_mb(out),
        "chars": sum(len(r.text) for r in records),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def child_tfidf_query(directory: Path, rounds: int) -> dict:  # type: ignore[type-arg]
    from app.retrieve.persist import load_index
    from app.retrieve.query import SearchFilters

    before = _rss_mb()
    start = time.perf_counter()
    index = load_index(directory)
    load = time.perf_counter() - start
    arrays = index.postings_.data.nbytes + index.postings_.indices.nbytes + index.postings_.indptr.nbytes
    arrays += sum(
        getattr(index, a).nbytes
        for a in (
            "passage_ids_",
            "document_ids_",
            "roles_",
            "heading_index_",
            "kinds_",
            "in_domain_",
            "date_lo_",
            "date_hi_",
        )
    )
    qs = queries()
    plain = _latencies(lambda q: index.search(q, k=10), qs, rounds)
    filters = SearchFilters(role="tasks", since="2020", in_domain=True)
    filtered = _latencies(lambda q: index.search(q, k=10, filters=filters), qs, max(1, rounds // 2))

    def same_work_as_bm25s(q: str) -> tuple[list[str], np.ndarray]:
        """What ``bm25s.retrieve`` does: tokenise, score, take the top 10, return those passages and scores."""
        ids, weights, _ = index.query_vector(q)
        scores = index.scores(ids, weights)
        best = index.candidates(scores, 10)
        return index.texts_.many(best), scores[best]

    ranking = _latencies(same_work_as_bm25s, qs, rounds)
    return {
        "load_s": round(load, 3),
        "rss_mb": _rss_mb(),
        "rss_before_load_mb": before,
        "index_arrays_mb": round(arrays / 1e6, 1),
        "plain": plain,
        "filtered": filtered,
        "ranking": ranking,
    }


def _bm25_tokens(n: int):  # type: ignore[no-untyped-def]
    from app.retrieve.features import RetrievalTokenizer, bigrams

    tokenizer = RetrievalTokenizer()
    return tokenizer, (lambda text: tokenizer.words(text) + bigrams(text)), synthetic_records(n)


def child_bm25s_build(n: int, out: Path) -> dict:  # type: ignore[type-arg]
    """Index our tokens with bm25s (numpy backend) and save it with the passages, as it would be served."""
    import bm25s
    from bm25s.tokenization import Tokenized

    _, tokens, records = _bm25_tokens(n)
    start = time.perf_counter()
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in tokens(r.text)] for r in records]
    tokenise = time.perf_counter() - start
    texts = [r.text for r in records]
    del records
    start = time.perf_counter()
    retriever = bm25s.BM25(backend="numpy")
    retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
    build = time.perf_counter() - start
    del ids
    retriever.save(str(out), corpus=texts, show_progress=False)  # the passages travel with the index, like ours
    return {
        "build_s": round(build, 2),
        "tokenise_s": round(tokenise, 2),
        "disk_mb": _dir_mb(out),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def child_bm25s_query(directory: Path, rounds: int) -> dict:  # type: ignore[type-arg]
    """Load the saved bm25s index and its passages; time ``retrieve`` of the top 10 passages per query.

    Each query is tokenised into exactly our tokens (words + character bigrams) inside the timed call, as ours
    is; ``retrieve`` returns the passages themselves, the user-visible result. Also timed: bm25s's scoring and
    top-k alone (``get_scores`` + ``selection.topk``), i.e. ``retrieve`` without its wrapper's overhead.
    """
    import bm25s
    from bm25s import selection

    from app.retrieve.features import RetrievalTokenizer, bigrams

    tokenizer = RetrievalTokenizer()

    def tokens(text: str) -> list[str]:
        return tokenizer.words(text) + bigrams(text)

    start = time.perf_counter()
    retriever = bm25s.BM25.load(str(directory), load_corpus=True)
    load = time.perf_counter() - start
    qs = queries()
    plain = _latencies(lambda q: retriever.retrieve([tokens(q)], k=10, show_progress=False), qs, rounds)
    core = _latencies(lambda q: selection.topk(retriever.get_scores(tokens(q)), k=10, sorted=True), qs, rounds)
    return {"load_s": round(load, 3), "rss_mb": _rss_mb(), "plain": plain, "core": core}


def child_rank_bm25(n: int, rounds: int) -> dict:  # type: ignore[type-arg]
    from rank_bm25 import BM25Okapi

    _, tokens, records = _bm25_tokens(n)
    corpus = [tokens(r.text) for r in records]
    del records
    start = time.perf_counter()
    bm25 = BM25Okapi(corpus)
    build = time.perf_counter() - start
    del corpus
    qs = queries()[: 10 if n >= 100_000 else 36]

    def search(q: str) -> None:
        scores = bm25.get_scores(tokens(q))
        np.argpartition(-scores, 10)[:10]

    return {
        "build_s": round(build, 2),
        "rss_mb": _rss_mb(),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "plain": _latencies(search, qs, rounds),
    }


def child_incremental(n: int, work: Path, rounds: int) -> dict:  # type: ignore[type-arg]
    """One document (20 passages) added to a published index of the others, searchable and published —
    against a full rebuild of all ``n`` passages (fit + publish), in the same process and run.

    The incremental add is timed ``rounds`` times from the same index (median); so is removing a document.
    Query latency is compared between the index after the add (two segments) and the full rebuild (one).
    """
    from app.retrieve.segmented import SegmentedIndex
    from app.retrieve.service import SHIPPED
    from app.retrieve.store import IndexStore
    from app.text.tokenize import default_workers

    records = synthetic_records(n)
    base, document = records[:-DOCUMENT], records[-DOCUMENT:]
    start = time.perf_counter()
    full = SegmentedIndex(**SHIPPED, workers=default_workers()).fit(records)  # type: ignore[arg-type]
    fit = time.perf_counter() - start
    start = time.perf_counter()
    IndexStore(work / "full").publish(full)
    rebuild = {"fit_s": fit, "publish_s": time.perf_counter() - start}
    store = IndexStore(work / "incremental")
    index = SegmentedIndex(**SHIPPED, workers=default_workers()).fit(base)  # type: ignore[arg-type]
    store.publish(index)
    adds, publishes, removes = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        added = index.add(document)
        adds.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.publish(added)
        publishes.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.publish(added.remove([base[0].document_id]))
        removes.append(time.perf_counter() - start)
    qs = queries()
    return {
        "rebuild_s": round(rebuild["fit_s"] + rebuild["publish_s"], 3),
        "rebuild": {key: round(value, 3) for key, value in rebuild.items()},
        "add_s": round(float(np.median(adds)), 3),
        "publish_s": round(float(np.median(publishes)), 3),
        "remove_s": round(float(np.median(removes)), 3),
        "segments": len(added.parts_),
        "same_hits": all(added.search(q) == full.search(q) for q in qs),
        "query_added": _latencies(lambda q: added.search(q, k=10), qs, 5),
        "query_full": _latencies(lambda q: full.search(q, k=10), qs, 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--what", choices=CHILDREN, required=True)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.what == "tfidf-build":
        result = child_tfidf_build(args.n, args.dir)
    elif args.what == "tfidf-query":
        result = child_tfidf_query(args.dir, args.rounds)
    elif args.what == "bm25s-build":
        result = child_bm25s_build(args.n, args.dir)
    elif args.what == "bm25s-query":
        result = child_bm25s_query(args.dir, args.rounds)
    elif args.what == "incremental":
        result = child_incremental(args.n, args.dir, args.rounds)
    else:
        result = child_rank_bm25(args.n, args.rounds)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
