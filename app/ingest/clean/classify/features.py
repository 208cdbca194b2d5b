"""What the line classifier sees of a line: its character n-grams and a few layout facts.

One function, ``line_features``, is shared by training (``classify.train``) and scoring (``classify.model``), so
the model always reads the features it was trained on. Everything is plain Python on purpose: scoring runs inside
``clean_text`` on every document, where building a sparse matrix per document would cost more than the rules.
Features are a ``{name: value}`` dict: ``g:`` + an n-gram of the simplified line (with ``^``/``$`` at its ends, so
``^本文`` and ``摄$`` are features of their own), and ``f:`` + a layout fact scaled to about [0, 1].
"""

from __future__ import annotations

import math
import re

from app.ingest import vocab
from app.ingest.clean import chrome as ch
from app.ingest.clean.common import CJK, ZH_PUNCT, ends_sentence, is_heading, is_salutation

NGRAM_MAX = 3
_CJK_RE = re.compile(f"[{CJK}]")
_DIGIT_RE = re.compile(r"\d")
_LATIN_RE = re.compile(r"[A-Za-z]")
_PUNCT_RE = re.compile(f"[{re.escape(ZH_PUNCT)}!-/:-@\\[-`{{-~]")
_ODD_RE = re.compile("[?\ufffd\u25a1]")  # what a lost character turns into: ``?``, ``�``, ``□``
_PROSE_RE = re.compile("的|了|我们|是|在|要|和")
"""Function words: dense in sentences a speech is made of, rare in menus, notices and file names."""


def rule_flags(shadow: str) -> bool:
    """Whether one of the cleaner's chrome predicates (each bounded in length, so a paragraph that mentions a
    公众号 is not one) says the line is site chrome: the rules' own opinion, as one feature and as a gate."""
    return bool(
        ch.is_chrome_bar(shadow)
        or ch.is_nav_bar(shadow)
        or ch.is_portal_chrome(shadow)
        or ch.is_site_blurb(shadow)
        or ch.is_member_promo(shadow)
        or ch.is_disclaimer(shadow)
        or ch.is_read_more(shadow)
        or ch.is_date_widget(shadow)
        or vocab.is_doc_notice(shadow)
        or vocab.is_reading_time(shadow)
        or vocab.is_platform_label(shadow)
    )


def _ratio(pattern: re.Pattern[str], text: str) -> float:
    return len(pattern.findall(text)) / len(text)


def layout_features(shadow: str, position: float) -> dict[str, float]:
    """Where the line stands and what it is made of; ``position`` is its place in the document, 0 (top) to 1."""
    n = len(shadow)
    words = vocab.site_words()
    return {
        "f:position": position,
        "f:head": float(position < 0.1),
        "f:tail": float(position > 0.9),
        "f:length": min(math.log1p(n) / 6, 1.0),
        "f:short": float(n <= 12),
        "f:cjk": _ratio(_CJK_RE, shadow),
        "f:digit": _ratio(_DIGIT_RE, shadow),
        "f:latin": _ratio(_LATIN_RE, shadow),
        "f:punct": _ratio(_PUNCT_RE, shadow),
        "f:odd": min(_ratio(_ODD_RE, shadow) * 5, 1.0),
        "f:prose": min(_ratio(_PROSE_RE, shadow) * 10, 1.0),
        "f:sentence": float(ends_sentence(shadow)),
        "f:heading": float(is_heading(shadow) or is_salutation(shadow)),
        "f:rules": float(rule_flags(shadow)),
        "f:site_words": float(bool(words.platform.search(shadow) or words.doc_notice.search(shadow))),
    }


def ngram_features(shadow: str) -> dict[str, float]:
    """Character 1–3-grams of the line, counts scaled to unit length (as ``TfidfVectorizer(analyzer="char")``
    without idf): a long line does not outvote a short one by being long."""
    text = f"^{shadow}$"
    counts: dict[str, float] = {}
    for size in range(1, NGRAM_MAX + 1):
        for i in range(len(text) - size + 1):
            gram = "g:" + text[i : i + size]
            counts[gram] = counts.get(gram, 0.0) + 1.0
    norm = math.sqrt(sum(c * c for c in counts.values()))
    return {gram: c / norm for gram, c in counts.items()}


def line_features(shadow: str, position: float) -> dict[str, float]:
    return {**ngram_features(shadow), **layout_features(shadow, position)}


def positions(lines: list[str]) -> list[float]:
    """Each line's place in the document: the share of its characters that come before it."""
    total = sum(map(len, lines)) or 1
    out: list[float] = []
    seen = 0
    for line in lines:
        out.append(seen / total)
        seen += len(line)
    return out
