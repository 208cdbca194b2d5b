"""Heading patterns by role: real headings generalised into templates, with their sibling sets.

``以治理现代化为突破口，全力攻克城乡文明融合的“最后一公里”`` → ``以{主题}为突破口，全力攻克{难题}``;
``肯定成绩、正视挑战，深刻把握…`` → ``{四字}、{四字}，深刻把握{内容}``; ``要高效协同`` → ``要{四字}``.
A heading occurs once per document, so headings are ranked by how general and how well-formed their structure
is (a known frame, siblings that form 排比, a length a writer can use), not by frequency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.mine.candidates import MiningContext, occurrence
from app.mine.clauses import Site, clean_surface, to_wide
from app.mine.slots import SLOT_CHARS, expand
from app.mine.types import MinedPhrase, MiningSection
from app.text.tokenize import Tokenizer

_SPEAKER_CUE_RE = re.compile(r"^[^，,。]{0,12}(?:指出|强调|要求|表示|认为|说)$")
_FRAME_NOUNS = (
    "突破口|牵引|抓手|根脉|载体|主线|引领|核心|重点|目标|导向|根本|关键|动力|保障|支撑|统领|龙头|切入点|落脚点|着力点"
)
PATTERNS: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("以X为Y，Z", re.compile(rf"^以[^，,]{{2,16}}?为(?:{_FRAME_NOUNS})[，,].+$"), 1.0),
    ("在X上Y", re.compile(r"^(?:要)?在[^，,]{2,12}?上[^，,]{2,}"), 0.9),
    ("X、Y，Z", re.compile(r"^[\u4e00-\u9fff]{4}、[\u4e00-\u9fff]{4}[，,].+$"), 0.9),
    ("X、Y", re.compile(r"^[\u4e00-\u9fff]{4}、[\u4e00-\u9fff]{4}$"), 0.8),
    ("X，是Y", re.compile(r"^[^，,]{4,20}[，,]是.+$"), 0.7),
    ("用X为Y", re.compile(r"^用[^，,]{2,10}?为[^，,]{2,10}?(?:保驾护航|赋能|助力|护航|铺路|添彩)$"), 0.8),
    ("要X", re.compile(r"^要.{2,}$"), 0.6),
)
_VERB_SLOT = {
    "攻克": "难题",
    "破解": "难题",
    "解决": "难题",
    "打通": "难题",
    "补齐": "难题",
    "构建": "目标",
    "打造": "目标",
    "建设": "目标",
    "健全": "目标",
    "完善": "目标",
    "开创": "目标",
    "建立": "目标",
}
_ADVERBS = frozenset(
    {
        "全力",
        "精心",
        "持续",
        "切实",
        "大力",
        "不断",
        "进一步",
        "坚定不移",
        "着力",
        "深入",
        "全面",
        "扎实",
        "积极",
        "认真",
        "努力",
        "奋力",
        "坚决",
        "加快",
        "更加",
        "务必",
        "始终",
        "牢牢",
        "统筹",
        "协同",
        "系统",
        "全方位",
        "高标准",
        "高质量",
        "常态化",
        "深度",
        "主动",
    }
)
MAX_HEADING_CHARS = 40


@dataclass(frozen=True)
class HeadingShape:
    text: str  # the heading as a writer reuses it (first clause of an over-long run-in heading)
    template: str
    pattern: str
    weight: float


def is_speaker_cue(heading: str) -> bool:
    """``熊茂平指出`` / ``会议强调``: a report's speech cue, a transition rather than a heading."""
    return bool(_SPEAKER_CUE_RE.match(heading))


def usable_text(heading: str) -> str:
    """The part of a heading a writer reuses: a run-in sentence is cut to its first clause.

    ``要加快补齐短板弱项,深入实施城市更新行动,…`` → ``要加快补齐短板弱项``.
    """
    if len(heading) <= MAX_HEADING_CHARS:
        return heading
    return re.split(r"[，,；;。]", heading)[0]


def _clause_template(clause: str, tokenizer: Tokenizer) -> str:
    """``全力攻克城乡文明融合的最后一公里`` → ``全力攻克{难题}``; ``正视挑战`` → ``{四字}``."""
    m = re.match(rf"^(要)?以[^，,]{{2,16}}?为({_FRAME_NOUNS})$", clause)
    if m:
        return f"{m.group(1) or ''}以{{主题}}为{m.group(2)}"
    m = re.match(r"^(要)?在([^，,]{2,12}?)上(.{2,})$", clause)
    if m:
        return f"{m.group(1) or ''}在{{领域}}上{m.group(3)}"
    m = re.match(r"^(把|将)([^，,]{2,12}?)(融入|纳入|转化为|作为|落实到|贯穿到|贯穿)(.{2,})$", clause)
    if m:
        return f"{m.group(1)}{{内容}}{m.group(3)}{{目标}}"
    m = re.match(r"^用[^，,]{2,10}?为[^，,]{2,10}?(保驾护航|赋能|助力|护航|铺路|添彩)$", clause)
    if m:
        return f"用{{手段}}为{{对象}}{m.group(1)}"
    prefix = ""
    if clause.startswith("要") and len(clause) > 3:
        prefix, clause = "要", clause[1:]
    if re.fullmatch(r"[\u4e00-\u9fff]{4}", clause):
        return prefix + "{四字}"
    tokens = tokenizer.cut(clause)
    lead = tokens[0]
    # jieba's tags are no help here (全力 n, 深化 j, 筑牢 a): a heading opens with its verb, or with a
    # manner adverb and then its verb
    if lead.rstrip("地") in _ADVERBS and len(tokens) > 1:
        lead = lead + (tokens[1] if tokens[1] != "地" else "地" + (tokens[2] if len(tokens) > 2 else ""))
    if len(clause) - len(lead) < 2 or len(lead) > 8:
        return prefix + clause
    verb = next((v for v in _VERB_SLOT if lead.endswith(v)), "")
    return prefix + lead + "{" + _VERB_SLOT.get(verb, "内容") + "}"


