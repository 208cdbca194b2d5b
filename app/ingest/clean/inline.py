"""Inline cleaning rules: noise that sits *inside* a line of otherwise good text.

Every rule is written once, in simplified characters, and matched on the *simplified shadow* of a line
(``to_simplified`` keeps the length of practically all text). The matched character spans are then
cut from the original line, so the output keeps the document's own script and punctuation. When a
line's shadow has a different length (very rare), the rule is matched on the original instead.

Each rule takes ``(orig, shadow)`` and returns ``(orig, shadow, removed)`` where ``removed`` lists the
original text of every span it took out; ``clean.py`` records them as ``Removal``s. ``apply_spans`` does
the cutting. Masked names (``××同志``, ``XX市``, ``**任组长``, ``20XX年``) are body text, not noise: no rule
touches them (``app.text.masks.find_masks`` tells where they are; the miner turns them into slots). The ``Doc``
the rules run on and the line predicates are in ``clean_common``; rules that reshape the whole document
(joining and splitting lines) are in ``clean_layout``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.ingest.clean.common import CJK, NUMBERED_HEADING_RE, ZH_PUNCT, InlineResult
from app.text.normalise import to_simplified

Span = tuple[int, int]

_CJK_RE = re.compile(f"[{CJK}]")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_RE.match(ch))


def apply_spans(orig: str, shadow: str, finder: Callable[[str], list[Span]], repl: str = "") -> InlineResult:
    """Cut the spans ``finder`` finds on the shadow out of both strings, putting ``repl`` in their place."""
    aligned = len(orig) == len(shadow)
    spans = finder(shadow if aligned else orig)
    if not spans:
        return orig, shadow, []
    out_o: list[str] = []
    out_s: list[str] = []
    removed: list[str] = []
    pos = 0
    for start, end in spans:
        out_o += [orig[pos:start], repl]
        out_s += [shadow[pos:start], repl]
        removed.append(orig[start:end])
        pos = end
    out_o.append(orig[pos:])
    out_s.append(shadow[pos:])
    new_orig = "".join(out_o)
    return new_orig, ("".join(out_s) if aligned else to_simplified(new_orig)), removed


def regex_finder(rx: re.Pattern[str], group: int = 0) -> Callable[[str], list[Span]]:
    def find(text: str) -> list[Span]:
        return [m.span(group) for m in rx.finditer(text) if m.end(group) > m.start(group)]

    return find


# --- spam_token ---------------------------------------------------------------------------------------
_SPAM_CHAIN_RE = re.compile(rf"(?<![0-9A-Za-z])[0-9A-Za-z]++[{CJK}]*+(?:_[0-9A-Za-z]*+[{CJK}]*+)+")
_SPAM_WORD_RE = re.compile(
    r"bet|casino|娱乐|彩票|棋牌|比分|下注|投注|官网|体育|博彩|赌|真人|老虎机|开户|百家乐|六合彩|时时彩|app", re.I
)
_SPAM_END_RE = re.compile(r"官方网站|官网|网站|网|平台|娱乐城|娱乐|app|APP|下载|开户|注册|入口|首页")
_LATIN_PREFIX_RE = re.compile(r"[0-9A-Za-z]*")


def _find_spam(text: str) -> list[Span]:
    spans = []
    for m in _SPAM_CHAIN_RE.finditer(text):
        chain = m.group()
        if not _SPAM_WORD_RE.search(chain):
            continue
        tokens = chain.split("_")
        last = tokens[-1]
        prefix = len(_LATIN_PREFIX_RE.match(last).group())  # type: ignore[union-attr]
        head = last[prefix : prefix + 12]
        ends = [e.end() for e in _SPAM_END_RE.finditer(head)]
        if ends:
            keep = prefix + max(ends)
        else:  # no tell-tale ending: assume the last token is as long as the others
            others = [len(t) for t in tokens[:-1]]
            keep = min(len(last), sorted(others)[len(others) // 2])
        spans.append((m.start(), m.end() - len(last) + keep))
    return spans


def spam_token(orig: str, shadow: str) -> InlineResult:
    """Gambling spam substituted into a sentence: ``区365bet亚洲版_365bet下注_365bet足球即时比分网主席`` →
    ``区主席``. A run of Latin/digit+Chinese tokens joined by ``_`` that mentions a spam word (bet, 娱乐,
    彩票, 棋牌, 比分, 下注, 官网, 体育 …); the last token ends at its 网/官网/平台/娱乐 ending."""
    return apply_spans(orig, shadow, _find_spam)


# --- pinyin_gloss --------------------------------------------------------------------------------------
TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_TONE_TABLE = str.maketrans(TONES, "aaaaeeeeiiiioooouuuuvvvv")
_PINYIN_PAREN_RE = re.compile(rf"(?<=[{CJK}])[(（]([a-zü{TONES}]{{1,7}})[)）]")
_SYLLABLE_RE = re.compile(r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvü]{1,3}(?:ng|n|r)?$")
_TONED_RE = re.compile(rf"[(（][a-z]{{0,6}}[{TONES}][a-z{TONES}]{{0,6}}[)）]")


def has_toned_pinyin(text: str) -> bool:
    """True when a text carries at least two parenthesised tone-marked syllables like ``(shè)``."""
    return len(_TONED_RE.findall(text)) >= 2


def pinyin_gloss(orig: str, shadow: str, lenient: bool = False) -> InlineResult:
    """Pinyin injected after characters: ``建設(shè)會(huì)議`` → ``建設會議``.

    A parenthesised syllable right after a Chinese character goes when it carries a tone mark, or, in a
    text that has tone-marked ones (``lenient``), when it is a plain pinyin syllable. ``(開放先導區)``,
    ``(2023—2025年)`` and ``(党组)`` are not pinyin and stay.
    """

    def find(text: str) -> list[Span]:
        spans = []
        for m in _PINYIN_PAREN_RE.finditer(text):
            syl = m.group(1)
            plain = syl.translate(_TONE_TABLE)
            if _SYLLABLE_RE.match(plain) and (plain != syl or lenient):
                spans.append(m.span())
        return spans

    return apply_spans(orig, shadow, find)


_TONED_WORD_RE = re.compile(rf"(?<![A-Za-z0-9{TONES}ü])[A-Za-zü{TONES}]*[{TONES}][a-zü{TONES}]*(?![A-Za-z0-9{TONES}ü])")
_PINYIN_LINE_RE = re.compile(rf"^[\sA-Za-zü{TONES}'’·,，.。]+$")


def _pinyin_word(word: str) -> bool:
    """True when a word splits into pinyin syllables: ``chuàngjiàn`` → chuang·jian."""
    plain = word.lower().translate(_TONE_TABLE)
    ok = [True] + [False] * len(plain)
    for end in range(1, len(plain) + 1):
        ok[end] = any(ok[start] and _SYLLABLE_RE.match(plain[start:end]) for start in range(max(0, end - 6), end))
    return ok[-1]


def glued_pinyin(orig: str, shadow: str) -> InlineResult:
    """Tone-marked pinyin without brackets: glued to the characters it spells (``创建chuàngjiàn``) or a line
    of it (``chuàngjiàn cǎilǐ``). A word needs a tone mark and must split into pinyin syllables, so ``APP``,
    ``GDP``, ``PM2.5`` and ``iPhone`` stay."""

    def find(text: str) -> list[Span]:
        whole = bool(_PINYIN_LINE_RE.match(text))
        spans = []
        for m in _TONED_WORD_RE.finditer(text):
            glued = m.start() > 0 and is_cjk(text[m.start() - 1])
            if (glued or whole) and _pinyin_word(m.group()):
                spans.append(m.span())
        if whole and spans:
            return [(0, len(text))]
        return spans

    return apply_spans(orig, shadow, find)


# --- obfuscation_gloss ---------------------------------------------------------------------------------
_GLOSS_RE = re.compile(
    r"[(（][^()（）]{0,20}(?:单字替换|替换词|同义替换|替换)[^()（）]{0,20}[)）]"
    r"|[(（]一个[^()（）,，]{1,15}[,，]一个[^()（）]{1,15}[)）]"
)


def obfuscation_gloss(orig: str, shadow: str) -> InlineResult:
    """Glosses some sites put in place of a sensitive word: ``这个(单字替换)``,
    ``(一个服务大众的职务,一个组织的首领)强调`` → the parenthetical goes."""
    return apply_spans(orig, shadow, regex_finder(_GLOSS_RE))


# --- paywall_inline ------------------------------------------------------------------------------------
_PAYWALL_INLINE_RE = re.compile(
    r"(?<![.…\s])[.…]*\s*[(（][^()（）]{0,80}?(?:此处省略|点击下载|下载全文|不往下看|查看全文|阅读全文)[^()（）]{0,80}[)）]\s*[.…]*"
)


def paywall_inline(orig: str, shadow: str) -> InlineResult:
    """A preview site's cut notice: ``……(文鼎文库www.wentop.com此处省略926字。不往下看了,点击下载全文)……``."""
    return apply_spans(orig, shadow, regex_finder(_PAYWALL_INLINE_RE))


