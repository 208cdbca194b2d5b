"""Tests for the vocabulary chrome rules (clean.py line rules, clean_chrome, clean_truncate): site chrome that
is told by its words — breadcrumbs, UI bars, portal menus and footers, newspaper page headers, WeChat chrome,
doc-site bars — and the tails that truncation drops. One focused test per rule on a fixture written for it
(tests/data/noise/); the structural rules are in ``test_clean_zones.py``."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import clean_text
from tests.helpers.clean import lines, load, removed

# --- line rules ---------------------------------------------------------------------------------------


def test_breadcrumb_share_counter_and_chrome_words() -> None:
    cleaned = load("netease_report.txt")
    got = removed(cleaned)
    assert got["breadcrumb"] == ["网易首页 > 新闻中心 > 正文"]
    assert got["share_counter"] == ["0"]
    assert "分享至" in got["chrome_line"] and "点喜欢" in got["chrome_line"]
    assert got["image_placeholder"] == ["![]()"]
    assert lines(cleaned)[0] == "青川市召开文明城市创建推进会,部署年度重点任务"


def test_headline_stack_stays_separate_lines() -> None:
    out = lines(load("netease_report.txt"))
    assert out[1:5] == [
        "青川市文明委全体会议",
        "暨文明城市创建推进会召开",
        "抓常态 抓长效 抓提升",
        "刘建华讲话 周海平出席",
    ]


def test_portal_chrome_and_app_lines() -> None:
    cleaned = load("gov_portal_report.txt")
    got = removed(cleaned)
    for junk in (
        "繁体版 English EN",
        "手机客户端 无障碍浏览 长者版",
        "提示",
        "微信公众号",
        "扫码关注我们",
        "青川通APP",
        "回到顶部",
    ):
        assert junk in got["chrome_line"]
    assert got["image_placeholder"] == ["360se_picture", "360se_picture (2)"]
    assert "360se" not in cleaned.text and "APP" not in cleaned.text
    assert lines(cleaned)[0] == "青川区召开新时代文明实践推进会"


def test_footer_source_line_ends_the_page() -> None:
    cleaned = load("gov_portal_report.txt")
    got = removed(cleaned)
    assert got["source_line"] == ["来源：青川日报"]
    assert got["footer"] == ["政务服务平台"]
    assert lines(cleaned)[-1] == "会上，三个街道作交流发言。区各有关部门、单位主要负责同志参加会议。"


def test_source_line_inside_body_does_not_truncate() -> None:
    text = (
        "市召开文明创建推进会\n3月5日,市召开文明创建推进会,全面部署今年文明城市创建工作任务,要求各级各部门压实责任。\n"
        "来源:市文明办\n会议强调,要坚持问题导向,集中力量开展专项整治,确保创建工作取得实效。"
    )
    cleaned = clean_text(text)
    assert removed(cleaned)["source_line"] == ["来源:市文明办"]
    assert lines(cleaned)[-1] == "会议强调,要坚持问题导向,集中力量开展专项整治,确保创建工作取得实效。"


def test_doc_site_chrome_file_names_and_page_counters() -> None:
    cleaned = load("docshare_preview.txt")
    got = removed(cleaned)
    assert got["chrome_line"] == ["收藏 分享(赏)", "下载 相关 举报", "资源描述"]
    assert got["file_name_line"][0] == "2024年县委在文明创建工作会议上的讲话.docx"
    assert "2024年县委在文明创建工作会议上的讲话.docx_第2页" in got["file_name_line"]
    assert got["page_counter"] == ["第1页 / 共5页", "第2页 / 共5页"]
    assert got["paywall_notice"] == ["亲,该文档总共5页,到这儿已超出免费预览范围,如果喜欢就下载吧!"]
    assert ".docx" not in cleaned.text


def test_site_name_line_under_title() -> None:
    cleaned = load("fanwen_preview.txt")
    assert removed(cleaned)["site_name_line"] == ["某某范文网"]
    assert lines(cleaned)[:2] == ["县委书记在文明城市创建攻坚推进会上的讲话", "同志们:"]


def test_ad_lines() -> None:
    assert removed(load("ad_duplicates.txt"))["ad_line"] == ["公文高手,超级方便的公文写作神器! 立即了解"]
    cleaned = clean_text("标题\n正文内容很长很长。\n请点击👉 abc123 👈联系老师")
    assert "联系老师" not in cleaned.text


def test_outline_and_navigation_lines() -> None:
    got = removed(load("paywall_preview.txt"))
    assert got["outline_line"][0].startswith("【提纲】")
    assert "到某某文库首页" in got["chrome_line"]


# --- site chrome (clean_chrome) -----------------------------------------------------------------------


def test_font_switcher_share_bar_and_qr_prompt() -> None:
    got = removed(load("portal_speech.txt"))["chrome_line"]
    for junk in (
        "【字号：大 中 小】 分享至：微信 微博 QQ空间",
        "用手机扫描二维码在手机上查看",
        "打印本页 | 关闭窗口",
        "上一篇：青川市召开新时代文明实践推进会",
    ):
        assert junk in got


def test_portal_header_and_menu_lines() -> None:
    cleaned = load("portal_speech.txt")
    got = removed(cleaned)["chrome_line"]
    assert got[:5] == ["青川市人民政府｜无障碍｜关怀版｜English", "首页", "政务公开", "新闻中心", "互动交流"]
    assert lines(cleaned)[:2] == ["在全市志愿服务工作会议上的讲话", "同志们："]


def test_breadcrumb_without_home_link() -> None:
    assert removed(load("portal_speech.txt"))["breadcrumb"] == ["领导之窗 > 领导讲话 > 讲话全文"]
    assert removed(load("docsite_bar.txt"))["breadcrumb"] == ["范文中心 > 讲话致辞 > 会议讲话"]


def test_portal_footer_and_registration_numbers() -> None:
    cleaned = load("portal_speech.txt")
    got = removed(cleaned)
    assert got["footer"] == ["主办单位：青川市人民政府办公室 技术支持：青川市信息中心"]
    assert got["truncate"] == ["网站标识码：3700000099 鲁ICP备00000000号"]
    assert lines(cleaned)[-1].startswith("要推动志愿服务进社区")
    # the footer line goes alone: a 落款 after it stays
    body = "各单位要高度重视，精心组织，确保活动取得实效，切实把文明交通志愿服务活动办好。"
    notice = clean_text(f"标题\n{body}\n{body}\n主办：青川市文明办　承办：青川市图书馆\n青川市文明办\n2023年9月5日")
    assert lines(notice)[-2:] == ["青川市文明办", "2023年9月5日"]


def test_editor_lines_in_brackets_and_traditional() -> None:
    assert "［编辑：林小雨 校对：陈默］" in removed(load("portal_speech.txt"))["source_line"]
    got = removed(load("epaper_traditional.txt"))
    assert got["source_line"] == ["（責任編輯：吳小燕 審核：鄭大海）"]


def test_gov_metadata_table_keeps_the_sign_off() -> None:
    cleaned = load("gov_notice.txt")
    got = removed(cleaned)
    assert got["doc_meta_line"] == [
        "索 引 号：000000000/2023-00088",
        "主题分类：精神文明 发文机关：青川市文明办",
        "文 号：青文明办〔2023〕12号 有 效 性：有效",
    ]
    assert got["publish_date_line"] == ["成文日期：2023年09月05日 发布日期：2023年09月07日"]
    assert lines(cleaned)[0] == "关于开展2023年文明交通志愿服务活动的通知"
    assert lines(cleaned)[-3:] == ["青川市精神文明建设委员会办公室", "2023年9月5日", "（此件公开发布）"]


def test_epaper_header_and_dated_source_line() -> None:
    cleaned = load("epaper_traditional.txt")
    assert removed(cleaned)["publish_date_line"] == [
        "青川晚報 2023年11月17日 星期五 第A02版：要聞",
        "2023-11-16 18:05 來源：青川新聞網 作者：韓小梅",
    ]
    assert lines(cleaned)[0] == "青川市召開志願服務工作推進會"


@pytest.mark.parametrize("line", ["第04版：综合新闻", "2023年05月12日 星期五", "青川日报(2023年05月12日 第 04 版)"])
def test_epaper_header_variants(line: str) -> None:
    cleaned = clean_text(f"全市文明创建工作会议召开\n{line}\n会议要求，各级各部门要压实责任，推动创建工作取得新成效。")
    assert removed(cleaned)["publish_date_line"] == [line]


def test_wechat_byline_and_page_tail() -> None:
    cleaned = load("wechat_appeal.txt")
    got = removed(cleaned)
    assert got["publish_date_line"] == ["原创 周小林 青川文明 2023-10-08 19:30 发表于山东"]
    assert got["truncate"][0].startswith("预览时标签不可点\n微信扫一扫\n关注该公众号\n阅读 1.5万")
    assert "青川文明" not in cleaned.text and "滑动" not in cleaned.text
    assert cleaned.text.endswith("青川市精神文明建设委员会办公室\n2023年10月8日")


def test_doc_site_download_bar_and_hidden_text_notice() -> None:
    cleaned = load("docsite_bar.txt")
    got = removed(cleaned)
    assert got["chrome_line"] == ["下载文档 收藏 举报", "下载文档"]
    assert got["paywall_notice"] == ["……此处隐藏860字……", "还剩2页未读，继续阅读"]
    assert cleaned.text.endswith("长效机制不健全等问题。")


def test_media_account_under_a_news_title() -> None:
    body = "9月2日，青川市召开文明创建推进会，总结前段工作，部署下步任务，要求各级压实责任。"
    cleaned = clean_text(f"青川市召开文明创建推进会\n青川发布\n分享到：\n{body}")
    assert removed(cleaned)["site_name_line"] == ["青川发布"]
    assert removed(cleaned)["chrome_line"] == ["分享到："]
    assert lines(cleaned) == ["青川市召开文明创建推进会", body]


@pytest.mark.parametrize(
    "line",
    [
        "扫码点餐、扫码支付已经普及",
        "扫码支付让生活更便利",
        "原创 歌曲《文明之歌》",
        "标准",
        "走进云雾乡",
        "GDP > 5% > 3%",
        "论文发表于核心期刊",
        "主办单位：市文明办",
        "阅读 经典",
        "2024年6月3日",
    ],
)
def test_text_that_only_looks_like_chrome_stays(line: str) -> None:
    body = "会议要求，各级各部门要压实责任，推动文明创建工作取得新成效，让群众有更多获得感。"
    for text in (f"标题\n{line}\n{body}\n{body}", f"标题\n{body}\n{body}\n{line}"):
        assert line in lines(clean_text(text))


# --- truncation ---------------------------------------------------------------------------------------


def test_truncate_recommendations_and_netease_notice() -> None:
    cleaned = load("netease_report.txt")
    tail = removed(cleaned)["truncate"][0]
    assert tail.startswith("相关推荐\n热点推荐")
    assert "Notice: The content above" in tail
    for junk in ("相关推荐", "健康小达人", "特别声明", "NetEase", "2025-06-03"):
        assert junk not in cleaned.text
    assert lines(cleaned)[-1] == "■ 要坚持共建共享,广泛动员市民参与,让文明成为城市最亮丽的底色。"
    assert "publish_date_line" not in removed(cleaned)  # dates inside the dropped list are not reported


def test_truncate_inline_disclaimer_keeps_the_sentence() -> None:
    cleaned = load("docshare_pages.txt")
    assert removed(cleaned)["truncate"] == ["网络整理 免责声明:本文仅限学习分享,如产生版权问题,请联系我们及时删除。"]
    assert cleaned.text.endswith("确保各项任务落到实处。")


def test_truncate_copyright_footer_traditional() -> None:
    cleaned = load("copyright_footer.txt")
    assert "獨家授權" not in cleaned.text and "凡本網" not in cleaned.text
    assert cleaned.text.endswith("“最後一公裡”。(記者孫七)")


def test_truncate_preview_end_and_trailing_ellipsis() -> None:
    cleaned = load("paywall_preview.txt")
    got = removed(cleaned)
    assert got["truncate"] == ["预览结束,全文3500字,当前显示1200字,还剩2300字\n本文8\n下载全文"]
    assert got["trailing_ellipsis"] == ["……"]
    assert cleaned.text.endswith("要常抓不")
    fanwen = load("fanwen_preview.txt")
    assert removed(fanwen)["trailing_ellipsis"] == ["......"]
    assert fanwen.text.endswith("市民素质等方面还存在差距、")
    assert "abc123" not in fanwen.text


def test_marker_before_body_only_loses_its_line() -> None:
    cleaned = clean_text("相关推荐\n市召开文明创建推进会\n会议要求,各级各部门要压实责任,推动文明创建工作取得新成效。")
    assert lines(cleaned) == ["市召开文明创建推进会", "会议要求,各级各部门要压实责任,推动文明创建工作取得新成效。"]


def test_copyright_words_inside_a_speech_do_not_truncate() -> None:
    text = "标题\n要保护版权所有人的合法权益,加大执法力度。\n要加强宣传引导,营造尊重知识产权的良好氛围。\n最后一段。"
    assert lines(clean_text(text))[-1] == "最后一段。"
