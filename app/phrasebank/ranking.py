"""How the phrase browser orders entries: "worth reusing" first, or the older orders on request.

One definition for the web page, ``GET /phrases`` and ``bigan phrases``. ``reuse_rank`` below is the
specification; ``app.phrasebank.store`` compiles the same tables (``KIND_POINTS``, ``LENGTH_POINTS``) into
an SQL ``ORDER BY`` so that pagination happens in the database, and a test checks the two agree.
No database, no I/O here.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, Protocol

PhraseSort = Literal["useful", "frequency", "kind"]
SORTS: tuple[PhraseSort, ...] = ("useful", "frequency", "kind")
DEFAULT_SORT: PhraseSort = "useful"
SORT_HELP = (
    "useful (default): worth reusing first — used across many documents, stock formulations, 排比 and formulas "
    "before idioms, openers/closers/transitions lower, entries from a single document last; "
    "frequency: most documents first, then most occurrences, whatever the kind; "
    "kind: the previous order — by kind, then the miner's rank within the kind."
)

# Points out of 10 for how reusable a kind is when a writer browses a section (a role tab).
KIND_POINTS: dict[str, int] = {
    "formulation": 10,  # 认真贯彻落实, 加强和改进未成年人思想道德建设
    "parallel": 10,  # 排比: 树立文明意识，培养文明举止，弘扬文明风尚
    "formula": 10,  # 四个意识, 举旗帜、聚民心、育新人、兴文化、展形象
    "heading": 8,  # a heading pattern: 牢记{内容}，共建{内容}
    "idiom": 6,  # 四字语: 久久为功 — good, but a writer reaches for them less than whole formulations
    "opener": 3,  # a single line such as 同志们： — belongs to one place in a document
    "transition": 3,
    "closer": 3,
    "skeleton": 2,  # a document's role sequence; only listed on the 全部 tab or with kind=skeleton
}
OTHER_KIND_POINTS = 5
# Points out of 10 for the length of the text: (longest length in the band, points); longer still: the rest.
LENGTH_POINTS: tuple[tuple[int, int], ...] = ((2, 5), (40, 10), (60, 7))
OVERLONG_POINTS = 4


class Rankable(Protocol):
    """What an entry needs to be ranked: a stored ``Phrase`` row qualifies, so does a small test value."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def rank(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def frequency(self) -> int: ...
    @property
    def doc_frequency(self) -> int: ...


class ReuseRank(NamedTuple):
    """Why an entry sits where it does under ``sort=useful``; tuples compare best-first with ``sorted``."""

    single_document: bool  # False sorts first: every multi-document entry precedes every one-document entry
    points: int  # minus (documents × kind points × length points): more points sort first
    doc_frequency: int  # minus the document count
    frequency: int  # minus the occurrence count
    rank: int  # the miner's own rank within the kind (its kind-specific score), best first
    id: int  # last, so the order is total and pages never overlap


def length_points(length: int) -> int:
    """10 for a usable length; 2-character scraps and sentence-long entries get fewer points."""
    for longest, points in LENGTH_POINTS:
        if length <= longest:
            return points
    return OVERLONG_POINTS


def reuse_points(kind: str, doc_frequency: int, length: int) -> int:
    """Documents × kind points × length points: an integer, so SQLite, PostgreSQL and Python agree exactly."""
    return doc_frequency * KIND_POINTS.get(kind, OTHER_KIND_POINTS) * length_points(length)


def reuse_rank(entry: Rankable) -> ReuseRank:
    """The sort key of the default "worth reusing" order: ``sorted(entries, key=reuse_rank)`` is best first.

    1. Entries seen in two or more documents come before every entry seen in only one: a phrase several
       writers used is a house formulation; one used once may be a one-off.
    2. Then by points = documents × kind points × length points. Documents dominate (two documents double
       the points), the kind weight (``KIND_POINTS``) lets a formulation, 排比 or formula outrank an idiom
       or a stock opener/closer seen in somewhat more documents, and the length weight (``LENGTH_POINTS``)
       pushes 2-character scraps and over-long sentences down.
    3. Ties: more documents, then more occurrences, then the miner's rank, then id.

    A real example, the 开头 (opening) tab of the bundled development corpus (117 entries, 40 of them seen in
    two or more documents)::

        1st   formulation   7 documents   7 × 10 × 10 = 700   我讲{数字}点意见
        2nd   formulation   5 documents   5 × 10 × 10 = 500   认真贯彻落实
        3rd   opener       16 documents  16 ×  3 × 10 = 480   同志们：
        32nd  idiom         2 documents   2 ×  6 × 10 = 120   坚持不懈
        41st  parallel      1 document    1 × 10 × 10 = 100   认识到位，人员到位，措施到位，工作到位
        81st  closer        1 document    1 ×  3 × 10 =  30   谢谢！

    Under the previous order (``sort=kind``: kind name, then the miner's rank) 谢谢！ came first, being a closer.
    """
    return ReuseRank(
        single_document=entry.doc_frequency < 2,
        points=-reuse_points(entry.kind, entry.doc_frequency, len(entry.text)),
        doc_frequency=-entry.doc_frequency,
        frequency=-entry.frequency,
        rank=entry.rank,
        id=entry.id,
    )


def frequency_rank(entry: Rankable) -> tuple[int, int, int, int]:
    """The sort key of ``sort=frequency``: most documents, then most occurrences, any kind."""
    return (-entry.doc_frequency, -entry.frequency, entry.rank, entry.id)


def kind_rank(entry: Rankable) -> tuple[str, int, int]:
    """The sort key of ``sort=kind``, the order before ``useful`` existed: kind name, then the miner's rank."""
    return (entry.kind, entry.rank, entry.id)


def hidden_kinds(sort: PhraseSort, role: str | None, kind: str | None) -> frozenset[str]:
    """Kinds left out of a listing: skeletons on a section tab, unless asked for (or the old order is)."""
    if role and not kind and sort != "kind":
        return frozenset({"skeleton"})
    return frozenset()
