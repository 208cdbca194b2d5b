"""Ingest vocabulary read from word lists under ``phrasebank/`` and compiled once: the words of document-sharing
and 范文 sites (``site_words.txt``), and the words that tell where the lines of a run-on text begin
(``layout_words.txt``: the posts printed with a speaker's name, how a paragraph opens after its heading).

The cleaner asks it what a line of such a site's chrome looks like (a reading-time widget, a platform label, a
notice about the file), the title chooser what a site's own headline over a collection looks like. The words
are data a reviewer can extend; the shapes around them (a count, a short line) are in the predicates here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PHRASEBANK = Path(__file__).resolve().parents[2] / "phrasebank"
SITE_WORDS_PATH = PHRASEBANK / "site_words.txt"
LAYOUT_WORDS_PATH = PHRASEBANK / "layout_words.txt"
CLASSES = ("collection", "platform", "reading", "doc_notice")

_COUNT_RE = re.compile(r"\d+\s*(?:分钟|秒|字)")
_COUNT_TAIL = r"\d{1,5}\s*字|篇[一二三四五六七八九十\d]{1,3}"
"""Counts a site puts after a title: ``800字`` (its length), ``篇一`` (its place in a collection)."""
_READING_MAX = 40  # a widget is a short line; a sentence about reading is longer
_PLATFORM_LABEL_MAX = 8  # ``抖音号`` / ``微信公众号`` under an account's QR code
_NOTICE_MAX = 260  # a notice is at most a long paragraph; a document's body line may be longer
_NOTICE_HEAD = 60  # a notice says what it is about early on (本文档共…, 《….docx》由会员分享…)


@dataclass(frozen=True)
class SiteWords:
    """Each class of ``phrasebank/site_words.txt`` as one compiled alternation (case-sensitive, as listed: an
    ignore-case alternation costs the cleaner four times as much on every line)."""

    collection: re.Pattern[str]
    platform: re.Pattern[str]
    reading: re.Pattern[str]
    doc_notice: re.Pattern[str]
    decoration: re.Pattern[str]  # a title's tail of collection words and counts: ``800字精选``, ``篇一``
    decoration_words: str  # the same words and counts as an alternation, for patterns built on them


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or r"(?!)"


def _rows(path: Path) -> list[list[str]]:
    """The WORD<TAB>class rows of a word list; ``#`` comments and blank lines skipped. (Not ``app.text.tokenize``'s
    reader: that module loads the segmenter, which ingesting a file does not need.)"""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [[f.strip() for f in line.split("\t")] for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=4)
def site_words(path: Path = SITE_WORDS_PATH) -> SiteWords:
    rows = [r for r in _rows(path) if len(r) > 1]
    words = {name: [r[0] for r in rows if r[1] == name] for name in CLASSES}
    patterns = {name: re.compile(_alternation(words[name])) for name in CLASSES}
    decoration_words = rf"{_alternation(words['collection'])}|{_COUNT_TAIL}"
    decoration = re.compile(rf"(?:\s*(?:{decoration_words}))+$")
    return SiteWords(decoration=decoration, decoration_words=decoration_words, **patterns)


@lru_cache(maxsize=4)
def layout_words(word_class: str, path: Path = LAYOUT_WORDS_PATH) -> str:
    """One class of ``phrasebank/layout_words.txt`` as a regex alternation, longest first: ``post`` →
    ``秘书长|检察长|…|书记``, ``opener`` → ``近几年来|…|我们``."""
    return _alternation([r[0] for r in _rows(path) if len(r) > 1 and r[1] == word_class])


def is_reading_time(shadow: str) -> bool:
    """A news page's reading-time widget: ``本篇文章694字,读完约2分钟``, ``阅读时长：3分钟``."""
    return len(shadow) <= _READING_MAX and bool(site_words().reading.search(shadow) and _COUNT_RE.search(shadow))


def is_platform_label(shadow: str) -> bool:
    """A platform's label under an account's name or QR code: ``抖音号``, ``微信公众号``, ``视频号``."""
    bare = shadow.strip(" :：")
    return len(bare) <= _PLATFORM_LABEL_MAX and bool(site_words().platform.fullmatch(bare))


def is_doc_notice(shadow: str) -> bool:
    """A document-sharing site's notice about the file: ``本文档共23页,可阅读全部内容。``,
    ``《….docx》由会员分享,可在线阅读…``, ``该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。``"""
    return len(shadow) <= _NOTICE_MAX and bool(site_words().doc_notice.search(shadow, 0, _NOTICE_HEAD))


def strip_decoration(text: str) -> str:
    """A title without the collection words and counts a 范文 site puts after it: ``创建文明城市致辞800字精选`` →
    ``创建文明城市致辞``, ``…会议讲话稿篇一`` → ``…会议讲话稿``; a title without them comes back unchanged."""
    m = site_words().decoration.search(text)
    return text[: m.start()].rstrip() if m and m.start() > 0 else text


CUTOFF_WORDS_PATH = PHRASEBANK / "cutoff_words.txt"
TITLE_MARK_WORDS_PATH = PHRASEBANK / "title_mark_words.txt"


@lru_cache(maxsize=16)
def word_class(path: Path, name: str) -> str:
    """One class of a WORD<TAB>class list as a regex alternation, longest first: ``cutoff_words.txt`` ``cutoff``
    → ``试读已结束|…|未完``, ``title_mark_words.txt`` ``head`` → ``中华人民共和国|…|关于``."""
    return _alternation([r[0] for r in _rows(path) if len(r) > 1 and r[1] == name])
