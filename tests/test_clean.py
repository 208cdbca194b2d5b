"""Tests for the cleaner: one focused test per rule on a fixture written for it (tests/data/noise/),
then end-to-end checks on the five bundled seed documents (corpus/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.clean import inline as il
from app.ingest.clean.document import Cleaned, Removal, clean_text
from app.ingest.dedupe import content_key, fingerprint
from app.text.masks import find_masks, has_mask, strip_masks
from tests.helpers.clean import NOISE, lines, load, removed

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def seed(prefix: str) -> Cleaned:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return clean_text(path.read_text(encoding="utf-8"))


# --- API ----------------------------------------------------------------------------------------------


def test_api_shapes() -> None:
    cleaned = clean_text("分享至\n  标题\n\n\n　　正文第一段。\n")
    assert isinstance(cleaned, Cleaned)
    assert cleaned.text == "标题\n正文第一段。"
    assert cleaned.removals == (Removal("chrome_line", "分享至"),)
    with pytest.raises(AttributeError):
        cleaned.text = "x"  # type: ignore[misc]


def test_empty_and_chrome_only_input() -> None:
    assert clean_text("") == Cleaned("", ())
    assert clean_text("\n \n\u3000\n").text == ""
    assert clean_text("分享至\n0\n回到顶部").text == ""


def test_indentation_stripped_and_blank_lines_removed() -> None:
    cleaned = clean_text("\r\n　　第一段文字。\r\n\r\n\u00a0\u00a0第二段文字。\r\n\t第三段。")
    assert lines(cleaned) == ["第一段文字。", "第二段文字。", "第三段。"]


def test_width_normalised_but_chinese_punctuation_kept() -> None:
    cleaned = clean_text("２０２５年，全市ＧＤＰ增长５％。")
    assert cleaned.text == "2025年，全市GDP增长5%。"


# --- line rules ---------------------------------------------------------------------------------------


def test_publish_date_and_meta_lines_are_kept_in_removals() -> None:
    cleaned = load("gov_portal_report.txt")
    assert removed(cleaned)["publish_date_line"] == ["发布时间:2023-03-16 09:30 文字大小: [ ] 浏览次数:"]
    county = removed(load("county_news.txt"))
    assert county["publish_date_line"] == ["时间:2019-05-08"]
    assert county["source_line"] == ["作者:李四", "来源:未知"]


@pytest.mark.parametrize(
    "line",
    [
        "2025-04-02",
        "2025-08-23 10:09:18",
        "21.09.2015  12:04",
        "青川日报 2022-10-12 08:15",
        "更新时间:2025-10 来源:网友投稿",
    ],
)
def test_publish_date_line_variants(line: str) -> None:
    cleaned = clean_text(
        f"全市文明创建工作会议召开\n{line}\n会议要求,各级各部门要压实责任,推动文明创建工作取得新成效。"
    )
    assert removed(cleaned)["publish_date_line"] == [line]
    assert line not in cleaned.text


def test_speech_date_in_parentheses_is_not_chrome() -> None:
    cleaned = clean_text("在全市文明创建大会上的讲话\n(2023年5月9日)\n同志们:\n今天我们召开大会。")
    assert lines(cleaned)[1] == "(2023年5月9日)"


def test_doc_meta_lines() -> None:
    got = removed(load("docshare_preview.txt"))
    assert got["doc_meta_line"] == ["上传人:ab***z 文档编号:123456 上传时间:2024-03-02 格式:DOCX 页数:5 大小:18.5KB"]
    assert removed(load("hard_wrapped.txt"))["doc_meta_line"] == ["2024-06-18 999+ 21.40KB 9 页 海报"]


def test_photo_captions_after_body() -> None:
    cleaned = load("county_news.txt")
    got = removed(cleaned)
    assert got["photo_caption"] == ["会议现场", "活动颁奖"]
    # a caption that repeats the start of the next paragraph is a teaser of it
    assert got["teaser_prefix"] == ["市委常委、宣传部部长王五讲话"]
    assert lines(cleaned)[2].startswith("市委常委、宣传部部长王五讲话。她指出")


def test_bare_marker_line() -> None:
    cleaned = load("ad_duplicates.txt")
    assert removed(cleaned)["bare_marker_line"] == ["(一):"]
    assert lines(cleaned)[:2] == ["文明城市创建表彰大会讲话", "同志们:"]
    joined = clean_text("标题\n同志们:\n今天开会,讲两点意见。\n(一)\n提高认识\n要把思想统一到决策部署上来。")
    assert "(一)提高认识" in lines(joined)


# --- inline rules -------------------------------------------------------------------------------------


def test_paywall_inline_notice() -> None:
    cleaned = load("paywall_preview.txt")
    assert removed(cleaned)["paywall_notice"] == ["……(某某文库www.example.com此处省略800字。不往下看了,点击下载全文)……"]
    assert "此处省略" not in cleaned.text


def test_page_counter_glued_to_paragraph() -> None:
    cleaned = load("run_together.txt")
    assert removed(cleaned)["page_counter"] == ["第1 页共 2页"]
    assert cleaned.text.endswith("切实解决群众反映强烈的突出问题。")


def test_word_count_after_title() -> None:
    cleaned = clean_text("在全县文明创建推进大会上的讲话(4200字)\n同志们:\n今天开会。")
    assert lines(cleaned)[0] == "在全县文明创建推进大会上的讲话"
    assert removed(cleaned)["word_count"] == ["(4200字)"]


def test_bracket_notices_and_gloss_site_meta() -> None:
    cleaned = load("gloss_site.txt")
    got = removed(cleaned)
    assert got["bracket_notice"] == ["【文章共5200字,精选参考范文,仅供学习借鉴】"]
    assert got["source_line"][0].startswith("【以稿换稿】【收藏】 作者: 佚名")
    assert got["chrome_line"] == ["用户"]
    assert "【" not in cleaned.text


def test_obfuscation_glosses() -> None:
    cleaned = load("gloss_site.txt")
    assert removed(cleaned)["obfuscation_gloss"] == ["(一个服务大众的职务,一个组织的首领)", "(单字替换)"]
    assert "第一,要用长远眼光看待文明创建。强调,文明创建要久久为功" in cleaned.text


def test_spam_token() -> None:
    cleaned = load("spam_substitution.txt")
    assert removed(cleaned)["spam_token"] == ["bet365体育_bet365官网_bet365在线娱乐平台"]
    assert lines(cleaned)[0].startswith("5月8日,区人大常委会主任李国强率队调研")


def test_spam_token_leaves_ordinary_underscores_and_words() -> None:
    text, _, got = il.spam_token("文件名report_2023_final很正常", "文件名report_2023_final很正常")
    assert got == [] and text == "文件名report_2023_final很正常"


def test_pinyin_glosses_removed_in_traditional_text() -> None:
    cleaned = load("pinyin_traditional.txt")
    got = removed(cleaned)["pinyin_gloss"]
    assert "(chuàng)" in got and "(xué)" in got and "(qū)" in got
    assert "(" + "huì" + ")" not in cleaned.text
    out = lines(cleaned)
    assert out[2] == "這次會議的主要任務是學習貫徹全省文明城市創建工作會議精神,總結去年工作,部署今年任務。"
    # real parentheticals stay
    assert "各區縣(開放先導區)" in out[3] and "(2023—2025年)" in out[3] and "黨委(黨組)" in out[3]


def test_plain_pinyin_only_removed_in_a_text_with_toned_glosses() -> None:
    assert il.pinyin_gloss("会议(hui)", "会议(hui)")[0] == "会议(hui)"
    assert il.pinyin_gloss("会议(hui)", "会议(hui)", lenient=True)[0] == "会议"
    assert il.pinyin_gloss("文件(app)", "文件(app)", lenient=True)[0] == "文件(app)"


def test_title_variants_and_duplicates() -> None:
    cleaned = load("pinyin_traditional.txt")
    got = removed(cleaned)
    assert got["title_variant"] == ["(2)", "篇2"]
    assert len(got["duplicate_line"]) == 2
    assert lines(cleaned)[:2] == ["文明城市創建工作會議上的講話稿", "同志們:"]
    trad = load("copyright_footer.txt")
    assert lines(trad)[0] == "青川市召開新時代文明實踐工作推進會" and lines(trad)[1].startswith("5月20日")


def test_teaser_prefix_and_title_prefix() -> None:
    cleaned = load("run_together.txt")
    got = removed(cleaned)
    assert got["teaser_prefix"][0].endswith("全力以")
    assert got["title_prefix"] == ["2025年全区文明创建动员会讲话稿"]
    assert lines(cleaned)[:3] == ["2025年全区文明创建动员会讲话稿", "各位领导、同志们:", "大家好!"]


def test_title_running_on_as_a_sentence_is_kept() -> None:
    cleaned = clean_text("全市文明创建工作会议召开\n全市文明创建工作会议召开,会议总结了去年工作,部署了今年任务。")
    assert lines(cleaned)[1] == "全市文明创建工作会议召开,会议总结了去年工作,部署了今年任务。"


def test_doubled_title_and_salutation_split() -> None:
    cleaned = load("docshare_pages.txt")
    assert removed(cleaned)["doubled_title"] == ["在文明实践工作会上的讲话"]
    assert lines(cleaned)[:3] == ["在文明实践工作会上的讲话", "同志们:", lines(cleaned)[2]]
    assert lines(cleaned)[2].startswith("刚才,县文明办通报了")


# --- page markers, wrapping, paragraphs ---------------------------------------------------------------


def test_page_markers_rejoin_split_words() -> None:
    cleaned = load("docshare_pages.txt")
    assert removed(cleaned)["page_marker"] == ["1、", "2、", "3、"]
    assert "推动文明实践走深走实。" in cleaned.text
    assert "各乡镇、各部门,要结合实际打造特色服务项目" in cleaned.text
    assert "2、" not in cleaned.text and "3、" not in cleaned.text


def test_page_markers_before_a_new_paragraph() -> None:
    cleaned = load("docshare_preview.txt")
    assert removed(cleaned)["page_marker"] == ["1、", "2、"]
    assert lines(cleaned)[0] == "县委在文明创建工作会议上的讲话"
    assert "必须以更大的决心和力度推动创建工作再上新台阶;" in cleaned.text


@pytest.mark.parametrize(
    "text",
    [
        "工作要求\n各地要做到:\n1、加强组织领导\n2、强化督导检查\n3、严格考核问责",
        "工作要求\n1、要加强组织领导,把文明创建摆上重要议事日程,主要负责同志要亲自抓、负总责,形成一级抓一级的工作格局。\n"
        "2、要强化督导检查,定期通报工作进展,对工作不力的单位及时约谈,确保各项任务按时保质完成。",
    ],
)
def test_real_numbered_list_is_left_alone(text: str) -> None:
    cleaned = clean_text(text)
    assert "page_marker" not in removed(cleaned)
    assert any(line.startswith("2、") for line in lines(cleaned))


def test_hard_wrap_joined_into_paragraphs() -> None:
    out = lines(load("hard_wrapped.txt"))
    assert out[:4] == ["在全市文明城市创建工作总结表彰大会上的讲话", "王建国", "(20XX年3月9日)", "同志们:"]
    assert out[4].startswith("市委、市政府召开文明城市创建工作总结表彰大会,主要任务是回顾总结")
    assert out[4].endswith("社会各界人士表示衷心的感谢!")
    assert out[5] == "刚才,XX同志作了工作报告,讲得很全面,我完全赞同。下面,我再讲两点意见。"
    assert out[6] == "一、充分肯定创建工作取得的显著成绩"
    assert len(out) == 8


def test_no_joining_in_an_ordinary_document() -> None:
    text = "关于文明创建的讲话\n一、提高认识统一思想凝聚起推进文明城市创建的强大合力\n" + "\n".join(
        f"第{n}段正文内容比较长,但是它以句号结束,不应该被拼接到下一段里面去。" for n in "一二三四"
    )
    assert len(lines(clean_text(text))) == 6


def test_leading_punctuation_joins_previous_line() -> None:
    cleaned = clean_text("标题\n要提高认识,形成合力\n,让城市更加美好。")
    assert lines(cleaned) == ["标题", "要提高认识,形成合力,让城市更加美好。"]


def test_space_separated_paragraphs_split() -> None:
    out = lines(load("run_together.txt"))
    assert out[3].startswith("今天,我们召开全区文明创建动员大会") and out[3].endswith("下面,我讲两点意见:")
    assert out[4] == "一、提高站位,充分认识文明创建的重要意义"
    assert out[5].startswith("文明创建是提升城市品质的有力抓手")
    assert out[6] == "二、突出重点,扎实推进各项创建任务"
    assert "全力以赴打好" in out[3] and "强烈的突出问题" in out[7]


def test_run_on_headings_get_their_own_line() -> None:
    out = lines(load("docshare_pages.txt"))
    assert [line[:2] for line in out[3:6]] == ["一、", "二、", "三、"]


# --- spacing and masks --------------------------------------------------------------------------------


def test_spaces_between_chinese_characters_removed() -> None:
    assert clean_text("郑 建 新").text == "郑建新"
    assert clean_text("向大家表示衷 心的感谢!创文明城 市动员会").text == "向大家表示衷心的感谢!创文明城市动员会"
    latin = "会议通过 Made in China 2025 计划,时间 2022-02-25 00:36"
    assert clean_text(latin).text == "会议通过Made in China 2025计划,时间2022-02-25 00:36"
    assert clean_text("■ 要加快补齐短板弱项。").text == "■ 要加快补齐短板弱项。"


def test_headline_phrases_keep_their_space() -> None:
    assert clean_text("抓在经常 融入日常 做在平常").text == "抓在经常 融入日常 做在平常"


MASKED = [
    # (raw line, the masks in it)
    ("深入学习贯彻_总书记重要讲话", ["_"]),
    ("探索出符合*实际的路子,*区以党建引领", ["*", "*"]),
    ("刚才,x同志宣读了通知,x局作了发言", ["x", "x"]),
    ("xx书记外出学习,xxx报告指出", ["xx", "xxx"]),
    ("×××同志通报了情况,不到×个月", ["×××", "×"]),
    ("加快X又好又快跨越发展", ["X"]),
    ("会上，XX同志介绍了经验，××街道作了表态发言", ["XX", "××"]),
    ("由区委副书记**任组长,＊＊镇负责落实", ["**", "＊＊"]),
    ("○○村获评全国文明村", ["○○"]),
    ("xxxx年1月20日", ["xxxx"]),
    ("(20XX年5月9日)", ["20XX"]),
    ("发展份额××%的矿产", ["××"]),
]


@pytest.mark.parametrize(("raw", "masks"), MASKED)
def test_masks_are_kept_verbatim(raw: str, masks: list[str]) -> None:
    """A masked name is body text: the cleaner keeps it exactly as printed (gold keeps ``加快X又好又快``)."""
    cleaned = clean_text(raw)
    assert cleaned.text == raw
    assert "mask" not in removed(cleaned)
    assert [cleaned.text[s:e] for s, e in find_masks(cleaned.text)] == masks


def test_masks_survive_the_whole_pipeline() -> None:
    assert clean_text("驻 X部队、武警中队").text == "驻X部队、武警中队"  # the space goes, the mask stays
    text = "在全县文明创建推进会上的讲话\n同志们:\n刚才,×××同志通报了情况,XX同志宣读了通知,由**任组长。"
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "NetEase网易号",
        "灵锡APP上线",
        "格式DOCX文件",
        "推进AI和5G应用",
        "2023年工作",
        "引进X光机10台",
        "采用x86架构",
        "面积3×5米",
        "iPhone X手机",
        "Windows XP系统",
        "二○二四年三月",
        "二○○五年以来",
        "某某镇、某某街道",
    ],
)
def test_masks_leave_latin_words_and_numbers_alone(text: str) -> None:
    assert clean_text(text).text == text
    assert find_masks(text) == []
    assert not has_mask(text)


def test_copies_masked_differently_are_the_same_content() -> None:
    """Dedupe sees through the mask form: one site prints XX同志, another ××同志 (masks are no longer unified)."""
    body = "刚才,{m}同志通报了全县文明实践站点建设情况,{m}局、{m}镇作了表态发言。下面,我讲三点意见。"
    keys = {content_key(body.format(m=m)) for m in ("XX", "××", "**", "x", "_")}
    assert keys == {"刚才同志通报了全县文明实践站点建设情况局镇作了表态发言下面我讲三点意见"}
    assert fingerprint(body.format(m="XX")) == fingerprint(body.format(m="××"))
    assert content_key("采用x86架构") == "采用x86架构"


def test_strip_masks() -> None:
    assert strip_masks("刚才,XX同志作了报告,**镇发言") == "刚才,同志作了报告,镇发言"
    assert strip_masks("采用x86架构") == "采用x86架构"
    assert strip_masks("(20XX年5月9日)") == "(年5月9日)"


def test_output_keeps_original_script() -> None:
    cleaned = seed("000")
    assert "全市精神文明建設表彰大會暨" in cleaned.text
    assert "点喜欢" not in cleaned.text and "點喜歡" not in cleaned.text


# --- whole documents ----------------------------------------------------------------------------------


def test_seed_000_netease_traditional() -> None:
    cleaned = seed("000")
    out = lines(cleaned)
    assert out[:3] == ["全市精神文明建設表彰大會暨", "第八屆全國文明城市創建工作", "推進會議召開"]
    for junk in ("![]()", "點喜歡", "特別聲明", "Notice"):
        assert junk not in cleaned.text
    assert "要加強道德建設,把加強和改進未成年人思想道德建設作為基礎性工作和戰略性任務" in cleaned.text
    assert "各區市縣(開放先導區)主要負責同志" in cleaned.text
    assert out[-1].endswith("代表等參加。")


def test_seed_001_netease_simplified() -> None:
    cleaned = seed("001")
    out = lines(cleaned)
    assert out[0] == "大连争创首批全国文明典范城市,重点任务最新部署!"
    for junk in ("网易首页", "分享至", "相关推荐", "立马看世界", "头条要闻", "进入关怀版", "柬埔寨"):
        assert junk not in cleaned.text
    assert out[-1] == "会议以电视电话会议形式召开,各区市县、开放先导区设分会场。"
    assert "■ 要高效协同。各级党委(党组)要切实承担起精神文明建设的主体责任" in cleaned.text


def test_seed_002_pages_rejoined() -> None:
    cleaned = seed("002")
    out = lines(cleaned)
    assert out[:2] == ["在精神文明建设工作会上的讲话", "同志们:"]
    assert "围绕中心、效劳大局" in cleaned.text
    assert "“学习强国等学习平台" in cleaned.text and "营造德者有得" in cleaned.text
    assert "取得实效" in cleaned.text and "责任,定期召开会议" in cleaned.text
    for junk in ("2、绕中心", "3、习平台", "免责声明", "网络整理"):
        assert junk not in cleaned.text
    assert cleaned.text.endswith("打造一支忠诚干净担当的精神文明建设专业队伍。")


def test_seed_003_paywall_and_masks() -> None:
    cleaned = seed("003")
    out = lines(cleaned)
    assert out[:2] == ["在2025年全市精神文明建设工作推进会上的讲话", "同志们:"]
    for junk in ("到文鼎文库首页", "发布时间", "wentop", "预览结束", "本文8", "下载全文", "【提纲】"):
        assert junk not in cleaned.text
    assert "深入学习贯彻_总书记关于精神文明建设的重要论述" in cleaned.text  # masked names stay as printed
    assert "《*市城中村现代化治理三年行动方案(2023—2025年)》" in cleaned.text
    assert "×" not in cleaned.text
    assert cleaned.text.endswith("要常抓不")
    assert removed(cleaned)["publish_date_line"] == ["发布时间:2025/7/31 20:36:15 字数:4662"]


def test_seed_004_district_portal() -> None:
    cleaned = seed("004")
    out = lines(cleaned)
    assert out[0] == "滨湖区召开争创全国文明典范城市推进大会"
    assert out[1] == "2月25日,滨湖区召开争创全国文明典范城市推进大会,总结工作、分析形势、部署任务。"
    for junk in ("繁体版", "无障碍浏览", "360se_picture", "来源:无锡日报", "灵锡APP", "回到顶部", "锡企服务平台"):
        assert junk not in cleaned.text
    assert "河埒街道、区城管局、区公安分局主要负责同志作交流发言" in cleaned.text
    assert removed(cleaned)["publish_date_line"] == ["发布时间:2022-02-25 00:36 文字大小: [ ] 浏览次数:"]


@pytest.mark.parametrize("path", sorted([*NOISE.glob("*.txt"), *CORPUS.glob("*.txt")]), ids=lambda p: p.name)
def test_cleaning_is_idempotent(path: Path) -> None:
    once = clean_text(path.read_text(encoding="utf-8")).text
    assert clean_text(once).text == once
    assert "\n\n" not in once and once == once.strip()
