"""Outline building: a cleaned body in, a tree of :class:`SectionNode` with roles out.

Steps: tidy the lines (a ``【提纲】`` table of contents, a notice's attachment list), find heading
candidates paragraph by paragraph (``headings.py``), keep the ones the whole document supports
(series, sequences), give them levels, build the tree, cut the headingless parts of a news report
(lead, attendance, participants) into their own sections, and tag every section with its role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from app.structure.lines import prepare_lines
from app.structure.model import SectionNode
from app.structure.roles import (
    RoleCues,
    is_closing_paragraph,
    is_lead_paragraph,
    load_cues,
    paragraph_speaker,
    report_heading_role,
    report_paragraph_role,
    same_speaker,
    speech_role,
)
from app.structure.scan import Tok, tokenize


@dataclass
class _Draft:
    """A section under construction; ``role`` is set early for headingless parts."""

    level: int
    marker: str = ""
    heading: str = ""
    family: str = ""
    role: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Draft] = field(default_factory=list)
    last_para: int = -1

    def add_text(self, tok: Tok) -> None:
        """Append body text; a piece from the same source paragraph continues the last one."""
        text = tok.text.strip()
        if not text:
            return
        if self.paragraphs and tok.para == self.last_para:
            self.paragraphs[-1] += text
        else:
            self.paragraphs.append(text)
        self.last_para = tok.para


def _preamble(toks: Sequence[Tok], kind: str, cues: RoleCues) -> list[_Draft]:
    """Text before the first heading: the speech's opening, or a report's lead/attendance/… parts.

    In a report each paragraph that opens with a cue (``孙海东强调，``, ``…主持会议。``) starts a
    headingless section of that role; a paragraph without a cue continues the one before.
    """
    drafts: list[_Draft] = []
    speaker: str | None = None
    for tok in toks:
        if kind != "report":
            if not drafts:
                drafts.append(_Draft(1, role="opening" if kind == "speech" else "other"))
            drafts[-1].add_text(tok)
            continue
        same_para = bool(drafts) and tok.para == drafts[-1].last_para
        role = "lead" if not drafts else None if same_para else report_paragraph_role(tok.text, cues)
        if drafts and all(d.role == "lead" for d in drafts) and role == "attendance" and is_lead_paragraph(tok.text):
            role = "lead"  # "昨日，…推进会在市委小礼堂召开，…田蓉出席并讲话。" is still the lead
        current = None if same_para else paragraph_speaker(tok.text)
        new_speaker = not same_speaker(speaker, current)
        if role is not None and (not drafts or role != drafts[-1].role or new_speaker):
            drafts.append(_Draft(1, role=role))
        if current is not None and current not in ("他", "她"):
            speaker = current
        drafts[-1].add_text(tok)
    return drafts


def _build(toks: Sequence[Tok], kind: str, cues: RoleCues) -> list[_Draft]:
    """Nest headings by level (a stack), attach body text to the section it follows."""
    first_head = next((i for i, tok in enumerate(toks) if tok.head is not None), len(toks))
    roots = _preamble(toks[:first_head], kind, cues)
    stack: list[_Draft] = []
    for tok in toks[first_head:]:
        if tok.head is None:
            stack[-1].add_text(tok)
            continue
        head = tok.head
        draft = _Draft(tok.level, head.marker, head.text, head.family)
        while stack and stack[-1].level >= draft.level:
            stack.pop()
        if stack:
            stack[-1].children.append(draft)
        elif kind == "report" and roots and not roots[-1].heading and draft.level > 1:
            roots[-1].children.append(draft)  # paired points under a report's headingless part
            stack.append(roots[-1])
        else:
            roots.append(draft)
        stack.append(draft)
    return roots


def _last_draft(roots: list[_Draft]) -> _Draft | None:
    """The section the document's final paragraphs were attached to."""
    node = roots[-1] if roots else None
    while node is not None and node.children:
        node = node.children[-1]
    return node


def _split_trailing(roots: list[_Draft], kind: str, cues: RoleCues) -> None:
    """Move a report's closing lines (``…参加会议。``, ``会上，…``) or a speech's ``同志们，让我们…``
    out of the last section into headingless sections of their own."""
    last = _last_draft(roots)
    if last is None or (kind != "report" and not last.heading):
        return
    # a headingless part, or a speech's last point, keeps at least its first paragraph
    keep = 0 if last.heading and kind == "report" else 1
    moved: list[tuple[str, str]] = []
    while len(last.paragraphs) > keep:
        paragraph = last.paragraphs[-1]
        if kind == "report":
            role = report_paragraph_role(paragraph, cues, trailing=True)
            if role not in ("participants", "other"):
                break
        elif is_closing_paragraph(paragraph, cues):
            role = "closing"
        else:
            break
        moved.insert(0, (role, last.paragraphs.pop()))
    for role, paragraph in moved:
        if roots[-1].role == role and not roots[-1].heading:
            roots[-1].paragraphs.append(paragraph)
        else:
            roots.append(_Draft(1, role=role, paragraphs=[paragraph]))


