"""Jinja for the web pages: one autoescaping environment over ``templates/web``, labels.

Corpus text is untrusted (anyone with the write token can upload a document, and documents come from the
web): every template autoescapes, no template marks anything ``|safe``, and text is only ever passed in as
data — never used as template source — so ``{{ 7*7 }}`` in a document stays those seven characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app import __version__
from app.config import REPO_ROOT
from app.structure.model import REPORT_ROLES, SPEECH_ROLES

WEB_TEMPLATES = REPO_ROOT / "templates" / "web"
STATIC_URL = "/ui/static"

ROLE_LABELS: dict[str, str] = {
    "opening": "开头",
    "review": "回顾成绩",
    "problems": "存在问题",
    "significance": "重要意义",
    "tasks": "重点任务",
    "safeguards": "保障措施",
    "closing": "结尾",
    "lead": "导语",
    "attendance": "出席",
    "remarks": "会议指出",
    "requirements": "会议强调",
    "participants": "参会人员",
    "other": "其他",
}
# Tabs of the phrase browser, in the order a speech then a report runs; "other" once, last.
ROLES: tuple[str, ...] = tuple(dict.fromkeys([r for r in SPEECH_ROLES + REPORT_ROLES if r != "other"] + ["other"]))
PHRASE_KIND_LABELS: dict[str, str] = {
    "formulation": "套话",
    "formula": "提法",
    "idiom": "四字语",
    "parallel": "排比",
    "heading": "标题",
    "opener": "开头",
    "closer": "结尾",
    "transition": "过渡",
    "skeleton": "结构",
}
# Suggestion kinds in a draft: the bank kinds plus what the composer itself writes.
SUGGESTION_LABELS: dict[str, str] = PHRASE_KIND_LABELS | {"text": "拟稿", "placeholder": "待补", "passage": "参考段落"}
DOC_KIND_LABELS: dict[str, str] = {"speech": "讲话稿", "report": "会议报道", "other": "其他"}

_PLACEHOLDER = re.compile(r"(【待补[^】]*】)")


def todo_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_placeholder) so the template can highlight 【待补…】 while escaping all."""
    return [(piece, bool(_PLACEHOLDER.fullmatch(piece))) for piece in _PLACEHOLDER.split(text) if piece]


def span_parts(text: str, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` cut at the search hit's [start, end) spans into (piece, matched).

    The template escapes every piece and wraps matched ones in ``<mark>``; so the page does not depend on
    ``highlighted_html`` having been escaped correctly upstream (it is, but this way nothing is ``|safe``).
    """
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(WEB_TEMPLATES)),
        autoescape=True,  # every web template, whatever its name
        undefined=StrictUndefined,  # a template naming a missing field fails in tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        ROLE_LABELS=ROLE_LABELS,
        PHRASE_KIND_LABELS=PHRASE_KIND_LABELS,
        SUGGESTION_LABELS=SUGGESTION_LABELS,
        DOC_KIND_LABELS=DOC_KIND_LABELS,
        STATIC_URL=STATIC_URL,
        VERSION=__version__,
    )
    env.filters.update(todo_parts=todo_parts, span_parts=span_parts, paragraphs=paragraphs)
    return env


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``templates/web/<template>``; ``nav`` marks the current page.

    The security headers (CSP: scripts and styles only from this server) come from app/http_guard.py, which
    adds them to every HTML response.
    """
    html = environment().get_template(template).render(request_path=request.url.path, **(context or {}))
    return HTMLResponse(html, status_code=status_code, headers=headers)


def message_page(request: Request, title: str, text: str, status_code: int, nav: str = "") -> HTMLResponse:
    """A plain page for a refusal or a missing document — HTML, not the API's JSON error shape."""
    return page(request, "message.html", {"title": title, "text": text, "nav": nav}, status_code=status_code)
