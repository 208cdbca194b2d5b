"""Word automatic numbering (``word/numbering.xml``) rendered as Word draws it: ``一、`` ``（一）`` ``1.2`` ``①``.

A numbered paragraph stores no number, only ``w:numPr`` (a list instance ``w:numId`` and a level ``w:ilvl``);
Word counts. The definitions: a ``w:num`` points at a ``w:abstractNum`` (``w:abstractNumId``) and may override
its levels (``w:lvlOverride`` with ``w:startOverride`` or a whole ``w:lvl``). A ``w:lvl`` has a start value
(``w:start``), a number format (``w:numFmt``), a template (``w:lvlText``: ``%1、``, ``（%2）``, ``%1.%2``, where
``%n`` is level n's current number), ``w:isLgl`` (every number in the template in Arabic digits), ``w:lvlRestart``
(which shallower level restarts it) and ``w:suff`` (what follows the number).

Counting, as Word does it: list instances of one abstract number share one set of counters (a second list
that Word "continues"), except an instance with overrides, which counts on its own from its override start
(Word's "restart numbering" writes exactly that). Using a level advances it and restarts the deeper levels,
unless their ``w:lvlRestart`` says otherwise (0: never; n: only when level n or a shallower one is used).

Bullets render as nothing: a Word bullet is a glyph for a list item, often a Symbol-font private-use character
that is not text, and a typed ``■`` opens a heading in this project's outline grammar — rendering Word
bullets would turn every bulleted list of body text into headings.

Everything here works on parsed XML and plain values (no python-docx objects), so it is unit-testable alone.
Formats follow what Word displays (Chinese counting as reverse-engineered by Open XML PowerTools'
``ListItemTextGetter_zh_CN``); an unknown format is counted in decimal, as LibreOffice does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_MAX_NUMBER = 32767  # Word's largest list number; past it (hostile input) a number is printed in digits
_TEMPLATE_RE = re.compile(r"%([1-9])")


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` → ``{http://…/main}p``."""
    return f"{{{W}}}{tag}"


def child_val(el: etree._Element | None, tag: str) -> str | None:
    """``w:val`` of ``el``'s first ``w:tag`` child: ``child_val(lvl, "numFmt")`` → ``"chineseCounting"``."""
    if el is None:
        return None
    child = el.find(w(tag))
    return None if child is None else child.get(w("val"))


def to_int(value: str | None, default: int | None = None) -> int | None:
    """A decimal attribute, or ``default`` when it is missing or not a number (damaged files)."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def is_on(el: etree._Element | None) -> bool:
    """An on/off property (``<w:isLgl/>``, ``<w:vanish w:val="0"/>``): present and not switched off."""
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


# --- number formats ----------------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_LEGAL_SIMPLIFIED = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟")
_LEGAL_TRADITIONAL = ("零壹貳參肆伍陸柒捌玖", "拾佰仟")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _spelt(n: int, digits: str, units: str, zero: str) -> str:
    """``n`` (1–9999) read out with place units: 101 → ``一百〇一``, 1010 → ``一千〇一十``, 20 → ``二十``."""
    out: list[str] = []
    pending_zero = False
    text = str(n)
    for i, ch in enumerate(text):
        place = len(text) - 1 - i
        if ch == "0":
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(zero)
            pending_zero = False
        out.append(digits[int(ch)] + ("" if place == 0 else units[place - 1]))
    return "".join(out)


def chinese_counting(n: int) -> str:
    """Word's ``chineseCounting``: 一 … 十, 十一, 二十一 … 九十九; from 100 on digit by digit (一〇一)."""
    if n >= 100:
        return "".join(_CN_DIGITS[int(ch)] for ch in str(n))
    return chinese_thousand(n)


def chinese_thousand(n: int) -> str:
    """Word's ``chineseCountingThousand``: 十一, 一百〇一, 一千一百 (10–19 without a leading 一)."""
    if n >= 10000:
        return str(n)
    spelt = _spelt(n, _CN_DIGITS, "十百千", "〇")
    return spelt[1:] if 10 <= n < 20 else spelt


def chinese_legal(n: int, traditional: bool = False) -> str:
    """``chineseLegalSimplified``: 壹, 壹拾, 壹拾壹, 贰拾, 壹佰零壹 (``ideographLegalTraditional``: 貳, 參 …)."""
    if n >= 10000:
        return str(n)
    digits, units = _LEGAL_TRADITIONAL if traditional else _LEGAL_SIMPLIFIED
    return _spelt(n, digits, units, digits[0])


