"""Stale political wording (phrasebank/stale_wording.json via app.text.currency)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.text.currency import (
    STALE_WORDING_PATH,
    StaleHit,
    StaleList,
    expand_macros,
    load_stale_wording,
    parse_stale_wording,
)
from app.text.normalise import to_traditional

SPEECH_2026 = dt.date(2026, 3, 1)
THEORY_LIST = (
    "坚持以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、"
    "习近平新时代中国特色社会主义思想为指导"
)

# Per entry: (a sentence the entry must flag in a 2026 speech, a look-alike that must not be flagged at all).
# Every entry of the data file needs a row here, so a new entry cannot land untested.
EXAMPLES: dict[str, tuple[str, str]] = {
    "shijiujie-quanhui-jingshen": ("深入学习贯彻党的十九届六中全会精神", "深入学习贯彻党的二十届三中全会精神"),
    "shibajie-quanhui-jingshen": ("认真贯彻落实十八届三中全会精神", "党的十八届三中全会开启了全面深化改革的新征程"),
    "shijiuda-jingshen": ("全面贯彻党的十九大精神", "全面贯彻党的二十大精神"),
    "shibada-jingshen": ("深入贯彻党的十八大精神", "党的十八大以来，我市文明创建成效显著"),
    "shijiuda-baogao": ("党的十九大报告指出", "党的二十大报告指出"),
    "yingjie-ershida": ("以优异成绩迎接党的二十大胜利召开", "以优异成绩迎接党的二十一大胜利召开"),
    "yingjie-shijiuda": ("喜迎十九大，建功新时代", "十九大胜利召开以来"),
    "kexue-fazhanguan-zhidao": ("以科学发展观为指导，推进创建工作", THEORY_LIST),
    "kexue-fazhanguan-guanche": ("深入贯彻落实科学发展观", "科学发展观是马克思主义中国化的重要成果"),
    "hexie-shehui": ("为构建社会主义和谐社会作出新贡献", "为建设更高水平的平安中国作出新贡献"),
    "deng-lilun-jiuming": ("以邓小平同志建设有中国特色社会主义理论为指导", "以邓小平理论为指导"),
    "xilie-zhongyao-jianghua": ("学习贯彻习近平总书记系列重要讲话精神", "学习贯彻习近平总书记重要讲话精神"),
    "zongshuji-dangzhongyang": ("在以习近平同志为总书记的党中央坚强领导下", "在以习近平同志为核心的党中央坚强领导下"),
    "sige-quanmian-jiu": (
        "协调推进全面建成小康社会、全面深化改革、全面依法治国、全面从严治党",
        "协调推进全面建设社会主义现代化国家、全面深化改革、全面依法治国、全面从严治党",
    ),
    "shisiwu-kaiju": ("今年是“十四五”开局之年", "今年是“十五五”开局之年"),
    "shisiwu-shouguan": ("今年是“十四五”规划收官之年", "“十四五”圆满收官，“十五五”良好开局"),
    "shisiwu-dangqian": ("“十四五”时期是我市文明创建的关键期", "“十四五”时期，全市精神文明建设取得显著成效"),
    "shisanwu-dangqian": ("决胜“十三五”，奋力开新局", "“十三五”时期，全市累计建成新时代文明实践站300个"),
    "shisanwu-kaiju": ("今年是“十三五”开局之年", "“十三五”规划目标任务胜利完成"),
    "xiaokang-juesheng": ("决胜全面建成小康社会", "全面建成小康社会取得伟大历史性成就"),
    "xiaokang-mubiao": ("确保全面建成小康社会", "我们已经全面建成了小康社会"),
    "yibainian-mubiao": ("为实现第一个百年奋斗目标而努力", "我们胜利实现了第一个百年奋斗目标"),
    "tuopin-gongjian": ("坚决打赢脱贫攻坚战", "巩固拓展脱贫攻坚成果"),
    "buwang-chuxin-zhuti-jiaoyu": ("深入开展“不忘初心、牢记使命”主题教育", "不忘初心、牢记使命，奋力谱写新篇章"),
    "dangshi-xuexi-jiaoyu": ("扎实开展党史学习教育", "推动党史学习教育常态化长效化"),
    "sixiang-zhuti-jiaoyu": (
        "深入开展学习贯彻习近平新时代中国特色社会主义思想主题教育",
        "巩固拓展学习贯彻习近平新时代中国特色社会主义思想主题教育成果",
    ),
    "dangji-xuexi-jiaoyu": ("扎实开展党纪学习教育", "推动党纪学习教育常态化长效化"),
    "baxiang-guiding-xuexi-jiaoyu": (
        "扎实开展深入贯彻中央八项规定精神学习教育",
        "巩固拓展深入贯彻中央八项规定精神学习教育成果",
    ),
    "liangxue-yizuo": ("推进“两学一做”学习教育常态化制度化", "深刻领悟“两个确立”，坚决做到“两个维护”"),
    "qunzhong-luxian-huodong": ("党的群众路线教育实践活动", "坚持党的群众路线"),
    "sanyan-sanshi": ("扎实开展“三严三实”专题教育", "自觉践行“三严三实”要求"),
    "xinguan-changtaihua": ("毫不放松做好常态化疫情防控", "做好传染病防控工作"),
    "xinguan-fangkong-renwu": ("高效统筹疫情防控和经济社会发展", "新冠疫情防控取得重大决定性胜利"),
    "gongmin-daode-gangyao-jiu": ("贯彻落实《公民道德建设实施纲要》", "贯彻落实《新时代公民道德建设实施纲要》"),
    "aiguozhuyi-gangyao-jiu": ("贯彻落实《爱国主义教育实施纲要》", "贯彻落实《新时代爱国主义教育实施纲要》"),
    "wenming-chengshi-timing": ("我市成功入选全国文明城市提名城市", "我市成功获评全国文明城市"),
    "wenming-dianfan-chengshi": ("全力争创全国文明城市", "全力争创全国文明典范城市"),
    "zhongyang-wenmingwei": ("根据中央文明委部署", "根据市文明委部署"),
    "wenming-shijian-shidian": ("推进新时代文明实践中心建设试点", "深化新时代文明实践中心建设"),
}

MINIMAL_ENTRY = {
    "id": "x",
    "pattern": "十九大精神",
    "stale_from": "2022-10-23",
    "severity": "error",
    "note": "n",
    "source": "s",
}


@pytest.fixture(scope="module")
def stale() -> StaleList:
    return load_stale_wording()


def ids(hits: list[StaleHit]) -> list[str]:
    return [h.id for h in hits]


def test_data_file_is_complete(stale: StaleList) -> None:
    data = json.loads(STALE_WORDING_PATH.read_text(encoding="utf-8"))
    assert "_about" in data
    assert len(stale) >= 20
    assert {e.id for e in stale.entries} == set(EXAMPLES), "every entry needs an example row in EXAMPLES"
    for entry in stale.entries:
        assert entry.note and entry.source
        assert entry.severity in ("error", "warning", "advice")
        assert dt.date(1990, 1, 1) <= entry.stale_from <= dt.date(2026, 12, 31)


@pytest.mark.parametrize("entry_id", sorted(EXAMPLES))
def test_entry_fires_from_its_date_only(stale: StaleList, entry_id: str) -> None:
    entry = stale.get(entry_id)
    assert entry is not None
    positive, _ = EXAMPLES[entry_id]
    hits = [h for h in stale.find(positive, SPEECH_2026) if h.id == entry_id]
    assert hits, f"{entry_id} should flag {positive!r}"
    for hit in hits:
        assert positive[hit.start : hit.end] == hit.text
        assert hit.replacement == entry.replacement and hit.severity == entry.severity
    assert entry_id in ids(stale.find(positive, entry.stale_from))
    assert entry_id not in ids(stale.find(positive, entry.stale_from - dt.timedelta(days=1)))


@pytest.mark.parametrize("entry_id", sorted(EXAMPLES))
def test_look_alike_does_not_fire(stale: StaleList, entry_id: str) -> None:
    _, look_alike = EXAMPLES[entry_id]
    assert stale.find(look_alike, SPEECH_2026) == []
    assert not stale.is_stale(look_alike, SPEECH_2026)


@pytest.mark.parametrize("entry_id", sorted(EXAMPLES))
def test_traditional_script_matches_at_the_same_span(stale: StaleList, entry_id: str) -> None:
    positive, _ = EXAMPLES[entry_id]
    traditional = to_traditional(positive)
    assert len(traditional) == len(positive)  # OpenCC keeps these words' length, so spans carry over
    simplified_hits = [(h.id, h.span) for h in stale.find(positive, SPEECH_2026)]
    traditional_hits = stale.find(traditional, SPEECH_2026)
    assert [(h.id, h.span) for h in traditional_hits] == simplified_hits
    for hit in traditional_hits:
        assert traditional[hit.start : hit.end] == hit.text


@pytest.mark.parametrize("numeral", [*"一二三四五六七", *"1234567"])
def test_nineteenth_plenums_in_chinese_and_arabic_numerals(stale: StaleList, numeral: str) -> None:
    for text in (f"学习贯彻党的十九届{numeral}中全会精神", f"学习贯彻党的19届{numeral}中全会精神"):
        assert ids(stale.find(text, SPEECH_2026)) == ["shijiujie-quanhui-jingshen"]


@pytest.mark.parametrize(
    "text",
    [
        "学习贯彻党的二十届三中全会精神",
        "学习贯彻党的二十届四中全会精神",
        "党的二十大和二十届历次全会精神",
        "十九届六中全会通过的《中共中央关于党的百年奋斗重大成就和历史经验的决议》",
    ],
)
def test_current_plenums_and_history_are_not_flagged(stale: StaleList, text: str) -> None:
    assert stale.find(text, SPEECH_2026) == []


def test_plenum_lists_and_formal_names(stale: StaleList) -> None:
    text = "深入学习贯彻党的十九大和十九届二中、三中、四中、五中全会精神"
    hits = stale.find(text, SPEECH_2026)
    assert [(h.id, h.text) for h in hits] == [
        ("shijiuda-jingshen", "十九大"),
        ("shijiujie-quanhui-jingshen", "十九届二中、三中、四中、五中全会精神"),
    ]
    assert stale.is_stale("贯彻十九届历次全会精神", SPEECH_2026)
    assert stale.is_stale("贯彻党的十九届中央委员会第五次全体会议精神", SPEECH_2026)
    assert stale.is_stale("贯彻１９届５中全会精神", SPEECH_2026)  # full-width digits


def test_a_2019_draft_gets_no_nineteenth_plenum_hit(stale: StaleList) -> None:
    text = "深入学习贯彻党的十九大和十九届二中、三中全会精神，以优异成绩庆祝新中国成立70周年"
    assert stale.find(text, dt.date(2019, 9, 1)) == []
    assert not stale.is_stale(text, dt.date(2019, 9, 1))
    assert stale.is_stale(text, SPEECH_2026)


def test_science_outlook_in_theory_list_is_fine_but_not_as_guide(stale: StaleList) -> None:
    assert stale.find(THEORY_LIST, SPEECH_2026) == []
    old_list = "以邓小平理论、“三个代表”重要思想、科学发展观为指导"
    assert ids(stale.find(old_list, SPEECH_2026)) == ["kexue-fazhanguan-zhidao"]
    assert stale.find(old_list, dt.date(2015, 6, 1)) == []  # the 十八大-era guiding phrase
    assert ids(stale.find("以科學發展觀為指導", SPEECH_2026)) == ["kexue-fazhanguan-zhidao"]  # 為 as well as 爲


def test_fourteenth_plan_opening_year(stale: StaleList) -> None:
    text = "今年是“十四五”开局之年"
    assert stale.find(text, dt.date(2021, 4, 1)) == []
    assert ids(stale.find(text, SPEECH_2026)) == ["shisiwu-kaiju"]
    assert stale.find("“十四五”时期是我市文明创建的关键期", dt.date(2023, 5, 1)) == []
    assert stale.find("今年是“十五五”开局之年", SPEECH_2026) == []


def test_thirteenth_plan_as_present_versus_review(stale: StaleList) -> None:
    present = "“十三五”时期是全面建成小康社会决胜阶段"
    assert stale.find(present, dt.date(2018, 3, 1)) == []
    assert ids(stale.find(present, SPEECH_2026)) == ["shisanwu-dangqian", "xiaokang-juesheng"]
    assert stale.find("回顾“十三五”时期，全市文明城市创建成果丰硕", SPEECH_2026) == []


def test_civilised_city_title_needs_context(stale: StaleList) -> None:
    (hit,) = stale.find("巩固成果，全力争创全国文明城市", SPEECH_2026)
    assert hit.id == "wenming-dianfan-chengshi" and hit.severity == "advice"
    assert "典范城市" in hit.replacement
    assert stale.find("巩固成果，全力争创全国文明城市", dt.date(2020, 6, 1)) == []


def test_covid_wording_goes_stale_with_class_b_management(stale: StaleList) -> None:
    text = "坚持常态化疫情防控，统筹疫情防控和经济社会发展"
    assert stale.find(text, dt.date(2022, 6, 1)) == []
    assert ids(stale.find(text, dt.date(2023, 1, 8))) == ["xinguan-changtaihua", "xinguan-fangkong-renwu"]


@pytest.mark.parametrize(
    "text",
    [
        "对重点区域开展集中整治，推动问题动态清零",  # 文明创建's own use of 动态清零 (tests/data/holdout_f)
        "我县首次进入全省县级文明城市提名城市行列",  # a province's nomination list, not the national one
    ],
)
def test_look_alikes_from_real_drafts(stale: StaleList, text: str) -> None:
    assert stale.find(text, SPEECH_2026) == []


def test_hits_are_in_text_order_with_spans(stale: StaleList) -> None:
    text = "一要学习贯彻党的十九大精神；二要扎实开展党史学习教育；三要争创全国文明城市。"
    hits = stale.find(text, SPEECH_2026)
    assert ids(hits) == ["shijiuda-jingshen", "dangshi-xuexi-jiaoyu", "wenming-dianfan-chengshi"]
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert all(text[h.start : h.end] == h.text and h.span == (h.start, h.end) for h in hits)


def test_datetime_is_accepted_and_empty_text(stale: StaleList) -> None:
    assert stale.is_stale("十九大精神", dt.datetime(2026, 1, 5, 9, 30))
    assert stale.find("", SPEECH_2026) == [] and not stale.is_stale("", SPEECH_2026)
    assert [e.id for e in stale.active(dt.date(2010, 1, 1))] == ["deng-lilun-jiuming"]  # renamed in 1997
    assert len(stale.active(SPEECH_2026)) == len(stale)


def test_loader_is_cached_and_takes_a_path(tmp_path: Path) -> None:
    assert load_stale_wording() is load_stale_wording()
    assert load_stale_wording(STALE_WORDING_PATH) is load_stale_wording()
    path = tmp_path / "stale.json"
    entry = {
        "id": "demo",
        "pattern": "{Q}十四五{Q}开局之年",
        "regex": False,
        "stale_from": "2022-01-01",
        "stale_until": "2023-01-01",
        "replacement": "",
        "severity": "warning",
        "note": "测试",
        "source": "测试",
    }
    path.write_text(json.dumps({"_about": "x", "entries": [entry]}, ensure_ascii=False), encoding="utf-8")
    custom = load_stale_wording(path)
    assert len(custom) == 1
    assert custom.is_stale("“十四五”开局之年", dt.date(2022, 6, 1))
    assert not custom.is_stale("“十四五”开局之年", dt.date(2023, 1, 1))  # stale_until ends the warning


def test_literal_patterns_are_escaped() -> None:
    assert expand_macros("a.b{Q}", regex=False) == "a\\.b" + '[“”"「」『』]?'
    assert expand_macros("a.b{SEP}", regex=True) == "a.b[、，,]?"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": "fatal"}, "severity"),
        ({"stale_from": "2022/01/01"}, "YYYY-MM-DD"),
        ({"pattern": "十四五{N}"}, "unknown macro"),
        ({"pattern": "(", "regex": True}, "bad pattern"),
        ({"pattern": "x?", "regex": True}, "empty string"),
        ({"source": ""}, "missing source"),
    ],
)
def test_bad_entries_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stale_wording({"entries": [MINIMAL_ENTRY | change]})


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        parse_stale_wording({"entries": [MINIMAL_ENTRY, MINIMAL_ENTRY]})
