"""The structural backstop for chrome after a document's last sentence."""

from __future__ import annotations

from app.ingest.clean.tail import is_prose, is_signoff, trim_tail


def test_furniture_after_the_last_sentence_goes_and_sign_offs_stay() -> None:
    lines = [
        "会议强调，要坚持常态长效，巩固创建成果。",
        "各县区、市直有关单位主要负责同志参加会议。",
        "【打印本页】【关闭窗口】",
        "本站推荐 · 我市开展志愿服务月活动",
        "临河市精神文明建设委员会办公室",
        "2024年6月3日",
        "主办单位：临河市人民政府办公室",
    ]
    kept, dropped = trim_tail(lines)
    assert kept == [*lines[:2], "临河市精神文明建设委员会办公室", "2024年6月3日"]
    assert dropped == [
        "【打印本页】【关闭窗口】",
        "本站推荐 · 我市开展志愿服务月活动",
        "主办单位：临河市人民政府办公室",
    ]


def test_a_body_without_chrome_is_untouched() -> None:
    lines = ["同志们：", "今天我们召开全市文明城市创建推进会。", "谢谢大家！"]
    assert trim_tail(lines) == (lines, [])


def test_prose_and_sign_off_shapes() -> None:
    assert is_prose("这是一个很长的句子但是没有句号因为它被截断了而且它的长度已经超过了四十个汉字的门槛所以算作正文")
    assert not is_prose("分享到： 微信 微博")
    assert is_signoff("共青团云岭市委") and is_signoff("（2024年6月3日）")
    assert not is_signoff("版权所有：云岭市人民政府办公室")


def test_a_preview_cut_mid_sentence_keeps_its_last_heading_and_fragment() -> None:
    lines = ["一、坚持不懈地开展思想道德建设", "思想道德建设是一项基础性、根本性的建设，道德力量是经", "下载全文"]
    assert trim_tail(lines) == (lines[:2], ["下载全文"])
