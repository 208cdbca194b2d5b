"""Four-character expressions (久久为功, 守正创新, 凝心铸魂, 走深走实) scored by cohesion, freedom and spread.

Candidates are 4-character windows of whole tokens in the clauses (so ``化国际化`` from ``现代化国际化`` never
starts inside a word). A candidate is kept as an idiom when it has one of three kinds of evidence:

* structure — ABAC / AABB / ABAB (``走深走实``, ``抓紧抓实``, ``实实在在``);
* the dictionary — jieba lists it as 成语 (i) or 惯用语 (l) with some frequency (``与时俱进``, ``齐抓共管``);
* coinage — it is no dictionary word but two 2-character words, one of them rare or unknown (``守正``,
  ``为功``), and somewhere it stands alone between two punctuation marks, the way writers set 4-character
  phrases side by side (``坚持与时俱进、守正创新``, ``保持定力、久久为功``, ``崇德向善``).

The rule against plain compounds: a candidate whose two halves are both common words (dictionary frequency
≥ ``COMMON_FREQ``: ``加强领导``, ``贯彻落实``) or both nouns (``文明城市``, ``诚信经营``) is a term or a phrase,
not an idiom, even when jieba tags it ``i`` (``精神文明``); ``phrasebank/not_idioms.txt`` lists the exceptions.

Cohesion (PMI of the 1+3, 2+2 and 3+1 splits), boundary entropy (left/right neighbour diversity) and spread
(document frequency) rank the kept idioms; on a corpus of five documents most idioms occur once, so they rank
rather than filter. The statistics run on distinct clause surfaces weighted by their counts — the same numbers
as on the running text, since an idiom never crosses punctuation — with numpy over integer character codes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.mine.candidates import MiningContext, in_domain_share, mask_of, occurrence
from app.mine.clauses import QUOTES, to_wide
from app.mine.lexicon import Lexicon
from app.mine.slots import Slotter
from app.mine.types import MinedPhrase
from app.text.tokenize import NOUN_TAGS, Tokenizer

COMMON_FREQ = 1000  # a half this frequent in jieba's dictionary is an everyday word (加强, 领导, 作为)
RARE_FREQ = 100  # both halves rarer than this make a literary pair (崇德 + 向善)
DICT_IDIOM_FREQ = 5  # jieba's i/l entries with frequency 3 are guesses (出席会议, 贯彻落实)
MIN_EDGE_SHARE = 0.5  # at least half the occurrences must start and end on token boundaries
_HAN4 = re.compile(r"^[\u4e00-\u9fff]{4}$")
_BASE = np.uint64(1_000_003)


@dataclass
class IdiomCandidate:
    text: str
    mask: int = 0
    edge_weight: int = 0  # occurrences whose edges are token boundaries
    standalone: bool = False  # somewhere the whole item between two punctuation marks
    splits: set[tuple[int, ...]] = field(default_factory=set)
    sites: list[tuple[int, int]] = field(default_factory=list)  # (surface index, offset) of the first occurrences


def collect(
    surfaces: Sequence[tuple[str, int, int]], tokenizer: Tokenizer, keep_sites: int
) -> dict[str, IdiomCandidate]:
    """4-character token windows of the clause surfaces ``(text, count, doc mask)``.

    ``坚持与时俱进、守正创新`` → ``与时俱进`` (one token) and ``守正创新`` (守正 + 创新), both at a clause edge.
    """
    cands: dict[str, IdiomCandidate] = {}
    for index, (text, count, mask) in enumerate(surfaces):
        tokens = tokenizer.cut(text)
        starts = [0]
        for token in tokens:
            starts.append(starts[-1] + len(token))
        for i in range(len(tokens)):
            j, size = i, 0
            while j < len(tokens) and size < 4:
                size += len(tokens[j])
                j += 1
            if size != 4:
                continue
            a, b = starts[i], starts[j]
            word = text[a:b]
            if not _HAN4.match(word):
                continue
            cand = cands.get(word)
            if cand is None:
                cand = cands[word] = IdiomCandidate(word)
            cand.mask |= mask
            cand.edge_weight += count
            cand.splits.add(tuple(len(t) for t in tokens[i:j]))
            if (a == 0 or text[a - 1] in "、 ") and (b == len(text) or text[b] in "、 "):
                cand.standalone = True
            if len(cand.sites) < keep_sites:
                cand.sites.append((index, a))
    return cands


def _hashes(codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Polynomial hashes of all k-grams and whether each k-gram is free of separators (code 0)."""
    m = len(codes) - k + 1
    h = np.zeros(max(m, 0), dtype=np.uint64)
    zero = np.r_[0, np.cumsum(codes == 0)]
    for i in range(k):
        h = h * _BASE + codes[i : i + m]
    valid = (zero[k : k + m] - zero[:m]) == 0
    return h, valid


