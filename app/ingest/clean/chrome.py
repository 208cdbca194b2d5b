"""Site chrome: the UI bars, menus, headers and footers a web page wraps around a document.

Line predicates for ``clean.py`` (all take the *simplified shadow* of one line; see ``clean_common``):

- ``is_chrome_bar`` — a line made of UI words only (or a ``上一篇：…`` link): ``分享至``,
  ``【字体：大 中 小】　分享到：``, ``下载文档　收藏　举报``, ``打印本页 | 关闭窗口``, WeChat
  ``阅读 2316　在看 12``, a portal header ``某某县人民政府 | 无障碍 | 长者模式``, a QR prompt
  ``扫一扫在手机打开当前页`` / ``微信扫一扫``.
- ``is_nav_word`` / ``is_nav_bar`` — a portal menu entry (``政务公开``, ``新闻中心``), a menu on one line.
- ``is_epaper_header`` — a newspaper page header ``某某日报　2022年7月15日　星期五　第01版　要闻``.
- ``is_wechat_byline`` — the byline of a WeChat article ``原创 某某文明 2024-04-01 08:30 发表于江西``.
- ``SITE_FOOTER_RE`` / ``SITE_FILING_RE`` — a portal footer ``主办：某某办公室　承办：某某中心``, its
  registration numbers ``…ICP备…号``, ``网站标识码…``.
- ``WECHAT_TAIL_RE`` — where the WeChat page chrome after an article starts (``预览时标签不可点``,
  ``继续滑动看下一个``).
- ``is_portal_chrome`` — a portal's bare name over a repost (``搜狐``, ``百家号``) and its way back
  (``返回搜狐，查看更多``).
- ``is_member_promo`` — a doc site's member-only / download-the-Word-file promotion (``本文为会员专享精品范文``,
  ``点击此处下载Word完整版``, ``可直接编辑使用``).
- ``is_disclaimer`` — a reprint or for-study-only disclaimer (``本文整理自网络，仅供学习交流，如需转载请注明出处``)
  or a platform's (``该文观点仅代表作者本人，…仅提供信息存储空间服务``, ``本文档由用户上传，…仅提供存储服务``).
- ``is_date_widget`` — a page's clock or weather widget (``今天是：2024年3月1日 星期五``), also in front of
  the login bar (``… 用户登录｜注册｜长辈版｜繁體``).
- ``is_site_blurb`` — what a doc or 范文 site writes about the file: its abstract (``【文档简介】本文为…``)
  and its editor's intro (``以下是小编为大家整理的…，欢迎阅读参考。``).
- ``is_read_more`` — a lone read-more prompt (``继续阅读``, ``展开全文``, ``查看全文 >``).
- ``is_sponsor_line`` — a site's sponsor line in its banner or footer (``某某县融媒体中心主办``).

Chrome lines are short, stand alone, are full of separators (``|``, ``　``, ``>``, ``：``) and never end a
sentence; every predicate asks for that shape as well as for the vocabulary. Imports ``clean_common`` only.
"""

from __future__ import annotations

import re

from app.ingest.clean.common import CJK

_UI_WORDS = """
    分享至 分享到 分享 转发 收藏 分享(赏) 赏 打赏 点喜欢 喜欢 点赞 赞 在看 留言 写留言 听过 推荐 提示 微信公众号
    扫码关注我们 关注我们 扫一扫 回到顶部 返回顶部 收起 展开 展开全文 政务微博 政务微信 官方微博 官方微信 智能问答
    问答知识库 资源描述 侵权投诉 举报 纠错 我要纠错 下载 相关 VIP专免 VIP 付费 立即下载 下载全文 下载文档 下载本文
    下载此文档 下载本文档 文档下载 附件下载 海报 用户 繁体版 简体版 繁体 简体 繁體版 繁體 English EN 手机客户端 手机版
    移动版 客户端 无障碍浏览 无障碍阅读 无障碍 长者版 长者模式 关怀版 关怀模式 适老版 适老模式 老年模式 进入关怀版
    退出关怀版 打印 打印本页 打印此页 打印文章 打印正文 关闭 关闭窗口 关闭本页 收藏本页 加入收藏 设为首页 字号 字体
    字体大小 文字大小 大 中 小 默认 超大 特大 标准 较大 A A+ A- 上一篇 下一篇 评论 登录 注册 首页 网站首页 网站地图
    联系我们 微博 微信 朋友圈 QQ空间 QQ QQ好友 新浪微博 腾讯微博 豆瓣 复制链接 更多 阅读原文 阅读 浏览 全文 作者原创
    原创 视频 小程序 知道了 取消 允许 用户登录 会员登录 个人登录 法人登录 个人中心 会员中心 用户中心 注册账号 用户注册
    免费注册 会员注册 立即注册 立即登录 退出 退出登录 长辈版 长辈模式 老人版 老年版 大字版 读屏 无障碍版 简体中文
    繁体中文 简繁切换 繁简切换 切换繁体 切换简体 简 繁 标题导航 版面导航 本版导航 本版标题 文章导航 新闻导航 本版目录
    版面目录"""
