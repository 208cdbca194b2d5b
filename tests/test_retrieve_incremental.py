"""The incremental passage index: a search over segments equals a full rebuild's whatever the history of
additions, deletions and merges (a property test); tombstones; the merge policy; persistence; crash safety; and
the service that keeps the index up to what the database holds."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.ingest.store import ingest_path, read_limits, remove_document
from app.retrieve import features, index, segment_io, segmented, store
from app.retrieve.index import TfidfIndex
from app.retrieve.parts import plan_merges
from app.retrieve.persist import IndexHolder, IndexStore
from app.retrieve.query import QueryError, SearchFilters
from app.retrieve.search import PassageRecord, PassageSearch
from app.retrieve.segmented import SegmentedIndex
from app.retrieve.service import (
    add_documents,
    build_index,
    index_root,
    merge_index,
    rebuild_index,
    remove_documents,
    sync_index,
)
from tests.conftest import SEEDS

# fmt: off
WORDS = (
    "志愿服务", "文明城市", "创建", "组织领导", "责任落实", "城中村", "治理", "诚信建设", "移风易俗", "新时代",
    "文明实践", "中心", "推进", "加强", "深化", "群众", "工作", "会议", "要求", "同志们", "制度化", "常态化", "精细化",
    "管理", "水平", "宣传", "教育", "活动", "社会主义", "核心价值观", "XX", "2024", "年", "5G",
)
# fmt: on
PUNCTUATION = ("，", "。", "、", "；", "")
QUERIES = ("志愿服务", "文明城市创建", "组织领导 责任落实", "城中村治理", "诚信", "新时代文明实践中心", "2024年")
FILTERS = (SearchFilters(), SearchFilters(role="tasks"), SearchFilters(kind="speech", since="2020"))
ROLES = ("opening", "tasks", "safeguards", "requirements", "other")


@pytest.fixture(autouse=True, scope="module")
def _one_tokenizer() -> Iterator[None]:
    """Every index of this module segments with the same tokenizer (jieba takes 0.3 s to start another)."""
    shared = functools.lru_cache(maxsize=None)(features.RetrievalTokenizer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segmented, "RetrievalTokenizer", shared)
        patch.setattr(index, "RetrievalTokenizer", shared)
        yield


def _document(doc: int, texts: list[str], first_id: int) -> list[PassageRecord]:
    facts = {
        "title": f"文稿 {doc}",
        "date": (None, "2019", f"20{20 + doc % 5}-0{1 + doc % 9}")[doc % 3],
        "kind": ("speech", "report", "other")[doc % 3],
        "source": f"{doc}.txt",
        "in_domain": doc % 4 != 0,
    }
    return [
        PassageRecord(first_id + i, doc, text, ROLES[(doc + i) % len(ROLES)], f"一、第{i % 2}部分", **facts)  # type: ignore[arg-type]
        for i, text in enumerate(texts)
    ]


def _live_records(documents: dict[int, list[PassageRecord]]) -> list[PassageRecord]:
    return [record for doc in sorted(documents) for record in documents[doc]]


def _scores(searcher: PassageSearch, query: str) -> dict[int, float]:
    """Every passage's score for ``query``, by passage id (live passages only)."""
    try:
        ids, weights, _ = searcher.query_vector(query)
    except QueryError:
        return {}
    scores = searcher.scores(ids, weights).astype(np.float64)
    alive = getattr(searcher, "live_", np.ones(len(scores), dtype=bool))
    return dict(zip(searcher.passage_ids_[alive].tolist(), scores[alive].tolist(), strict=True))


def _assert_same_as_rebuild(updated: SegmentedIndex, documents: dict[int, list[PassageRecord]]) -> None:
    """``updated`` searches as a full rebuild on the same live passages: the same hits, scores within 1e-9 —
    and, to float32 precision, as ``TfidfIndex``."""
    records = _live_records(documents)
    params = {key: value for key, value in updated.get_params().items() if not key.startswith(("merge", "inline"))}
    rebuilt = SegmentedIndex(**params).fit(records)  # type: ignore[arg-type]
    reference = TfidfIndex(**params).fit(records)  # type: ignore[arg-type]
    assert updated.live_passages() == len(records) and set(updated.documents_) == set(documents)
    for query in QUERIES:
        for filters in FILTERS:
            assert updated.search(query, k=5, filters=filters) == rebuilt.search(query, k=5, filters=filters)
        ours, full, plain = _scores(updated, query), _scores(rebuilt, query), _scores(reference, query)
        assert ours.keys() == full.keys() == plain.keys()
        assert all(abs(ours[p] - full[p]) <= 1e-9 and abs(ours[p] - plain[p]) <= 1e-5 for p in ours)


