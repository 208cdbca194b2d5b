"""The composer's output: a draft outline as typed values (also the JSON the API returns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

SuggestionKind = Literal[
    "text", "placeholder", "formulation", "formula", "idiom", "parallel", "opener", "transition", "closer", "passage"
]


class SourceRef(BaseModel):
    """Where a suggestion came from; ``document_id`` is None for built-in stock formulations."""

    document_id: int | None = None
    title: str | None = None
    date: str | None = None


class Suggestion(BaseModel):
    kind: SuggestionKind = Field(description="text: draft wording; placeholder: 【待补】 facts; passage: retrieved.")
    text: str
    source: SourceRef | None = None


class ParallelCheck(BaseModel):
    """Whether sibling headings form a 排比: same lead structure and similar length."""

    ok: bool
    lead: str = Field(description="What the siblings share, e.g. 要…, 以…为…, XXXX、XXXX，…")
    lengths: list[int]
    spread: int = Field(description="Longest minus shortest, in characters.")


class DraftSection(BaseModel):
    number: str = Field(description="一、 / （一） / ■, empty for unnumbered blocks (opening, closing, lead).")
    heading: str
    role: str
    level: int = Field(ge=0, le=3, description="0 unnumbered block, 1 一、, 2 （一）/■, 3 1.")
    topic: str | None = None
    minutes: float = 0.0
    suggestions: list[Suggestion] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list, description="Other headings for 换一个.")
    notes: list[str] = Field(default_factory=list)
    parallel: ParallelCheck | None = Field(default=None, description="排比 check of this section's children.")
    children: list[DraftSection] = Field(default_factory=list)


class Draft(BaseModel):
    title: str
    doc_type: Literal["speech", "report"]
    script: Literal["simplified", "traditional"] = "simplified"
    byline: list[str] = Field(default_factory=list, description="Speaker and date lines under the title.")
    salutation: str | None = None
    minutes: float = 0.0
    chars_per_minute: int = 220
    target_minutes: int | None = None
    skeleton: list[str] = Field(default_factory=list, description="Roles of the level-1 parts, in order.")
    skeleton_source: str = Field(default="default", description="mined: from the corpus; default: built in.")
    parallel: ParallelCheck | None = Field(default=None, description="排比 check of the level-1 headings.")
    notes: list[str] = Field(default_factory=list)
    sections: list[DraftSection] = Field(default_factory=list)
    # Rendered outputs by format, filled by the API: a cached draft is rendered once, not per request.
    _rendered: dict[str, bytes] = PrivateAttr(default_factory=dict)

    def rendered(self, fmt: str, render: Callable[[Draft], bytes]) -> bytes:
        if fmt not in self._rendered:
            self._rendered[fmt] = render(self)
        return self._rendered[fmt]

    def walk(self) -> list[DraftSection]:
        """Every section, depth first."""
        found: list[DraftSection] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            found.append(section)
            stack.extend(reversed(section.children))
        return found