UI_TOKENS = frozenset(_UI_WORDS.split())
"""Words of a page's user interface; a line made only of them (and counts) is chrome."""
_MINOR_WORDS = "标准 较大 超大 特大 A A+ A- 赏 取消 允许 推荐 视频 更多 阅读 浏览 原创 转发 小程序 知道了 退出 简 繁"
_MINOR = frozenset(_MINOR_WORDS.split())
"""UI words that are also ordinary words: alone they are not chrome, next to another UI word or a count they are."""

_NAV_WORDS = """
    政务公开 信息公开 政府信息公开 新闻中心 新闻动态 要闻动态 政务动态 政民互动 互动交流 公众参与 办事服务 网上办事
    政务服务 专题专栏 数据开放 数据发布 领导信息 机构设置 本地新闻 媒体聚焦 视频新闻 图片新闻"""
_NAV_TOKENS = frozenset(_NAV_WORDS.split())

_SPLIT_RE = re.compile(r"[\s|｜/·•:：【】\[\]()（）<>]+")
_COUNT_RE = re.compile(r"\d{1,6}(?:\.\d)?(?:万|w|W|k|K)?\+?(?:次|人|条)?")
_SENTENCE_RE = re.compile(r"[。！？!?；;，,、]")
_QR_VERB = r"(?:扫一扫|扫码|扫描(?:下方|上方|左侧|右侧)?二维码|长按(?:识别)?(?:下方|图中|图片)?二维码|长按识别)"
_QR_RE = re.compile(
    rf"^(?:(?:请|可)?(?:用|使用)?(?:手机|微信|手机微信|手机浏览器)?{_QR_VERB}\s*(?:在手机上?|用手机|即可)?"
    r"(?:打开|阅读|浏览|查看|观看|分享|关注|下载|收藏|访问|进入)?"
    r"(?:当前页面?|本页面?|本文|此页|该页|页面|全文|文章|公众号|我们|客户端|APP|到朋友圈|至朋友圈|给朋友)?"
    r"|(?:在|用)?手机上?(?:打开|阅读|浏览|查看|看)(?:当前页面?|本页|本文|此页|全文)"
    r"|关注(?:该|本|我们的)?公众号|继续滑动看下一个|向上滑动看下一个|轻点两下取消(?:赞|在看))$"
)
_SHARE_RE = re.compile(r"分享(?:到|至|给)?(?:微信好友|微信|朋友圈|微博|新浪微博|QQ空间|QQ好友|QQ)")
_DOWNLOAD_RE = re.compile(r"(?i:下载(?:word|pdf|docx?|wps)(?:版|文档|文件)?|(?:word|pdf)版?下载)")
_PREV_NEXT_RE = re.compile(r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]")
_OWN_NAME_RE = re.compile(r"(?:人民政府|政府|门户网站|网站|网|融媒体中心|融媒|发布|日报|晚报|电视台)(?:门户网站)?$")


def _is_ui(token: str) -> bool:
    return (
        token in UI_TOKENS
        or token.lower() in ("en", "english")
        or bool(_QR_RE.match(token) or _SHARE_RE.fullmatch(token) or _DOWNLOAD_RE.fullmatch(token))
    )


