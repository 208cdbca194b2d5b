"""What a site prints around the document it serves, in many wordings, and the body text that only looks like it.

Each class has a handful of invented variants (a repost headline over ``原标题：``, a doc site's abstract and its
editor's intro, read-more prompts, a library's storage notice, clock and weather widgets, login/长辈版/繁體 links,
sponsor lines, page counters, an e-paper's 标题导航), and for each the look-alike that must stay (``keep`` is
100 %: a speech's own ``欢迎阅读…``, a 主办 in the body)."""

from __future__ import annotations

import pytest

from app.ingest.clean.chrome import is_date_widget, is_read_more, is_site_blurb, is_sponsor_line
from app.ingest.clean.document import clean_text
from tests.helpers.clean import lines, removed

BODY = "今天，我们召开全县文明城市创建推进会，主要任务是总结前段工作，部署下步任务，动员全县上下鼓足干劲、攻坚克难。"
LEAD = "3月8日，泓塘县召开文明城市创建推进会，总结前段工作，部署下步任务，县委书记郁南川出席会议并讲话。"
MORE = "会议要求，各乡镇、各部门要对照测评体系逐项整改，确保问题动态清零，推动创建工作常态长效。"


# --- a repost headline over 原标题 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "title"),
    [
        ("原标题：", "泓塘县召开文明城市创建推进会"),
        ("原标题: ", "泓塘县召开文明城市创建推进会"),
        ("【原标题】", "泓塘县召开文明城市创建推进会"),
        ("原题：", "在全县文明城市创建推进会上的讲话"),
        ("原文标题：", "泓塘县召开文明城市创建推进会"),
    ],
)
def test_original_title_replaces_the_repost_headline(label: str, title: str) -> None:
    raw = f"鹭屿头条\n泓塘：创城“加速跑”，这几件事要办好！\n鹭屿发布\n{label}{title}\n{LEAD}\n{MORE}"
    cleaned = clean_text(raw)
    assert lines(cleaned)[:2] == [title, LEAD]
    assert "泓塘：创城“加速跑”，这几件事要办好！" in removed(cleaned)["repost_headline"]
    assert removed(cleaned)["original_title"] == [label.strip()]


def test_original_title_in_brackets_loses_both_brackets() -> None:
    cleaned = clean_text(f"速看！泓塘创城有新招\n（原标题：泓塘县召开文明城市创建推进会）\n{LEAD}\n{MORE}")
    assert lines(cleaned)[0] == "泓塘县召开文明城市创建推进会"


def test_original_title_at_the_foot_is_left_alone() -> None:
    raw = f"泓塘县召开文明城市创建推进会\n{LEAD}\n{MORE}\n原标题：泓塘召开创城推进会"
    cleaned = clean_text(raw)
    assert lines(cleaned)[0] == "泓塘县召开文明城市创建推进会"
    assert "repost_headline" not in removed(cleaned)


# --- a doc site's abstract and its editor's intro ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "【文档简介】本文为县领导在文明城市创建推进会上的讲话，共四部分，可供参考。",
        "【内容简介】这是一篇关于文明实践站建设的讲话稿，结构完整，语言规范。",
        "内容简介：本讲话分为三个部分，分别从认识、任务、保障三方面展开。",
        "文档介绍：澄陂县创建文明城市动员大会讲话全文，word版可编辑。",
        "【摘要】讲话回顾了一年来的创建工作，部署了下一阶段任务。",
        "摘要：本文梳理了文明创建的主要做法和下一步打算。",
        "本文档为某县文明实践中心建设推进会讲话稿，可供大家参考借鉴。",
        "【資料簡介】本文為縣委領導在精神文明建設推進會上的講話，共三部分，可供參考。",
    ],
)
def test_doc_site_abstract_goes(line: str) -> None:
    cleaned = clean_text(f"在全县文明城市创建推进会上的讲话\n{line}\n同志们：\n{BODY}\n{MORE}")
    assert removed(cleaned)["site_blurb"] == [line]
    assert lines(cleaned)[:2] == ["在全县文明城市创建推进会上的讲话", "同志们："]


