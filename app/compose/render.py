"""Render a draft through Jinja templates (``templates/drafts/{doc_type}.{format}.j2``).

StrictUndefined, so a template that names a missing field fails loudly in tests instead of printing
nothing. HTML templates autoescape; corpus text is only ever data, never template source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from app.compose.model import Draft
from app.compose.numbering import cn_number, level1, level2, level3
from app.compose.script import to_traditional
from app.config import REPO_ROOT

BUILT_IN_TEMPLATES = REPO_ROOT / "templates"
TEXT_FORMATS = {"markdown": "md", "text": "txt", "html": "html", "docx": "docx"}
MEDIA_TYPES = {
    "json": "application/json",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: object) -> str:
    """Corpus text in Markdown must stay text: ``<script>`` or ``**`` are escaped, not interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def one_line(text: object) -> str:
    return re.sub(r"\s*\n\s*", " ", str(text)).strip()


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
    return env


def template_name(draft: Draft, fmt: str) -> str:
    return f"drafts/{draft.doc_type}.{TEXT_FORMATS[fmt]}.j2"


def render_text(draft: Draft, fmt: str, user_templates: Path | None = None) -> str:
    """markdown, text, html, or the docx line protocol (``style<TAB>text`` per paragraph)."""
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    output = environment(user_templates).get_template(template_name(draft, fmt)).render(draft=draft)
    if draft.script == "traditional":
        output = to_traditional(output)  # the templates' own labels (来源, 预计…) too
    # Blank-line runs come from template control flow; one blank line between blocks is enough.
    return re.sub(r"\n{3,}", "\n\n", output).strip() + "\n"
