"""Repair of corrupted copies: marks lost as "?" and text decoded with the wrong code page (mojibake).

A copy passed through a tool that could not write 《》 or “” has a "?" (or a blank) where they stood:
``学习?习近平…纲要》``, ``?中华人民共和国民法典?``. Such a mark is put back only when the pair is unambiguous: the
other mark of the pair is there and unmatched, or both ends are the words a document's name starts and ends with
(``phrasebank/title_mark_words.txt``). A "?" that could be a question mark is left alone.

Mojibake is UTF-8 read as GBK (``涓枃`` for 中文, ``鈥`` for “) or as Latin-1 / Windows-1252 (``ä¸­æ–‡``).
Where the wrong decode lost nothing, encoding the run back with that code page gives the bytes, and the bytes
read as UTF-8 give the text; where it lost bytes (``锟斤拷``, a run that no longer round-trips) the line is only
flagged. The signatures are data in ``phrasebank/mojibake_marks.txt``.

Each rule is a small record (``LineRule``) acting on one line; every change is recorded as a ``Repair`` for the
ingest report. Runs before the cleaner (``clean_text``) so that every later rule sees the repaired text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from app.ingest import vocab
from app.ingest.read.decode import plausibility
from app.text.normalise import CJK_RE

MOJIBAKE_PATH = vocab.PHRASEBANK / "mojibake_marks.txt"
NAME_MAX = 40  # a document's name between its marks; longer, the pairing is a guess
QUOTE_MAX = 20  # a quoted phrase (“文明城市”); a longer span between marks is a sentence, not a quote
GBK_MARKS_MIN = 3  # one or two rare characters are a name or a typo (涓涓细流); three make a suspect
GBK_SHARE_MIN = 0.2  # of a run's characters: every other one of a mojibake run has the shape (the lead bytes)

_PLACEHOLDER = "?？\ufffd"
_NO_MARK = r"[^《》“”?？\ufffd\s。，；！,;!：:]"  # what stands inside a name or quote: no mark, no sentence end
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_LATIN_RUN_RE = re.compile(rf"[\u00c0-\u00ff][\u0080-\u00ff{_CP1252_SPECIALS}]+")
"""A UTF-8 lead byte read as Latin-1 (``ä``, ``æ``, ``ï``) and the continuation bytes after it."""
_GBK_RUN_RE = re.compile(r"[^\x00-\x7f，。：；、！？“”《》（）\s]+")
"""A run that may be one stretch of mojibake: real punctuation (which the wrong decode would have turned into
锛/銆/鈥) and ASCII bound it, so the real text around it is not taken into the re-decode."""


@dataclass(frozen=True)
class Repair:
    rule: str  # title_marks | quotes | mojibake (re-decoded) | mojibake_flagged (bytes lost, left as is)
    before: str
    after: str


@dataclass(frozen=True)
class LineRule:
    """A repair of one line: ``apply`` returns the new line and the (before, after) pieces it changed."""

    name: str
    apply: Callable[[str], tuple[str, list[tuple[str, str]]]]


@dataclass(frozen=True)
class Repaired:
    text: str
    repairs: tuple[Repair, ...]


@cache
def _marks(name: str) -> str:
    return vocab.word_class(MOJIBAKE_PATH, name)


@cache
def _gbk_shape() -> re.Pattern[str]:
    """The characters a UTF-8 lead byte of Chinese (E4–E9) and a continuation byte (80–BF) make when read as GBK
    (中 → 涓, 的 → 鐨, 推 → 鎺 …), with the listed punctuation signatures (鈥, 锛, 銆): rare in real Chinese text,
    the bulk of such mojibake."""
    shaped = []
    for lead in range(0xE4, 0xEA):
        for trail in range(0x80, 0xC0):
            try:
                shaped.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return re.compile(f"[{''.join(shaped)}]|{_marks('gbk')}")


def _gbk_suspect(text: str) -> bool:
    """Whether ``text`` looks like UTF-8 read as GBK: enough characters of that shape, densely enough."""
    found = len(_gbk_shape().findall(text))
    return found >= GBK_MARKS_MIN and found >= GBK_SHARE_MIN * len(text)


@cache
def _title_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    head = vocab.word_class(vocab.TITLE_MARK_WORDS_PATH, "head")
    tail = vocab.word_class(vocab.TITLE_MARK_WORDS_PATH, "tail")
    both = re.compile(rf"[?？](?P<name>(?:{head}){_NO_MARK}{{0,{NAME_MAX}}}?(?:{tail}))[?？]")
    opener = re.compile(rf"[?？\ufffd\s](?P<name>(?:{head}){_NO_MARK}{{0,{NAME_MAX}}}?)》")
    closer = re.compile(rf"《(?P<name>{_NO_MARK}{{1,{NAME_MAX}}}?(?:{tail}))[?？\ufffd]")
    return both, opener, closer


def _balanced(text: str, open_mark: str, close_mark: str) -> bool:
    return text.count(open_mark) == text.count(close_mark)


def _closes_later(rest: str, open_mark: str, close_mark: str) -> bool:
    """Whether ``rest`` closes a mark before it opens another (then the "?" before it was no closing mark)."""
    close_at, open_at = rest.find(close_mark), rest.find(open_mark)
    return close_at >= 0 and (open_at < 0 or close_at < open_at)


def _pairs(
    line: str, pattern: re.Pattern[str], fits: Callable[[str, re.Match[str]], bool], make: Callable[[str], str]
) -> tuple[str, list[tuple[str, str]]]:
    """Replace every match of ``pattern`` that ``fits`` the line around it by ``make(name)``."""
    changes: list[tuple[str, str]] = []
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(line):
        if fits(line, m):
            new = make(m["name"])
            out += [line[pos : m.start()], new]
            changes.append((m.group(), new))
            pos = m.end()
    return "".join([*out, line[pos:]]), changes


def restore_title_marks(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``?中华人民共和国民法典?`` → ``《中华人民共和国民法典》``; ``学习?习近平…纲要》`` → ``学习《习近平…纲要》``;
    ``《…条例?`` → ``《…条例》``, each only where the mark it pairs with is not already matched."""
    if "?" not in line and "？" not in line and "\ufffd" not in line and "》" not in line:
        return line, []
    both, opener, closer = _title_patterns()
    line, changed = _pairs(line, both, lambda s, m: _balanced(s[: m.start()], "《", "》"), lambda n: f"《{n}》")
    line, more = _pairs(line, opener, lambda s, m: _balanced(s[: m.start()], "《", "》"), lambda n: f"《{n}》")
    changed += more
    line, more = _pairs(line, closer, lambda s, m: not _closes_later(s[m.end() :], "《", "》"), lambda n: f"《{n}》")
    return line, changed + more


