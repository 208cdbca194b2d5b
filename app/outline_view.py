"""Outline output for ``bigan outline``: the stable JSON shape and the indented tree for people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.ingest.clean.classify.model import LineModel, line_scores, load_model, scorable
from app.ingest.clean.document import clean_text
from app.ingest.errors import IngestError
from app.ingest.pipeline import prepare
from app.ingest.read.formats import ReadLimits, read_path
from app.text.normalise import to_simplified


def outline_record(path: Path, limits: ReadLimits) -> dict[str, Any]:
    """One JSON Lines record for a file; a file that cannot be read gets an ``error`` field."""
    try:
        doc = prepare(read_path(path, limits))
    except IngestError as error:
        return {"path": str(path), "error": error.reason, "error_code": error.code}
    meta = doc.metadata
    return {
        "path": str(path),
        "title": to_simplified(meta.title) if meta.title else None,
        "kind": meta.kind,
        "in_domain": meta.in_domain,
        "script": meta.script,
        "date": meta.date,
        "fmt": doc.raw.fmt,
        "truncated": doc.truncated,
        "notes": list(doc.notes()),
        "text": doc.text,
        "sections": [node.to_dict() for node in doc.outline],
    }


def render_tree(record: dict[str, Any]) -> str:
    """The outline as an indented tree: one line per heading with its role."""
    if "error" in record:
        return f"{record['path']}\n  ✗ {record['error']}"
    facts = [
        record["kind"],
        record["script"],
        record["date"] or "无日期",
        "本领域" if record["in_domain"] else "其他主题",
        # a scan's text was recognised, not read: say so, recognition errors are likely
        "pdf，扫描件经文字识别（OCR）" if record["fmt"] == "pdf-ocr" else record["fmt"],
    ]
    lines = [f"{record['path']}  [{' · '.join(facts)}]", f"  标题：{record['title'] or '（无）'}"]
    # a preview or excerpt is kept out of the skeleton miner; a repaired copy may still read oddly: say both
    lines += [f"  注意：{note}" for note in record.get("notes", ())]
    for index, node in enumerate(record["sections"]):
        _tree_lines(node, 1, lines, first=index == 0)
    return "\n".join(lines)


def _tree_lines(node: dict[str, Any], depth: int, lines: list[str], first: bool = False) -> None:
    # Text before the first heading is the opening/lead; later headless runs (attendance lines,
    # participants) have no heading of their own, so show where their text starts instead.
    if node["heading"]:
        heading = node["heading"]
    elif first:
        heading = "（开头）"
    else:
        start = node["paragraphs"][0][:16] if node["paragraphs"] else ""
        heading = f"（无小标题：{start}…）"
    count = len(node["paragraphs"])
    lines.append(f"{'  ' * depth}{node['marker']}{heading}  〔{node['role']}，{count}段〕")
    for child in node["children"]:
        _tree_lines(child, depth + 1, lines)


def explain_lines(path: Path, limits: ReadLimits) -> list[str]:
    """Why each piece of text went (``--explain``): the rule that removed it, with the line classifier's p(junk) as a
    second opinion, then the lines the rules kept that the classifier scores as junk (in explain mode it only
    reports them; in remove mode they are the ``classifier`` removals above)."""
    try:
        raw = read_path(path, limits)
    except IngestError as error:
        return [f"  ✗ {error.reason}"]
    cleaned = clean_text(raw.text)
    model = load_model()
    lines = ["  删除说明 / removed:"]
    for removal in cleaned.removals:
        for text in removal.text.split("\n"):
            if not text.strip():
                continue
            at = raw.text.find(text)
            score = _score(model, text, at / len(raw.text) if at >= 0 else 0.5)
            lines.append(f"    ✗ [{removal.rule}] {text[:60]}{score}")
    if model is not None and not model.removes:
        kept = [to_simplified(line) for line in cleaned.text.split("\n")]
        for text, p in zip(kept, line_scores(kept, model), strict=True):
            if p is not None and p >= model.threshold:
                lines.append(f"    ? [classifier, explain only: kept] {text[:60]}  (p={p:.2f})")
    return lines


def _score(model: LineModel | None, text: str, position: float) -> str:
    shadow = to_simplified(text.strip())
    if model is None or not scorable(shadow):
        return ""
    return f"  (classifier p={model.probability(shadow, position):.2f})"
