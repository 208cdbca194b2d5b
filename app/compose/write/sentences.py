"""Sentences a drafted paragraph can reuse: a past passage split, repaired and generalised for a new speech.

A past passage is one office's words for one occasion. Before a sentence of it can stand in a new draft it is
adapted (see ``../shared/examples/drafted-paragraphs.md``): spun words are restored (``志愿效劳`` → ``志愿服务``,
list in ``phrasebank/spun_words.txt``), the enumerator it opened with goes (``二要``, ``（三）``, ``首先，``),
and what belonged to the other document becomes a slot (``Slotter`` from the miner: names, places, years,
dates, figures, units). A sentence is refused when it cannot be reused honestly: it states another meeting's
facts (a year, a date, a person), speaks about the occasion itself (``刚才``, ``今天的会议``), lost characters
(``?`` where a 《 or “ stood), is chrome or still spun (``Lexicon.is_noise``), or is a fragment.

``adapt_passage`` is pure apart from the process-wide slotter (lexicons and segmenter, built once) and is
memoised per passage text, because every draft that names a topic asks about the same passages again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.compose.model import SourceRef
from app.mine.lexicon import load_lexicon, shared_tokenizer
from app.mine.slots import Slotter, expand
from app.structure.markers import ARABIC_NUMBER, BRACKETED_NUMBER, BULLETS, CN_NUMERAL
from app.text.normalise import cjk_ratio, to_simplified
from app.text.tokenize import DEFAULT_LEXICON_DIR, lexicon_lines

MIN_CHARS = 12
MAX_CHARS = 130
# Slots that carry another document's facts: a sentence with one is not this speech's to say.
FACT_SLOTS = ("{人名}", "{日期}", "{年份}")
# Slots a sentence may keep: the writer's place fills {地名}; a figure or a unit becomes 【待补】.
FILLABLE = {"{数字}": "【待补：数字】", "{单位}": "【待补：责任单位】"}

_SPLIT = re.compile(r"(?<=[。！？；!;])")
WORDS_FILE = "draft_sentence_words.txt"  # occasion words and dropped leads, under phrasebank/
# A count of things that happened (两起事故, 三个项目, 十余家) is another document's fact.
_COUNT = re.compile(
    r"连冠|蝉联|连续[一二三四五六七八九十]+届|[一二三四五六七八九十]+大(?:品牌|行动|工程|任务|活动)|"
    # 一批/一项/一条 alone is how a requirement speaks (推出一批志愿服务项目); 一起事故, 一家企业 are events
    r"(?:[两三四五六七八九十百千万余多][一二两三四五六七八九十百千万余多]*|一[一二两三四五六七八九十百千万余多]+)"
    r"(?:起|家|名|项|条|批|所|户|座|场|支|处|件|人次|万人|个[\u4e00-\u9fff]{0,2}[村镇区县点站所])"
    r"|一(?:起|家|名|户|座|所|处|件|人次)"
)
# A person named before a title (陈某某省长, 王某书记) — the slotter finds titles before names, not after.
_NAME_TITLE = re.compile(
    r"(?<![委组府部局厅办会省市县区镇乡党])[\u4e00-\u9fff]{1,2}[^委组府部局厅办会省市县区镇乡党政协联团\W]"
    r"(?:省长|市长|县长|区长|书记|部长|主任)(?:要求|指出|强调|说|在|明确|多次|曾)"
)
_SCOPE = re.compile(r"(全|我|本)(市|县|区|镇)(?=[^委政级长])")
# Someone other than the meeting speaking (吴某某要求，…): the name is not slotted without a title before it.
_SOMEONE_SAYS = re.compile(r"(?<!会议)(?<!他)(?<!她)(?:要求|指出|强调|表示)[，：:]")
# Narration of what was done (了 after a verb): speeches' task and significance parts state what to do.
_PAST = re.compile(r"(?<![为除])了(?!解)")
_ASCII_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
_LOST_CHAR = re.compile(r"[?？][\u4e00-\u9fff]|[\u4e00-\u9fff][?？](?![。”])|\ufffd")
_LATIN = re.compile(r"[A-Za-z]{3,}|https?:|www\.|\.com")
_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("‘", "’"))


@dataclass(frozen=True)
class SentenceCandidate:
    """One reusable sentence: its template (``{地名}`` slots left to fill), where it came from and where it stood."""

    template: str
    source: SourceRef | None
    passage: int  # the passage's rank among the hits it came from
    position: int  # its index among the passage's sentences
    role: str = "other"
    key: str = ""  # what two copies of a sentence share: the template without punctuation (``sentence_key``)


@dataclass(frozen=True)
class SentenceWords:
    """``phrasebank/draft_sentence_words.txt`` compiled: occasion words, and the enumerators a sentence drops.

    The enumerators are the outline markers of ``app.structure.markers`` (（三）, 二要, 3., 第二，, ■) plus the
    list's leads (首先，/ 同时，).
    """

    occasion: re.Pattern[str]
    enumerator: re.Pattern[str]


@lru_cache(maxsize=4)
def sentence_words(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> SentenceWords:
    rows = list(lexicon_lines(lexicon_dir / WORDS_FILE))
    occasion = [r[0] for r in rows if len(r) > 1 and r[1] == "occasion"]
    leads = [r[0] for r in rows if len(r) > 1 and r[1] == "lead"]
    markers = [BRACKETED_NUMBER, rf"{CN_NUMERAL}[、是要]", rf"{ARABIC_NUMBER}[、.．]", rf"第{CN_NUMERAL}[，、,]",
               rf"[{re.escape(BULLETS)}·\-]"]  # fmt: skip
    if leads:
        markers.append(rf"(?:{'|'.join(map(re.escape, leads))})[，,]")
    return SentenceWords(
        occasion=re.compile("|".join(map(re.escape, sorted(occasion, key=len, reverse=True))) or r"(?!)"),
        enumerator=re.compile(rf"^(?:{'|'.join(markers)})"),
    )


@lru_cache(maxsize=4)
def spun_swaps(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> tuple[tuple[str, str], ...]:
    """(spun, original) pairs from ``phrasebank/spun_words.txt``, longest first."""
    pairs = {fields[0]: fields[1] for fields in lexicon_lines(lexicon_dir / "spun_words.txt") if len(fields) > 1}
    return tuple(sorted(pairs.items(), key=lambda p: (-len(p[0]), p[0])))


def restore_spun(text: str, swaps: Sequence[tuple[str, str]] | None = None) -> str:
    """``要进一步健全志愿效劳工作网络`` → ``要进一步健全志愿服务工作网络``."""
    for spun, original in swaps if swaps is not None else spun_swaps():
        if spun in text:
            text = text.replace(spun, original)
    return text


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ or ；; a clause list's ； becomes a sentence end of its own."""
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def _balanced(text: str) -> bool:
    return all(text.count(left) == text.count(right) for left, right in _PAIRS)