def _text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    return "".join(word + draw(st.sampled_from(PUNCTUATION)) for word in words)


@st.composite
def _histories(draw: st.DrawFn) -> list[tuple[str, int, list[str]]]:
    """Additions (a document's passages; again for a document id replaces it), deletions and merge calls."""
    copies = [_text(draw) for _ in range(3)]  # passages repeated across documents: near-duplicates to fold
    steps = []
    for _ in range(draw(st.integers(1, 24))):
        kind = draw(st.sampled_from(("add", "add", "add", "remove", "merge")))
        doc = draw(st.integers(1, 10))
        n = draw(st.integers(1, 6)) if kind == "add" else 0
        texts = [draw(st.sampled_from(copies)) if draw(st.booleans()) else _text(draw) for _ in range(n)]
        steps.append((kind, doc, texts))
    return steps


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=_histories(),
    merge_factor=st.integers(2, 4),
    merge_floor=st.sampled_from([1, 4, 1000]),
    inline_merge_max=st.sampled_from([0, 12, 50_000]),
    words=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_a_search_over_segments_equals_a_full_rebuild_after_any_history(
    history: list[tuple[str, int, list[str]]],
    merge_factor: int,
    merge_floor: int,
    inline_merge_max: int,
    words: tuple[bool, bool],
) -> None:
    params = {"words": words[0], "bigrams": words[1], "merge_factor": merge_factor, "merge_floor": merge_floor}
    live = SegmentedIndex(**params, inline_merge_max=inline_merge_max).fit([])  # type: ignore[arg-type]
    documents: dict[int, list[PassageRecord]] = {}
    next_id = 1
    for kind, doc, texts in history:
        if kind == "add":
            documents[doc] = _document(doc, texts, next_id)
            next_id += len(texts)
            live = live.add(documents[doc])
        elif kind == "remove":
            documents.pop(doc, None)
            live = live.remove([doc])
        else:
            live = live.merge(everything=bool(doc % 2))
    _assert_same_as_rebuild(live, documents)


# --- tombstones and merges -----------------------------------------------------------------------------------


def _corpus() -> dict[int, list[PassageRecord]]:
    texts = {
        1: ["同志们：今天召开全市精神文明建设工作会议。", "积极培育和发展志愿服务组织，汇聚各方资源。"],
        2: ["会议强调，要广泛开展志愿服务活动。", "会议要求，推进城中村治理，提升城市精细化管理水平。"],
        3: ["新建体育场馆三座，开展全民健身志愿服务。"],
        4: ["加强诚信建设，开展诚信缺失突出问题专项治理。", "要加强组织领导，压紧压实责任。"],
    }
    first = {1: 1, 2: 10, 3: 20, 4: 30}
    return {doc: _document(doc, found, first[doc]) for doc, found in texts.items()}


def test_deleted_passages_are_tombstoned_then_dropped_by_a_merge() -> None:
    documents = _corpus()
    whole = SegmentedIndex(inline_merge_max=0).fit(_live_records(documents))
    before = whole.search("志愿服务")
    removed = whole.remove([2])
    assert removed.n_passages_ == whole.n_passages_ and removed.live_passages() == whole.live_passages() - 2
    assert all(hit.document["id"] != 2 for hit in removed.search("志愿服务").hits)
    assert whole.search("志愿服务") == before  # the old snapshot still answers as it did (readers hold it)
    assert removed.remove([2]) is removed and removed.remove([99]) is removed
    assert removed.merges_due() == []  # 2 dead passages of 7: not worth rewriting the segment yet
    merged = removed.merge(everything=True)
    assert len(merged.parts_) == 1 and merged.n_passages_ == merged.live_passages() == whole.live_passages() - 2
    del documents[2]
    _assert_same_as_rebuild(removed, documents)
    _assert_same_as_rebuild(merged, documents)
    documents[1] = _document(1, ["推进城中村治理，提升城市管理水平。"], 50)  # the same id, other text: replaced
    replaced = merged.add(documents[1])
    assert [hit.passage_id for hit in replaced.search("同志们 会议").hits if hit.document["id"] == 1] == []
    _assert_same_as_rebuild(replaced, documents)
    assert replaced.document_states()[1] == ("", 1, 50)


def test_the_merge_policy_merges_neighbours_of_one_tier_and_rewrites_mostly_deleted_segments() -> None:
    assert plan_merges([5, 5, 5], [0, 0, 0], factor=4, floor=10) == []
    assert plan_merges([5, 5, 5, 5, 5], [0] * 5, factor=4, floor=10) == [(0, 4)]
    assert plan_merges([400, 5, 5, 5, 5], [0] * 5, factor=4, floor=10) == [(1, 5)]  # 400 is a tier above
    assert plan_merges([400, 40, 40, 40, 40, 5], [0] * 6, factor=4, floor=10) == [(1, 5)]
    assert plan_merges([400, 5], [500, 0], factor=4, floor=10) == [(0, 1)]  # more dead than live: rewritten


