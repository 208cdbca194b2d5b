"""Choose a document's title by scoring every candidate in its headline block, not by taking the first.

Whatever chrome the cleaner missed sits above the title (``走进某某``, ``打开APP，阅读体验更佳``,
``某某日报数字报``, ``某某市文明办文件``), and a repost puts its own headline above the document's
(``全文来了！某某在…上的讲话`` over ``在…上的讲话``). So every candidate unit (one line, or a headline
broken over lines, see ``metadata._units``) is scored:

- a document-title shape is strong evidence (``shape_kind``): ``在…会上的讲话`` / ``…致辞`` (speech),
  ``…召开`` / ``…举行`` / ``某某召开…推进会`` (report), ``…方案`` / ``…通知`` / ``…倡议书`` / ``…简报``
  (other), a news headline ending in ``！``; more when the shape's kind is the body's kind, and a little
  more for the speech's own form ``在…上的讲话`` than for a headline about it (``某某在…上的讲话``);
- 8–60 characters count for it, and so does coming early; a candidate without a shape gains when words of
  it come back in the body (shaped ones need no such help: a report's lead restates every headline);
- UI and call-to-action words (关注, 打开, 下载, APP, 阅读体验, 扫码, 精品, 文档, 资料汇编, 数字报 …), a line
  wholly in 【】, a file header ``某某文件``, a site or account name (``某某网``, ``某某发布``), a date, a
  post-and-name line and an addressee ending in ``：`` count heavily against it;
- a repost prefix (``全文来了！``, ``重磅！``, ``全文｜``, ``最新！``) or a column tag is cut off
  (``strip_repost``) and costs a little, and a title that another headline ends with (``某某在…上的讲话``
  quotes ``在…上的讲话``) gains, so the document's own title line wins over the repost headline;
- a shapeless stack of set phrases (``对标对表 攻坚克难``) is an 引题 and loses a little;
- a 范文 or 文库 site's own headline over a collection (``…会议讲话稿汇总``, ``…致辞800字精选``, ``…讲话稿篇一``:
  a title's shape under the site's words, see ``phrasebank/site_words.txt``) loses to the document's title below
  it, and a numbered list item (``1.…怎样写``) is never a title.

A candidate is scored, and the winner printed, without what a site puts around a title (``title_span``): a doc
site's ``[标题]副题_第1页``, a variant number ``(一)``, a column tag ``【新闻发布会】``, collection words.

The best unit wins if its score is positive; otherwise the document has no title. Simplified text only.
"""

from __future__ import annotations

import re

from app.ingest import vocab

CJK = "\u3400-\u4dbf\u4e00-\u9fff"

