"""Headings a word processor marks by style or outline level instead of a typed marker.

A .docx whose headings carry ``标题 1`` / ``标题 2`` (or outline levels) but no ``一、`` reads as plain lines; the
reader reports those paragraphs beside the text as ``(text, level)`` hints (``RawDoc.headings``). Here the
hints are found again among the cleaned, simplified lines the outline parser sees — in order, because the
cleaner may have dropped a hinted line (the title, a duplicate) and may have glued a heading to the paragraph
after it, so a hint also matches the start of a longer line.

The style only decides where there is no marker: a hinted line that starts with a marker the grammar knows
(``一、`` ``（一）`` ``1.`` ``一是`` ``■`` …) keeps the marker's heading and level, exactly as if it had been
typed. A styled heading without one gets the level its style has among the styles the document uses for
headings: a document whose sections are ``标题 2`` and sub-sections ``标题 3`` has levels 1 and 2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.structure.headings import MAX_TITLE, clean_heading
from app.text.normalise import normalise_width

_MIN_PREFIX = 4  # a hint this long may match the start of a longer line (a heading glued to its paragraph)
_LOOKAHEAD = 50  # hints the cleaner dropped are skipped; a line is never matched to a hint this far ahead
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_SPACE_RE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACE_RE.sub("", normalise_width(text))


def _prefix_length(line: str, key: str) -> int:
    """How many characters of ``line`` spell ``key`` once whitespace is ignored (``line`` starts with it)."""
    i = j = 0
    while j < len(key) and i < len(line):
        if not line[i].isspace():
            j += 1
        i += 1
    return i


def _usable(text: str) -> bool:
    """A heading of at least two Chinese characters and at most a heading's length (not a styled paragraph)."""
    heading = clean_heading(text)
    return len(_CJK_RE.findall(heading)) >= 2 and len(heading) <= MAX_TITLE


def styled_lines(lines: Sequence[str], hints: Sequence[tuple[str, int]]) -> dict[int, tuple[int, int]]:
    """Lines that carry a heading hint: ``{line index: (outline level 1–3, length of the heading in the line)}``.

    ``styled_lines(["同志们：…", "统一思想", "…", "加强领导各级党委要…"], [("统一思想", 2), ("加强领导", 3)])``
    → ``{1: (1, 4), 3: (2, 4)}``: the document's two heading styles become levels 1 and 2.
    """
    wanted = [(_key(text), level) for text, level in hints if level >= 1]
    if not wanted:
        return {}
    found: dict[int, tuple[int, int]] = {}
    cursor = 0
    for index, line in enumerate(lines):
        line_key = _key(line)
        for j in range(cursor, min(len(wanted), cursor + _LOOKAHEAD)):
            key, level = wanted[j]
            whole = line_key == key
            if not key or not (whole or (len(key) >= _MIN_PREFIX and line_key.startswith(key))):
                continue
            length = len(line) if whole else _prefix_length(line, key)
            if _usable(line[:length]):
                found[index] = (level, length)
                cursor = j + 1
            break
    ranks = {level: rank for rank, level in enumerate(sorted({level for level, _ in found.values()}), start=1)}
    return {index: (min(ranks[level], 3), length) for index, (level, length) in found.items()}
