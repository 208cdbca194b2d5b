"""Structural chrome: page furniture recognised by its shape and its place on the page, not by a word list.

A web page wraps its document in chrome that *clusters*: above the first body paragraph (the head zone) and
below the last body sentence (the tail zone). Chrome lines are short, never end a sentence (。！？), and are
made of separators (``|``, ``·``, ``>``, ``/``, runs of spaces), Latin letters and digits, UI verbs (关注,
打开, 下载, 登录, 收藏, 分享, 举报, 点击, 扫码, 返回, 上一版, 放大 …) and counters (``阅读 1.2万``,
``下载券：1``, ``文档页数：2页``). ``chrome_evidence`` counts those signals; ``structural_rules`` turns the
count into a verdict, demanding more evidence inside the body than in the head and tail zones, and never
touching a line shaped like a document title (``…的讲话``, ``…实施方案``) or a sentence.

Also here, because their shape rather than their vocabulary gives them away: advertisements inside the body
(``is_ad_line``), news bylines (``is_byline``), glued portal menus (``首页文明创建文明实践…``), lists of
short links at the foot of a page, a short menu entry standing between chrome lines, the running headers of
Word/PDF exports (``running_headers``), and an account's name over its platform label (``account_names``).
Imports ``clean_common``, ``clean_chrome`` and the site vocabulary (``app.ingest.vocab``) only.
"""

from __future__ import annotations

import re

from app.ingest import vocab
from app.ingest.clean import chrome as ch
from app.ingest.clean.common import CJK, DOC_TITLE_END_RE, PAGE_LINE_RE, Doc, cjk_count, ends_sentence, is_heading

_SENTENCE_END_RE = re.compile(r"[。！？!?]")
_CLAUSE_RE = re.compile(r"[，、；]")
_BAR_RE = re.compile(r"[|｜·•>＞»›/／]")
_LATIN_DIGIT_RE = re.compile(r"[A-Za-z0-9]")
_UI_VERB_RE = re.compile(
    r"关注|打开|下载|登录|(?<!实名)注册(?!志愿|登记|资本|商标|会计|地)|收藏|分享|举报|反馈|点击|扫码|扫一扫|查看|返回|上一版"
    r"|下一版|放大|缩小|默认|了解更多"
    r"|订阅|点赞|在看|评论|转发|阅读原文|阅读体验"
)
_UI_OBJECT_RE = re.compile(r"APP|App|app|客户端|公众号|二维码|蓝字|文档|电脑|手机|全文|原文|页面|资讯")
_COUNTER_RE = re.compile(
    r"(?:阅读|浏览|点击|下载|评论|点赞|在看)(?:量|数|次数)?\s*[:：]?\s*\d[\d.,]*\s*[万wWkK]?"
    r"|\d[\d.]*\s*[万wWkK]?\s*(?:阅读|浏览|人看过|次浏览)|(?:页数|下载券|积分|大小)\s*[:：]?\s*\d"
)
_SITE_RE = re.compile(rf"^[{CJK}A-Za-z0-9]{{2,12}}(?:网|文库|数字报|客户端|融媒)$")
_DATED_RE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}")
_KEY_VALUE_RE = re.compile(rf"^(?:【[^】]{{0,8}}】\s*)*[(（\[［【]?[{CJK}\s]{{1,8}}[:：]")
"""Dated and ``键：值`` lines are left to the metadata rules, which read their date and source back."""


def is_sentence(shadow: str) -> bool:
    """A body sentence: long, or of fair length and ending a sentence."""
    if len(shadow) < 15:  # fewer characters than a sentence has Chinese ones
        return False
    n = cjk_count(shadow)
    return n >= 40 or (n >= 15 and ends_sentence(shadow))


def zones(shadows: list[str]) -> tuple[int, int]:
    """(first body line, last body sentence): lines before the first or after the second are in a chrome zone."""
    start = Doc.first_body_line(shadows)
    # the last sentence, looked for from the end: scanning every line would test the whole body
    last = next((i for i in range(len(shadows) - 1, -1, -1) if is_sentence(shadows[i])), len(shadows))
    return start, last


