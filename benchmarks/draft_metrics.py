"""Leave-one-out reconstruction (issue 13), the pure side: the request each fold drafts from and the metrics
comparing the draft with what the human wrote. The harness that runs the folds is ``benchmarks.draft_reconstruction``.


The request (``build_request``): meeting = the title's ``在…上的讲话`` part with years removed; speaker = what
stands before ``在``; place = a named 省/市/县/区 opening the meeting; date = the gold date padded to a day
(2024 → 2024-01-01); parts = the human's level-1 heading count clamped to 2–6; no ``detail`` (each version
uses its own default, recorded per fold). Topics (``request_topics``) come from the gold headings, with roles
from the outline parser (gold heading ↔ parsed section by text): the points (level-2, else level-3 headings)
under the human's ``tasks`` parts; else its ``tasks`` level-1 headings; else the points of its parts other than
significance/review; else those parts' level-1 headings; else none (the composer adds common topics).
``topic_from_heading`` makes the topic: a ``在X上`` clause → X; else the longest comma clause, lead verbs and
adverbs stripped (全力, 切实, 加强 …), cut before a last ``的`` followed by at most 4 characters (…全民参与的强大
合力 → 全民参与); deduplicated, at most 8.

Metrics (text simplified, whitespace and quote marks removed; bigrams are character bigrams of the CJK,
Latin and digit characters):
- roles L1/L2: of the human's headed sections at that level (roles from the project's own outline parser,
  run by the reference checkout), the share whose role the draft's sections at that level also carry
  (multiset intersection of roles / human count).
- heading overlap L1/L2: for each gold heading, the best bigram-set **Dice** (2|A∩B|/(|A|+|B|)) with any
  draft heading of the same level; mean over the human's headings.
- formulation recall: targets = fold phrase-bank entries of kind formulation/formula/parallel/idiom with
  doc_frequency ≥ 2 (the corpus without the speech) whose template (slots ``{…}`` match 1–12 characters)
  occurs in the human's cleaned text; recall = share found in the draft's body (title, headings and drafted
  sentences) and, separately, anywhere (plus heading alternatives, every suggestion, placeholders included).
- subject precision L1/L2: drafted sentences are the sentences of ``DraftSection.paragraph``; a draft with no
  paragraph anywhere (old versions) uses its suggestions except placeholders, split at 。！？. Placeholders
  ``【…】`` are removed; sentences under 6 characters are not counted. Each draft section of level L maps to
  the human's headed level-L section with the best heading Dice (≥ 0.2), else the first one of the same role,
  else none. A sentence in the subtree of a draft level-L section matches when its bigram-count cosine with
  the mapped human section's subtree (headings and paragraphs) is positive and strictly greater than with
  every other human level-L section; precision = matches / counted sentences (unmapped ones count as misses).
  L2 figures cover only speeches with ≥ 2 human level-2 sections.

Module level imports the standard library only (opencc is imported on first use).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

FORMULATION_KINDS = ("formulation", "formula", "parallel", "idiom")
MIN_SENTENCE_CHARS = 6
MAP_MIN_DICE = 0.2
_QUOTES = re.compile(r"[\s“”\"‘’'「」『』]+")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_PLACEHOLDER = re.compile(r"【[^】]*】")
_SPEECH_TITLE = re.compile(r"^(?P<speaker>.{0,16}?)在(?P<meeting>.+?)(?:上|中)?的?(?:讲话|发言|致辞|主持词|讲话稿)")
_YEAR = re.compile(r"\d{4}年度?")
_PLACE = re.compile(r"^([^全文明城创建争巩]{1,6}?(?:省|市|县|区|州|旗|盟))")
_LEADS = (
    "深刻认识", "准确把握", "进一步", "全力", "全面", "切实", "着力", "著力", "持续", "深入", "扎实", "大力", "不断",
    "坚持", "突出", "聚焦", "强化", "加强", "推动", "推进", "深化", "着眼", "围绕", "抓好", "抓实", "做好", "狠抓",
    "坚决", "积极", "广泛", "凝聚", "补齐", "提升", "提高", "压实", "营造", "健全", "完善", "打造", "构建", "建立",
    "用好", "要",
)  # fmt: skip


# ---- text ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # a project dependency; traditional-script copies compare after conversion

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified script, without whitespace and quote marks."""
    return _QUOTES.sub("", _t2s().convert(text))


def bigrams(text: str) -> Counter[str]:
    chars = "".join(_WORD.findall(normalise(text)))
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def dice(a: str, b: str) -> float:
    x, y = set(bigrams(a)), set(bigrams(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])", text) if s.strip()]


# ---- the human side: request and reference sections ----------------------------------------------------


@dataclass(frozen=True)
class HumanSection:
    """A headed section of the human's speech (from the outline parser): its subtree's text is its body."""

    level: int
    heading: str
    role: str
    body: str