@pytest.mark.parametrize(
    "line",
    [
        "以下是小编为大家整理的在全县文明城市创建推进会上的讲话，欢迎阅读参考。",
        "下面是本站为您精选的文明城市创建讲话稿，希望对您有所帮助！",
        "以下是为大家收集整理的创城推进会讲话，供大家参考借鉴。",
        "小编今天给大家带来一篇创城推进会讲话，一起来看看吧。",
        "以上就是小编为大家整理的全部内容，欢迎收藏。",
        "以下是小編為大家整理的在全縣文明城市創建推進會上的講話，歡迎閱讀參考。",
        "下面是本站小編精心整理的創城講話稿，希望能幫助到大家。",
    ],
)
def test_fanwen_editor_intro_goes(line: str) -> None:
    cleaned = clean_text(f"在全县文明城市创建推进会上的讲话\n{line}\n同志们：\n{BODY}\n{MORE}")
    assert removed(cleaned)["site_blurb"] == [line]
    assert line not in cleaned.text


@pytest.mark.parametrize(
    "line",
    [
        "欢迎阅读《澄陂县市民文明手册》，让文明习惯从点滴做起。",
        "欢迎阅读参考，这是我们对广大市民的殷切期望。",
        "以下是我县近年来推进文明创建的主要做法。",
        "下面，我为大家通报一下测评情况。",
        "本文件自印发之日起施行，各单位可结合实际参考执行。",
        "编辑部收到读者来信，反映背街小巷环境问题。",
    ],
)
def test_body_sentences_that_look_like_blurbs_stay(line: str) -> None:
    cleaned = clean_text(f"在全县文明城市创建推进会上的讲话\n同志们：\n{BODY}\n{line}\n{MORE}")
    assert line in lines(cleaned)
    assert not is_site_blurb(line)


# --- read-more prompts and storage disclaimers -------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    ["继续阅读", "阅读全文", "展开全文", "查看全文 >", "点击阅读全文", "展开剩余72%", "继续阅读全文", "閱讀全文"],
)
def test_lone_read_more_prompt_goes(prompt: str) -> None:
    cleaned = clean_text(f"在全县文明城市创建推进会上的讲话\n同志们：\n{BODY}\n{MORE}\n{prompt}\n{LEAD}")
    assert prompt in removed(cleaned)["paywall_notice"] + removed(cleaned)["chrome_line"]
    assert lines(cleaned)[-2:] == [MORE, LEAD]


@pytest.mark.parametrize("line", ["阅读", "全文如下", "继续阅读原著、深入思考。", "阅读全文件后再作部署"])
def test_read_more_look_alikes_are_not_prompts(line: str) -> None:
    assert not is_read_more(line)


@pytest.mark.parametrize(
    "notice",
    [
        "本文档由用户上传，文库仅提供存储服务。如侵犯您的权益，请发起投诉。",
        "文档内容由网友自行上传，本站只提供存储空间服务，如有侵权请联系删除。",
        "内容来自用户上传，不代表本站观点。如发现侵权内容，请点击“举报”。",
        "本文檔由用戶上傳，文庫僅提供存儲服務。如侵犯您的權益，請發起投訴。",
    ],
)
def test_doc_library_storage_notice_goes(notice: str) -> None:
    cleaned = clean_text(f"在全县文明城市创建推进会上的讲话\n同志们：\n{BODY}\n{MORE}\n{notice}\n{LEAD}")
    assert notice in removed(cleaned)["disclaimer_line"] + removed(cleaned)["paywall_notice"]
    assert lines(cleaned)[-2:] == [MORE, LEAD]


def test_storage_words_in_a_speech_stay() -> None:
    line = "要依法保护群众权益，对侵犯群众合法权益的行为坚决查处，问题线索由网格员上传平台。"
    assert line in lines(clean_text(f"标题\n同志们：\n{BODY}\n{line}\n{MORE}"))


# --- clock and weather widgets, login / 长辈版 / 繁體 links --------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "今天是：2024年3月1日 星期五",
        "今天是2024年3月1日 星期五 用户登录｜注册｜长辈版｜繁體",
        "今日：2024-03-01 星期五 农历正月廿一",
        "北京时间 2024-03-01 10:23:45",
        "2024年3月1日 星期五 登录 | 免费注册 | 关怀版",
        "2024年3月1日 星期五 多云 8~15℃",
        "澄陂 小雨 6~11℃",
        "當前時間：2024年3月1日 星期五 簡體｜繁體",
    ],
)
def test_date_widget_goes_and_gives_no_date(line: str) -> None:
    cleaned = clean_text(f"{line}\n泓塘县召开文明城市创建推进会\n{LEAD}\n{MORE}")
    assert removed(cleaned)["date_widget"] == [line]
    assert lines(cleaned)[0] == "泓塘县召开文明城市创建推进会"


