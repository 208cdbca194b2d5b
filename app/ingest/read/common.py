"""What every reader shares: the read limits, what a reader hands back, and a size for people to read.

Its own module so the format readers (``docx.py`` …) and the dispatch in ``formats.py`` can both import it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

HeadingHint = tuple[str, int]
"""``("统一思想，提高站位", 1)``: a paragraph the word processor marks as a heading (by style or outline level)
and its level, 1 for the top; level 0 marks the document title."""


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep one hostile or huge upload from exhausting memory or CPU, and how scanned pages are read
    (they travel together to the parse process)."""

    max_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 2000
    max_pdf_pages: int = 500
    ocr: bool = True  # recognise PDF pages without a text layer when Tesseract is installed (ocr.py)
    ocr_languages: str = "chi_sim"  # Tesseract's language data, "+"-joined: "chi_sim+chi_tra" reads 繁体 better
    ocr_page_seconds: float = 30.0  # added to the file's time limit per page to recognise


DEFAULT_LIMITS = ReadLimits()


class Extracted(NamedTuple):
    """What a reader found: the text, the encoding it was decoded from, heading evidence (docx only), and the
    format when the reader knows more than the suffix (``"pdf-ocr"``: a scan whose text was recognised)."""

    text: str
    encoding: str | None
    headings: tuple[HeadingHint, ...] = ()
    fmt: str | None = None


def human_size(size: int) -> str:
    """``human_size(20 * 1024 * 1024)`` → ``"20 MB"``; ``human_size(1536)`` → ``"1.5 KB"``."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
