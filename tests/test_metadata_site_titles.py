"""Title, date and topic when a site has wrapped the document: a repost headline over ``原标题：``, an HTML page
whose clock widget sits above the headline, a 公文 whose title is printed on two lines (issuing body first), a
speech whose dated line sits below a site's intro, a headline with a link-list bullet, 文明城区/文明县城 topics.
Raw text goes through the cleaner first, as in the ingest pipeline; every fixture is invented."""

from __future__ import annotations

import pytest

from app.ingest.clean.document import Cleaned, Removal, clean_text
from app.ingest.describe.metadata import Metadata, extract_metadata
from app.ingest.pipeline import prepare
from app.ingest.read.formats import read_bytes

LEAD = "4月9日下午，荻湾区召开文明城区创建攻坚推进会，通报近期测评情况，部署下阶段任务。区委书记柯望川出席会议并讲话。"
MORE = "会议要求，各街道、各部门要对照测评体系逐项整改，确保问题动态清零，推动创建工作常态长效。"
SPEECH_BODY = (
    "今天，我们召开全市精神文明建设工作会议，主要任务是总结工作、部署任务。刚才，几个单位作了交流发言，我都赞成。"
    "下面，我讲几点意见。"
)


def _raw(text: str) -> Metadata:
    return extract_metadata(clean_text(text))


# --- 原标题 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "label"),
    [
        ("荻湾：创城冲刺，这份任务清单请收好", "原标题："),
        ("重磅！荻湾吹响创城冲锋号", "【原标题】"),
        ("荻湾区：文明城区创建再加力", "原题："),
    ],
)
def test_original_title_line_gives_the_title(headline: str, label: str) -> None:
    meta = _raw(f"苒州新闻\n{headline}\n苒州发布\n{label}荻湾区召开文明城区创建攻坚推进会\n{LEAD}\n{MORE}")
    assert meta.title == "荻湾区召开文明城区创建攻坚推进会"
    assert meta.kind == "report"
    assert headline not in meta.body


# --- a clock widget above an HTML page's headline -----------------------------------------------------

PAGE = """<html><head><meta charset="utf-8"><title>荻湾区召开文明城区创建攻坚推进会 - 荻湾新闻网</title></head>
<body>
<div class="top"><span>{widget}</span><span><a>用户登录</a>｜<a>注册</a>｜<a>长辈版</a>｜<a>繁體</a></span></div>
<div class="banner"><span>荻湾区融媒体中心主办</span></div>
<div class="title"><h2>荻湾区召开文明城区创建攻坚推进会</h2>
<p>日期：2024-04-10 09:12　　来源：荻湾区融媒体中心</p></div>
<div class="article"><p>{lead}</p><p>{more}</p></div>
</body></html>"""


@pytest.mark.parametrize(
    "widget", ["今天是：2024年4月20日 星期六", "今天是2024年4月20日 星期六", "今日：2024-04-20 星期六 晴 12~23℃"]
)
def test_html_page_with_a_clock_widget_keeps_its_title_and_date(widget: str) -> None:
    html = PAGE.format(widget=widget, lead=LEAD, more=MORE)
    doc = prepare(read_bytes(html.encode("utf-8"), "page.html"))
    assert doc.metadata.title == "荻湾区召开文明城区创建攻坚推进会"
    assert doc.metadata.date == "2024-04-10"  # the publication date, not the widget's today
    for junk in ("今天是", "今日", "用户登录", "长辈版", "繁體", "融媒体中心主办"):
        assert junk not in doc.display_text


@pytest.mark.parametrize("lead", ["今天是：2024年4月20日 星期六", "今天星期六", "今天为：4月20日"])
def test_a_today_label_is_not_a_lead_paragraph(lead: str) -> None:
    meta = extract_metadata(Cleaned(f"{lead}\n荻湾区召开文明城区创建攻坚推进会\n{LEAD}\n{MORE}", ()))
    assert meta.title == "荻湾区召开文明城区创建攻坚推进会"


def test_a_today_lead_still_starts_the_body() -> None:
    meta = _raw(f"在全市精神文明建设工作会议上的讲话\n{SPEECH_BODY}\n{MORE}")
    assert meta.title == "在全市精神文明建设工作会议上的讲话"
    assert meta.body.startswith("今天，我们召开")


