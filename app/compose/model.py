"""The composer's output: a draft outline as typed values (also the JSON the API returns).

Every model here is frozen and holds tuples, not lists: drafts are cached (``service.DraftCache``) and their
suggestions memoised per bank, so one object is read by many requests and threads at once. Assigning a field
raises ``pydantic.ValidationError`` (``frozen_instance``) and a tuple has no ``append``; a variant (another
heading for 换一个, a trimmed section) is a new object built with ``model_copy(update=...)`` — pass tuples
there, as ``model_copy`` does not validate.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

SuggestionKind = Literal[
    "text", "placeholder", "formulation", "formula", "idiom", "parallel", "opener", "transition", "closer", "passage"
]


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class SourceRef(FrozenModel):
    """Where a suggestion came from; ``document_id`` is None for built-in stock formulations."""

    document_id: int | None = None
    title: str | None = None
    date: str | None = None


class Suggestion(FrozenModel):
    kind: SuggestionKind = Field(description="text: draft wording; placeholder: 【待补】 facts; passage: retrieved.")
    text: str
    source: SourceRef | None = None


class DraftSentence(FrozenModel):
    """One sentence of a drafted paragraph, with where its wording came from.

    ``source`` is the past document the sentence was taken from (adapted: slots filled, spun words restored,
    facts that cannot be known turned into 【待补：…】); None for built-in wording or the writer's own words.
    """

    text: str
    source: SourceRef | None = None


class Paragraph(FrozenModel):
    """The drafted prose under a heading: sentences chosen for its subject and role, joined in order."""

    sentences: tuple[DraftSentence, ...] = Field(default_factory=tuple)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


class ParallelCheck(FrozenModel):
    """Whether sibling headings form a 排比: same lead structure and similar length."""

    ok: bool
    lead: str = Field(description="What the siblings share, e.g. 要…, 以…为…, XXXX、XXXX，…")
    lengths: tuple[int, ...]
    spread: int = Field(description="Longest minus shortest, in characters.")


class DraftSection(FrozenModel):
    number: str = Field(description="一、 / （一） / ■, empty for unnumbered blocks (opening, closing, lead).")
    heading: str
    role: str
    level: int = Field(ge=0, le=3, description="0 unnumbered block, 1 一、, 2 （一）/■, 3 1.")
    topic: str | None = None
    minutes: float = 0.0
    paragraph: Paragraph | None = Field(default=None, description="Drafted prose (detail=paragraphs).")
    suggestions: tuple[Suggestion, ...] = Field(
        default_factory=tuple,
        description="Required lines (text, placeholder), then alternatives: stock wording and passages.",
    )
    alternatives: tuple[str, ...] = Field(default_factory=tuple, description="Other headings for 换一个.")
    notes: tuple[str, ...] = Field(default_factory=tuple)
    parallel: ParallelCheck | None = Field(default=None, description="排比 check of this section's children.")
    children: tuple[DraftSection, ...] = Field(default_factory=tuple)


class Draft(FrozenModel):
    title: str
    doc_type: Literal["speech", "report"]
    script: Literal["simplified", "traditional"] = "simplified"
    byline: tuple[str, ...] = Field(default_factory=tuple, description="Speaker and date lines under the title.")
    salutation: str | None = None
    minutes: float = 0.0
    chars_per_minute: int = 220
    target_minutes: int | None = None
    meeting_type: str = Field(default="", description="动员部署 / 推进 / 表彰 / 总结 / 座谈 / 专题部署 / 会议报道 key.")
    meeting_type_source: Literal["request", "inferred", ""] = ""
    skeleton: tuple[str, ...] = Field(default_factory=tuple, description="Roles of the level-1 parts, in order.")
    skeleton_source: str = Field(default="default", description="mined: from the corpus; default: built in.")
    parallel: ParallelCheck | None = Field(default=None, description="排比 check of the level-1 headings.")
    notes: tuple[str, ...] = Field(default_factory=tuple)
    sections: tuple[DraftSection, ...] = Field(default_factory=tuple)

    def with_notes(self, *notes: str) -> Draft:
        """This draft with ``notes`` added after its own."""
        return self.model_copy(update={"notes": (*self.notes, *notes)}) if notes else self

    def walk(self) -> list[DraftSection]:
        """Every section, depth first."""
        found: list[DraftSection] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            found.append(section)
            stack.extend(reversed(section.children))
        return found
