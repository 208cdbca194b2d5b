"""Readers for html and markdown: page chrome, titles, charsets, markdown syntax and front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.pipeline import prepare
from app.ingest.read.formats import read_bytes, read_path
from app.ingest.read.markdown import split_front_matter
from tests.helpers.readers import SPEECH, write

# --- html and markdown -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>关于做好春节期间安全工作的通知_某某市人民政府</title>
<style>p {{ color: red; }}</style><script>var 统计 = "不要这段脚本";</script></head>
<body>
<header><a href="/">首页</a></header>
<nav><ul><li>政务公开</li><li>办事服务</li></ul></nav>
<div class="content">
  <p>各区县人民政府，市政府各部门：</p>
  <p>为做好春节期间安全工作，
     现将有关事项通知如下。</p>
  <p>一、加强组织领导<br>二、强化隐患排查</p>
  <ul><li>落实值班制度</li><li>做好应急准备</li></ul>
  <table><tr><th>单位</th><th>联系电话</th></tr><tr><td>市应急管理局</td><td>12345</td></tr></table>
</div>
<aside>相关阅读</aside>
<footer>版权所有 某某市人民政府</footer>
</body></html>
"""


def test_html_with_meta_gbk_drops_chrome_and_puts_title_first(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "notice.html", PAGE.encode("gbk")))
    assert doc.encoding == "gbk"
    assert doc.fmt == "html"
    assert doc.text.split("\n") == [
        "关于做好春节期间安全工作的通知_某某市人民政府",
        "各区县人民政府，市政府各部门：",
        "为做好春节期间安全工作，现将有关事项通知如下。",
        "一、加强组织领导",
        "二、强化隐患排查",
        "落实值班制度",
        "做好应急准备",
        "单位\t联系电话",
        "市应急管理局\t12345",
    ]


def test_html_title_not_repeated_when_h1_is_in_body() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>某某市人民政府门户网站</title></head><body><h1>关于开展安全生产大检查的通知</h1>"
        "<p>各乡镇人民政府，县直各单位：现将有关事项通知如下。</p></body></html>"
    )
    doc = read_bytes(page.encode("gb2312"), "a.htm")
    assert doc.text == "关于开展安全生产大检查的通知\n各乡镇人民政府，县直各单位：现将有关事项通知如下。"
    assert doc.encoding == "gbk"


def test_html_with_wrong_meta_charset_still_decodes() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>' + SPEECH + "</p></body></html>"
    doc = read_bytes(page.encode("gbk"), "a.html")
    assert doc.encoding == "gbk"
    # a source line break between two Chinese characters renders as nothing (CSS Text 3)
    assert doc.text == SPEECH.replace("\n", "")


def test_html_declaring_gbk_but_saved_as_utf8() -> None:
    page = '<html><head><meta charset="gbk"></head><body><p>在全市经济工作会议上的讲话，同志们好。</p></body></html>'
    doc = read_bytes(page.encode("utf-8"), "a.html")
    assert (doc.text, doc.encoding) == ("在全市经济工作会议上的讲话，同志们好。", "utf-8")


def test_html_title_with_site_suffix_not_repeated_when_body_has_it() -> None:
    page = (
        "<html><head><title>关于开展安全生产大检查的通知 - 某某县人民政府</title></head><body>"
        '<p class="title">关于开展安全生产大检查的通知</p><p>各乡镇人民政府，县直各单位。</p>'
        "<p>某某县人民政府</p></body></html>"
    )
    doc = read_bytes(page.encode("utf-8"), "a.html")
    assert doc.text == "关于开展安全生产大检查的通知\n各乡镇人民政府，县直各单位。\n某某县人民政府"


def test_big5_html_without_meta() -> None:
    page = "<html><body><h1>精神文明建設會議上的講話稿</h1><p>同志們：這次會議的主要任務是部署工作。</p></body></html>"
    doc = read_bytes(page.encode("big5"), "a.html")
    assert (doc.text, doc.encoding) == ("精神文明建設會議上的講話稿\n同志們：這次會議的主要任務是部署工作。", "big5")


def test_markdown_syntax_is_stripped() -> None:
    md = (
        "# 在全市经济工作会议上的讲话\n\n"
        "## 一、**总体**要求\n"
        "- 坚持[党的全面领导](https://example.gov.cn)\n"
        "![会议现场](photo.png)\n"
        "> 引用：__高质量发展__是首要任务\n"
        "1. 第一条保持不变\n"
        "姓名：______\n"
    )
    doc = read_bytes(md.encode("utf-8"), "speech.md")
    assert doc.fmt == "md"
    assert doc.text == (
        "在全市经济工作会议上的讲话\n\n"
        "一、总体要求\n"
        "坚持党的全面领导\n"
        "\n"
        "引用：高质量发展是首要任务\n"
        "1. 第一条保持不变\n"
        "姓名：______\n"
    )


