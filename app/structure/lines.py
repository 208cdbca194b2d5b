"""Line tidying before outline parsing: page markers, page counters and a table of contents.

Pages copied from document-sharing sites start with ``2、`` glued to the middle of a word
(``2、绕中心、效劳大局…``); PDFs leave ``第1页共3页``; some pages put a ``【提纲】`` table of contents
on one line. None of them is part of the outline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.structure.headings import CN_NUM

_PAGE_COUNT_RE = re.compile(r"第\s*\d+\s*页\s*[,，/／]?\s*共\s*\d+\s*页")
_PAGE_LINE_RE = re.compile(r"^[-—－\s]*\d{1,3}[-—－\s]*$")
_PAGE_MARKER_RE = re.compile(r"^(\d{1,3})、")
_TOC_START_RE = re.compile(r"^[【\[［]?(?:提纲|目录|内容提要)(?:[/／](?:提纲|目录))?(?:[】\]］：:]|$)")
_TOC_ENTRY_RE = re.compile(
    rf"^(?:[{CN_NUM}]{{1,3}}[、是要]|[（(][{CN_NUM}\d]{{1,3}}[）)]|\d{{1,2}}[.．、]|[…\.]{{2,}})"
)
_L1_ANYWHERE_RE = re.compile(rf"(?:^|[。；;：:\s])[{CN_NUM}]{{1,3}}、")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[。；;！？!?])")

PAGE_MARKER_MIN_LINE = 80  # a document-sharing site's page is a long line; a real "2、…" item is not
_OPEN_END = tuple("。！？；;!?：:”’」』）)】")  # a line ending otherwise was cut mid-sentence


def _strip_page_noise(line: str) -> str:
    """Drop page counters a PDF or sharing site leaves: ``…的资 第1 页共 3页`` → ``…的资``."""
    line = _PAGE_COUNT_RE.sub("", line).strip()
    return "" if _PAGE_LINE_RE.match(line) else line


def _is_page_marker_line(lines: Sequence[str], index: int) -> bool:
    """Is ``lines[index]`` a page of a sharing site (``2、绕中心、效劳大局…``) rather than an item?

    Page N is a long line that continues page N-1 (also long, starting ``N-1、``) which stopped
    mid-sentence; page 1 is recognised by the page 2 after it. A ``2、…`` item after a heading line
    or after a finished sentence is left alone.
    """
    m = _PAGE_MARKER_RE.match(lines[index])
    if not m or len(lines[index]) < PAGE_MARKER_MIN_LINE:
        return False
    number = int(m.group(1))
    if number == 1:
        return index + 1 < len(lines) and _is_page_marker_line(lines, index + 1)
    if index == 0:
        return False
    previous = lines[index - 1]
    prev_marker = _PAGE_MARKER_RE.match(previous)
    return (
        bool(prev_marker)
        and int(prev_marker.group(1)) == number - 1
        and len(previous) >= PAGE_MARKER_MIN_LINE
        and not previous.endswith(_OPEN_END)
    )


def join_page_markers(lines: Sequence[str]) -> list[str]:
    """Remove ``N、`` page markers and glue the page to the line it continues.

    ``["1、在…讲话同志们：…围", "2、绕中心、效劳大局…"]`` → ``["在…讲话同志们：…围绕中心、效劳大局…"]``.
    """
    out: list[str] = []
    for index, line in enumerate(lines):
        if _is_page_marker_line(lines, index):
            marker = _PAGE_MARKER_RE.match(line)
            text = line[marker.end() :] if marker else line
            if out and marker and marker.group(1) != "1":
                out[-1] += text
            else:
                out.append(text)
        else:
            out.append(line)
    return out


def is_toc_line(line: str) -> bool:
    """A table of contents squeezed into one line: ``【提纲】一、…。一是…。二、…。``.

    Either labelled (``【提纲】``, ``目录：``) or at least two ``一、`` headings with nothing but short
    sentences between them — a real paragraph has body sentences.
    """
    if _TOC_START_RE.match(line):
        return True
    if len(_L1_ANYWHERE_RE.findall(line)) < 2:
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
        if in_toc and len(line) <= 50 and _TOC_ENTRY_RE.match(line) and "。" not in line.rstrip("。")[:-1]:
            continue
        in_toc = False
        out.append(line)
    return out


_ATTACHMENT_RE = re.compile(r"^附\s*件\s*\d*\s*[：:]")
_ATTACHMENT_ITEM_RE = re.compile(r"^\s*\d{1,2}\s*[.．、]")


def join_attachment_list(lines: Sequence[str]) -> list[str]:
    """Keep a notice's attachment list in one paragraph so its numbers are not read as headings.

    ``["附件：1.测评点位清单", "2.问题整改销号表"]`` → ``["附件：1.测评点位清单 2.问题整改销号表"]``.
    """
    out: list[str] = []
    in_list = False
    for line in lines:
        if in_list and len(line) <= 60 and _ATTACHMENT_ITEM_RE.match(line) and "。" not in line:
            out[-1] = f"{out[-1]} {line.strip()}"
            continue
        in_list = bool(_ATTACHMENT_RE.match(line.strip()))
        out.append(line)
    return out


def prepare_lines(body: str) -> list[str]:
    """Body text → paragraphs: blank lines, page noise, page markers and a table of contents removed."""
    lines = [_strip_page_noise(line) for line in body.splitlines()]
    lines = join_attachment_list(drop_toc_block(join_page_markers([line for line in lines if line])))
    return [line for line in lines if not is_toc_line(line)]
