"""The composer's edge: retrieved passages cached per index, drafts cached per request and versions.

Cached drafts are shared by every request (and thread) that asks for the same outline, so they are frozen
all the way down: the tests below try to change one and look for any list, dict or set left inside.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session, sessionmaker

from app.compose.bank import ComposeBank
from app.compose.model import Draft
from app.compose.request import DraftRequest
from app.compose.service import BankCache, DraftCache, compose, index_lookup
from app.retrieve.index import PassageRecord, TfidfIndex

REQUEST = DraftRequest(
    meeting="全市精神文明建设工作推进会",
    place="大连市",
    topics=["志愿服务", "城中村治理"],
    detail="outline+passages",
)


def _index() -> TfidfIndex:
    records = [
        PassageRecord(1, 1, "要广泛开展志愿服务活动，健全志愿服务组织体系。", role="tasks", title="讲话"),
        PassageRecord(2, 1, "切实加强组织领导，压实工作责任。", role="safeguards", title="讲话"),
    ]
    return TfidfIndex().fit(records)


def test_lookups_are_cached_per_index_and_follow_a_new_index() -> None:
    index = _index()
    calls: list[str] = []
    search = index.search

    def counting(query: str, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(query)
        return search(query, **kwargs)  # type: ignore[arg-type]

    index.search = counting  # type: ignore[method-assign]
    lookup = index_lookup(index)
    assert lookup is not None
    first = lookup("志愿服务", "tasks", 3)
    assert [s.text for s in first] == ["要广泛开展志愿服务活动，健全志愿服务组织体系。"] and first[0].source
    first.clear()  # callers get copies: the cache is not changed through them
    again = index_lookup(index)("志愿服务", "tasks", 3)  # type: ignore[misc]
    assert len(again) == 1 and calls == ["志愿服务"]
    assert index_lookup(index)("志愿服务", "safeguards", 3) == [] and len(calls) == 2  # type: ignore[misc]
    fresh = _index()
    assert index_lookup(fresh)("志愿服务", "tasks", 3)  # type: ignore[misc]
    assert len(calls) == 2  # the new index answered itself, not from the old one's cache
    assert index_lookup(None) is None


def test_draft_cache_is_a_bounded_lru() -> None:
    cache = DraftCache(size=2)
    drafts = [Draft(title=f"稿{i}", doc_type="speech") for i in range(3)]
    for i, draft in enumerate(drafts[:2]):
        cache.put((str(i), "bank", "index"), draft)
    assert cache.get(("0", "bank", "index")) is drafts[0]  # touch 0: 1 is now the oldest
    cache.put(("2", "bank", "index"), drafts[2])
    assert cache.get(("1", "bank", "index")) is None
    assert cache.get(("0", "bank", "index")) is drafts[0] and cache.get(("2", "bank", "index")) is drafts[2]
    assert cache.get(("0", "other bank", "index")) is None


def test_bank_memo_computes_once() -> None:
    bank = ComposeBank()
    computed: list[int] = []
    assert bank.memo("k", lambda: computed.append(1) or 7) == 7
    assert bank.memo("k", lambda: computed.append(1) or 8) == 7 and computed == [1]


def _mutable_parts(value: object, path: str = "draft") -> Iterator[str]:
    """Where in a draft something could still be changed in place: a list, dict or set, or a model not frozen."""
    if isinstance(value, BaseModel):
        if not value.model_config.get("frozen"):
            yield f"{path} ({type(value).__name__} is not frozen)"
        for name in type(value).model_fields:
            yield from _mutable_parts(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _mutable_parts(item, f"{path}[{i}]")
    elif isinstance(value, (list, dict, set, bytearray)):
        yield f"{path} ({type(value).__name__})"


def test_a_cached_draft_is_frozen_all_the_way_down(session_factory: sessionmaker[Session]) -> None:
    banks, drafts, index = BankCache(), DraftCache(), _index()
    first = compose(REQUEST, session_factory, index, banks, "v1", drafts)
    assert compose(REQUEST, session_factory, index, banks, "v1", drafts) is first  # the cache hands out one object
    assert list(_mutable_parts(first)) == []
    section = next(s for s in first.walk() if s.suggestions and s.children == ())
    passage = next(g for s in first.walk() for g in s.suggestions if g.kind == "passage")
    assert passage.source is not None
    for change in (
        lambda: setattr(first, "title", "另一个标题"),
        lambda: setattr(first.sections[1], "heading", "另一个标题"),
        lambda: setattr(section.suggestions[0], "text", "改过的"),
        lambda: setattr(passage.source, "title", "改过的"),
        lambda: delattr(first, "parallel"),
    ):
        with pytest.raises(ValidationError, match="frozen"):
            change()
    for change in (
        lambda: first.notes.append("改过的"),  # type: ignore[attr-defined]
        lambda: first.sections.append(section),  # type: ignore[attr-defined]
        lambda: section.suggestions.clear(),  # type: ignore[attr-defined]
        lambda: first.sections[1].alternatives.insert(0, "改过的"),  # type: ignore[attr-defined]
    ):
        with pytest.raises(AttributeError):
            change()
    assert compose(REQUEST, session_factory, index, banks, "v1", drafts) == _fresh(session_factory, index)


def _fresh(factory: sessionmaker[Session], index: TfidfIndex) -> Draft:
    return compose(REQUEST, factory, index, BankCache(), "v1", DraftCache())


def test_two_requests_get_equal_but_independent_drafts(session_factory: sessionmaker[Session]) -> None:
    index = _index()
    one, two = _fresh(session_factory, index), _fresh(session_factory, index)
    assert one == two and one is not two
    assert one.model_dump_json() == two.model_dump_json()
    # A variant (what 换一个 or a caller's own edit makes) is a new draft; neither request's draft changes.
    first = one.sections[1]
    renamed = one.model_copy(update={"sections": (one.sections[0], first.model_copy(update={"heading": "新标题"}))})
    assert renamed.sections[1].heading == "新标题" and one.sections[1].heading == first.heading != "新标题"
    assert one == two

    # Many threads asking at once through shared caches all get the same outline, and the same bytes.
    banks, drafts = BankCache(), DraftCache()

    def ask(_: int) -> tuple[Draft, bytes]:
        draft = compose(REQUEST, session_factory, index, banks, "v1", drafts)
        return draft, drafts.rendered(draft, "json", lambda d: d.model_dump_json().encode("utf-8"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, range(32)))
    assert all(draft == one for draft, _ in answers)
    assert {content for _, content in answers} == {one.model_dump_json().encode("utf-8")}
    assert list(_mutable_parts(answers[-1][0])) == []


def test_renderings_are_kept_beside_cached_drafts_only() -> None:
    cache = DraftCache(size=1)
    draft = Draft(title="稿", doc_type="speech")
    calls: list[str] = []

    def render(d: Draft) -> bytes:
        calls.append(d.title)
        return d.title.encode("utf-8")

    stranger = Draft(title="稿", doc_type="speech")  # equal, but not the object the cache holds
    assert cache.rendered(stranger, "json", render) == "稿".encode() and len(calls) == 1
    cache.put(("a", "bank", "index"), draft)
    assert cache.rendered(draft, "json", render) == cache.rendered(draft, "json", render) and len(calls) == 2
    cache.rendered(draft, "markdown", render)
    assert len(calls) == 3  # per format
    variant = draft.model_copy(update={"title": "另一稿"})
    assert cache.rendered(variant, "json", render) == "另一稿".encode()  # a copy never sees the original's bytes
    cache.rendered(stranger, "json", render)
    assert len(calls) == 5
    cache.put(("b", "bank", "index"), variant)  # evicts the first draft, and its renderings with it
    cache.rendered(draft, "json", render)
    assert len(calls) == 6 and cache.get(("a", "bank", "index")) is None


def test_a_drafted_speech_is_cached_and_frozen_too(session_factory: sessionmaker[Session]) -> None:
    # The default detail drafts paragraphs: their sentences and sources are shared by every request as well.
    request = DraftRequest(meeting=REQUEST.meeting, place=REQUEST.place, topics=REQUEST.topics)
    assert request.detail == "paragraphs"
    banks, drafts, index = BankCache(), DraftCache(), _index()
    first = compose(request, session_factory, index, banks, "v1", drafts)
    assert compose(request, session_factory, index, banks, "v1", drafts) is first
    assert list(_mutable_parts(first)) == []
    volunteer = next(s for s in first.walk() if s.topic == "志愿服务")
    assert volunteer.paragraph is not None
    quoted = next(s for s in volunteer.paragraph.sentences if s.source is not None)
    assert "志愿服务" in quoted.text
    with pytest.raises(ValidationError, match="frozen"):
        quoted.text = "改过的"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        volunteer.paragraph.sentences.append(quoted)  # type: ignore[attr-defined]
    assert compose(request, session_factory, index, BankCache(), "v1", DraftCache()) == first
