"""Paragraph styles (``word/styles.xml``) as structure evidence: which paragraphs Word treats as headings, which
is the title, and the numbering a paragraph inherits from its style.

A heading in Word is a paragraph with an outline level: its own ``w:pPr/w:outlineLvl`` (0 = level 1 … 8; 9 =
body text), or its style's, looked up through the ``w:basedOn`` chain. Built-in heading styles carry the level
too, and are also known by name — Word writes ``heading 1`` … ``heading 9`` and ``Title`` whatever the language
of the user interface, WPS and localised templates write ``标题 1`` / ``标题1`` and ``标题`` — and by the ids
Word gives them (``Heading1``, ``Title``). Table-of-contents entry styles (``toc 1`` …) mark generated text.

Works on parsed XML only, like ``docx_numbering``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from app.ingest.read.docx_numbering import child_val, to_int, w

TITLE_LEVEL = 0
_BODY_OUTLINE = 9  # w:outlineLvl 9 is "body text": explicitly not a heading
_HEADING_RE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_TOC_RE = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.IGNORECASE)
_MAX_CHAIN = 20  # basedOn chains are short; a loop in a damaged file must not hang the reader


@dataclass(frozen=True)
class ParaStyle:
    """What a paragraph style says about structure."""

    name: str
    based_on: str | None
    outline: int | None  # w:outlineLvl
    num_id: str | None  # w:numPr/w:numId
    ilvl: int | None  # w:numPr/w:ilvl


def outline_level(value: int | None) -> int | None:
    """A ``w:outlineLvl`` value as a heading level (0 → 1 … 8 → 9); 9 and nonsense are body text."""
    return value + 1 if value is not None and 0 <= value < _BODY_OUTLINE else None


def _named_level(style_id: str, name: str) -> int | None:
    """Heading level a built-in style's name or id gives (``heading 2``/``标题 2``/``Heading2`` → 2, title → 0)."""
    for label in (name.strip(), style_id):
        if label.lower() in _TITLE_NAMES:
            return TITLE_LEVEL
        match = _HEADING_RE.match(label)
        if match:
            return int(match.group(1))
    return None


class Styles:
    """The paragraph styles of one document, with their ``w:basedOn`` inheritance resolved on demand."""

    def __init__(self, root: etree._Element | None) -> None:
        self._styles: dict[str, ParaStyle] = {}
        self.num_style_links: dict[str, str] = {}  # numbering style id → its w:numId (w:numStyleLink targets)
        self.default: str | None = None  # the style of a paragraph without w:pStyle ("Normal")
        for el in root.findall(w("style")) if root is not None else ():
            style_id = el.get(w("styleId"))
            if style_id is None:
                continue
            kind = el.get(w("type"), "paragraph")
            ppr = el.find(w("pPr"))
            num_pr = ppr.find(w("numPr")) if ppr is not None else None
            num_id = child_val(num_pr, "numId")
            if kind == "numbering" and num_id is not None:
                self.num_style_links[style_id] = num_id
            if kind != "paragraph":
                continue
            self._styles[style_id] = ParaStyle(
                name=child_val(el, "name") or "",
                based_on=child_val(el, "basedOn"),
                outline=to_int(child_val(ppr, "outlineLvl")),
                num_id=num_id,
                ilvl=to_int(child_val(num_pr, "ilvl")),
            )
            if el.get(w("default")) in ("1", "true", "on"):
                self.default = style_id

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, ParaStyle]]:
        """The style and the styles it is based on, nearest first."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and len(seen) < _MAX_CHAIN:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return
            yield style_id, style
            style_id = style.based_on

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for the title style, 1–9 for a heading style (by outline level, name or id), ``None`` for body text.

        The nearest style that says anything decides: a custom ``发言标题`` based on ``heading 2`` is level 2,
        and one that sets its own outline level uses that.
        """
        for sid, style in self._chain(style_id):
            if style.outline is not None:
                return outline_level(style.outline)
            named = _named_level(sid, style.name)
            if named is not None:
                return named
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """``(numId, ilvl)`` a paragraph of this style inherits (the nearest style with a ``w:numPr``)."""
        for _, style in self._chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def is_toc(self, style_id: str | None) -> bool:
        """A table-of-contents entry (``toc 1`` …): text Word generated from the headings, with page numbers."""
        style = self._styles.get(style_id) if style_id else None
        return style is not None and bool(_TOC_RE.match(style.name.strip()) or _TOC_RE.match(style_id or ""))
