"""The headings of a parsed outline, as the outline parser's tests compare them."""

from __future__ import annotations

from app.structure import SectionNode, flatten


def headings(outline: tuple[SectionNode, ...]) -> list[tuple[int, str, str]]:
    """(level, marker, heading) of every headed node, pre-order."""
    return [(node.level, node.marker, node.heading) for node, _ in flatten(outline) if node.heading]
