"""The passage retriever: features, scoring, filters, MMR and near-duplicates, highlighting, persistence, swaps,
bad input, and relevance on the judged queries of tests/data/queries.tsv."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.ingest.store import ingest_path, read_limits
from app.retrieve import arrays, store
from app.retrieve.evaluate import compare, load_judgements, ndcg_at_k, recall_at_k, resolve
from app.retrieve.features import RetrievalTokenizer, bigrams, count_bigrams, count_words
from app.retrieve.index import PassageRecord, TfidfIndex
from app.retrieve.persist import IndexHolder, IndexStore, load_index, save_index
from app.retrieve.query import MAX_QUERY_CHARS, Highlighter, QueryError, SearchFilters, date_range, mark, mmr, spans
from app.retrieve.rank import accumulate, top
from app.retrieve.segmented import SegmentedIndex
from app.retrieve.service import bank_words, load_records
from tests.conftest import SEEDS

VOLUNTEER = "积极培育和发展志愿服务组织，汇聚各方资源，凝聚工作合力。"


def _records() -> list[PassageRecord]:
    speech = {"title": "在全市精神文明建设工作会上的讲话", "date": "2024-03-15", "kind": "speech", "source": "a.txt"}
    report = {"title": "全市文明城市创建推进会召开", "date": "2022", "kind": "report", "source": "b.txt"}
    other = {"title": "城市体育设施建设情况", "date": None, "kind": "other", "source": "c.txt", "in_domain": False}
    return [
        PassageRecord(1, 1, "同志们：今天我们召开全市精神文明建设工作会议。", "opening", "", **speech),
        PassageRecord(2, 1, VOLUNTEER, "tasks", "一、任务 / （一）志愿服务", **speech),
        PassageRecord(3, 1, "要加强组织领导，压紧压实责任，确保各项任务落到实处。", "safeguards", "二、保障", **speech),
        PassageRecord(4, 1, "深化新时代文明实践中心建设，推动志愿服务常态化制度化。", "tasks", "一、任务", **speech),
        PassageRecord(5, 2, "会议强调，要广泛开展志愿服务活动，弘扬社会主义核心价值观。", "requirements", "", **report),
        PassageRecord(6, 2, "会议要求，推进城中村治理，提升城市精细化管理水平。", "requirements", "", **report),
        PassageRecord(7, 3, "新建体育场馆三座，开展全民健身志愿服务。", "other", "", **other),
        PassageRecord(8, 2, "加强诚信建设，开展诚信缺失突出问题专项治理。", "requirements", "", **report),
    ]


@pytest.fixture(scope="module")
def index() -> TfidfIndex:
    return TfidfIndex().fit(_records())


def _ids(index: TfidfIndex, query: str, **kwargs: object) -> list[int]:
    k = int(kwargs.pop("k", 10))  # type: ignore[call-overload]
    return [hit.passage_id for hit in index.search(query, k=k, filters=SearchFilters(**kwargs)).hits]  # type: ignore[arg-type]


# --- features ------------------------------------------------------------------------------------------------


def test_words_keep_fixed_terms_whole_and_drop_function_words() -> None:
    tokenizer = RetrievalTokenizer()
    words = tokenizer.words("广泛弘扬和践行社会主义核心价值观，建设新时代文明实践中心的阵地")
    assert "社会主义核心价值观" in words and "新时代文明实践中心" in words
    assert "和" not in words and "的" not in words and "，" not in words
    assert RetrievalTokenizer(extra_words=["文明养宠"]).words("开展文明养宠活动") == ["开展", "文明养宠", "活动"]


def test_bigrams_stay_inside_runs_of_letters_and_ideographs() -> None:
    assert bigrams("文明城市，创建AB") == ["文明", "明城", "城市", "创建", "建a", "ab"]
    assert bigrams("的。") == []


def test_fast_counts_match_scikit_learn_tfidf_vectorizer() -> None:
    texts = [r.text for r in _records()] * 3
    tokenizer = RetrievalTokenizer()
    for counts, terms, analyzer in (
        (*count_words(tokenizer, texts), tokenizer.words),
        (*count_bigrams(texts), bigrams),
    ):
        reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
        expected = reference.fit_transform(texts)
        assert sorted(terms) == sorted(reference.vocabulary_)
        from app.retrieve.index import _tfidf

        ours, idf, _ = _tfidf(counts)
        order = [reference.vocabulary_[t] for t in terms]
        assert np.allclose(ours.toarray(), expected[:, order].toarray(), atol=1e-6)
        assert np.allclose(idf, reference.idf_[order])


def test_query_vector_is_embedded_like_a_passage(index: TfidfIndex) -> None:
    ids, weights, _ = index.query_vector(VOLUNTEER)
    dense = np.zeros(index.postings_.shape[0], dtype=np.float32)
    dense[ids] = weights
    assert np.allclose(dense, index.rows_.vectors(np.array([1])).toarray().ravel(), atol=1e-6)
    assert index.search(VOLUNTEER).hits[0].score == pytest.approx(1.0, abs=1e-3)


def test_rows_recomputed_from_counts_equal_the_postings(index: TfidfIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    dense = index.postings_.T.toarray()  # passages × features, the values scoring uses
    everything = np.arange(index.n_passages_)
    assert np.allclose(index.rows_.vectors(everything).toarray(), dense, atol=1e-6)
    assert np.allclose(index.rows_.cosines(everything), dense @ dense.T, atol=1e-6)
    monkeypatch.setattr(arrays, "FULL_MATRIX_MAX", 2)  # many candidates: one row of the matrix at a time
    row_of = index.rows_.cosines(everything)
    assert callable(row_of) and np.allclose(row_of(4), dense @ dense[4], atol=1e-6)


def test_scoring_and_top_candidates_match_a_plain_product_and_sort() -> None:
    rng = np.random.default_rng(7)
    postings = sp.random(40, 3000, density=0.05, format="csr", dtype=np.float32, random_state=1)
    for _ in range(50):
        ids = rng.choice(40, int(rng.integers(1, 12)), replace=False)
        weights = rng.random(len(ids)).astype(np.float32)
        assert np.allclose(accumulate(postings, ids, weights, 3000), postings[ids].T @ weights, atol=1e-6)
    for n in (50, 20_000, 100_037):  # one comparison over all scores; groups of passages (with a tail)
        scores = (rng.integers(0, 8, n) / 8).astype(np.float32) * (rng.random(n) < 0.3)  # many ties
        for limit in (1, 10, 30, 480):
            expected = np.lexsort((np.arange(n), -scores))[:limit]
            assert top(scores, limit).tolist() == expected[scores[expected] > 0].tolist()


# --- search and filters ------------------------------------------------------------------------------------


def test_search_ranks_the_passage_about_the_query_first(index: TfidfIndex) -> None:
    assert _ids(index, "志愿服务组织")[0] == 2
    assert _ids(index, "组织领导 责任落实")[0] == 3
    assert _ids(index, "城中村")[0] == 6
    scores = [hit.score for hit in index.search("志愿服务").hits]
    assert set(_ids(index, "志愿服务")) >= {2, 4, 5, 7} and all(0 < s <= 1 for s in scores)


def test_bigrams_match_what_segmentation_splits_differently(index: TfidfIndex) -> None:
    # "志愿效劳" is not a word of any passage, but its bigram 志愿 is.
    assert set(_ids(index, "志愿效劳")) >= {2, 4, 5}


def test_each_filter(index: TfidfIndex) -> None:
    assert set(_ids(index, "志愿服务", role="tasks")) == {2, 4}
    assert set(_ids(index, "志愿服务", kind="report")) == {5}
    assert 7 not in _ids(index, "志愿服务", in_domain=True) and 7 in _ids(index, "志愿服务")
    assert set(_ids(index, "志愿服务", since="2023")) == {2, 4}  # undated documents never pass a date filter
    assert set(_ids(index, "志愿服务", until="2023-12")) == {5}
    assert set(_ids(index, "志愿服务", since="2024-03", until="2024-03")) == {2, 4}
    assert set(_ids(index, "志愿服务", since="2024-03-16")) == set()
    assert set(_ids(index, "志愿服务", since="2022-06", until="2022-06")) == {5}  # "2022" may be June 2022
    assert set(_ids(index, "志愿服务", exclude_doc=1)) == {5, 7}
    assert _ids(index, "志愿服务", role="tasks", exclude_doc=1) == []
    assert index.search("志愿服务", filters=SearchFilters(role="tasks", exclude_doc=1)).reason


def test_date_ranges_are_prefix_aware() -> None:
    assert date_range("2025") == (20250101, 20251231)
    assert date_range("2025-06") == (20250601, 20250631)
    assert date_range("2025-6-3") == (20250603, 20250603)
    for bad in ("25", "2025-13", "2025/06", "2025-06-32", "last year"):
        with pytest.raises(QueryError) as error:
            date_range(bad)
        assert error.value.code == "bad_date"


@pytest.mark.parametrize(
    ("query", "k", "filters", "code"),
    [
        ("", 10, {}, "empty_query"),
        ("   \n\t ", 10, {}, "empty_query"),
        ("，。！？……", 10, {}, "no_terms"),
        ("的 了 和 我们", 10, {}, "no_terms"),
        ("志愿服务" * 2500, 10, {}, "query_too_long"),
        ("志愿服务", 0, {}, "bad_k"),
        ("志愿服务", 101, {}, "bad_k"),
        ("志愿服务", 10, {"role": "nonsense"}, "unknown_role"),
        ("志愿服务", 10, {"kind": "poem"}, "unknown_kind"),
        ("志愿服务", 10, {"since": "2025", "until": "2024"}, "bad_date_range"),
    ],
)
def test_bad_input_raises_a_query_error(index: TfidfIndex, query: str, k: int, filters: dict, code: str) -> None:
    with pytest.raises(QueryError) as error:
        index.search(query, k=k, filters=SearchFilters(**filters))
    assert error.value.code == code and " / " in error.value.message  # Chinese / English


def test_unknown_terms_and_an_empty_index_give_a_reason_not_an_error(index: TfidfIndex) -> None:
    result = index.search("量子计算机")
    assert result.hits == [] and result.reason
    empty = TfidfIndex().fit([])
    result = empty.search("志愿服务")
    assert result.hits == [] and "empty" in (result.reason or "")
    assert len("志愿服务" * 50) == MAX_QUERY_CHARS and index.search("志愿服务" * 50).hits  # the limit itself is fine


# --- MMR and near-duplicates ---------------------------------------------------------------------------------


def test_two_copies_of_a_paragraph_give_one_hit() -> None:
    records = [*_records(), PassageRecord(9, 4, VOLUNTEER.replace("，", ","), "tasks", "", title="翻印", kind="speech")]
    hits = TfidfIndex().fit(records).search("志愿服务组织").hits
    copies = [h for h in hits if h.passage_id in (2, 9)]
    assert len(copies) == 1 and copies[0].also_in == [4 if copies[0].passage_id == 2 else 1]


def test_mmr_prefers_a_different_passage_over_a_close_variant() -> None:
    relevance = np.array([1.0, 0.95, 0.9])
    similarity = np.array([[1.0, 0.85, 0.1], [0.85, 1.0, 0.1], [0.1, 0.1, 1.0]])
    similar_to = similarity.__getitem__
    assert [p.candidate for p in mmr(relevance, similar_to, 3, 0.7, 0.9)] == [0, 2, 1]
    assert [p.candidate for p in mmr(relevance, similar_to, 3, 1.0, 0.9)] == [0, 1, 2]
    folded = mmr(relevance, similar_to, 3, 0.7, 0.8)  # 0.85 ≥ 0.8: b is a near-duplicate of a
    assert [(p.candidate, p.duplicates) for p in folded] == [(0, [1]), (2, [])]


def test_mmr_on_the_whole_matrix_picks_as_row_by_row() -> None:
    rng = np.random.default_rng(3)
    for trial in range(300):
        n = int(rng.integers(1, 30))
        vectors = rng.random((n, 5)) * (rng.random((n, 5)) < 0.5)
        vectors[rng.integers(0, n, n // 3)] = vectors[0]  # exact copies
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        similarity = vectors @ vectors.T
        relevance = np.sort(np.round(rng.random(n), 1))[::-1]  # with ties
        for lam in (0.0, 0.7, 1.0):
            whole = mmr(relevance, similarity, 8, lam, 0.9)
            assert whole == mmr(relevance, similarity.__getitem__, 8, lam, 0.9), trial


# --- highlighting --------------------------------------------------------------------------------------------


def test_highlight_spans_offsets_and_markup(index: TfidfIndex) -> None:
    hit = index.search("志愿服务组织").hits[0]
    assert hit.spans == [[7, 13]] and hit.text[7:13] == "志愿服务组织"
    assert hit.highlighted == VOLUNTEER[:7] + "【志愿服务组织】" + VOLUNTEER[13:]
    text = "推进<城中村>治理 & 文明创建"
    offsets = spans(text, ["城中村", "治理", "文明"])
    assert offsets == [[3, 6], [7, 9], [12, 14]]
    assert mark(text, offsets, as_html=True) == (
        "推进&lt;<mark>城中村</mark>&gt;<mark>治理</mark> &amp; <mark>文明</mark>创建"
    )
    assert spans("文明实践中心", ["文明", "明实", "实践", "中心"]) == [[0, 6]]  # touching spans merge


def test_highlighting_all_hits_at_once_matches_term_by_term() -> None:
    tokenizer = RetrievalTokenizer()
    texts = [r.text for r in _records()] + [
        "推进<城中村>治理 & 文明创建",  # escaped in HTML
        "İstanbul ABC 5.0 c++ 文明",  # lower-casing changes the length; words with other characters
        "",
        "村里的村",
        "已有【标记】的文明\ue000",  # marks and private-use characters in the text itself
        "含\x00的文明",  # the separator of the one-string pass: marked text by text
    ]
    for query in ("志愿服务组织", "城中村治理", "文明 5.0 c++", "istanbul abc", "的 村", "文明实践"):
        words, grams = tokenizer.words(query), bigrams(query)
        for size in (1, 3, len(texts)):
            for start in range(0, len(texts), size):
                chunk = texts[start : start + size]
                marked = Highlighter(words, grams).mark_all(chunk)
                for text, (offsets, plain, html_text) in zip(chunk, marked, strict=True):
                    assert offsets == spans(text, words + grams), (query, text)
                    assert plain == mark(text, offsets) and html_text == mark(text, offsets, as_html=True)


# --- persistence and atomic swaps ----------------------------------------------------------------------------


def test_save_load_round_trip_gives_identical_results_without_pickle(index: TfidfIndex, tmp_path: Path) -> None:
    save_index(index, tmp_path / "v1")
    files = sorted(p.name for p in (tmp_path / "v1").iterdir())
    assert files and all(name.endswith((".npz", ".npy", ".json")) for name in files)
    for npz in (tmp_path / "v1").glob("*.npz"):
        with np.load(npz, allow_pickle=False) as arrays:  # would raise on an object (pickled) array
            assert all(arrays[key].dtype != object for key in arrays.files)
    for on_disk in (True, False):
        loaded = load_index(tmp_path / "v1", on_disk=on_disk)
        for query, filters in (("志愿服务", SearchFilters()), ("组织领导", SearchFilters(role="safeguards"))):
            assert loaded.search(query, filters=filters) == index.search(query, filters=filters)


def test_a_reader_answers_from_the_old_index_until_the_new_one_is_published(tmp_path: Path, monkeypatch) -> None:
    index_store = IndexStore(tmp_path / "index")
    old = SegmentedIndex().fit(_records())
    index_store.publish(old)
    holder = IndexHolder(index_store)
    assert holder.get() is not None and holder.version == index_store.current_version()
    new = old.add([PassageRecord(20, 9, "推进移风易俗，倡导婚事新办。", "tasks", "")])

    writing, release = threading.Event(), threading.Event()
    real_save = store.save_segment

    def slow_save(segment, directory: Path) -> None:  # type: ignore[no-untyped-def]
        real_save(segment, directory)
        writing.set()  # the new segment is written, not yet live
        assert release.wait(10)

    monkeypatch.setattr(store, "save_segment", slow_save)
    builder = threading.Thread(target=index_store.publish, args=(new,))
    builder.start()
    assert writing.wait(10)

    answers: list[tuple[list[int], list[int]]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                index = holder.get()
                assert index is not None
                answers.append((_ids(index, "移风易俗"), _ids(index, "志愿服务")))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert not errors and len(answers) == 80
    assert all(moved == [] and volunteer for moved, volunteer in answers)  # only the old index answered
    release.set()
    builder.join()
    assert _ids(holder.get(), "移风易俗") == [20]  # type: ignore[arg-type]
    assert len(list((index_store.root / "segments").iterdir())) == 2 and not list(index_store.root.glob("*.tmp-*"))


def test_readers_do_not_wait_for_another_thread_loading_the_new_version(tmp_path: Path) -> None:
    index_store = IndexStore(tmp_path / "index")
    index_store.publish(SegmentedIndex().fit(_records()))
    holder = IndexHolder(index_store)
    old = holder.get()
    index_store.publish(SegmentedIndex().fit(_records()[:3]))
    assert holder._lock.acquire()  # as if a request thread were loading the new version right now
    try:
        assert holder.get() is old  # answered at once from the old index
    finally:
        holder._lock.release()
    new = holder.get()
    assert new is not old and new is not None and new.n_passages_ == 3


def test_store_without_a_version_loads_nothing(tmp_path: Path) -> None:
    holder = IndexHolder(IndexStore(tmp_path / "missing"))
    assert holder.get() is None and holder.version is None


def test_an_index_of_another_format_counts_as_missing(tmp_path: Path) -> None:
    index_store = IndexStore(tmp_path / "index")
    version = index_store.publish(SegmentedIndex().fit(_records()))
    manifest = index_store.pointer
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"format": 3', '"format": 2'), encoding="utf-8")
    assert index_store.current_version() == version and index_store.load_current() is None  # callers rebuild it
    index_store.pointer.write_text("v-20240101000000-abc\n", encoding="utf-8")  # the layout before segments
    assert index_store.current_version() is None and index_store.load_current() is None


# --- relevance on the judged queries ---------------------------------------------------------------------------


def test_ndcg_and_recall() -> None:
    assert ndcg_at_k([1, 2], {1: 2, 2: 1}) == pytest.approx(1.0)
    assert ndcg_at_k([2, 1], {1: 2, 2: 1}) < 1.0
    assert recall_at_k([3, 1], {1: 2, 2: 1}) == 0.5


@pytest.fixture
def corpus_factory(session_factory: sessionmaker[Session], migrated: Settings) -> sessionmaker[Session]:
    limits = read_limits(migrated)
    for path in SEEDS:
        assert ingest_path(session_factory, path, limits).status == "added"
    from app.phrasebank.service import rebuild_bank

    rebuild_bank(session_factory)
    return session_factory


def test_shipped_configuration_is_best_or_close_on_the_judged_queries(corpus_factory: sessionmaker[Session]) -> None:
    with corpus_factory() as session:
        records = load_records(session)
        words = bank_words(session)
    judgements = load_judgements()
    qrels = resolve(judgements, records)
    assert len(qrels) >= 30
    rows = {row["configuration"]: row for row in compare(records, qrels, words)}
    shipped = rows["words + bigrams (shipped)"]
    best = max(float(row["ndcg@10"]) for row in rows.values())  # type: ignore[arg-type]
    assert float(shipped["ndcg@10"]) >= best - 0.02, rows  # type: ignore[arg-type]
    assert float(shipped["ndcg@10"]) >= 0.8 and float(shipped["recall@10"]) >= 0.8, rows  # measured 0.877 / 0.878


def test_masked_names_are_not_search_terms_but_stay_in_the_hit() -> None:
    index = TfidfIndex().fit(
        [PassageRecord(1, 1, "刚才，XX同志作了创建工作报告。"), PassageRecord(2, 1, "志愿服务要常态化。")]
    )
    assert "xx" not in index.word_ids_
    assert not {"x同", "xx"} & set(index.bigram_ids_)
    assert "同志" in index.word_ids_ or "同志" in index.bigram_ids_
    hit = index.search("同志作了工作报告").hits[0]
    assert hit.passage_id == 1 and hit.text == "刚才，XX同志作了创建工作报告。"
