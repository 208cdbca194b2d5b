"""Heading grammar: where a heading starts inside a paragraph, what its marker is, and where it ends.

A speech marks its outline with ``一、`` / ``（一）`` / ``1.`` / ``①`` headings, with run-in sub-points
(``一是…。``, ``第一，…。``, ``首先，…。``, a short ``要…。`` sentence) and, in pages copied from
document-sharing sites, with whole sections run together in one paragraph
(``…五个方面的工作：一、要持续深化…贯彻要继续按照…``). A news report marks its parts with
sub-head lines (``会议强调``) and ``■`` bullets.

This module only *finds candidates* in one paragraph; checks that need the whole document
(series of ``要…`` sub-points, ``其次`` after ``首先``, levels) live in ``scan.py``, and the marker
patterns, which the cleaner and ``lines.py`` share, in ``markers.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.structure.markers import (
    ARABIC_RE,
    BULLET_RE,
    CIRCLED_RE,
    DASH_RE,
    L1_RE,
    L2_RE,
    LIST_AFTER_MARKER_RE,
    ORDINAL_RE,
    SEQ_RE,
    SUB_RE,
)

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

# Families of heading markers; scan.py turns a family into a level.
L1, L2, ARABIC, CIRCLED = "l1", "l2", "arabic", "circled"
SUB, ORDINAL, SEQ, YAO = "sub", "ordinal", "seq", "yao"
PAIRED, SUBHEAD, BULLET, DASH = "paired", "subhead", "bullet", "dash"
STYLED = "styled"  # no marker: the document's own heading style says it is a heading (styled.py)

SENTENCE_END = "。！？；;!?"
# A heading marker may start a new section right after one of these inside a paragraph.
_BOUNDARY = "。！？；;!?：:"
_CLAUSE_PUNCT = "，,、；;。：:！？!?"
_TRAILING = "。，,：:；;、.．!！?？ \u3000"

MAX_TITLE = 80  # longer "first sentences" after 一、 are body text, not a heading
MAX_SUBPOINT = 100  # ■ 要…。 bullets and 一是…。 sub-points can be a whole long sentence
YAO_MAX = 16  # 要落实两个纲要 — the run-in 要 sub-points are short imperative sentences

_PAIRED_RE = re.compile(r"([\u4e00-\u9fff]{4})、([\u4e00-\u9fff]{4})[，,]")
_SUBHEAD_RE = re.compile(
    r"(会议|大会|会上|[\u4e00-\u9fff·]{2,4}?)(?:在讲话中|在会上|还|进一步)?(指出|强调|要求|表示|认为)[：:]?"
)
# A 要 that starts a new clause, not the 要 of 需要/重要/主要/要求/要点 …
_NOT_BEFORE_YAO = set("需重主只必纲概摘扼首紧提将还更就都也又所想不总")
_NOT_AFTER_YAO = set("求素点件闻害务领是")
_NOT_A_NAME = set("我他她们这那其并还同")
_COURTESY = ("感谢", "祝贺", "祝", "向", "欢迎", "请", "对受到")


@dataclass(frozen=True)
class Heading:
    """A heading found in a paragraph.

    ``Heading("l1", "一、", "统一思想，提高站位", 1, "一、统一思想，提高站位。", inline=False)``;
    ``raw`` is exactly the consumed source text, so a rejected candidate can be put back.
    """

    family: str
    marker: str
    text: str
    number: int
    raw: str
    inline: bool


def cn_number(numeral: str) -> int:
    """Value of a Chinese numeral up to 九十九: ``十二`` → 12, ``二十`` → 20, ``三`` → 3."""
    if "十" not in numeral:
        return _CN_DIGIT.get(numeral, 0) if len(numeral) == 1 else 0
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return 0
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)


def cn_numeral(value: int) -> str:
    """Inverse of :func:`cn_number` for 1–99: 12 → ``十二``."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, units = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def clean_heading(text: str) -> str:
    """Strip spaces and trailing punctuation: ``" 统一思想，提高站位。"`` → ``统一思想，提高站位``."""
    return text.strip().rstrip(_TRAILING).strip()


def _is_heading_text(text: str) -> bool:
    """A heading has at least two Chinese characters and is not the rest of a list like ``二、三等奖``."""
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 2:
        return False
    return not LIST_AFTER_MARKER_RE.match(text)


