"""Truncation: from a marker on, the rest of the page is not the document.

Recommendation lists (``相关推荐``, ``本版其他文章``, ``往期推荐``), disclaimers and copyright footers
(``免责声明：…``, ``©2023 某某``), preview ends (``预览结束``, ``（试读结束，剩余3186字未显示）``, ``该文档共5页，
当前仅展示前3页…``, also drawn between dashes: ``— 预览已结束，本文档共9页 —``) and the WeChat page after an
article (``预览时标签不可点``) start a tail that is dropped whole (one ``truncate`` removal, its lines joined by
``\n``). The paragraph cut by a preview loses the ellipsis that marks the cut, and a line that is nothing but
that ellipsis goes whole (``trailing_ellipsis``). Imports ``clean_common``, ``clean_chrome``, ``clean_inline``
and ``clean_zones``.
"""

from __future__ import annotations

import re

from app.ingest.clean import chrome as ch
from app.ingest.clean import inline as il
from app.ingest.clean.common import Doc
from app.ingest.clean.zones import is_sentence


def strip_cut_ellipsis(doc: Doc, lines: list[str], shadows: list[str]) -> None:
    """The paragraph before a preview cut ends with an ellipsis that only marks the cut: drop it; a line
    that was nothing but the ellipsis (``……`` on its own under the cut paragraph) goes whole."""
    while lines:
        new_l, new_s, removed = il.trailing_ellipsis(lines[-1], shadows[-1])
        for text in removed:
            doc.note("trailing_ellipsis", text)
        if new_s.strip():
            lines[-1], shadows[-1] = new_l.rstrip(), new_s.rstrip()
            return
        del lines[-1], shadows[-1]


_DECOR = r"[-—–―－=＝~～_＿*＊※\s]*"
"""What a site draws around a notice: ``— 预览已结束 —``, ``------ 试读结束 ------``, ``※ 预览结束 ※``."""
_PREVIEW_END = (
    r"(?:免费|在线)?(?:预览|试读)(?:已|到此|至此|就此)?(?:结束|完毕)|以上(?:为|是)?(?:免费)?(?:预览|试读)(?:部分|内容|页)"
    r"|(?:本|该|此)文档共\s*\d+\s*页"
)
_TRUNCATE_RE = re.compile(
    rf"^{_DECOR}[(（【\[]?{_DECOR}(?:{_PREVIEW_END}|相关推荐|热点推荐|热门推荐|猜你喜欢|延伸阅读|相关阅读|推荐阅读|相关文章|相关新闻|更多推荐|为您推荐"
    r"|精彩推荐|热门文章|最新文章|热门阅读|大家都在看|网友评论|相关链接|本版其他文章|本版其它文章|往期推荐|往期回顾"
    r"|特别声明[:：]|Notice:\s*The content above|免责声明|版权声明|凡本网(?:注明|未注明)|本网(?:站)?所刊"
    r")",
    re.I,
)
_COPYRIGHT_RE = re.compile(
    r"^(?:©|Copyright|\(c\))\s*\d{4}|独家授权|未经(?:允许|授权|许可|书面授权)[^。]{0,12}不得(?:转载|复制|使用|镜像)"
    r"|版权所有(?![人者])|转载请注明"
)
_INLINE_DISCLAIMER_RE = re.compile(
    r"(?<!\s)(?:网络整理|来源于网络|来源网络|转自网络)?\s*(?:免责声明|特别声明|版权声明)\s*[:：]"
)


def truncate(doc: Doc) -> None:
    """Drop the tail that is not the document: recommendation lists (``相关推荐``, ``热点推荐``,
    ``猜你喜欢``, ``延伸阅读``, an e-paper's ``本版其他文章``, WeChat's ``往期推荐``), NetEase
    ``特别声明:以上内容…`` / ``Notice: The content above…``, ``免责声明:…`` (also glued to the last
    paragraph: ``…专业队伍。网络整理 免责声明:…`` keeps the sentence), copyright footers (``所有自采新闻
    (含图片)独家授权…未经允许不得转载``, ``凡本网未注明"来源:…"的作品``, ``©2023 某某　使用…前必读``),
    preview ends (``预览结束,全文4662字…``, ``（试读结束，剩余3186字未显示）``, ``该文档共5页，当前仅展示
    前3页…``), a portal's registration numbers (``…ICP备…号``), the WeChat page after an article
    (``预览时标签不可点``, ``继续滑动看下一个``). A marker before the body begins only loses its own line."""
    start = doc.body_start()
    last_sentence = next((i for i in range(len(doc.shadows) - 1, -1, -1) if is_sentence(doc.shadows[i])), -1)
    out_l: list[str] = []
    out_s: list[str] = []
    for i, (line, shadow) in enumerate(zip(doc.lines, doc.shadows, strict=True)):
        cut = _cut_at(i, shadow, len(doc.lines), aligned=len(line) == len(shadow), body_after=i < last_sentence)
        if cut is None:
            out_l.append(line)
            out_s.append(shadow)
        elif i <= start and cut == 0:
            doc.note("truncate", line)  # before the body: only the marker line goes
        else:
            doc.note("truncate", "\n".join([line[cut:], *doc.lines[i + 1 :]]))
            if cut:
                out_l.append(line[:cut].rstrip())
                out_s.append(shadow[:cut].rstrip())
            strip_cut_ellipsis(doc, out_l, out_s)
            break
    doc.set(out_l, out_s)


def _cut_at(i: int, shadow: str, n: int, aligned: bool, body_after: bool) -> int | None:
    """Where line ``i`` of ``n`` starts a tail to drop (0: the whole line), or None. ``body_after``: a
    sentence follows (then an ICP number is quoted in the text, not the portal's footer)."""
    late = i * 2 >= n  # footers and disclaimers sit in the second half of the page
    if _TRUNCATE_RE.match(shadow) or ch.WECHAT_TAIL_RE.match(shadow):
        return 0
    if late and len(shadow) <= 300 and _COPYRIGHT_RE.search(shadow):
        return 0
    if late and not body_after and len(shadow) <= 150 and ch.SITE_FILING_RE.search(shadow):
        return 0
    if late and aligned and "声明" in shadow:
        m = _INLINE_DISCLAIMER_RE.search(shadow)
        if m and m.start() > 0:
            return m.start()
    return None
