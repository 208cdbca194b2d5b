"""Render a draft through Jinja templates (``templates/drafts/{doc_type}.{format}.j2``).

StrictUndefined, so a template that names a missing field fails loudly in tests instead of printing
nothing. HTML templates autoescape; corpus text is only ever data, never template source.

Every template renders two copies of a draft, chosen by the ``clean`` variable:

- the *working copy* (``clean`` false): drafted paragraphs with numbered source marks (①…) and a 来源 line,
  then the alternatives (stock wording, at most ``MAX_ALTERNATIVES``) and retrieved passages, minutes, notes —
  everything a writer checks before handing the text on;
- the *clean export* (``clean`` true): headings, drafted paragraphs, the required lines of blocks without a
  paragraph and 【待补：…】 only — the text a writer pastes into the office's own document.

A user template (``BIGAN_TEMPLATES_DIR``) that ignores ``clean`` still renders; it just gives one copy for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from app.compose.model import Draft, DraftSection, Paragraph, Suggestion
from app.compose.numbering import cn_number, level1, level2, level3
from app.compose.output.script import to_traditional
from app.config import REPO_ROOT
from app.text.controls import without_controls

BUILT_IN_TEMPLATES = REPO_ROOT / "templates"
TEXT_FORMATS = {"markdown": "md", "text": "txt", "html": "html", "docx": "docx"}
MEDIA_TYPES = {
    "json": "application/json",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REQUIRED_KINDS = frozenset({"text", "placeholder"})
STOCK_KINDS = frozenset({"formulation", "formula", "idiom", "parallel", "opener", "transition", "closer"})
# Under a drafted paragraph the stock wording is a short list a writer glances at, not a second outline.
MAX_ALTERNATIVES = 5
_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_SPACES = re.compile(r"\s+")


def md_escape(text: object) -> str:
    """Corpus text in Markdown must stay text: ``<script>`` or ``**`` are escaped, not interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def one_line(text: object) -> str:
    return re.sub(r"\s*\n\s*", " ", str(text)).strip()


@dataclass(frozen=True)
class Citation:
    """One distinct source of a paragraph, numbered in the order its first sentence appears."""

    mark: str
    title: str
    date: str | None
    document_id: int | None


@dataclass(frozen=True)
class CitedSentence:
    text: str
    mark: str  # "" for built-in wording or the writer's own words


@dataclass(frozen=True)
class CitedParagraph:
    sentences: tuple[CitedSentence, ...]
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class SectionParts:
    """What a template shows for one section, in order: paragraph, required lines, alternatives, passages."""

    paragraph: CitedParagraph | None
    required: tuple[Suggestion, ...]
    alternatives: tuple[Suggestion, ...]
    passages: tuple[Suggestion, ...]


def _mark(number: int) -> str:
    return _MARKS[number - 1] if number <= len(_MARKS) else f"[{number}]"


def cite(paragraph: Paragraph) -> CitedParagraph:
    """Number the paragraph's distinct sources; each sentence carries the mark of its source.

    A source is listed once per paragraph however many sentences came from it, so the 来源 line stays short.
    Built-in wording (no title and no document) gets no mark: there is nothing for the writer to check.
    """
    marks: dict[tuple[int | None, str], Citation] = {}
    sentences: list[CitedSentence] = []
    for sentence in paragraph.sentences:
        source = sentence.source
        mark = ""
        if source is not None and (source.title or source.document_id is not None):
            title = _SPACES.sub(" ", source.title or f"文档 #{source.document_id}").strip()
            key = (source.document_id, title)
            if key not in marks:
                marks[key] = Citation(_mark(len(marks) + 1), title, source.date, source.document_id)
            mark = marks[key].mark
        sentences.append(CitedSentence(sentence.text, mark))
    return CitedParagraph(tuple(sentences), tuple(marks.values()))


def section_parts(section: DraftSection) -> SectionParts:
    """Split a section's suggestions for the templates.

    Under a paragraph, a required line the paragraph already says is not repeated; the rest (a 【待补】 the
    planner kept apart, say) follows it. Without a paragraph every suggestion keeps its place in the outline,
    so ``alternatives`` is the full list there and only a paragraph caps it at ``MAX_ALTERNATIVES``.
    """
    paragraph = section.paragraph if section.paragraph and section.paragraph.sentences else None
    said = paragraph.text if paragraph else ""
    required = tuple(
        s for s in section.suggestions if s.kind in REQUIRED_KINDS and not (said and one_line(s.text) in said)
    )
    alternatives = tuple(s for s in section.suggestions if s.kind in STOCK_KINDS)
    if paragraph:
        alternatives = alternatives[:MAX_ALTERNATIVES]
    passages = tuple(s for s in section.suggestions if s.kind == "passage")
    return SectionParts(cite(paragraph) if paragraph else None, required, alternatives, passages)


@lru_cache(maxsize=8)
def environment(user_templates: Path | None = None) -> Environment:
    """A Jinja environment whose loader tries the user's template folder first, then the built-ins."""
    loaders = [FileSystemLoader(str(user_templates))] if user_templates else []
    loaders.append(FileSystemLoader(str(BUILT_IN_TEMPLATES)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(cn_number=cn_number, level1=level1, level2=level2, level3=level3, md=md_escape, oneline=one_line)
    env.globals.update(parts=section_parts, MAX_ALTERNATIVES=MAX_ALTERNATIVES)
    return env


def template_name(draft: Draft, fmt: str) -> str:
    return f"drafts/{draft.doc_type}.{TEXT_FORMATS[fmt]}.j2"


def render_text(draft: Draft, fmt: str, user_templates: Path | None = None, clean: bool = False) -> str:
    """markdown, text, html, or the docx line protocol (``style<TAB>text`` per paragraph).

    ``clean``: the clean export (headings, paragraphs, required lines, 【待补】) instead of the working copy.
    """
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    template = environment(user_templates).get_template(template_name(draft, fmt))
    output = template.render(draft=draft, clean=clean)
    if draft.script == "traditional":
        output = to_traditional(output)  # the templates' own labels (来源, 预计…) too
    # Corpus text stored before ingestion removed control characters may still carry one; XML (.docx) refuses
    # them and no other format has a use for them.
    output = without_controls(output)
    # Blank-line runs come from template control flow; one blank line between blocks is enough.
    return re.sub(r"\n{3,}", "\n\n", output).strip() + "\n"
