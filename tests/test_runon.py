"""Run-on text whose line breaks were lost (app/ingest/clean/runon.py and the paragraph split in layout.py): the
title block cut off the first paragraph, headings cut off the paragraph glued to them, glued page numbers gone —
raw text → clean_text → extract_metadata / prepare, one invented fixture per noise class."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import clean_text
from app.ingest.clean.runon import heading_end
from app.ingest.describe.metadata import extract_metadata
from app.ingest.pipeline import prepare
from app.ingest.read.formats import RawDoc
from app.structure import flatten

BODY = (
    "今天，我们召开全县文明城市创建推进会，主要任务是总结前段工作，部署下步任务。刚才，几个乡镇作了表态发言，"
    "我完全同意。下面，我讲两点意见。"
)


def _lines(raw: str) -> list[str]:
    return clean_text(raw).text.split("\n")


def _removed(raw: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for removal in clean_text(raw).removals:
        found.setdefault(removal.rule, []).append(removal.text)
    return found


def _headings(raw: str) -> list[str]:
    doc = prepare(RawDoc(raw, "txt", "utf-8", "runon.txt"))
    return [node.marker + node.heading for node, _ in flatten(doc.outline) if node.heading]


def test_title_glued_to_salutation_and_body() -> None:
    raw = f"副县长在2024年柳塘县文明城市创建推进会上的讲话同志们:{BODY}"
    assert _lines(raw)[:3] == ["副县长在2024年柳塘县文明城市创建推进会上的讲话", "同志们:", BODY]
    meta = extract_metadata(clean_text(raw))
    assert meta.title == "副县长在2024年柳塘县文明城市创建推进会上的讲话"  # never ``…讲话同志们:``
    assert meta.date == "2024"  # the title's year, when nothing better exists
    assert meta.body.startswith("同志们:")


def test_title_post_name_masked_date_and_salutation() -> None:
    raw = f"在柳塘县志愿服务月启动仪式上的讲话县委常委、宣传部长方志远(____年____月____日)同志们、____:大家好。{BODY}"
    assert _lines(raw)[:5] == [
        "在柳塘县志愿服务月启动仪式上的讲话",
        "县委常委、宣传部长方志远",
        "(____年____月____日)",
        "同志们、____:",
        f"大家好。{BODY}",
    ]
    meta = extract_metadata(clean_text(raw))
    assert (meta.title, meta.date) == ("在柳塘县志愿服务月启动仪式上的讲话", None)


def test_site_headline_repeated_before_the_documents_own_title() -> None:
    raw = (
        "志愿者在社区服务活动上的讲话发言范文\n"
        "志愿者在社区服务活动上的讲话发言范文在柳塘县志愿服务月启动仪式上的讲话同志们:"
        f"{BODY}"
    )
    meta = extract_metadata(clean_text(raw))
    assert meta.title == "在柳塘县志愿服务月启动仪式上的讲话"
    assert meta.body.startswith("同志们:")


def test_prompt_title_print_stamp_byline_and_body() -> None:
    raw = (
        "关注“柳塘公文公众号柳塘县文明创建经验交流发言摘编(3篇)柳塘日报(2023年11月23日 第05版)"
        "让城市更文明(1)(柳塘县委副书记 方志远)柳塘地处江南丘陵,因茶而闻名。我们坚持以人民为中心,持续深化文明创建。"
    )
    lines = _lines(raw)
    assert lines[:4] == [
        "柳塘县文明创建经验交流发言摘编(3篇)",
        "让城市更文明(1)",
        "(柳塘县委副书记方志远)",
        "柳塘地处江南丘陵,因茶而闻名。我们坚持以人民为中心,持续深化文明创建。",
    ]
    removed = _removed(raw)
    assert removed["chrome_line"] == ["关注“柳塘公文公众号"]
    assert removed["publish_date_line"] == ["柳塘日报(2023年11月23日第05版)"]  # spaces inside Chinese text go first
    meta = extract_metadata(clean_text(raw))
    assert meta.title == "柳塘县文明创建经验交流发言摘编(3篇)"  # a compilation's own count is part of its title
    assert meta.date == "2023-11-23"  # the day the paper printed the speech


def test_leading_date_stamp_glued_to_the_lead() -> None:
    raw = (
        "date 2024-05-16 5月16日，柳塘县召开文明城市创建推进会，部署冲刺阶段工作。县委书记方志远出席会议并讲话。\n"
        "会议强调，要对照测评体系逐项抓好整改。"
    )
    assert _lines(raw)[0].startswith("5月16日，柳塘县召开")
    assert _removed(raw)["publish_date_line"] == ["date 2024-05-16"]
    assert extract_metadata(clean_text(raw)).date == "2024-05-16"


@pytest.mark.parametrize(
    "raw",
    [
        "各位领导、同志们:\n" + BODY,  # a salutation of its own is not a title block
        "广大市民朋友们：\n" + BODY,  # nor is one with its addressees before the salutation word
        "在柳塘县文明城市创建推进会上的讲话（2019年5月9日）\n同志们：\n" + BODY,  # a title line with its date
        "会议传达了《柳塘县文明行为促进条例》（2023年修订）精神，要求各单位认真学习。",  # brackets in a sentence
    ],
)
def test_lines_without_a_glued_title_block_stay(raw: str) -> None:
    assert _lines(raw) == [line.strip() for line in raw.split("\n")]


HEADING_RUNS = [
    # the paragraph restates the heading's topic word
    ("认清形势、提高站位,坚决扛起防汛防旱政治责任防汛防旱事关人民群众生命财产安全,事关发展大局", 22),
    # an opening time phrase
    ("警钟长鸣,始终保持安全生产的高压态势近年来,全县安全生产形势逐渐好转,事故起数明显下降", 18),
    # 在 before a figure
    ("创建活动已被大多数市民知晓,而且绝大多数市民对这一活动持支持态度在被调查的600人中,有400人表示了解", 32),
]


@pytest.mark.parametrize(("text", "cut"), HEADING_RUNS)
def test_heading_end_follows_the_clause_pattern(text: str, cut: int) -> None:
    assert heading_end(text) == cut


@pytest.mark.parametrize(
    "text",
    [
        # a word said twice inside one clause is the heading's own wording, not a paragraph restating it
        "以创建文明城市为抓手推动文明城市建设提质增效,全面提升城市治理水平和市民文明素质,奋力开创新局面",
        # a later clause far shorter than the first: not the clause pattern of a heading
        "坚持以人民为中心的发展思想持续推动,文明创建成果更多更公平地惠及全体人民群众共享发展成果",
    ],
)
def test_heading_end_leaves_long_headings(text: str) -> None:
    assert heading_end(text) is None


def test_headings_glued_to_paragraphs_are_split_out() -> None:
    more = "我们必须从政治和全局的高度,充分认识做好这项工作的极端重要性,切实把各项措施落到实处。"
    raw = (
        "在全县安全生产工作会议上的讲话同志们:今天召开全县安全生产工作会议,主要任务是部署下步工作。下面,我讲两点意见。"
        f"一、认清形势、提高站位,坚决扛起安全生产政治责任安全生产事关人民群众生命财产安全,事关发展大局。{more}"
        f"近年来,全县安全生产形势总体平稳。(一)立足防大险,增强风险意识。从今年情况看,风险隐患依然不少。{more}"
        f"二、压实责任、强化监管,坚决守住安全生产底线红线安全生产关键在于落实责任,必须层层压实。{more}"
    )
    assert _headings(raw) == [
        "一、认清形势、提高站位,坚决扛起安全生产政治责任",
        "(一)立足防大险,增强风险意识",
        "二、压实责任、强化监管,坚决守住安全生产底线红线",
    ]


def test_heading_after_a_full_stop_in_a_spaced_run_is_split_once() -> None:
    raw = (
        "在全县安全生产工作会议上的讲话\n"
        + "县委、县政府决定召开这次会议,目的是全面推进安全生产月活动各项工作的开展,进一步安排部署全县安全生产工作。" * 5
        + "下面,我讲几点意见。 一、警钟长鸣,始终保持安全生产的高压态势 今年以来,全县安全生产的形势逐渐好转。"
    )
    assert _headings(raw) == ["一、警钟长鸣,始终保持安全生产的高压态势"]


def test_page_numbers_glued_into_a_heading_are_removed() -> None:
    page = "文明创建的过程,是统筹推动物质文明和精神文明协调发展的过程,我们始终坚持以人民为中心,系统谋划,整体推进。"
    raw = (
        f"1、在柳塘县文明创建经验交流会上的发言同志们:{page * 3}一、物\n"
        f"2、质精神并重,决胜全面小康。{page * 2}二、牢记为民初\n"
        f"3、心,共建共治共享。{page}"
    )
    assert _headings(raw) == ["一、物质精神并重,决胜全面小康", "二、牢记为民初心,共建共治共享"]
    assert "2、" not in clean_text(raw).text
