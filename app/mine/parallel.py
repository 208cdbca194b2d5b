"""排比 runs inside a sentence: ``抓在经常、融入日常、做在平常``, ``说文明话、办文明事、做文明人``.

A run is two or more adjacent items — parts of a clause between 、, clauses between ，, or the first clauses of
；-separated parts of a sentence (``在凝聚思想共识上争创典范…；在强化文化引领上争创典范…``) — that share a frame:
the same lead (``以学铸魂、以学增智``), the same tail (``经常/日常/平常``), or the same characters at the same
positions of equal-length items (``说文明话/办文明事``). Equal length alone is not enough (``教育、文体、医疗`` is
a list, not 排比), and two items need a stronger frame than three. Runs are rare by nature, so one document is
enough; ``score`` ranks them by the strength of their structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from app.mine.candidates import MiningContext, in_domain_share, mask_of, most_frequent, occurrence
from app.mine.clauses import QUOTES, Site, balanced_span, clean_surface, iter_units, to_wide
from app.mine.lexicon import Lexicon
from app.mine.slots import SLOT_CHARS, Slotter, expand
from app.mine.types import MinedPhrase, Occurrence
from app.text.masks import strip_masks
from app.text.tokenize import Tokenizer

_SENTENCE_RE = re.compile(r"[^。！!？?]+[。！!？?]?")
_SEGMENT_RE = re.compile(r"[^；;]+")
_CLAUSE_RE = re.compile(r"[^，,：:]+")
_FUNCTION_CHARS = frozenset("的和与及、了地得着之")
# Items that end like these are names of units or posts, and a list of them is a line-up, not 排比.
_LINEUP_TAILS = (
    "局",
    "委",
    "办",
    "部",
    "院",
    "会",
    "队",
    "站",
    "所",
    "中心",
    "书记",
    "主任",
    "部长",
    "市长",
    "区长",
    "县长",
    "主席",
    "成员",
    "同志",
    "单位",
    "街道",
    "领导",
)
MAX_ITEM_CHARS = 16


@dataclass(frozen=True)
class Run:
    items: tuple[str, ...]  # the aligned items (edge items trimmed to the run)
    separator: str
    start: int  # offset of the first item in the unit text
    end: int  # end offset of the last item
    frame: str  # ``以学__`` for equal items, ``深刻理解…`` / ``…上争创典范`` otherwise
    strength: float


def _common_prefix(items: Sequence[str]) -> int:
    n = 0
    while all(len(i) > n for i in items) and len({i[n] for i in items}) == 1:
        n += 1
    return n


def _common_suffix(items: Sequence[str]) -> int:
    n = 0
    while all(len(i) > n for i in items) and len({i[-1 - n] for i in items}) == 1:
        n += 1
    return n


def frame_of(items: Sequence[str]) -> tuple[str, int]:
    """The shared frame and its longest block of shared characters (punctuation and particles not counted).

    ``说文明话、办文明事、做文明人`` → ``("_文明_", 2)``; ``深刻理解…是A、深刻理解…是BB`` → ``("深刻理解…", 4)``.
    A lone character that happens to sit at the same place in two long items is no frame, so the block
    length, not the number of shared positions, measures it.
    """
    if len({len(i) for i in items}) == 1:
        frame = "".join(c if all(i[k] == c for i in items) else "_" for k, c in enumerate(items[0]))
        blocks = re.split(r"[_、，\u3000-\u303f“”]+", frame)
        return frame, max((len(b) for b in blocks if b.strip("的和与及了地得着之")), default=0)
    p, s = _common_prefix(items), _common_suffix(items)
    frame = (items[0][:p] if p else "") + "…" + (items[0][len(items[0]) - s :] if s else "")
    return frame, p + s


def strength_of(items: Sequence[str], frame: str, shared: int) -> float:
    """0 when the items do not form 排比; higher for more items, more shared characters and equal lengths."""
    n = len(items)
    if n < 2 or len(set(items)) < n or shared == 0:
        return 0.0
    if all(c in _FUNCTION_CHARS for c in frame.replace("_", "").replace("…", "")):
        return 0.0  # ``X的Y、Z的W``: sharing only a particle is no frame
    equal = "…" not in frame
    size = sum(len(i) for i in items) / n
    if not equal and (shared < 2 or (n == 2 and (shared < 3 or shared < 0.4 * size))):
        return 0.0
    if n == 2 and (shared < 2 or size < 4):
        return 0.0
    if shared < size / (5 if n == 2 else 6):
        return 0.0  # a lone shared character in long items is chance, not a frame
    if equal and shared * 2 > size + 1 and n < 4:
        return 0.0  # ``市城管局、市住建局``-like: almost everything shared, the items barely differ
    ratio = min(shared / size, 0.75)
    return round((1.0 if equal else 0.7) * (0.5 + ratio) * (1 + 0.25 * (min(n, 6) - 2)), 4)


def _trim_edges(items: list[str], edges: list[list[int]]) -> tuple[list[str], int, int] | None:
    """Trim the first item on the left and the last on the right to the middle items' length, at token edges.

    ``让人民群众在创城中得到实惠、看到变化、感到满意`` → ``得到实惠、看到变化、感到满意``. Returns the items and
    how many characters were cut from the first item's start and the last item's end.
    """
    if len(items) < 3:
        return items, 0, 0
    middle = {len(i) for i in items[1:-1]}
    if len(middle) != 1:
        return items, 0, 0
    size = middle.pop()
    head, tail = 0, 0
    first, last = items[0], items[-1]
    # a list closed by 等 ends there (诚信经营示范店|等主题实践活动); otherwise the head noun the run modifies is
    # cut off (以学促干|长效机制)
    if len(first) > size and len(first) - size in edges[0]:
        head = len(first) - size
    if len(last) > size:
        cut = last.find("等", 1)
        if cut > 0:
            tail = len(last) - cut
        elif size in edges[-1]:
            tail = len(last) - size
    return [first[head:], *items[1:-1], last[: len(last) - tail]], head, tail


def best_runs(pieces: list[tuple[str, list[int]]], separator: str, tokenizer: Tokenizer) -> Iterator[Run]:
    """Maximal parallel windows of a sequence of items, left to right, longer windows first.

    Each piece is an item without quotes and the text offset of each of its characters.
    """
    items = [p for p, _ in pieces]
    maps = [m for _, m in pieces]
    n = len(items)
    i = 0
    edges = [tokenizer.boundaries(item) for item in items]
    while i < n - 1:
        found = None
        for j in range(n, i + 1, -1):
            window = items[i:j]
            if any(len(w) > MAX_ITEM_CHARS or len(w) < 2 for w in window[1:-1]):
                continue
            trimmed = _trim_edges(list(window), edges[i:j])
            if trimmed is None:
                continue
            aligned, head, tail = trimmed
            if any(len(w) > MAX_ITEM_CHARS or len(w) < 2 for w in aligned):
                continue
            frame, shared = frame_of(aligned)
            strength = strength_of(aligned, frame, shared)
            if strength > 0:
                last = maps[j - 1][len(items[j - 1]) - tail - 1] + 1
                found = Run(tuple(aligned), separator, maps[i][head], last, frame, strength)
                break
        if found is None:
            i += 1
        else:
            yield found
            i = i + len(found.items)


_ITEM_RE = re.compile(r"[^、]+")


def _pieces(text: str, pattern: re.Pattern[str], base: int) -> list[tuple[str, list[int]]]:
    """Items matched by ``pattern`` without quotes or spaces, each with the offsets of its characters."""
    pieces = []
    for m in pattern.finditer(text):
        kept = [(c, base + m.start() + k) for k, c in enumerate(m.group()) if c not in QUOTES and not c.isspace()]
        if kept:
            pieces.append(("".join(c for c, _ in kept), [o for _, o in kept]))
    return pieces


def _segment_heads(
    heads: list[tuple[str, list[int]]], first: list[tuple[str, list[int]]], tokenizer: Tokenizer
) -> list[Run]:
    """Runs over the leading clauses of ；-parts; in the first part any clause may open the run, because the
    sentence's subject comes first: ``孙海东强调，…，在凝聚思想共识上争创典范，…；在强化文化引领上争创典范…``.
    """
    best: list[Run] = []
    for piece in reversed(first):
        runs = list(best_runs([piece, *heads[1:]], "；", tokenizer))
        if runs and runs[0].start == piece[1][0] and (not best or len(runs[0].items) > len(best[0].items)):
            best = runs
    return best or list(best_runs(heads, "；", tokenizer))


def sentence_runs(sentence: str, tokenizer: Tokenizer) -> list[Run]:
    """All 排比 runs of one sentence, in order, overlaps between the three levels resolved (offsets in it)."""
    runs: list[Run] = []
    heads: list[tuple[str, list[int]]] = []
    first: list[tuple[str, list[int]]] = []
    for segment in _SEGMENT_RE.finditer(sentence):
        start = segment.start()
        clauses = _pieces(segment.group(), _CLAUSE_RE, start)
        runs.extend(best_runs(clauses, "，", tokenizer))
        for m in _CLAUSE_RE.finditer(segment.group()):
            if "、" in m.group():
                items = _pieces(m.group(), _ITEM_RE, start + m.start())
                if len(items) >= 2:
                    runs.extend(best_runs(items, "、", tokenizer))
        if clauses:
            heads.append(clauses[0])
            first = first or clauses
    if len(heads) >= 2:
        runs.extend(_segment_heads(heads, first, tokenizer))
    runs.sort(key=lambda r: (r.start, -(r.end - r.start)))
    kept: list[Run] = []
    for run in runs:
        if kept and run.start < kept[-1].end:
            if run.strength > kept[-1].strength and run.end - run.start >= kept[-1].end - kept[-1].start:
                kept[-1] = run
            continue
        kept.append(run)
    return kept


def find_runs(text: str, tokenizer: Tokenizer) -> Iterator[Run]:
    """All 排比 runs of one passage or heading, in text order (offsets in the passage)."""
    for sentence in _SENTENCE_RE.finditer(text):
        for run in sentence_runs(sentence.group(), tokenizer):
            yield Run(
                run.items,
                run.separator,
                run.start + sentence.start(),
                run.end + sentence.start(),
                run.frame,
                run.strength,
            )


_NOUNS = frozenset({"n", "nr", "nz", "ns", "nt", "vn", "an", "j", "ng", "s"})


def is_enumeration(run: Run, tokenizer: Tokenizer) -> bool:
    """A list of kinds under one noun (``文明家庭、文明社区、文明校园``, ``诚信行业、诚信单位…``): it names what
    one passage counts, it carries no parallel message. A verb frame (``关爱他人、关爱社会``), a verb in the
    variable part (``文明培育、文明实践``) or a coined item (``文明办网``) makes it 排比 again.
    """
    prefix = _common_prefix(run.items)
    if prefix < 2 or _common_suffix(run.items) or "_" in run.frame.rstrip("_"):
        return False
    head = run.items[0][:prefix]
    if not tokenizer.word_freq(head) or tokenizer.word_tag(head) not in _NOUNS:
        return False
    rests = [item[prefix:] for item in run.items]
    nouns = sum(1 for r in rests if tokenizer.word_freq(r) and tokenizer.word_tag(r) in _NOUNS)
    return nouns * 3 >= len(rests) * 2


def acceptable(run: Run, slotter: Slotter, lexicon: Lexicon) -> str:
    """The slotted compact text of a run a writer would reuse, or '' (line-ups, lists, noise, names)."""
    text = run.separator.join(run.items)
    if is_enumeration(run, slotter.tokenizer):
        return ""
    if lexicon.is_noise(text):
        return ""
    if sum(1 for i in run.items if i.endswith(_LINEUP_TAILS)) * 2 >= len(run.items):
        return ""
    if all(i.startswith(("各位", "亲爱的")) for i in run.items):
        return ""  # 各位市民、各位领导、各位代表: a salutation, an opener's business
    if any(ch.isdigit() or (ch.isascii() and ch.isalpha()) for ch in strip_masks(text)):  # XX镇 is a mask, not Latin
        return ""
    compact = slotter.slot(to_wide(text)).compact
    if sum(1 for c in compact if c in SLOT_CHARS) * 2 >= len(run.items):
        return ""
    return compact


def _accepted_runs(sentence: str, ctx: MiningContext) -> list[tuple[Run, str, str, int, int]]:
    """(run, compact key, surface, start, end) of the acceptable runs of one sentence."""
    out = []
    for run in sentence_runs(sentence, ctx.tokenizer):
        compact = acceptable(run, ctx.slotter, ctx.lexicon)
        if compact:
            start, end = balanced_span(sentence, run.start, run.end)
            # the heads of ；-parts are far apart: show the items themselves, not the sentence between them
            surface = clean_surface(sentence[start:end] if run.separator != "；" else "；".join(run.items))
            out.append((run, compact, surface, start, end))
    return out


@dataclass
class _RunGroup:
    run: Run
    texts: dict[str, int] = field(default_factory=dict)
    docs: set[int] = field(default_factory=set)
    roles: dict[str, int] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    frequency: int = 0


def mine_parallel(ctx: MiningContext) -> list[MinedPhrase]:
    """排比 entries grouped by slotted text across documents; also records their items on ``ctx``.

    Work is cached per distinct sentence: a large corpus repeats its sentences far more than its passages.
    """
    groups: dict[str, _RunGroup] = {}
    items: set[str] = set()
    cache: dict[str, list[tuple[Run, str, str, int, int]]] = {}
    for doc_index, document in enumerate(ctx.documents):
        for ordinal, section_id, passage_id, text, role, _ in iter_units(document):
            for sentence in _SENTENCE_RE.finditer(text):
                found = cache.get(sentence.group())
                if found is None:
                    found = cache[sentence.group()] = _accepted_runs(sentence.group(), ctx)
                for run, compact, surface, start, end in found:
                    group = groups.get(compact)
                    if group is None:
                        group = groups[compact] = _RunGroup(run)
                    group.texts[surface] = group.texts.get(surface, 0) + 1
                    group.docs.add(doc_index)
                    group.roles[role] = group.roles.get(role, 0) + 1
                    group.frequency += 1
                    if len(group.occurrences) < ctx.max_occurrences:
                        site = Site(doc_index, ordinal, section_id, passage_id, sentence.start())
                        group.occurrences.append(occurrence(ctx.documents, site, start, end, sentence.group()))
                    items.update(run.items)
    ctx.parallel_items = frozenset(items)
    phrases = []
    for compact, group in groups.items():
        run = group.run
        df = len(group.docs)
        phrases.append(
            MinedPhrase(
                kind="parallel",
                text=most_frequent(group.texts),
                template=expand(compact),
                roles=tuple(sorted(group.roles, key=lambda r: (-group.roles[r], r))),
                frequency=group.frequency,
                doc_frequency=df,
                score=round(run.strength + 0.5 * (df - 1), 4),
                occurrences=tuple(group.occurrences),
                extra={
                    "items": list(run.items),
                    "frame": run.frame,
                    "separator": run.separator,
                    "in_domain_share": in_domain_share(ctx.documents, mask_of(sorted(group.docs))),
                },
            )
        )
    return phrases