def is_chrome_bar(shadow: str) -> bool:
    """A line made of UI words (and counters) only, or a portal header of UI words and one site name.

    ``分享至``, ``【字体：大 中 小】　分享到：``, ``下载文档　收藏　举报``, ``【打印本页】 【关闭窗口】``,
    ``阅读 2316 在看 12``, ``扫一扫在手机打开当前页``, ``某某县人民政府　|　无障碍　|　长者模式``.
    A single one-character word (``大``) is not enough, and a line with a comma or full stop never is."""
    if _PREV_NEXT_RE.match(shadow):
        return True
    if len(shadow) > 80 or _SENTENCE_RE.search(shadow):
        return False
    bare = shadow.strip("【】[] ")
    if (bare in UI_TOKENS and len(bare) > 1 and bare not in _MINOR) or _QR_RE.match(bare):  # 分享(赏)
        return True
    tokens = [t for t in _SPLIT_RE.split(shadow) if t]
    if len(tokens) < 2:
        return bool(tokens) and _is_ui(tokens[0]) and len(tokens[0]) > 1 and tokens[0] not in _MINOR
    if "".join(tokens) in UI_TOKENS:  # 打 印
        return True
    ui = [t for t in tokens if _is_ui(t)]
    counts = sum(1 for t in tokens if _COUNT_RE.fullmatch(t))
    other = len(tokens) - len(ui) - counts
    major = sum(1 for t in ui if t not in _MINOR)
    if not other and (major or len(ui) >= 2 or (ui and counts)):
        return True
    # a portal header: ``某某县人民政府 | 无障碍 | 长者模式`` — UI words around the site's own name
    if not major or other != 1:
        return False
    name = next(t for t in tokens if not _is_ui(t) and not _COUNT_RE.fullmatch(t))
    bar, own = "|" in shadow or "｜" in shadow, bool(_OWN_NAME_RE.search(name))
    return len(name) <= 16 and ((bar and (len(ui) >= 2 or own)) or (own and len(ui) >= 2))


def is_nav_word(shadow: str) -> bool:
    """A portal menu entry: ``政务公开``, ``新闻中心``, ``政民互动``."""
    return shadow.strip() in _NAV_TOKENS


def is_nav_bar(shadow: str) -> bool:
    """A portal menu on one line: ``首页 政务公开 新闻中心 互动交流`` (menu and UI words only, at least two)."""
    if len(shadow) > 80 or _SENTENCE_RE.search(shadow):
        return False
    tokens = [t for t in _SPLIT_RE.split(shadow) if t]
    nav = sum(1 for t in tokens if is_nav_word(t))
    return nav >= 1 and len(tokens) >= 2 and all(is_nav_word(t) or _is_ui(t) for t in tokens)


# --- newspaper page headers ---------------------------------------------------------------------------
_PAPER = rf"[{CJK}]{{2,12}}(?:报|刊)"
_EP_DATE = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
_EDITION = rf"第?\s*(?:[A-Z]?\d{{1,3}}|[一二三四五六七八九十]{{1,3}})\s*版(?:\s*[:：]?\s*[{CJK}]{{2,8}}(?=[\s)）]|$))?"
_EPAPER_RE = re.compile(
    rf"^[(（]?\s*(?:{_PAPER}\s*[(（]?\s*)?(?:(?:{_EP_DATE}|{_WEEKDAY}|{_EDITION})[\s,，)）]*){{1,4}}$"
)
_EPAPER_NEED_RE = re.compile(rf"{_WEEKDAY}|\d\s*版|[一二三四五六七八九十]版")


def is_epaper_header(shadow: str) -> bool:
    """A newspaper's page header (or its 见报 line): ``某某日报　2022年7月15日　星期五　第01版　要闻``,
    ``第A03版：要闻``, ``某某日报（2023年05月12日 第 04 版）``. Needs a weekday or an edition number, so a
    bare date line (a 落款 ``2024年6月3日``) is not one."""
    return len(shadow) <= 60 and bool(_EPAPER_NEED_RE.search(shadow)) and bool(_EPAPER_RE.match(shadow))


