"""What every cleaning step shares: the document object and the line predicates.

``Doc`` holds the document being cleaned as parallel lists of original lines and their *simplified
shadows* (``to_simplified`` keeps the length of practically all text), so every rule is matched on the
shadow once, in simplified characters, and cuts the same span from the original line. It also collects
the removals (``Doc.note``) that ``clean.py`` returns as ``Removal``s, and applies inline rules
(``Doc.inline``) and line filters (``Doc.drop_where``).

Also here: the character classes (``CJK``, ``ZH_PUNCT``, ``TERMINAL``, ``LEADING_PUNCT``), the inline-rule
result type ``InlineResult``, and the predicates the line, head and layout rules all ask of a line:
``cjk_count``, ``ends_sentence``, ``is_heading``, ``is_salutation`` (``SALUTATION_RE``).

Imports nothing else from ``app.ingest``: ``clean_inline``, ``clean_layout`` and ``clean`` build on it.
``is_heading`` asks the heading-marker pattern the outline parser shares (``app.structure.markers``);
``app.structure`` never imports ``app.ingest``, so that is no cycle.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.structure.markers import HEADING_LINE_RE
from app.text.normalise import to_simplified

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZH_PUNCT = "，。、；：！？（）《》〈〉“”‘’「」『』【】…—～·﹔﹐"
TERMINAL = "。！？；：!?;:…”」』"
"""A line that ends with one of these ends a sentence (the next line may start a new paragraph)."""

InlineResult = tuple[str, str, list[str]]

_NON_CJK_RE = re.compile(f"[^{CJK}]+")


class Doc:
    """The document being cleaned: parallel lists of original lines and their simplified shadows."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        joined = to_simplified("\n".join(lines))
        shadows = joined.split("\n")
        self.shadows = shadows if len(shadows) == len(lines) else [to_simplified(x) for x in lines]
        self.removed: list[tuple[str, str]] = []

    def note(self, rule: str, text: str) -> None:
        if text.strip():
            self.removed.append((rule, text.strip()))

    def set(self, lines: list[str], shadows: list[str]) -> None:
        self.lines, self.shadows = lines, shadows

    def drop_where(self, rule: str, pred: Callable[[int, str], bool]) -> None:
        """Drop every line ``i`` whose shadow satisfies ``pred(i, shadow)``; record it under ``rule``."""
        keep_l: list[str] = []
        keep_s: list[str] = []
        for i, (line, shadow) in enumerate(zip(self.lines, self.shadows, strict=True)):
            if pred(i, shadow):
                self.note(rule, line)
            else:
                keep_l.append(line)
                keep_s.append(shadow)
        self.set(keep_l, keep_s)

    def inline(
        self, rule: str, func: Callable[[str, str], InlineResult], trigger: re.Pattern[str] | None = None
    ) -> None:
        """Apply an inline rule to every line in which ``trigger`` (a cheap pre-check) is found, or to every
        line; drop lines it leaves empty."""
        changed = False
        for i, shadow in enumerate(self.shadows):
            if trigger and not trigger.search(shadow):
                continue
            new_l, new_s, removed = func(self.lines[i], shadow)
            for text in removed:
                self.note(rule, text)
            if new_l is not self.lines[i]:
                self.lines[i], self.shadows[i] = new_l.strip(), new_s.strip()
                changed = True
        if changed:
            self.drop_where(rule, lambda _i, s: not s)

    def body_start(self) -> int:
        """Index of the first body paragraph (long, or sentence-ending); ``len(lines)`` if none."""
        return self.first_body_line(self.shadows)

    @staticmethod
    def first_body_line(shadows: list[str]) -> int:
        for i, shadow in enumerate(shadows):
            if len(shadow) < 30:  # fewer characters than a body line has Chinese ones
                continue
            n = cjk_count(shadow)
            if n >= 80 or (n >= 30 and any(c in shadow for c in "。！？!?")):
                return i
        return len(shadows)


def cjk_count(text: str) -> int:
    # the non-CJK runs of Chinese text are few and short: measuring them is cheaper than building the rest
    return len(text) - sum(map(len, _NON_CJK_RE.findall(text)))


# === line predicates: what a line is ====================================================================
SALUTATION_RE = re.compile(
    r"^[^,，。:：!！?？]{0,40}?(?:同志们|朋友们|同事们|先生们|同学们|各位(?:领导|代表|来宾|嘉宾|同志|委员|市民|同仁|老师)"
    r"[^,，。:：!！?？]{0,30}?)[:：]"
)
DOC_TITLE_END_RE = re.compile(
    r"(?:讲话|讲话稿|致辞|发言|发言稿|召开|举行|方案|通知|意见|倡议书|公开信|决定|办法|简报|公告|通报|报告)$"
)
"""A line ending like a document's own title (``…上的讲话``, ``…实施方案``): never chrome, never wrapped body."""
NUMBERED_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、](?!\d))"
)
"""A line opening with a numbered heading marker (``一、`` ``（一）`` ``1.``), not a bullet or ``第一部分``."""
PAGE_OF = (
    r"(?:(?:本页|当前页?|此页)\s*(?:为|是)?\s*)?第\s*\d{1,4}\s*页\s*[/／,，、]?\s*[(（]?\s*共\s*\d{1,4}\s*页\s*[)）]?"
    r"|共\s*\d{1,4}\s*页\s*[,，/／、]?\s*(?:(?:本页|当前页?|此页)\s*(?:为|是)?\s*)?第\s*\d{1,4}\s*页"
    r"|第\s*\d{1,4}\s*/\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}\s*页|页码\s*[:：]\s*\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|(?i:page\s*\d{1,4}\s*(?:of|/)\s*\d{1,4})"
)
"""A page counter of an exported or previewed document, in any of its wordings: ``第1页/共7页``, ``第 2 页 共 9 页``,
``本页为第 2 页（共 4 页）``, ``当前第2页，共4页``, ``共4页 第2页``, ``第2/4页``, ``页码：2/4``, ``Page 2 of 4``."""
PAGE_LINE_RE = re.compile(rf"^[-—–_~\s(（\[【]*(?:{PAGE_OF})[-—–_~\s)）\]】]*$")
"""A line that is only a page counter (dashes and brackets around it allowed)."""
_CLOSERS = ")）]】’'\"」』"
LEADING_PUNCT = ",，、。;；:：!！?？)）"


def is_heading(shadow: str) -> bool:
    return bool(HEADING_LINE_RE.match(shadow))


def is_salutation(shadow: str) -> bool:
    return bool(SALUTATION_RE.match(shadow))


def ends_sentence(shadow: str) -> bool:
    text = shadow.rstrip()
    if not text:
        return True
    if text[-1] in TERMINAL:
        return True
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped != text and stripped[-1] in TERMINAL
