"""Hostile and broken input (issue 17, part C): control characters, a stored file under another type's name, and
a pathological single-line file — no 500s, no stalls.

The control-character and type tests run on SQLite and, when ``BIGAN_TEST_POSTGRES_URL`` is set, on PostgreSQL
(which refuses NUL outright). The stall tests count work instead of timing it: characters the heading scanner may
look at, and searches of the whole document, at two sizes.
"""

from __future__ import annotations

import io
import os
import random
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import app.ingest.isolate as isolate
from app.cli import app as cli_app
from app.compose.model import DraftSentence, Paragraph
from app.compose.output.docx import build_docx
from app.compose.output.render import render_text
from app.config import Settings
from app.ingest.clean.document import clean_text
from app.ingest.clean.runon import MAX_LINE_CHARS, line_cuts
from app.ingest.errors import IngestError
from app.ingest.pipeline import prepare
from app.ingest.read.formats import ReadLimits, read_bytes
from app.ingest.store import ingest_path, ingest_upload
from app.main import create_app
from app.models import Document, Passage, Section
from app.structure import scan
from app.structure.outline import parse_outline
from app.text.controls import normalise_controls
from app.text.normalise import CJK_RE
from tests import hostile_parsers
from tests.conftest import SEEDS
from tests.helpers.drafts import paragraph_draft
from tests.helpers.web import FORM

TOKEN = "hostile-ingest-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPEECH = SEEDS[3].read_bytes()
# What no stored or exported text may hold: C0/C1 controls but tab and newline, non-characters, lone surrogates.
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]")


@pytest.fixture
def api(migrated: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(migrated.model_copy(update={"api_token": TOKEN, "max_ingest_seconds": 60}))) as client:
        yield client


def with_nul_lines(text: str, every: int = 4, mark: str = "\x00") -> tuple[str, int]:
    """``text`` with a NUL (or ``mark``) at the end of every ``every``-th line, and how many were put in."""
    lines = text.split("\n")
    marked = [line + mark if i % every == every - 1 else line for i, line in enumerate(lines)]
    return "\n".join(marked), len(lines) // every


# --- control characters ---------------------------------------------------------------------------------------


def test_controls_are_removed_and_counted_and_line_breaks_kept() -> None:
    text = "一\x00二\x01三\x7f四\x9f五\ud800六\ufdd0七\ufffe八\uffff九\U0001fffe十\U0010ffff。\t甲"
    assert normalise_controls(text) == ("一二三四五六七八九十。\t甲", 10)
    # Every line break becomes a newline, and none counts as a removal.
    assert normalise_controls("甲\r\n乙\r丙\v丁\f戊\x85己\u2028庚\u2029辛") == ("甲\n乙\n丙\n丁\n戊\n己\n庚\n辛", 0)


def test_every_text_format_loses_its_controls_at_the_read_edge() -> None:
    seed = SEEDS[3].read_text(encoding="utf-8")
    marked, count = with_nul_lines(seed)
    utf16 = read_bytes(("\ufeff" + marked).encode("utf-16-le"), "讲话.txt")
    assert utf16.encoding == "utf-16" and utf16.removed_controls == count
    assert utf16.text == seed.replace("\r\n", "\n")
    paragraphs = [line for line in seed.split("\n") if line.strip()]
    page = "".join(f"<p>{line}&#1;&#x7f;&#xFFFF;</p>" for line in paragraphs)
    html = read_bytes(f"<html><body>{page}</body></html>".encode(), "讲话.html")
    assert html.removed_controls == 3 * len(paragraphs) and not FORBIDDEN_RE.search(html.text)
    # in UTF-8 a NUL byte would mean binary data: other controls then
    marked, count = with_nul_lines(seed, mark="\x01\x7f")
    markdown = read_bytes(f"# 标题\x02\n\n{marked}".encode(), "讲话.md")
    assert markdown.removed_controls == 2 * count + 1 and not FORBIDDEN_RE.search(markdown.text)


def test_an_upload_full_of_controls_is_stored_clean_and_drafts_export(api: TestClient) -> None:
    marked, count = with_nul_lines(SPEECH.decode("utf-8"))
    stored = api.post("/documents", files={"file": ("讲话.txt", ("\ufeff" + marked).encode("utf-16-le"))}, headers=AUTH)
    assert stored.status_code == 201, stored.text
    assert f"删除了 {count} 个控制字符" in stored.json()["message"]
    assert f"{count} control or invalid characters removed" in stored.json()["message"]
    other = SEEDS[2].read_text(encoding="utf-8").split("\n")
    page = "".join(f"<p>{line}&#1;&#x7f;&#xFFFF;</p>" for line in other if line.strip())
    html = api.post("/documents", files={"file": ("报道.html", f"<html><body>{page}</body></html>")}, headers=AUTH)
    assert html.status_code == 201, html.text
    factory = api.app.state.session_factory
    with factory() as session:
        texts = [
            *session.scalars(select(Document.original_text)),
            *session.scalars(select(Document.display_text)),
            *session.scalars(select(Document.text)),
            *(t or "" for t in session.scalars(select(Document.title))),
            *session.scalars(select(Section.heading_path)),
            *session.scalars(select(Passage.text)),
        ]
    assert texts and not [t for t in texts if FORBIDDEN_RE.search(t)]
    for detail in ("paragraphs", "outline+passages"):
        body = {"meeting": FORM["meeting"], "topics": ["志愿服务"], "detail": detail}
        word = api.post("/draft", params={"format": "docx"}, json=body)
        assert word.status_code == 200 and word.content.startswith(b"PK"), word.text[:300]
    fields = FORM | {"format": "docx"}
    download = api.post("/ui/download", data=fields)
    assert download.status_code == 200 and download.content.startswith(b"PK")