# --- date and weather widgets ---------------------------------------------------------------------
_WIDGET_CUE = r"(?:今天是|今日是|今天|今日|当前时间|现在时间|现在是|北京时间)\s*[:：]?\s*"
_WIDGET_DATE = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_LUNAR = rf"(?:农历|阴历)\s*[{CJK}]{{2,12}}"
_WEATHER = (
    rf"(?:[{CJK}]{{2,6}}\s*)?(?:晴|多云|阴|小雨|中雨|大雨|暴雨|阵雨|雷阵雨|小雪|中雪|大雪|雨夹雪|雾|霾)"
    rf"(?:转[{CJK}]{{1,3}})?\s*-?\d{{1,2}}\s*(?:[~～\-—/至]\s*-?\d{{1,2}})?\s*(?:℃|°C|°)"
)
_WIDGET_RE = re.compile(
    rf"^(?P<cue>{_WIDGET_CUE})?{_WIDGET_DATE}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:\s*{_WEEKDAY})?"
    rf"(?P<extra>(?:\s*{_LUNAR})?(?:\s*{_WEATHER})?)\s*"
)
_WEATHER_LINE_RE = re.compile(rf"^{_WEATHER}$")


def is_date_widget(shadow: str) -> bool:
    """A page's clock or weather widget, alone or in front of the login bar: ``今天是：2024年3月1日 星期五``,
    ``2024年3月1日 星期五 农历正月廿一``, ``北京时间 2024-03-01 10:23``, ``今天是2024年3月1日 星期五 用户登录｜注册``,
    ``多云 12~18℃``. Its date is today's, never the document's. A bare ``2024年3月1日 星期五`` is a newspaper's
    issue date and stays for the metadata rules; a sentence (``今天是2024年3月1日，…``) is no widget."""
    if len(shadow) > 80 or _SENTENCE_RE.search(shadow):
        return False
    if _WEATHER_LINE_RE.match(shadow):
        return True
    m = _WIDGET_RE.match(shadow)
    if not m:
        return False
    rest = shadow[m.end() :]
    if not rest:
        return bool(m["cue"] or m["extra"].strip())
    return is_chrome_bar(rest) or is_nav_bar(rest)


# --- WeChat articles ----------------------------------------------------------------------------------
_WECHAT_DATE_RE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2})?")
_ORIGINAL_RE = re.compile(r"^原创(?:\s|$)")
_UNDATED_BYLINE_RE = re.compile(rf"^原创(?:\s+[{CJK}A-Za-z0-9]{{2,16}}){{1,3}}$")
_POSTED_IN_RE = re.compile(rf"发表于[{CJK}]{{2,8}}\W*$")
WECHAT_TAIL_RE = re.compile(
    r"^(?:预览时标签不可点|继续滑动看下一个|向上滑动看下一个|喜欢此内容的人还喜欢|微信扫一扫\s*关注该公众号"
    r"|微信扫一扫可打开此内容|轻触阅读原文)"
)


def is_wechat_byline(shadow: str, head: bool = True) -> bool:
    """The byline of a WeChat article: ``原创　某某文明　2024-04-01 08:30　发表于江西``, ``原创 张三 某某发布``,
    ``某某发布 2024年04月01日 08:30 发表于北京``. Short, no sentence, and 原创 first or 发表于 last; without a
    date only above the body (``head``)."""
    if len(shadow) > 100 or re.search(r"[。！？，,]", shadow):
        return False
    dated = bool(_WECHAT_DATE_RE.search(shadow))
    if _ORIGINAL_RE.match(shadow):
        return dated or (head and bool(_UNDATED_BYLINE_RE.match(shadow)))
    return dated and bool(_POSTED_IN_RE.search(shadow))


