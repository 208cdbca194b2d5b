"""Markdown for the md reader: YAML front matter split off the top, syntax stripped, words kept.

Pure functions on decoded text (``readers.py`` does the decoding and the checks).
"""

from __future__ import annotations

import re

_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^ {0,3}(`{3,}|~{3,}).*$", re.M), ""),  # code fences; the code lines stay
    (re.compile(r"^ {0,3}([-*_=])(?: *\1){2,} *$", re.M), ""),  # rules and setext underlines
    (re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1"),
    (re.compile(r"^ {0,3}(?:> ?)+", re.M), ""),
    (re.compile(r"^([ \t]*)[-*+][ \t]+", re.M), r"\1"),  # bullets; "1." numbering is content
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    # "姓名：______" fill-in blanks are content, so the text between __ must not be all underscores
    (re.compile(r"__(?=[^_\s])(.+?)(?<=[^_\s])__"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)


def strip_markdown(text: str) -> str:
    """Drop markdown syntax, keep the words: ``"## 一、**总体**要求"`` → ``"一、总体要求"``."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


# --- front matter --------------------------------------------------------------------------------

_OPEN_RE = re.compile(r"^---[ \t]*$")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")  # YAML also ends a document with "..."
# "title: 在…上的讲话", "date: 2024-03-05", "tags:" — a short key, a colon, then a space or the end of the line
_FIELD_RE = re.compile(r"^([^\s:#-][^:]{0,39}?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
# what else a YAML block holds: indented continuations, "- item" lists, comments, blank lines
_YAML_OTHER_RE = re.compile(r"^(?:[ \t]+\S.*|[ \t]*-(?:[ \t].*)?|[ \t]*#.*|[ \t]*)$")
_MAX_FRONT_MATTER_LINES = 200  # a longer "block" is a document that happens to open with a rule


def _scalar(value: str) -> str:
    """A one-line YAML scalar as text: ``"'讲话'"`` → ``讲话``; ``2024-03-05 # 会议日期`` → ``2024-03-05``."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return re.sub(r"[ \t]+#.*$", "", value)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front matter fields of a note or static-site export, and the text after it.

    ``"---\\ntitle: 在全市…会议上的讲话\\ndate: 2024-03-05\\n---\\n同志们：…"`` →
    ``({"title": "在全市…会议上的讲话", "date": "2024-03-05"}, "同志们：…")``. Keys are lower-cased and the
    first of a repeated key wins; lists and nested values are dropped. Only a block that opens on the very first
    line, closes, and reads as YAML throughout counts: a document that merely starts with a ``---`` rule keeps
    its text (``strip_markdown`` removes the rule itself).
    """
    lines = text.split("\n")
    if not _OPEN_RE.match(lines[0]):
        return {}, text
    fields: dict[str, str] = {}
    for index, line in enumerate(lines[1 : _MAX_FRONT_MATTER_LINES + 1], start=1):
        if _CLOSE_RE.match(line):
            return fields, "\n".join(lines[index + 1 :])
        if match := _FIELD_RE.match(line):
            fields.setdefault(match[1].strip().lower(), _scalar(match[2] or ""))
        elif not _YAML_OTHER_RE.match(line):
            return {}, text  # prose between two rules, not front matter
    return {}, text
