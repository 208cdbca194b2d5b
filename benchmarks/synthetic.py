"""Synthetic passages for the retrieval benchmarks: real sentences of the bundled corpus, recombined.

Each passage copies a real passage's role, sentence count and sentence lengths, and each sentence is rebuilt from
real clauses drawn from passages of the same role or, half the time, of any role (whole sentences alone would
give only ~160 distinct sentences, and a million passages would be mostly exact copies); every 20 passages make
a document with a kind, a date and an in-domain flag. Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
_CLAUSE = re.compile(r"[^，、；：,;:]+[，、；：,;:]?")


def synthetic_records(n: int, seed: int = 20240601) -> list:  # type: ignore[type-arg]
    """``n`` PassageRecords recombined from the bundled corpus (deterministic for a seed)."""
    from app.retrieve.index import PassageRecord
    from benchmarks.bench_mine import load_documents

    documents = load_documents(ROOT / "corpus")
    templates, pools, everything = [], {}, []
    for document in documents:
        for section in document.sections:
            for passage in section.passages:
                sentences = [s for s in _SENTENCE.findall(passage.text) if s.strip()]
                clauses = [c for s in sentences for c in _CLAUSE.findall(s.rstrip("。！？；!?;")) if c.strip()]
                pools.setdefault(section.role, []).extend(clauses)
                everything.extend(clauses)
                templates.append((section.role, section.heading, [len(s) for s in sentences] or [len(passage.text)]))
    rng = random.Random(seed)
    records = []
    for i in range(n):
        doc = i // 20 + 1
        doc_rng = random.Random(seed * 1_000_003 + doc)
        year = doc_rng.randint(2015, 2025)
        date = doc_rng.choice(
            [
                f"{year}",
                f"{year}-{doc_rng.randint(1, 12):02d}",
                f"{year}-{doc_rng.randint(1, 12):02d}-{doc_rng.randint(1, 28):02d}",
                None,
            ]
        )
        role, heading, lengths = rng.choice(templates)
        pool = pools.get(role) or everything
        sentences = []
        for length in lengths:  # each sentence as long as the real one it stands for
            sentence = ""
            while len(sentence) < length - 1:
                sentence += rng.choice(pool if rng.random() < 0.5 else everything)
            sentences.append(sentence.rstrip("，、；：,;:") + "。")
        text = "".join(sentences)
        records.append(
            PassageRecord(
                passage_id=i + 1,
                document_id=doc,
                text=text,
                role=role,
                heading_path=heading,
                title=f"文稿 {doc}",
                date=date,
                kind=doc_rng.choice(["speech", "report"]),
                source=f"synthetic/{doc}.txt",
                in_domain=doc_rng.random() < 0.9,
            )
        )
    return records


def queries() -> list[str]:
    from app.retrieve.evaluate import load_judgements

    return list(dict.fromkeys(j.query for j in load_judgements()))