def _clause_start(prefix: str, pos: int) -> bool:
    """Does a new clause start at ``pos`` — ``…学习宣传贯彻|要继续按照…``, ``…|通过用好…``?"""
    if prefix.startswith(("通过", "按照"), pos):
        return True
    if prefix[pos] != "要" or prefix[pos - 1] in _NOT_BEFORE_YAO:
        return False
    return pos + 1 < len(prefix) and prefix[pos + 1] not in _NOT_AFTER_YAO


def yao_length(text: str) -> int:
    """Length of a run-in ``要`` sub-point at the start of ``text`` (without its 。), or 0.

    ``要落实两个纲要。切实抓好…`` → 7; ``要实行文明委成员单位述职制度…,确保…`` → 0 (a comma: body).
    """
    if not text.startswith("要") or len(text) < 2 or text[1] in _NOT_AFTER_YAO:
        return 0
    end = next((i for i, ch in enumerate(text) if ch in SENTENCE_END), -1)
    if end < 0 or text[end] not in "。；;":
        return 0
    sentence = text[:end]
    if not 4 <= len(sentence) <= YAO_MAX or any(ch in "，,、：:" for ch in sentence):
        return 0
    return end


def run_in_split(rest: str) -> int:
    """Where a heading without punctuation runs into its body, or 0.

    ``要持续深化…的学习宣传贯彻要继续按照学懂弄通做实的要求，…`` → the index of ``要继续``
    (no punctuation for over 40 characters, or a second 要 clause in a 要… heading: the body began);
    ``要切实加强党对精神文明建设的领导要落实责任。要实行…`` → the index of ``要落实责任``
    (a short 要 sub-point follows); ``…建设一是…`` → the ``一是``. A heading keeps at least 8 characters.
    """
    stop = next((i for i, ch in enumerate(rest) if ch in _CLAUSE_PUNCT or ch.isspace()), len(rest))
    prefix = rest[:stop]
    ends_sentence = stop < len(rest) and rest[stop] in "。；;"
    for pos in range(8, min(len(prefix), 50)):
        sub = SUB_RE.match(prefix, pos)
        if sub and cn_number(sub.group(1)) == 1:
            return pos
        if not _clause_start(prefix, pos):
            continue
        if len(prefix) > 40:
            return pos
        # An imperative heading (要…) never holds a second unpunctuated 要 clause: the body, or a
        # short 要 sub-point, began. ("各级各部门各单位要进一步提高认识。" is one sentence.)
        if prefix.startswith("要") and prefix[pos] == "要" and (not ends_sentence or yao_length(rest[pos:])):
            return pos
    return 0


_FRAGMENT_MAX = 4  # a paragraph is longer than this; a heading's last characters after a stray space are not


def _paragraph_gap(text: str, pos: int) -> bool:
    """A space between two Chinese characters/punctuation marks is a collapsed paragraph break
    (``…紧迫感 文明，是…``); ``贯彻 XXX 同志`` is not, and neither is a stray space that leaves only a few
    characters after it (``…推动工作提 质增效``: no paragraph is that short)."""
    if not text[pos].isspace() or pos == 0:
        return False
    after = text[pos:].lstrip()
    if len(after.rstrip(_TRAILING)) <= _FRAGMENT_MAX:
        return False
    return bool(after) and not text[pos - 1].isascii() and not after[0].isascii()


def title_span(rest: str) -> tuple[str, int] | None:
    """Heading text after a ``一、``-style marker and how many characters it uses up.

    Whole line ``统一思想，提高站位`` → itself; run-in ``以治理现代化为突破口，…“最后一公里”。城乡…``
    → the first sentence; dev-style ``…责任感和紧迫感 文明，是一座城市的底色。`` → up to the space
    (a collapsed paragraph break); no punctuation at all → :func:`run_in_split`.
    """
    lead = len(rest) - len(rest.lstrip())
    body = rest[lead:]
    split = run_in_split(body)
    if split:
        return clean_heading(body[:split]), lead + split
    end = next((i for i, ch in enumerate(body) if ch in SENTENCE_END), len(body))
    space = next((i for i in range(6, end) if _paragraph_gap(body, i)), end)
    end = min(end, space)
    text = body[:end]
    if len(text) > MAX_TITLE:
        comma = next((i for i, ch in enumerate(text) if ch in "，,"), -1)
        if not 4 <= comma <= 40:
            return None
        end = comma
        text = text[:end]
    consumed = lead + end + (1 if end < len(body) and body[end] in SENTENCE_END else 0)
    text = clean_heading(text)
    return (text, consumed) if _is_heading_text(text) else None


