"""Slotting (app/mine/slots.py) and the shared tokenizer (app/text/tokenize.py)."""

from __future__ import annotations

import pytest

from app.mine import PhraseMiner
from app.mine.candidates import most_frequent
from app.mine.lexicon import load_lexicon, shared_tokenizer
from app.mine.parallel import Run, acceptable
from app.mine.slots import Slotter, compact_of, expand, find_names, tag_names
from app.text.tokenize import Tokenizer
from tests.mine_fixtures import make_document


@pytest.fixture(scope="module")
def slotter() -> Slotter:
    lexicon, tokenizer = load_lexicon(), shared_tokenizer()
    return Slotter(lexicon, tokenizer, names=["熊茂平"], places=["滨湖区"])


def template(slotter: Slotter, text: str) -> str:
    return slotter.slot(text, slotter.tokenizer.boundaries(text)).template


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("为谱写好中国式现代化大连篇章", "为谱写好中国式现代化{地名}篇章"),
        ("1月8日,全市精神文明建设表彰大会召开", "{日期},全市精神文明建设表彰大会召开"),
        ("总结2025年全市创城工作", "总结{年份}全市创城工作"),
        ("市文明委第三十次全委会", "市文明委第{数字}次全委会"),
        ("连续七届蝉联全国文明城市荣誉称号", "连续{数字}届蝉联全国文明城市荣誉称号"),
        ("熊茂平出席会议并讲话", "{人名}出席会议并讲话"),
        ("市委副书记李德新主持", "市委副书记{人名}主持"),  # a name known only from its title
        ("李平在主持会议时指出", "{人名}在主持会议时指出"),
        ("特别是市委杜书记的重要讲话", "特别是市委{人名}书记的重要讲话"),
        ("刚才,××同志宣读了表彰决定", "刚才,{人名}同志宣读了表彰决定"),
        ("市城管局、市住建局、市交通局等部门要担起责任", "{单位}、{单位}、{单位}等部门要担起责任"),
        ("奋力扛起滨湖担当", "奋力扛起{地名}担当"),  # the document's place, short form
        (
            "一体贯彻落实习近平总书记关于东北、辽宁及大连全面振兴的重要讲话",
            "一体贯彻落实习近平总书记关于{地名}、{地名}及{地名}全面振兴的重要讲话",
        ),
        ("《××市城中村现代化治理三年行动方案(2023—2025年)》", "《{地名}城中村现代化治理三年行动方案({年份})》"),
        ("下面,我讲三点意见", "下面,我讲{数字}点意见"),
    ],
)
def test_particulars_become_slots(slotter: Slotter, text: str, expected: str) -> None:
    assert template(slotter, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "坚持以习近平新时代中国特色社会主义思想为指导",  # 习近平 belongs to the fixed term
        "全面贯彻党的二十大和二十届历次全会精神",  # congress numbering is a name
        "深刻领悟两个确立的决定性意义，增强四个意识",  # numbered formulas keep their numbers
        "市委、市政府召开会议",  # leading bodies are not particulars
        "扩大连接",  # 大连 would cut two words apart
        "坚持邓小平理论",
        "一体推进、一系列",
    ],
)
def test_fixed_terms_and_words_are_never_slotted(slotter: Slotter, text: str) -> None:
    assert template(slotter, text) == text


def test_mask_before_a_fixed_term_is_restored(slotter: Slotter) -> None:
    assert (
        template(slotter, "深入学习贯彻××总书记关于精神文明建设的重要论述")
        == "深入学习贯彻习近平总书记关于精神文明建设的重要论述"
    )
    assert (
        template(slotter, "持续深化××新时代中国特色社会主义思想的学习")
        == "持续深化习近平新时代中国特色社会主义思想的学习"
    )
    assert template(slotter, "符合××实际") == "符合{地名}实际"


# Every form a document prints a masked name in (the cleaner keeps them verbatim; see app/text/masks.py).
MASK_FORMS = ["××", "×××", "×", "XX", "XXX", "xx", "X", "x", "**", "*", "＊", "＊＊", "_", "○○"]


@pytest.mark.parametrize("mask", MASK_FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚才，{m}同志就创城工作作了部署", "刚才，{人名}同志就创城工作作了部署"),
        ("请{m}书记牵头抓总", "请{人名}书记牵头抓总"),
        ("{m}副县长对汛期值守提出要求", "{人名}副县长对汛期值守提出要求"),
        ("由镇党委副书记{m}任组长", "由镇党委副书记{人名}任组长"),
        ("宣传部部长{m}出席并讲话", "宣传部部长{人名}出席并讲话"),
        ("推广{m}区网格治理的做法", "推广{地名}网格治理的做法"),
        ("{m}街道作表态发言", "{地名}作表态发言"),
        ("{m}局要牵头落实", "{单位}要牵头落实"),
        ("探索符合{m}实际的路子", "探索符合{地名}实际的路子"),
        ("用不到{m}个月完成整改", "用不到{数字}个月完成整改"),
        ("深入学习贯彻{m}总书记关于精神文明建设的重要论述", "深入学习贯彻习近平总书记关于精神文明建设的重要论述"),
        ("持续深化{m}新时代中国特色社会主义思想的学习", "持续深化习近平新时代中国特色社会主义思想的学习"),
    ],
)
def test_every_mask_form_becomes_a_slot(slotter: Slotter, mask: str, text: str, expected: str) -> None:
    assert template(slotter, text.format(m=mask)) == expected


