"""Benchmark: PhraseMiner.fit on a synthetic corpus against plain ``jieba.lcut`` over the same text.

The synthetic corpus recombines the bundled corpus (``corpus/*.txt``): each document copies the outline of a
real prepared document (kind, sections, levels, roles, headings) and refills every passage with sentences drawn,
with a seeded RNG, from real passages of the same section role. Usage::

    .venv/bin/python benchmarks/bench_mine.py            # 5 MB
    .venv/bin/python benchmarks/bench_mine.py --mb 100   # the 100 MB target

Prints one JSON line: sizes, seconds and MB/s of both, ``ratio`` = mine seconds / jieba seconds (must be ≤ 1),
and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.ingest.pipeline import prepare  # noqa: E402
from app.ingest.read.formats import read_path  # noqa: E402
from app.mine.baselines import corpus_text  # noqa: E402
from app.mine.types import MiningDocument, MiningPassage, MiningSection, from_prepared  # noqa: E402

_SENTENCE_RE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")


def load_documents(corpus: Path) -> list[MiningDocument]:
    """The prepared bundled corpus."""
    return [from_prepared(i + 1, prepare(read_path(p))) for i, p in enumerate(sorted(corpus.glob("*.txt")))]


def synthetic_corpus(documents: list[MiningDocument], megabytes: float, seed: int = 20240601) -> list[MiningDocument]:
    """Documents shaped like the real ones, refilled with real sentences of the same role, until ``megabytes``."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {}
    everything: list[str] = []
    for document in documents:
        for section in document.sections:
            for passage in section.passages:
                found = [s for s in _SENTENCE_RE.findall(passage.text) if s.strip()]
                pools.setdefault(section.role, []).extend(found)
                everything.extend(found)
    target = int(megabytes * 1_000_000)
    out: list[MiningDocument] = []
    size = 0
    while size < target:
        template = rng.choice(documents)
        sections = []
        for section in template.sections:
            pool = pools.get(section.role) or everything
            passages = []
            for passage in section.passages:
                count = max(1, len(_SENTENCE_RE.findall(passage.text)))
                text = "".join(rng.choice(pool) for _ in range(count))
                size += len(text.encode("utf-8"))
                passages.append(MiningPassage(None, text))
            sections.append(
                MiningSection(
                    None,
                    section.ordinal,
                    section.level,
                    section.marker,
                    section.heading,
                    section.role,
                    section.parent_ordinal,
                    tuple(passages),
                )
            )
        out.append(
            MiningDocument(
                len(out) + 1,
                template.kind,
                template.in_domain,
                template.title,
                template.place,
                template.speaker,
                tuple(sections),
            )
        )
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="synthetic corpus size in MB of UTF-8 text")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--skip-jieba", action="store_true", help="time the miner only")
    args = parser.parse_args()

    documents = synthetic_corpus(load_documents(args.corpus), args.mb, args.seed)
    text = corpus_text(documents)
    megabytes = len(text.encode("utf-8")) / 1_000_000

    from app.mine import PhraseMiner

    start = time.perf_counter()
    miner = PhraseMiner().fit(documents)  # includes loading lexicons and building the tokenizer
    mine_seconds = time.perf_counter() - start
    rss_after_mine = peak_rss_mb()

    result: dict[str, object] = {
        "mb": round(megabytes, 2),
        "documents": len(documents),
        "mine_seconds": round(mine_seconds, 2),
        "mine_mb_per_s": round(megabytes / mine_seconds, 2),
        "mine_stages": miner.timings_,
        "phrases": dict(sorted(Counter(p.kind for p in miner.phrases_).items())),
        "peak_rss_mb_after_mine": rss_after_mine,
    }
    if not args.skip_jieba:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()  # dictionary loading is not counted against jieba
        start = time.perf_counter()
        tokens = jieba.lcut(text)
        jieba_seconds = time.perf_counter() - start
        result.update(
            {
                "jieba_seconds": round(jieba_seconds, 2),
                "jieba_mb_per_s": round(megabytes / jieba_seconds, 2),
                "jieba_tokens": len(tokens),
                "ratio": round(mine_seconds / jieba_seconds, 3),
            }
        )
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()


# --- make bench (benchmarks/run.py) ------------------------------------------------------------------


def run(quick: bool = False) -> list:  # type: ignore[type-arg]
    """Rows for BENCHMARKS.md; the big run is a subprocess so its peak memory is its own."""
    from benchmarks.common import Row

    megabytes = 5 if quick else 100
    completed = __import__("subprocess").run(
        [sys.executable, str(Path(__file__)), "--mb", str(megabytes)], capture_output=True, text=True, check=True
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    bundled = _bundled_corpus_seconds()
    return [
        Row(
            "mine",
            "PhraseMiner.fit on the bundled corpus (5 documents, lexicons loaded)",
            bundled[0],
            "s",
            "jieba.lcut on the same text",
            bundled[1],
            "well under 1 s",
            bundled[0] < 1,
        ),
        Row(
            "mine",
            f"PhraseMiner.fit, synthetic {result['mb']} MB ({result['documents']} documents)",
            result["mine_seconds"],
            "s",
            "jieba.lcut on the same text, one process",
            result["jieba_seconds"],
            "ratio ≤ 1.0",
            result["ratio"] <= 1.0,
        ),
        Row(
            "mine",
            f"peak RSS of that process (miner + synthetic corpus + jieba tokens), {result['mb']} MB",
            result["peak_rss_mb"],
            "MB",
            "RSS after mining only",
            result["peak_rss_mb_after_mine"],
            "≤ 4096 MB",
            result["peak_rss_mb"] <= 4096,
        ),
    ]


def _bundled_corpus_seconds() -> tuple[float, float]:
    import jieba

    from app.mine import PhraseMiner

    documents = load_documents(ROOT / "corpus")
    start = time.perf_counter()
    PhraseMiner().fit(documents)
    mine_seconds = time.perf_counter() - start
    jieba.setLogLevel(60)
    jieba.initialize()
    start = time.perf_counter()
    jieba.lcut(corpus_text(documents))
    return round(mine_seconds, 3), round(time.perf_counter() - start, 3)


def report_section() -> str:
    """Precision@100 of the bank per kind beside jieba.analyse keyword baselines, under the same labels."""
    from app.mine import PhraseMiner
    from app.mine.baselines import comparison, load_labels

    documents = load_documents(ROOT / "corpus")
    phrases = PhraseMiner().fit(documents).phrases_
    rows = comparison(documents, phrases, load_labels(ROOT / "tests" / "data" / "phrase_labels.tsv"))
    lines = [
        "## Phrase bank precision@100 on the bundled corpus (labels: tests/data/phrase_labels.tsv)",
        "",
        "| method | kind | entries | labelled | good | precision |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['method']} | {row['kind']} | {row['entries']} | {row['labelled']} | {row['good']} | "
            f"{row['precision']} |"
        )
    return "\n".join(lines) + "\n"