# --- a 公文 title printed on two lines ------------------------------------------------------------------

NOTICE_BODY = (
    "各镇人民政府、街道办事处，县直各单位：\n为巩固文明城市创建成果，经县政府同意，现就有关事项通知如下：\n"
    "一、压实工作责任\n各镇（街道）要落实属地责任，主要负责同志要亲自抓、负总责。\n泓塘县人民政府办公室\n2024年5月6日"
)


@pytest.mark.parametrize(
    ("issuer", "title"),
    [
        ("泓塘县人民政府办公室", "关于进一步巩固文明城市创建成果的通知"),
        ("泓塘县精神文明建设委员会", "关于开展文明城市创建“回头看”工作的实施方案"),
        ("中共泓塘县委办公室　泓塘县人民政府办公室", "关于印发《泓塘县文明城市创建常态长效工作机制》的通知"),
        ("泓塘县文明办", "关于表扬2023年度文明创建先进单位的通报"),
    ],
)
def test_issuing_body_line_joins_the_title_under_it(issuer: str, title: str) -> None:
    meta = _raw(f"{issuer}文件\n泓政办发〔2024〕8号\n{issuer}\n{title}\n{NOTICE_BODY}")
    assert meta.title == "".join(issuer.split()) + title
    assert meta.kind == "other"
    assert meta.date == "2024-05-06"


def test_joint_issue_printed_on_two_lines() -> None:
    raw = f"中共泓塘县委办公室\n泓塘县人民政府办公室\n关于做好文明城市复评迎检工作的通知\n{NOTICE_BODY}"
    assert _raw(raw).title == "中共泓塘县委办公室泓塘县人民政府办公室关于做好文明城市复评迎检工作的通知"


def test_a_line_that_is_no_issuing_body_stays_apart() -> None:
    meta = _raw(f"凝心聚力促提升\n关于进一步巩固文明城市创建成果的通知\n{NOTICE_BODY}")
    assert meta.title == "关于进一步巩固文明城市创建成果的通知"


# --- a speech's dated line below a site's intro, a bulleted headline -------------------------------------


@pytest.mark.parametrize(
    ("intro", "dated", "want"),
    [
        ("以下是小編為大家整理的在全市精神文明建設工作會議上的講話，歡迎閱讀參考。", "（2021年11月）", "2021-11"),
        ("下面是本站为您精选的讲话稿，希望对您有所帮助！", "（2023年3月14日）", "2023-03-14"),
        ("【内容简介】本文为市领导在精神文明建设工作会议上的讲话，共三部分。", "(2022年9月)", "2022-09"),
    ],
)
def test_speech_date_line_below_a_site_intro(intro: str, dated: str, want: str) -> None:
    title = "在全市精神文明建设工作会议上的讲话"
    raw = f"{title}\n{intro}\n{title}\n{dated}\n同志们：\n{SPEECH_BODY}"
    meta = _raw(raw)
    assert meta.date == want
    assert meta.kind == "speech"


def test_speech_date_fallback_stops_at_the_salutation() -> None:
    cleaned = Cleaned(f"在全市精神文明建设工作会议上的讲话\n同志们：\n{SPEECH_BODY}\n（2021年11月）", ())
    assert extract_metadata(cleaned).date is None


@pytest.mark.parametrize("bullet", ["·", "• ", "■"])
def test_headline_loses_a_leading_bullet(bullet: str) -> None:
    meta = extract_metadata(Cleaned(f"{bullet}荻湾区召开文明城区创建攻坚推进会\n{LEAD}\n{MORE}", ()))
    assert meta.title == "荻湾区召开文明城区创建攻坚推进会"


# --- topic words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["荻湾区召开争创全国文明城区冲刺推进会", "泓塘县创建省级文明县城动员大会召开", "全镇创建文明城镇推进会召开"],
)
def test_civilised_district_and_county_town_are_in_domain(title: str) -> None:
    body = "会议通报了近期模拟测评情况，对迎检冲刺阶段工作进行再部署。各单位要对照测评体系逐项整改。"
    meta = extract_metadata(Cleaned(f"{title}\n{body}", (Removal("publish_date_line", "2024-04-10"),)))
    assert meta.in_domain is True