_SPEECH_RE = re.compile(r"(?:讲话|讲话稿|致辞|发言|发言稿|演讲|演讲稿|动员令|报告)$")
_OWN_SPEECH_RE = re.compile(
    r"^在.{2,60}?(?:会|会议|大会|座谈会|推进会|仪式|典礼|开班式|论坛|活动)上?的?(?:讲话|致辞|发言)"
)
_REPORT_RE = re.compile(
    r"(?:召开|举行|开幕|闭幕|落幕|启动)$|(?:召开|举行).{2,40}(?:会|会议|大会|座谈会|推进会)$|推进会$"
)
_OTHER_RE = re.compile(
    r"(?:方案|通知|意见|倡议书|倡议|公开信|一封信|简报|办法|决定|公告|通告|通报|规划|要点|细则|工作动态|工作信息)$"
    r"|^关于.{2,60}的(?:说明|情况)$"
)
_NEWS_RE = re.compile(r"[!！?？]$")
_REPOST_RE = re.compile(
    r"^(?:(?:全文来了|全文发布|重磅|全文|最新|权威发布|速看|刚刚|快讯|独家|原文|必读|收藏|转载|推荐)\s*[!！｜丨|:：]"
    r"|【(?:全文|重磅|最新|转载|推荐|原文|快讯)】)\s*"
)
_TAG_RE = re.compile(rf"^(?:【[^】]{{1,8}}】|[{CJK}]{{2,6}}\s*[｜丨|])\s*")
"""A column tag before a headline (``【领导讲话】``, ``文明创建｜``): cut only when a titled line follows."""
_UI_RE = re.compile(
    r"关注|打开|下载|APP|App|app|阅读体验|扫码|扫一扫|点击|登录|注册|精品|文档|资料汇编|数字报|电子报|客户端|公众号"
    r"|了解更多|订阅|VIP|会员|可编辑"
)
_FILE_HEADER_RE = re.compile(rf"^[{CJK}]{{2,16}}文件$")
_BRACKETED_RE = re.compile(r"^(?:【[^】]*】\s*)+$|^\[[^\]]*\]$")
_SITE_RE = re.compile(
    rf"^[{CJK}A-Za-z0-9]{{2,12}}(?:网|文库|数字报|电子报|发布|融媒|融媒体|融媒体中心|日报|晚报|客户端|头条|在线)$"
)
_DATE_RE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_POST_NAME_RE = re.compile(
    rf"^[{CJK}、]{{0,16}}(?:书记|市长|区长|县长|主任|主席|部长|局长|常委|委员)\s*[{CJK}]{{2,3}}$"
)
_ADDRESSEE_RE = re.compile(r"[:：]$")
_PHRASE_STACK_RE = re.compile(rf"^[{CJK}]{{2,8}}(?:\s+[{CJK}]{{2,8}})+$")
"""An 引题 of set phrases: ``对标对表 攻坚克难``, ``抓在经常 融入日常 做在平常``."""
_CORE_CUT_RE = re.compile(r"^在|上?的?(?:讲话|讲话稿|致辞|发言)$|召开$|举行$")
_LIST_ITEM_RE = re.compile(r"^\d{1,2}[.．、]\D")
"""A numbered list item (``1.创建文明城市调查报告怎样写``): a site's list of questions, never a title."""

_PAGE_TITLE_RE = re.compile(r"^\[([^\[\]]{4,80})\]")
"""A document site's page title: ``[在…上的致辞]我是志愿者_第1页`` — the file's title in brackets, then its subtitle."""
_TAIL_RE = re.compile(
    r"\s*(?:[(（][一二三四五六七八九十\d]{1,2}[)）]|(?<=[话辞言稿])\d{1,2}|_第\d{1,3}页|【[^【】]{1,10}】"
    r"|(?<=[会议])[(（]在[^()（）]{2,40}(?:讲话|致辞|发言)[)）])$"
)
"""What a site puts after a title: a variant number ``(一)`` / ``致辞1``, a page ``_第1页``, a column tag
``【新闻发布会】``, and after a meeting's name the occasion again ``全市…会议(在…会议上讲话)``."""

W_SHAPE = 5.0  # a document-title shape
W_KIND = 1.0  # ... of the body's kind
W_OWN = 1.0  # the speech's own title form 在…上的讲话
W_LENGTH = 1.0  # 8–60 characters
W_SHORT = -4.0  # under 5 characters: a menu entry, a label
W_ECHO = 1.0  # words of a shapeless candidate come back in the body
W_FIRST = 3.0  # the first unit; each later one gets W_STEP less
W_STEP = 0.5
W_UI = -8.0  # UI / call-to-action words, 【】 lines, file headers
W_SITE = -6.0  # a site or account name
W_DATE = -4.0  # a date inside the line (a masthead, not a title)
W_LINE = -4.0  # a post-and-name line, an addressee ending in ：
W_REPOST = -2.0  # a repost prefix (cut off)
W_STACK = -2.0  # a shapeless stack of set phrases (an 引题)
W_QUOTED = 2.0  # another candidate ends with this one: a headline about the document quotes its title
W_COLLECTION = -5.0  # a site's headline over a collection (…讲话稿汇总, …致辞800字精选): the document's title is below
W_LIST = -6.0  # a numbered list item


def title_span(text: str) -> tuple[int, int]:
    """Where the document's own title is in a candidate, without what a site puts around it (simplified text):
    ``[…颁奖致辞]我是志愿者_第1页`` → the bracketed title, ``创建文明城市致辞800字精选`` → ``创建文明城市致辞``,
    ``…会议讲话(一)`` → ``…会议讲话``; a collection word stays when what is left has no title's shape
    (``测评问题汇总`` is a title of its own)."""
    start, end = 0, len(text)
    if (m := _PAGE_TITLE_RE.match(text)) and shape_kind(m[1]):
        start, end = m.start(1), m.end(1)
    while True:
        part = text[start:end]
        if m := _TAIL_RE.search(part):
            end = start + m.start()
        elif (bare := vocab.strip_decoration(part)) != part and shape_kind(bare):
            end = start + len(bare)
        else:
            return start, end


