"""Benchmark: the passage retriever (``TfidfIndex``) beside ``bm25s`` and ``rank_bm25`` on the same tokens, and
the live index (``SegmentedIndex``) taking one document incrementally against a full rebuild.

Synthetic corpora of 10k, 100k and 1M passages (``benchmarks.synthetic``); each contender builds its index and
answers the queries of ``tests/data/queries.tsv`` in its own process (``benchmarks.retrieve_contenders``), so its
peak memory is its own; query latency includes tokenising the query. ``python -m benchmarks.run --only
bench_retrieve`` runs it; ``--quick`` runs 10k only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import Row  # noqa: E402

SIZES_FULL = (10_000, 100_000, 1_000_000)
SIZES_QUICK = (10_000,)
RANK_BM25_MAX = 100_000  # rank_bm25 scores every passage in Python per query: skipped at 1M
INCREMENTAL_MAX = 100_000  # the incremental add is measured at 10k and 100k (a 1M rebuild takes minutes)


def _child(*args: str) -> dict:  # type: ignore[type-arg]
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.retrieve_contenders", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench_retrieve {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


RESULTS: dict[int, dict[str, dict]] = {}  # type: ignore[type-arg]


def measure(n: int) -> dict[str, dict]:  # type: ignore[type-arg]
    """Build both indexes and query each twice from a fresh process that loads it, alternating the two.

    Other work on the machine slows whichever process runs at that moment; alternating and keeping each
    contender's better run (by p50) compares the two under the same conditions. Each index is first queried
    right after it is built, while its files are in the page cache: start-up load is the better of the two runs
    (the other may follow the other contender's build, which can push the files out of the cache).
    """
    rounds = 10 if n <= 100_000 else 3
    work = Path(tempfile.mkdtemp(prefix="bench-retrieve-"))
    runs: dict[str, list[dict]] = {"query": [], "bm25s": []}  # type: ignore[type-arg]

    def query(key: str, what: str, folder: str) -> None:
        args = ("--n", str(n), "--what", what, "--dir", str(work / folder), "--rounds", str(rounds))
        runs[key].append(_child(*args))

    def settle() -> None:
        os.sync()  # let the writeback of the new index finish before timing queries against it
        time.sleep(2)

    try:
        result = {"build": _child("--n", str(n), "--what", "tfidf-build", "--dir", str(work / "tfidf"))}
        settle()
        query("query", "tfidf-query", "tfidf")
        result["bm25s_build"] = _child("--n", str(n), "--what", "bm25s-build", "--dir", str(work / "bm25s"))
        settle()
        query("bm25s", "bm25s-query", "bm25s")
        query("query", "tfidf-query", "tfidf")
        query("bm25s", "bm25s-query", "bm25s")
        for key, found in runs.items():
            result[key] = dict(min(found, key=lambda run: run["plain"]["p50_ms"]))
            result[key]["p50_runs_ms"] = [run["plain"]["p50_ms"] for run in found]
            result[key]["load_s"] = min(run["load_s"] for run in found)
        # the same-work measure is chosen like the full search: the better of our two runs
        result["query"]["ranking"] = min((run["ranking"] for run in runs["query"]), key=lambda m: m["p50_ms"])
        if n <= RANK_BM25_MAX:
            result["rank_bm25"] = _child("--n", str(n), "--what", "rank_bm25", "--rounds", "1")
        if n <= INCREMENTAL_MAX:
            args = ("--n", str(n), "--what", "incremental", "--dir", str(work / "incremental"), "--rounds", "3")
            result["incremental"] = _child(*args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS[n] = result
    return result


def rows_for(n: int, r: dict) -> list[Row]:  # type: ignore[type-arg]
    label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
    b, q, s, sb = r["build"], r["query"], r["bm25s"], r["bm25s_build"]
    rank = r.get("rank_bm25")
    goals = (
        {10_000: (None, None), 100_000: (5.0, None), 1_000_000: (30.0, 1536.0)}[n] if n in SIZES_FULL else (None, None)
    )
    p99_goal, memory_goal = goals
    same_work = s["plain"]["p50_ms"] / max(q["ranking"]["p50_ms"], 1e-9)
    full = s["plain"]["p50_ms"] / max(q["plain"]["p50_ms"], 1e-9)
    rows = [
        Row(
            "retrieve",
            f"{label}: same work as bm25s retrieve, p50 (tokenise, score, top 10, return the passages)",
            q["ranking"]["p50_ms"],
            "ms",
            "bm25s retrieve, same tokens, returns the passages",
            s["plain"]["p50_ms"],
        ),
        Row(
            "retrieve",
            f"{label}: speed-up over bm25s on the same work (its p50 / ours, same run)",
            round(same_work, 2),
            "×",
            "",
            None,
            "≥ 5×" if n == 100_000 else "",
            same_work >= 5 if n == 100_000 else None,
        ),
        Row(
            "retrieve",
            f"{label}: full search p50, k=10 (+ filters, MMR, near-duplicates, highlighting: work bm25s does not do)",
            q["plain"]["p50_ms"],
            "ms",
            "bm25s retrieve",
            s["plain"]["p50_ms"],
        ),
        Row(
            "retrieve",
            f"{label}: full search against bm25s retrieve (its p50 / ours)",
            round(full, 2),
            "×",
        ),
        Row(
            "retrieve",
            f"{label}: full search p99",
            q["plain"]["p99_ms"],
            "ms",
            "bm25s",
            s["plain"]["p99_ms"],
            f"≤ {p99_goal:g} ms" if p99_goal else "",
            q["plain"]["p99_ms"] <= p99_goal if p99_goal else None,
        ),
        Row("retrieve", f"{label}: query p99 with filters (role, since, in-domain)", q["filtered"]["p99_ms"], "ms"),
        Row(
            "retrieve",
            f"{label}: bm25s scoring + top-k alone (get_scores + selection.topk, no retrieve wrapper)",
            s["core"]["p50_ms"],
            "ms",
        ),
        Row(
            "retrieve",
            f"{label}: build, tokenising included ({b['chars'] / 1e6:.0f} M characters)",
            b["build_s"],
            "s",
            "bm25s build + its tokenising",
            round(sb["build_s"] + sb["tokenise_s"], 2),
            "≤ 60 s + tokenising" if n == 1_000_000 else "",
            (b["build_s"] - b["tokenise_s"]) <= 60 if n == 1_000_000 else None,
        ),
        Row(
            "retrieve",
            f"{label}: build without segmenting, extracting and counting",
            round(b["build_s"] - b["tokenise_s"], 2),
            "s",
            "bm25s build from token ids",
            sb["build_s"],
        ),
        Row("retrieve", f"{label}: index on disk, passages included", b["disk_mb"], "MB", "bm25s saved", sb["disk_mb"]),
        Row(
            "retrieve",
            f"{label}: RSS of a process that loaded the index and ran the queries",
            q["rss_mb"],
            "MB",
            "bm25s process that loaded its index and passages",
            s["rss_mb"],
            f"≤ {memory_goal:g} MB" if memory_goal else "",
            q["rss_mb"] <= memory_goal if memory_goal else None,
        ),
        Row(
            "retrieve",
            f"{label}: start-up load of the saved index (files in the page cache)",
            q["load_s"],
            "s",
            "bm25s load",
            s["load_s"],
            "≤ 0.5 s" if n == 100_000 else "",
            q["load_s"] <= 0.5 if n == 100_000 else None,
        ),
    ]
    if rank:
        rows.append(
            Row(
                "retrieve",
                f"{label}: rank_bm25 query p50 ({rank['plain']['queries']} queries)",
                rank["plain"]["p50_ms"],
                "ms",
                "ours p50",
                q["plain"]["p50_ms"],
            )
        )
    return rows + _incremental_rows(label, r.get("incremental"))


def _incremental_rows(label: str, inc: dict | None) -> list[Row]:  # type: ignore[type-arg]
    """The live index: one document added incrementally (searchable and published) against a full rebuild."""
    if not inc:
        return []
    added = round(inc["add_s"] + inc["publish_s"], 3)
    return [
        Row(
            "retrieve",
            f"{label}: add one document (20 passages) to the live index, searchable and published"
            f" (hits identical to the rebuild's: {'yes' if inc['same_hits'] else 'NO'})",
            added,
            "s",
            "full rebuild of the index, same run (fit + publish)",
            inc["rebuild_s"],
        ),
        Row(
            "retrieve",
            f"{label}: incremental add against full rebuild (rebuild time / add time, same run)",
            round(inc["rebuild_s"] / max(added, 1e-9), 1),
            "×",
        ),
        Row("retrieve", f"{label}: remove one document (tombstone), published", inc["remove_s"], "s"),
        Row(
            "retrieve",
            f"{label}: full search p50 on the index after the add ({inc['segments']} segments)",
            inc["query_added"]["p50_ms"],
            "ms",
            "the full rebuild (1 segment)",
            inc["query_full"]["p50_ms"],
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    for n in SIZES_QUICK if quick else SIZES_FULL:
        rows.extend(rows_for(n, measure(n)))
    return rows


def report_section() -> str:
    """nDCG@10 / recall@10 on tests/data/queries.tsv per configuration, and the scale details of this run."""
    from app.retrieve.evaluate import compare, load_judgements, resolve

    records, words = _bundled_records()
    rows = compare(records, resolve(load_judgements(), records), words)
    lines = [
        "## Passage retrieval relevance on the bundled corpus (judgements: tests/data/queries.tsv)",
        "",
        f"{len({j.query for j in load_judgements()})} queries, {len(records)} passages; BM25 gets the shipped "
        "configuration's tokens (words + character bigrams).",
        "",
        "| configuration | nDCG@10 | recall@10 |",
        "|---|---|---|",
    ]
    lines += [f"| {r['configuration']} | {r['ndcg@10']} | {r['recall@10']} |" for r in rows]
    if RESULTS:
        lines += [
            "",
            "### Retrieval at scale (synthetic passages, this run)",
            "",
            "| passages | features | nnz | build s (tokenising s) | disk MB | load s | RSS MB |"
            " same work as bm25s p50 / p99 ms | bm25s retrieve p50 / p99 ms (both runs' p50) | speed-up, same work |"
            " full search p50 / p99 ms (both runs' p50) | with filters p50 / p99 ms | full search vs bm25s |"
            " bm25s scoring + top-k p50 ms | rank_bm25 p50 ms |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for n, r in sorted(RESULTS.items()):
            b, q, s, rank = r["build"], r["query"], r["bm25s"], r.get("rank_bm25")
            peer = s["plain"]["p50_ms"]
            lines.append(
                f"| {n:,} | {b['features']:,} | {b['nnz']:,} | {b['build_s']} ({b['tokenise_s']}) | {b['disk_mb']} | "
                f"{q['load_s']} | {q['rss_mb']} | {q['ranking']['p50_ms']} / {q['ranking']['p99_ms']} | "
                f"{peer} / {s['plain']['p99_ms']} ({' / '.join(map(str, s['p50_runs_ms']))}) | "
                f"{peer / max(q['ranking']['p50_ms'], 1e-9):.2f}× | "
                f"{q['plain']['p50_ms']} / {q['plain']['p99_ms']} ({' / '.join(map(str, q['p50_runs_ms']))}) | "
                f"{q['filtered']['p50_ms']} / {q['filtered']['p99_ms']} | "
                f"{peer / max(q['plain']['p50_ms'], 1e-9):.2f}× | {s['core']['p50_ms']} | "
                f"{rank['plain']['p50_ms'] if rank else 'skipped (scores all passages)'} |"
            )
        lines += [
            "",
            "Latency includes tokenising the query; both sides get the same tokens (our words + character bigrams). "
            "**Same work**: what ``bm25s.retrieve`` (numpy backend, corpus loaded) does — tokenise, score every "
            "passage, take the top 10, return those passages and their scores; ours does exactly that with the "
            "index's own calls (``query_vector``, ``scores``, ``candidates``, ``texts_.many``). The 5× goal is "
            "judged on it. **Full search** is what ``bigan search`` and ``GET /search`` run: the same ranking of 30 "
            "candidates, then filters, MMR over them (their cosine matrix), near-duplicate folding, highlighting in "
            "text and HTML and the hit records — work bm25s does not do: about 0.3 ms a query in numpy calls at 10k "
            "and 100k, more at 1M, where the candidates' rows and texts are read from the index files (above "
            "256 MB they are not mapped into memory). Each side's queries run twice, "
            "alternating, each time in a fresh process that loads the saved index; each measure keeps the better "
            "of the two runs (both p50s in brackets), so other work on the machine does not decide the comparison; "
            "start-up load is the better of the two runs (index files in the page cache). rank_bm25 is measured on "
            "10 queries at 100k and skipped at 1M: it scores every passage in Python for each query.",
        ]
    incremental = {n: r["incremental"] for n, r in sorted(RESULTS.items()) if r.get("incremental")}
    if incremental:
        lines += [
            "",
            "### The live index: one document added incrementally against a full rebuild (this run)",
            "",
            "| passages | add s (of which publish) | remove s | full rebuild s (fit / publish) | rebuild / add |"
            " search p50 after the add / after a rebuild ms | hits identical |",
            "|---|---|---|---|---|---|---|",
        ]
        for n, inc in incremental.items():
            added = inc["add_s"] + inc["publish_s"]
            same = "yes" if inc["same_hits"] else "NO"
            lines.append(
                f"| {n:,} | {added:.3f} ({inc['publish_s']}) | {inc['remove_s']} | {inc['rebuild_s']} "
                f"({inc['rebuild']['fit_s']} / {inc['rebuild']['publish_s']}) | {inc['rebuild_s'] / added:.0f}× | "
                f"{inc['query_added']['p50_ms']} / {inc['query_full']['p50_ms']} | {same} |"
            )
        lines += [
            "",
            "The add builds a segment of the new document's 20 passages (segmenting only them), updates the "
            "corpus-wide document frequencies and the norm sums of the passages that share a term with it (reading "
            "only those terms' postings), and publishes the new segment with a new manifest; the rebuild fits all the "
            "passages again with every core and writes the whole index. Both are the index side of an upload "
            "(``sync_index`` adds a query of the database's document ids and hashes). Removing tombstones the "
            "document's passages and updates the same statistics. The hits after the add are compared with the "
            "rebuild's on every judged query.",
        ]
    return "\n".join(lines) + "\n"


def _bundled_records():  # type: ignore[no-untyped-def]
    """The bundled corpus ingested into a temporary SQLite database, as the retriever sees it."""
    from app.config import Settings
    from app.db import make_engine, make_session_factory
    from app.ingest.store import ingest_path, read_limits
    from app.migrate import upgrade
    from app.phrasebank.service import rebuild_bank
    from app.retrieve.service import bank_words, load_records

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.sqlite3")
        upgrade(settings)
        engine = make_engine(settings)
        factory = make_session_factory(engine)
        for path in sorted((ROOT / "corpus").glob("*.txt")):
            ingest_path(factory, path, read_limits(settings))
        rebuild_bank(factory)
        with factory() as session:
            records, words = load_records(session), bank_words(session)
        engine.dispose()
    return records, words