# --- portal footers -----------------------------------------------------------------------------------
_FOOTER_KEY = r"(?:主办|承办|主管|协办|技术支持|运行维护|运维|网站维护|维护)(?:单位)?\s*[:：]"
SITE_FOOTER_RE = re.compile(rf"^{_FOOTER_KEY}[^。！？]{{1,40}}?\s*{_FOOTER_KEY}")
"""A portal's footer line: two of 主办/承办/技术支持… on one line (one alone may be a 活动方案's)."""
SITE_FILING_RE = re.compile(r"ICP[备证]\s*\d{5,}|公网安备\s*\d{8,}|网站标识码\s*[:：]?\s*[\dA-Z]{6,}")
"""A portal's registration numbers (ICP 备案, 公安备案, 网站标识码): the page's footer has begun."""


# --- doc-site promotions, reprint and platform disclaimers, portal reposts -----------------------------
_PORTALS = "搜狐|网易|新浪|腾讯|凤凰网|百度|今日头条|一点资讯|趣头条|澎湃新闻|知乎"
_ACCOUNTS = "搜狐号|网易号|百家号|头条号|企鹅号|大风号|一点号|澎湃号|新浪看点"
_PORTAL_LINE_RE = re.compile(
    rf"^(?:返回|回到)?(?:(?:{_PORTALS})(?:网|新闻|资讯|首页|客户端|APP|App|app)?|{_ACCOUNTS})$"
    r"|^(?:(?:返回|回到|进入|去)[^,，。！？!?]{1,10}?[，,、\s]*|点击|戳这里)?(?:查看|阅读|浏览|了解|获取)更多"
    r"(?:精彩)?(?:内容|资讯|新闻|文章|信息|视频|精彩)?[\s>》»]*$"
)
_FILE_KIND = r"(?i:word|docx?|pdf|wps)"
_PROMO_RE = re.compile(
    r"会员(?:专享|专属|独享|免费下载|可免费下载|免费阅读|免费查看|可下载|才能下载)"
    r"|(?i:vip)(?:会员)?(?:专享|专属|独享|免费|可免费|下载)"
    rf"|下载(?:此|本|该)?(?:篇|份)?(?:文档|文章|范文)?的?{_FILE_KIND}(?:完整|全文|原|可编辑)?(?:版|文档|文件|格式)?"
    rf"|{_FILE_KIND}(?:完整|可编辑|原)?(?:版|文档|文件|格式)?(?:下载|获取)"
    r"|(?:获取|领取)完整(?:版|全文|文档)|完整(?:版|内容|全文|文档)(?:请|可|需)(?:点击|下载|获取|登录|开通|购买)"
    r"|点击(?:此处|这里|下方|上方|链接|按钮|图片)(?:即可)?(?:下载|获取|领取)"
    r"|可直接(?:编辑|下载)使用|下载即可使用|下载后(?:即)?可(?:直接)?(?:编辑|修改|使用|打印)"
)
"""A doc site's member-only / download-the-Word-file promotion: ``【温馨提示】本文为会员专享精品范文``,
``点击此处下载Word完整版``, ``，可直接编辑使用。``, ``完整版请点击下载``, ``VIP会员可免费下载``. A notice's own
``请登录网站下载完整版测评体系。`` names no file format and stays."""
_DISCLAIMER_RE = re.compile(
    r"转载请注明|转载须注明|转载请(?:务必)?保留(?:本文|原文)?(?:链接|出处|地址)|(?:本文|原文)(?:链接|地址)\s*[:：]\s*https?://|如需转载|欢迎转载|转载请(?:联系|与)|侵删|仅供(?:个人)?学习(?:交流|参考|研究|使用|之用)|仅供交流学习"
    r"|如有侵权[，,\s]*(?:请|烦请|敬请)?(?:及时)?(?:联系|告知|通知)|联系(?:我们|小编|本站|站长|作者|平台)?(?:予以|进行|及时)?删除"
    r"|版权归(?:原)?作者|版权属于(?:原)?作者|(?:整理|转载|转)自(?:互联网|网络)"
    r"|(?:本文|文章|图文|图片|素材|资料|部分内容)[^。，,]{0,6}(?:来源于|来自|源于)(?:互联网|网络)(?![\u4e00-\u9fff])"
    rf"|仅代表作者|不代表(?:本|该)?(?:站|网站|网|平台|号|公众号|{_PORTALS})的?(?:观点|立场)"
    r"|(?:仅|只)提供(?:信息(?:存储|发布)|(?:存储|储存)(?:空间)?服务)|系信息发布平台|(?:作者|用户)上传并发布"
    r"|(?:文档|本文|内容|作品|资料|文章|图文|文件)[^。，,]{0,6}(?:由|系|来自|来源于)(?:用户|网友|会员)(?:自行)?"
    r"(?:上传|投稿|分享)"
    r"|如(?:有)?侵犯(?:了)?(?:您|你)的?(?:权益|权利|版权|合法权益|著作权)|如发现侵权"
)
_FOR_STUDY_RE = re.compile(r"仅供(?:个人|大家|读者)?(?:学习|交流|参考|研究|欣赏|阅读)")
_DISCLAIMER_HINT_RE = re.compile(r"转载|出处|网络(?:公开)?资料|免责|声明[:：]")


