"""Numbered political formulas (数字概括语): ``两个确立``, ``四个意识``, ``十大品牌``, ``四季红`` …, with expansions.

A formula is a quoted numeral-led name whose numeral is followed by a classifier (``四个意识``, ``十大品牌``,
``两先区``, ``四季红``), any name from ``phrasebank/formulas.txt`` (found quoted or not: ``要落实两个纲要``), or an
unquoted ``N个XX`` whose N items the text spells out. ``七连冠`` (a count of wins) and ``一年试点、两年攻坚…``
(a plan's timetable) are not formulas.

Expansions are read from the corpus where it states them:
``“四季红”(亲情季、成长季、丰收季、诚信季)`` (parentheses), ``“六个坚持”的具体要求，即要坚持…；坚持…`` (即/：),
``文明交通、文明旅游…等“十大品牌”`` (a list closed by 等 — partial), ``两个纲要。切实抓好…实施纲要和…实施纲要``
(items ending in the formula's head); otherwise from the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.mine.candidates import MiningContext
from app.mine.clauses import Site, iter_units
from app.mine.lexicon import Lexicon
from app.mine.types import MinedPhrase, Occurrence

_NUM = "一二两三四五六七八九十百"
_CN_VALUE = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
MAX_EXPANSION_TRIES = 50  # a corpus that spells a formula out does so early; later mentions only cost time
CLASSIFIERS = "个大项季先条种化有进城创手把位张心好强型号德"
_QUOTED_RE = re.compile(r"“([^“”\n]{2,16})”")
_BROKEN_RE = re.compile(rf"“([{_NUM}]+个[\u4e00-\u9fff]{{2}})(?!”)")
_COUNTED_RE = re.compile(rf"(?<![{_NUM}])([两三四五六七八九十])个([\u4e00-\u9fff]{{2}})")
_FORMULA_RE = re.compile(rf"^[{_NUM}]+[{CLASSIFIERS}][\u4e00-\u9fff]{{1,6}}$")
# what ``N个XX`` counts when it is not a formula: 五个方面的工作, 三个关键领域, 两个小时
_GENERIC_HEADS = frozenset(
    {
        "方面",
        "部门",
        "单位",
        "环节",
        "问题",
        "领域",
        "关键",
        "重点",
        "小时",
        "百分",
        "层面",
        "阶段",
        "维度",
        "城市",
        "区县",
        "乡镇",
        "村庄",
        "项目",
        "批次",
        "年度",
        "意见",
        "地方",
        "季度",
        "月份",
        "星期",
        "文件",
        "步骤",
        "节点",
        "群体",
        "渠道",
        "平台",
        "基地",
        "中心",
        "载体",
        "板块",
    }
)


def count_of(name: str) -> int | None:
    """The number a formula counts: ``四个意识`` → 4, ``十大品牌`` → 10, ``十四五`` → None (a period, not a count)."""
    m = re.match(rf"[{_NUM}]+", name)
    if not m:
        return None
    digits = m.group()
    if len(digits) == 1:
        return _CN_VALUE.get(digits)
    if len(digits) == 2 and digits[0] == "十" and digits[1] in _CN_VALUE:
        return 10 + _CN_VALUE[digits[1]]
    if len(digits) == 2 and digits[1] == "十" and digits[0] in _CN_VALUE:
        return 10 * _CN_VALUE[digits[0]]
    return None


def is_formula_name(name: str, lexicon: Lexicon) -> bool:
    """``四个意识``, ``两先区``, ``十大品牌`` yes; ``七连冠``, ``一年试点、两年攻坚``, ``10+(5)+1`` no."""
    if name in lexicon.formulas:
        return True
    return bool(_FORMULA_RE.match(name)) and count_of(name) is not None


@dataclass
class FormulaHit:
    name: str
    sites: list[tuple[Site, int, str]] = field(default_factory=list)  # (site, offset in unit, unit text)
    docs: set[int] = field(default_factory=set)
    roles: dict[str, int] = field(default_factory=dict)
    quoted: int = 0
    count: int = 0
    expansions: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (items, complete)


def find_formulas(text: str, lexicon: Lexicon, lexicon_re: re.Pattern[str] | None) -> list[tuple[int, int, str, bool]]:
    """(start, end, name, quoted) of every formula in a passage, left to right, without overlaps."""
    hits: list[tuple[int, int, str, bool]] = []
    for m in _QUOTED_RE.finditer(text):
        name = m.group(1)
        if is_formula_name(name, lexicon):
            hits.append((m.start(1), m.end(1), name, True))
    for m in _BROKEN_RE.finditer(text):
        if is_formula_name(m.group(1), lexicon):
            hits.append((m.start(1), m.end(1), m.group(1), True))
    if lexicon_re is not None:
        hits.extend(
            (m.start(), m.end(), m.group(), text[m.start() - 1 : m.start()] == "“") for m in lexicon_re.finditer(text)
        )
    for m in _COUNTED_RE.finditer(text):
        name = m.group()
        if m.group(2) not in _GENERIC_HEADS and expansion(text, m.start(), m.end(), name)[1]:
            hits.append((m.start(), m.end(), name, False))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str, bool]] = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def _split_items(text: str) -> list[str]:
    return [i.strip(" “”") for i in re.split(r"[、，,；;]", text) if i.strip(" “”")]


def expansion(text: str, start: int, end: int, name: str) -> tuple[tuple[str, ...], bool]:
    """The items a passage gives for the formula at ``[start, end)`` and whether they are all there.

    ``“四季红”(亲情季、成长季、丰收季、诚信季)`` → ``(("亲情季", "成长季", "丰收季", "诚信季"), True)``.
    """
    n = count_of(name)
    after = text[end : end + 400]
    m = re.match(r"”?[（(]([^）)]{2,80})[）)]", after)
    if m:
        items = _split_items(m.group(1))
        if len(items) >= 2:
            return tuple(items), n is not None and len(items) == n
    m = re.match(r"”?[^。；;]{0,12}?(?:即|是指|就是|包括)[：:，,]?", after)
    if m and n:
        rest = after[m.end() :]
        parts = [p for p in re.split(r"[；;]", rest.split("。")[0]) if p.strip()]
        items = [re.split(r"[，,]", p)[0].strip(" “”") for p in parts[:n]]
        items = [re.sub(r"^(?:要|一是|二是|三是|四是|五是|六是)", "", i) for i in items if len(i) >= 2]
        if len(items) >= 2:
            return tuple(items), len(items) == n
    head = name[-2:]
    if n and len(name) >= 4 and head not in _GENERIC_HEADS:
        window = text[end : end + 160]
        items = re.findall(rf"([\u4e00-\u9fff]{{2,24}}?{re.escape(head)})(?=[和与及、，,。；;]|$)", window)
        items = [re.sub(r"^(?:切实|认真|抓好|落实|要|把|是)+", "", i) for i in items]
        if len(items) == n:
            return tuple(items), True
    before = text[max(0, start - 120) : start]
    m = re.search(r"([^，,。；;：:“”]{4,100})等“?$", before)
    if m:
        items = [i for i in m.group(1).split("、") if i]
        if len(items) >= 2:
            first = re.sub(r"^.*(?:组织好|开展|推进|抓好|实施|持续|广泛|推出|打造)", "", items[0])
            items[0] = first or items[0]
            return tuple(items), n is not None and len(items) == n
    return (), False


def best_expansion(hit: FormulaHit, lexicon: Lexicon) -> tuple[list[str], bool, str]:
    """(items, complete, source): a complete corpus expansion, else the lexicon's, else the longest partial one."""
    complete = [items for items, done in hit.expansions if done]
    if complete:
        return list(max(complete, key=lambda i: (len(i), i))), True, "corpus"
    known = lexicon.formulas.get(hit.name, ())
    if known:
        return list(known), True, "lexicon"
    partial = [items for items, _ in hit.expansions]
    if partial:
        return list(max(partial, key=lambda i: (len(i), i))), False, "corpus"
    return [], False, ""


