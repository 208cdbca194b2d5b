"""Storing documents: one transaction each, exact and near duplicates, nothing left by bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import app.ingest.isolate as isolate
from app.ingest.isolate import IsolatedParser
from app.ingest.read.formats import ReadLimits
from app.ingest.store import corpus_counts, ingest_path, ingest_upload, iter_input_files, remove_document
from app.models import Document, Passage, Section
from tests import hostile_parsers
from tests.conftest import SEEDS

LIMITS = ReadLimits()
SPEECH_003 = next(p for p in SEEDS if p.name.startswith("003_"))
SPEECH_002 = next(p for p in SEEDS if p.name.startswith("002_"))


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_seeds_are_added_with_metadata_sections_and_passages(session_factory: sessionmaker[Session]) -> None:
    outcomes = [ingest_path(session_factory, p, LIMITS) for p in SEEDS]
    assert [o.status for o in outcomes] == ["added"] * 5
    with session_factory() as session:
        speech = session.get_one(Document, outcomes[3].document_id)
        assert speech.kind == "speech"
        assert speech.title == "在2025年全市精神文明建设工作推进会上的讲话"
        assert "预览结束" not in speech.text and "文鼎文库" not in speech.text
        assert speech.sections and speech.sections[0].role == "opening"
        traditional = session.get_one(Document, outcomes[0].document_id)
        assert traditional.script == "traditional"
        assert "建設" in traditional.display_text  # original script kept for display
        assert "建设" in traditional.text and "建設" not in traditional.text
        counts = corpus_counts(session)
    assert counts.canonical == 5 and counts.speeches == 2 and counts.reports == 3
    assert counts.passages > 20


def test_same_file_twice_is_a_no_op(session_factory: sessionmaker[Session]) -> None:
    first = ingest_path(session_factory, SPEECH_003, LIMITS)
    second = ingest_path(session_factory, SPEECH_003, LIMITS)
    assert second.status == "duplicate" and second.document_id == first.document_id
    assert second.describe() == f"duplicate of #{first.document_id}"
    assert _count(session_factory, Document) == 1


def test_same_text_with_other_chrome_is_an_exact_duplicate(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    first = ingest_path(session_factory, SPEECH_002, LIMITS)
    copy = tmp_path / "copy.txt"
    copy.write_text("首页 > 范文 > 讲话稿\n\n" + SPEECH_002.read_text(encoding="utf-8"), encoding="utf-8")
    outcome = ingest_path(session_factory, copy, LIMITS)
    assert outcome.status == "duplicate" and outcome.document_id == first.document_id


def _truncated_copy(tmp_path: Path, source: Path, share: float) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[: max(3, int(len(lines) * share))])
    path = tmp_path / f"preview-{source.name}"
    path.write_text("公文范文网\n" + body + "\n预览结束，下载全文请登录\n", encoding="utf-8")
    return path


def test_truncated_preview_after_the_full_text_is_a_near_duplicate(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    full = ingest_path(session_factory, SPEECH_003, LIMITS)
    preview = ingest_path(session_factory, _truncated_copy(tmp_path, SPEECH_003, 0.5), LIMITS)
    assert preview.status == "duplicate" and preview.document_id == full.document_id
    assert _count(session_factory, Document) == 1


def test_full_text_after_its_preview_replaces_it_in_the_bank(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    preview = ingest_path(session_factory, _truncated_copy(tmp_path, SPEECH_003, 0.5), LIMITS)
    full = ingest_path(session_factory, SPEECH_003, LIMITS)
    assert full.status == "added" and full.supersedes == preview.document_id
    with session_factory() as session:
        assert session.get_one(Document, preview.document_id).duplicate_of_id == full.document_id
        assert corpus_counts(session).canonical == 1


def test_different_speeches_are_not_near_duplicates(session_factory: sessionmaker[Session]) -> None:
    assert ingest_path(session_factory, SPEECH_002, LIMITS).status == "added"
    assert ingest_path(session_factory, SPEECH_003, LIMITS).status == "added"


def test_rejected_inputs_leave_nothing_behind(session_factory: sessionmaker[Session], tmp_path: Path) -> None:
    bad = {
        "empty.txt": b"",
        "junk.txt": bytes(range(256)) * 40,
        "english.txt": b"This file has no Chinese text at all, only English words." * 5,
        "table.xls": "精神文明建设".encode(),
        "broken.docx": b"not a zip file at all",
        "broken.pdf": b"%PDF-1.4 truncated",
    }
    for name, data in bad.items():
        path = tmp_path / name
        path.write_bytes(data)
        outcome = ingest_path(session_factory, path, LIMITS)
        assert outcome.status == "rejected", name
        assert outcome.reason and " / " in outcome.reason  # Chinese / English
    assert ingest_path(session_factory, tmp_path / "missing.txt", LIMITS).status == "rejected"
    assert _count(session_factory, Document) == 0
    assert _count(session_factory, Section) == 0


def test_upload_path_uses_the_same_checks(session_factory: sessionmaker[Session]) -> None:
    data = SPEECH_003.read_bytes()
    added = ingest_upload(session_factory, data, "speech.txt", LIMITS)
    again = ingest_upload(session_factory, data, "speech.txt", LIMITS)
    rejected = ingest_upload(session_factory, b"\x00\x01\x02" * 100, "x.txt", LIMITS)
    assert added.status == "added" and again.status == "duplicate"
    assert rejected.status == "rejected"


def test_one_isolated_parser_serves_many_files_and_replaces_a_child_it_had_to_kill(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What ``bigan ingest`` relies on. A child takes its parse function from ``isolate.parse_bytes`` when it
    starts, so which function answered shows whether a file got the old child or a new one."""
    monkeypatch.chdir(tmp_path)  # hostile_parsers.hang leaves its pid file in the child's directory
    real = isolate.parse_bytes
    with IsolatedParser(1.5) as parser:
        monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)
        hung = ingest_path(session_factory, SEEDS[0], LIMITS, parse=parser)
        assert (hung.status, hung.code) == ("rejected", "parse_timeout")

        monkeypatch.setattr(isolate, "parse_bytes", real)  # the hung child was killed: the next one parses
        first = ingest_path(session_factory, SEEDS[1], LIMITS, parse=parser)
        monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)  # new children would hang …
        second = ingest_path(session_factory, SEEDS[2], LIMITS, parse=parser)  # … but this one is reused
        assert (first.status, second.status) == ("added", "added")

        monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.die)
        assert ingest_path(session_factory, SEEDS[3], LIMITS, parse=parser).status == "added"  # still reused
    with session_factory() as session:
        stored = session.get_one(Document, second.document_id)
        # the child's document is the one this process would have made
        assert stored.text == real(SEEDS[2].read_bytes(), SEEDS[2].name, LIMITS).text
    assert _count(session_factory, Document) == 3


def test_remove_cascades_to_sections_and_passages(session_factory: sessionmaker[Session]) -> None:
    outcome = ingest_path(session_factory, SPEECH_003, LIMITS)
    assert _count(session_factory, Passage) > 0
    assert remove_document(session_factory, outcome.document_id)
    assert not remove_document(session_factory, outcome.document_id)
    assert (_count(session_factory, Document), _count(session_factory, Section), _count(session_factory, Passage)) == (
        0,
        0,
        0,
    )


def test_iter_input_files_walks_folders_for_supported_types(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.docx", "a/b/skip.png", "three.md"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a/b/two.docx", "a/one.txt", "three.md"]
