"""Line tidying before outline parsing: a table of contents, and a notice's attachment list.

Some pages put a ``【提纲】`` table of contents on one line, or over several lines after a ``目录`` label;
a notice lists its attachments as ``1.…`` ``2.…``. Neither is part of the outline.

Page furniture — doc-site page markers (``2、绕中心、效劳大局…``), page counters (``第1页共3页``) and
lone page numbers — is the cleaner's to remove (``app.ingest.clean.layout.page_markers``, the
``page_counter`` and ``share_counter`` rules), and ``parse_outline`` takes a cleaned body, so none of it
is looked for here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.structure.markers import L1_AFTER_BREAK_RE, NUMBERED_ITEM_RE, TOC_ENTRY_RE

_TOC_START_RE = re.compile(r"^[【\[［]?(?:提纲|目录|内容提要)(?:[/／](?:提纲|目录))?(?:[】\]］：:]|$)")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[。；;！？!?])")


def is_toc_line(line: str) -> bool:
    """A table of contents squeezed into one line: ``【提纲】一、…。一是…。二、…。``.

    Either labelled (``【提纲】``, ``目录：``) or at least two ``一、`` headings with nothing but short
    sentences between them — a real paragraph has body sentences.
    """
    if _TOC_START_RE.match(line):
        return True
    if len(L1_AFTER_BREAK_RE.findall(line)) < 2:
        return False
    sentences = [s for s in _SENTENCE_SPLIT_RE.split(line) if s.strip()]
    return len(sentences) >= 4 and all(len(s) <= 60 for s in sentences)


def drop_toc_block(lines: Sequence[str]) -> list[str]:
    """Remove a labelled table of contents spread over lines.

    ``["目录/提纲:……", "一、统一认识", "一是有扎实的工作基础", "……", "在…上的讲话", …]`` → from
    ``"在…上的讲话"`` on: after a short ``目录``/``提纲`` label, every short line that starts with a
    heading marker (or is an ellipsis) belongs to the contents.
    """
    out: list[str] = []
    in_toc = False
    for line in lines:
        if _TOC_START_RE.match(line) and len(line) <= 60:
            in_toc = True
            continue
        if in_toc and len(line) <= 50 and TOC_ENTRY_RE.match(line) and "。" not in line.rstrip("。")[:-1]:
            continue
        in_toc = False
        out.append(line)
    return out


_ATTACHMENT_RE = re.compile(r"^附\s*件\s*\d*\s*[：:]")


def join_attachment_list(lines: Sequence[str]) -> list[str]:
    """Keep a notice's attachment list in one paragraph so its numbers are not read as headings.

    ``["附件：1.测评点位清单", "2.问题整改销号表"]`` → ``["附件：1.测评点位清单 2.问题整改销号表"]``.
    """
    out: list[str] = []
    in_list = False
    for line in lines:
        if in_list and len(line) <= 60 and NUMBERED_ITEM_RE.match(line) and "。" not in line:
            out[-1] = f"{out[-1]} {line.strip()}"
            continue
        in_list = bool(_ATTACHMENT_RE.match(line.strip()))
        out.append(line)
    return out


def prepare_lines(body: str) -> list[str]:
    """Cleaned body text → paragraphs: blank lines and a table of contents removed, an attachment list
    kept in one paragraph."""
    lines = [line.strip() for line in body.splitlines()]
    lines = join_attachment_list(drop_toc_block([line for line in lines if line]))
    return [line for line in lines if not is_toc_line(line)]
