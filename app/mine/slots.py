"""Slots: generalise what belongs to one document so that a formulation travels to the next one.

``为谱写好中国式现代化大连篇章`` → ``为谱写好中国式现代化{地名}篇章``; ``1月8日`` → ``{日期}``; ``2025年`` → ``{年份}``;
``第三十次全委会`` → ``第{数字}次全委会``; ``熊茂平出席会议并讲话`` → ``{人名}出席会议并讲话``.

Internally a slot is one private-use character (the *compact* form), so lengths, substrings and token boundaries
work on templates exactly as on text; ``expand`` turns the compact form into ``{地名}`` braces for output.
Fixed political terms are never slotted (``习近平`` inside ``习近平新时代中国特色社会主义思想``, ``党的二十大``).
A masked name, in whatever form the document printed it (``××``, ``XX``, ``x``, ``**``, ``＊``, ``_``, ``○○``;
``app.text.masks.find_masks``), becomes the slot its next words call for (``XX同志`` → ``{人名}同志``, ``**镇`` →
``{地名}``, ``20XX年`` → ``{年份}``), and in front of the rest of a fixed term it is restored to the name it hides
(``_总书记关于…`` → ``习近平总书记关于…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.mine.lexicon import Lexicon
from app.text.masks import MASK_CHARS, find_masks
from app.text.tokenize import Tokenizer

SLOT_NAMES = ("人名", "地名", "单位", "年份", "日期", "数字", "会议")
SLOT_CHAR = {name: chr(0xE000 + i) for i, name in enumerate(SLOT_NAMES)}
CHAR_SLOT = {char: name for name, char in SLOT_CHAR.items()}
SLOT_CHARS = frozenset(CHAR_SLOT)

_CN_NUM = "一二三四五六七八九十百零〇两"
_CJK = r"[\u4e00-\u9fff]"
# Congress numbering is part of the event's name: 党的二十大, 十九届五中全会, 二十届历次全会.
_FIXED_RES = (
    re.compile(rf"党的[{_CN_NUM}]+大"),
    re.compile(rf"[{_CN_NUM}]+届(?:[{_CN_NUM}]+中|历次)全会"),
    re.compile(r"[一二三四五六七八九十]{2,3}五(?:规划|时期|期间)?"),
)
_DATE_RE = re.compile(
    rf"(?:\d{{4}}年)?\d{{1,2}}月(?:\d{{1,2}}日)?(?:上午|下午|晚上|晚)?|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}"
    rf"|[{_CN_NUM}]{{1,3}}月[{_CN_NUM}]{{1,3}}日(?:上午|下午|晚上|晚)?"
)
# a date with a masked month or day: X月X日, 5月xx日, ××月 (the plain-date pattern above gives up on them)
_MASKED_DATE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:\d{1,2}|[xX×＊*]{1,2})月(?:(?:\d{1,2}|[xX×＊*]{1,2})日)?(?:上午|下午|晚上|晚)?"
)
_YEAR_RE = re.compile(r"(?:19|20)\d{2}(?:年?[—–-]{1,2}(?:19|20)\d{2})?年")
_NUMBER_RE = re.compile(
    rf"\d+(?:\.\d+)?%?|(?<=第)[{_CN_NUM}]+(?=次|届|批|轮)|(?<=连续)[{_CN_NUM}]+(?=届|年|次)"
    rf"|[{_CN_NUM}几]+(?=点意见|点要求|点希望|个方面|方面意见|方面的工作)"
)
# a named street or township in a list of speakers: 河埒街道、区城管局 … → {地名}街道
_SUBDIVISION_RE = re.compile(r"(?:^|(?<=[、，,]))([\u4e00-\u9fff]{2})(?=街道|社区|镇|乡)")
_TITLES = (
    "书记|副书记|市长|副市长|区长|副区长|县长|副县长|镇长|省长|部长|副部长|主任|副主任|主席|副主席|秘书长|局长|厅长"
    "|常委|委员|总经理|巡视员"
)
_CUES = "主持|出席|讲话|指出|强调|要求|表示|参加|通报|宣读|作|在|对|等|陪同|率队|一行|代表|和|与|及|、|，|,|。|；|;|$"
_MASK_PERSON = ("同志", "书记", "市长", "县长", "区长", "镇长", "部长", "主任", "主席", "局长", "省长")
_MASK_PERSON_CUE = ("指出", "强调", "主持", "出席", "讲话", "任组长", "任副组长", "任主任")  # what a person does
_TITLE_END_RE = re.compile(rf"(?:{_TITLES})$")  # 宣传部部长××出席, 区委副书记**任组长
_MASK_PLACE = ("市", "区", "县", "镇", "村", "省", "乡", "街道")
_MASK_UNIT = ("局", "办", "委", "部", "中心", "公司")
_MASK_COUNT = ("%", "个", "万", "亿", "名", "项", "次", "倍")  # 不到×个月, 份额××%


@dataclass(frozen=True)
class Slotted:
    compact: str  # one private-use character per slot
    starts: tuple[int, ...]  # for each compact character: its start offset in the source text
    ends: tuple[int, ...]  # … and its end offset

    @property
    def template(self) -> str:
        return expand(self.compact)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source offsets covered by compact characters ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]


def expand(compact: str) -> str:
    """``为谱写好中国式现代化\\ue001篇章`` → ``为谱写好中国式现代化{地名}篇章``."""
    if not any(c in SLOT_CHARS for c in compact):
        return compact
    return "".join("{" + CHAR_SLOT[c] + "}" if c in SLOT_CHARS else c for c in compact)


def compact_of(template: str) -> str:
    """The inverse of ``expand``: ``{人名}同志`` → ``\\ue000同志``."""
    for name, char in SLOT_CHAR.items():
        template = template.replace("{" + name + "}", char)
    return template


@lru_cache(maxsize=8)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _short_place(place: str) -> str:
    """``滨湖区`` → ``滨湖`` (a report says 滨湖担当 as often as 滨湖区); city names stay."""
    if len(place) >= 3 and place[-1] in "区县市旗":
        return place[:-1]
    return place


class Slotter:
    """Replaces names, places, units, dates, years and numbers by slots; keeps fixed terms whole.

    ``names`` are person names known for the whole corpus (speakers, names found in title context by
    ``find_names``); ``places`` are extra place names (a document's own place, so ``滨湖`` is slotted too).
    """

    def __init__(
        self, lexicon: Lexicon, tokenizer: Tokenizer, names: Iterable[str] = (), places: Iterable[str] = ()
    ) -> None:
        self.lexicon = lexicon
        self.tokenizer = tokenizer
        protected = lexicon.protected_names
        self.names = tuple(sorted({n for n in names if n and n not in protected}, key=lambda n: (-len(n), n)))
        extra = {p for place in places if place for p in (place, _short_place(place)) if len(p) >= 2}
        self.places = dict(lexicon.places)
        for place in sorted(extra):
            self.places.setdefault(place, "document")
        self._place_buckets: dict[str, list[str]] = {}
        for form in sorted(self.places, key=lambda f: (-len(f), f)):
            self._place_buckets.setdefault(form[:2], []).append(form)
        self._fixed = _alternation(tuple(lexicon.fixed_terms) + tuple(sorted(lexicon.formulas, key=len, reverse=True)))
        self._names = _alternation(self.names)
        self._surnames = "".join(sorted(s for s in lexicon.surnames if len(s) == 1))
        compound = "|".join(sorted((s for s in lexicon.surnames if len(s) > 1), key=len, reverse=True))
        surname = f"(?:{compound}|[{self._surnames}])" if compound else f"[{self._surnames}]"
        self._title_name = re.compile(rf"(?:{_TITLES})({surname}{_CJK}{{1,2}}?)(?={_CUES})")
        self._comrade = re.compile(rf"(?:^|(?<=[，,、；;：:]))({surname}{_CJK}{{0,2}}?|{_CJK}{{2}})(?=同志)")
        self._lead_name = re.compile(
            rf"^({surname}{_CJK}{{1,2}}?)(?=指出|强调|要求|表示|主持|出席|在讲话|在主持|说[，,：:])"
        )
        self._title_surname = re.compile(rf"(?<=[委府，、])({surname})(?=书记|市长|区长|县长|部长|主任|主席)")
        orgs = "|".join(re.escape(o) for o in lexicon.orgs_slot)
        self._org = re.compile(rf"(?:[省市区县镇乡]|(?<=[、，,：:]))?(?:{orgs})|^(?:{orgs})") if orgs else None

    def slot(self, text: str, boundaries: Sequence[int] | None = None) -> Slotted:
        """Slot one clause or sentence; ``boundaries`` (token offsets) stop places from cutting words.

        ``市委副书记李德新主持`` → ``市委副书记{人名}主持``; ``扩大连接`` stays (大连 would cut 扩大/连接).
        """
        spans: list[tuple[int, int, str, int]] = []  # (start, end, replacement, priority)
        blocked = self._protected(text, spans)
        self._dates_numbers(text, spans)
        self._persons(text, spans)
        self._place_spans(text, spans, boundaries)
        for m in _SUBDIVISION_RE.finditer(text):
            if self.tokenizer.word_freq(m.group(1)) < 50:
                spans.append((m.start(1), m.end(1), SLOT_CHAR["地名"], 3))
        if self._org is not None:
            for m in self._org.finditer(text):
                spans.append((m.start(), m.end(), SLOT_CHAR["单位"], 2))
        return _apply(text, spans, blocked)

    def _protected(self, text: str, spans: list[tuple[int, int, str, int]]) -> list[tuple[int, int]]:
        blocked: list[tuple[int, int]] = []
        if self._fixed is not None:
            blocked.extend(m.span() for m in self._fixed.finditer(text))
        for pattern in _FIXED_RES:
            blocked.extend(m.span() for m in pattern.finditer(text))
        for start, end in find_masks(text):
            rest = text[end : end + 24]
            restored = next(
                (
                    name
                    for name in sorted(self.lexicon.protected_names)
                    for term in self.lexicon.fixed_terms
                    if term.startswith(name) and len(term) > len(name) + 2 and rest.startswith(term[len(name) :])
                ),
                None,
            )
            if restored:
                spans.append((start, end, restored, 9))
            elif rest.startswith("年"):  # 20XX年, ××××年
                spans.append((start, end + 1, SLOT_CHAR["年份"], 7))
            elif (
                rest.removeprefix("副").startswith(_MASK_PERSON)  # XX同志, **副县长
                or rest.startswith(_MASK_PERSON_CUE)
                or _TITLE_END_RE.search(text, max(0, start - 5), start)
            ):
                spans.append((start, end, SLOT_CHAR["人名"], 5))
            elif rest.startswith(_MASK_PLACE):
                suffix = next(s for s in _MASK_PLACE if rest.startswith(s))
                spans.append((start, end + len(suffix), SLOT_CHAR["地名"], 5))
            elif rest.startswith(_MASK_UNIT):  # x局 → {单位}, as 市公安局 is
                suffix = next(s for s in _MASK_UNIT if rest.startswith(s))
                spans.append((start, end + len(suffix), SLOT_CHAR["单位"], 5))
            elif rest.startswith(_MASK_COUNT):
                spans.append((start, end, SLOT_CHAR["数字"], 4))
            else:
                spans.append((start, end, SLOT_CHAR["地名"], 4))
        return blocked

    def _dates_numbers(self, text: str, spans: list[tuple[int, int, str, int]]) -> None:
        for m in _DATE_RE.finditer(text):
            spans.append((m.start(), m.end(), SLOT_CHAR["日期"], 8))
        for m in _MASKED_DATE_RE.finditer(text):
            if any(c in MASK_CHARS for c in m.group()):
                spans.append((m.start(), m.end(), SLOT_CHAR["日期"], 8))
        for m in _YEAR_RE.finditer(text):
            spans.append((m.start(), m.end(), SLOT_CHAR["年份"], 7))
        for m in _NUMBER_RE.finditer(text):
            spans.append((m.start(), m.end(), SLOT_CHAR["数字"], 3))

    def _persons(self, text: str, spans: list[tuple[int, int, str, int]]) -> None:
        person = SLOT_CHAR["人名"]
        if self._names is not None:
            spans.extend((m.start(), m.end(), person, 6) for m in self._names.finditer(text))
        for pattern in (self._title_name, self._comrade, self._lead_name, self._title_surname):
            for m in pattern.finditer(text):
                name = m.group(1)
                if name not in self.lexicon.protected_names and (
                    len(name) == 1 or not _is_common_word(self.tokenizer, name)
                ):
                    spans.append((m.start(1), m.end(1), person, 6))

    def _place_spans(self, text: str, spans: list[tuple[int, int, str, int]], boundaries: Sequence[int] | None) -> None:
        edges = set(boundaries) if boundaries is not None else None
        i = 0
        while i < len(text) - 1:
            forms = self._place_buckets.get(text[i : i + 2])
            form = next((f for f in forms if text.startswith(f, i)), None) if forms else None
            end = i + len(form) if form else i
            # 江南区域: a district glued to 域 is the word 区域; 扩大连接: 大连 would cut two words apart
            if (
                form
                and not (form.endswith("区") and text[end : end + 1] == "域")
                and (edges is None or (i in edges and (end in edges or text[end : end + 1] in "市区县省")))
            ):
                spans.append((i, end, SLOT_CHAR["地名"], 4))
                i = end
            else:
                i += 1


def _is_common_word(tokenizer: Tokenizer, word: str) -> bool:
    """A dictionary word seen often enough not to be a given name: ``负责`` yes, ``海东`` (a place) no."""
    freq = tokenizer.word_freq(word)
    return freq >= 200 and tokenizer.word_tag(word) not in ("nr", "nrt", "nrfg", "ns")


def _apply(text: str, spans: list[tuple[int, int, str, int]], blocked: list[tuple[int, int]]) -> Slotted:
    """Pick non-overlapping spans (higher priority, then longer, then earlier) and build the compact form."""
    chosen: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    for start, end, replacement, _ in sorted(spans, key=lambda s: (-s[3], -(s[1] - s[0]), s[0])):
        if end <= start or any(taken[start:end]):
            continue
        if replacement in SLOT_CHARS and any(b0 < end and start < b1 for b0, b1 in blocked):
            continue
        chosen.append((start, end, replacement))
        for k in range(start, end):
            taken[k] = True
    chosen.sort()
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for start, end, replacement in chosen:
        out.append(text[pos:start])
        starts.extend(range(pos, start))
        ends.extend(range(pos + 1, start + 1))
        out.append(replacement)
        starts.extend([start] * len(replacement))
        ends.extend([end] * len(replacement))
        pos = end
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return Slotted("".join(out), tuple(starts), tuple(ends))


def find_names(texts: Iterable[str], lexicon: Lexicon, tokenizer: Tokenizer, speakers: Iterable[str] = ()) -> set[str]:
    """Person names of a corpus, from title context and speakers, so a name found once is slotted everywhere.

    ``市委副书记李德新主持`` → ``{"李德新"}``: the bare name can then be slotted in ``李德新同志指出`` too.
    """
    slotter = Slotter(lexicon, tokenizer)
    names = {s for s in speakers if s and 2 <= len(s) <= 4 and s not in lexicon.protected_names}
    for text in texts:
        for pattern in (slotter._title_name, slotter._lead_name):
            for m in pattern.finditer(text):
                name = m.group(1)
                if len(name) >= 2 and name not in lexicon.protected_names and not _is_common_word(tokenizer, name):
                    names.add(name)
    return names


def tag_names(compact: str, lexicon: Lexicon, tokenizer: Tokenizer) -> str:
    """Slot leftover person names in a selected phrase by rjieba's ``nr`` tag (candidates only, never the corpus).

    A token is taken as a name when tagged nr, 2–3 characters, starting with a surname, not a dictionary word
    and not a protected name: ``刘宏参加`` → ``{人名}参加``, while ``文明`` (tagged nr by jieba!) stays.
    """
    if not any(c in lexicon.surnames for c in compact):
        return compact
    out: list[str] = []
    for token, tag in tokenizer.tag(compact):
        if (
            tag == "nr"
            and 2 <= len(token) <= 3
            and token[0] in lexicon.surnames
            and token not in lexicon.protected_names
            and not tokenizer.has_word(token)
            and not any(c in SLOT_CHARS for c in token)
        ):
            out.append(SLOT_CHAR["人名"])
        else:
            out.append(token)
    return "".join(out)
