"""Drafts built as values (not by the planner), so the rendering and export tests pin the templates."""

from __future__ import annotations

from app.compose.model import Draft, DraftSection, DraftSentence, Paragraph, SourceRef, Suggestion

SPEECH_2024 = SourceRef(document_id=3, title="在全市精神文明建设工作会上的讲话", date="2024-03-01")
NOTICE = SourceRef(document_id=7, title="关于深化志愿服务的通知", date=None)
BUILT_IN = SourceRef(document_id=None, title=None, date=None)
OPENING = (
    "今天我们召开全市精神文明建设工作推进会，主要任务是【待补：会议主要任务】。",
    "下面，我讲三点意见。",
)
SIGNIFICANCE = (
    DraftSentence(text="精神文明建设是一项长期的战略任务。", source=SPEECH_2024),
    DraftSentence(text="必须从政治和全局的高度认识这项工作。", source=BUILT_IN),
    DraftSentence(text="志愿服务是城市文明的重要标志。", source=NOTICE),
    DraftSentence(text="要把文明创建融入城市发展全过程。", source=SPEECH_2024),
)
VOLUNTEER = (
    DraftSentence(text="要广泛开展志愿服务活动，健全志愿服务组织体系。", source=NOTICE),
    DraftSentence(text="全市注册志愿者达到【待补：人数】。", source=None),
)
STOCK = tuple(Suggestion(kind="formulation", text=f"可选表述第{n}条") for n in range(1, 8))
PASSAGE = Suggestion(kind="passage", text="参考段落原文：深化志愿服务制度化建设。", source=SPEECH_2024)
GAP = Suggestion(kind="placeholder", text="【待补：本项工作的具体目标、措施和时间节点】")
LONG_TITLE = "在全市精神文明建设暨创建全国文明典范城市工作推进会上的讲话"


def paragraph_draft(title: str = "在全市精神文明建设工作推进会上的讲话") -> Draft:
    """An opening and two headings with paragraphs, one sub-heading left as an outline, a plain closing."""
    opening = DraftSection(
        number="",
        heading="开头",
        role="opening",
        level=0,
        paragraph=Paragraph(sentences=tuple(DraftSentence(text=t) for t in OPENING)),
        suggestions=(*(Suggestion(kind="text", text=t) for t in OPENING), Suggestion(kind="opener", text="开场套话")),
    )
    outline_child = DraftSection(
        number="（一）",
        heading="切实加强组织领导",
        role="safeguards",
        level=2,
        minutes=0.4,
        suggestions=(GAP, Suggestion(kind="formulation", text="主要领导亲自抓、负总责")),
    )
    significance = DraftSection(
        number="一、",
        heading="提高站位，深刻认识精神文明建设的重大意义",
        role="significance",
        level=1,
        minutes=1.5,
        paragraph=Paragraph(sentences=SIGNIFICANCE),
        suggestions=(*STOCK, PASSAGE),
    )
    tasks = DraftSection(
        number="二、",
        heading="突出重点，持续深化志愿服务",
        role="tasks",
        level=1,
        topic="志愿服务",
        minutes=1.2,
        paragraph=Paragraph(sentences=VOLUNTEER),
        suggestions=(GAP, Suggestion(kind="idiom", text="久久为功")),
        children=(outline_child,),
    )
    closing = DraftSection(
        number="",
        heading="结尾",
        role="closing",
        level=0,
        suggestions=(Suggestion(kind="text", text="同志们，让我们奋力开创精神文明建设新局面！"),),
    )
    return Draft(
        title=title,
        doc_type="speech",
        byline=("市委副书记 张三", "（2026年12月2日）"),
        salutation="同志们：",
        minutes=3.1,
        notes=("会议类型：推进（据会议名称判断）",),
        sections=(opening, significance, tasks, closing),
    )
