"""extract_metadata on short hand-written documents, one per style of source the product meets.

Most fixtures are given as the cleaner's output (``Cleaned``) so these tests pin the metadata rules
alone; the last few go raw → ``clean_text`` → ``extract_metadata`` like the ingest pipeline does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.clean.document import Cleaned, Removal, clean_text
from app.ingest.describe.metadata import Metadata, extract_metadata
from app.ingest.describe.rules import find_date, find_place, is_in_domain


def _meta(text: str, *removals: tuple[str, str]) -> Metadata:
    return extract_metadata(Cleaned(text.strip(), tuple(Removal(rule, t) for rule, t in removals)))


SPEECH = """在全区创建全国文明城市攻坚推进大会上的讲话
王 立 群
（2023年6月12日）
同志们：
今天，我们召开全区创建全国文明城市攻坚推进大会，主要任务是动员全区上下进一步统一思想、鼓足干劲，坚决打赢创城攻坚战。刚才，区文明办通报了测评情况，我完全同意。下面，我讲三点意见。
一、提高站位，深刻认识创建全国文明城市的重大意义
文明城市是一座城市最亮丽的名片。我们要把创建工作作为一号工程，以更高标准推进精神文明建设。"""


def test_speech_with_name_and_date_lines() -> None:
    m = _meta(SPEECH)
    assert m.title == "在全区创建全国文明城市攻坚推进大会上的讲话"
    assert m.kind == "speech"
    assert m.script == "simplified"
    assert m.date == "2023-06-12"
    assert m.speaker == "王立群"
    assert m.speaker_post is None
    assert m.in_domain is True
    assert m.body.startswith("同志们：\n今天，我们召开")
    assert "王 立 群" not in m.body and "2023年6月12日" not in m.body


REPORT_STACK = """凝心聚力促提升
全市文明城市创建工作
推进会议召开
让文明成为城市最美底色
张海峰出席会议并讲话
4月9日，全市文明城市创建工作推进会议召开，总结去年创建工作，部署今年重点任务。市委副书记、市长张海峰出席会议并讲话。市委常委、宣传部部长刘敏主持会议。
张海峰指出，创建全国文明城市是一项民心工程，全市上下要对标测评体系，补齐短板弱项。
会议强调，各级各部门要压实责任，推动宜昌文明城市创建工作常态长效。宜昌广大市民要积极参与。"""


def test_news_report_headline_stack_and_publish_line() -> None:
    m = _meta(REPORT_STACK, ("publish_date_line", "发布时间：2024-04-10 08:30"), ("source_line", "来源：宜昌日报"))
    assert m.title == "全市文明城市创建工作推进会议召开"
    assert m.kind == "report"
    assert m.date == "2024-04-10"
    assert m.speaker == "张海峰"
    assert m.speaker_post == "市委副书记、市长"
    assert m.place == "宜昌"
    assert m.in_domain is True
    assert m.body.startswith("4月9日，全市文明城市创建工作推进会议召开")
    assert "凝心聚力" not in m.body and "出席会议并讲话\n" not in m.body


def test_report_with_day_but_no_year_has_no_date() -> None:
    text = """芜湖市召开新时代文明实践工作推进会
3月27日，芜湖市召开新时代文明实践工作推进会，安排部署今年工作。市委常委、宣传部部长陈静出席并讲话。
会议指出，要深化新时代文明实践中心建设，推动志愿服务常态化。"""
    m = _meta(text)
    assert m.title == "芜湖市召开新时代文明实践工作推进会"
    assert m.kind == "report"
    assert m.date is None
    assert m.place == "芜湖"
    assert m.speaker == "陈静"
    assert m.speaker_post == "市委常委、宣传部部长"


def test_doc_site_upload_date_is_not_the_speech_date() -> None:
    text = """县委书记在创建省级文明县城推进会上的讲话
同志们：
今天我们召开创建省级文明县城推进会，主要任务是查找差距、明确责任。下面，我讲两点意见。
一、认清形势，增强创建紧迫感
创建文明县城是推动县域高质量发展的重要抓手，全县上下要以更实举措推进精神文明建设。"""
    m = _meta(
        text,
        ("doc_meta_line", "上传人:ab****c 文档编号:123456 上传时间:2023-04-16 格式:DOCX 页数:7"),
        ("publish_date_line", "2025-04-02"),
    )
    assert m.title == "县委书记在创建省级文明县城推进会上的讲话"
    assert m.kind == "speech"
    assert m.date is None
    assert m.speaker is None
    assert m.speaker_post == "县委书记"


def test_speech_date_is_the_year_in_its_title() -> None:
    text = """在2024年全市精神文明建设工作会议上的讲话
