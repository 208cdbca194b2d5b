"""Near-duplicate detection by winnowed character shingles.

The same speech is often scraped from two sites, one a truncated preview of the other, with
different punctuation, chrome and masks. Winnowing (Schleimer et al., 2003) keeps a position-local
subset of shingle hashes, so a preview shares the fingerprints of the full text's beginning and
*containment* (overlap divided by the smaller set) exposes it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from app.text.masks import strip_masks

SHINGLE = 8  # characters per shingle: long enough that stock phrases alone do not match
WINDOW = 6  # winnowing window: roughly one fingerprint every (WINDOW + 1) / 2 characters
NEAR_DUPLICATE_CONTAINMENT = 0.6
MIN_FINGERPRINTS = 8

_NON_CONTENT_RE = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")


def content_key(text: str) -> str:
    """Only Chinese characters, letters and digits, masked names left out: ``建设，推进 (试点)`` → ``建设推进试点``,
    ``刚才,XX同志`` and ``刚才,××同志`` → ``刚才同志`` (two sites mask the same name differently)."""
    return _NON_CONTENT_RE.sub("", strip_masks(text))


def fingerprint(text: str) -> list[int]:
    """Sorted unique winnowed hashes of a simplified text's content characters."""
    key = content_key(text)
    if len(key) < SHINGLE:
        return [zlib.crc32(key.encode("utf-8"))] if key else []
    hashes = [zlib.crc32(key[i : i + SHINGLE].encode("utf-8")) for i in range(len(key) - SHINGLE + 1)]
    if len(hashes) <= WINDOW:
        return sorted(set(hashes))
    chosen: set[int] = set()
    for start in range(len(hashes) - WINDOW + 1):
        chosen.add(min(hashes[start : start + WINDOW]))
    return sorted(chosen)


def containment(a: Iterable[int], b: Iterable[int]) -> float:
    """Share of the smaller fingerprint set found in the larger one (0.0 – 1.0)."""
    set_a, set_b = set(a), set(b)
    smaller = min(len(set_a), len(set_b))
    if smaller == 0:
        return 0.0
    return len(set_a & set_b) / smaller


@dataclass(frozen=True)
class NearMatch:
    document_id: int
    containment: float
    other_is_longer: bool


def find_near_duplicate(
    prints: list[int], length: int, candidates: Iterable[tuple[int, list[int], int]]
) -> NearMatch | None:
    """The best existing document (id, fingerprint, length) this one nearly duplicates, if any."""
    if len(prints) < MIN_FINGERPRINTS:
        return None
    best: NearMatch | None = None
    for doc_id, other, other_length in candidates:
        if len(other) < MIN_FINGERPRINTS:
            continue
        score = containment(prints, other)
        if score >= NEAR_DUPLICATE_CONTAINMENT and (best is None or score > best.containment):
            best = NearMatch(doc_id, score, other_length >= length)
    return best