def _hash_of(text: str) -> int:
    """The same polynomial hash as ``_hashes``, in Python integers modulo 2**64."""
    h = 0
    for c in text:
        h = (h * int(_BASE) + ord(c)) & 0xFFFFFFFFFFFFFFFF
    return h


def corpus_stats(surfaces: Sequence[tuple[str, int, int]], words: Sequence[str]) -> dict[str, dict[str, float]]:
    """Weighted counts of each word and its parts, and left/right neighbour entropies, in one numpy pass per n.

    ``{"守正创新": {"count": 2, "pmi": 9.1, "left": 0.7, "right": 0.7}}``; a clause edge counts as a new
    neighbour each time (it never restricts what may come before).
    """
    if not words or not surfaces:
        return {}
    text = "\x00".join(s for s, _, _ in surfaces) + "\x00"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes[~_is_han(codes)] = 0
    lengths = np.fromiter((len(s) + 1 for s, _, _ in surfaces), dtype=np.int64, count=len(surfaces))
    weights = np.repeat(np.fromiter((c for _, c, _ in surfaces), dtype=np.float64, count=len(surfaces)), lengths)
    total = float(weights[codes != 0].sum()) or 1.0
    parts = sorted({w[i:j] for w in words for i in range(4) for j in range(i + 1, 5)})
    counts: dict[str, float] = {}
    for k in (1, 2, 3, 4):
        needed = [p for p in parts if len(p) == k]
        keys = np.array([_hash_of(p) for p in needed], dtype=np.uint64)
        hashes, valid = _hashes(codes, k)
        sel = valid & np.isin(hashes, keys)
        uniq, inv = np.unique(hashes[sel], return_inverse=True)
        sums = np.bincount(inv, weights=weights[: len(hashes)][sel], minlength=len(uniq))
        found = dict(zip(uniq.tolist(), sums.tolist(), strict=True))
        for p, key in zip(needed, keys.tolist(), strict=True):
            counts[p] = found.get(key, 0.0)
        if k == 4:
            left, right = _entropies(codes, hashes, valid & sel, weights, needed, keys)
    stats: dict[str, dict[str, float]] = {}
    for w in words:
        c = counts.get(w, 0.0)
        if c <= 0:
            continue
        pmi = min(math.log(c * total / (counts[w[:i]] * counts[w[i:]])) for i in (1, 2, 3))
        stats[w] = {"count": c, "pmi": round(pmi, 4), "left": left.get(w, 0.0), "right": right.get(w, 0.0)}
    return stats


def _is_han(codes: np.ndarray) -> np.ndarray:
    return (codes >= 0x4E00) & (codes <= 0x9FFF)


def _entropies(
    codes: np.ndarray, hashes: np.ndarray, sel: np.ndarray, weights: np.ndarray, words: Sequence[str], keys: np.ndarray
) -> tuple[dict[str, float], dict[str, float]]:
    """Weighted left and right neighbour entropy of each word, grouped with bincount (no loop per word)."""
    pos = np.flatnonzero(sel)
    by_key = np.argsort(keys)
    word_index = by_key[np.searchsorted(keys[by_key], hashes[pos])]
    w = weights[pos]
    n = len(words)
    tot = np.bincount(word_index, weights=w, minlength=n).astype(np.float64)
    out: list[dict[str, float]] = []
    for neighbour in (np.where(pos > 0, codes[np.maximum(pos - 1, 0)], 0), codes[np.minimum(pos + 4, len(codes) - 1)]):
        edge = neighbour == 0
        edge_w = np.bincount(word_index[edge], weights=w[edge], minlength=n).astype(np.float64)
        inner = ~edge
        pair = (word_index[inner].astype(np.uint64) << np.uint64(32)) | neighbour[inner].astype(np.uint64)
        uniq, inv = np.unique(pair, return_inverse=True)
        pair_w = np.bincount(inv, weights=w[inner], minlength=len(uniq))
        owner = (uniq >> np.uint64(32)).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = pair_w / tot[owner]
            h = np.bincount(owner, weights=-p * np.log(p), minlength=n).astype(np.float64)
            h += np.where(tot > 0, edge_w / np.maximum(tot, 1e-12) * np.log(np.maximum(tot, 1.0)), 0.0)
        out.append({words[i]: round(float(h[i]), 4) for i in range(n) if tot[i] > 0})
    return out[0], out[1]


def structure(word: str) -> str:
    """``走深走实`` → ``ABAC``; ``实实在在`` → ``AABB``; ``研究研究`` → ``ABAB``; else ''."""
    a, b, c, d = word
    if a == c and b != d and a != b:
        return "ABAC"
    if a == b and c == d and a != c:
        return "AABB"
    if a == c and b == d and a != b:
        return "ABAB"
    return ""


_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "m", "q", "f", "y", "e", "x"})


