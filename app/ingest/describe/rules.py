"""Lexicons and regex rules behind ``metadata.py``: dates, kind, topic, speaker and place.

Every function here works on the *simplified* shadow of the text, so one rule covers both scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Kind = Literal["speech", "report", "other"]

GAZETTEER_PATH = Path(__file__).resolve().parents[3] / "phrasebank" / "gazetteer_places.txt"

# ---------------------------------------------------------------- dates
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "О": 0}
_Y = r"((?:19|20)\d{2})"
_ISO_RE = re.compile(_Y + r"\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?!\d)")  # 21.09.2015 on aggregator sites
_YM_RE = re.compile(_Y + r"\s*(?:-|/|年)\s*(\d{1,2})(?:月|(?![\d/.\-]))")
_CN_DATE_RE = re.compile(
    r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
    r"(?:([一二三四五六七八九十]{1,3})日)?"
)
YEAR_RE = re.compile(_Y + r"\s*年")


def _cn_number(text: str) -> int:
    """``十二`` → 12, ``二十一`` → 21, ``三`` → 3."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def find_date(text: str) -> str | None:
    """The most precise date written in ``text``: ``发布时间:2022-02-25 00:36`` → ``2022-02-25``.

    Also ``21.09.2015 12:04`` → ``2015-09-21``, ``更新时间:2025-10`` → ``2025-10``,
    ``二〇二三年三月五日`` → ``2023-03-05``. A masked year (``20XX年``) gives None.
    """
    if m := _ISO_RE.search(text):
        return _fmt(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY_RE.search(text):
        return _fmt(int(m[3]), int(m[2]), int(m[1]))
    if m := _CN_DATE_RE.search(text):
        year = int("".join(str(_CN_DIGITS[c]) for c in m[1]))
        return _fmt(year, _cn_number(m[2]), _cn_number(m[3]) if m[3] else None)
    if m := _YM_RE.search(text):
        return _fmt(int(m[1]), int(m[2]))
    return None


# Lines from document-sharing sites: their date is when somebody uploaded the file, not the speech's.
UPLOAD_RE = re.compile(r"上传|下载|文档编号|页数|\d\s*页|KB|MB|VIP|999\+|字数|海报|投稿|举报|©|版权|ICP")
PUBLISH_LABEL_RE = re.compile(r"发布|时间|日期|来源|日报|晚报|报社|新闻|网讯|记者|编辑")

# ---------------------------------------------------------------- kind
_SPEECH_RULES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"(?:^|\n)\s*(?:同志们|各位(?:领导|来宾|代表|同志|委员|嘉宾|市民)|尊敬的|亲爱的|女士们)"), 4),
    (re.compile(r"同志们[:：]"), 2),
    (re.compile(r"大家好"), 1),
    (
        re.compile(
            r"下面[,，]?\s*(?:我|就)"
            r"|我(?:再|就)?(?:讲|强调|谈|提)(?:[一二三四五六七八九几两\d]|以下)(?:点|个方面|方面)"
        ),
        4,
    ),
    (re.compile(r"我(?:完全)?(?:同意|赞同)|我代表|借此机会|我认为|我们要"), 1),
    (re.compile(r"刚才[,，]"), 1),
)
_REPORT_RULES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"会议(?:指出|强调|要求|认为|提出|号召|传达|听取|审议|总结|研究|部署)"), 2),
    (re.compile(r"出席(?:会议|大会|活动)?并(?:作)?(?:重要)?(?:讲话|致辞)|主持(?:会议|大会)|出席(?:会议|大会|活动)"), 2),
    (re.compile(r"(?:记者|通讯员)\s*[一-龥]{2,3}|[网台报]讯|本报讯"), 3),
    (re.compile(r"(?:^|\n)\s*\d{1,2}月\d{1,2}日(?:上午|下午|晚)?[,，]"), 3),
    (re.compile(r"(?<![我你])[他她](?:说|指出|强调|表示|要求)|会上[,，]|一行(?:先后|来到|深入)"), 2),
    (re.compile(r"(?:参加|出席)(?:会议|大会)[。.]|(?:召开|举行)[,，。]"), 1),
)
_SPEECH_TITLE_RE = re.compile(r"讲话|致辞|发言|演讲|讲稿|动员令|报告$")
_REPORT_TITLE_RE = re.compile(r"(?:召开|举行|开幕|闭幕|落幕|启动|召开$|调研|视察|部署|推进会$)")
# A notice, plan, opinion or appeal is a document of its own genre: ``关于…的通知``, ``特此通知``, ``…倡议书``.
_OTHER_RE = re.compile(
    r"特此(?:通知|公告|通报)|(?:通知|公告|实施方案|工作方案|意见|办法|决定|倡议书|倡议|公开信|一封信)$"
    r"|(?:简报|工作动态|工作信息)$|(?:简报|工作动态)\s*第\s*[\d一二三四五六七八九十]+\s*期"
    r"|现(?:将|就).{0,30}如下"
)