同志们：
刚才，几个单位作了交流发言，讲得很好。下面，我讲三点意见。"""
    m = _meta(text, ("publish_date_line", "发布时间:2025/7/31 20:36:15"))
    assert m.date == "2024"


TRADITIONAL = """廣州市召開創建全國文明城市工作會議
廣州市召開創建全國文明城市工作會議
5月6日上午，廣州市召開創建全國文明城市工作會議，傳達學習全國文明城市創建工作精神。市委常委、宣傳部部長李紅出席並講話。
會議指出，創建全國文明城市是提升城市治理能力的重要抓手，廣州要以更高標準推進精神文明建設。"""


def test_traditional_script_report() -> None:
    m = _meta(TRADITIONAL, ("publish_date_line", "21.05.2019  12:04"))
    assert m.script == "traditional"
    assert m.title == "廣州市召開創建全國文明城市工作會議"
    assert m.kind == "report"
    assert m.date == "2019-05-21"
    assert m.place == "广州"
    assert m.speaker == "李红"
    assert m.body.startswith("5月6日上午，廣州市召開")


def test_other_topic_speech_is_out_of_domain() -> None:
    text = """在全县安全生产工作会议上的讲话
同志们：
今天召开全县安全生产工作会议，主要任务是分析安全生产形势，部署事故隐患排查整治工作。下面，我讲三点意见。
一、正视问题，切实增强做好安全生产工作的紧迫感
各乡镇要落实安全生产责任制，企业要做到文明施工、安全生产，坚决遏制较大事故发生。"""
    m = _meta(text)
    assert m.kind == "speech"
    assert m.in_domain is False
    assert m.title == "在全县安全生产工作会议上的讲话"


def test_notice_is_kind_other() -> None:
    text = """关于开展文明交通志愿服务活动的通知
各乡镇、县直各单位：
为深入推进全国文明城市创建，经研究，决定在全县开展文明交通志愿服务活动。现将有关事项通知如下。
一、活动时间
2024年5月1日至10月31日。
特此通知。"""
    m = _meta(text)
    assert m.kind == "other"
    assert m.title == "关于开展文明交通志愿服务活动的通知"
    assert m.speaker is None


def test_essay_is_kind_other() -> None:
    text = """城市的温度
清晨的街头，环卫工人已经把道路扫得干干净净，公交站台上排队的人们安静地等候。
文明不是一句口号，它藏在一次礼让、一声问候里，藏在每个人随手捡起的一片纸屑里。"""
    m = _meta(text)
    assert m.kind == "other"
    assert m.title == "城市的温度"


def test_document_without_title() -> None:
    text = """同志们：
今天，我们召开创建全国文明城市常态长效工作会议，主要任务是巩固创建成果。刚才，××同志作了部署，我完全同意。下面，我再讲三点意见。
一、认清形势，正视差距"""
    m = _meta(text)
    assert m.title is None
    assert m.kind == "speech"
    assert m.in_domain is True
    assert m.place is None
    assert m.body.startswith("同志们：")


def test_report_lead_without_title() -> None:
    text = """11月11日上午，我市召開創建全國文明城市工作推進會。市委常委、宣傳部部長楊立新出席並講話。
會議指出，創建全國文明城市是提高城市治理水平的重要抓手。"""
    m = _meta(text)
    assert m.title is None
    assert m.kind == "report"
    assert m.speaker == "杨立新"
    assert m.body.startswith("11月11日上午")


def test_title_glued_to_first_paragraph() -> None:
    text = """在全市精神文明建设工作会上的讲话在全市精神文明建设工作会上的讲话同志们：刚才，大家作了发言。
一、持续深化理论武装"""
    m = _meta(text)
    assert m.title == "在全市精神文明建设工作会上的讲话"
    assert m.body.startswith("同志们：刚才")


def test_page_headline_before_meeting_stack_wins() -> None:
    text = """南宁争创全国文明典范城市，年度任务发布！
市文明委全体会议
暨创建文明典范城市工作会议召开
抓在经常 融入日常 做在平常
黄志强讲话 刘洋出席
3月15日，市文明委全体会议暨创建文明典范城市工作会议召开。市委书记黄志强主持会议并讲话。
会议强调，要把创城工作抓在经常、融入日常。"""
    m = _meta(text)
    assert m.title == "南宁争创全国文明典范城市，年度任务发布！"
    assert m.speaker == "黄志强"
    assert m.speaker_post == "市委书记"
    assert m.body.startswith("3月15日")


def test_slogan_lines_above_the_main_title_are_skipped() -> None:
    text = """推动全市精神文明建设再上新台阶