# --- page_counter --------------------------------------------------------------------------------------
_PAGE_COUNTER_RE = re.compile(
    r"(?<!\s)\s*(?:(?:本页|当前页?|此页)\s*(?:为|是)?\s*)?第\s*\d{1,4}\s*页\s*[/／,，、]?\s*"
    r"(?:[(（]\s*共\s*\d{1,4}\s*页\s*[)）]|共\s*\d{1,4}\s*页)"
)


def page_counter(orig: str, shadow: str) -> InlineResult:
    """Page counters of exported documents, also glued to a paragraph's end:
    ``…环境是我们的资 第1 页共 3页`` → ``…环境是我们的资``, ``…的资本页为第 2 页（共 4 页）`` → ``…的资``;
    ``第1页 / 共7页`` lines vanish."""
    return apply_spans(orig, shadow, regex_finder(_PAGE_COUNTER_RE))


# --- word_count ----------------------------------------------------------------------------------------
_WORD_COUNT_RE = re.compile(r"(?<!\s)\s*[(（]\s*(?:共|全文)?\s*\d{2,6}\s*字\s*[)）]\s*$")


def word_count(orig: str, shadow: str) -> InlineResult:
    """A site's word count after a title: ``在2025年全县…推进大会上的讲话(3870字)`` → the title alone."""
    if not shadow.rstrip().endswith((")", "）")):
        return orig, shadow, []
    return apply_spans(orig, shadow, regex_finder(_WORD_COUNT_RE))


