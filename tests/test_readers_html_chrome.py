"""Site chrome built from plain div/ul/span elements (no nav/header/footer tags) is dropped by its class or id."""

from __future__ import annotations

from app.ingest.read.html import html_to_text

BODY = (
    "<p>3月8日，泓塘县召开新时代文明实践工作推进会，总结去年工作，部署今年任务。县委书记林知远出席并讲话。</p>"
    "<p>会议强调，要持续深化志愿服务，推动文明实践阵地常态化运行，让群众在家门口感受文明新风。</p>"
    "<p>会议要求，各乡镇要压实责任，每月报送工作台账，县文明办适时开展督查。</p>"
)

PAGE = f"""<html><head><title>泓塘县召开新时代文明实践工作推进会_泓塘新闻网</title></head><body>
<div class="site-topbar"><span>今天是2024年3月9日 星期六 晴</span><a href="/login">登录</a><a href="/reg">注册</a></div>
<div id="mainNav"><ul><li><a href="/">首页</a></li><li><a href="/yw/">本地要闻</a></li></ul></div>
<div class="pos-crumb"><a href="/">首页</a> &gt; <a href="/yw/">本地要闻</a></div>
<div class="page-header-wrap"><h1>泓塘县召开新时代文明实践工作推进会</h1></div>
<div class="art-info">2024-03-08 17:20 来源：泓塘融媒</div>
<div class="bdsharebuttonbox">分享到：<a>微信</a><a>微博</a></div>
<div class="art-body">{BODY}</div>
<div class="relatedNews"><ul><li><a>泓塘县开展学雷锋志愿服务活动</a></li></ul></div>
<div class="foot">主办：泓塘县融媒体中心</div>
</body></html>"""


def test_chrome_named_by_class_or_id_is_dropped_and_the_article_kept() -> None:
    text = html_to_text(PAGE)
    lines = text.split("\n")
    assert lines[0] == "泓塘县召开新时代文明实践工作推进会"  # the h1, kept although its wrapper says "header"
    for chrome in ("今天是2024年3月9日", "登录", "本地要闻", "分享到", "学雷锋志愿服务活动", "主办：泓塘县融媒体中心"):
        assert chrome not in text, chrome
    assert "2024-03-08 17:20 来源：泓塘融媒" in lines  # the date line is not chrome: the cleaner decides on it
    assert "会议强调，要持续深化志愿服务，推动文明实践阵地常态化运行，让群众在家门口感受文明新风。" in lines


def test_an_element_with_a_chrome_name_but_most_of_the_text_is_kept() -> None:
    # some sites name the article column "main-side" or put the text in a "content-top" box
    page = f'<html><body><div class="nav">首页</div><div class="content-top">{BODY}</div></body></html>'
    text = html_to_text(page)
    assert "县委书记林知远出席并讲话" in text and "首页" not in text


def test_ambiguous_class_words_only_count_as_whole_parts() -> None:
    page = f'<html><body><div class="desktop-article">{BODY}</div><div class="gg-box">广告位招租</div></body></html>'
    text = html_to_text(page)
    assert "会议要求" in text  # "desktop" holds "top" but is not a chrome name
    assert "广告位招租" not in text