def sentence_span(rest: str, limit: int = MAX_SUBPOINT) -> tuple[str, int] | None:
    """A run-in sub-point ends at its first 。 or ；: ``加强精神文明建设，是…要求。人心…`` → first sentence.

    An exclamation or question (``我代表市委…表示衷心的感谢！``) is not a heading.
    """
    end = next((i for i, ch in enumerate(rest) if ch in SENTENCE_END), -1)
    if end < 0:
        text, consumed = rest, len(rest)
    elif rest[end] in "！？!?":
        return None
    else:
        text, consumed = rest[:end], end + 1
    text = clean_heading(text)
    if not 2 <= len(text) <= limit or not _is_heading_text(text):
        return None
    return text, consumed


def _match_l1(text: str, pos: int) -> Heading | None:
    """``一、统一思想，提高站位`` at ``pos``."""
    m = L1_RE.match(text, pos)
    if not m or not cn_number(m.group(1)):
        return None
    span = title_span(text[m.end() :])
    if span is None:
        return None
    return _heading(L1, m.group(0), span, cn_number(m.group(1)), text, pos, m.end())


def _match_l2(text: str, pos: int) -> Heading | None:
    """``（一）以治理现代化为突破口，…。`` at ``pos``."""
    m = L2_RE.match(text, pos)
    if not m or not cn_number(m.group(1)):
        return None
    span = title_span(text[m.end() :])
    if span is None:
        return None
    return _heading(L2, m.group(0), span, cn_number(m.group(1)), text, pos, m.end())


def _match_arabic(text: str, pos: int) -> Heading | None:
    """``1.加强组织领导`` / ``（2）…`` / ``3、…`` at ``pos`` (numbers 1–30 only: not ``2023、``)."""
    m = ARABIC_RE.match(text, pos)
    if not m:
        return None
    number = int(m.group(1) or m.group(2))
    if not 1 <= number <= 30:
        return None
    span = title_span(text[m.end() :])
    if span is None:
        return None
    return _heading(ARABIC, m.group(0).strip(), span, number, text, pos, m.end())


def _match_circled(text: str, pos: int) -> Heading | None:
    """``①加强…`` at ``pos``."""
    m = CIRCLED_RE.match(text, pos)
    if not m:
        return None
    span = title_span(text[m.end() :])
    if span is None:
        return None
    return _heading(CIRCLED, m.group(0), span, ord(m.group(0)) - 0x245F, text, pos, m.end())


def _match_sub(text: str, pos: int) -> Heading | None:
    """``一要坚定不移地推进城中村现代化治理。`` / ``二是…；`` at ``pos``.

    ``一是A，二是B。`` — two points inside one sentence — is an enumeration, not two headings.
    """
    m = SUB_RE.match(text, pos)
    if not m or not cn_number(m.group(1)):
        return None
    number = cn_number(m.group(1))
    span = sentence_span(text[m.end() :].lstrip("，,：: "))
    if span is None:
        return None
    if f"{cn_numeral(number + 1)}{m.group(2)}" in span[0]:
        return None
    offset = len(text[m.end() :]) - len(text[m.end() :].lstrip("，,：: "))
    return _heading(SUB, m.group(0), (span[0], span[1] + offset), number, text, pos, m.end())


def _match_ordinal(text: str, pos: int) -> Heading | None:
    """``第一，加强精神文明建设，是…的必然要求。`` / ``第一句话：…。`` at ``pos`` (not ``第一届``)."""
    m = ORDINAL_RE.match(text, pos)
    if not m or not cn_number(m.group(1)):
        return None
    span = sentence_span(text[m.end() :])
    if span is None:
        return None
    marker = m.group(0)[:-1]
    return _heading(ORDINAL, marker, span, cn_number(m.group(1)), text, pos, m.end())