def _repair_quotes(text: str) -> str:
    """Quotes whose closing mark was lost (``深化“志愿之城建设``) are dropped rather than left open."""
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def _finish(sentence: str) -> str:
    """Every drafted sentence ends with 。 (a clause list's ； or a lost end mark included)."""
    sentence = sentence.rstrip("；;，,、：: ")
    return sentence if sentence.endswith(("。", "！", "？")) else sentence + "。"


@lru_cache(maxsize=1)
def _slotter() -> Slotter:
    return Slotter(load_lexicon(), shared_tokenizer())


def _full_width(text: str) -> str:
    """Web copies mix ASCII punctuation into Chinese sentences; a draft uses the full-width marks."""
    return text.translate(_ASCII_PUNCT) if re.search(r"[,;:!?()]", text) else text


def adapt_sentence(raw: str, narrative: bool = True) -> str | None:
    """The reusable template of one sentence of a past passage, or None when it must not be reused.

    >>> adapt_sentence("二要持续深化志愿效劳。")
    '要持续深化志愿服务。'
    >>> adapt_sentence("刚才，几位同志作了很好的发言。") is None
    True

    A sentence cut off (no end mark: a page break or an excerpt's end) is refused; with ``narrative=False``
    so is one that narrates what was done (了) — a requirement or an assessment is what a new speech reuses.
    """
    raw = raw.strip()
    if not raw.endswith(("。", "！", "？", "；", ";", "!", "?")):
        return None
    text = _full_width(restore_spun(to_simplified(raw)))
    words = sentence_words()
    while (m := words.enumerator.match(text)) is not None:
        text = text[m.end() :].lstrip()
    # 一要/二要 lose their number but keep the 要 that makes them a requirement.
    if re.match(r"^[要是]", text) is None and raw.lstrip()[:2] in {f"{n}要" for n in "一二三四五六七八九十"}:
        text = "要" + text
    text = _repair_quotes(text)
    if not MIN_CHARS <= len(text) <= MAX_CHARS or cjk_ratio(text) < 0.7:
        return None
    if words.occasion.search(text) or _LOST_CHAR.search(text) or _LATIN.search(text) or not _balanced(text):
        return None
    if _COUNT.search(text) or _NAME_TITLE.search(text) or _SOMEONE_SAYS.search(text):
        return None
    if not narrative and _PAST.search(text):
        return None
    lexicon = load_lexicon()
    if lexicon.is_noise(text):
        return None
    slotter = _slotter()
    template = expand(slotter.slot(text, slotter.tokenizer.boundaries(text)).compact)
    if any(slot in template for slot in FACT_SLOTS) or template.count("{") > 2:
        return None
    # 江州市镇: a township slot reads wrong filled; 锦绣{地名}城: another city's slogan
    if re.search(r"\{地名\}(?:各)?(?:镇|乡|村|街道|社区)|\{地名\}城(?!市)", template):
        return None
    return _finish(template)


@lru_cache(maxsize=8192)
def _adapted(text: str, narrative: bool) -> tuple[tuple[int, str, str], ...]:
    out = []
    for position, raw in enumerate(split_sentences(text)):
        template = adapt_sentence(raw, narrative)
        if template is not None:
            out.append((position, template, sentence_key(template)))
    return tuple(out)


def sentence_key(template: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff{}]", "", template)


def adapt_passage(
    text: str, source: SourceRef | None, rank: int, role: str = "other", narrative: bool = True
) -> list[SentenceCandidate]:
    """The reusable sentences of one retrieved passage, in their order (narration of past deeds refused
    unless ``narrative``: only a review of achievements may say what was done)."""
    return [
        SentenceCandidate(template=t, source=source, passage=rank, position=p, role=role, key=k)
        for p, t, k in _adapted(text, narrative)
    ]


def fill(template: str, place: str) -> str:
    """A template made concrete for the draft: ``{地名}`` → the writer's place (or 全市), figures → 【待补】,
    and 全县/我县 said at the level of the writer's place (全市 for 江州市, 全区 for 滨湖区)."""
    text = template.replace("{地名}", place or "全市")
    level = place[-1] if place and place[-1] in "市县区镇" else ""
    if level:
        text = _SCOPE.sub(lambda m: m[1] + level, text)
    for slot, placeholder in FILLABLE.items():
        text = text.replace(slot, placeholder)
    return re.sub(r"\{[^{}]+\}", "【待补】", text)