def shape_heading(heading: str, tokenizer: Tokenizer) -> HeadingShape:
    """Template, pattern name and structural weight of one heading."""
    text = usable_text(heading)
    pattern, weight = next(((name, w) for name, rx, w in PATTERNS if rx.match(text)), ("V+O", 0.5))
    clauses = [c for c in re.split(r"([，,、])", text)]
    parts = [c if c in "，,、" else _clause_template(c, tokenizer) for c in clauses if c]
    template = "".join("，" if p == "," else p for p in parts)
    if pattern == "V+O" and template == text:
        pattern, weight = "other", 0.2
    return HeadingShape(text, template, pattern, weight)


def sibling_parallelism(texts: Sequence[str], shapes: Sequence[HeadingShape]) -> dict[str, object]:
    """What a sibling set shares: ``{"lead": "要", "same_length": True, "same_pattern": True}``."""
    if len(texts) < 2:
        return {}
    lead = ""
    while all(len(t) > len(lead) for t in texts) and len({t[len(lead)] for t in texts}) == 1:
        lead += texts[0][len(lead)]
    return {
        "lead": lead,
        "same_length": len({len(t) for t in texts}) == 1,
        "same_pattern": len({s.pattern for s in shapes}) == 1 and shapes[0].pattern not in ("other", "V+O"),
    }


def heading_score(shape: HeadingShape, parallel: dict[str, object], n_siblings: int) -> float:
    """Structural generality: a known frame, siblings in 排比, a usable length; particular names cost."""
    score = shape.weight
    if n_siblings >= 2 and parallel:
        score += (
            0.25 * bool(parallel.get("lead"))
            + 0.15 * bool(parallel.get("same_length"))
            + 0.25 * bool(parallel.get("same_pattern"))
        )
    if 4 <= len(shape.text) <= 30:
        score += 0.2
    if any(c in SLOT_CHARS for c in shape.template):
        score -= 0.3
    return round(score, 4)


def _cached_shape(heading: str, ctx: MiningContext, cache: dict[str, HeadingShape]) -> HeadingShape:
    shape = cache.get(heading)
    if shape is None:
        shape = cache[heading] = shape_heading(to_wide(heading).replace("“", "").replace("”", ""), ctx.tokenizer)
    return shape


def mine_headings(ctx: MiningContext) -> list[MinedPhrase]:
    """Heading entries (speaker cues of reports excluded), one per distinct usable heading text."""
    entries: dict[str, dict] = {}
    cache: dict[str, HeadingShape] = {}
    for doc_index, document in enumerate(ctx.documents):
        by_parent: dict[tuple[int | None, int], list[MiningSection]] = {}
        for section in document.sections:
            if section.heading and not is_speaker_cue(section.heading) and not ctx.is_noise(section.heading):
                by_parent.setdefault((section.parent_ordinal, section.level), []).append(section)
        for siblings in by_parent.values():
            shapes = [_cached_shape(s.heading, ctx, cache) for s in siblings]
            texts = [clean_surface(usable_text(to_wide(s.heading))) for s in siblings]
            parallel = sibling_parallelism(texts, shapes)
            for section, shp, text in zip(siblings, shapes, texts, strict=True):
                if len(text) < 4:
                    continue
                entry = entries.get(text) or entries.setdefault(
                    text,
                    {
                        "shape": shp,
                        "template": expand(ctx.slotter.slot(shp.template).compact),
                        "docs": set(),
                        "roles": {},
                        "occurrences": [],
                        "siblings": texts,
                        "parallel": parallel,
                        "level": section.level,
                        "marker": section.marker,
                        "score": heading_score(shp, parallel, len(siblings) - 1),
                    },
                )
                entry["docs"].add(doc_index)
                entry["roles"][section.role] = entry["roles"].get(section.role, 0) + 1
                if len(entry["occurrences"]) < ctx.max_occurrences:
                    site = Site(doc_index, section.ordinal, section.section_id, None, 0)
                    entry["occurrences"].append(
                        occurrence(ctx.documents, site, 0, len(usable_text(section.heading)), section.heading)
                    )
    phrases = []
    for text, e in entries.items():
        roles = e["roles"]
        phrases.append(
            MinedPhrase(
                kind="heading",
                text=text,
                template=e["template"],
                roles=tuple(sorted(roles, key=lambda r: (-roles[r], r))),
                frequency=sum(roles.values()),
                doc_frequency=len(e["docs"]),
                score=e["score"],
                occurrences=tuple(e["occurrences"]),
                extra={
                    "pattern": e["shape"].pattern,
                    "siblings": e["siblings"],
                    "parallel": e["parallel"],
                    "level": e["level"],
                    "marker": e["marker"],
                },
            )
        )
    return phrases