def test_bigan_ingest_reports_how_many_controls_it_removed(session_factory: sessionmaker[Session]) -> None:
    marked, count = with_nul_lines(SPEECH.decode("utf-8"))
    outcome = ingest_upload(session_factory, ("\ufeff" + marked).encode("utf-16-le"), "讲话.txt", ReadLimits())
    assert outcome.status == "added" and f"({count} control characters removed)" in outcome.describe()


def test_renderers_strip_controls_a_stored_row_may_still_carry() -> None:
    """A row stored before ingestion removed controls must not make an export fail (.docx refuses them)."""
    draft = paragraph_draft()
    dirty = "坚持\x00稳中求进\x01工作总基调\ufffe，推动\ud800高质量发展\x0c迈上新台阶。"
    opening = draft.sections[0].model_copy(update={"paragraph": Paragraph(sentences=(DraftSentence(text=dirty),))})
    draft = draft.model_copy(update={"title": "在全市\x07工作会议上的讲话", "sections": (opening, *draft.sections[1:])})
    document = docx.Document(io.BytesIO(build_docx(draft)))
    written = "\n".join(p.text for p in document.paragraphs)
    assert "坚持稳中求进工作总基调，推动高质量发展" in written and "在全市工作会议上的讲话" in written
    assert document.core_properties.title == "在全市工作会议上的讲话"
    for fmt in ("html", "markdown", "text"):
        assert not FORBIDDEN_RE.search(render_text(draft, fmt)), fmt


# --- type and size before the duplicate lookup ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("x.exe", 415, "unsupported_type"),
        ("noext", 415, "unsupported_type"),
        (".docx", 415, "unsupported_type"),  # a hidden file's name: "docx", without an extension
        (".pdf", 415, "unsupported_type"),
        ("x.docx", 422, "corrupt_docx"),  # a known suffix, but not the container it names
        ("x.pdf", 422, "corrupt_pdf"),
    ],
)
def test_a_stored_file_under_another_name_is_refused_not_a_duplicate(
    api: TestClient, name: str, status: int, code: str
) -> None:
    assert api.post("/documents", files={"file": ("讲话.txt", SPEECH)}, headers=AUTH).status_code == 201
    refused = api.post("/documents", files={"file": (name, SPEECH)}, headers=AUTH)
    assert refused.status_code == status, refused.text
    error = refused.json()["error"]
    assert error["code"] == code and re.search(r"[\u4e00-\u9fff].* / [A-Za-z.]", error["message"])
    assert api.get("/healthz").json()["counts"]["documents"] == 1


def test_the_size_cap_is_checked_before_the_duplicate_lookup(session_factory: sessionmaker[Session]) -> None:
    assert ingest_upload(session_factory, SPEECH, "讲话.txt", ReadLimits()).status == "added"
    again = ingest_upload(session_factory, SPEECH, "讲话.txt", ReadLimits(max_bytes=len(SPEECH) - 1))
    assert again.status == "rejected" and again.code == "too_large"


