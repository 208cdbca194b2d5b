"""Clean web-scraped Chinese documents: a pipeline of small, named rules.

``clean_text(raw)`` returns the text in its ORIGINAL script, one paragraph per line, no blank lines,
with the title/headline lines still on top and every piece of removed text kept as a
``Removal(rule, text)``. Removals matter: a date line (``publish_date_line``), a 来源/作者 line
(``source_line``) or a doc-site metadata line (``doc_meta_line``) is chrome in the text, but it carries
the document's date and source, which the metadata stage reads back from ``Cleaned.removals``.

Rules are matched on the simplified shadow of each line (see ``clean_common.Doc``), so each is written
once, in simplified characters, and works on traditional text too. The pipeline (``PIPELINE``) runs: width
normalisation → truncation (drop a tail of recommendations or legal notices) → running headers of exported
pages → line rules (drop chrome lines: vocabulary first, then the page's structure, see ``clean_zones``) →
inline rules → head rules (a repost headline over ``原标题：``, duplicate / variant / teaser titles) → page
markers → hard-wrap joining (and a numbered heading cut mid-phrase) → paragraph split → spacing → run-on text
(a title block glued to the first paragraph, a heading glued to its paragraph: ``clean_runon``) → lines longer
than any paragraph cut (``clean_runon.cut_long_lines``, so that later stages never see one). Every step is
linear in the size of the text.
Masked names (``××同志``, ``XX市``, ``**任组长``, ``20XX年``) are body text and stay exactly as printed (see
``app.text.masks``).

``removals`` come in pipeline order (one per removed line or span; a truncated tail is one removal with
its lines joined by ``\n``). Rule names: truncate, running_header, image_placeholder, breadcrumb, share_counter,
chrome_line, ad_line, file_name_line, page_counter, paywall_notice, trailing_ellipsis, outline_line,
toc_marker, ellipsis_line, disclaimer_line, publish_date_line, source_line, doc_meta_line, site_name_line,
footer, photo_caption, spam_token, pinyin_gloss, obfuscation_gloss, word_count, bracket_notice, date_widget,
site_blurb, original_title, repost_headline, title_variant, duplicate_line, page_marker, doubled_title, teaser_prefix,
title_prefix, bare_marker_line, forum_chrome, office_chrome (``clean_apps``), doc_notice, reading_time,
platform_label (the site vocabulary of ``phrasebank/site_words.txt``, see ``app.ingest.vocab``). Whitespace
changes (indentation, spaces inside Chinese text, re-joined hard wraps) are formatting and are not recorded.

This module holds the pipeline, the line rules and truncation. The rest lives in: ``clean_common`` (the
``Doc`` being cleaned and the line predicates), ``clean_chrome`` (what site chrome looks like: UI bars,
portal menus, headers and footers, newspaper page headers, WeChat chrome), ``clean_zones`` (chrome told by
its shape and place: head and tail zones, ads, bylines, link lists, running headers), ``clean_inline``
(inline rules), ``clean_layout`` (head rules for the title block and whole-document layout
rules: page markers, hard-wrap joining, paragraph splitting) and ``clean_runon`` (run-on text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from app.ingest import vocab
from app.ingest.clean import apps as ap
from app.ingest.clean import chrome as ch
from app.ingest.clean import inline as il
from app.ingest.clean import layout as lay
from app.ingest.clean import runon as ro
from app.ingest.clean import truncate as tr
from app.ingest.clean import zones as zn
from app.ingest.clean.classify.model import second_opinion
from app.ingest.clean.common import CJK, LEADING_PUNCT, PAGE_OF, Doc, InlineResult, is_heading, is_salutation
from app.ingest.clean.repair import Repair, repair_text
from app.text.normalise import normalise_width

__all__ = ["PIPELINE", "Cleaned", "Removal", "clean_text"]


@dataclass(frozen=True)
class Removal:
    rule: str  # rule name, e.g. "share_counter"
    text: str  # what was removed, in the original script


@dataclass(frozen=True)
class Cleaned:
    text: str  # cleaned text in the original script, one paragraph per line, no blank lines
    removals: tuple[Removal, ...]
    repairs: tuple[Repair, ...] = ()  # lost 《》/“” put back, mojibake re-decoded or flagged (``clean.repair``)


_NEEDS_WIDTH_RE = re.compile("[\uff01-\uff5e\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\t]")
"""Characters ``normalise_width`` changes; lines without any skip it."""


# === line rules: a whole line is chrome =================================================================
_LINE_PATTERNS = {  # rule name → pattern for the whole line (matched on the simplified shadow)
    "image_placeholder": r"(?:360se_picture\s*(?:\(\d+\))?|!\[[^\]]*\]\([^)]*\)"
    r"|\[(?:图片|image|img|photo)\]|<img[^>]*>|图片)",
    "breadcrumb": r"(?=.*(?:首页|正文|位置|中心|频道))(?:(?:当前位置|您的位置|您现在的位置|位置)\s*[:：]\s*)?"
    r"[^>＞»›]{1,15}(?:[>＞»›]+[^>＞»›]{1,15}){1,8}[>＞»›]?"
    r"|[^>＞»›。，！？；,!?;\d%]{1,15}(?:[>＞»›]+[^>＞»›。，！？；,!?;\d%]{1,15}){2,8}[>＞»›]?",
    "share_counter": r"[-—–\s]*\d{1,4}[-—–\s]*",
    "chrome_line": rf"[{CJK}A-Za-z]{{1,8}}(?:APP|App|app|客户端)"
    r"|(?:返回|回到|到|进入|去)[^,，。]{0,10}(?:首页|顶部|列表|目录)",
    "ad_line": r"(?=.{0,80}$).*(?:立即了解|立即咨询|立即购买|立即体验|马上体验|免费试用|免费领取|联系老师|"
    r"联系客服|加微信|写作神器|👉|👈|开通会员).*",
    "file_name_line": r"(?i:.{1,120}?\.(?:docx?|pdf|wps|pptx?|xlsx?|txt|caj)(?:_第\d+页)?)",
    "page_counter": r"[-—–_~\s(（\[【]*(?:" + PAGE_OF + r")[-—–_~\s)）\]】]*|共\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}",
    "paywall_notice": r"(?=.{0,80}$).*(?:免费预览|超出.{0,4}预览|下载全文|点击下载|立即下载|免费下载|下载本文|"
    r"(?:还剩|剩余)\d+页|开通VIP|下载文档到电脑|本文由网友投稿|仅供学习参考|如有侵权请?联系删除|该文档共\d+页|当前仅展示|(?:还剩|剩余)\d+字).*|本文\d*|[.…]*\s*(?:此处|以下|下文|后文)?(?:隐藏|省略)了?\s*\d+\s*字[^。]{0,20}?[.…]*",
    "outline_line": r"【(?:提纲|大纲|目录)】.*",
    "toc_marker": r"(?i:\[\[?_?toc_?\]\]?|\$\{toc\}|\{:?toc\}|@\[?toc\]?(?:\([^)]{0,20}\))?|<!--\s*toc\s*-->)",
    "ellipsis_line": r"[(（\[【]?\s*(?:[…⋯](?:\s*[…⋯.．。·])*|(?:[.．。·]\s*){3,})\s*[)）\]】]?",
}
_LINE_RE = re.compile("|".join(f"(?P<{name}>{pat})$" for name, pat in _LINE_PATTERNS.items()))
_OUTLINE_RE = re.compile(_LINE_PATTERNS["outline_line"])
_KEYS = (
    "发布于|发表于|发布时间|发布日期|发表时间|更新时间|上传时间|时间|日期|来源|文章来源|信息来源|稿件来源|作者|编辑|责任编辑|编审|"
    "审核|校对|上传人|上传者|文档编号|编号|文档格式|文档大小|文档页数|下载券|下载积分|内容提供方|格式|页数|大小|字数|浏览次数|浏览量|阅读量|阅读数|阅读|点击数|点击量|"
    "点击|文字大小|字号|下载次数|发布者|发布人|发布机构|供稿|录入|栏目|"
    # editors and reviewers of a news page; the account of a WeChat article
    "责编|值班编辑|主编|美编|监制|签发|审签|审校|编校|核稿|初审|复审|终审|一审|二审|三审|记者|通讯员|摄影|摄像|"
    "公众号|微信号|"
    # the metadata table of a government portal (政府信息公开)
    "索引号|主题分类|信息分类|体裁分类|组配分类|服务对象|发文机关|发文单位|发文字号|文号|成文日期|生成日期|有效性|"
    "效力状态|公开方式|公开范围|公开时限|所属机构|主题词|统一编号|登记号|实施日期|施行日期|生效日期|废止日期"
)
_SOURCE_WORDS = """来源 文章来源 信息来源 稿件来源 作者 编辑 责任编辑 编审 审核 校对 供稿 责编 值班编辑 主编 美编
    监制 签发 审签 审校 编校 核稿 初审 复审 终审 一审 二审 三审 记者 通讯员 摄影 摄像 公众号 微信号"""
_SOURCE_KEYS = frozenset(_SOURCE_WORDS.split())
_NOT_PUBLISH_KEYS = frozenset(("实施日期", "施行日期", "生效日期", "废止日期"))  # a regulation's, not the page's
_DATED_KEYS = frozenset(("发布于", "发表于"))  # 发布于:2021-08-19 — keys without 时间/日期 that give the page's date
_META_RE = re.compile(rf"^(?:[-*•·]\s*)?(?:【[^】]{{0,8}}】\s*)*[(（\[［【〔]?\s*(?:本版|本期|本文)?({_KEYS})\s*[:：]")
_SPACED_KEY_RE = re.compile(rf"^([{CJK}](?:\s+[{CJK}]){{1,5}})\s*[:：]")  # 索 引 号：
_KEY_RE = re.compile(_KEYS)
_DATE = r"(?:\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}年\d{1,2}月\d{1,2}日)"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_DATE_RE = re.compile(_DATE)
_DATE_LINE_RE = re.compile(
    rf"^(?:[{CJK}A-Za-z]{{2,16}}\s*)?(?:{_DATE}\s*{_TIME}|\d{{4}}[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})"
    rf"(?:\s+[{CJK}]{{2,16}})?$"
)
_DATED_META_RE = re.compile(  # 2024-11-21 16:40　來源：鶴城新聞網　作者：…
    rf"^(?:[{CJK}A-Za-z]{{2,16}}\s*)?{_DATE}(?:\s*{_TIME})?\s*(?:{_KEYS})\s*[:：]"
)
_DOC_SIZE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\s+\d+\+?\s+[\d.]+\s*[KMG]B\b")  # 2024-05-29 999+ 18.39KB
_SITE_NAME_RE = re.compile(
    rf"^(?:[{CJK}A-Za-z0-9]{{2,10}}(?:范文网|文库|文档网|资料网|公文网|文秘网|范文大全)|[{CJK}A-Za-z0-9]{{1,5}}网"
    rf"|[{CJK}]{{2,4}}(?:发布|融媒|融媒体|新闻|日报|晚报|头条|在线|微报|电视台|手机台|客户端))$"
)  # 三味园范文网, and a media account under a news title: 某某发布, 某某融媒
_SITE_AT_TOP_RE = re.compile(rf"^[{CJK}A-Za-z0-9]{{2,12}}(?:网|文库|数字报|电子报|电子版|客户端)$")
"""A site's name as the page's first line (``某某日报数字报``): no title ends like that."""
_CAPTION_RE = re.compile(rf"^(?:图为.{{0,30}}|[{CJK}]{{0,8}}(?:现场|颁奖|合影|掠影|剪影|留影|图片|照片))。?$")
_BARE_MARKER_RE = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*([:：]?)$")


def chrome_lines(doc: Doc) -> None:
    """Site chrome lines: ``![]()``/``360se_picture (1)`` (``image_placeholder``), breadcrumbs
    ``网易首页 > 新闻中心 > 正文`` (``breadcrumb``), a lone counter ``0`` (``share_counter``), UI words
    ``分享至``, ``点喜欢``, ``繁体版 English EN``, ``下载 相关 举报``, ``回到顶部``, ``灵锡APP``, font switchers
    and share bars ``【字体：大 中 小】　分享到：``, QR prompts ``扫一扫在手机打开当前页``, portal headers
    ``某某县人民政府 | 无障碍 | 长者模式`` and menus ``首页 政务公开 新闻中心`` (``chrome_line``, see
    ``clean_chrome``; a lone menu word ``政务公开`` only above the body), ads ``…写作神器! 立即了解``,
    ``请点击👉 mbgs777 👈联系老师`` (``ad_line``), file names
    ``…致辞.docx_第1页`` (``file_name_line``), ``第1页 / 共7页`` (``page_counter``), preview and doc-site
    notices ``亲,该文档总共7页,到这儿已超出免费预览范围…``, ``下载文档到电脑，查找使用更方便``,
    ``本文由网友投稿，仅供学习参考，如有侵权请联系删除。``, member-only and download-the-Word-file promotions
    ``【温馨提示】本文为会员专享…`` / ``点击此处下载Word完整版`` / ``，可直接编辑使用。`` (also the comma piece of one
    broken over lines) (``paywall_notice``), a site outline ``【提纲】…`` (``outline_line``), a markdown
    ``[TOC]`` / ``[[toc]]`` / ``${toc}`` (``toc_marker``), a lone ``……`` where a preview cut the text
    (``ellipsis_line``), reprint and platform disclaimers ``本文整理自网络…仅供学习交流，如需转载请注明出处``,
    ``…仅代表作者本人，搜狐号系信息发布平台…`` (``disclaimer_line``), a portal's bare name ``搜狐`` and way back
    ``返回搜狐，查看更多`` (``chrome_line``), a lone read-more prompt ``继续阅读`` / ``展开全文`` (``paywall_notice``),
    a library's storage notice ``本文档由用户上传，文库仅提供存储服务…`` (``disclaimer_line``), a clock widget
    ``今天是：2024年3月1日 星期五`` with the login bar after it (``date_widget``: its date is today's), a doc
    site's abstract ``【文档简介】本文为…`` and editor's intro ``以下是小编为大家整理的…，欢迎阅读参考。``
    (``site_blurb``), every wording of a page counter ``本页为第 2 页（共 4 页）`` (``page_counter``), a doc
    site's notice about the file ``本文档共23页…`` / ``《….docx》由会员分享,可在线阅读`` (``doc_notice``), a
    reading-time widget ``本篇文章694字,读完约2分钟`` (``reading_time``), a platform label ``抖音号`` and the
    account's name above it (``platform_label``).
    Then the page's structure (``clean_zones.structural_rules``): short UI lines in the head and tail zones
    (``打开APP，阅读体验更佳``, ``举报/反馈``), ads in the body (``▲广告 …``), link lists, menu entries."""
    menu = _menu_lines(doc)
    rules = ["chrome_line" if i in menu else _line_rule(shadow) for i, shadow in enumerate(doc.shadows)]
    _promo_fragments(doc.shadows, rules)
    zn.account_names(doc.shadows, rules)
    zn.structural_rules(doc.shadows, rules)
    out_l: list[str] = []
    out_s: list[str] = []
    for line, shadow, rule in zip(doc.lines, doc.shadows, rules, strict=True):
        if rule is None:
            out_l.append(line)
            out_s.append(shadow)
            continue
        doc.note(rule, line)
        if rule == "paywall_notice":
            tr.strip_cut_ellipsis(doc, out_l, out_s)
    doc.set(out_l, out_s)


def _line_rule(shadow: str) -> str | None:
    if len(shadow) > 130:  # only chrome lines are short; an outline and a doc site's notice are the exceptions
        if _OUTLINE_RE.match(shadow):
            return "outline_line"
        return "doc_notice" if vocab.is_doc_notice(shadow) else None
    m = _LINE_RE.match(shadow)
    if m:
        return m.lastgroup
    if ch.is_date_widget(shadow):
        return "date_widget"
    if ch.is_site_blurb(shadow):
        return "site_blurb"
    if ch.is_member_promo(shadow):
        return "paywall_notice"
    if ch.is_disclaimer(shadow):
        return "disclaimer_line"
    if ch.is_chrome_bar(shadow) or ch.is_nav_bar(shadow) or ch.is_portal_chrome(shadow):
        return "chrome_line"
    if ch.is_read_more(shadow):
        return "paywall_notice"
    if vocab.is_doc_notice(shadow):
        return "doc_notice"
    if vocab.is_reading_time(shadow):
        return "reading_time"
    if vocab.is_platform_label(shadow):
        return "platform_label"
    return None


def _promo_fragments(shadows: list[str], rules: list[str | None]) -> None:
    """A promotion broken over lines (``点击此处下载Word完整版`` / ``，可直接编辑使用。``): the short piece
    that continues a dropped notice with a comma goes with it, so it is not glued to the body instead."""
    for i in range(1, len(shadows)):
        s = shadows[i]
        if rules[i] is None and rules[i - 1] == "paywall_notice" and s[:1] in LEADING_PUNCT and len(s) <= 30:
            rules[i] = "paywall_notice"


def _menu_lines(doc: Doc) -> set[int]:
    """A portal menu laid out one entry per line above the body (``首页`` / ``政务公开`` / ``新闻中心``): menu
    words next to another menu word or UI word."""
    shadows = doc.shadows[: doc.body_start()]
    nav = [ch.is_nav_word(s) for s in shadows]
    near = [n or ch.is_chrome_bar(s) for n, s in zip(nav, shadows, strict=True)]
    return {i for i, n in enumerate(nav) if n and ((i > 0 and near[i - 1]) or (i + 1 < len(near) and near[i + 1]))}


def meta_lines(doc: Doc) -> None:
    """Metadata lines (their text stays in ``removals`` for the metadata stage): ``发布时间:2022-02-25 00:36
    文字大小: [ ] 浏览次数:``, ``时间:2012-07-08``, bare ``2025-04-02`` / ``21.09.2015  12:04`` /
    ``成都日报 2021-09-19 07:42`` (``publish_date_line``); ``来源:未知``, ``作者:董雄波``, ``【以稿换稿】【收藏】
    作者: 佚名 来源: 作者原创…`` (``source_line``); ``上传人:… 文档编号:… 格式:DOCX 页数:7 大小:20.07KB``,
    ``2024-05-29 999+ 18.39KB 12 页 海报``, ``文档格式：.docx　文档页数：2页　下载券：1``, ``内容提供方：…``
    (``doc_meta_line``); a site name under the title ``三味园范文网`` or a media account ``某某发布``, or
    over it ``某某日报数字报`` (``site_name_line``); a byline ``本报记者 某某　通讯员 某某`` (``source_line``).
    Also a date line with its source ``2024-11-21 16:40　來源：某某新聞網　作者：…``, a newspaper page header
    ``某某日报　2022年7月15日　星期五　第01版　要闻`` and a WeChat byline ``原创　某某文明　2024-04-01 08:30
    发表于江西`` (``publish_date_line``), editor lines ``（编辑：… 审核：…）`` / ``责编：… 校对：…`` /
    ``本版责任编辑：…　美编：…`` (``source_line``), a government portal's table ``索 引 号：…　主题分类：…
    发文机关：…`` (``doc_meta_line``) and ``成文日期：…　发布日期：…`` (``publish_date_line``). A 来源/责任编辑
    line after the body is the page footer: it and the site chrome after it go (``footer``), and so does a
    portal's ``主办：…　承办：…`` line in the second half (``footer``)."""
    start = doc.body_start()
    footer_at: int | None = None
    out_l: list[str] = []
    out_s: list[str] = []
    for i, (line, shadow) in enumerate(zip(doc.lines, doc.shadows, strict=True)):
        rule = _meta_rule(i, shadow, start, late=i * 2 >= len(doc.lines))
        if rule is None:
            out_l.append(line)
            out_s.append(shadow)
            continue
        doc.note(rule, line)
        if rule == "source_line" and i > start and footer_at is None:
            footer_at = len(out_l)
    if footer_at is not None and not any(zn.is_sentence(s) for s in out_s[footer_at:]):
        for line in out_l[footer_at:]:
            doc.note("footer", line)
        out_l, out_s = out_l[:footer_at], out_s[:footer_at]
    doc.set(out_l, out_s)


def _meta_key(shadow: str) -> str | None:
    """The metadata key a line starts with: ``来源:…`` → 来源, ``（编辑：…）`` → 编辑, ``索 引 号：…`` → 索引号."""
    if m := _META_RE.match(shadow):
        return m.group(1)
    if (m := _SPACED_KEY_RE.match(shadow)) and _KEY_RE.fullmatch(key := "".join(m.group(1).split())):
        return key
    return None


def _meta_rule(i: int, shadow: str, body_start: int, late: bool) -> str | None:
    if len(shadow) > 120:
        return None
    if late and ch.SITE_FOOTER_RE.match(shadow):
        return "footer"
    key = _meta_key(shadow)
    if key and "。" not in shadow[:-1]:
        if key in _SOURCE_KEYS:
            return "source_line"
        dated = ("时间" in key or "日期" in key or key in _DATED_KEYS) and key not in _NOT_PUBLISH_KEYS
        return "publish_date_line" if dated else "doc_meta_line"
    if _DATE_LINE_RE.match(shadow) or ch.is_epaper_header(shadow):
        return "publish_date_line"
    if "。" not in shadow and (_DATED_META_RE.match(shadow) or ch.is_wechat_byline(shadow, head=i < body_start)):
        return "publish_date_line" if _DATE_RE.search(shadow) else "source_line"
    if _DOC_SIZE_RE.match(shadow):
        return "doc_meta_line"
    if i < body_start and i <= 6 and (_SITE_NAME_RE.match(shadow) if i else _SITE_AT_TOP_RE.match(shadow)):
        return "site_name_line"
    if zn.is_byline(shadow):
        return "source_line"
    return None


def caption_lines(doc: Doc) -> None:
    """Photo captions standing alone after the report body has begun: ``会议现场``, ``会议颁奖``, ``图为…``."""
    start = doc.body_start()
    doc.drop_where("photo_caption", lambda i, s: i > start and len(s) <= 20 and bool(_CAPTION_RE.match(s)))


def bare_marker_lines(doc: Doc) -> None:
    """A heading marker alone on a line: ``(一):`` before ``同志们:`` (or at the end) is junk; a bare
    ``(一)`` followed by its heading text is joined to it."""
    out_l: list[str] = []
    out_s: list[str] = []
    n = len(doc.lines)
    pending: tuple[str, str] | None = None
    for i, (line, shadow) in enumerate(zip(doc.lines, doc.shadows, strict=True)):
        if pending:
            line, shadow = pending[0] + line, pending[1] + shadow
            pending = None
        m = _BARE_MARKER_RE.match(shadow)
        if m:
            nxt = doc.shadows[i + 1] if i + 1 < n else ""
            if m.group(1) or not nxt or is_salutation(nxt) or is_heading(nxt) or _BARE_MARKER_RE.match(nxt):
                doc.note("bare_marker_line", line)
            else:
                pending = (line, shadow)
            continue
        out_l.append(line)
        out_s.append(shadow)
    doc.set(out_l, out_s)


# === the pipeline =======================================================================================
_INLINE_RULES: tuple[tuple[str, Callable[..., InlineResult], re.Pattern[str]], ...] = (
    ("spam_token", il.spam_token, re.compile(r"[A-Za-z0-9]_|_[A-Za-z0-9]")),
    ("pinyin_gloss", il.pinyin_gloss, re.compile(r"[(（][a-zü" + il.TONES + "]")),
    ("pinyin_gloss", il.glued_pinyin, re.compile("[" + il.TONES + "]")),
    ("obfuscation_gloss", il.obfuscation_gloss, re.compile(r"替换|[(（]一个")),
    ("paywall_notice", il.paywall_inline, re.compile(r"省略|下载|往下看|全文")),
    ("page_counter", il.page_counter, re.compile(r"页")),
    ("word_count", il.word_count, re.compile(r"字\s*[)）]\s*$")),
    ("bracket_notice", il.bracket_notice, re.compile(r"【")),
)
_SPACE_TRIGGER = re.compile(" ")


def _inline_rules(doc: Doc) -> None:
    lenient = il.has_toned_pinyin("\n".join(doc.shadows))
    for name, func, trigger in _INLINE_RULES:
        doc.inline(name, partial(func, lenient=lenient) if func is il.pinyin_gloss else func, trigger)


def _final(doc: Doc) -> None:
    doc.inline("cjk_space", il.cjk_space, _SPACE_TRIGGER)
    ro.runon_head(doc)  # on spaced-out text: its anchors are written without spaces
    ro.runon_heading(doc)
    lay.duplicate_lines(doc)
    ro.cut_long_lines(doc)  # last: no earlier step re-joins the pieces (hard_wrap would)


PIPELINE: tuple[Callable[[Doc], None], ...] = (
    tr.truncate,
    zn.running_headers,  # before chrome_lines drops the page numbers it is recognised by
    ap.page_breaks,
    ap.forum_thread,
    ap.office_chrome,
    chrome_lines,
    meta_lines,
    caption_lines,
    _inline_rules,
    chrome_lines,  # inline rules can leave a line that is now pure chrome (``【收藏】 用户``)
    lay.original_title,
    lay.title_variants,
    lay.wrapped_title,
    lay.page_markers,
    lay.doubled_title,
    lay.teaser_prefix,
    lay.title_prefix,
    lay.salutation_split,
    bare_marker_lines,
    lay.hard_wrap,
    lay.wrapped_heading,
    lay.leading_punct,
    lay.split_paragraphs,
    _final,
    second_opinion,  # the line classifier, last: it only judges what the rules kept
)


def clean_text(raw: str) -> Cleaned:
    """Clean one decoded document; see the module docstring for what goes and why."""
    repaired = repair_text(raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in repaired.text.split("\n"):
        line = line.strip()  # drops the usual 　　 indentation before the (slow) width normalisation
        if line and _NEEDS_WIDTH_RE.search(line):
            line = normalise_width(line).strip()
        if line:
            lines.append(line)
    doc = Doc(lines)
    for step in PIPELINE:
        step(doc)
    text = "\n".join(line for line in doc.lines if line.strip())
    removals = tuple(Removal(rule, text) for rule, text in doc.removed)
    return Cleaned(text=text, removals=removals, repairs=repaired.repairs)