def formula_score(hit: FormulaHit, items: list[str], complete: bool) -> float:
    """Spread across documents first; quoting (the writer marked it as a formula) and a known expansion help."""
    return round(len(hit.docs) + 0.5 * min(hit.quoted, 4) / 4 + (0.5 if complete else 0.2 if items else 0.0), 4)


def mine_formulas(ctx: MiningContext, include_lexicon: bool = False) -> list[MinedPhrase]:
    """Formula entries found in the corpus (and, with ``include_lexicon``, the lexicon's unseen ones)."""
    names = sorted(ctx.lexicon.formulas, key=lambda n: (-len(n), n))
    lexicon_re = re.compile("|".join(re.escape(n) for n in names)) if names else None
    hits: dict[str, FormulaHit] = {}
    for doc_index, document in enumerate(ctx.documents):
        for ordinal, section_id, passage_id, text, role, _ in iter_units(document):
            if ctx.is_noise(text) and not any(n in text for n in ctx.lexicon.formulas):
                continue
            for start, end, name, quoted in find_formulas(text, ctx.lexicon, lexicon_re):
                if ctx.is_noise(text[max(0, start - 4) : end + 4]):
                    continue  # 坚决“四个自信: spun text around the formula
                hit = hits.setdefault(name, FormulaHit(name))
                hit.docs.add(doc_index)
                hit.roles[role] = hit.roles.get(role, 0) + 1
                hit.quoted += quoted
                hit.count += 1
                if len(hit.expansions) < MAX_EXPANSION_TRIES and not any(done for _, done in hit.expansions):
                    hit.expansions.append(expansion(text, start, end, name))
                if len(hit.sites) < ctx.max_occurrences:
                    hit.sites.append((Site(doc_index, ordinal, section_id, passage_id, 0), start, text[start:end]))
    if include_lexicon:
        for name in names:
            hits.setdefault(name, FormulaHit(name))
    phrases = []
    for name, hit in hits.items():
        items, complete, source = best_expansion(hit, ctx.lexicon)
        occurrences = tuple(
            Occurrence(
                ctx.documents[site.doc].document_id,
                site.section_ordinal,
                site.section_id,
                site.passage_id,
                start,
                surface,
            )
            for site, start, surface in hit.sites
        )
        phrases.append(
            MinedPhrase(
                kind="formula",
                text=name,
                template=name,
                roles=tuple(sorted(hit.roles, key=lambda r: (-hit.roles[r], r))),
                frequency=hit.count,
                doc_frequency=len(hit.docs),
                score=formula_score(hit, items, complete),
                occurrences=occurrences,
                extra={
                    "expansion": items,
                    "expansion_complete": complete,
                    "expansion_source": source,
                    "count": count_of(name),
                    "quoted": hit.quoted,
                    "in_lexicon": name in ctx.lexicon.formulas,
                },
            )
        )
    return phrases