def test_bigan_ingest_refuses_a_stored_file_under_an_unsupported_name(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    assert ingest_path(session_factory, SEEDS[3], ReadLimits()).status == "added"
    renamed = tmp_path / "讲话.exe"
    renamed.write_bytes(SPEECH)
    result = CliRunner().invoke(cli_app, ["ingest", "--max-seconds", "0", str(renamed)])
    assert result.exit_code == 1 and "rejected: " in result.output and "(unsupported_type)" in result.output


def test_the_web_upload_refuses_a_stored_file_under_an_unsupported_name(migrated: Settings) -> None:
    with TestClient(create_app(migrated.model_copy(update={"api_token": TOKEN}))) as client:
        upload = "/ui/corpus/upload"
        assert client.post(upload, files={"file": ("讲话.txt", SPEECH)}, data={"token": TOKEN}).status_code == 201
        refused = client.post(upload, files={"file": ("讲话.exe", SPEECH)}, data={"token": TOKEN})
        assert refused.status_code == 422 and "未能入库" in refused.text and "不支持 .exe" in refused.text


# --- a pathological single-line file ---------------------------------------------------------------------------

_CHARS = sorted(set(CJK_RE.findall("".join(p.read_text(encoding="utf-8") for p in SEEDS))) - set("二两"))


def one_line(chars: int, after_each: str = "，", seed: int = 17) -> str:
    """A file with no line breaks: random clauses of real characters, each followed by ``after_each``."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < chars:
        parts.append("".join(rng.choices(_CHARS, k=rng.randint(6, 24))) + after_each)
        total += len(parts[-1])
    return "".join(parts)[:chars]


def test_line_cuts_prefer_sentence_ends_then_clause_marks_then_the_limit() -> None:
    assert line_cuts("甲乙。" * 4, limit=7) == [0, 6, 12]
    assert line_cuts("甲乙，" * 4, limit=7) == [0, 6, 12]
    assert line_cuts("甲" * 20, limit=8) == [0, 8, 16, 20]
    line = one_line(50_000)
    cuts = line_cuts(line)
    pieces = [line[a:b] for a, b in pairwise(cuts)]
    assert "".join(pieces) == line
    assert all(MAX_LINE_CHARS // 2 < len(p) <= MAX_LINE_CHARS for p in pieces[:-1]) and pieces[-1]


def test_no_line_longer_than_the_bound_leaves_the_cleaner() -> None:
    line = one_line(60_000)
    cleaned = clean_text(line).text.split("\n")
    assert max(map(len, cleaned)) <= MAX_LINE_CHARS
    assert len(CJK_RE.findall("".join(cleaned))) == len(CJK_RE.findall(line))  # cut, nothing dropped


def _scanned_characters(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many characters the heading matchers were offered while ``prepare`` read ``text``: each candidate
    position may look at the rest of its paragraph, so this is what grows with a paragraph's length."""
    offered = [0]
    real = scan.match_heading

    def counting(paragraph: str, pos: int) -> object:
        offered[0] += len(paragraph) - pos
        return real(paragraph, pos)

    monkeypatch.setattr(scan, "match_heading", counting)
    prepare(read_bytes(text.encode("utf-8"), "x.txt"))
    monkeypatch.setattr(scan, "match_heading", real)
    return offered[0]


def test_the_outline_work_on_one_long_line_grows_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Clauses that end in "；" make every clause a place a heading could start. Uncut, four times the text offered
    # sixteen times the characters (a quadratic scan); cut at MAX_LINE_CHARS, four times.
    small = _scanned_characters(one_line(20_000, "；"), monkeypatch)
    large = _scanned_characters(one_line(80_000, "；"), monkeypatch)
    assert small > 0 and large / small < 4.5


def test_inline_markers_search_the_whole_document_once_per_follower(monkeypatch: pytest.MonkeyPatch) -> None:
    """An inline ``1.`` is a heading only if a ``2`` follows somewhere; asking the whole document for every one of
    them made a long document full of them quadratic."""
    searches = [0]

    class Counting(str):
        def __contains__(self, item: object) -> bool:
            searches[0] += 1
            return super().__contains__(item)  # type: ignore[operator]

    @dataclass
    class CountingState(scan._ScanState):
        def __post_init__(self) -> None:
            self.doc = Counting(self.doc)

    monkeypatch.setattr(scan, "_ScanState", CountingState)
    text = one_line(30_000, "。1.")  # hundreds of inline "1." candidates, and no "2" anywhere
    assert text.count("1.") > 500
    parse_outline(text, "speech")
    assert 0 < searches[0] <= 6


def test_a_long_file_that_is_mostly_not_chinese_is_refused_at_once() -> None:
    junk = "在全市会议上的讲话" * 2 + "，。、；！ ,.;!" * 30_000
    with pytest.raises(IngestError) as refused:
        read_bytes(junk.encode("utf-8"), "junk.txt")
    assert refused.value.code == "no_chinese" and "%" in refused.value.zh
    short = "在全市会议上的讲话" * 2 + "，。、；！ ,.;!" * 100  # cheap to try: the share is not asked of it
    assert read_bytes(short.encode("utf-8"), "short.txt").text


def test_a_slow_parse_does_not_hold_the_write_lock(
    migrated: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """While an upload's parse runs, another write (a delete) goes through: the parse is outside the lock."""
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)
    settings = migrated.model_copy(update={"api_token": TOKEN, "max_ingest_seconds": 120})
    with TestClient(create_app(settings)) as client:
        document = ingest_path(client.app.state.session_factory, SEEDS[0], ReadLimits()).document_id
        monkeypatch.chdir(tmp_path)  # the hanging child writes slow.pid here
        answers: list[int] = []
        slow = threading.Thread(
            target=lambda: answers.append(
                client.post("/documents", files={"file": ("slow.txt", SPEECH)}, headers=AUTH).status_code
            )
        )
        slow.start()
        pid_file = tmp_path / "slow.pid"
        while not pid_file.exists():
            assert slow.is_alive(), answers
            slow.join(0.05)
        deleted = client.delete(f"/documents/{document}", headers=AUTH)
        parsing = slow.is_alive()
        os.kill(int(pid_file.read_text()), signal.SIGKILL)  # end the hang: the upload answers parse_failed
        slow.join()
    assert deleted.status_code == 200 and parsing
    assert answers == [422]