def classify_kind(title: str | None, text: str) -> Kind:
    """Speech text, news report of a meeting, or neither, from weighted cues.

    ``在…上的讲话`` + ``同志们:`` + ``下面，我讲三点意见`` → speech;
    ``…会议召开`` + ``会议强调`` + ``出席会议并讲话`` → report; ``关于…的通知`` → other.
    """
    head = text[:4000]
    speech = sum(w * min(2, len(r.findall(head))) for r, w in _SPEECH_RULES)
    report = sum(w * min(2, len(r.findall(head))) for r, w in _REPORT_RULES)
    if title:
        if _OTHER_RE.search(title):
            return "other"
        if _SPEECH_TITLE_RE.search(title) and not re.search(r"召开|举行", title):
            speech += 6
        if _REPORT_TITLE_RE.search(title):
            report += 5
    if _OTHER_RE.search(head) and max(speech, report) < 8:
        return "other"
    if max(speech, report) < 4:
        return "other"
    return "speech" if speech >= report else "report"


# ---------------------------------------------------------------- topic
DOMAIN_RE = re.compile(
    r"精神文明|文明城市|文明城区|文明县城|文明城镇|文明乡镇|全国文明城|文明典范|文明实践|文明创建"
    r"|创建文明|创文|创城|文明委|文明办|文明单位|文明村镇|文明家庭"
    r"|文明校园|文明新风|文明素质|文明程度|城市文明|社会文明|文明行为|文明风尚|移风易俗|志愿服务|道德模范"
    r"|核心价值观|未成年人思想道德|新时代文明"
)
OFF_TOPIC_RE = re.compile(
    r"安全生产|乡村振兴|党的建设|党建|从严治党|三农|脱贫|防汛|抗旱|疫情|招商|经济工作|党风廉政|营商环境|事故"
    r"|统一战线|统战|巡察|纪检|监察|审计|河长|信访|政法|人大工作|政协工作|组织工作|人才工作|农业农村|扶贫"
    r"|安全隐患|消防|应急管理|财政|税务|项目建设|工业|金融|教育工作|卫生健康|医疗|生态环境|环境保护|党史学习"
    r"|主题教育|意识形态工作|机关党|干部队伍"
)


def is_in_domain(title: str | None, text: str) -> bool:
    """True for 精神文明建设 / 文明城市 / 文明实践 topics; the title outweighs the body.

    ``在全县安全生产工作会议上的讲话`` → False even if the body says 文明施工;
    an untitled text decides by term density: many 创建全国文明城市 → True.
    """
    if title:
        on, off = bool(DOMAIN_RE.search(title)), bool(OFF_TOPIC_RE.search(title))
        if on != off:
            return on
    body = text[:6000]
    on_hits, off_hits = len(DOMAIN_RE.findall(body)), len(OFF_TOPIC_RE.findall(body))
    per_k = on_hits * 1000 / max(len(body), 1)
    return per_k >= 2.0 and on_hits >= 1.5 * off_hits


# ---------------------------------------------------------------- people
# Common surnames, minus characters that are far more often ordinary words (文, 明, 和, 全, 市 …).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康"
    "施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
).difference("文和全明成时华安常向")
_POST_WORD = (
    r"(?:副?书记|副?市长|副?区长|副?县长|副?省长|副?州长|副?镇长|副?主任|副?主席|常委|副?部长|秘书长|副?局长"
    r"|副?厅长|委员|院长|检察长|巡视员|组长|旗长|政委|负责同志)"
)
_POST_END_RE = re.compile(_POST_WORD + r"[、,，]?$")
# What a speaker does, strongest evidence first; the name is read off the 2–3 characters before it.
_SPEAKER_VERB_RE = re.compile(
    r"(?P<w5>出席(?:会议|大会|活动|仪式)?并(?:作)?(?:重要)?(?:讲话|致辞))"
    r"|(?P<w4>主持(?:会议)?并讲话|作(?:重要|动员)?讲话|发表(?:重要)?讲话|在讲话中|讲话(?=\s|$))"
    r"|(?P<w1>强调|指出|要求|表示|主持会议)"
)
_NOT_NAME_RE = re.compile(r"同志|书记|领导|代表|会议|他|她|市|区|县|[^一-龥]")
_BOUNDARY = set(' \t\n,，、。;；:：(（)）“”"')
_POST_STOP = set(' \t\n,，。;；:：(（)）“”"')  # 、 joins posts: 省委副书记、市委书记


@dataclass(frozen=True)
class Speaker:
    name: str
    post: str | None


def _post_before(text: str, start: int) -> str | None:
    """The post chain printed right before a name: ``省委副书记、市委书记`` in ``…。省委副书记、市委书记熊茂平``."""
    q = start
    while q > 0 and start - q < 40 and text[q - 1] not in _POST_STOP:
        q -= 1
    post = text[q:start]
    return post.strip("、,， ") if post and _POST_END_RE.search(post) else None