全市创建全国文明城市表彰大会召开
赵明讲话 钱亮出席
9月18日下午，全市创建全国文明城市表彰大会在市大剧院召开。省委常委、宣传部部长赵明出席并讲话。"""
    m = _meta(text, ("publish_date_line", "2015-09-21 12:04"))
    assert m.title == "全市创建全国文明城市表彰大会召开"
    assert m.date == "2015-09-21"
    assert m.speaker == "赵明"


def test_related_article_dates_are_ignored() -> None:
    related = [("publish_date_line", f"2025-07-0{d} 19:35:47") for d in range(1, 6)]
    m = _meta(REPORT_STACK, *related)
    assert m.date is None


def test_news_byline_prefix_leaves_the_body() -> None:
    text = """全市精神文明建设工作会议召开
随州网讯（记者 李明）7月5日，全市精神文明建设工作会议召开。市委常委、宣传部长周红作重要讲话。
周红强调，要扎实推进精神文明建设工作再上新台阶。"""
    m = _meta(text, ("publish_date_line", "时间:2012-07-08"))
    assert m.body.startswith("7月5日，全市")
    assert m.speaker == "周红"
    assert m.date == "2012-07-08"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间:2022-02-25 00:36 文字大小:", "2022-02-25"),
        ("21.09.2015  12:04", "2015-09-21"),
        ("成都日报 2021-09-19 07:42", "2021-09-19"),
        ("更新时间:2025-10 来源:网友投稿", "2025-10"),
        ("（2019年5月9日）", "2019-05-09"),
        ("（二〇二三年三月十五日）", "2023-03-15"),
        ("（20XX年5月9日）", None),
        ("3月27日", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_place_needs_evidence_and_skips_common_words() -> None:
    assert find_place("滨湖区召开争创全国文明典范城市推进大会", "2月25日，滨湖区召开推进大会。") == "滨湖区"
    assert find_place(None, "要保持社会长治久安，各位来宾，学习延安精神。") is None
    assert find_place(None, "XX市召开创建大会，我市上下齐心。") is None
    assert find_place(None, "为长治市高质量发展提供保证，长治市民积极参与。") == "长治"


def test_title_outweighs_passing_mentions_of_civilisation() -> None:
    body = "文明城市" * 3 + "乡村振兴。" * 20
    assert is_in_domain("在全市乡村振兴工作座谈会上的讲话", body) is False
    assert is_in_domain("在全市创建全国文明城市动员大会上的讲话", "乡村振兴。" * 20) is True


def test_speech_dated_by_month_only() -> None:
    text = """在全市文明家庭表彰会上的讲话
（2023年11月）
同志们：
今天我们召开全市文明家庭表彰会，表彰一批文明家庭和最美家庭。下面，我讲两点意见。"""
    m = _meta(text, ("publish_date_line", "发布时间：2023-11-28 09:15"))
    assert m.kind == "speech"
    assert m.date == "2023-11"


NOTICE_SIGNED = """关于开展文明餐桌行动的通知
各区县文明办：
为深入推进文明城市创建，现就开展文明餐桌行动有关事项通知如下。
一、各单位要广泛宣传，引导群众践行光盘行动。
特此通知。
青川市文明办
2023年3月2日
（此件公开发布）"""


def test_notice_takes_its_sign_off_date() -> None:
    m = _meta(NOTICE_SIGNED, ("publish_date_line", "发布时间：2023-03-06 10:00"))
    assert m.kind == "other"
    assert m.date == "2023-03-02"


def test_notice_without_sign_off_takes_the_issue_date() -> None:
    text = NOTICE_SIGNED.rsplit("\n", 3)[0]  # no 落款
    m = _meta(text, ("publish_date_line", "发布日期：2023-03-06 成文日期：2023-03-01"))
    assert m.date == "2023-03-01"
    assert _meta(text, ("publish_date_line", "发布时间：2023-03-06 10:00")).date == "2023-03-06"


def test_appeal_letter_is_kind_other() -> None:
    text = """致全市市民的文明出行倡议书
亲爱的市民朋友们：
文明出行关系千家万户。我们向全市市民发出如下倡议：自觉遵守交通规则，礼让行人，不闯红灯。
青川市文明办
2023年10月8日"""
    m = _meta(text)
    assert m.kind == "other"
    assert m.date == "2023-10-08"


# ---- raw text through the real cleaner, as the ingest pipeline runs it


def test_raw_news_page_through_cleaner() -> None:
    raw = """首页 > 新闻 > 本地 > 正文
