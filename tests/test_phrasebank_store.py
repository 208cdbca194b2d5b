"""The phrase bank in the database: atomic replacement, filters, KWIC examples, API and snapshot."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.read.formats import ReadLimits
from app.ingest.store import ingest_path
from app.mine.types import MinedPhrase, Occurrence
from app.models import Passage, Section
from app.phrasebank.service import snapshot_lines
from app.phrasebank.store import load_mining_documents, phrase_examples, query_phrases, replace_bank
from tests.conftest import SEEDS

SPEECH = next(p for p in SEEDS if p.name.startswith("003_"))
PHRASE = "久久为功"


def _seeded_bank(factory: sessionmaker[Session]) -> int:
    """Ingest a speech and put one hand-made entry pointing at a real passage into the bank."""
    document_id = ingest_path(factory, SPEECH, ReadLimits()).document_id
    assert document_id is not None
    with factory() as session:
        passage, section = session.execute(
            select(Passage, Section)
            .join(Section, Section.id == Passage.section_id)
            .where(Passage.document_id == document_id, Passage.text.contains("以人民为中心"))
        ).first()  # type: ignore[misc]
        offset = passage.text.index("以人民为中心")
    occurrence = Occurrence(document_id, section.ordinal, section.id, passage.id, offset, "以人民为中心")
    entries = [
        MinedPhrase("formulation", "以人民为中心", "以人民为中心", (section.role,), 1, 1, 2.0, (occurrence,)),
        MinedPhrase("idiom", PHRASE, PHRASE, ("tasks",), 3, 2, 1.5, (), {"pmi": 9.1}),
        MinedPhrase("idiom", "守正创新", "守正创新", ("review",), 2, 2, 1.2, ()),
    ]
    assert replace_bank(factory, entries) == 3
    return document_id


def test_load_mining_documents_mirrors_sections_and_passages(session_factory: sessionmaker[Session]) -> None:
    document_id = ingest_path(session_factory, SPEECH, ReadLimits()).document_id
    with session_factory() as session:
        (doc,) = load_mining_documents(session)
        section_count = session.query(Section).count()
    assert doc.document_id == document_id and doc.kind == "speech"
    assert len(doc.sections) == section_count
    assert doc.sections[0].role == "opening" and doc.sections[0].parent_ordinal is None
    child = next(s for s in doc.sections if s.level == 2)
    assert doc.sections[child.parent_ordinal].level == 1  # type: ignore[index]
    assert all(p.passage_id for s in doc.sections for p in s.passages)


def test_replace_bank_ranks_within_kind_and_filters(session_factory: sessionmaker[Session]) -> None:
    _seeded_bank(session_factory)
    with session_factory() as session:
        idioms = query_phrases(session, kind="idiom").items
        assert [(p.text, p.rank) for p in idioms] == [(PHRASE, 1), ("守正创新", 2)]
        review = [p.text for p in query_phrases(session, role="review").items]
        assert "守正创新" in review and PHRASE not in review
        assert [p.text for p in query_phrases(session, role="tasks").items] == [PHRASE]
        assert [p.text for p in query_phrases(session, q="为功").items] == [PHRASE]
        assert query_phrases(session, q="100%_").total == 0  # LIKE wildcards are escaped
    replace_bank(session_factory, [])
    with session_factory() as session:
        assert query_phrases(session).total == 0


def test_examples_show_the_phrase_in_context_with_its_source(session_factory: sessionmaker[Session]) -> None:
    _seeded_bank(session_factory)
    with session_factory() as session:
        phrase = query_phrases(session, kind="formulation").items[0]
        (example,) = phrase_examples(session, phrase)
    assert example.match == "以人民为中心"
    assert example.left and example.right
    assert example.document_title == "在2025年全市精神文明建设工作推进会上的讲话"


def test_phrases_api_lists_filters_and_shows_one(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    _seeded_bank(session_factory)
    listing = client.get("/phrases", params={"kind": "idiom", "limit": 1}).json()
    assert listing["total"] == 2 and [item["text"] for item in listing["items"]] == [PHRASE]
    formulation = client.get("/phrases", params={"q": "人民"}).json()["items"][0]
    detail = client.get(f"/phrases/{formulation['id']}").json()
    assert detail["examples"][0]["match"] == "以人民为中心"
    assert detail["sources"][0]["title"] == "在2025年全市精神文明建设工作推进会上的讲话"
    assert client.get("/phrases/99999").json()["error"]["code"] == "phrase_not_found"
    assert client.get("/phrases", params={"kind": "nonsense"}).status_code == 422


def test_snapshot_is_stable_and_has_no_ids(session_factory: sessionmaker[Session]) -> None:
    _seeded_bank(session_factory)
    with session_factory() as session:
        first = snapshot_lines(session)
    _seeded_bank(session_factory)  # same content re-inserted with new ids
    with session_factory() as session:
        second = snapshot_lines(session)
    assert first == second and len(first) == 3
    assert '"id"' not in first[0]
