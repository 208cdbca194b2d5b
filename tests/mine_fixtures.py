"""Small hand-written MiningDocuments for the phrase-bank tests (made-up text, one kind of structure each)."""

from __future__ import annotations

from collections.abc import Sequence

from app.mine.types import MiningDocument, MiningPassage, MiningSection

# (level, marker, heading, role, passages)
Section = tuple[int, str, str, str, Sequence[str]]


def make_document(
    document_id: int,
    kind: str,
    sections: Sequence[Section],
    *,
    in_domain: bool = True,
    speaker: str | None = None,
    place: str | None = None,
    title: str | None = None,
) -> MiningDocument:
    """A MiningDocument with parents derived from levels, like ``from_prepared`` does."""
    built: list[MiningSection] = []
    stack: list[tuple[int, int]] = []
    for ordinal, (level, marker, heading, role, passages) in enumerate(sections):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((level, ordinal))
        built.append(
            MiningSection(
                None, ordinal, level, marker, heading, role, parent, tuple(MiningPassage(None, p) for p in passages)
            )
        )
    return MiningDocument(document_id, kind, in_domain, title, place, speaker, tuple(built))


SHARED = [
    make_document(
        1,
        "speech",
        [
            (
                1,
                "",
                "",
                "opening",
                [
                    "同志们：",
                    "今天，我们召开全市精神文明建设工作会议，主要任务是总结工作、部署任务。"
                    "刚才，张建国同志通报了有关情况。下面，我讲三点意见。",
                ],
            ),
            (
                1,
                "一、",
                "提高站位、凝聚共识，深刻认识精神文明建设的重要意义",
                "significance",
                [
                    "全市上下要深入学习贯彻习近平总书记关于精神文明建设的重要论述，坚持以习近平新时代中国特色社会主义思想为指导，"
                    "为谱写中国式现代化大连篇章贡献力量。"
                ],
            ),
            (
                1,
                "二、",
                "以文明实践为抓手，全力推动各项任务落地见效",
                "tasks",
                [
                    "要把创城工作抓在经常、融入日常、做在平常，引导市民说文明话、办文明事、做文明人，保持定力、久久为功。"
                ],
            ),
            (
                1,
                "三、",
                "加强组织领导，凝聚工作合力",
                "safeguards",
                ["各级党委要切实担负起主体责任，确保各项工作落到实处。"],
            ),
            (1, "", "", "closing", ["同志们，让我们更加紧密地团结起来，奋力开创精神文明建设新局面！"]),
        ],
        place="大连",
        title="在全市精神文明建设工作会议上的讲话",
    ),
    make_document(
        2,
        "speech",
        [
            (1, "", "", "opening", ["同志们：", "下面，我讲四点意见。"]),
            (
                1,
                "一、",
                "统一思想、提高认识，切实增强创建工作的责任感",
                "significance",
                [
                    "我们要认真学习贯彻习近平总书记关于精神文明建设的重要论述，坚持以习近平新时代中国特色社会主义思想为指导，"
                    "为谱写中国式现代化无锡篇章贡献力量。"
                ],
            ),
            (
                1,
                "二、",
                "以志愿服务为载体，精心打造文明实践品牌",
                "tasks",
                ["坚持与时俱进、守正创新，推动新时代文明实践走深走实。"],
            ),
            (1, "三、", "强化责任落实，营造浓厚氛围", "safeguards", ["确保各项工作落到实处。"]),
        ],
        place="无锡",
    ),
    make_document(
        3,
        "report",
        [
            (1, "", "", "lead", ["3月15日，全市精神文明建设工作会议召开。市委书记王志强出席会议并讲话。"]),
            (
                1,
                "",
                "王志强强调",
                "requirements",
                [
                    "要深入学习贯彻习近平总书记关于精神文明建设的重要论述，坚持以习近平新时代中国特色社会主义思想为指导，"
                    "增强“四个意识”、坚定“四个自信”、做到“两个维护”，科学安排好“四季红”（亲情季、成长季、丰收季、诚信季）志愿服务活动。"
                ],
            ),
            (1, "", "", "participants", ["市直有关部门主要负责同志参加会议。"]),
        ],
        speaker="王志强",
        place="南通",
    ),
]
