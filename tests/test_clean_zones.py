"""Tests for structural chrome (clean_zones, clean_truncate): page furniture told by its shape and its place
on the page, each on a fixture written for it (tests/data/noise/), plus the lines that must survive."""

from __future__ import annotations

import pytest

from app.ingest.clean import zones as zn
from app.ingest.clean.document import clean_text
from tests.helpers.clean import lines, load, removed

BODY = "会议要求，各级各部门要压实责任，推动文明创建工作取得新成效，让群众有更多获得感和幸福感。"


# --- chrome evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "score"),
    [
        ("举报/反馈", 3),
        ("打开APP，阅读体验更佳", 3),
        ("放大 缩小 默认", 3),
        ("某某融媒 · 关注", 3),
        ("中国文明网 | 某某文明网", 3),
        ("GDP > 5% > 3%", 0),  # separators and digits, but nothing of a user interface
        ("全县文明城市创建工作推进会", 0),
        ("关注“一老一小” 共建幸福家园", 1),
        ("要关注群众的急难愁盼问题，下载并用好各类政务服务APP。", 0),  # a sentence
    ],
)
def test_chrome_evidence(line: str, score: int) -> None:
    assert zn.chrome_evidence(line) == score


def test_ui_lines_in_head_and_tail_zones() -> None:
    cleaned = load("app_aggregator.txt")
    got = removed(cleaned)["chrome_line"]
    assert got == ["打开APP，查看更多精彩内容", "柳塘发布 · 关注", "举报/反馈"]
    assert lines(cleaned)[:3] == ["聚力攻坚 全域提升", "柳塘县召开文明城市创建冲刺推进会", "方志远讲话 程丽华主持"]


def test_wechat_follow_prompts() -> None:
    assert removed(load("wechat_repost.txt"))["chrome_line"] == ["点击上方蓝字 关注我们"]
    assert removed(load("portal_menu.txt"))["chrome_line"][-1] == "扫码关注“云岗发布”微信公众号"
    cleaned = clean_text(f"关注「柳溪发布」，了解更多柳溪资讯\n柳溪县召开文明创建推进会\n{BODY}\n{BODY}")
    assert removed(cleaned)["chrome_line"] == ["关注「柳溪发布」，了解更多柳溪资讯"]


def test_doc_site_notices() -> None:
    cleaned = load("docshare_summary.txt")
    assert removed(cleaned)["truncate"] == [
        "该文档共4页，当前仅展示前2页，更多内容请下载后查看。\n内容提供方：ygwmb2023"
    ]
    assert removed(clean_text(f"{BODY}\n{BODY}\n内容提供方：ab2023"))["doc_meta_line"] == ["内容提供方：ab2023"]
    tail = clean_text(f"{BODY}\n{BODY}\n下载文档到电脑，查找使用更方便\n5积分 立即下载")
    assert lines(tail) == [BODY]


def test_preview_end_in_brackets_takes_the_cut_ellipsis() -> None:
    cleaned = load("paywall_trial.txt")
    got = removed(cleaned)
    assert got["truncate"] == ["（试读结束，剩余2450字未显示）\n本文由网友投稿，仅供学习参考，如有侵权请联系删除。"]
    assert got["trailing_ellipsis"] == ["……"]
    assert lines(cleaned)[-1].endswith("力争年内每个县区至少打造")


def test_copyright_and_list_headers_truncate() -> None:
    got = removed(load("briefing.txt"))
    assert got["truncate"] == ["©2024 某某 使用前必读 文库协议 网站地图"]
    assert got["doc_meta_line"] == ["文档格式：.docx 文档大小：18.2K 文档页数：2页 下载券：1 上传者：lt_wmb****"]
    epaper = removed(load("epaper_page.txt"))
    assert epaper["truncate"][0].startswith("本版其他文章\n· 我市两所学校入选省级文明校园")


# --- ads, bylines, menus -------------------------------------------------------------------------------


def test_ads_inside_the_body() -> None:
    got = removed(load("app_aggregator.txt"))["ad_line"]
    assert got == ["▲广告 柳塘·滨河一品 江景现房热销中，首付12万起，咨询热线：0739-6612345"]
    assert removed(load("paywall_trial.txt"))["ad_line"][0].startswith("【广告】讲话稿写作不求人")


@pytest.mark.parametrize(
    "line",
    [
        "要落实好住房政策，降低首付比例，支持刚性和改善性住房需求，推动热销楼盘加快交付。",  # a sentence
        "新用户注册数量持续增长",
        "广告牌匾整治",  # a heading about ads
    ],
)
def test_ad_words_in_body_text_stay(line: str) -> None:
    assert line in lines(clean_text(f"标题\n{BODY}\n{line}\n{BODY}"))


