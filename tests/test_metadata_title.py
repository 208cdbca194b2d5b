"""Title choice by scoring (metadata_title), and the dates and kinds that follow from the title: every
candidate of the headline block is scored, so chrome the cleaner left above the title never wins.

The documents are given as the cleaner's output with the chrome deliberately left in, so these tests pin
the metadata rules alone; the last ones go raw → clean_text → extract_metadata on the noise fixtures."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import Cleaned, clean_text
from app.ingest.describe import title as titles
from app.ingest.describe.metadata import Metadata, extract_metadata
from tests.helpers.clean import NOISE

SPEECH_BODY = """同志们：
今天，我们召开全县文明城市创建推进会，主要任务是总结前段工作，部署下步任务。刚才，几个乡镇作了表态发言，我完全同意。下面，我讲两点意见。
一、提高站位，增强创建工作的责任感
创建文明城市是提升县城品质的有力抓手，我们要把创建工作摆在更加突出的位置。"""
REPORT_BODY = """4月22日上午，柳塘县召开文明城市创建冲刺推进会，通报模拟测评情况，部署冲刺阶段工作。
县委书记方志远出席会议并讲话。会议强调，要对照测评体系逐项抓好整改，确保各项任务按时完成。"""


def _meta(text: str) -> Metadata:
    return extract_metadata(Cleaned(text.strip(), ()))


def _raw(name: str) -> Metadata:
    return extract_metadata(clean_text((NOISE / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("在2024年全县文明城市创建推进会上的讲话", "speech"),
        ("市委书记在全市文明实践工作会议上的致辞", "speech"),
        ("全市文明城市创建工作推进会召开", "report"),
        ("柳塘县召开文明城市创建冲刺推进会", "report"),
        ("南宁争创全国文明典范城市，年度任务发布！", "report"),
        ("石岭市2023年志愿服务活动实施方案", "other"),
        ("创建全国文明城市工作简报", "other"),
        ("争做文明市民 共建文明城市倡议书", "other"),
        ("城市的温度", None),
        ("走进柳塘", None),
    ],
)
def test_shape_kind(text: str, kind: str | None) -> None:
    assert titles.shape_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("全文来了！在全县创建动员大会上的讲话", 5),
        ("重磅！周建国在全县创建动员大会上的讲话", 3),
        ("全文｜在全县创建动员大会上的讲话", 3),
        ("文明创建｜柳塘县召开文明城市创建推进会", 5),
        ("文明创建｜城市的温度", 0),  # a tag is cut only when a titled line follows it
        ("重磅！好消息", 0),
        ("在全县创建动员大会上的讲话", 0),
    ],
)
def test_strip_repost(text: str, cut: int) -> None:
    assert titles.strip_repost(text) == cut


def test_scores_rank_title_over_chrome() -> None:
    body = "今天我们召开全县文明城市创建推进会"
    title = titles.score("在全县文明城市创建推进会上的讲话", 1, "speech", body)
    for chrome in ("走进柳塘", "打开APP，阅读体验更佳", "柳塘日报数字报", "柳塘县文明办文件", "【精品文档】"):
        assert titles.score(chrome, 0, "speech", body) <= 0 < title


@pytest.mark.parametrize(
    "chrome",
    [
        "走进柳塘",
        "【精品文档】",
        "柳塘日报数字报",
        "关注「柳塘发布」，了解更多柳塘资讯",
        "打开APP，阅读体验更佳",
        "柳塘县文明办文件",
        "柳塘县2023年精神文明建设资料汇编",
    ],
)
def test_chrome_left_above_the_title_never_wins(chrome: str) -> None:
    speech = _meta(f"{chrome}\n在全县文明城市创建推进会上的讲话\n{SPEECH_BODY}")
    assert speech.title == "在全县文明城市创建推进会上的讲话"
    assert speech.kind == "speech"
    report = _meta(f"{chrome}\n柳塘县召开文明城市创建冲刺推进会\n{REPORT_BODY}")
    assert report.title == "柳塘县召开文明城市创建冲刺推进会"
    assert report.kind == "report"


def test_report_title_beats_an_earlier_lead_in() -> None:
    m = _meta(f"聚力攻坚 全域提升\n柳塘县召开文明城市创建冲刺推进会\n方志远讲话 程丽华主持\n{REPORT_BODY}")
    assert m.title == "柳塘县召开文明城市创建冲刺推进会"


def test_shapeless_headline_beats_a_phrase_stack_lead_in() -> None:
    lead = "9月2日，柳塘县举行新时代文明实践志愿服务集中行动，千余名志愿者走进社区开展服务活动。"
    m = _meta(f"聚力攻坚 全域提升\n柳塘：让志愿红成为城市最美底色\n{lead}\n{lead}")
    assert m.title == "柳塘：让志愿红成为城市最美底色"


def test_headline_quoting_the_title_loses_to_it() -> None:
    text = f"""周建国在全县文明城市创建动员大会上的讲话
