"""Text features for the retriever: words from our ``Tokenizer`` and character bigrams, counted fast.

Both blocks are weighted exactly like scikit-learn's ``TfidfVectorizer(analyzer=…, sublinear_tf=True)``
(``tests/test_retrieve.py`` checks the equality). The counting is done here rather than by the vectorizer
itself because its per-feature Python loop costs ~250 ns a feature — minutes at a million passages — while
these counters turn tokens into ids with C-level ``map`` over a ``defaultdict`` (words) and find, number and
count character bigrams with numpy over whole chunks of text (bigrams). The tf-idf weighting is then
scikit-learn's own ``TfidfTransformer``.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import chain
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from app.text.tokenize import Tokenizer

# Function words that carry no topic: dropped from the word block (bigrams keep every character pair).
# fmt: off
STOP_WORDS = frozenset([
    "的", "地", "得", "了", "着", "过", "和", "与", "及", "以及", "或", "或者", "是", "在", "要", "把", "将", "为",
    "为了", "对", "对于", "以", "上", "中", "下", "也", "就", "都", "而", "并", "并且", "从", "让", "使", "有",
    "各", "这", "那", "这个", "那个", "这些", "那些", "其", "之", "被", "所", "于", "由", "向", "给", "到", "如",
    "即", "则", "但", "但是", "又", "还", "很", "更", "最", "再", "已", "已经", "一", "一个", "个", "我", "你",
    "他", "她", "它", "我们", "你们", "他们", "大家", "自己", "吧", "吗", "呢", "啊", "呀", "么", "不", "没有",
    "能", "会", "可以", "等", "等等", "同时", "进一步", "进行", "通过", "因为", "所以", "因此", "如果", "虽然",
    "不仅", "而且", "还是", "就是", "一些", "什么", "怎么", "这样", "那样", "其中", "之一", "方面", "有关",
])
# fmt: on
CHUNK = 20_000  # passages counted at a time: bounds the transient memory of a big build
PARALLEL_MIN_CHARS = 2_000_000  # below this, starting worker processes costs more than it saves

_WORD_CHAR = re.compile(r"\w")
_RUN = re.compile(r"[^\W_]+")


def keep_word(token: str) -> bool:
    """A word feature: has a letter, digit or ideograph and is not a function word (``的`` ``我们``)."""
    return bool(_WORD_CHAR.search(token)) and "_" not in token and token not in STOP_WORDS


class RetrievalTokenizer(Tokenizer):
    """Our ``Tokenizer`` (phrasebank lexicons) plus extra whole words, e.g. phrase-bank idioms and formulas."""

    def __init__(self, lexicon_dir: Path | None = None, extra_words: Iterable[str] = ()) -> None:
        super().__init__(lexicon_dir)
        self.extra_words = tuple(extra_words)
        for word in self.extra_words:
            self._jieba.add_word(word, max(self._jieba.suggest_freq(word), 1), "nz")

    def words(self, text: str) -> list[str]:
        """Word features of ``text`` (lower-cased): ``志愿服务组织的建设`` → ``['志愿服务', '组织', '建设']``."""
        return [t for t in self.cut(text.lower()) if keep_word(t)]


def bigrams(text: str) -> list[str]:
    """Character bigrams inside runs of letters, digits and ideographs: ``文明城市,创建`` → 文明 明城 城市 创建."""
    out: list[str] = []
    for run in _RUN.findall(text.lower()):
        out += map(operator.add, run, run[1:])  # each character with the next (C-level, no generator frames)
    return out


def _csr(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """Count matrix from (row, column) pairs; duplicates are summed."""
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sp.coo_matrix((data, (rows, cols)), shape=(n_rows, n_cols)).tocsr()
    matrix.sum_duplicates()
    return matrix


def _stack(blocks: list[sp.csr_matrix], n_cols: int) -> sp.csr_matrix:
    resized = []
    for block in blocks:
        block = block.copy() if block.shape[1] != n_cols else block
        block.resize((block.shape[0], n_cols))
        resized.append(block)
    if not resized:
        return sp.csr_matrix((0, n_cols), dtype=np.float32)
    out = sp.vstack(resized, format="csr", dtype=np.float32)
    out.indices = out.indices.astype(np.int32, copy=False)
    out.indptr = out.indptr.astype(np.int64 if out.nnz >= 2**31 else np.int32, copy=False)
    return out


def count_words(
    tokenizer: RetrievalTokenizer, texts: Sequence[str], workers: int = 1
) -> tuple[sp.csr_matrix, list[str]]:
    """Word counts (passages × vocabulary, columns in first-seen order) and the vocabulary.

    With ``workers`` > 1 and enough text, worker processes cut while this one counts; the result is the same.
    """
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    blocks = []
    for _start, tokens in _cut_chunks(tokenizer, texts, workers):
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        cols = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(tokens)), dtype=np.int32)
        rows = np.repeat(np.arange(len(tokens), dtype=np.int32), lengths)
        blocks.append(_csr(rows, cols, len(tokens), len(vocabulary)))
    terms = list(vocabulary)
    counts = _stack(blocks, len(terms))
    keep = np.fromiter((keep_word(t) for t in terms), dtype=bool, count=len(terms))
    return _select_columns(counts, keep), [t for t, k in zip(terms, keep, strict=True) if k]


def _cut_chunks(
    tokenizer: RetrievalTokenizer, texts: Sequence[str], workers: int
) -> Iterator[tuple[int, list[list[str]]]]:
    starts = range(0, len(texts), CHUNK)
    if workers <= 1 or sum(len(t) for t in texts) < PARALLEL_MIN_CHARS:
        for start in starts:
            yield start, [tokenizer.cut(t.lower()) for t in texts[start : start + CHUNK]]
        return
    initargs = (str(tokenizer.lexicon_dir), tuple(tokenizer.extra_words))
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=initargs) as pool:
        jobs = pool.map(_cut_joined, (list(texts[start : start + CHUNK]) for start in starts))
        for start, joined in zip(starts, jobs, strict=True):
            yield start, [passage.split("\x01") if passage else [] for passage in joined.split("\x02")]


_WORKER: RetrievalTokenizer | None = None


def _init_worker(lexicon_dir: str, extra_words: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = RetrievalTokenizer(Path(lexicon_dir), extra_words)


def _cut_joined(texts: list[str]) -> str:
    """Tokens of each text joined by \\x01, texts joined by \\x02: one string pickles far faster than lists."""
    assert _WORKER is not None
    return "\x02".join("\x01".join(_WORKER.cut(t.lower().replace("\x01", " ").replace("\x02", " "))) for t in texts)


def _select_columns(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    if keep.all():
        return matrix
    new_index = np.cumsum(keep, dtype=np.int64) - 1
    mask = keep[matrix.indices]
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))
    return _csr_from_sorted(
        row_of[mask], new_index[matrix.indices[mask]], matrix.data[mask], matrix.shape[0], int(keep.sum())
    )


def _csr_from_sorted(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix((data.astype(np.float32), cols.astype(np.int32), indptr), shape=(n_rows, n_cols))


class _CharTable:
    """Which code points are letters, digits or ideographs (learned lazily for the characters seen)."""

    def __init__(self) -> None:
        self.state = np.full(0x110000, -1, dtype=np.int8)

    def word_mask(self, codes: np.ndarray) -> np.ndarray:
        states = self.state[codes]
        unknown = np.unique(codes[states < 0])
        if len(unknown):
            self.state[unknown] = [1 if chr(c).isalnum() and c != 0x5F else 0 for c in unknown.tolist()]
            states = self.state[codes]
        return states > 0


def _bigram_keys(texts: Sequence[str], table: _CharTable) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every bigram of ``texts``; key = first code point << 21 | second code point."""
    joined = "\x00".join(texts).lower()
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    word = table.word_mask(codes)
    positions = np.flatnonzero(word[:-1] & word[1:])
    keys = (codes[positions].astype(np.int64) << 21) | codes[positions + 1].astype(np.int64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = (np.searchsorted(starts, positions, side="right") - 1).astype(np.int32)
    return rows, keys


def count_bigrams(texts: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Bigram counts (passages × vocabulary, columns in order of first appearance) and the vocabulary."""
    table = _CharTable()
    known = np.zeros(0, dtype=np.int64)  # sorted keys seen so far
    known_ids = np.zeros(0, dtype=np.int32)  # their column numbers
    order: list[np.ndarray] = []  # keys in column order, chunk by chunk
    blocks = []
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        rows, keys = _bigram_keys(chunk, table)
        where = np.searchsorted(known, keys)
        hit = where < len(known)
        hit[hit] = known[where[hit]] == keys[hit]
        if not hit.all():
            fresh = np.unique(keys[~hit])
            fresh_ids = np.arange(len(known), len(known) + len(fresh), dtype=np.int32)
            order.append(fresh)
            merged = np.concatenate((known, fresh))
            sort = np.argsort(merged, kind="stable")
            known, known_ids = merged[sort], np.concatenate((known_ids, fresh_ids))[sort]
            where = np.searchsorted(known, keys)
        blocks.append(_csr(rows, known_ids[where], len(chunk), len(known)))
    keys_in_order = np.concatenate(order) if order else np.zeros(0, dtype=np.int64)
    terms = [chr(k >> 21) + chr(k & 0x1FFFFF) for k in keys_in_order.tolist()]
    return _stack(blocks, len(terms)), terms
