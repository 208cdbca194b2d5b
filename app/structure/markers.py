"""Heading markers — ``一、`` ``（一）`` ``1.`` ``（1）`` ``①`` ``一是`` ``第一，`` ``首先，`` ``■`` — and the
patterns that recognise them, kept in one place.

Three readers ask about markers, each casting its own net:

* the outline parser (``headings.py``) reads one marker at a position and takes its number from the
  groups: ``L1_RE`` … ``BULLET_RE``, and ``LIST_AFTER_MARKER_RE`` for ``二、三等奖``;
* the outline's line tidying (``lines.py``) knows a table of contents and a notice's attachment list by
  their markers: ``TOC_ENTRY_RE``, ``L1_AFTER_BREAK_RE``, ``NUMBERED_ITEM_RE``;
* the cleaner (``app.ingest.clean.common.is_heading``) only asks whether a line *starts* like a heading,
  so as never to glue it to the line before: ``HEADING_LINE_RE``.

All are built from the same pieces (``CN_NUMERAL``, ``OPEN``/``CLOSE``, ``ARABIC_NUMBER``,
``BRACKETED_NUMBER``, ``BULLETS``), so a new way of writing a number or a bracket is taught once.

``app.ingest`` imports this module, so nothing in ``app.structure`` may import ``app.ingest``: that
would be an import cycle. Only ``re`` here.
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十"
CN_NUMERAL = rf"[{CN_NUM}]{{1,3}}"  # 一 … 九十九: no outline goes past that
ARABIC_NUMBER = r"\d{1,2}"  # never a year: 2023、 is not a section
# Pasted text mixes half- and full-width brackets, even within one document.
OPEN, CLOSE = "[(（]", "[)）]"
BRACKETED_NUMBER = rf"{OPEN}[{CN_NUM}\d]{{1,3}}{CLOSE}"  # （一） or （1）, where the script does not matter
BULLETS = "■□●◆◇▲△★☆▶►•▪◎"  # never ○: it is also the zero of 二○二四年

# --- the parser: one marker at a position; group 1 (or 2) is its number -----------------------------
L1_RE = re.compile(rf"({CN_NUMERAL})[、．]")
L2_RE = re.compile(rf"{OPEN}({CN_NUMERAL}){CLOSE}")
# 1. / 2、 / （3）; not 1.5 or 1、2、3, which are a number and a list rather than a section.
ARABIC_RE = re.compile(rf"(?:({ARABIC_NUMBER})[.．、](?![\d.．、])|{OPEN}({ARABIC_NUMBER}){CLOSE})")
CIRCLED_RE = re.compile(r"[\u2460-\u2473]")  # ① … ⑳
SUB_RE = re.compile(rf"({CN_NUMERAL})(是|要)(?!、)")
ORDINAL_RE = re.compile(rf"第({CN_NUMERAL})(句话|点|条|个方面|方面)?[，,：:、]")  # punctuation after: not 第一届
SEQ_RE = re.compile(r"(首先|其次|再次|最后)[，,：:]")
BULLET_RE = re.compile(rf"[{BULLETS}]\s*")
# ——要让宣讲接地气: a dash point of a report, trusted only in a series (one dash line may be an attribution)
DASH_RE = re.compile(r"——\s*(?=[\u4e00-\u9fff])")
# Another numeral right after a marker makes a list (一、二、三等奖), not a heading.
LIST_AFTER_MARKER_RE = re.compile(rf"[{CN_NUM}\d][、．.]|等")

# --- line tidying: markers that give away a table of contents or an attachment list ------------------
TOC_ENTRY_RE = re.compile(rf"^(?:{CN_NUMERAL}[、是要]|{BRACKETED_NUMBER}|{ARABIC_NUMBER}[.．、]|[…\.]{{2,}})")
L1_AFTER_BREAK_RE = re.compile(rf"(?:^|[。；;：:\s]){CN_NUMERAL}、")
NUMBERED_ITEM_RE = re.compile(rf"^\s*{ARABIC_NUMBER}\s*[.．、]")  # attachment lists are typed loosely: 1 .

# --- the cleaner: could this line start a heading? ----------------------------------------------------
# A looser question than the parser's, so a wider net (一. 第一部分 一要 and any bracketed number) — except
# that it has never taken 3、 or the △ ▶ bullets. Widening it changes which lines the cleaner joins, so
# that waits for a change measured on its own. (◎, added to BULLETS on 2026-12-02, is in both nets: a report's
# ◎ points must not be glued to the line above them.)
_LINE_BULLETS = BULLETS.replace("△", "").replace("▶", "")
HEADING_LINE_RE = re.compile(
    rf"^(?:{CN_NUMERAL}[、.．]|{BRACKETED_NUMBER}|{ARABIC_NUMBER}[.．]\D"
    rf"|第{CN_NUMERAL}(?:[,，、:：]|是|要|部分|章|节)|[{CN_NUM}][是要][,，:：]?"
    rf"|[{_LINE_BULLETS}])"
)