县委书记周建国
编者按：全县文明城市创建动员大会日前召开。现将县委书记周建国的讲话全文刊发如下。
在全县文明城市创建动员大会上的讲话
{SPEECH_BODY}"""
    assert _meta(text).title == "在全县文明城市创建动员大会上的讲话"


def test_only_chrome_above_the_body_means_no_title() -> None:
    m = _meta(f"打开APP，阅读体验更佳\n走进柳塘\n{REPORT_BODY}")
    assert m.title is None


def test_repost_headline_loses_to_the_speech_own_title() -> None:
    text = f"""全文来了！周建国在全县文明城市创建动员大会上的讲话
编者按：2023年2月28日下午，全县文明城市创建动员大会召开。县委书记周建国出席会议并讲话。现将讲话全文刊发如下。
在全县文明城市创建动员大会上的讲话
周建国
{SPEECH_BODY}"""
    m = _meta(text)
    assert m.title == "在全县文明城市创建动员大会上的讲话"
    assert m.kind == "speech"
    assert m.date == "2023-02-28"  # from the editor's note
    assert m.speaker == "周建国"
    assert m.body.startswith("同志们：")


def test_repost_prefix_is_cut_from_a_lone_headline() -> None:
    m = _meta(f"重磅！在2024年全县文明城市创建推进会上的讲话\n{SPEECH_BODY}")
    assert m.title == "在2024年全县文明城市创建推进会上的讲话"
    assert m.date == "2024"
    tagged = _meta(f"文明创建｜柳塘县召开文明城市创建冲刺推进会\n{REPORT_BODY}")
    assert tagged.title == "柳塘县召开文明城市创建冲刺推进会"


def test_briefing_is_other_and_dated_by_its_masthead() -> None:
    text = """创建全国文明城市工作简报
第8期
柳塘县创建全国文明城市指挥部办公室 2024年5月20日
一、县创文指挥部召开第二季度调度会
5月17日，县创文指挥部召开第二季度调度会，通报模拟测评发现的问题。会议要求，各责任单位要逐一整改到位。
二、志愿服务活动广泛开展
全县组织开展志愿服务活动600余场次，参与志愿者1.2万人次。"""
    m = _meta(text)
    assert m.title == "创建全国文明城市工作简报"
    assert m.kind == "other"
    assert m.date == "2024-05-20"


def test_meeting_report_inside_a_briefing_issue_stays_a_report() -> None:
    m = _meta(f"柳塘县召开文明城市创建冲刺推进会\n{REPORT_BODY}\n（摘自《创文工作简报》第8期）")
    assert m.kind == "report"


# --- raw → clean → metadata on the noise fixtures ------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "title", "kind", "date"),
    [
        ("app_aggregator.txt", "柳塘县召开文明城市创建冲刺推进会", "report", None),
        ("epaper_page.txt", "全市文明城市创建工作推进会召开", "report", "2023-11-08"),
        ("pdf_running_header.txt", "石岭市2023年“文明交通你我同行”志愿服务活动实施方案", "other", "2023-05-06"),
        ("docshare_summary.txt", "在全区文明实践工作推进会上的讲话", "speech", None),
        ("wechat_repost.txt", "在全县文明城市创建动员大会上的讲话", "speech", "2023-02-28"),
        ("briefing.txt", "创建全国文明城市工作简报", "other", "2024-05-20"),
        ("portal_menu.txt", "在全区文明城市常态长效管理推进会上的讲话", "speech", None),
        ("glued_menu.txt", "石岭市召开2023年精神文明建设工作会议", "report", "2023-03-02"),
    ],
)
def test_raw_pages_through_cleaner(fixture: str, title: str, kind: str, date: str | None) -> None:
    m = _raw(fixture)
    assert (m.title, m.kind, m.date) == (title, kind, date)


# --- headlines of document-sharing and 范文 sites --------------------------------------------------------


def test_collection_headline_loses_to_the_documents_own_title() -> None:
    text = f"""2023年精神文明建设专题会议领导讲话 精神文明建设会议讲话稿汇总