def _name_before(text: str, end: int) -> str | None:
    """A 3- or 2-character name ending at ``end`` that sits after a boundary or a post word."""
    for length in (3, 2):
        start = end - length
        name = text[max(start, 0) : end]
        if start < 0 or name[0] not in SURNAMES or _NOT_NAME_RE.search(name):
            continue
        if start == 0 or text[start - 1] in _BOUNDARY or _post_before(text, start):
            return name
    return None


def find_report_speaker(text: str) -> Speaker | None:
    """The main speaker of a meeting report.

    ``省委副书记、市委书记熊茂平出席会议并讲话`` → 熊茂平 (省委副书记、市委书记);
    ``区委书记孙海东强调`` → 孙海东 (区委书记). Names need a common surname and a word boundary.
    """
    head = text[:3000]
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for m in _SPEAKER_VERB_RE.finditer(head):
        if name := _name_before(head, m.start()):
            scores[name] = scores.get(name, 0) + (5 if m["w5"] else 4 if m["w4"] else 1)
            first.setdefault(name, m.start())
    if not scores:
        return None
    best = max(scores, key=lambda n: (scores[n], -first[n]))
    posts = [p for i in _occurrences(head, best) if (p := _post_before(head, i))]
    return Speaker(best, max(posts, key=len) if posts else None)


def _occurrences(text: str, word: str) -> list[int]:
    found, i = [], text.find(word)
    while i >= 0:
        found.append(i)
        i = text.find(word, i + 1)
    return found


_NAME_LINE_RE = re.compile(r"^[一-龥](?:\s*[一-龥]){1,3}$")
_TITLE_NAME_RE = re.compile(r"[(（]\s*([一-龥]{2,4})\s*(?:同志)?[)）]|^([一-龥]{2,3})同志在")
_TITLE_POST_RE = re.compile(
    rf"^(?P<post>(?:[省市区县州镇乡]委|[省市区县州]政府)?[一-龥]{{0,8}}?{_POST_WORD})(?:同志)?在"
)


def name_from_line(line: str) -> str | None:
    """A byline under a speech title: ``郑 建 新`` → ``郑建新``; anything else → None."""
    line = line.strip()
    if not _NAME_LINE_RE.match(line):
        return None
    name = re.sub(r"\s+", "", line)
    return name if name[0] in SURNAMES and 2 <= len(name) <= 4 else None


def speech_speaker_from_title(title: str) -> Speaker | None:
    """``在…上的讲话（郑建新）`` → 郑建新; ``县委书记在…上的讲话`` → post 县委书记, no name."""
    if (m := _TITLE_NAME_RE.search(title)) and (name := m[1] or m[2]) and name[0] in SURNAMES:
        return Speaker(name, None)
    if m := _TITLE_POST_RE.match(title):
        return Speaker("", m["post"])
    return None


# ---------------------------------------------------------------- place
@dataclass(frozen=True)
class _Place:
    name: str  # as returned
    strict: bool  # only matched with its 市 suffix


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict[str, _Place]]:
    """Surface form → place, bucketed by the form's first two characters for a fast scan."""
    table: dict[str, dict[str, _Place]] = {}

    def add(form: str, place: _Place) -> None:
        table.setdefault(form[:2], {})[form] = place

    for raw in GAZETTEER_PATH.read_text(encoding="utf-8").splitlines():
        if not raw or raw.startswith("#"):
            continue
        name, kind = raw.split("\t")
        if kind == "county":
            add(name, _Place(name, False))
        elif kind == "county_city" or kind == "city!":
            add(name + "市", _Place(name, True))
        else:
            add(name, _Place(name, False))
            add(name + "市", _Place(name, False))
    return table


def _scan_places(text: str) -> list[tuple[int, str]]:
    """All gazetteer hits as (offset, place), longest form first, never overlapping."""
    table, hits, i = _gazetteer(), [], 0
    while i < len(text) - 1:
        bucket = table.get(text[i : i + 2])
        form = max((f for f in bucket if text.startswith(f, i)), key=len, default=None) if bucket else None
        # 江南区域 / 老城区改造: a district name glued to 域 is the word 区域, not the district
        if form and not (form.endswith("区") and text[i + len(form) : i + len(form) + 1] == "域"):
            hits.append((i, bucket[form].name))  # type: ignore[index]
            i += len(form)
        else:
            i += 1
    return hits


def find_place(title: str | None, text: str) -> str | None:
    """The city/district a document is about, by weighted gazetteer hits.

    A hit in the title counts 3, in the first 200 characters 2, later 1; at least 2 are needed, so
    a passing ``学习延安精神`` or a masked ``XX市`` gives None. ``滨湖区召开…推进大会`` → 滨湖区.
    """
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for _offset, place in _scan_places(title or ""):
        scores[place] = scores.get(place, 0) + 3
        first.setdefault(place, -1)
    for offset, place in _scan_places(text[:5000]):
        scores[place] = scores.get(place, 0) + (2 if offset < 200 else 1)
        first.setdefault(place, offset)
    if not scores:
        return None
    best = max(scores, key=lambda p: (scores[p], -first[p]))
    return best if scores[best] >= 2 else None