全市精神文明建设工作会议召开
时间:2019-06-18
作者:王强
来源:荆门日报

  6月17日，全市精神文明建设工作会议召开，总结去年工作，部署今年任务。市委书记刘伟出席会议并讲话。
  刘伟强调，荆门要以创建全国文明城市为抓手，推动精神文明建设再上新台阶。荆门市民要踊跃参与。
"""
    m = extract_metadata(clean_text(raw))
    assert m.title == "全市精神文明建设工作会议召开"
    assert m.kind == "report"
    assert m.date == "2019-06-18"
    assert m.speaker == "刘伟"
    assert m.place == "荆门"
    assert m.body.startswith("6月17日")


def test_raw_doc_site_speech_through_cleaner() -> None:
    raw = """在全市创建全国文明城市动员大会上的讲话(3870字)

更新时间:2025-10 来源:网友投稿

同志们：
今天，我们召开全市创建全国文明城市动员大会，主要任务是统一思想、明确任务。下面，我讲三点意见。
一、统一思想，提高站位
"""
    m = extract_metadata(clean_text(raw))
    assert m.title == "在全市创建全国文明城市动员大会上的讲话"
    assert m.kind == "speech"
    assert m.date is None
    assert m.body.startswith("同志们：")


def test_title_with_subtitle_date_and_speaker_tails() -> None:
    m = _meta("""推动精神文明建设迈上新台阶
——在全市精神文明建设工作会议上的讲话
（二〇二三年三月五日）
李 强
同志们：
今天召开全市精神文明建设工作会议。下面，我讲三点意见。""")
    assert m.title == "推动精神文明建设迈上新台阶——在全市精神文明建设工作会议上的讲话"
    assert m.date == "2023-03-05"
    assert m.speaker == "李强"
    m = _meta(
        "在创建全国文明城市动员大会上的讲话（2022年3月5日）（郑建新）\n同志们：\n今天召开动员大会。下面，我讲三点意见。"
    )
    assert m.title == "在创建全国文明城市动员大会上的讲话"
    assert (m.date, m.speaker) == ("2022-03-05", "郑建新")


def test_dated_source_line_left_in_text_is_not_the_lead() -> None:
    m = _meta("""苏州市举行新时代文明实践志愿服务启动仪式
2023年05月12日 10:20 来源：苏州日报
5月11日，苏州市举行新时代文明实践志愿服务启动仪式。市委副书记王伟出席并致辞。
他指出，要大力弘扬志愿精神，推动文明实践走深走实。""")
    assert m.date == "2023-05-12"
    assert m.body.startswith("5月11日")
    assert (m.speaker, m.speaker_post, m.place) == ("王伟", "市委副书记", "苏州")


@pytest.mark.parametrize(
    "text",
    [
        "讲话出席" * 300 + "x",
        ("市委书记、" * 500) + "张三出席并讲话",
        "在" * 3000 + "讲话讲话",
        "全市 " * 2000 + "召开",
    ],
)
def test_pathological_input_is_handled(text: str) -> None:
    # Regex back-tracking traps: these must finish and yield a well-formed result (speed is benchmarked).
    meta = _meta(text)
    assert meta.kind in {"speech", "report", "other"}
    assert meta.title is None or len(meta.title) <= 200


@pytest.mark.parametrize(
    ("fixture", "kind", "date"),
    [
        ("gov_notice.txt", "other", "2023-09-05"),
        ("wechat_appeal.txt", "other", "2023-10-08"),
        ("epaper_traditional.txt", "report", "2023-11-17"),
    ],
)
def test_raw_portal_pages_through_cleaner(fixture: str, kind: str, date: str) -> None:
    raw = (Path(__file__).parent / "data" / "noise" / fixture).read_text(encoding="utf-8")
    m = extract_metadata(clean_text(raw))
    assert (m.kind, m.date) == (kind, date)


def test_a_removed_disclaimer_with_a_date_is_not_the_document_date() -> None:
    text = """芜湖市召开新时代文明实践工作推进会
3月27日，芜湖市召开新时代文明实践工作推进会，安排部署今年工作。市委常委、宣传部部长陈静出席并讲话。"""
    disclaimer = ("disclaimer_line", "本文2023-04-16转自网络，仅代表作者观点，如有侵权请联系删除。")
    assert _meta(text, disclaimer).date is None
    assert _meta(text, ("publish_date_line", "2023-03-27")).date == "2023-03-27"  # a real date line still counts
