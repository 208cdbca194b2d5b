"""Character-level normalisation shared by every pipeline stage.

Traditional → simplified conversion uses the official ``opencc`` package (C++ core, ~146 MB/s here).
``t2s`` keeps string length for practically all input, which lets the cleaner find noise on the
simplified shadow of a line and cut the same span from the original (see ``clean.py``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["simplified", "traditional"]

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Full-width forms that should become ASCII (letters, digits, a few symbols) — Chinese punctuation
# such as ，。：；！？（）「」 stays as it is because writers and headings depend on it.
_FULLWIDTH_ASCII = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ASCII.update({"％": "%", "＋": "+", "＝": "=", "＠": "@", "＃": "#", "＆": "&", "／": "/"})
_WIDTH_TABLE = str.maketrans(_FULLWIDTH_ASCII)
_SPACES_RE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified: ``建設會議`` → ``建设会议``."""
    return _t2s().convert(text) if text else text


def to_traditional(text: str) -> str:
    """Convert simplified characters to traditional: ``建设会议`` → ``建設會議``."""
    return _s2t().convert(text) if text else text


def detect_script(text: str) -> Script:
    """Tell whether a text is written in traditional or simplified characters.

    Counts the characters that t2s changes; a text is traditional when more than 3 % of its Chinese
    characters are traditional-only (simplified texts hit a few false friends like 乾/著/隻).
    """
    cjk = CJK_RE.findall(text)
    if not cjk:
        return "simplified"
    sample = "".join(cjk[:20000])
    converted = to_simplified(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    return "traditional" if changed / len(sample) > 0.03 else "simplified"


def normalise_width(text: str) -> str:
    """Full-width letters/digits → ASCII, odd spaces → one space, zero-width marks dropped.

    ``２０２５年ＡＢＣ`` → ``2025年ABC``; Chinese punctuation (，。（）) is kept.
    """
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    return text.translate(_WIDTH_TABLE)


def nfkc_key(text: str) -> str:
    """A comparison key: NFKC, simplified, no whitespace — how gold strings are compared."""
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text)))


def cjk_ratio(text: str) -> float:
    """Share of non-space characters that are Chinese."""
    stripped = re.sub(r"\s+", "", text)
    if not stripped:
        return 0.0
    return len(CJK_RE.findall(stripped)) / len(stripped)