def _freeze(draft: _Draft, kind: str, cues: RoleCues, parent_role: str | None, first: bool, last: bool) -> SectionNode:
    """Give the draft its role (top-down, so children see their parent's) and make it immutable."""
    role = draft.role
    if role is None:
        first_paragraph = draft.paragraphs[0] if draft.paragraphs else ""
        if kind == "report":
            role = report_heading_role(draft.heading, parent_role, cues)
        else:
            role = speech_role(
                draft.heading, first_paragraph, parent_role=parent_role, first=first, last=last, cues=cues
            )
    children = tuple(_freeze(child, kind, cues, role, False, False) for child in draft.children)
    return SectionNode(draft.level, draft.marker, draft.heading, role, tuple(draft.paragraphs), children)


def _freeze_all(roots: Sequence[_Draft], kind: str, cues: RoleCues) -> tuple[SectionNode, ...]:
    """Freeze the top level; ``first``/``last`` refer to headed top-level parts only."""
    headed = [i for i, draft in enumerate(roots) if draft.heading and draft.level == 1]
    first_i = headed[0] if headed else -1
    last_i = headed[-1] if len(headed) >= 3 else -1
    return tuple(_freeze(draft, kind, cues, None, i == first_i, i == last_i) for i, draft in enumerate(roots))


def parse_outline(
    body: str,
    kind: str,
    cues: RoleCues | None = None,
    printed: str | None = None,
    headings: Sequence[tuple[str, int]] = (),
) -> tuple[SectionNode, ...]:
    """Parse a cleaned, simplified body (one paragraph per line) into its outline with roles.

    ``parse_outline("同志们：…\\n一、统一思想，提高站位\\n…", "speech")`` →
    ``(SectionNode(1, "", "", "opening", …), SectionNode(1, "一、", "统一思想，提高站位", …))``.
    ``kind`` is ``speech``, ``report`` or ``other`` (treated like a speech). ``printed`` is the same body in
    the document's own script (``body`` is its simplified form, line for line): markers are then reported as
    printed (``最後``, ``第一點``), while headings stay simplified. ``headings`` is the document's own heading
    evidence, ``(text, level)`` in document order and simplified like ``body`` (a .docx's heading styles, see
    ``styled.py``): a line it marks becomes a heading of that level where it has no marker of its own.
    """
    cues = cues or load_cues()
    toks = tokenize(prepare_lines(body), kind, headings)
    roots = _build(toks, kind, cues)
    _split_trailing(roots, kind, cues)
    outline = _freeze_all(roots, kind, cues)
    if printed is not None and printed != body:
        outline = _as_printed(outline, body, printed)
    return outline


_MARKER_GAP = " \u3000，,：:、.．"
"""What may stand between a run-in marker and its heading (``最后，要…``)."""


def _as_printed(outline: tuple[SectionNode, ...], body: str, printed: str) -> tuple[SectionNode, ...]:
    """The outline with every marker spelt as in ``printed``: each marker that has Chinese characters is looked
    up in ``body`` (in document order, followed by its heading) and the same span is read off ``printed``.
    Lines whose simplified form changed length keep the simplified marker."""
    simp_lines, orig_lines = body.split("\n"), printed.split("\n")
    if len(simp_lines) != len(orig_lines):
        return outline
    cursor = (0, 0)

    def spelt(marker: str, heading: str) -> str:
        nonlocal cursor
        if not any("\u4e00" <= ch <= "\u9fff" for ch in marker):
            return marker
        for li in range(cursor[0], len(simp_lines)):
            line = simp_lines[li]
            pos = line.find(marker, cursor[1] if li == cursor[0] else 0)
            while pos >= 0:
                end = pos + len(marker)
                if line[end:].lstrip(_MARKER_GAP).startswith(heading[:6]):
                    cursor = (li, end)
                    orig = orig_lines[li]
                    return orig[pos:end] if len(orig) == len(line) else marker
                pos = line.find(marker, pos + 1)
        return marker

    def walk(node: SectionNode) -> SectionNode:
        marker = spelt(node.marker, node.heading) if node.marker and node.heading else node.marker
        children = tuple(walk(child) for child in node.children)
        if marker == node.marker and children == node.children:
            return node
        return replace(node, marker=marker, children=children)

    return tuple(walk(node) for node in outline)


def flatten(sections: Iterable[SectionNode]) -> list[tuple[SectionNode, tuple[str, ...]]]:
    """Pre-order list of ``(node, heading path)``; the path ends with the node's own heading.

    ``一、A`` with child ``（一）B`` → ``[(A, ("A",)), (B, ("A", "B"))]``.
    """
    out: list[tuple[SectionNode, tuple[str, ...]]] = []

    def walk(node: SectionNode, path: tuple[str, ...]) -> None:
        here = (*path, node.heading)
        out.append((node, here))
        for child in node.children:
            walk(child, here)

    for node in sections:
        walk(node, ())
    return out
