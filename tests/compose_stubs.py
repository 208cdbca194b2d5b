"""A stand-in passage index for the composer's tests: hand-written passages (invented wording, not corpus text).

``StubIndex`` answers both shapes the composer asks in: ``lookup(query, role, k)`` is a ``PassageLookup`` (what
``plan_draft`` takes), ``search(query, role)`` a ``PassageSearch`` (what ``ParagraphWriter`` takes). It ranks
passages by how many of the query's character pairs they contain, filters by the role they were filed under
when a role is given, and records every passage it handed out so a test can show the material was offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.compose.model import SourceRef, Suggestion


@dataclass(frozen=True)
class Passage:
    doc: int
    title: str
    role: str
    text: str

    @property
    def source(self) -> SourceRef:
        return SourceRef(document_id=self.doc, title=self.title, date="2025")


def _pairs(query: str) -> set[str]:
    words = query.split()
    return {w[i : i + 2] for w in words for i in range(len(w) - 1)}


@dataclass
class StubIndex:
    passages: Sequence[Passage]
    handed_out: list[str] = field(default_factory=list)

    def lookup(self, query: str, role: str | None, k: int) -> list[Suggestion]:
        pairs = _pairs(query)
        ranked = []
        for order, passage in enumerate(self.passages):
            if role is not None and passage.role != role:
                continue
            hits = sum(1 for pair in pairs if pair in passage.text)
            if hits:
                ranked.append((-hits, order, passage))
        ranked.sort(key=lambda item: item[:2])
        found = [Suggestion(kind="passage", text=p.text, source=p.source) for *_, p in ranked[:k]]
        self.handed_out.extend(s.text for s in found)
        return found

    def search(self, query: str, role: str | None) -> list[Suggestion]:
        return self.lookup(query, role, 8)


def corpus(*groups: Iterable[Passage]) -> list[Passage]:
    return [p for group in groups for p in group]


# 志愿服务, filed under tasks: enough sentences for a long paragraph, one spun word (效劳), one sentence off the
# subject (重点项目) inside a passage that is otherwise about it.
VOLUNTEER = [
    Passage(
        1,
        "甲县讲话",
        "tasks",
        "要持续擦亮志愿服务品牌，推动志愿服务向基层延伸。要进一步健全志愿效劳站点网络，方便群众就近参与志愿服务。"
        "要加快推进重点项目建设，确保年度投资目标如期完成。",
    ),
    Passage(
        2,
        "乙区讲话",
        "tasks",
        "要完善志愿服务激励回馈办法，让参与志愿服务的市民有荣誉感。要引导党员干部带头参加志愿服务，发挥示范带动作用。",
    ),
    Passage(
        3,
        "丙市讲话",
        "tasks",
        "要把志愿服务融入社区治理，推动志愿服务项目与居民需求精准对接。要加强志愿服务骨干培训，提升志愿服务专业化水平。",
    ),
    Passage(
        4,
        "丁县讲话",
        "tasks",
        "要拓展志愿服务领域，在助老助残、环境保护等方面组织志愿服务行动。要健全志愿服务记录制度，做到服务时长可查可转。",
    ),
    Passage(
        5,
        "戊区讲话",
        "tasks",
        "要动员青年学生踊跃投身志愿服务，在实践中增长才干。要为志愿服务组织提供场地和经费支持，帮助解决实际困难。",
    ),
    Passage(6, "己市讲话", "significance", "志愿服务是城市温度的生动体现，彰显着崇德向善的社会风尚。"),
]
# 城中村治理 and 未成年人思想道德建设, filed under tasks.
VILLAGE = [
    Passage(
        11,
        "庚区讲话",
        "tasks",
        "要扎实开展城中村治理攻坚，集中清理违章搭建和占道经营。要建立城中村治理常态巡查机制，防止脏乱差现象反弹。",
    ),
]
MINORS = [
    Passage(
        12,
        "辛县讲话",
        "tasks",
        "要把未成年人思想道德建设摆在更加突出的位置，用好校外实践阵地，帮助孩子们养成良好行为习惯。",
    ),
]
# Safeguards and significance for a 精神文明 speech.
SAFEGUARDS = [
    Passage(
        21,
        "壬市讲话",
        "safeguards",
        "各级党委要把精神文明建设列入重要议事日程，党政主要负责同志要亲自过问。要健全精神文明建设督查考核办法，"
        "对推进不力的严肃追责问责。",
    ),
    Passage(
        22,
        "癸市讲话",
        "significance",
        "精神文明建设关乎人心向背，是凝聚奋进力量的基础工程。我们要站在全局高度认识精神文明建设，增强做好工作的紧迫感。",
    ),
]
# A 安全生产 corpus that also speaks of 精神文明 and 文明城市 (wording a 安全生产 speech must never borrow).
SAFETY = [
    Passage(
        31,
        "子县讲话",
        "tasks",
        "要把安全生产纳入文明城市测评内容，推动企业落实安全生产主体责任。要以精神文明建设带动安全生产宣传，"
        "让安全生产意识深入人心。",
    ),
    Passage(
        32,
        "丑县讲话",
        "tasks",
        "要严格落实安全生产责任制，坚决守住不发生重大事故的底线。要深入排查安全生产风险隐患，做到隐患动态清零。",
    ),
    Passage(
        33,
        "寅县讲话",
        "safeguards",
        "各级党委政府要把安全生产摆上重要位置，主要负责同志要亲自研究部署。要强化安全生产督查检查，对失职失责的依规问责。",
    ),
    Passage(34, "卯县讲话", "tasks", "要深化文明城市创建与安全生产融合，营造人人讲安全的社会氛围。"),
]
# A formulation stale in 2026 (十九届五中全会精神), otherwise a good requirement about 志愿服务.
STALE = [
    Passage(41, "辰市讲话", "tasks", "要认真学习贯彻党的十九届五中全会精神，推动志愿服务事业高质量发展。"),
]