def _cycle(symbols: str, n: int) -> str:
    """The n-th symbol of a fixed series (甲乙丙…, 子丑寅…); past its end Word falls back to digits."""
    return symbols[n - 1] if 1 <= n <= len(symbols) else str(n)


def _enclosed(first: int, n: int, fallback: str = "{}") -> str:
    """One of twenty enclosed-number characters (①, ⑴, ⒈) starting at ``first``; past 20 plain digits."""
    return chr(first + n - 1) if 1 <= n <= 20 else fallback.format(n)


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letters: A … Z, then AA, BB … (the letter repeated, not base 26)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalHalfWidth": str,
    "chineseCounting": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "chineseCountingThousand": chinese_thousand,
    "taiwaneseCountingThousand": chinese_thousand,
    "ideographDigital": lambda n: "".join(_CN_DIGITS[int(ch)] for ch in str(n)),
    "taiwaneseDigital": lambda n: "".join(_CN_DIGITS[int(ch)] for ch in str(n)),
    "chineseLegalSimplified": chinese_legal,
    "ideographLegalTraditional": lambda n: chinese_legal(n, traditional=True),
    "ideographTraditional": lambda n: _cycle(_STEMS, n),
    "ideographZodiac": lambda n: _cycle(_BRANCHES, n),
    "ideographZodiacTraditional": lambda n: _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12] if n >= 1 else str(n),
    "decimalEnclosedCircle": lambda n: _enclosed(0x2460, n),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(0x2460, n),
    "decimalEnclosedParen": lambda n: _enclosed(0x2474, n, "({})"),
    "decimalEnclosedFullstop": lambda n: _enclosed(0x2488, n, "{}."),
    "ideographEnclosedCircle": lambda n: chr(0x3280 + n - 1) if 1 <= n <= 10 else str(n),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """One number in a ``w:numFmt``: ``format_number(12, "chineseCounting")`` → ``"十二"``,
    ``format_number(3, "decimalEnclosedCircle")`` → ``"③"``. Unknown formats, zero, negatives and numbers past
    Word's range are printed in digits."""
    if fmt in ("bullet", "none"):
        return ""
    if not 1 <= n <= _MAX_NUMBER:
        return str(n)
    return _FORMATS.get(fmt, str)(n)


# --- definitions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One ``w:lvl``: ``Level(start=1, fmt="chineseCounting", text="%1、")``."""

    start: int = 0  # the spec's default; Word always writes one
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # w:isLgl
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never, n = level n (1-based)
    suffix: str = "tab"  # w:suff: tab | space | nothing
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to


@dataclass(frozen=True)
class ListInstance:
    """A ``w:num`` with its abstract number's levels and its own overrides applied.

    ``key`` names the counters it uses: the abstract number's (lists that continue one another) or its own.
    """

    key: str
    levels: Mapping[int, Level]
    starts: Mapping[int, int] = field(default_factory=dict)  # w:startOverride per level

    def start(self, ilvl: int) -> int:
        level = self.levels.get(ilvl)
        return self.starts.get(ilvl, level.start if level else 0)

    def level_of_style(self, style_id: str) -> int | None:
        """The level linked to a paragraph style (``w:pStyle`` in a ``w:lvl``), for style-numbered headings."""
        return next((ilvl for ilvl, level in sorted(self.levels.items()) if level.style == style_id), None)


def _fmt(lvl: etree._Element) -> str:
    """A level's format; Word 2010+ may wrap a custom one in mc:AlternateContent with a standard fallback."""
    fmt = child_val(lvl, "numFmt")
    if fmt is None:
        fallback = lvl.find(f"{{{MC}}}AlternateContent/{{{MC}}}Fallback")
        fmt = child_val(fallback, "numFmt")
    return fmt or "decimal"


