"""Tests for the notices sites put around a copied document, each class in several wordings: preview-ended
notices and the lone ellipsis a cut leaves, member-only / download-the-Word-file promotions, reprint and
for-study-only disclaimers, markdown table-of-contents markers, and the chrome of a portal repost (the portal's
bare name, ``返回…，查看更多``, platform disclaimers). Each also checks that body text in the same words stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.clean.document import clean_text
from app.ingest.pipeline import prepare
from app.ingest.read.formats import read_path
from tests.helpers.clean import lines, removed

TITLE = "在全县志愿服务工作推进会上的讲话"
PARA_A = "同志们，今年以来，全县志愿服务工作坚持以群众需求为导向，阵地建设不断完善，队伍持续扩大，服务质效明显提升。"
PARA_B = "下一步，各乡镇、各部门要聚焦群众急难愁盼，推动志愿服务常态化、项目化、品牌化，让文明新风吹进千家万户。"
CUT = "要建立健全志愿者激励回馈机制，对表现突出的个人和团队及时予以表彰，切实增强志愿者的荣誉感和"


def _text(*middle: str) -> str:
    return "\n".join([TITLE, PARA_A, *middle])


# --- preview-ended notices and the lone ellipsis of a cut ---------------------------------------------


@pytest.mark.parametrize(
    "notice",
    [
        "— 预览已结束，本文档共12页，当前展示前4页 —",
        "—— 试读已结束 ——",
        "------ 免费预览结束，下载后查看全部内容 ------",
        "※ 预览到此结束 ※",
        "=====以上为试读内容=====",
        "本文档共8页，当前仅显示前2页",
    ],
)
@pytest.mark.parametrize("ellipsis", ["……", "......", "⋯⋯", "。。。。。。"])
def test_preview_end_drops_the_tail_and_the_lone_ellipsis(notice: str, ellipsis: str) -> None:
    cleaned = clean_text(_text(PARA_B, CUT, ellipsis, notice, "下载此文档可阅读全文", "立即下载　加入收藏　举报"))
    assert lines(cleaned)[-1] == CUT
    assert notice.strip("—-=※ ")[:4] not in cleaned.text
    assert ellipsis not in cleaned.text
    assert "truncate" in removed(cleaned)


def test_ellipsis_glued_to_the_cut_paragraph_and_on_its_own_line() -> None:
    cleaned = clean_text(_text(CUT + "……", "……", "— 试读结束 —"))
    assert lines(cleaned)[-1] == CUT
    assert removed(cleaned)["trailing_ellipsis"] == ["……", "……"]


@pytest.mark.parametrize("ellipsis", ["……", "…… ……", "（……）", "......"])
def test_lone_ellipsis_line_inside_the_body_goes(ellipsis: str) -> None:
    cleaned = clean_text(_text(ellipsis, PARA_B))
    assert lines(cleaned) == [TITLE, PARA_A, PARA_B]
    assert removed(cleaned)["ellipsis_line"] == [ellipsis]


def test_preview_words_inside_a_sentence_do_not_truncate() -> None:
    text = _text("本次培训试读结束后，学员要撰写心得体会。", PARA_B)
    assert lines(clean_text(text))[-1] == PARA_B


# --- member-only / download promotions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "promo",
    [
        "【温馨提示】本篇为会员专享优质范文，点击这里下载Word完整版，下载后可直接编辑。",
        "【温馨提示】本篇为会员专享优质范文，\n点击这里下载Word完整版\n，可直接编辑使用。",
        "本范文为VIP专享内容，下载DOCX文档即可使用",
        "完整版请点击下载，开通会员享更多权益",
        "下载本文的Word版本｜共5页",
        "获取完整版请扫描下方二维码",
        "VIP会员可免费下载此文档",
    ],
)
def test_member_promotions_go_also_when_split_over_lines(promo: str) -> None:
    cleaned = clean_text(_text(PARA_B, promo, "上一篇：在志愿服务表彰会上的主持词"))
    assert lines(cleaned) == [TITLE, PARA_A, PARA_B]
    assert set(removed(cleaned)) & {"paywall_notice", "ad_line"}


@pytest.mark.parametrize(
    "line",
    [
        "请各乡镇登录县文明网下载完整版测评操作手册，对照要求逐项自查。",
        "工会会员免费体检活动已覆盖全县各企业。",
        "各会员单位要积极参与志愿服务活动。",
        "要让群众可直接办理各类便民事项。",
    ],
)
def test_body_text_with_promotion_words_stays(line: str) -> None:
    assert line in lines(clean_text(_text(line, PARA_B)))


# --- reprint and for-study-only disclaimers -----------------------------------------------------------


@pytest.mark.parametrize(
    "notice",
    [
        "本文整理自互联网公开资料，仅供学习交流使用，如需转载请注明出处「墨香公文苑」。",
        "文章来源于网络，版权归原作者所有，如有侵权请联系删除。",
        "（图片来源于网络，侵删）",
        "声明：本文仅供参考学习，转载请联系作者。",
        "仅供参考，转载请注明来源",
    ],
)
def test_reprint_disclaimers_go_at_the_top_and_at_the_bottom(notice: str) -> None:
    top = clean_text("\n".join([TITLE, notice, PARA_A, PARA_B]))
    assert lines(top) == [TITLE, PARA_A, PARA_B]
    bottom = clean_text(_text(PARA_B, notice))
    assert lines(bottom) == [TITLE, PARA_A, PARA_B]


@pytest.mark.parametrize(
    "line",
    [
        "以上意见仅供参考，不妥之处请大家批评指正。",
        "各单位发布信息要严格审核，转载稿件必须注明出处。",
        "当前，不少谣言和不良内容来自网络，要加强网络综合治理。",
        "以上发言仅代表个人观点，请各位领导批评指正。",
        "要严厉打击侵权盗版，如有侵权行为要依法查处。",
    ],
)
def test_body_text_with_disclaimer_words_stays(line: str) -> None:
    assert line in lines(clean_text(_text(line, PARA_B)))


# --- markdown table-of-contents markers ---------------------------------------------------------------


@pytest.mark.parametrize("marker", ["[TOC]", "[toc]", "[[toc]]", "${toc}", "{:toc}", "@[TOC](目录)", "[[_TOC_]]"])
def test_markdown_toc_markers_go(marker: str, tmp_path: Path) -> None:
    path = tmp_path / "speech.md"
    path.write_text(f"# {TITLE}\n\n{marker}\n\n{PARA_A}\n\n## 一、强化阵地建设\n\n{PARA_B}\n", encoding="utf-8")
    doc = prepare(read_path(path))
    assert "toc" not in doc.display_text.lower()
    assert doc.display_text.split("\n")[:2] == [TITLE, PARA_A]


# --- portal reposts -----------------------------------------------------------------------------------

REPOST_BODY = [
    "栖霞区召开新时代文明实践工作推进会",
    "3月8日，栖霞区召开新时代文明实践工作推进会，总结去年工作，部署今年任务。区委常委、宣传部部长出席会议并讲话。",
    "会议要求，各街道要用好实践站阵地，常态化开展理论宣讲和志愿服务，让文明实践更好融入群众生活。",
]


@pytest.mark.parametrize(
    ("portal", "back", "statement"),
    [
        (
            "网易",
            "返回网易首页，查看更多资讯",
            "本文来自网易号作者，仅代表作者观点，网易仅提供信息发布平台。",
        ),
        (
            "百家号",
            "点击查看更多精彩内容",
            "声明：本文由入驻百家号平台的作者撰写，除官方账号外，观点仅代表作者本人，不代表百度立场。",
        ),
        (
            "今日头条",
            "查看更多>>",
            "本文内容由头条号作者上传并发布，不代表今日头条立场。",
        ),
        (
            "腾讯网",
            "返回腾讯网，阅读更多",
            "内容来自企鹅号，观点仅代表作者本人，平台仅提供信息存储空间服务。",
        ),
    ],
)
def test_portal_repost_chrome_goes(portal: str, back: str, statement: str) -> None:
    text = "\n".join([portal, *REPOST_BODY, back, "责任编辑：韩笑", statement, "推荐阅读", "街道开展清洁家园行动"])
    cleaned = clean_text(text)
    assert lines(cleaned) == REPOST_BODY
    assert portal in removed(cleaned)["chrome_line"] and back in removed(cleaned)["chrome_line"]
    assert removed(cleaned)["disclaimer_line"] == [statement]


@pytest.mark.parametrize("line", ["头条", "凤凰", "查看更多问题线索要及时移交", "平台建设要坚持需求导向。"])
def test_words_that_only_look_like_portal_chrome_stay(line: str) -> None:
    assert line in lines(clean_text("\n".join([*REPOST_BODY[:2], line, REPOST_BODY[2]])))
