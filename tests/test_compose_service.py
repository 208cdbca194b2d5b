"""The composer's edge: retrieved passages cached per index, drafts cached per request and versions."""

from __future__ import annotations

from app.compose.bank import ComposeBank
from app.compose.model import Draft
from app.compose.service import DraftCache, index_lookup
from app.retrieve.index import PassageRecord, TfidfIndex


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