def parse_level(lvl: etree._Element) -> Level:
    """A ``w:lvl`` element as a :class:`Level`."""
    text = lvl.find(w("lvlText"))
    return Level(
        start=to_int(child_val(lvl, "start"), 0) or 0,
        fmt=_fmt(lvl),
        text=(text.get(w("val")) or "") if text is not None else "",
        legal=is_on(lvl.find(w("isLgl"))),
        restart=to_int(child_val(lvl, "lvlRestart")),
        suffix=child_val(lvl, "suff") or "tab",
        style=child_val(lvl, "pStyle"),
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in parent.findall(w("lvl")):
        ilvl = to_int(lvl.get(w("ilvl")))
        if ilvl is not None and 0 <= ilvl <= 8:
            out[ilvl] = parse_level(lvl)
    return out


def parse_numbering(
    root: etree._Element | None, style_links: Mapping[str, str] | None = None
) -> dict[str, ListInstance]:
    """``word/numbering.xml`` → the list instances by ``w:numId``.

    ``style_links`` maps a numbering style's id to the ``w:numId`` in its ``w:numPr`` (styles.xml): an abstract
    number with ``w:numStyleLink`` only points at such a style, whose list has the real levels.
    """
    if root is None:
        return {}
    links = style_links or {}
    abstracts = {el.get(w("abstractNumId")): el for el in root.findall(w("abstractNum"))}
    num_to_abstract = {el.get(w("numId")): child_val(el, "abstractNumId") for el in root.findall(w("num"))}

    def resolve(abstract_id: str | None) -> str | None:
        for _ in range(5):  # a style link points at another list; never follow a loop forever
            el = abstracts.get(abstract_id)
            link = child_val(el, "numStyleLink")
            if el is None or link is None or link not in links:
                return abstract_id
            abstract_id = num_to_abstract.get(links[link])
        return abstract_id

    instances: dict[str, ListInstance] = {}
    for num in root.findall(w("num")):
        num_id = num.get(w("numId"))
        abstract_id = resolve(child_val(num, "abstractNumId"))
        abstract = abstracts.get(abstract_id)
        if num_id is None or abstract is None:
            continue
        levels = _levels(abstract)
        starts: dict[int, int] = {}
        overridden = False
        for override in num.findall(w("lvlOverride")):
            ilvl = to_int(override.get(w("ilvl")))
            if ilvl is None:
                continue
            start = to_int(child_val(override, "startOverride"))
            if start is not None:
                starts[ilvl] = start
            replaced = _levels(override)
            levels.update(replaced)
            overridden = overridden or bool(replaced)
        key = f"num:{num_id}" if overridden or starts else f"abstract:{abstract_id}"
        instances[num_id] = ListInstance(key, levels, starts)
    return instances


# --- counting ------------------------------------------------------------------------------------------


def render_label(level: Level, instance: ListInstance, counts: Mapping[int, int]) -> str:
    """The number Word draws for ``level`` given the current counters, with what follows it.

    ``%n`` is level n's current number in level n's own format (Arabic digits under ``w:isLgl``); a level not
    used yet shows its start value. After the number Word puts a tab or a space; in text, a number ending in
    Chinese punctuation or a character (``一、`` ``（一）``) already stands apart, so only one ending in a Latin
    character or digit (``1.`` ``A``) gets a space.
    """
    if level.fmt == "bullet":
        return ""

    def number(match: re.Match[str]) -> str:
        ilvl = int(match.group(1)) - 1
        ref = instance.levels.get(ilvl)
        if ref is None:
            return ""
        fmt = "decimal" if level.legal and ref.fmt not in ("bullet", "none") else ref.fmt
        return format_number(counts.get(ilvl, instance.start(ilvl)), fmt)

    label = _TEMPLATE_RE.sub(number, level.text)
    if label.strip() and level.suffix != "nothing" and label[-1].isascii() and not label[-1].isspace():
        label += " "
    return label if label.strip() else ""


class ListCounter:
    """Counts numbered paragraphs in document order and gives each its label.

    ``counter.label("1", 0)`` → ``"一、"``, then ``counter.label("1", 1)`` → ``"（一）"``, ``counter.label("1", 0)``
    → ``"二、"`` and the next level-1 paragraph is ``（一）`` again.
    """

    def __init__(self, instances: Mapping[str, ListInstance]) -> None:
        self._instances = instances
        self._counts: dict[str, dict[int, int]] = {}

    def level_of_style(self, num_id: str, style_id: str) -> int | None:
        instance = self._instances.get(num_id)
        return instance.level_of_style(style_id) if instance else None

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance list ``num_id`` at level ``ilvl`` and return the label (``""`` for no list or a bullet)."""
        instance = self._instances.get(num_id)
        level = instance.levels.get(ilvl) if instance else None
        if instance is None or level is None:
            return ""
        counts = self._counts.setdefault(instance.key, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else instance.start(ilvl)
        for deeper in [k for k in counts if k > ilvl]:
            rule = instance.levels[deeper].restart if deeper in instance.levels else None
            if rule is None or (rule > 0 and ilvl < rule):
                del counts[deeper]
        return render_label(level, instance, counts)
