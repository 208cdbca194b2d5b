"""Chrome of the applications a text is copied out of, told by its shape: page breaks of a scanned or
paged document, a forum thread's post furniture and replies, an online-office editor's panels.

``page_breaks`` drops a page marker line (``· 1 ·``, ``〔2/9〕``, ``【2/9】``, ``[2/9]``) or a page-join note
(``（未完，接第2页）``, ``（接第1页）``, ``（下转第3版）``, ``（上接第2版）``) and joins the sentence the page
cut in two, the way ``clean_layout.page_markers`` does. ``forum_thread`` drops a thread's floor numbers,
post headers, UI words, signatures, reply authors and short replies; the board's footer
(``GMT+8, … Processed in … second(s)``) goes in any text. ``office_chrome`` drops an online editor's save
status, outline panel (its toggles and the cut-short entries ``一、从讲政治的高度…`` that repeat a later
heading), status bar ``1/4页　字数：2316　适合宽度　100%`` and comments (``name　2月27日 09:10`` + text).
"""

from __future__ import annotations

import re

from app.ingest.clean.common import CJK, LEADING_PUNCT, Doc, cjk_count, ends_sentence, is_heading, is_salutation
from app.ingest.clean.layout import _DATE_ONLY_RE

# --- page breaks -----------------------------------------------------------------------------------------
_PAGE_BREAK_RE = re.compile(
    r"^(?:[·•・∙]\s*\d{1,3}\s*[·•・∙]"  # · 1 ·
    r"|[〔【\[［(（]\s*\d{1,3}\s*[/／]\s*\d{1,3}\s*[〕】\]］)）]"  # 〔2/9〕 【2/9】 [2/9]
    r"|[(（〔【\[［]\s*(?:未完[,，、]?\s*(?:待续)?[,，、]?\s*)?(?:下转|上接|转|接|续|见)\s*(?:第|本刊第)?\s*"
    r"[\d一二三四五六七八九十]{1,3}\s*[页版面][)）〕】\]］]"  # （未完，接第2页） （下转第3版）
    r"|[(（〔【\[［]\s*未完(?:待续)?\s*[)）〕】\]］])$"
)


def is_page_break(shadow: str) -> bool:
    return bool(_PAGE_BREAK_RE.match(shadow.strip()))


def _opens(shadow: str) -> bool:
    return is_heading(shadow) or is_salutation(shadow) or bool(_DATE_ONLY_RE.match(shadow))


def page_breaks(doc: Doc) -> None:
    """Drop page marker lines and page-join notes; a sentence cut by one is joined again (the line above
    does not end a sentence and is no heading, the line below starts nothing new), or the line below starts
    with punctuation that cannot open a line."""
    if not any(_PAGE_BREAK_RE.match(s) for s in doc.shadows):
        return
    out_l: list[str] = []
    out_s: list[str] = []
    after_break = False
    for line, shadow in zip(doc.lines, doc.shadows, strict=True):
        if _PAGE_BREAK_RE.match(shadow):
            doc.note("page_marker", line)
            after_break = bool(out_s)
            continue
        if after_break:
            prev = out_s[-1]
            cut = not ends_sentence(prev) and not _opens(prev) and cjk_count(prev) >= 6 and not _opens(shadow)
            if cut or shadow[:1] in LEADING_PUNCT:
                out_l[-1] += line
                out_s[-1] += shadow
                after_break = False
                continue
        out_l.append(line)
        out_s.append(shadow)
        after_break = False
    doc.set(out_l, out_s)


# --- forum threads ---------------------------------------------------------------------------------------
_DAY = r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.月]\d{1,2}日?|今天|昨天|前天|\d{1,2}\s*(?:分钟|小时|天)前)"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_POST_HEAD_RE = re.compile(rf"^(?:\S{{1,20}}\s+)?(?:发表于|发布于|回复于|发帖于)\s*{_DAY}(?:\s*{_CLOCK})?(?:\s.*)?$")
_FLOOR_RE = re.compile(r"^(?:\d{1,5}\s*(?:#|楼|F|f)|#\s*\d{1,5}|第\s*\d{1,5}\s*楼|沙发|板凳|地板|楼主)$")
_FORUM_UI = (
    "点评|回复|举报|引用|评分|支持|反对|收藏|分享|使用道具|只看该作者|只看楼主|回复本楼|删除|编辑|顶|踩|赞|打赏"
    "|复制链接|电梯直达"
)
_FORUM_UI_RE = re.compile(rf"^(?:(?:{_FORUM_UI})(?:\s*\d{{1,5}})?[\s|｜/]*){{1,8}}$")
_SIGNATURE_RE = re.compile(r"^(?:个性)?签名\s*[:：]")
_FORUM_FOOTER_RE = re.compile(r"(?i)^GMT\s*[+-]\s*\d{1,2}\s*,.{0,60}Processed in|^Powered by Discuz")
_AUTHOR_RE = re.compile(rf"^[{CJK}A-Za-z0-9_\-·.]{{2,16}}$")