def _match_seq(text: str, pos: int) -> Heading | None:
    """``首先，创文明城市要有广泛的社会参与。`` at ``pos``; ``首先，我代表市委…`` is not a heading."""
    m = SEQ_RE.match(text, pos)
    if not m:
        return None
    span = sentence_span(text[m.end() :], limit=60)
    if span is None or len(span[0]) < 4:
        return None
    if span[0][0] in "我讲再" and span[0][1:2] not in ("们", "市", "县", "区", "省", "国"):
        return None  # 首先，我代表… / 最后，讲一点意见 — the speaker talking, not a point
    if span[0].startswith(_COURTESY):
        return None  # 首先，感谢… / 最后，祝大家… — courtesies
    order = ("首先", "其次", "再次", "最后").index(m.group(1)) + 1
    return _heading(SEQ, m.group(1), span, order, text, pos, m.end())


def _match_yao(text: str, pos: int) -> Heading | None:
    """``要落实两个纲要。`` at ``pos`` — a short imperative sentence (series checked later)."""
    end = yao_length(text[pos:])
    if not end:
        return None
    raw_end = pos + end + 1
    return Heading(YAO, "", clean_heading(text[pos : pos + end]), 0, text[pos:raw_end], inline=_inline(text, pos))


def _match_paired(text: str, pos: int) -> Heading | None:
    """``统一思想、迅速行动，坚决把…`` — a paragraph opening with two four-character phrases."""
    if pos:
        return None
    m = _PAIRED_RE.match(text)
    if not m:
        return None
    return Heading(PAIRED, "", f"{m.group(1)}、{m.group(2)}", 0, m.group(0), inline=False)


def _match_subhead(text: str, pos: int) -> Heading | None:
    """A news sub-head standing alone on its line: ``会议强调``, ``熊茂平指出``."""
    if pos:
        return None
    m = _SUBHEAD_RE.fullmatch(text.strip())
    if not m or (m.group(1) not in ("会议", "大会", "会上") and set(m.group(1)) & _NOT_A_NAME):
        return None
    return Heading(SUBHEAD, "", clean_heading(text.strip()), 0, text, inline=False)


def _match_bullet(text: str, pos: int) -> Heading | None:
    """``■ 要高效协同。各级党委…`` → heading ``要高效协同``; a bullet without a 。 inside is all heading."""
    if pos:
        return None
    m = BULLET_RE.match(text)
    family = BULLET
    if not m:
        m, family = DASH_RE.match(text), DASH
    if not m:
        return None
    rest = text[m.end() :]
    end = rest.find("。")
    heading = clean_heading(rest if end < 0 else rest[:end])
    if not heading or (family == DASH and not _is_heading_text(heading)):
        return None
    consumed = m.end() + (len(rest) if end < 0 else end + 1)
    return Heading(family, m.group(0).strip(), heading, 0, text[:consumed], inline=False)


def _heading(family: str, marker: str, span: tuple[str, int], number: int, text: str, pos: int, start: int) -> Heading:
    """Build a :class:`Heading` whose raw text runs from ``pos`` to the end of the span."""
    return Heading(family, marker, span[0], number, text[pos : start + span[1]], inline=_inline(text, pos))


def _inline(text: str, pos: int) -> bool:
    """Mid-paragraph? A run of spaces before ``pos`` counts as a collapsed paragraph break."""
    return pos > 0 and not text[pos - 1].isspace()


_MATCHERS = (
    _match_bullet,
    _match_subhead,
    _match_l2,
    _match_l1,
    _match_arabic,
    _match_circled,
    _match_ordinal,
    _match_sub,
    _match_seq,
    _match_paired,
    _match_yao,
)


def match_heading(text: str, pos: int) -> Heading | None:
    """The first heading grammar that matches ``text`` at ``pos`` (a paragraph or sentence start)."""
    for matcher in _MATCHERS:
        found = matcher(text, pos)
        if found is not None:
            return found
    return None


def is_boundary(text: str, pos: int) -> bool:
    """Can a heading start at ``pos``: paragraph start, after 。/；/：, or after a run of spaces."""
    if pos == 0:
        return True
    before = text[pos - 1]
    return before in _BOUNDARY or (before.isspace() and pos > 1)