def test_additions_one_at_a_time_keep_few_segments_and_merges_too_big_for_inline_wait() -> None:
    documents = {
        doc: _document(doc, [f"第{doc}次会议要求，推进志愿服务常态化。"] * 3, doc * 10) for doc in range(1, 41)
    }
    live = SegmentedIndex(merge_factor=3, merge_floor=3).fit([])
    capped = SegmentedIndex(merge_factor=3, merge_floor=3, inline_merge_max=20).fit([])
    most = 0
    for doc in sorted(documents):
        live, capped = live.add(documents[doc]), capped.add(documents[doc])
        most = max(most, len(live.parts_))
    assert most <= 8  # fewer than ``merge_factor`` segments per tier, four tiers
    assert capped.merges_due(20) == [] and capped.merges_due()  # bigger merges are left to the caller …
    merged = capped.merge(cascade=True)
    assert len(merged.parts_) <= 8 < len(capped.parts_)  # … who runs them later
    _assert_same_as_rebuild(live, documents)
    _assert_same_as_rebuild(merged, documents)


def test_a_merge_made_from_an_older_snapshot_keeps_the_changes_made_meanwhile() -> None:
    documents = _corpus()
    documents[5] = _document(5, ["开展文明城市创建。", "宣传教育活动。", "深化群众工作。", "同志们："], 40)
    first = _live_records({doc: documents[doc] for doc in (1, 2, 5)})
    source = SegmentedIndex(inline_merge_max=0).fit(first).add(documents[3])
    runs = source.merge_runs(everything=True)
    segments = source.merged_segments(runs)  # in a background thread, say, while writers go on:
    documents[1] = _document(1, ["新时代文明实践中心建设，推动志愿服务制度化。"], 60)
    live = source.remove([2]).add(documents[4]).add(documents[1])
    del documents[2]
    merged = live.with_merged(source, runs, segments)
    assert merged is not None and len(merged.parts_) == 3  # the merged segment, then the two added since
    _assert_same_as_rebuild(merged, documents)
    assert live.merge(everything=True).with_merged(source, runs, segments) is None  # another merge came first


# --- persistence and crash safety ----------------------------------------------------------------------------


def test_publish_and_load_round_trip_without_pickle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _corpus()
    live = SegmentedIndex(inline_merge_max=0).fit(_live_records({1: documents[1], 2: documents[2]}))
    live = live.add(documents[3]).add(documents[4]).remove([2])
    index_store = IndexStore(tmp_path / "index")
    version = index_store.publish(live, database={"documents": 3})
    files = [p for p in (index_store.root / "segments").rglob("*") if p.is_file()]
    assert files and all(p.suffix in (".npy", ".npz", ".json") for p in files)
    for npz in (p for p in files if p.suffix == ".npz"):
        with np.load(npz, allow_pickle=False) as arrays:  # would raise on an object (pickled) array
            assert all(arrays[key].dtype != object for key in arrays.files)
    second = documents.pop(2)
    for on_disk in (False, True):
        monkeypatch.setattr(segment_io, "IN_MEMORY_MAX_BYTES", 0 if on_disk else 1 << 30)
        loaded_version, loaded = index_store.load_current()  # type: ignore[misc]
        assert loaded_version == version and loaded.generation_ == live.generation_
        assert loaded.database_ == {"documents": 3} and len(loaded.parts_) == len(live.parts_)
        for query in QUERIES:
            assert loaded.search(query) == live.search(query)
            assert _scores(loaded, query) == _scores(live, query)
        _assert_same_as_rebuild(loaded.add(second).remove([2]), documents)
    again = index_store.load_current(previous=loaded)
    assert again is not None and all(
        a.segment is b.segment for a, b in zip(again[1].parts_, loaded.parts_, strict=True)
    )


def test_norm_sums_are_saved_again_once_loading_would_redo_much_of_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store, "REWRITE_DRIFT", 0.0)  # any change of a df counts as drift here
    documents = _corpus()
    index_store = IndexStore(tmp_path / "index")
    live = SegmentedIndex(inline_merge_max=0).fit(documents[1])
    index_store.publish(live)
    first = index_store.manifest()["segments"][0]["norms"]  # type: ignore[index]
    for doc in (2, 3, 4):
        live = live.add(documents[doc])  # common words' df changes: the first segment's sums drift
        index_store.publish(live)
    names = [entry["norms"] for entry in index_store.manifest()["segments"]]  # type: ignore[index]
    assert names[0] != first
    assert not (index_store.root / "segments" / live.parts_[0].segment.name / first).exists()
    loaded = index_store.load_current()
    assert loaded is not None and loaded[1].search("志愿服务") == live.search("志愿服务")