def chrome_evidence(shadow: str) -> int:
    """How much a short line looks like page chrome, or 0 when nothing in it belongs to a user interface.

    One point each for separators and for Latin/digits, one per UI word (UI verbs 关注/打开/下载/举报…,
    a UI object after a verb ``打开APP``, UI tokens ``无障碍``, site names ``某某网``, counters ``阅读 1.2万``),
    up to two: ``举报/反馈`` → 3, ``打开APP，阅读体验更佳`` → 3, ``放大　缩小　默认`` → 3. Without a UI word the
    shape alone is not enough (``GDP > 5% > 3%`` → 0); a sentence, or a line of clauses
    (``项目、完善机制，到2024年底，全市实名注册志愿者占常住``: a hard-wrapped body line), scores 0."""
    if len(shadow) > 60 or _SENTENCE_END_RE.search(shadow):
        return 0
    if len(_CLAUSE_RE.findall(shadow)) >= 2 and cjk_count(shadow) >= 12:
        return 0  # clauses of prose (a hard-wrapped line of body text), not a bar of links
    parts = [t for t in re.split(r"[\s|｜/·•:：]+", shadow) if t]
    words = {m.group() for m in _UI_VERB_RE.finditer(shadow)}
    if words and _UI_OBJECT_RE.search(shadow):
        words.add("object")
    words |= {t for t in parts if (t in ch.UI_TOKENS and len(t) > 1) or (len(parts) > 1 and _SITE_RE.match(t))}
    if _COUNTER_RE.search(shadow):
        words.add("counter")
    if not words:
        return 0
    shape = bool(_BAR_RE.search(shadow) or len(shadow.split()) >= 3) + (len(_LATIN_DIGIT_RE.findall(shadow)) >= 3)
    return shape + min(2, len(words))


# --- advertisements and bylines ------------------------------------------------------------------------
_AD_TAG_RE = re.compile(r"^(?:[【\[［(（](?:广告|推广|赞助)[】\]］)）]|[▲△■●◆]?\s*(?:广告|推广)(?:\s|[:：|｜]))")
_AD_WORD_RE = re.compile(
    r"咨询热线|热线电话|首付|热销|限时免费|限时优惠|新用户|免费体验|一键生成|特价|抢购|优惠券|立减|包邮|加盟热线"
)


def is_ad_line(shadow: str) -> bool:
    """An advertisement, also in the middle of the body: tagged ``【广告】公文写作不求人…`` /
    ``▲广告　某某·学府壹号…``, or a short untagged line with two sales words (``…热销中，首付15万起，
    咨询热线：…``) that is not a sentence (a speech may talk of 限时优惠 and 特价 in one)."""
    if len(shadow) > 120:
        return False
    if _AD_TAG_RE.match(shadow):
        return True
    sales = len({m.group() for m in _AD_WORD_RE.finditer(shadow)})
    return sales >= 2 and len(shadow) <= 80 and not shadow.rstrip().endswith("。")


_BYLINE_ROLE_RE = re.compile(r"^(?:本报|本台|本网|本刊|融媒)?(?:特约|见习|首席|实习)?(?:记者|通讯员|摄影|摄像|实习生)")


def is_byline(shadow: str) -> bool:
    """A news byline of names only: ``本报记者 赵 琳　通讯员 黄志远 方晓``, ``記者 馬文韜　通訊員 羅 靜``.
    Needs spaces between its parts (``记者从会上获悉`` is a sentence), no punctuation, names of 1–4 characters.
    Papers often print a mark before it (``◎本报记者 某某``, ``□记者 某某``): that is no bullet."""
    tokens = shadow.lstrip("◎□■●◆").split()
    if len(shadow) > 50 or len(tokens) < 2 or not _BYLINE_ROLE_RE.match(tokens[0]):
        return False
    for token in tokens:
        m = _BYLINE_ROLE_RE.match(token)
        name = token[m.end() :] if m else token
        if len(name) > 4 or not re.fullmatch(f"[{CJK}]*", name):
            return False
    return True


# --- the structural pass -------------------------------------------------------------------------------
_GLUED_MENU_RE = re.compile(rf"^(?:网站)?首页[{CJK}]{{6,40}}$")
_LINK_ITEM_RE = re.compile(r"^[·•▶▸►◆\-–]\s*\S")
_HEAD_LINK_ITEM_RE = re.compile(r"^[·•]\s*\S")
"""Above the body only a dotted list is taken for links (an e-paper's 标题导航): ◆ and ▶ may be its first points."""
_MENU_ENTRY_RE = re.compile(rf"^[{CJK}]{{2,6}}$")