def human_sections(record: dict[str, Any]) -> list[HumanSection]:
    """Headed level-1/level-2 sections of a ``bigan outline --json`` record, in document order."""
    found: list[HumanSection] = []

    def subtree(node: dict[str, Any]) -> str:
        return "\n".join([node["heading"], *node["paragraphs"], *(subtree(c) for c in node["children"])])

    def visit(node: dict[str, Any]) -> None:
        if node["heading"] and node["level"] in (1, 2):
            found.append(HumanSection(node["level"], node["heading"], node["role"], subtree(node)))
        for child in node["children"]:
            visit(child)

    for node in record.get("sections", []):
        visit(node)
    return found


def meeting_from_title(title: str) -> tuple[str, str, str]:
    """(meeting, speaker, place): 县委书记在琅屿市2024年…推进会上的讲话 → (琅屿市…推进会, 县委书记, 琅屿市)."""
    title = normalise(title)
    match = _SPEECH_TITLE.match(title)
    meeting, speaker = (match["meeting"], match["speaker"]) if match else (title, "")
    meeting = _YEAR.sub("", meeting).strip() or title
    place = _PLACE.match(meeting)
    return meeting[:80], speaker[:60], place[1] if place else ""


def topic_from_heading(heading: str) -> str:
    """在思想引领上求突破 → 思想引领; 坚持共建共享，广泛凝聚全民参与的强大合力 → 全民参与."""
    clauses = [c for c in re.split(r"[，,；;：:。！!？?、\s]+", normalise(heading)) if c]
    for clause in clauses:
        match = re.search(r"在(.{2,12}?)(?:上|中|方面)", clause)
        if match:
            return match[1]
    if not clauses:
        return ""
    text = max(reversed(clauses), key=len)  # the longest clause; the later one on a tie
    for _ in range(3):
        lead = next((w for w in _LEADS if text.startswith(w) and len(text) - len(w) >= 2), None)
        if lead is None:
            break
        text = text[len(lead) :]
    head, _, tail = text.rpartition("的")
    return (head if len(head) >= 2 and len(tail) <= 4 else text)[:30]


def gold_roles(gold: dict[str, Any], sections: Sequence[HumanSection]) -> list[str | None]:
    """The parser's role for each gold heading: same text, else best Dice ≥ 0.5, else None."""
    roles: list[str | None] = []
    for heading in gold.get("headings", []):
        text = normalise(heading["text"])
        exact = [s.role for s in sections if normalise(s.heading) == text]
        scored = max(((dice(text, s.heading), s.role) for s in sections), default=(0.0, None))
        roles.append(exact[0] if exact else scored[1] if scored[0] >= 0.5 else None)
    return roles


def request_topics(gold: dict[str, Any], sections: Sequence[HumanSection]) -> list[str]:
    parts: list[tuple[str | None, dict[str, Any], list[dict[str, Any]]]] = []  # (role, level-1 heading, points)
    for heading, role in zip(gold.get("headings", []), gold_roles(gold, sections), strict=True):
        if heading["level"] == 1:
            parts.append((role, heading, []))
        elif parts:
            parts[-1][2].append(heading)

    def points(subs: list[dict[str, Any]]) -> list[dict[str, Any]]:  # the part's highest sub-level: 2, else 3
        return [h for h in subs if h["level"] == min(x["level"] for x in subs)]

    framing = ("significance", "review")  # why and how far: their headings are no topics
    stages = (
        [p for role, _, subs in parts if role == "tasks" and subs for p in points(subs)],
        [h for role, h, _ in parts if role == "tasks"],
        [p for role, _, subs in parts if role not in framing and subs for p in points(subs)],
        [h for role, h, _ in parts if role not in framing],
    )
    chosen = next((stage for stage in stages if stage), [])
    topics = [topic_from_heading(h["text"]) for h in chosen]
    return list(dict.fromkeys(t for t in topics if len(t) >= 2))[:8]


def build_request(gold: dict[str, Any], sections: Sequence[HumanSection]) -> dict[str, Any]:
    meeting, speaker, place = meeting_from_title(gold.get("title") or "")
    level1 = sum(1 for h in gold.get("headings", []) if h["level"] == 1)
    request: dict[str, Any] = {"doc_type": "speech", "meeting": meeting, "parts": min(6, max(2, level1))}
    request["topics"] = request_topics(gold, sections)
    date = gold.get("date") or ""
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", date):
        request["date"] = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]
    if place:
        request["place"] = place
    if speaker:
        request["speaker"] = speaker
    return request


def is_fold(gold: dict[str, Any] | None) -> bool:
    return bool(gold) and gold.get("kind") == "speech" and sum(h["level"] == 1 for h in gold["headings"]) >= 2


# ---- the metrics --------------------------------------------------------------------------------------


def role_recall(human: Sequence[str], draft: Sequence[str]) -> float | None:
    if not human:
        return None
    return sum((Counter(human) & Counter(draft)).values()) / len(human)


def heading_overlap(human: Sequence[str], draft: Sequence[str]) -> float | None:
    if not human:
        return None
    return sum(max((dice(h, d) for d in draft), default=0.0) for h in human) / len(human)