# --- bracket_notice ------------------------------------------------------------------------------------
_BRACKET_RE = re.compile(
    r"【[^【】]{0,40}(?:共\s*\d+\s*字|仅供|参考范文|借鉴|以稿换稿|收藏|会员|下载|小\s*中\s*大|打印|关闭|VIP|付费)"
    r"[^【】]{0,40}】"
)


def bracket_notice(orig: str, shadow: str) -> InlineResult:
    """Site notices in 【】: ``【文章共6963字,精选参考范文,仅供学习借鉴】``, ``【以稿换稿】【收藏】``,
    ``【小 中 大】``, ``【加入会员】``. Real 【】 titles in the text (``【案例】``) stay."""
    return apply_spans(orig, shadow, regex_finder(_BRACKET_RE))


# --- trailing_ellipsis ---------------------------------------------------------------------------------
_TRAILING_ELLIPSIS_RE = re.compile(r"(?<![.…。\s])\s*(?:\.{3,}|…+|。{3,})\s*$")


def trailing_ellipsis(orig: str, shadow: str) -> InlineResult:
    """The ellipsis a preview leaves where it cut a paragraph: ``要常抓不 ……`` → ``要常抓不``.
    Only applied to the line right before a cut (a paywall notice, a preview end) or the last line."""
    return apply_spans(orig, shadow, regex_finder(_TRAILING_ELLIPSIS_RE))


# --- cjk_space -----------------------------------------------------------------------------------------
_SPACE_RE = re.compile(r" +")
_BULLETS = "■□●○◆◇▲△★☆•·▪►◎"
_HEADLINE_SEG_RE = re.compile(rf"^[^{CJK}]*[{CJK}][^ ]*[{CJK}][^ ]*$")


def _zh(ch: str) -> bool:
    return is_cjk(ch) or ch in ZH_PUNCT


def cjk_space(orig: str, shadow: str) -> InlineResult:
    """Spaces inside Chinese text go: ``郑 建 新`` → ``郑建新``, ``衷 心的感谢`` → ``衷心的感谢``,
    ``驻 X部队`` → ``驻X部队``; a single space between Latin words or numbers stays (``Notice: The``,
    ``2022-02-25 00:36``). A short headline of separate phrases keeps them apart
    (``抓在经常 融入日常 做在平常``), and so does the space after a bullet (``■ 要加快``); a numbered heading
    that reads as clauses (``二、坚持问题导向，推动工作提 质增效``) is one phrase, and a space in it is a scan's."""
    if " " not in orig:
        return orig, shadow, []
    segments = shadow.split(" ")
    if (
        len(shadow) <= 40
        and len(segments) > 1
        and not any(c in shadow for c in "。！？!?")
        and not (NUMBERED_HEADING_RE.match(shadow) and any(c in shadow for c in "，,"))
        and all(_HEADLINE_SEG_RE.match(seg) for seg in segments if seg)
    ):
        return apply_spans(
            orig, shadow, lambda t: [(m.start() + 1, m.end()) for m in _SPACE_RE.finditer(t) if m.end() - m.start() > 1]
        )

    def find(text: str) -> list[Span]:
        spans = []
        for m in _SPACE_RE.finditer(text):
            left = text[m.start() - 1] if m.start() else ""
            right = text[m.end()] if m.end() < len(text) else ""
            if not left or not right:
                spans.append(m.span())
            elif m.start() == 1 and left in _BULLETS:
                continue
            elif _zh(left) or _zh(right):
                spans.append(m.span())
            elif m.end() - m.start() > 1:
                spans.append((m.start() + 1, m.end()))
        return spans

    new_o, new_s, _ = apply_spans(orig, shadow, find)
    return new_o, new_s, []  # whitespace is formatting, not content: not recorded