_QUOTE_OPEN_RE = re.compile(rf"[?？\ufffd](?P<name>{_NO_MARK}{{1,{QUOTE_MAX}}})”")
_QUOTE_CLOSE_RE = re.compile(rf"“(?P<name>{_NO_MARK}{{1,{QUOTE_MAX}}})[?？\ufffd]")


def restore_quotes(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``争创?全国文明城市”`` → ``争创“全国文明城市”``; ``“全国文明城市?称号`` → ``“全国文明城市”称号``: a "?" that
    pairs with an unmatched quote mark of the other side, around a short phrase."""
    if "“" not in line and "”" not in line:
        return line, []
    line, changed = _pairs(line, _QUOTE_OPEN_RE, lambda s, m: _balanced(s[: m.start()], "“", "”"), lambda n: f"“{n}”")
    line, more = _pairs(
        line,
        _QUOTE_CLOSE_RE,
        lambda s, m: _balanced(s[: m.start()], "“", "”") and not _closes_later(s[m.end() :], "“", "”"),
        lambda n: f"“{n}”",
    )
    return line, changed + more


def _better(before: str, after: str) -> bool:
    """The re-decoded run reads as Chinese, and more so than the mojibake did."""
    return bool(CJK_RE.search(after)) and plausibility(after) > plausibility(before)


def _redecode(run: str, codec: str) -> str | None:
    """The run's bytes under ``codec`` read as UTF-8, or None when the wrong decode lost some of them."""
    try:
        if codec == "cp1252":  # cp1252 leaves five bytes undefined; Latin-1 read them as U+0081 …
            data = b"".join(ch.encode("cp1252") if ch in _CP1252_SPECIALS else ch.encode("latin-1") for ch in run)
        else:
            data = run.encode(codec)
        return data.decode("utf-8")
    except UnicodeError:
        return None


def redecode_mojibake(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``ä¸­æ–‡`` → ``中文`` (UTF-8 read as Latin-1); ``鍒涘缓鏂囨槑鍩庡競`` → ``创建文明城市`` (read as GBK).
    A run that does not round-trip stays; ``repair_text`` flags its line."""
    changes: list[tuple[str, str]] = []
    for m in reversed(list(_LATIN_RUN_RE.finditer(line))):
        if (fixed := _redecode(m.group(), "cp1252")) and _better(m.group(), fixed):
            line = line[: m.start()] + fixed + line[m.end() :]
            changes.append((m.group(), fixed))
    if _gbk_suspect(line):
        for m in reversed(list(_GBK_RUN_RE.finditer(line))):
            run = m.group()
            if _gbk_suspect(run) and (fixed := _redecode(run, "gbk")) and _better(run, fixed):
                line = line[: m.start()] + fixed + line[m.end() :]
                changes.append((run, fixed))
    return line, changes[::-1]


RULES = (
    LineRule("mojibake", redecode_mojibake),
    LineRule("title_marks", restore_title_marks),
    LineRule("quotes", restore_quotes),
)


@cache
def _suspect() -> re.Pattern[str]:
    """Whatever any rule looks at: a line without one of these is left untouched (the cleaner's fast path)."""
    return re.compile(rf"[?？\ufffd《》“”]|{_gbk_shape().pattern}|{_LATIN_RUN_RE.pattern}|{_marks('lost')}")


def repair_text(text: str) -> Repaired:
    """Apply every rule to every suspect line; a line still showing mojibake is flagged (``mojibake_flagged``)."""
    if not _suspect().search(text):
        return Repaired(text, ())
    lost = re.compile(rf"{_marks('lost')}|{_marks('latin')}")
    repairs: list[Repair] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _suspect().search(line):
            continue
        for rule in RULES:
            line, changes = rule.apply(line)
            repairs += [Repair(rule.name, before, after) for before, after in changes]
        if m := lost.search(line):
            repairs.append(Repair("mojibake_flagged", line[max(0, m.start() - 8) : m.end() + 8], ""))
        elif _gbk_suspect(line):
            repairs.append(Repair("mojibake_flagged", line[:24], ""))
        lines[i] = line
    return Repaired("\n".join(lines), tuple(repairs))