def forum_thread(doc: Doc) -> None:
    """A thread copied from a forum: the original post is the document, the rest is the board's furniture.
    Needs a post header (``发表于 2023-11-22 08:15:40 | 只看该作者``) and a floor number (``2#``, ``沙发``)
    or a second post header. Dropped: post headers, floor numbers, UI words (``点评``, ``回复 举报``),
    signatures (``签名：…``) and every later post — its author line and a reply of short lines; a later post
    with a long paragraph (the author continuing the text) keeps its paragraphs."""
    shadows = doc.shadows
    drop = {i for i, s in enumerate(shadows) if _FORUM_FOOTER_RE.match(s)}
    heads = [i for i, s in enumerate(shadows) if _POST_HEAD_RE.match(s)]
    floors = [i for i, s in enumerate(shadows) if _FLOOR_RE.match(s)]
    if heads and (floors or len(heads) >= 2):
        n = len(shadows)
        for i, s in enumerate(shadows):
            if _POST_HEAD_RE.match(s) or _FLOOR_RE.match(s) or _FORUM_UI_RE.match(s) or _SIGNATURE_RE.match(s):
                drop.add(i)
        for k, h in enumerate(heads[1:], start=1):
            start = h
            for j in range(h - 1, max(heads[k - 1], h - 4), -1):  # the author line and floor number above
                if _FLOOR_RE.match(shadows[j]) or _AUTHOR_RE.match(shadows[j]):
                    start = j
                    if _FLOOR_RE.match(shadows[j]):
                        break
                else:
                    break
            end = heads[k + 1] if k + 1 < len(heads) else n
            for j in range(end - 1, h, -1):
                if _FLOOR_RE.match(shadows[j]):
                    end = j
            body = [j for j in range(h + 1, end) if j not in drop]
            if all(cjk_count(shadows[j]) < 100 for j in body):
                drop.update(range(start, end))
            else:
                drop.update(range(start, h + 1))
    if drop:
        doc.drop_where("forum_chrome", lambda i, _s: i in drop)


# --- online-office editors -------------------------------------------------------------------------------
_SAVE_STATUS_RE = re.compile(
    rf"^(?:.{{0,16}}\s)?(?:最近|最后|上次)?(?:编辑|修改|更新|保存)(?:于|时间\s*[:：]?)\s*{_DAY}(?:\s*{_CLOCK})?(?:\s.{{0,24}})?$"
    r"|^.{0,30}(?:已|自动)(?:保存|同步)(?:到|至)?(?:云端|云文档|云空间)?\s*$"
)
_PANEL_TOGGLE_RE = re.compile(r"^(?:收起|展开|隐藏|显示|关闭|打开)?(?:文档)?(?:大纲|目录)(?:导航|视图)?$")
_CUT_ENTRY_RE = re.compile(r"^(.{4,60}?)\s*(?:…+|\.{3,}|⋯+)$")
_PAGE_TOKEN_RE = re.compile(r"(?:第\s*)?\d{1,4}\s*/\s*\d{1,4}\s*页?|第\s*\d{1,4}\s*页|共\s*\d{1,4}\s*页|[-+－＋]")
_STATUS_TOKEN_RE = re.compile(
    r"字数\s*[:：]?\s*\d{1,7}|\d{1,7}\s*字|适合宽度|适应宽度|适合页面|适应页面|页宽|整页|\d{2,3}\s*%|全屏|阅读模式|编辑模式|只读模式"
)
_COMMENT_HEAD_RE = re.compile(rf"^[{CJK}A-Za-z0-9_·]{{2,12}}\s+{_DAY}\s*{_CLOCK}$")
_COMMENTS_RE = re.compile(r"^(?:全部)?(?:评论|批注)\s*(?:[(（]\s*\d{1,4}\s*[)）])?$")


def _status_bar(shadow: str) -> bool:
    """An editor's status bar: page, word count, zoom (a bare page counter is ``page_counter``'s)."""
    tokens = [t for t in re.split(r"[\s|｜]+", shadow) if t]
    status = sum(1 for t in tokens if _STATUS_TOKEN_RE.fullmatch(t))
    return (
        len(tokens) >= 2
        and status >= 1
        and all(_STATUS_TOKEN_RE.fullmatch(t) or _PAGE_TOKEN_RE.fullmatch(t) for t in tokens)
    )


def office_chrome(doc: Doc) -> None:
    """An online editor's interface around the document (see the module docstring)."""
    shadows = doc.shadows
    n = len(shadows)
    drop: set[int] = set()
    comments_seen: int | None = None
    heads = sum(1 for s in shadows if _COMMENT_HEAD_RE.match(s))
    for i, s in enumerate(shadows):
        if len(s) <= 60 and (_SAVE_STATUS_RE.match(s) or _PANEL_TOGGLE_RE.match(s) or _status_bar(s)):
            drop.add(i)
        elif _COMMENTS_RE.match(s):
            comments_seen = i
        elif _COMMENT_HEAD_RE.match(s) and (comments_seen is not None or heads >= 2):
            drop.add(i)
            if comments_seen is not None:
                drop.add(comments_seen)
            if i + 1 < n and len(shadows[i + 1]) <= 80 and not _COMMENT_HEAD_RE.match(shadows[i + 1]):
                drop.add(i + 1)
        else:
            m = _CUT_ENTRY_RE.match(s)
            if m and is_heading(s) and any(t.startswith(m.group(1)) for t in shadows[i + 1 :] if t != s):
                drop.add(i)
    if drop:
        doc.drop_where("office_chrome", lambda i, _s: i in drop)
