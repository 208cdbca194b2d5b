"""A synthetic speech corpus of any size, for measuring /draft and the write path at 10 000 documents.

Speech-shaped .txt files (title 在…上的讲话, date line, 同志们：, 3–5 level-1 headings 一、… from the bundled
corpus's real headings recombined, some level-2 headings （一）…, 15–25 paragraphs) whose paragraphs are
``benchmarks.synthetic`` passages — real clauses of the bundled corpus recombined. Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import CORPUS

SEED = 20240613
_NUMERALS = "一二三四五六七八九十"

# Meeting names and places for the titles (在{place}{year}{scope}{topic}{meeting}上的讲话).
_PLACES = ("", "", "大连市", "沈阳市", "无锡市", "滨湖区", "厦门市", "湖里区", "温州市", "嘉兴市", "金华市",
           "宁波市", "苏州市", "常州市", "扬州市", "泉州市", "佛山市", "东莞市", "绍兴市", "鞍山市", "营口市",
           "丹东市", "锦州市", "庄河市", "瓦房店市", "普兰店区", "甘井子区", "沙河口区", "中山区",
           "西岗区")  # fmt: skip
_SCOPES = ("全市", "全区", "全县", "市文明委", "区文明委", "全市宣传思想文化系统", "全市")
_TOPICS = ("精神文明建设", "文明城市创建", "争创全国文明典范城市", "新时代文明实践中心建设", "志愿服务",
           "未成年人思想道德建设", "城中村现代化治理", "移风易俗", "诚信建设", "文明村镇创建",
           "社会主义核心价值观建设", "公民道德建设", "文明单位创建", "城市文明程度提升", "全域文明创建")  # fmt: skip
_MEETINGS = ("工作会议", "工作推进会", "推进大会", "表彰大会", "座谈会", "动员部署会", "现场推进会",
             "全体会议", "专题会议", "工作调度会", "总结表彰会", "经验交流会")  # fmt: skip
_NUMERALS = "一二三四五六七八九十"
_MIN_PARAGRAPH = 20  # recombined stand-ins for 同志们： and other one-liners are not paragraphs
_OPENING_ROLES = frozenset({"opening", "lead", "remarks"})
_BODY_ROLES = frozenset({"review", "tasks", "safeguards", "requirements", "remarks"})


@dataclass(frozen=True)
class Material:
    """What the synthetic documents are built from: real headings (whole and as clauses) and passages."""

    level1: tuple[str, ...]
    level2: tuple[str, ...]
    opening: tuple[str, ...]
    body: tuple[str, ...]


def _material(passages: int, seed: int) -> Material:
    from app.ingest.pipeline import prepare
    from app.ingest.read.formats import read_path
    from benchmarks.synthetic import synthetic_records

    whole1: list[str] = []
    whole2: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        for node in prepare(read_path(path)).outline:
            stack = [node]
            while stack:
                current = stack.pop()
                stack.extend(current.children)
                heading = current.heading.strip("，,。；; ")
                if len(heading) < 4 or re.search(r"(指出|强调|要求)$", heading):
                    continue  # 熊茂平强调 and the like are paragraph leads, not headings
                (whole1 if current.level == 1 and current.marker else whole2).append(heading)
    # Level-1 headings: the real ones, and the two halves of real two-clause headings recombined
    # (肯定成绩、正视挑战 + 奋力开创全市精神文明建设的崭新局面) — a few hundred distinct headings, all real wording.
    # Long ■ bullet sentences of the meeting reports are not headings: only headings up to 40 characters count.
    whole1 = [h for h in whole1 if len(h) <= 40]
    whole2 = [h for h in whole2 if len(h) <= 40]
    halves = [re.split(r"[，,]", h, maxsplit=1) for h in whole1 + whole2 if re.search(r"[，,]", h)]
    heads = sorted({h[0] for h in halves if 4 <= len(h[0]) <= 16})
    tails = sorted({h[1] for h in halves if 6 <= len(h[1]) <= 28})
    level1 = sorted({*whole1, *(f"{a}，{b}" for a in heads for b in tails)})
    level2 = sorted({*whole2, *heads, *tails})
    opening: list[str] = []
    body: list[str] = []
    for record in synthetic_records(passages, seed=seed):
        if len(record.text) < _MIN_PARAGRAPH:
            continue
        if record.role in _OPENING_ROLES:
            opening.append(record.text)
        if record.role in _BODY_ROLES:
            body.append(record.text)
    return Material(tuple(level1), tuple(level2), tuple(opening), tuple(body))


def write_corpus(directory: Path, documents: int, seed: int = SEED) -> tuple[int, int]:
    """``documents`` speech-like .txt files in ``directory`` (deterministic for a seed); (paragraphs, bytes)."""
    material = _material(documents * 24, seed)
    rng = random.Random(seed)
    opening_at = body_at = 0
    paragraphs = size = 0
    for number in range(documents):
        year = rng.randint(2016, 2025)
        place = rng.choice(_PLACES)
        title = (
            f"在{rng.choice(('', f'{year}年'))}{place or rng.choice(_SCOPES)}{rng.choice(_TOPICS)}"
            f"{rng.choice(_MEETINGS)}上的讲话"
        )
        lines = [title, f"（{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日）", "同志们："]
        target = rng.randint(15, 25)
        parts = rng.randint(3, 5)
        opening_count = rng.randint(1, 3)
        for _ in range(opening_count):
            lines.append(material.opening[opening_at % len(material.opening)])
            opening_at += 1
        # The rest of the paragraphs spread over the parts, at least two under each.
        left = target - opening_count - 1  # one closing paragraph
        shares = [2] * parts
        for _ in range(left - 2 * parts):
            shares[rng.randrange(parts)] += 1
        for part, (share, heading) in enumerate(zip(shares, rng.sample(material.level1, parts), strict=True)):
            lines.append(f"{_NUMERALS[part]}、{heading}")
            # Some parts divide into （一）（二）… with a paragraph or more under each; the rest run on.
            subheads = rng.sample(material.level2, min(share, rng.randint(2, 4))) if rng.random() < 0.5 else []
            for index in range(share):
                if subheads and index < len(subheads):
                    lines.append(f"（{_NUMERALS[index]}）{subheads[index]}。")
                lines.append(material.body[body_at % len(material.body)])
                body_at += 1
        lines.append(material.body[body_at % len(material.body)])
        body_at += 1
        paragraphs += target
        text = "\n".join(lines) + "\n"
        size += len(text.encode("utf-8"))
        (directory / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    return paragraphs, size