def entry_pattern(template: str) -> re.Pattern[str]:
    """A bank template as a regex over normalised text: each ``{slot}`` stands for 1–12 characters."""
    parts = re.split(r"\{[^{}]+\}", normalise(template))
    return re.compile(".{1,12}?".join(re.escape(p) for p in parts))


def formulation_targets(entries: Iterable[dict[str, Any]], human_text: str) -> list[str]:
    """Templates of the bank's distinctive entries (doc_frequency ≥ 2) that the human's text contains."""
    text = normalise(human_text)
    found = [
        e["template"]
        for e in entries
        if e["kind"] in FORMULATION_KINDS and e["doc_frequency"] >= 2 and entry_pattern(e["template"]).search(text)
    ]
    return list(dict.fromkeys(found))


def formulation_recall(targets: Sequence[str], text: str) -> float | None:
    if not targets:
        return None
    lines = "\n".join(normalise(line) for line in text.split("\n"))
    return sum(bool(entry_pattern(t).search(lines)) for t in targets) / len(targets)


@dataclass(frozen=True)
class DraftView:
    """What the metrics read from a draft's JSON (either version): sections flattened with their text."""

    title: str
    sections: tuple[dict[str, Any], ...]
    paragraphs: bool

    @classmethod
    def of(cls, draft: dict[str, Any]) -> DraftView:
        flat: list[dict[str, Any]] = []
        stack = list(reversed(draft.get("sections", [])))
        while stack:
            section = stack.pop()
            flat.append(section)
            stack.extend(reversed(section.get("children", [])))
        has_paragraphs = any((s.get("paragraph") or {}).get("sentences") for s in flat)
        return cls(draft.get("title", ""), tuple(flat), has_paragraphs)

    def own_sentences(self, section: dict[str, Any]) -> list[str]:
        if self.paragraphs:
            return [s["text"] for s in (section.get("paragraph") or {}).get("sentences", [])]
        texts = [s["text"] for s in section.get("suggestions", []) if s["kind"] != "placeholder"]
        return [piece for text in texts for piece in sentences_of(text)]

    def subtree_sentences(self, section: dict[str, Any]) -> list[str]:
        return [
            *self.own_sentences(section),
            *(x for c in section.get("children", []) for x in self.subtree_sentences(c)),
        ]

    def body_text(self) -> str:
        lines = [self.title, *(s["heading"] for s in self.sections)]
        return "\n".join(lines + [x for s in self.sections for x in self.own_sentences(s)])

    def all_text(self) -> str:
        extra = [x for s in self.sections for x in (*s.get("alternatives", []), *(g["text"] for g in s["suggestions"]))]
        return "\n".join([self.body_text(), *extra])


def subject_precision(view: DraftView, human: Sequence[HumanSection], level: int) -> tuple[float | None, int]:
    """(share of counted sentences under draft level-``level`` sections that match their mapped section, count)."""
    candidates = [h for h in human if h.level == level]
    vectors = [bigrams(h.body) for h in candidates]
    matched = counted = 0
    for section in (s for s in view.sections if s.get("level") == level):
        scores = [dice(section["heading"], h.heading) for h in candidates]
        best = max(range(len(candidates)), key=lambda i: scores[i], default=None)
        if best is None or scores[best] < MAP_MIN_DICE:
            best = next((i for i, h in enumerate(candidates) if h.role == section.get("role")), None)
        for sentence in view.subtree_sentences(section):
            gram = bigrams(_PLACEHOLDER.sub("", sentence))
            if sum(gram.values()) + 1 < MIN_SENTENCE_CHARS:
                continue
            counted += 1
            if best is None:
                continue
            sims = [cosine(gram, v) for v in vectors]
            matched += sims[best] > 0 and all(sims[best] > s for i, s in enumerate(sims) if i != best)
    return (matched / counted if counted else None), counted


def score_fold(
    draft: dict[str, Any], gold: dict[str, Any], human: Sequence[HumanSection], targets: Sequence[str]
) -> dict[str, Any]:
    view = DraftView.of(draft)
    scores: dict[str, Any] = {"mode": "paragraphs" if view.paragraphs else "suggestions"}
    for level in (1, 2):
        mine = [s for s in view.sections if s.get("level") == level]
        scores[f"roles_l{level}"] = role_recall([h.role for h in human if h.level == level], [s["role"] for s in mine])
        gold_headings = [h["text"] for h in gold["headings"] if h["level"] == level]
        scores[f"heading_l{level}"] = heading_overlap(gold_headings, [s["heading"] for s in mine])
        if level == 1 or sum(h.level == 2 for h in human) >= 2:
            scores[f"subject_l{level}"], scores[f"sentences_l{level}"] = subject_precision(view, human, level)
        else:
            scores[f"subject_l{level}"], scores[f"sentences_l{level}"] = None, 0
    scores["targets"] = len(targets)
    scores["recall_body"] = formulation_recall(targets, view.body_text())
    scores["recall_all"] = formulation_recall(targets, view.all_text())
    return scores
