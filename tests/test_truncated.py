"""Truncated copies (previews, paywalled excerpts, 节选) are flagged at ingest and kept out of the skeleton miner."""

from __future__ import annotations

import pytest

from app.ingest.describe.truncation import truncation
from app.ingest.pipeline import prepare
from app.ingest.read.formats import RawDoc
from app.mine.skeletons import mine_skeletons
from app.mine.types import from_prepared

OPENING = "同志们：\n今天召开全县文明城市创建工作推进会，主要任务是总结前段工作，安排部署下一阶段任务。"
PART_ONE = "一、提高站位，增强创建工作的责任感\n创建文明城市是提升城市品位的有效载体，各级各部门要高度重视。"
PART_TWO = "二、突出重点，扎实推进各项创建任务\n要抓好背街小巷整治，抓好农贸市场规范管理，抓好公益广告宣传。"
PART_THREE = "三、强化保障，确保创建工作取得实效\n要健全责任体系，严格督查考核，形成齐抓共管的工作格局。"
CLOSING = "同志们，创建工作任重道远，让我们以更加务实的作风，推动创建工作再上新台阶！"
TITLE = "在全县文明城市创建工作推进会上的讲话"


def _doc(*parts: str) -> str:
    return "\n".join([TITLE, *parts])


def _raw(text: str) -> RawDoc:
    return RawDoc(text=text, fmt="txt", encoding="utf-8", filename="x.txt")


WHOLE = _doc(OPENING, "下面，我讲三点意见。", PART_ONE, PART_TWO, PART_THREE, CLOSING)


def test_whole_speech_is_not_truncated() -> None:
    assert prepare(_raw(WHOLE)).truncated is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (_doc(OPENING, PART_ONE, PART_TWO, "展开全文"), "cutoff: 展开全文"),
        (_doc(OPENING, PART_ONE, "（未完，全文共3200字，当前显示600字）"), "cutoff: 未完"),
        (_doc(OPENING, PART_ONE, PART_TWO, "点击阅读余下全文"), "cutoff: 余下全文"),
        ("在全县文明城市创建工作推进会上的讲话（节选）\n" + "\n".join([OPENING, PART_ONE, CLOSING]), "excerpt: 节选"),
        (_doc(OPENING, "下面，我讲三点意见。", PART_ONE, PART_TWO), "parts: 2/3"),
    ],
)
def test_cut_off_copies_are_flagged_with_their_reason(text: str, reason: str) -> None:
    assert prepare(_raw(text)).truncated == reason


def test_a_paragraph_cut_mid_sentence_is_truncated() -> None:
    cut = _doc(OPENING, PART_ONE, "二、突出重点，扎实推进各项创建任务\n要抓好背街小巷整治，抓好农贸市场")
    assert (prepare(_raw(cut)).truncated or "").startswith("mid-sentence")


@pytest.mark.parametrize(
    "tail",
    [
        "（未完，接第2页）",  # a paged export: the text goes on in the same file
        "打开APP 阅读全文",  # an app button under a whole article
        "报：市委、市政府主要领导，市创建指挥部领导",  # a 公文's distribution list ends without 。
        "谢谢大家",
    ],
)
def test_what_only_looks_like_a_cut_is_not(tail: str) -> None:
    assert truncation(TITLE, "\n".join([OPENING, CLOSING, tail]), [], ()) is None


def test_a_notice_the_cleaner_removed_still_counts() -> None:
    assert (
        truncation(TITLE, f"{OPENING}\n{CLOSING}", ["相关推荐\n试读结束，开通会员下载全文"], ()) == "cutoff: 试读结束"
    )


def test_a_sentence_mentioning_the_full_text_is_no_cutoff() -> None:
    sentence = "各单位要组织干部认真阅读全文，深刻领会文件精神，结合实际抓好贯彻落实，确保各项部署落地见效。"
    body = f"{OPENING}\n{sentence}\n{CLOSING}"
    assert truncation(TITLE, body, [], ()) is None


def test_ingest_report_and_outline_say_truncated() -> None:
    doc = prepare(_raw(_doc(OPENING, PART_ONE, PART_TWO, "展开全文")))
    assert doc.notes() == ("truncated (cutoff: 展开全文)",)


def test_skeleton_miner_skips_truncated_documents() -> None:
    whole = from_prepared(1, prepare(_raw(WHOLE)))
    preview = from_prepared(2, prepare(_raw(_doc(OPENING, PART_ONE, PART_TWO, "展开全文"))))
    assert preview.truncated and not whole.truncated
    mined = mine_skeletons([whole, preview])
    assert mined, "the whole speech still gives a skeleton"
    assert all(occ.document_id == 1 for phrase in mined for occ in phrase.occurrences)