def test_a_failure_between_writes_leaves_the_last_published_index(tmp_path: Path, monkeypatch) -> None:
    documents = _corpus()
    index_store = IndexStore(tmp_path / "index")
    old = SegmentedIndex().fit(documents[1])
    version = index_store.publish(old)
    real_replace, real_save = os.replace, segment_io.save_segment

    def fail_on_publish(source: object, target: object) -> None:
        if Path(str(target)) == index_store.pointer:
            raise OSError("disk full")  # the new segment and its norm sums are written; the manifest is not
        real_replace(source, target)  # type: ignore[arg-type]

    def fail_half_way(segment: object, directory: Path) -> None:
        real_save(segment, directory)  # type: ignore[arg-type]
        (directory / "s0.npy").write_bytes(b"")  # a file half written …
        raise OSError("killed")  # … when the process died

    for failure, target, name, doc in ((fail_on_publish, os, "replace", 2), (fail_half_way, store, "save_segment", 3)):
        with monkeypatch.context() as patch:
            patch.setattr(target, name, failure)
            with pytest.raises(OSError):
                index_store.publish(old.add(documents[doc]))
        assert index_store.current_version() == version
        loaded = index_store.load_current()
        assert loaded is not None and loaded[1].search("志愿服务") == old.search("志愿服务")
    assert len(list((index_store.root / "segments").iterdir())) == 3  # the dead writers' files …
    new = old.add(documents[4])
    index_store.publish(new)
    names = {p.name for p in (index_store.root / "segments").iterdir()}
    assert names == {part.segment.name for part in new.parts_}  # … are gone after the next publish
    assert not list(index_store.root.glob("*.tmp-*"))
    assert index_store.load_current()[1].search("志愿服务") == new.search("志愿服务")  # type: ignore[index]


def test_the_manifest_records_generation_and_each_segments_documents(tmp_path: Path) -> None:
    documents = _corpus()
    index_store = IndexStore(tmp_path / "index")
    first = _live_records({1: documents[1], 2: documents[2]})
    live = SegmentedIndex(inline_merge_max=0).fit(first).add(documents[3]).remove([1])
    index_store.publish(live, database={"documents": 2})
    manifest = json.loads(index_store.pointer.read_text(encoding="utf-8"))
    assert manifest["generation"] == live.generation_ == 3 and manifest["database"] == {"documents": 2}
    assert [entry["deleted"] for entry in manifest["segments"]] == [[1], []]
    assert [part.segment.generation for part in live.parts_] == [1, 2]


# --- the service: a document at a time, and catching up with the database ---------------------------------


def _same_as_database(holder: IndexHolder, factory: sessionmaker[Session]) -> None:
    live = holder.get()
    assert live is not None
    with factory() as session:
        rebuilt = build_index(session)
    assert live.document_states() == rebuilt.document_states()
    for query in QUERIES:
        assert live.search(query) == rebuilt.search(query)


def test_the_index_follows_the_database_a_document_at_a_time(
    session_factory: sessionmaker[Session], migrated: Settings
) -> None:
    limits = read_limits(migrated)
    holder = IndexHolder(IndexStore(index_root(migrated)))
    for path in SEEDS[:2]:
        ingest_path(session_factory, path, limits)
    assert rebuild_index(session_factory, migrated, holder).documents == 2
    for path in SEEDS[2:]:  # stored, not indexed: as if the process had died before indexing them
        ingest_path(session_factory, path, limits)
    caught_up = sync_index(session_factory, migrated, holder)
    assert (caught_up.added, caught_up.removed, caught_up.rebuilt) == (len(SEEDS) - 2, 0, False)
    _same_as_database(holder, session_factory)
    assert sync_index(session_factory, migrated, holder, thorough=True).version == caught_up.version  # nothing to do

    doc = sorted(holder.get().documents_)[0]  # type: ignore[union-attr]
    remove_document(session_factory, doc)
    assert remove_documents(session_factory, migrated, [doc], holder).removed == 1
    _same_as_database(holder, session_factory)
    again = ingest_path(session_factory, SEEDS[0], limits).document_id
    assert add_documents(session_factory, migrated, [again], holder).added == 1  # type: ignore[list-item]
    _same_as_database(holder, session_factory)
    merged = merge_index(migrated, holder, everything=True)
    assert merged is not None and len(holder.get().parts_) == 1  # type: ignore[union-attr]
    _same_as_database(holder, session_factory)
    other = IndexHolder(IndexStore(index_root(migrated)))  # another process sees the same index
    assert other.get() is not None and other.version == holder.version
