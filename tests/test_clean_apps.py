"""Tests for the chrome of the applications a text is copied out of (``app.ingest.clean.apps``) and two
neighbouring classes: page markers and page-join notes, glued tone-marked pinyin, a site's notice about the
copy itself, a forum thread's furniture and replies, an online editor's panels. Every fixture is written
for this file, and each has a body sentence in the same words that must stay."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import clean_text
from app.ingest.describe.metadata import extract_metadata
from tests.helpers.clean import lines

TITLE = "在全市新时代文明实践工作推进会上的讲话"
PARA_A = "同志们，今年以来，全市新时代文明实践工作坚持以群众需求为导向，阵地建设不断完善，服务质效明显提升。"
PARA_B = "下一步，各区县、各部门要聚焦群众急难愁盼，推动文明实践常态化、项目化、品牌化，让文明新风吹进千家万户。"
CUT_A = "要建立健全志愿者激励回馈机制，对表现突出的个人和团队及时予以表彰，切实增强志愿者的荣"
CUT_B = "誉感和获得感，形成人人参与、人人共享的良好局面。"


def _clean(*middle: str) -> list[str]:
    return lines(clean_text("\n".join([TITLE, PARA_A, *middle, PARA_B])))


# --- page markers and page-join notes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "· 3 ·",
        "·7·",
        "• 12 •",
        "〔2/9〕",
        "【4/11】",
        "[3/5]",
        "［2／6］",
        "（未完，接第2页）",
        "（接第1页）",
        "（下转第3版）",
        "（上接第2版）",
        "(转第4版)",
        "（续第5页）",
        "（未完待续）",
    ],
)
def test_page_marker_goes_and_the_cut_sentence_joins(marker: str) -> None:
    out = _clean(CUT_A, marker, CUT_B)
    assert marker not in "\n".join(out)
    assert CUT_A + CUT_B in out


def test_page_marker_after_a_full_sentence_or_heading_joins_nothing() -> None:
    out = _clean("二、聚焦重点任务", "〔3/8〕", "要抓好阵地建设。", "（未完，接第4页）", "要抓好队伍建设。")
    assert "二、聚焦重点任务" in out and "要抓好阵地建设。" in out and "要抓好队伍建设。" in out


def test_page_words_in_a_sentence_stay() -> None:
    body = "本刊第3版刊发了（接第2页）的相关报道，请各单位对照〔2/9〕号文件抓好落实。"
    assert body in _clean(body)


# --- tone-marked pinyin --------------------------------------------------------------------------------


def test_glued_and_standalone_pinyin_goes() -> None:
    out = _clean("要深化文明实践shíjiàn，推进志愿zhìyuàn服务扎实开展。", "zhìyuàn fúwù")
    text = "\n".join(out)
    assert "要深化文明实践，推进志愿服务扎实开展。" in out
    assert "zhìyuàn" not in text and "shíjiàn" not in text and "fúwù" not in text


def test_plain_latin_words_stay() -> None:
    body = "要用好APP、iPhone等终端，GDP增长6.5%，PM2.5浓度下降，材料请以DOCX格式报送。"
    assert body in _clean(body)


# --- a site's notice about the copy itself -------------------------------------------------------------


@pytest.mark.parametrize(
    "notice",
    [
        "小编提示：本文共4页，已为您整理到一页阅读。",
        "温馨提示：全文共2页，已合并为一页显示。",
        "提示：本文档为扫描件识别文本，可能存在个别错字或多余空格。",
        "【阅读提示】本文为OCR识别结果，如有错别字请以原件为准。",
    ],
)
def test_copy_notice_goes(notice: str) -> None:
    assert notice not in _clean(notice)


def test_notice_in_the_body_stays() -> None:
    body = "提示：本文件所列事项须于3月底前办结，请各单位认真抓好落实。"
    assert body in _clean(body)


# --- forum threads -------------------------------------------------------------------------------------

THREAD = [
    "楼主",
    "云起时",
    "发表于 2024-3-2 10:11:12 | 只看该作者 | 倒序浏览",
    TITLE,
    PARA_A,
    PARA_B,
    "点评",
    "回复 举报",
    "签名：宁静致远，厚积薄发",
    "2#",
    "晓风残月",
    "发表于 2024-3-3 09:00:01 | 只看该作者",
    "写得真好，学习了！",
    "3楼",
    "笔耕不辍88",
    "发表于 2024-3-4 18:30 | 只看该作者",
    "求一份电子版，谢谢分享",
    "GMT+8, 2024-7-1 09:12 , Processed in 0.045 second(s), 19 queries .",
]


def test_forum_furniture_and_replies_go() -> None:
    out = lines(clean_text("\n".join(THREAD)))
    assert PARA_A in out and PARA_B in out
    text = "\n".join(out)
    for junk in ("点评", "回复 举报", "签名", "2#", "晓风残月", "发表于", "写得真好", "笔耕不辍88", "求一份", "GMT+8"):
        assert junk not in text, junk


def test_body_with_forum_words_stays_without_a_thread() -> None:
    body = "要及时回复群众留言，对举报线索逐一核查，发表于报刊的评论文章要严格把关。"
    assert body in _clean(body, "点评")


# --- online-office editors -----------------------------------------------------------------------------

OFFICE = [
    "某某文档",
    "王晓明 最后编辑于 4月2日 16:05　已自动保存",
    "目录",
    "一、深刻认识新时代文明实践的…",
    "二、扎实推进文明实践重点…",
    "收起目录",
    TITLE,
    "2024年3月28日",
    PARA_A,
    "一、深刻认识新时代文明实践的重要意义",
    PARA_B,
    "二、扎实推进文明实践重点任务",
    "要统筹各类阵地资源，做到一站多能、一室多用…",
    "第2/5页　字数：3120　适应宽度　90%",
    "评论（2）",
    "李明　3月29日 11:20",
    "第一部分建议压缩篇幅。",
    "赵倩　3月29日 15:02",
    "数据已核对。",
]


def test_office_interface_goes_and_the_title_is_the_real_one() -> None:
    cleaned = clean_text("\n".join(OFFICE))
    out = lines(cleaned)
    text = "\n".join(out)
    for junk in ("最后编辑于", "收起目录", "实践的…", "重点…", "字数", "评论", "李明", "建议压缩", "数据已核对"):
        assert junk not in text, junk
    assert "目录" not in out
    assert "一、深刻认识新时代文明实践的重要意义" in out and PARA_B in out
    assert "要统筹各类阵地资源，做到一站多能、一室多用…" in text  # no heading: not an outline entry
    assert extract_metadata(cleaned).title == TITLE


def test_office_words_in_the_body_stay() -> None:
    body = "各单位要在4月2日前完成数据更新，已保存的台账资料要及时上传，字数不少于2000字。"
    assert body in _clean(body)
