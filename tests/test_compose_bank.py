"""The composer's bank queries: the indexed role query answers what a scan would; skeleton votes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.compose.bank import RECENT_ANSWERS, RELATED_ROLES, SUGGESTION_KINDS, BankEntry, ComposeBank

ROLES = ("tasks", "safeguards", "requirements", "review", "remarks", "problems")
# A small alphabet, so random texts share character pairs with random topics often.
CHARS = "建设文明城市志愿服务工作治理加强"


def _scan(bank: ComposeBank, role: str, topic: str, about: set[str], min_pairs: int) -> list[str]:
    """The definition: the role's entries (own or sibling role), those with ``min_pairs`` of ``about``'s pairs,
    ordered by own role, overlap with the topic, fit, spread and text."""
    related = RELATED_ROLES.get(role, ())
    pairs = {topic[i : i + 2] for i in range(len(topic) - 1)}

    def fit(e: BankEntry) -> int:
        return e.roles.get(role, 0) * 100 + sum(e.roles.get(r, 0) for r in related)

    def overlap(e: BankEntry) -> int:
        return sum(1 for i in range(len(e.text) - 1) if e.text[i : i + 2] in pairs)

    found = [
        e
        for e in bank.entries
        if e.kind in SUGGESTION_KINDS and fit(e) > 0 and (not about or sum(p in e.text for p in about) >= min_pairs)
    ]
    found.sort(key=lambda e: (e.roles.get(role, 0) == 0, -overlap(e), -fit(e), -e.doc_frequency, e.text))
    return [e.text for e in found]


entries = st.builds(
    BankEntry,
    kind=st.sampled_from((*SUGGESTION_KINDS, "heading")),
    text=st.text(CHARS, min_size=2, max_size=8),
    template=st.just(""),
    roles=st.dictionaries(st.sampled_from(ROLES), st.integers(1, 3), max_size=3),
    frequency=st.integers(1, 5),
    doc_frequency=st.integers(1, 5),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(entries, max_size=40),
    st.sampled_from(ROLES),
    st.text(CHARS, max_size=5),
    st.text(CHARS, max_size=5),
    st.integers(1, 3),
)
def test_indexed_role_query_equals_a_scan(
    bank_entries: list[BankEntry], role: str, topic: str, about: str, min_pairs: int
) -> None:
    bank = ComposeBank(entries=tuple(bank_entries), defaults={})
    pairs = {about[i : i + 2] for i in range(len(about) - 1)}
    found = [e.text for e in bank.for_role(role, topic, about=pairs, min_pairs=min_pairs)]
    assert found == _scan(bank, role, topic, pairs, min_pairs)


def test_a_warm_bank_answers_the_same() -> None:
    bank_entries = tuple(
        BankEntry("formulation", text, text, {"tasks": n, "requirements": 1}, n, n)
        for n, text in enumerate(("加强组织领导", "健全长效机制", "深化志愿服务", "志愿服务制度化"), start=1)
    )
    cold = ComposeBank(entries=bank_entries, defaults={})
    warm = ComposeBank(entries=bank_entries, defaults={})
    warm.warm()
    for about in (set(), {"志愿", "服务"}):
        assert [e.text for e in warm.for_role("tasks", "志愿服务", about=about)] == [
            e.text for e in cold.for_role("tasks", "志愿服务", about=about)
        ]
    assert [e.text for e in warm.for_role("tasks", "志愿服务", about={"志愿", "服务"}, min_pairs=2)] == [
        "志愿服务制度化",
        "深化志愿服务",
    ]


def test_per_request_answers_are_bounded() -> None:
    bank = ComposeBank(entries=(BankEntry("formulation", "加强组织领导", "", {"tasks": 1}, 1, 1),), defaults={})
    for n in range(RECENT_ANSWERS + 50):
        bank.for_role("tasks", f"议题{n}")
    assert len(bank._recent) == RECENT_ANSWERS


def _speech_skeleton(roles: tuple[str, ...], frequency: int) -> BankEntry:
    extra = {"doc_kind": "speech", "roles": list(roles), "doc_kinds": ["speech"]}
    return BankEntry("skeleton", " → ".join(roles), "", {}, frequency, frequency, extra)


def test_the_opening_part_follows_the_office_only_when_two_speeches_agree() -> None:
    from app.compose.plan import meeting_types
    from app.compose.plan.speech import opening_part_from_corpus

    parts = meeting_types.meeting_type_parts("progress", 3)
    assert [p.key for p in parts] == ["review_gaps", "focus_tasks", "responsibility"]
    one = ComposeBank(entries=(_speech_skeleton(("opening", "tasks", "safeguards"), 1),))
    assert [p.key for p in opening_part_from_corpus("progress", parts, one)] == [p.key for p in parts]
    two = ComposeBank(entries=(_speech_skeleton(("opening", "tasks", "safeguards"), 2),))
    assert opening_part_from_corpus("progress", parts, two)[0].key == "long_term"
