"""Outline output for ``bigan outline``: the stable JSON shape and the indented tree for people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