# --- markdown front matter ---------------------------------------------------------------------

NOTE_BODY = (
    "同志们：\n\n"
    "今天我们召开全市文明城市创建工作推进会，主要任务是总结前一阶段工作，部署下一阶段任务。\n\n"
    "## 一、充分肯定成绩\n\n"
    "全市上下坚持以人民为中心，扎实推进各项创建工作，城市面貌明显改善。\n"
)
NOTE = (
    "---\n"
    'title: "在全市文明城市创建工作推进会上的讲话"\n'
    "Date: 2024-03-05 # 会议当天\n"
    "tags:\n"
    "  - 讲话\n"
    "  - 文明城市\n"
    "author: 市委办公室\n"
    "draft: false\n"
    "---\n\n" + NOTE_BODY
)


def test_front_matter_fields_are_split_off() -> None:
    fields, body = split_front_matter(NOTE)
    assert fields == {
        "title": "在全市文明城市创建工作推进会上的讲话",
        "date": "2024-03-05",
        "tags": "",
        "author": "市委办公室",
        "draft": "false",
    }
    assert body == "\n" + NOTE_BODY
    assert split_front_matter("---\ntitle: 讲话\n...\n正文") == ({"title": "讲话"}, "正文")  # YAML's own end marker
    assert split_front_matter("---\n---\n正文") == ({}, "正文")  # Jekyll's empty front matter


def test_markdown_front_matter_is_dropped_and_its_title_goes_first() -> None:
    doc = read_bytes(NOTE.encode("utf-8"), "笔记.md")
    lines = doc.text.split("\n")
    assert lines[:3] == ["在全市文明城市创建工作推进会上的讲话", "", "同志们："]
    for leftover in ("title", "date", "2024-03-05", "tags", "市委办公室", "draft", "---"):
        assert leftover not in doc.text
    assert "一、充分肯定成绩" in lines


def test_front_matter_title_becomes_the_document_title() -> None:
    meta = prepare(read_bytes(NOTE.encode("utf-8"), "笔记.md")).metadata
    assert (meta.title, meta.kind) == ("在全市文明城市创建工作推进会上的讲话", "speech")


def test_front_matter_title_is_not_repeated_when_the_body_has_it() -> None:
    md = "---\ntitle: 关于开展安全生产大检查的通知\n---\n# 关于开展安全生产大检查的通知\n\n各乡镇，县直各单位：\n"
    doc = read_bytes(md.encode("utf-8"), "a.md")
    assert doc.text == "关于开展安全生产大检查的通知\n\n各乡镇，县直各单位：\n"


def test_front_matter_with_windows_line_endings_and_a_latin_title() -> None:
    md = "---\r\ntitle: meeting-notes-2024\r\nlayout: post\r\n---\r\n" + NOTE_BODY.replace("\n", "\r\n")
    doc = read_bytes(md.encode("utf-8"), "a.md")
    assert doc.text.startswith("同志们：\n")  # a slug is no title for a Chinese document: dropped with the block
    assert "meeting-notes" not in doc.text and "layout" not in doc.text


@pytest.mark.parametrize(
    "md",
    [
        "---\n同志们：\n今天我们召开全市文明城市创建工作推进会。\n---\n下面，我讲三点意见。\n",  # prose between rules
        "---\ntitle: 讲话\n同志们：今天我们召开全市文明城市创建工作推进会。\n",  # never closed
        "\n---\ntitle: 讲话\n---\n同志们：今天我们召开全市文明城市创建工作推进会。\n",  # not on the first line
    ],
    ids=["prose-between-rules", "unclosed", "not-at-top"],
)
def test_a_rule_that_does_not_open_front_matter_keeps_the_text_around_it(md: str) -> None:
    fields, body = split_front_matter(md)
    assert (fields, body) == ({}, md)
    kept = [line for line in md.split("\n") if line and line != "---"]
    assert [line for line in read_bytes(md.encode("utf-8"), "a.md").text.split("\n") if line] == kept


def test_a_rule_later_in_the_document_is_not_front_matter() -> None:
    md = NOTE_BODY + "\n---\n\ntitle: 这一行是正文\n\n---\n\n二、明确重点任务\n"
    text = read_bytes(md.encode("utf-8"), "a.md").text
    assert "title: 这一行是正文" in text and "二、明确重点任务" in text and "---" not in text
