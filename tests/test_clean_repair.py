"""Repair of corrupted copies: lost 《》 and “” put back where unambiguous, mojibake re-decoded or flagged."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import clean_text
from app.ingest.clean.repair import repair_text


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("认真学习?习近平关于精神文明建设论述摘编》，", "认真学习《习近平关于精神文明建设论述摘编》，"),
        ("认真学习 习近平关于精神文明建设论述摘编》，", "认真学习《习近平关于精神文明建设论述摘编》，"),
        ("贯彻落实？中华人民共和国民法典？，依法推进", "贯彻落实《中华人民共和国民法典》，依法推进"),
        ("对照《全国文明城市测评体系?查漏补缺", "对照《全国文明城市测评体系》查漏补缺"),
        ("争创?全国文明城市”称号", "争创“全国文明城市”称号"),
        ("夺取“全国文明城市?称号。", "夺取“全国文明城市”称号。"),
    ],
)
def test_lost_marks_are_put_back_when_the_pair_is_unambiguous(text: str, fixed: str) -> None:
    repaired = repair_text(text)
    assert repaired.text == fixed
    assert repaired.repairs and repaired.repairs[0].after in fixed


@pytest.mark.parametrize(
    "text",
    [
        "这是为什么?大家要思考。",  # a real question mark
        "你们说怎么办？我们要迎难而上。",
        "《中华人民共和国民法典》已经施行?",  # the pair is whole already
        "他问：“创建工作难不难？”大家说不难。",  # ？ inside a closed quote
        "学习 习近平总书记重要讲话精神",  # a blank with no 》 to pair with
    ],
)
def test_ambiguous_question_marks_and_blanks_stay(text: str) -> None:
    assert repair_text(text).text == text
    assert repair_text(text).repairs == ()


def test_utf8_read_as_cp1252_is_redecoded() -> None:
    garbled = "“文明实践".encode().decode("cp1252")  # â€œæ–‡æ˜Ž…: UTF-8 bytes shown in Windows-1252
    repaired = repair_text(f"会议强调{garbled}")
    assert repaired.text == "会议强调“文明实践"


def test_utf8_read_as_latin1_is_redecoded() -> None:
    garbled = "创建文明城市".encode().decode("latin-1")  # 创建文明城市 as UTF-8 bytes shown in Latin-1
    repaired = repair_text(f"全力{garbled}工作")
    assert repaired.text == "全力创建文明城市工作"
    assert [r.rule for r in repaired.repairs] == ["mojibake"]


def test_utf8_read_as_gbk_is_redecoded_where_the_bytes_round_trip() -> None:
    garbled = "推进文明实践工作".encode().decode("gbk")
    repaired = repair_text(f"会议要求：{garbled}。")
    assert repaired.text == "会议要求：推进文明实践工作。"


def test_mojibake_that_lost_bytes_is_flagged_not_changed() -> None:
    garbled = "创建文明城市，推动发展".encode().decode("gbk", errors="replace")
    for text in (f"会议指出：{garbled}。", "会议指出锟斤拷锟斤拷要求"):
        repaired = repair_text(text)
        assert repaired.text == text
        assert [r.rule for r in repaired.repairs] == ["mojibake_flagged"]


def test_rare_characters_of_real_text_are_not_mojibake() -> None:
    assert repair_text("涓涓细流汇成大海，点滴善举温暖人心。").repairs == ()


def test_clean_text_records_the_repairs() -> None:
    cleaned = clean_text("在全市文明城市创建推进会上的讲话\n同志们：\n要对照?全国文明城市测评体系》逐项整改。")
    assert "《全国文明城市测评体系》" in cleaned.text
    assert [r.rule for r in cleaned.repairs] == ["title_marks"]