def structural_rules(shadows: list[str], rules: list[str | None]) -> None:
    """Fill in ``rules`` (one rule name or None per line, from the vocabulary rules) from the page's structure.

    ``▲广告 …`` anywhere → ``ad_line``. In the head or tail zone a line with chrome evidence 2 or more
    (``清溪融媒 · 关注``, ``点击上方蓝字 关注我们``, ``关注「某某发布」，了解更多某某资讯``), a glued menu
    ``首页文明创建文明实践…`` above the body, two or more ``· 标题`` link items after it → ``chrome_line``;
    inside the body only evidence 3 on a line that is not a heading; two or more ``· 标题`` items above the
    body (an e-paper's 标题导航) → ``chrome_line``; a site's ``某某融媒体中心主办`` in either zone → ``footer``.
    Then a short menu entry (``走进某某``) between two chrome lines above the body is chrome too, when a longer
    line (the title) still follows."""
    start, last = zones(shadows)
    n = len(shadows)
    for i, s in enumerate(shadows):
        if rules[i] is not None:
            continue
        if is_ad_line(s):
            rules[i] = "ad_line"
            continue
        zone = i < start or i > last
        if zone and ch.is_sponsor_line(s):
            rules[i] = "footer"
            continue
        if DOC_TITLE_END_RE.search(s) or _DATED_RE.search(s) or _KEY_VALUE_RE.match(s):
            continue
        evidence = chrome_evidence(s)
        if (zone and evidence >= 2) or (evidence >= 3 and not is_heading(s)) or (i < start and _GLUED_MENU_RE.match(s)):
            rules[i] = "chrome_line"
    items = [
        (bool(_LINK_ITEM_RE.match(s)) if i > last else i < start and bool(_HEAD_LINK_ITEM_RE.match(s)))
        and not ends_sentence(s)
        for i, s in enumerate(shadows)
    ]
    for i in range(n):
        if items[i] and rules[i] is None and ((i > 0 and items[i - 1]) or (i + 1 < n and items[i + 1])):
            rules[i] = "chrome_line"
    title_below = [False] * (n + 1)  # a longer line that is not chrome follows, above the body
    for j in range(min(start, n) - 1, -1, -1):
        title_below[j] = title_below[j + 1] or (rules[j] is None and cjk_count(shadows[j]) >= 6)
    for i in range(1, min(start, n - 1)):
        between = rules[i] is None and rules[i - 1] and rules[i + 1] and _MENU_ENTRY_RE.match(shadows[i])
        if between and title_below[i + 2]:
            rules[i] = "chrome_line"


# --- running headers of exported documents ---------------------------------------------------------------
_PAGE_NO_RE = re.compile(r"^[-—–－_~\s]*(?:第\s*)?\d{1,3}\s*页?[-—–－_~\s]*$|^\d{1,3}\s*/\s*\d{1,3}$")


def running_headers(doc: Doc) -> None:
    """The header a Word/PDF export prints on every page (``某某市文明办文件``, ``某某县2022年…资料汇编``):
    a short line without a sentence end that occurs twice or more, at least once next to a page number
    (``— 1 —``, ``- 2 -``, ``第1页 共3页``). Every occurrence goes (``running_header``), the one on top of
    the first page too; a repeated line shaped like the document's title keeps its first occurrence."""
    shadows = doc.shadows
    pages = {i for i, s in enumerate(shadows) if _PAGE_NO_RE.match(s) or PAGE_LINE_RE.match(s)}
    if not pages:
        return
    where: dict[str, list[int]] = {}
    for i, s in enumerate(shadows):
        key = "".join(s.split())
        if 4 <= len(key) <= 40 and cjk_count(key) >= 3 and not _SENTENCE_END_RE.search(key):
            where.setdefault(key, []).append(i)
    drop: set[int] = set()
    for key, found in where.items():
        if len(found) >= 2 and any(i - 1 in pages or i + 1 in pages for i in found):
            drop.update(found[1:] if DOC_TITLE_END_RE.search(key) else found)
    if drop:
        doc.drop_where("running_header", lambda i, _s: i in drop)


_ACCOUNT_MAX = 12  # characters of an account's name printed over its platform label


def account_names(shadows: list[str], rules: list[str | None]) -> None:
    """An account's name over its platform label (``某某文明`` / ``抖音号``) goes with the label: the pair is the
    caption of a QR code, not a headline."""
    for i in range(1, len(shadows)):
        if rules[i] not in ("platform_label", "chrome_line") or rules[i - 1] is not None:
            continue
        above = shadows[i - 1]
        named = len(above) <= _ACCOUNT_MAX and not any(c in above for c in "，,。：:")
        if named and vocab.is_platform_label(shadows[i]):
            rules[i - 1] = "platform_label"
