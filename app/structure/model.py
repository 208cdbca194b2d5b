"""The outline node every later stage stores and shows: one heading, its role, its text, its children."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SPEECH_ROLES = ("opening", "review", "problems", "significance", "tasks", "safeguards", "closing", "other")
REPORT_ROLES = ("lead", "attendance", "remarks", "requirements", "participants", "other")


@dataclass(frozen=True)
class SectionNode:
    """One section of a document's outline.

    ``SectionNode(1, "一、", "统一思想，提高站位", "significance", ("精神文明是…",), ())`` is the
    first part of a speech; a node with ``marker == heading == ""`` holds text that has no heading
    of its own (the opening of a speech, the lead or attendance lines of a news report).
    """

    level: int  # 1 | 2 | 3
    marker: str  # "一、", "（一）", "一是", "■", "" …
    heading: str  # simplified, no marker, no trailing 。/，/：
    role: str
    paragraphs: tuple[str, ...]
    children: tuple[SectionNode, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"level", "marker", "heading", "role", "paragraphs", "children"}``."""
        return {
            "level": self.level,
            "marker": self.marker,
            "heading": self.heading,
            "role": self.role,
            "paragraphs": list(self.paragraphs),
            "children": [child.to_dict() for child in self.children],
        }
