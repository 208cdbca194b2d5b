"""Stock formulations (套话): clauses, and maximal shared parts of clauses, that recur across documents.

Two sources feed the same filter:

* whole normalised clauses counted by document frequency (``加强组织领导`` in three speeches);
* maximal common substrings of clauses from different documents, cut at token boundaries only
  (``深入学习贯彻习近平总书记关于精神文明建设的重要论述`` inside ``全区上下要深入学习贯彻…和城市工作的重要论述``).

Substrings are searched on distinct clause keys only, and only inside regions whose character n-grams are shared
by two documents (found with numpy in one pass), so the Python work grows with the shared text, not the corpus.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.mine.candidates import (
    KeyGroup,
    MiningContext,
    in_domain_share,
    most_frequent,
    roles_of,
    span_occurrences,
)
from app.mine.clauses import han_count
from app.mine.lexicon import Lexicon
from app.mine.slots import SLOT_CHARS, expand, tag_names
from app.mine.types import MinedPhrase
from app.text.tokenize import Tokenizer

_BAD_FIRST = frozenset("的了和与及等之地得着们并或而也还都就又其")
_BAD_LAST = frozenset("的和与及或并在对把将为以从向让使被给由要是了地得着之于其这那一个等就也还都而很更最")
_BAD_FIRST_TAGS = frozenset({"uj", "ul", "uz", "ud", "ug", "uv", "c", "y", "e"})
_BAD_LAST_TAGS = frozenset({"p", "c", "uj", "uz", "ud", "ug", "uv", "r", "m", "q", "f", "d"})
_HASH_BASE = np.uint64(1_000_003)


@dataclass
class Candidate:
    compact: str
    mask: int = 0
    sources: list[tuple[KeyGroup, int, int]] = field(default_factory=list)  # (key, start, end) in compact form

    @property
    def doc_frequency(self) -> int:
        return self.mask.bit_count()


def shared_regions(groups: Sequence[KeyGroup], n: int) -> list[list[tuple[int, int]]]:
    """For each key, the character regions in which every n-gram also occurs in another document.

    A common substring of two documents of length ≥ n lies inside such a region, so substrings are only
    enumerated there. ``n``-grams are polynomial hashes over the concatenated keys (one numpy pass).
    """
    if not groups:
        return []
    text = "\x00".join(g.compact for g in groups) + "\x00"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(g.compact) + 1 for g in groups), dtype=np.int64, count=len(groups))
    owner = np.repeat(np.arange(len(groups)), lengths)
    m = len(codes) - n + 1
    if m <= 0:
        return [[] for _ in groups]
    hashes = np.zeros(m, dtype=np.uint64)
    valid = np.ones(m, dtype=bool)
    for k in range(n):
        window = codes[k : k + m]
        hashes = hashes * _HASH_BASE + window
        valid &= window != 0
    single = np.fromiter((_single_doc(g.mask) for g in groups), dtype=np.int64, count=len(groups))
    gram_doc = single[owner[:m]]
    idx = np.flatnonzero(valid)
    order = idx[np.argsort(hashes[idx], kind="stable")]
    sorted_hash = hashes[order]
    starts = np.flatnonzero(np.r_[True, sorted_hash[1:] != sorted_hash[:-1]])
    docs = gram_doc[order]
    lo = np.minimum.reduceat(docs, starts)
    hi = np.maximum.reduceat(docs, starts)
    # shared: some owner spans several documents (-1), or two owners sit in different documents
    group_shared = (lo < 0) | (lo != hi)
    shared = np.zeros(m, dtype=bool)
    shared[order] = np.repeat(group_shared, np.diff(np.r_[starts, len(order)]))
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    regions: list[list[tuple[int, int]]] = []
    for g_index, group in enumerate(groups):
        base, size = int(offsets[g_index]), len(group.compact)
        flags = shared[base : base + max(0, size - n + 1)]
        regions.append(_runs(flags, n))
    return regions


def _single_doc(mask: int) -> int:
    """The only document of a mask, or -1 when there are several."""
    return mask.bit_length() - 1 if mask and mask & (mask - 1) == 0 else -1


def _runs(flags: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Character regions covered by runs of consecutive true n-gram start flags."""
    if not flags.any():
        return []
    padded = np.r_[False, flags, False].astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1 + n) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def common_substrings(
    groups: Sequence[KeyGroup], min_chars: int, max_chars: int, min_df: int, connectives: tuple[str, ...]
) -> dict[str, Candidate]:
    """Token-aligned substrings of keys shared by ``min_df`` documents, maximal for their document set.

    A substring is dropped when extending it by one token (left or right, in any key that holds it) keeps the
    same documents: ``习近平总书记关于精神文明建设`` gives way to ``…建设的重要论述`` when both occur in the same
    documents.
    """
    spans: dict[str, Candidate] = {}
    for group, regions in zip(groups, shared_regions(groups, min_chars), strict=True):
        edges = group.boundaries
        for lo, hi in regions:
            inside = [e for e in edges if lo <= e <= hi]
            for i, a in enumerate(inside):
                if group.compact.startswith(connectives, a):
                    continue
                for b in inside[i + 1 :]:
                    if b - a > max_chars:
                        break
                    if b - a < min_chars:
                        continue
                    text = group.compact[a:b]
                    cand = spans.get(text)
                    if cand is None:
                        cand = spans[text] = Candidate(text)
                    cand.mask |= group.mask
                    if len(cand.sources) < 64:
                        cand.sources.append((group, a, b))
    return {t: c for t, c in spans.items() if c.doc_frequency >= min_df}