@pytest.mark.parametrize(
    "line",
    [
        "2024年3月1日 星期五",  # a newspaper's issue date: the metadata reads it
        "今天是2024年3月1日，全县上下齐心协力迎接测评。",
        "日期：2024-03-01",
    ],
)
def test_dates_that_are_not_widgets(line: str) -> None:
    assert not is_date_widget(line)


@pytest.mark.parametrize(
    "bar",
    [
        "用户登录｜注册｜长辈版｜繁體",
        "个人登录 法人登录 无障碍 长者版",
        "会员中心 | 退出登录",
        "简体中文 | 繁體中文",
        "大字版 读屏 简/繁",
    ],
)
def test_login_and_script_switch_bars_go(bar: str) -> None:
    cleaned = clean_text(f"{bar}\n泓塘县召开文明城市创建推进会\n{LEAD}\n{MORE}")
    assert bar in removed(cleaned)["chrome_line"]


# --- sponsor lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["泓塘县融媒体中心主办", "中共泓塘县委宣传部主管 泓塘县融媒体中心主办", "鹭屿日报社主办 鹭屿新闻中心承办"],
)
def test_sponsor_line_in_banner_or_footer_goes(line: str) -> None:
    head = clean_text(f"{line}\n泓塘县召开文明城市创建推进会\n{LEAD}\n{MORE}")
    assert removed(head)["footer"] == [line]
    tail = clean_text(f"泓塘县召开文明城市创建推进会\n{LEAD}\n{MORE}\n{line}")
    assert line not in lines(tail)


def test_sponsor_words_in_the_body_stay() -> None:
    inside = "本次文明实践活动由县文明办主办，各乡镇文明实践所承办。"
    org_line = "县文明办主办"
    cleaned = clean_text(f"泓塘县召开文明城市创建推进会\n{LEAD}\n{inside}\n{org_line}\n{MORE}")
    assert inside in lines(cleaned) and org_line in lines(cleaned)
    assert not is_sponsor_line("主办单位：县文明办")


# --- page counters in many wordings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "本页为第 2 页（共 4 页）",
        "当前第2页，共4页",
        "第2页（共4页）",
        "共4页 第2页",
        "第2/4页",
        "页码：2/4",
        "Page 2 of 4",
        "— 第 2 页 共 4 页 —",
        "本頁為第 2 頁（共 4 頁）",
    ],
)
def test_page_counter_wordings_go(marker: str) -> None:
    cleaned = clean_text(f"澄陂县文明城市创建实施方案\n{MORE}\n{marker}\n{LEAD}")
    assert removed(cleaned)["page_counter"] == [marker]
    assert lines(cleaned)[1:] == [MORE, LEAD]


def test_page_counter_glued_to_a_cut_sentence() -> None:
    glued = "要把测评标准融入日常管本页为第 2 页（共 4 页）"
    cleaned = clean_text(f"澄陂县文明城市创建实施方案\n{MORE}\n{glued}\n理。{LEAD}")
    assert removed(cleaned)["page_counter"] == ["本页为第 2 页（共 4 页）"]
    assert lines(cleaned)[2] == "要把测评标准融入日常管"


def test_page_words_in_the_body_stay() -> None:
    line = "测评手册第2页共列出了四项指标，请各单位对照落实。"
    assert line in lines(clean_text(f"澄陂县文明城市创建实施方案\n{MORE}\n{line}\n{LEAD}"))


# --- an e-paper's 标题导航 ----------------------------------------------------------------------------


@pytest.mark.parametrize("dot", ["·", "• ", "· "])
def test_epaper_title_list_above_the_article_goes(dot: str) -> None:
    items = [f"{dot}泓塘县召开文明城市创建推进会", f"{dot}春季植树活动启动", f"{dot}县城新增三处口袋公园"]
    raw = "\n".join(["鹭屿日报数字报", "本版导航", *items, "泓塘县召开文明城市创建推进会", LEAD, MORE])
    cleaned = clean_text(raw)
    for item in items:
        assert item.strip() in removed(cleaned)["chrome_line"]
    assert "本版导航" in removed(cleaned)["chrome_line"]
    assert lines(cleaned)[0] == "泓塘县召开文明城市创建推进会"


def test_bullets_inside_the_body_stay() -> None:
    points = ["◆ 要抓整改", "◆ 要抓长效"]
    raw = "\n".join(["泓塘县召开文明城市创建推进会", LEAD, "会议强调", *points, MORE])
    assert lines(clean_text(raw))[3:5] == points
