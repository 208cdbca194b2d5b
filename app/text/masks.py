"""Masked names: where a document printed a blank instead of a name, a place or a year.

Web copies of speeches hide names in many ways: ``××同志``, ``×××县长``, ``XX市``, ``xx书记``, ``x局``,
``**任组长``, ``＊区``, ``深入学习贯彻_总书记``, ``○○镇``, ``20XX年``, ``xxxx年``. The cleaner keeps them exactly
as printed (they are body text); the miner asks ``find_masks`` where they are, to turn them into slots
(``XX同志`` → ``{人名}同志``) or to restore the name a fixed political term starts with.

``find_masks`` is precise rather than eager: Latin words and numbers are never masks (``NetEase``, ``APP``,
``DOCX``, ``x86``, ``3×5``, ``iPhone X``, ``X光``), a mask touches Chinese text or stands alone, and ``○``
needs two in a row and no Chinese numeral beside it (``二○○五年`` is a year, not a blank). Plain Chinese
placeholders (``某某``, ``某``) are words, not marks, and are not reported. Imports nothing from the rest of
the application, so the cleaner and the miner can both use it.
"""

from __future__ import annotations

import re

from app.text.normalise import CJK_RE

Span = tuple[int, int]

MASK_CHARS = "xX×＊*_○"
"""Every character a mask is made of; a text without any of them has no mask (a cheap pre-check)."""

MASK_TRIGGER_RE = re.compile(f"[{re.escape(MASK_CHARS)}]")

_MASKED_YEAR_RE = re.compile(r"(?<![0-9])(?:19|20)[xX×]{2}(?=年)")
_MASK_RUN_RE = re.compile(r"[xX×＊*_○]+")
_NOT_NEXT_TO = re.compile(r"[A-Za-z0-9.\-/@#&=%+]")
_XRAY_RE = re.compile(r"光|射线|染色体")
_LATIN_OR_DIGIT_RE = re.compile(r"[A-Za-z0-9]")
_ZH_PUNCT = "，。、；：！？（）《》〈〉“”‘’「」『』【】…—～·﹔﹐"  # as ``clean_common.ZH_PUNCT``
_CN_NUMERALS = "〇零○一二三四五六七八九十"


def _zh(ch: str) -> bool:
    return bool(ch) and (bool(CJK_RE.match(ch)) or ch in _ZH_PUNCT)


def find_masks(text: str) -> list[Span]:
    """``(start, end)`` of every masked name, place or year in ``text``, in order; never overlapping.

    ``刚才,XX同志作了报告`` → ``[(3, 5)]``; ``(20XX年5月9日)`` → ``[(1, 5)]`` (a masked year includes its
    century); ``符合*实际`` → ``[(2, 3)]``; ``采用x86架构``, ``引进X光机``, ``3×5米`` → ``[]``. Linear in the text.
    """
    if not MASK_TRIGGER_RE.search(text):
        return []
    spans = [m.span() for m in _MASKED_YEAR_RE.finditer(text)]
    taken = {i for s, e in spans for i in range(s, e)}  # inside a masked year already
    for m in _MASK_RUN_RE.finditer(text):
        start, end = m.span()
        if start in taken:
            continue
        run = m.group()
        left = text[start - 1] if start else ""
        right = text[end] if end < len(text) else ""
        if (left and _NOT_NEXT_TO.match(left)) or (right and _NOT_NEXT_TO.match(right) and right != "%"):
            continue
        if left == " " and start >= 2 and _LATIN_OR_DIGIT_RE.match(text[start - 2]):
            continue  # "iPhone X发布"
        if "○" in run and (len(run) < 2 or (left and left in _CN_NUMERALS) or (right and right in _CN_NUMERALS)):
            continue  # 二○二四年, 二○○五年: a written-out year
        if run in ("X", "x") and _XRAY_RE.match(text[end : end + 3]):
            continue
        if _zh(left) or _zh(right) or (not left and not right):
            spans.append((start, end))
    spans.sort()
    return spans


def has_mask(text: str) -> bool:
    """True when ``text`` holds a masked name: ``XX同志作了报告`` yes, ``采用x86架构`` no."""
    return bool(find_masks(text))


def strip_masks(text: str) -> str:
    """``text`` without its masks: ``刚才,XX同志`` → ``刚才,同志`` (two copies masked differently compare equal)."""
    spans = find_masks(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def blank_masks(text: str) -> str:
    """``text`` with each mask replaced by one space: what search indexes, so ``XX同志`` yields no ``xx`` word or
    ``x同`` bigram, and the words on either side of a blank are not joined into one."""
    spans = find_masks(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [text[pos:start], " "]
        pos = end
    out.append(text[pos:])
    return "".join(out)