def evidence(
    word: str,
    cand: IdiomCandidate,
    tokenizer: Tokenizer,
    lexicon: Lexicon,
    frames: frozenset[str] = frozenset(),
    slotter: Slotter | None = None,
) -> str:
    """Why ``word`` is an idiom (``structure``, ``dictionary``, ``coinage``), or '' when it is not one.

    ``frames`` are the items of 排比 runs (``以学铸魂`` of ``以学铸魂、以学增智…``): such an item fills a frame,
    it is not a set phrase of its own, unless the dictionary or its structure says otherwise.
    """
    if word in lexicon.not_idioms or word in lexicon.fixed_terms or word in lexicon.formulas:
        return ""
    if lexicon.is_noise(word):
        return ""
    if slotter is not None and slotter.slot(word).compact != word:
        return ""  # 连辑指出: a name, a place or a number is no idiom
    left, right = word[:2], word[2:]
    f_left, f_right = tokenizer.word_freq(left), tokenizer.word_freq(right)
    t_left, t_right = tokenizer.word_tag(left), tokenizer.word_tag(right)
    if f_left and f_right and t_left in NOUN_TAGS and t_right in NOUN_TAGS:
        return ""  # 文明城市, 信用信息: two nouns make a term
    if structure(word):
        return "structure"
    if f_left >= COMMON_FREQ and f_right >= COMMON_FREQ:
        return ""  # 加强领导, 贯彻落实: an everyday phrase
    tag = tokenizer.word_tag(word)
    if tag in ("i", "l") and tokenizer.word_freq(word) >= DICT_IDIOM_FREQ:
        return "dictionary"
    if word[0] in "更最很较越太":
        return ""  # 更实举措: a degree adverb makes a modifier phrase
    if (
        tokenizer.word_freq(word) == 0
        and (2, 2) in cand.splits
        and cand.standalone
        and word not in frames
        and (min(f_left, f_right) < RARE_FREQ)
        and t_left not in _FUNCTION_TAGS
        and t_right not in _FUNCTION_TAGS
        and not (t_left in NOUN_TAGS and f_left >= COMMON_FREQ)
    ):
        return "coinage"
    return ""


def idiom_score(stats: dict[str, float], doc_frequency: int, kind: str) -> float:
    """Cohesion (weakest split's PMI), freedom (smaller boundary entropy) and spread, plus a little for evidence.

    ``守正创新`` in two documents with free neighbours outranks ``内外兼修`` seen twice in one paragraph.
    """
    bonus = {"structure": 0.5, "dictionary": 0.75, "coinage": 0.25}.get(kind, 0.0)
    return round(
        math.log2(1 + doc_frequency) + 0.1 * min(stats["pmi"], 15.0) + 0.5 * min(stats["left"], stats["right"]) + bonus,
        4,
    )


def mine_idioms(ctx: MiningContext) -> list[MinedPhrase]:
    """Idiom entries from the clause surfaces (noise excluded), ranked by ``idiom_score``."""
    raw = [(s, stat) for s, stat in ctx.surfaces.items() if not ctx.is_noise(s)]
    keeps = [[i for i, c in enumerate(s) if c not in QUOTES] for s, _ in raw]
    surfaces = [
        (to_wide("".join(s[i] for i in keep)), stat.count, mask_of(stat.docs))
        for (s, stat), keep in zip(raw, keeps, strict=True)
    ]
    cands = collect(surfaces, ctx.tokenizer, ctx.max_occurrences)
    kinds = {w: evidence(w, c, ctx.tokenizer, ctx.lexicon, ctx.parallel_items, ctx.slotter) for w, c in cands.items()}
    kinds = {w: k for w, k in kinds.items() if k}
    stats = corpus_stats(surfaces, sorted(kinds))
    phrases = []
    for word, kind in kinds.items():
        cand, st = cands[word], stats.get(word)
        if st is None or cand.edge_weight < MIN_EDGE_SHARE * st["count"]:
            continue  # mostly inside longer words elsewhere (化国际化)
        occurrences = []
        roles: dict[str, int] = {}
        for index, offset in cand.sites:
            surface, stat = raw[index]
            start = keeps[index][offset]
            for site in stat.sites[: ctx.max_occurrences - len(occurrences)]:
                occurrences.append(occurrence(ctx.documents, site, start, start + 4, surface))
            for role, n in stat.roles.items():
                roles[role] = roles.get(role, 0) + n
        df = cand.mask.bit_count()
        phrases.append(
            MinedPhrase(
                kind="idiom",
                text=word,
                template=word,
                roles=tuple(sorted(roles, key=lambda r: (-roles[r], r))),
                frequency=int(st["count"]),
                doc_frequency=df,
                score=idiom_score(st, df, kind),
                occurrences=tuple(occurrences),
                extra={
                    "evidence": kind,
                    "pmi": st["pmi"],
                    "left_entropy": st["left"],
                    "right_entropy": st["right"],
                    "structure": structure(word),
                    "in_domain_share": in_domain_share(ctx.documents, cand.mask),
                },
            )
        )
    return phrases
