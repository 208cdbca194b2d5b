"""Ingestion throughput: the cleaner and the whole prepare() pipeline, beside OpenCC and jieba on the same text."""

from __future__ import annotations

import time

import jieba

from app.ingest.clean.document import clean_text
from app.ingest.pipeline import prepare
from app.ingest.read.formats import RawDoc
from app.text.normalise import to_simplified
from benchmarks.common import CORPUS, Row


def _documents(copies: int) -> list[str]:
    # The raw seeds, with all their real noise, repeated: cleaning cost depends on noise, not only size.
    seeds = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    return [f"{text}\n（第{i}份）" for i in range(copies) for text in seeds]


def _seconds(fn, items) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - started


def run(quick: bool = False) -> list[Row]:
    docs = _documents(20 if quick else 200)
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    clean_s = _seconds(clean_text, docs)
    opencc_s = _seconds(to_simplified, docs)
    raws = [RawDoc(d, "txt", "utf-8", f"{i}.txt") for i, d in enumerate(docs)]
    prepare_s = _seconds(prepare, raws)
    jieba.initialize()
    jieba_s = _seconds(jieba.lcut, docs)
    return [
        Row(
            "ingest",
            f"clean_text over {megabytes:.1f} MB of noisy pages",
            round(megabytes / clean_s, 2),
            "MB/s",
            "OpenCC t2s on the same text",
            round(megabytes / opencc_s, 2),
        ),
        Row(
            "ingest",
            f"prepare() (clean + metadata + outline), {len(docs)} documents",
            round(megabytes / prepare_s, 2),
            "MB/s",
            "jieba.lcut on the same text",
            round(megabytes / jieba_s, 2),
        ),
    ]