def drop_absorbed(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """Keep candidates that no longer candidate containing them covers in as many documents.

    Only valid candidates should be passed in: a fragment must not hide behind a longer reject
    (``工作进行再动员、再部署`` is no formulation, ``进行再动员、再部署`` is).
    """
    by_group: dict[int, list[tuple[int, int, Candidate]]] = {}
    for cand in cands.values():
        for group, a, b in cand.sources:
            by_group.setdefault(id(group), []).append((a, b, cand))
    kept: dict[str, Candidate] = {}
    for text, cand in cands.items():
        df = cand.doc_frequency
        absorbed = any(
            other is not cand and x <= a and b <= y and other.doc_frequency == df
            for group, a, b in cand.sources
            for x, y, other in by_group[id(group)]
        )
        if not absorbed:
            kept[text] = cand
    return kept


_LEFT_OK_TAGS = frozenset({"c", "d", "ad"})
_PLAIN_VERB_TAGS = frozenset({"v", "vd", "vi", "vl", "vg"})
_VERB_TAGS = _PLAIN_VERB_TAGS | {"l"}
_OBJECT_TAGS = frozenset({"n", "nz", "ns", "nt", "nr", "vn", "an", "j", "l", "i", "m", "q"})
# Prepositions that open a reusable frame (以…为…, 在…上, 把…作为…); 关于/对于 open a mere modifier.
_FRAME_PREPS = frozenset({"以", "在", "把", "为", "从", "用", "向", "让", "按照", "围绕", "通过", "坚持以", "将", "对"})


def is_full_clause(cand: Candidate) -> bool:
    """Whether some occurrence is a whole (normalised) clause."""
    return any(a == 0 and b == len(group.compact) for group, a, b in cand.sources)


def anchored(cand: Candidate, tokenizer: Tokenizer) -> bool:
    """Whether some occurrence is a complete unit: it ends where its clause ends and starts where the clause
    starts, right after a verb, adverb or conjunction (``培育和|践行社会主义核心价值观``), or with a verb of its
    own after the clause's subject (``…高质量发展|提供坚强思想保证和强大精神动力``).

    ``精神文明建设的重要论述`` (always after 关于) and ``深入学习贯彻`` (always before its object) are not.
    """
    tags = tokenizer.tag(cand.compact)
    # a verb phrase after its subject, with an object of its own: not 学习宣传贯彻 (a nominal head after 的),
    # not 持续巩固拓展 (verbs without an object)
    verb_phrase = tags[0][1] in _PLAIN_VERB_TAGS and any(t in _OBJECT_TAGS for _, t in tags[1:])
    for group, a, b in cand.sources:
        if b != len(group.compact):
            continue
        if a == 0:
            return True
        prev = _token_before(group, a, tokenizer)
        if prev and (prev[1] in _VERB_TAGS or prev[1] in _LEFT_OK_TAGS):
            return True
        if prev and verb_phrase and prev[1] not in ("uj", "ul", "uz", "p") and prev[0] not in ("的", "之"):
            return True
    return False


def _token_before(group: KeyGroup, a: int, tokenizer: Tokenizer) -> tuple[str, str] | None:
    pos = 0
    before = None
    for token, tag in tokenizer.tag(group.compact):
        if pos >= a:
            break
        before = (token, tag)
        pos += len(token)
    return before if pos == a else None


def reject_reason(
    compact: str, tokenizer: Tokenizer, lexicon: Lexicon, min_chars: int, max_chars: int, full_clause: bool = True
) -> str:
    """Why a candidate is not a formulation a writer would copy, or '' when it is one.

    ``精神文明建设的`` → ``bad edge``; ``习近平新时代中国特色社会主义思想`` → ``bare term``; a part of a clause
    must be a verb phrase (``提供强大精神力量``), a whole clause may have a subject (``有关部门各负其责``).
    """
    size = han_count(compact)
    if size < min_chars or len(compact) > max_chars:
        return "length"
    if compact in lexicon.stop_clauses or any(p.search(compact) for p in lexicon.stop_patterns):
        return "stop list"
    if lexicon.is_noise(compact):
        return "noise"
    if compact[0] in _BAD_FIRST or compact[-1] in _BAD_LAST:
        return "bad edge"
    slots = sum(1 for c in compact if c in SLOT_CHARS)
    if slots * 3 > size:
        return "mostly slots"
    if compact in lexicon.fixed_terms or compact in lexicon.formulas:
        return "bare term"
    tags = tokenizer.tag(compact)
    if len(tags) < 2:
        return "one word"
    if tags[0][1] in _BAD_FIRST_TAGS or tags[-1][1] in _BAD_LAST_TAGS:
        return "bad edge"
    verbs = [i for i, (w, t) in enumerate(tags) if t in _PLAIN_VERB_TAGS or (t in "il" and w not in lexicon.not_idioms)]
    if not verbs:
        return "no verb"
    first, tag = tags[0]
    if tag == "p" and first not in _FRAME_PREPS:
        return "bad edge"
    if full_clause:
        return ""
    if verbs[0] != 0 and tag not in ("d", "ad", "p", "c"):
        return "not a verb phrase"
    last_de = max((i for i, (w, _) in enumerate(tags) if w == "的"), default=-1)
    if last_de >= 0 and not any(i > last_de for i in verbs) and first not in lexicon.fixed_terms:
        return "noun phrase"  # 团结奋斗的共同思想基础: a part of an object, unless headed by a fixed term
    return ""


def formulation_score(doc_frequency: int, frequency: int, compact: str, share: float) -> float:
    """Spread first, then length (longer shared wording is rarer by chance), then use and domain."""
    return round(doc_frequency + 0.3 * math.log(len(compact)) + 0.1 * math.log1p(frequency) + 0.2 * share, 6)


def mine_formulations(ctx: MiningContext) -> list[MinedPhrase]:
    """Formulation entries: shared clause keys and maximal shared parts, filtered, with slotted templates."""
    groups = list(ctx.groups.values())
    cands = common_substrings(groups, ctx.min_chars, ctx.max_chars, ctx.min_doc_frequency, ctx.lexicon.connectives)
    valid = {
        text: cand
        for text, cand in cands.items()
        if not reject_reason(text, ctx.tokenizer, ctx.lexicon, ctx.min_chars, ctx.max_chars, is_full_clause(cand))
        and anchored(cand, ctx.tokenizer)
    }
    phrases = []
    for compact, cand in drop_absorbed(valid).items():
        occurrences, texts, stats = span_occurrences(ctx, cand.sources)
        text = most_frequent(texts)
        if ctx.is_noise(text):
            continue
        frequency = sum(stat.count for stat in stats)
        df = cand.doc_frequency
        share = in_domain_share(ctx.documents, cand.mask)
        template = expand(tag_names(compact, ctx.lexicon, ctx.tokenizer))
        phrases.append(
            MinedPhrase(
                kind="formulation",
                text=text,
                template=template,
                roles=roles_of(stats),
                frequency=frequency,
                doc_frequency=df,
                score=formulation_score(df, frequency, compact, share),
                occurrences=tuple(occurrences),
                extra={"in_domain_share": share, "whole_clause": is_full_clause(cand)},
            )
        )
    return phrases