精神文明建设专题会议领导讲话 精神文明建设会议讲话稿篇一
精神文明建设会议领导讲话(一)
{SPEECH_BODY}"""
    m = _meta(text)
    assert m.title == "精神文明建设会议领导讲话"
    assert m.date is None  # the collection's year is not the speech's


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        ("创建文明城市致辞800字精选", "创建文明城市致辞"),
        ("在柳塘县志愿服务月启动仪式上的讲话范文", "在柳塘县志愿服务月启动仪式上的讲话"),
        ("[“十佳志愿者”颁奖致辞]我是志愿者_第1页", "“十佳志愿者”颁奖致辞"),
        ("十大文明行动 助力文明城市创建常态化【新闻发布会】", "十大文明行动助力文明城市创建常态化"),
        ("全县文明城市创建会议(在文明城市创建推进会议上讲话)", "全县文明城市创建会议"),
        ("2023年第三季度文明城市测评问题汇总", "2023年第三季度文明城市测评问题汇总"),  # 汇总 of a real title stays
    ],
)
def test_what_a_site_puts_around_a_title_goes(headline: str, title: str) -> None:
    assert _meta(f"{headline}\n{SPEECH_BODY}").title == title


def test_variant_lines_of_one_title() -> None:
    m = _meta(f"創建文明城市致辭800字精選\n創建文明城市致辭1\n{SPEECH_BODY}")
    assert m.title == "創建文明城市致辭"


def test_numbered_question_is_no_title() -> None:
    text = """关于对创建文明城市情况的说明
1.创建文明城市调查报告怎样写
这里有不少形式的报告范文,也有你要的有关文明城市调查报告,参考一下吧。
柳塘县“文明城市”问卷调查报告为了进一步推动文明城市创建工作,县统计局在县城组织开展了问卷调查活动。"""
    assert _meta(text).title == "关于对创建文明城市情况的说明"


def test_reading_time_and_platform_lines_are_chrome() -> None:
    raw = f"""本篇文章694字,读完约2分钟
柳塘文明
微信公众号
柳塘文明
抖音号
{REPORT_BODY}"""
    cleaned = clean_text(raw)
    assert cleaned.text == REPORT_BODY
    assert {r.rule for r in cleaned.removals} >= {"reading_time", "platform_label"}
    assert extract_metadata(cleaned).title is None


def test_doc_site_notices_above_the_title_go() -> None:
    raw = f"""- 1、本文档共23页,可阅读全部内容。
- 2、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。
《在全县文明城市创建推进会上的讲话.docx》由会员分享,可在线阅读,更多相关内容请在本站搜索。
在全县文明城市创建推进会上的讲话
{SPEECH_BODY}"""
    cleaned = clean_text(raw)
    assert [r.rule for r in cleaned.removals][:3] == ["doc_notice"] * 3
    assert extract_metadata(cleaned).title == "在全县文明城市创建推进会上的讲话"


# --- dates --------------------------------------------------------------------------------------------


def test_publish_label_without_date_word_dates_a_report() -> None:
    raw = f"柳塘县召开文明城市创建冲刺推进会\n发布于:2021-08-19 作者:网络投稿\n{REPORT_BODY}"
    assert extract_metadata(clean_text(raw)).date == "2021-08-19"
    uploaded = f"柳塘县召开文明城市创建冲刺推进会\n上传时间:2023-06-06 来源:网友投稿\n{REPORT_BODY}"
    assert extract_metadata(clean_text(uploaded)).date is None  # a doc site's upload stamp is not the date


@pytest.mark.parametrize(
    ("lead", "date"),
    [
        ("柳塘文明网12月3日讯 12月2日上午,2024年柳塘县文明乡风专题现场会在中村召开。", "2024-12-03"),
        ("新华社北京1月14日电 中央文明委14日下午召开全体会议,讨论部署今年工作。", None),  # no year anywhere
        ("柳塘文明网5月8日讯 自2019年以来,柳塘县持续推进文明乡风建设,近日召开现场会。", None),  # a past year
    ],
)
def test_dateline_takes_the_year_its_lead_names(lead: str, date: str | None) -> None:
    text = f"{lead}\n会议指出,要深入推进移风易俗,扎实开展文明乡风建设。县委常委、宣传部部长方志远出席会议并讲话。"
    assert _meta(text).date == date