@pytest.mark.parametrize("year", ["20XX年", "20xx年", "20××年", "××××年", "xxxx年", "XXXX年"])
def test_masked_year_becomes_the_year_slot(slotter: Slotter, year: str) -> None:
    assert template(slotter, f"{year}全县创城工作要点") == "{年份}全县创城工作要点"
    assert template(slotter, f"({year}3月9日)") == "({年份}{日期})"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X月X日，全县召开创城推进会", "{日期}，全县召开创城推进会"),
        ("5月xx日上午，全市召开创城推进会", "{日期}，全市召开创城推进会"),
        ("20XX年××月××日", "{年份}{日期}"),
    ],
)
def test_masked_date_is_one_date_slot(slotter: Slotter, text: str, expected: str) -> None:
    assert template(slotter, text) == expected


@pytest.mark.parametrize(
    "text",
    ["引进X光机两台", "采用x86架构的服务器", "推广iPhone X手机", "二○○五年以来", "二○二四年三月", "某某镇要抓好落实"],
)
def test_what_is_not_a_mask_is_not_slotted_as_one(slotter: Slotter, text: str) -> None:
    assert "{" not in template(slotter, text).replace("{数字}", "")  # x86 keeps its digits as a number slot


def test_most_frequent_surface_avoids_every_mask_form() -> None:
    for mask in ("××", "XX", "_", "**"):
        texts = {f"深入学习贯彻{mask}总书记重要讲话": 1, "深入学习贯彻习近平总书记重要讲话": 1}
        assert most_frequent(texts) == "深入学习贯彻习近平总书记重要讲话"
    assert most_frequent({"采用XX架构": 1, "采用x86架构": 1}) == "采用x86架构"  # x86 is no mask, XX is


@pytest.mark.parametrize("mask", ["××", "XX", "x", "**", "_"])
def test_parallel_run_with_a_mask_is_not_latin_text(slotter: Slotter, mask: str) -> None:
    run = Run((f"学习{mask}精神", "弘扬优良传统", "传承红色基因"), "、", 0, 0, "", 1.0)
    assert expand(acceptable(run, slotter, slotter.lexicon)) == "学习{地名}精神、弘扬优良传统、传承红色基因"
    latin = Run(("推广x86架构", "弘扬优良传统", "传承红色基因"), "、", 0, 0, "", 1.0)
    assert acceptable(latin, slotter, slotter.lexicon) == ""


def test_documents_masked_differently_share_one_entry() -> None:
    """Three sites mask the same kind of name three ways: one formulation, one transition, slotted."""
    opening = "刚才，{m}同志通报了全县文明实践站点建设情况。下面，我讲三点意见。"
    study = "要深入学习贯彻{m}总书记关于精神文明建设的重要论述。"
    documents = [
        make_document(
            n,
            "speech",
            [
                (1, "", "", "opening", ["同志们：", opening.format(m=mask)]),
                (1, "一、", "统一思想，提高站位", "significance", [study.format(m=mask)]),
            ],
        )
        for n, mask in enumerate(("XX", "××", "**"), start=1)
    ]
    phrases = PhraseMiner().fit(documents).phrases_
    transitions = {p.template: p for p in phrases if p.kind == "transition"}
    assert transitions["刚才，{人名}同志通报了全县文明实践站点建设情况。"].doc_frequency == 3
    formulations = {p.template: p for p in phrases if p.kind == "formulation"}
    restored = formulations["深入学习贯彻习近平总书记关于精神文明建设的重要论述"]
    assert restored.doc_frequency == 3
    for phrase in phrases:  # no raw mask left where a slot belongs
        assert not any(m in phrase.template for m in ("XX", "××", "**")), phrase.template


def test_compact_form_maps_back_to_the_source(slotter: Slotter) -> None:
    text = "省委副书记、市委书记熊茂平出席会议并讲话"
    slotted = slotter.slot(text)
    i = slotted.compact.index(compact_of("{人名}"))
    assert slotted.source_span(i, i + 1) == (10, 13)
    assert expand(slotted.compact) == slotted.template == "省委副书记、市委书记{人名}出席会议并讲话"
    assert compact_of(slotted.template) == slotted.compact


def test_find_names_reads_titles_and_speakers() -> None:
    lexicon, tokenizer = load_lexicon(), shared_tokenizer()
    texts = ["市委副书记、市长、市文明委主任陈绍旺,市人大常委会主任王启尧出席", "区委书记孙海东强调"]
    names = find_names(texts, lexicon, tokenizer, speakers=["胡玉亭"])
    assert names == {"陈绍旺", "王启尧", "孙海东", "胡玉亭"}


def test_tag_names_uses_nr_only_for_unknown_names() -> None:
    lexicon, tokenizer = load_lexicon(), shared_tokenizer()
    assert expand(tag_names("市委副书记、政法委书记刘宏参加", lexicon, tokenizer)) == "市委副书记、政法委书记{人名}参加"
    # jieba tags 文明 as nr, but it is a dictionary word
    assert tag_names("统筹推动文明培育、文明实践", lexicon, tokenizer) == "统筹推动文明培育、文明实践"


def test_tokenizer_keeps_lexicon_terms_whole() -> None:
    tokenizer = Tokenizer()
    assert "习近平新时代中国特色社会主义思想" in tokenizer.cut("坚持以习近平新时代中国特色社会主义思想为指导")
    assert "两个确立" in tokenizer.cut("深刻领悟两个确立的决定性意义")
    assert tokenizer.boundaries("统筹推动") == [0, 2, 4]
    assert tokenizer.has_word("与时俱进") and not tokenizer.has_word("久久为功")
    assert tokenizer.word_freq("领导") > 10_000 and tokenizer.word_freq("守正") == 0
    assert tokenizer.cut_many(["走深走实", "见行见效"]) == [tokenizer.cut("走深走实"), tokenizer.cut("见行见效")]