_READ_MORE_RE = re.compile(
    r"^[>》»▼▽∨﹀↓…\s]*(?:点击|点此|请|戳此?)?\s*(?:"
    r"(?:继续|展开|查看|阅读|浏览|显示|加载)(?:剩余|余下|更多|全部|完整)?(?:全文|原文|内容|文章|正文)(?:阅读|浏览)?"
    r"|继续(?:阅读|浏览|查看)(?:全文)?|展开(?:阅读|更多|剩余)|(?:阅读|查看|浏览|加载|显示)(?:更多|全部)"
    r"|(?:剩余|余下)(?:全文|内容|部分)|全文阅读"
    r")(?:\s*(?:剩余)?\s*\d{1,3}\s*%)?[\s>》»▼▽∨﹀↓…]*$"
)
"""A lone read-more prompt of a preview or a folded page: ``继续阅读``, ``阅读全文``, ``展开全文``, ``查看全文 >``,
``点击阅读全文``, ``展开剩余85%``, ``继续阅读全文``."""

_ABSTRACT_RE = re.compile(
    r"^[【\[［〔(（]\s*(?:文档|内容|资料|文章|范文|作品|本文)?(?:简介|介绍|摘要|概要|概述|描述)\s*[】\]］〕)）]"
    r"|^(?:文档|内容|资料|范文|作品|文章)(?:简介|介绍|摘要|概要|概述|描述|说明)\s*[:：]|^(?:简介|摘要)\s*[:：]"
    r"|^本(?:文|文档|篇|资料)(?:为|是|系)[^。]{2,80}?(?:共[一二三四五六七八九十两\d]+个?(?:部分|页|方面|篇)"
    r"|(?:可|仅)?供(?:大家|各位|您)?(?:参考|借鉴|学习|下载))"
)
"""The abstract a doc site writes for an uploaded file: ``【文档简介】本文为…的讲话，共三部分，可供参考。``,
``内容简介：…``, ``【摘要】…``, ``本文档为…实施方案，可供参考``."""
_DOC_NOTICE_RE = re.compile(  # the site or reader about the copy itself: pages merged, OCR errors
    r"^(?:(?:[【\[［〔(（]\s*)?(?:小编|温馨|友情|特别|阅读|编者|系统|网站|本站)?(?:提示|说明|注意|注|备注|提醒)\s*"
    r"(?:[】\]］〕)）]\s*[:：]?|[:：])\s*)?"
    r"(?:本文|本文档|本篇|全文|该文档?|此文档?|本资料|本页|以下内容|以下文字)"
    r"[^。！!]{0,40}?(?:共\s*\d{1,3}\s*页|(?:整理|合并|拼接)(?:到|为|成|至)|扫描|识别|OCR|错字|错别字|多余空格|"
    r"排版|乱码|格式(?:错乱|有误|问题)|分页|一页(?:阅读|显示|浏览))"
)
_INTRO_RE = re.compile(
    r"(?:小编|本站|本网|编者|站长)(?:特意|特地|专门|今天|今日|也|又|就)?(?:为|给|帮|替)?(?:大家|您|你|各位|读者|网友)?"
    r"(?:精心|认真|用心|特意|特地)?(?:整理|收集|搜集|精选|准备|带来|分享|推荐|汇总|挑选|编辑|介绍)"
    r"|^(?:以下|下面|下文|以上)(?:是|为|就是|便是)?[^。！!我]{0,12}?(?:为|给|帮)(?:大家|您|你|各位)[^。！!我]{0,8}?"
    r"(?:整理|收集|搜集|精选|准备|带来|分享|推荐|汇总|挑选)"
)
_INVITE_RE = re.compile(r"欢迎|希望|供|一起来|快来|敬请|阅读|参考|借鉴|收藏|看看")