def test_bylines_and_page_editor_lines() -> None:
    got = removed(load("epaper_page.txt"))
    assert got["source_line"] == ["本报记者 宋 雯 通讯员 周立峰 郑晓", "本版责任编辑：唐颖 美编：许航"]
    assert zn.is_byline("記者 馬文韜　通訊員 羅 靜".replace("記", "记").replace("訊", "讯").replace("員", "员"))
    assert not zn.is_byline("记者从会上获悉")
    assert not zn.is_byline("记者 走访了多个社区和企业")


def test_epaper_top_lines() -> None:
    cleaned = load("epaper_page.txt")
    got = removed(cleaned)
    assert got["site_name_line"] == ["鹭屿日报数字报"]
    assert got["chrome_line"] == ["上一版 下一版 版面导航 往期回顾", "放大 缩小 默认"]
    assert got["publish_date_line"] == ["2023年11月08日 星期三 第02版：要闻"]
    assert lines(cleaned)[:2] == ["以常态长效巩固创建成果", "全市文明城市创建工作推进会召开"]


def test_portal_header_menu_entry_and_glued_menu() -> None:
    got = removed(load("portal_menu.txt"))["chrome_line"]
    assert got[:5] == ["云岗区人民政府 | 无障碍 | 长者模式 | 今天是：", "首页", "政务公开", "互动交流", "走进云岗"]
    glued = load("glued_menu.txt")
    assert removed(glued)["chrome_line"] == ["中国文明网 | 石岭文明网", "首页文明创建文明实践志愿服务道德建设"]
    assert lines(glued)[0] == "石岭市召开2023年精神文明建设工作会议"


def test_short_line_between_chrome_stays_when_it_is_the_title() -> None:
    cleaned = clean_text(f"首页 > 文明创建 > 正文\n城市的温度\n分享到：微信 微博\n{BODY}\n{BODY}")
    assert lines(cleaned)[0] == "城市的温度"


# --- running headers -----------------------------------------------------------------------------------


def test_running_header_of_an_exported_notice() -> None:
    cleaned = load("pdf_running_header.txt")
    got = removed(cleaned)
    assert got["running_header"] == ["石岭市文明办文件", "石岭市文明办文件"]
    assert got["share_counter"] == ["— 1 —", "— 2 —"]
    out = lines(cleaned)
    # the title above the first paragraph is not joined to it, though as wide as the wrapped lines
    assert out[1] == "石岭市2023年“文明交通 你我同行”志愿服务活动实施方案"
    assert out[2].startswith("为深入推进文明城市创建") and out[2].endswith("现制定如下实施方案。")
    assert out[-2:] == ["石岭市精神文明建设委员会办公室", "2023年5月6日"]


def test_running_header_of_a_doc_site_collection() -> None:
    got = removed(load("docshare_summary.txt"))
    assert got["running_header"] == ["云岗区2023年文明实践工作资料汇编"] * 2
    assert got["share_counter"] == ["- 1 -"]


def test_repeated_lines_without_page_numbers_stay() -> None:
    text = f"全市文明创建会议召开\n会议强调\n{BODY}\n会议强调\n{BODY}"
    assert lines(clean_text(text)).count("会议强调") == 2


def test_repeated_title_at_page_tops_keeps_its_first_line() -> None:
    title = "在全县文明创建工作会议上的讲话"
    cleaned = clean_text(f"{title}\n同志们：\n{BODY}\n- 1 -\n{title}\n{BODY}")
    assert lines(cleaned)[0] == title and lines(cleaned).count(title) == 1


@pytest.mark.parametrize("tail", ["谢谢大家！", "石岭市文明办", "2024年6月3日", "（此件公开发布）"])
def test_short_closing_lines_survive(tail: str) -> None:
    assert lines(clean_text(f"标题\n{BODY}\n{BODY}\n{tail}"))[-1] == tail


@pytest.mark.parametrize(
    "line",
    ["项目、完善机制，到2025年底，全县实名注册志愿者占常住", "全市注册志愿者达到12万人", "注册登记、资本金和商标"],
)
def test_body_lines_about_registered_volunteers_are_not_chrome(line: str) -> None:
    assert zn.chrome_evidence(line) < 2


def test_a_hard_wrapped_body_line_with_a_year_and_注册_survives_cleaning() -> None:
    wrapped = (
        "鹭屿市志愿服务提升行动方案\n为推动全市志愿服务常态化、制度化发展，制定本方案。\n一、总体要求\n"
        "坚持以人民为中心，着力壮大队伍、优化\n项目、完善机制，到2025年底，全市实名注册志愿者占常住\n"
        "人口比例达到15%以上，形成一批特色鲜明的志愿服务品牌。\n二、主要任务\n"
        "（一）壮大志愿服务队伍。分类组建志愿服务队伍，力争全年新增团队100支以上。\n"
    )
    assert "全市实名注册志愿者占常住" in clean_text(wrapped).text.replace("\n", "")