def strip_repost(text: str) -> int:
    """Characters of a repost prefix or column tag at the start: ``全文来了！在…上的讲话`` → 5,
    ``文明创建｜某某区召开…推进会`` → 5; none → 0."""
    if (m := _REPOST_RE.match(text)) and len(text) - m.end() >= 6:
        return m.end()
    if (m := _TAG_RE.match(text)) and len(text) - m.end() >= 6 and shape_kind(text[m.end() :]):
        return m.end()
    return 0


def shape_kind(text: str) -> str | None:
    """The kind of document a title of this shape heads: ``在…上的讲话`` → speech, ``…推进会召开`` → report,
    ``…实施方案`` → other; a news headline ``…最新部署！`` counts as a report; anything else → None."""
    if _OTHER_RE.search(text):
        return "other"
    if _SPEECH_RE.search(text) and not re.search(r"召开|举行", text):
        return "speech"
    if _REPORT_RE.search(text) or _NEWS_RE.search(text):
        return "report"
    return None


def _echoed(text: str, body: str) -> bool:
    """Eight characters of the title's core (without 在 / 上的讲话 / 召开) come back in the body."""
    core = _CORE_CUT_RE.sub("", text)
    return len(core) >= 8 and any(core[i : i + 8] in body for i in range(0, len(core) - 7, 4))


def score(text: str, index: int, body_kind: str, body: str) -> float:
    """How much a candidate (simplified, repost prefix already cut) looks like the document's title.

    ``在2024年全县创建工作推进会上的讲话`` first in a speech → 5+1+1+1+3 (+1 if echoed) = 11 or 12;
    ``走进某某`` → −4 + 3 = −1; ``打开APP，阅读体验更佳`` → −8 + 1 + 3 = −4; ``城市的温度`` → 3."""
    s = max(0.0, W_FIRST - W_STEP * index)
    if (bare := vocab.strip_decoration(text)) != text and shape_kind(bare):  # …讲话稿汇总, not …问题汇总
        s += W_COLLECTION
    if _LIST_ITEM_RE.match(text):
        s += W_LIST
    start, end = title_span(text)
    text = text[start:end]
    n = len(re.sub(r"\s+", "", text))
    s += W_LENGTH if 8 <= n <= 60 else W_SHORT if n < 5 else 0.0
    if kind := shape_kind(text):
        s += W_SHAPE + (W_KIND if kind == body_kind else 0.0)
    elif _echoed(text, body):  # a report's lead restates its headline: only a tiebreak among shaped ones
        s += W_ECHO
    elif _PHRASE_STACK_RE.match(text):
        s += W_STACK
    if _OWN_SPEECH_RE.match(text):
        s += W_OWN
    if _UI_RE.search(text) or _BRACKETED_RE.match(text) or _FILE_HEADER_RE.match(text):
        s += W_UI
    if _SITE_RE.match(text):
        s += W_SITE
    if _DATE_RE.search(text):
        s += W_DATE
    if _POST_NAME_RE.match(text) or _ADDRESSEE_RE.search(text):
        s += W_LINE
    return s


def best_unit(texts: list[str | None], body_kind: str, body: str) -> tuple[int, int] | None:
    """(index of the winning candidate, length of its repost prefix), or None when none scores above 0.
    ``None`` entries are units that can never be the title (slogans, bylines); they still take a place."""
    best: tuple[float, int, int] | None = None
    for index, text in enumerate(texts):
        if text is None:
            continue
        cut = strip_repost(text)
        s = score(text[cut:], index, body_kind, body) + (W_REPOST if cut else 0.0)
        if len(text) >= 8 and any(o and o != text and o.endswith(text) for o in texts):
            s += W_QUOTED
        if best is None or s > best[0]:
            best = (s, index, cut)
    return (best[1], best[2]) if best and best[0] > 0 else None