def is_site_blurb(shadow: str) -> bool:
    """What a doc or 范文 site writes about the file it serves, not the file itself: its abstract
    (``_ABSTRACT_RE``) and an editor's intro or outro ``以下是小编为大家整理的…，欢迎阅读参考。``,
    ``下面是本站为您精选的…，希望对您有所帮助！``, ``以上就是小编整理的…``. The intro needs the site's editor
    (小编, 本站) or ``以下是…为大家整理的…`` with an invitation; a speech's own ``欢迎阅读…`` stays."""
    if len(shadow) > 150:
        return False
    if _ABSTRACT_RE.match(shadow) or (len(shadow) <= 90 and _DOC_NOTICE_RE.match(shadow)):
        return True
    m = _INTRO_RE.search(shadow)
    return bool(m) and (m.group()[:2] in ("小编", "本站", "本网", "编者", "站长") or bool(_INVITE_RE.search(shadow)))


def is_read_more(shadow: str) -> bool:
    """A lone read-more prompt (``_READ_MORE_RE``)."""
    return len(shadow) <= 20 and bool(_READ_MORE_RE.match(shadow))


_ORG_END = (
    r"(?:融媒体中心|新闻中心|信息中心|宣传部|办公室|人民政府|政府|委员会|日报社|报社|电视台|广播电视台|传媒集团|传媒"
    r"|网信办|文明办|中心|集团|局|委)"
)
_SPONSOR_RE = re.compile(
    rf"^(?:[{CJK}A-Za-z（）()·]{{2,30}}?{_ORG_END}\s*(?:联合)?(?:主办|承办|协办|主管)(?:单位)?[\s|｜,，、]*){{1,4}}$"
)


def is_sponsor_line(shadow: str) -> bool:
    """A site's sponsor line in its banner or footer: ``桐岙县融媒体中心主办``, ``中共某某县委宣传部主管
    某某县融媒体中心主办``. Only the ``{单位}主办`` form: ``主办单位：市文明办`` may be a 方案's own line."""
    return len(shadow) <= 60 and bool(_SPONSOR_RE.match(shadow))


def is_portal_chrome(shadow: str) -> bool:
    """What a portal wraps a reposted article in: its bare name on a line (``搜狐``, ``网易号``) and the way
    back (``返回搜狐，查看更多``, ``点击查看更多精彩内容``)."""
    return len(shadow) <= 30 and bool(_PORTAL_LINE_RE.match(shadow))


def is_member_promo(shadow: str) -> bool:
    """A doc site's member-only or download-the-Word-file promotion (``_PROMO_RE``), in a short line."""
    return len(shadow) <= 100 and bool(_PROMO_RE.search(shadow))


def is_disclaimer(shadow: str) -> bool:
    """A reprint or for-study-only disclaimer (``本文整理自网络，仅供学习交流，如需转载请注明出处``) or a
    platform's (``该文观点仅代表作者本人，搜狐号系信息发布平台…``): a phrase no document text uses, or
    ``仅供参考`` with a reprint hint (``转载``, ``出处``, ``声明：``); a doc library's storage notice
    (``本文档由用户上传，文库仅提供存储服务。如侵犯您的权益，请发起投诉。``). ``以上意见仅供参考。`` in a speech and
    ``转载稿件必须注明出处。`` in a notice stay."""
    if len(shadow) > 130:
        return False
    if _DISCLAIMER_RE.search(shadow):
        return True
    return bool(_FOR_STUDY_RE.search(shadow) and _DISCLAIMER_HINT_RE.search(shadow))
