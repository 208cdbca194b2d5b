"""POST /draft and ``bigan draft`` over the bundled corpus, as office tools and writers call them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as read_docx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings
from app.main import create_app
from tests.conftest import SEEDS

runner = CliRunner()
BODY = {
    "meeting": "全市精神文明建设工作推进会",
    "place": "大连市",
    "speaker": "市委副书记 张三",
    "date": "2026-12-02",
    "topics": ["未成年人思想道德建设", "志愿服务", "城中村治理"],
    "parts": 3,
    "detail": "outline+passages",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def corpus_client(migrated: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    result = runner.invoke(cli, ["ingest", *map(str, SEEDS)])
    assert result.exit_code == 0, result.output
    settings = migrated.model_copy(update={"cors_origins": ["https://wps.example"]})
    with TestClient(create_app(settings)) as client:
        yield client


def test_json_draft_has_the_documented_shape_with_sources(corpus_client: TestClient) -> None:
    response = corpus_client.post("/draft", json=BODY)
    assert response.status_code == 200, response.text
    draft = response.json()
    assert {"title", "doc_type", "minutes", "sections"} <= draft.keys()
    assert draft["title"] == "在全市精神文明建设工作推进会上的讲话" and draft["doc_type"] == "speech"
    numbered = [s for s in draft["sections"] if s["number"]]
    assert [s["number"] for s in numbered] == ["一、", "二、", "三、"]
    for section in numbered:
        assert {"number", "heading", "role", "minutes", "suggestions", "children"} <= section.keys()
    tasks = next(s for s in numbered if s["role"] == "tasks")
    assert [c["topic"] for c in tasks["children"]] == BODY["topics"]
    passages = [s for c in tasks["children"] for s in c["suggestions"] if s["kind"] == "passage"]
    assert passages, "outline+passages attaches retrieved passages under the task topics"
    assert all(p["source"]["document_id"] and p["source"]["title"] for p in passages)
    volunteer = next(c for c in tasks["children"] if c["topic"] == "志愿服务")
    assert any("志愿" in s["text"] for s in volunteer["suggestions"] if s["kind"] == "passage")
    # Alternatives under a topic must name it; stock mined from the corpus, wherever it is offered, keeps its source.
    every = [*draft["sections"], *(c for s in draft["sections"] for c in s["children"])]
    mined = [s for section in every for s in section["suggestions"] if s["kind"] != "passage" and s["source"]]
    assert mined, "stock formulations from the bank carry their source document"
    assert all(s["source"]["document_id"] for s in mined)
    assert draft["minutes"] > 0 and draft["parallel"]["ok"]


def test_same_request_and_seed_same_draft(corpus_client: TestClient) -> None:
    first = corpus_client.post("/draft", json={**BODY, "seed": 3}).json()
    again = corpus_client.post("/draft", json={**BODY, "seed": 3}).json()
    other = corpus_client.post("/draft", json={**BODY, "seed": 4}).json()
    assert first == again and first != other


@pytest.mark.parametrize(
    ("fmt", "media", "marker"),
    [("markdown", "text/markdown", "## 一、"), ("text", "text/plain", "一、"), ("html", "text/html", "<h2>一、")],
)
def test_text_formats_by_query_and_by_accept(corpus_client: TestClient, fmt: str, media: str, marker: str) -> None:
    by_query = corpus_client.post(f"/draft?format={fmt}", json=BODY)
    assert by_query.status_code == 200 and by_query.headers["content-type"].startswith(media)
    assert marker in by_query.text and "在全市精神文明建设工作推进会上的讲话" in by_query.text
    by_accept = corpus_client.post("/draft", json=BODY, headers={"Accept": media})
    assert by_accept.text == by_query.text


def test_docx_download_with_a_chinese_file_name(corpus_client: TestClient) -> None:
    response = corpus_client.post("/draft?format=docx", json=BODY)
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E5%9C%A8" in disposition
    document = read_docx(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "在全市精神文明建设工作推进会上的讲话" and any(t.startswith("一、") for t in texts)


def test_traditional_script(corpus_client: TestClient) -> None:
    draft = corpus_client.post("/draft", json={**BODY, "script": "traditional"}).json()
    assert draft["title"] == "在全市精神文明建設工作推進會上的講話" and draft["script"] == "traditional"
    text = corpus_client.post("/draft?format=markdown", json={**BODY, "script": "traditional"}).text
    assert "來源" in text


def test_report_draft(corpus_client: TestClient) -> None:
    draft = corpus_client.post("/draft", json={**BODY, "doc_type": "report"}).json()
    assert draft["title"] == "大连市召开全市精神文明建设工作推进会"
    headings = [s["heading"] for s in draft["sections"]]
    assert "会议指出" in headings and "会议强调" in headings
    lead = draft["sections"][0]["suggestions"][0]["text"]
    assert lead.startswith("12月2日，大连市召开全市精神文明建设工作推进会")


def test_unknown_topic_still_gives_an_outline_with_a_note(corpus_client: TestClient) -> None:
    draft = corpus_client.post("/draft", json={**BODY, "topics": ["量子计算"]}).json()
    assert any("量子计算" in note for note in draft["notes"])
    unknown = next(c for s in draft["sections"] for c in s["children"] if c["topic"] == "量子计算")
    assert unknown["suggestions"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meeting": ""}, "meeting"),
        ({**BODY, "parts": 9}, "parts"),
        ({**BODY, "doc_type": "poem"}, "doc_type"),
        ({**BODY, "date": "2026-13-40"}, "date"),
        ({**BODY, "topics": ["长" * 31]}, "topics"),
        ({**BODY, "target_minutes": 0}, "target_minutes"),
        ({**BODY, "extra": 1}, "extra"),
    ],
)
def test_invalid_input_is_a_bilingual_422(corpus_client: TestClient, body: dict[str, object], field: str) -> None:
    response = corpus_client.post("/draft", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    # A refused date has its own code, the same on every route (app/text/dates.py).
    assert error["code"] == ("bad_date" if field == "date" else "invalid_request")
    assert "请求参数有误 / invalid request" in error["message"] and field in error["message"]


def test_not_json_and_bad_format_and_unacceptable_accept(corpus_client: TestClient) -> None:
    assert (
        corpus_client.post("/draft", content=b"not json", headers={"Content-Type": "application/json"}).status_code
        == 422
    )
    assert corpus_client.post("/draft?format=pdf", json=BODY).status_code == 422
    refused = corpus_client.post("/draft", json=BODY, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and refused.json()["error"]["code"] == "not_acceptable"


def test_cors_for_office_add_ins(corpus_client: TestClient) -> None:
    preflight = corpus_client.options(
        "/draft",
        headers={"Origin": "https://wps.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://wps.example"
    stranger = corpus_client.options(
        "/draft", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in stranger.headers


def test_empty_corpus_still_drafts(client: TestClient) -> None:
    draft = client.post("/draft", json=BODY).json()
    assert [s["number"] for s in draft["sections"] if s["number"]] == ["一、", "二、", "三、"]
    assert any("索引" in note for note in draft["notes"])


def test_cli_draft_to_stdout_and_files(corpus_client: TestClient, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["draft", "-m", "全市精神文明建设工作推进会", "-t", "志愿服务", "--minutes", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 在全市精神文明建设工作推进会上的讲话") and "目标 5 分钟" in result.output
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**BODY, "doc_type": "report"}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "报道.docx"
    written = runner.invoke(cli, ["draft", "--from-json", str(request), "-f", "docx", "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert read_docx(str(out)).paragraphs[0].text == "大连市召开全市精神文明建设工作推进会"
    as_json = runner.invoke(cli, ["draft", "--from-json", str(request), "-f", "json"])
    assert json.loads(as_json.output)["doc_type"] == "report"


def test_cli_draft_bad_input(corpus_client: TestClient) -> None:
    bad = runner.invoke(cli, ["draft", "-m", "全市推进会", "--parts", "9"])
    assert bad.exit_code == 2 and "输入有误 / invalid input" in bad.output and "parts" in bad.output
    assert runner.invoke(cli, ["draft", "-m", "全市推进会", "-f", "docx"]).exit_code != 0  # docx needs --out
    assert runner.invoke(cli, ["draft", "-m", "全市推进会", "--date", "12/02"]).exit_code != 0


def test_cli_draft_on_an_uninitialised_database_says_what_to_do(settings: Settings) -> None:
    result = runner.invoke(cli, ["draft", "-m", "全市推进会"])
    assert result.exit_code == 1 and "bigan db upgrade" in result.output


CLEAN_ABSENT = ("分钟", "来源", "可选表述", "参考段落", "提示", "【套话】")


def test_clean_export_for_text_and_docx(corpus_client: TestClient) -> None:
    body = {**BODY, "detail": "paragraphs"}
    draft = corpus_client.post("/draft", json=body).json()
    working = corpus_client.post("/draft?format=text", json=body)
    clean = corpus_client.post("/draft?format=text&clean=true", json=body)
    assert working.status_code == clean.status_code == 200
    assert "分钟" in working.text and "可选表述" in working.text
    assert not [word for word in CLEAN_ABSENT if word in clean.text]
    paragraphs = [s["paragraph"]["text"] for s in _walk(draft["sections"]) if s["paragraph"]]
    assert paragraphs, "detail=paragraphs drafts prose under the headings"
    assert all(text in clean.text for text in paragraphs)
    # The draft cache keeps a rendering per format: the clean text never comes back for the working copy.
    assert corpus_client.post("/draft?format=text", json=body).text == working.text
    assert corpus_client.post("/draft?format=json&clean=true", json=body).json() == draft  # JSON ignores clean

    docx = corpus_client.post("/draft?format=docx&clean=true", json=body)
    assert docx.status_code == 200 and docx.headers["content-type"] == DOCX
    assert docx.headers["content-disposition"].startswith('attachment; filename="draft-clean.docx"')
    assert "%EF%BC%88%E6%AD%A3%E6%96%87%EF%BC%89.docx" in docx.headers["content-disposition"]  # （正文）.docx
    texts = [p.text for p in read_docx(io.BytesIO(docx.content)).paragraphs]
    assert texts[0] == draft["title"] and all(text in texts for text in paragraphs)
    assert not [t for t in texts if any(word in t for word in CLEAN_ABSENT)]
    working_docx = corpus_client.post("/draft?format=docx", json=body)
    assert any("可选表述" in p.text for p in read_docx(io.BytesIO(working_docx.content)).paragraphs)


def _walk(sections: list[dict[str, object]]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for section in sections:
        found.append(section)
        found.extend(_walk(section["children"]))  # type: ignore[arg-type]
    return found


def test_cli_clean_outline_meeting_type_and_points(corpus_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.compose.service as service

    seen: list[object] = []
    compose = service.compose

    def spy(request, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(request)
        return compose(request, *args, **kwargs)

    monkeypatch.setattr(service, "compose", spy)
    meeting = ["draft", "-m", "全市精神文明建设工作推进会", "-t", "志愿服务"]
    clean = runner.invoke(cli, [*meeting, "--clean", "-f", "text"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.startswith("在全市精神文明建设工作推进会上的讲话")
    assert not [word for word in CLEAN_ABSENT if word in clean.output]
    working = runner.invoke(cli, [*meeting, "-f", "text"])
    assert "分钟" in working.output and "可选表述" in working.output
    typed = runner.invoke(cli, [*meeting, "--outline", "--type-of-meeting", "表彰", "--points", "-f", "json"])
    assert typed.exit_code == 0, typed.output
    request = seen[-1]
    assert (request.detail, request.meeting_type, request.points) == ("outline", "commendation", True)  # type: ignore[attr-defined]
    assert all(s["paragraph"] is None for s in _walk(json.loads(typed.output)["sections"]))
    assert runner.invoke(cli, [*meeting, "--meeting-type", "summary", "-f", "json"]).exit_code == 0
    assert seen[-1].meeting_type == "summary" and seen[-1].detail == "paragraphs"  # type: ignore[attr-defined]
    assert runner.invoke(cli, [*meeting, "--passages", "-f", "json"]).exit_code == 0
    assert seen[-1].detail == "outline+passages"  # type: ignore[attr-defined]
    # Contradictory or meaningless combinations are refused before anything is composed.
    calls = len(seen)
    assert runner.invoke(cli, [*meeting, "--outline", "--passages"]).exit_code != 0
    assert runner.invoke(cli, [*meeting, "--clean", "-f", "json"]).exit_code != 0
    bad_type = runner.invoke(cli, [*meeting, "--meeting-type", "茶话会"])
    assert bad_type.exit_code == 2 and "meeting_type" in bad_type.output
    assert len(seen) == calls


def test_cli_clean_docx(corpus_client: TestClient, tmp_path: Path) -> None:
    out = tmp_path / "正文.docx"
    result = runner.invoke(cli, ["draft", "-m", "全市精神文明建设工作推进会", "--clean", "-f", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in read_docx(str(out)).paragraphs]
    assert texts[0] == "在全市精神文明建设工作推进会上的讲话" and any(t.startswith("一、") for t in texts)
    assert not [t for t in texts if any(word in t for word in CLEAN_ABSENT)]
