"""The web pages, driven as a writer's browser drives them (forms, links, downloads) over the bundled corpus."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.compose.bank import ComposeBank
from app.compose.headings import check_parallel
from app.compose.plan import plan_draft
from app.compose.request import DraftRequest
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.ingest.store import corpus_counts, ingest_path, read_limits
from app.main import create_app
from app.phrasebank.store import query_phrases
from app.web.forms import apply_headings
from tests.conftest import SEEDS
from tests.helpers.web import FORM, MEETING, build_corpus

WRITE = "w-web-0123456789"
READ = "r-web-9876543210"
# A document an attacker might upload: markup and template syntax must come out as text.
HOSTILE = (
    "关于<script>alert(1)</script>工作的讲话{{ 7*7 }}\n\n同志们：\n\n"
    "今天我们召开会议，研究部署精神文明建设工作。<script>alert(1)</script>{{ 7*7 }}{% raw %}要认真抓好落实。\n\n"
    "一、提高思想认识\n\n要深刻认识精神文明建设的重要意义，<img src=x onerror=alert(2)>扎实推进各项工作。\n"
)


@pytest.fixture(scope="module")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    hostile = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    return build_corpus(tmp_path_factory.mktemp("web") / "data", [hostile])


@pytest.fixture(scope="module")
def web(corpus_settings: Settings) -> Iterator[TestClient]:
    """A client over the ingested corpus, shared by the read-only tests of this module."""
    with TestClient(create_app(corpus_settings)) as client:
        yield client


def _after(html: str, marker: str, length: int = 600) -> str:
    start = html.index(marker)
    return html[start : start + length]


def _ids_with_labels(html: str) -> tuple[set[str], set[str]]:
    inputs = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    labelled |= set(re.findall(r'<label[^>]*><input[^>]*\bid="([^"]+)"', html))  # wrapped (radio buttons)
    return inputs, labelled


# ---- the draft form ------------------------------------------------------------------------------------------


def test_form_has_every_request_field_with_a_label(web: TestClient) -> None:
    page = web.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html
    for name in DraftRequest.model_fields:
        assert f'name="{name}"' in html, name
    inputs, labelled = _ids_with_labels(html)
    assert inputs <= labelled, inputs - labelled
    assert 'list="topic-list"' in html and '<option value="志愿服务">' in html  # topic suggestions from the bank
    for href in ("/ui/phrases", "/ui/search", "/ui/corpus"):
        assert f'href="{href}"' in html
    assert "Content-Security-Policy" in page.headers and "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_submitting_the_form_shows_the_outline(web: TestClient) -> None:
    page = web.post("/", data=FORM)
    assert page.status_code == 200
    html = page.text
    assert "在全市精神文明建设工作推进会上的讲话" in html
    assert re.search(r'<span class="num">一、</span>', html) and '<span class="num">二、</span>' in html
    assert '<mark class="todo">【待补' in html  # placeholders stand out
    assert "排比：工整" in html
    assert re.search(r'<a class="source" href="/ui/corpus/\d+">来源：', html)
    assert html.count('class="swap"') >= 3  # 换一个 on each level-1 heading
    assert 'name="format" value="docx"' in html and 'id="plain-text"' in html
    # The form keeps what was typed.
    assert f'value="{MEETING}"' in html and 'value="志愿服务，城中村治理"' in html
    # By default each heading has a drafted paragraph; its stock wording is folded, at most five lines.
    assert html.count('<p class="paragraph">') >= 6
    alternatives = r'<details class="alternatives">\s*<summary>可选表述（(\d)）</summary>(.*?)</details>'
    folded = re.findall(alternatives, html, re.S)
    assert folded and all(int(n) == body.count("<li") <= 5 for n, body in folded)
    assert re.search(r'<p class="sources">来源：<span class="cite-source">①<a href="/ui/corpus/\d+">', html)
    assert re.search(r'<sup class="cite">①</sup>', html)
    # The outline alone lists every suggestion under its label, as before.
    outline = web.post("/", data=FORM | {"detail": "outline"}).text
    assert '<span class="kind">套话</span>' in outline and '<p class="paragraph">' not in outline


def test_a_report_and_traditional_script(web: TestClient) -> None:
    page = web.post("/", data=FORM | {"doc_type": "report", "script": "traditional", "date": "2025-06-18"})
    assert page.status_code == 200
    assert "role-requirements" in page.text and "會議強調" in page.text  # the draft itself is in 繁體
    assert '<h3 class="block-label">导语</h3>' in page.text  # the interface stays in simplified Chinese
    assert 'value="report" checked' in page.text and 'value="traditional" checked' in page.text


def test_validation_errors_are_in_chinese_next_to_their_field(web: TestClient) -> None:
    bad = {"meeting": "x", "topics": "志愿服务", "parts": "9", "date": "2025/13/01", "target_minutes": "半小时"}
    page = web.post("/", data=bad)
    assert page.status_code == 422
    html = page.text
    meeting = _after(html, 'id="f-meeting"')
    assert 'value="x"' in meeting and 'aria-invalid="true"' in meeting
    assert '<p class="field-error" id="err-meeting">至少需要 2 个字</p>' in meeting
    assert "日期格式应为" in _after(html, 'id="f-date"')
    assert "不能大于 6" in _after(html, 'id="f-parts"', 1200)
    assert "请填写整数" in _after(html, 'id="f-target_minutes"') and 'value="半小时"' in html
    assert 'value="志愿服务"' in html  # other fields keep their input
    assert "请先修改 4 处填写" in html and 'href="#f-meeting">会议名称：至少需要 2 个字</a>' in html
    assert 'id="result-form"' not in html
    too_long = web.post("/", data=FORM | {"topics": "志愿服务，" + "很" * 31})
    assert too_long.status_code == 422 and "超过 30 字" in _after(too_long.text, 'id="f-topics"', 1500)
    blank = web.post("/", data={"meeting": "……"})
    assert "会议名称需包含文字" in _after(blank.text, 'id="f-meeting"')


def test_swap_without_javascript_moves_to_the_next_heading(web: TestClient) -> None:
    first = web.post("/", data=FORM).text
    cycle = re.search(r'data-index="1"\s+data-cycle=\'([^\']+)\'', first)
    assert cycle is not None
    headings = [h.encode().decode("unicode_escape") for h in re.findall(r'"((?:[^"\\]|\\.)*)"', cycle[1])]
    assert len(headings) >= 2
    swapped = web.post("/", data=FORM | {"swap": "1"}).text
    assert f'id="heading-1">{headings[1]}<' in swapped
    assert f'name="h_1" value="{headings[1]}"' in swapped
    # The composer caches drafts: the swap changed a copy, not the draft the next writer gets.
    assert f'id="heading-1">{headings[0]}<' in web.post("/", data=FORM).text
    # A forged choice (not one of the alternatives) is ignored.
    forged = web.post("/", data=FORM | {"h_1": "任意文字"}).text
    assert f'id="heading-1">{headings[0]}<' in forged and "任意文字" not in forged


def test_chosen_headings_make_a_new_draft_and_leave_the_planned_one_alone() -> None:
    draft = plan_draft(DraftRequest(meeting=MEETING, topics=["志愿服务", "城中村治理"], parts=3), ComposeBank())
    # Topic headings have no alternatives of their own yet: give the first one some, the way a variant is made.
    top = next(i for i, s in enumerate(draft.sections) if s.role == "tasks")
    parent = draft.sections[top]
    topic = parent.children[0].model_copy(update={"alternatives": ("深入推进志愿服务，推动工作走深走实",)})
    parent = parent.model_copy(update={"children": (topic, *parent.children[1:])})
    draft = draft.model_copy(update={"sections": (*draft.sections[:top], parent, *draft.sections[top + 1 :])})
    planned = draft.model_dump_json()
    sections = draft.walk()
    tasks = sections.index(parent)
    child = tasks + 1  # its first topic heading
    assert sections[1].alternatives and sections[child] is topic
    unchanged, chosen = apply_headings(draft, {}, None)
    assert unchanged is draft and chosen == {}

    swapped, chosen = apply_headings(draft, {child: sections[child].alternatives[0]}, 1)
    assert chosen == {1: sections[1].alternatives[0], child: sections[child].alternatives[0]}
    after = swapped.walk()
    assert after[1].heading == sections[1].alternatives[0] and sections[1].heading in after[1].alternatives
    assert after[child].heading == sections[child].alternatives[0]
    # The 排比 checks of both sibling groups were redone; sections nothing changed under are shared, not copied.
    assert swapped.parallel == check_parallel([s.heading for s in swapped.sections if s.level > 0])
    assert after[tasks].parallel == check_parallel([c.heading for c in after[tasks].children])
    assert after[0] is sections[0] and after[child + 1] is sections[child + 1]
    assert draft.model_dump_json() == planned  # the planned (possibly cached) draft is as it was


def test_downloads_keep_the_chosen_heading(web: TestClient) -> None:
    html = web.post("/", data=FORM | {"swap": "1"}).text
    chosen = re.search(r'name="h_1" value="([^"]+)"', html)
    assert chosen is not None
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    docx = web.post("/ui/download?format=docx", data=fields)
    assert docx.status_code == 200
    assert docx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = docx.headers["content-disposition"]
    assert disposition.startswith("attachment;") and 'filename="draft.docx"' in disposition
    assert unquote(disposition.split("UTF-8''")[1]) == "在全市精神文明建设工作推进会上的讲话.docx"
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        document_xml = archive.read("word/document.xml").decode("utf-8")
    assert chosen[1] in document_xml
    markdown = web.post("/ui/download", data=fields | {"format": "markdown"})
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert 'filename="draft.md"' in markdown.headers["content-disposition"]
    assert markdown.text.startswith("# 在全市精神文明建设工作推进会上的讲话") and f"一、{chosen[1]}" in markdown.text
    text = web.post("/ui/download", data=fields | {"format": "text"})
    assert text.headers["content-type"].startswith("text/plain") and chosen[1] in text.text
    assert web.post("/ui/download?format=pdf", data=fields).status_code == 422


# ---- phrase bank, search, corpus ----------------------------------------------------------------------------


def test_phrase_tabs_filter_by_role_and_kind(web: TestClient, corpus_settings: Settings) -> None:
    everything = web.get("/ui/phrases")
    assert everything.status_code == 200 and "套话库" in everything.text
    assert 'aria-current="page">全部</a>' in everything.text
    engine = make_engine(corpus_settings)
    with make_session_factory(engine)() as session:
        tasks_total = query_phrases(session, role="tasks").total
        idioms_total = query_phrases(session, kind="idiom").total
    engine.dispose()
    tasks = web.get("/ui/phrases?role=tasks").text
    assert f"共 {tasks_total} 条 · 重点任务" in tasks and 'aria-current="page">重点任务</a>' in tasks
    entries = tasks.split('<li class="phrase">')[1:]
    assert entries and all('<span class="role">重点任务' in entry for entry in entries)
    idioms = web.get("/ui/phrases?kind=idiom").text
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', idioms)
    assert f"共 {idioms_total} 条" in idioms and set(kinds) == {"四字语"}
    assert 'class="pager"' in idioms and "page=2" in idioms  # more than one page of idioms
    second = web.get("/ui/phrases?kind=idiom&page=2").text
    assert re.findall(r'id="phrase-\d+">([^<]+)<', second)[0] not in re.findall(r'id="phrase-\d+">([^<]+)<', idioms)
    assert web.get("/ui/phrases?kind=idiom&page=999").status_code == 200  # clamps to the last page
    searched = web.get("/ui/phrases", params={"q": "志愿"}).text
    assert all("志愿" in t for t in re.findall(r'id="phrase-\d+">([^<]+)<', searched))
    # KWIC lines link to their source document; each entry has a copy button (shown by JS).
    assert re.search(r'<li><span class="ctx">…[^<]*</span><mark>', searched)
    assert 'data-copy-text="' in searched
    empty = web.get("/ui/phrases", params={"q": "没有这种说法"}).text
    assert "没有符合条件的表述" in empty


def test_search_highlights_matches_and_explains_empty_states(web: TestClient) -> None:
    start = web.get("/ui/search").text
    assert "输入关键词开始检索" in start
    found = web.get("/ui/search", params={"q": "志愿服务", "role": "tasks"})
    assert found.status_code == 200
    assert "<mark>志愿服务</mark>" in found.text and "找到" in found.text
    assert '<option value="tasks" selected>' in found.text
    assert re.search(r'<a class="source" href="/ui/corpus/\d+">', found.text)
    dated = web.get("/ui/search", params={"q": "志愿服务", "since": "2030"}).text
    assert "没有找到" in dated and "去掉部分、文种或日期筛选" in dated
    bad = web.get("/ui/search", params={"q": "志愿服务", "since": "2025/06"})
    assert bad.status_code == 422 and "日期格式应为" in bad.text


def test_search_before_any_document_says_what_to_do(client: TestClient) -> None:
    page = client.get("/ui/search", params={"q": "志愿服务"})
    assert page.status_code == 200 and "还不能检索" in page.text and 'href="/ui/corpus"' in page.text


def test_corpus_lists_documents_and_shows_one(web: TestClient, corpus_settings: Settings) -> None:
    listing = web.get("/ui/corpus")
    assert listing.status_code == 200
    rows = re.findall(r'<a href="/ui/corpus/(\d+)">', listing.text)
    assert len(rows) == len(SEEDS) + 1
    assert "讲话稿" in listing.text and "会议报道" in listing.text
    assert re.search(r'<td data-label="章节">\d+</td>', listing.text)
    assert "网页上传已停用" in listing.text and "BIGAN_API_TOKEN" in listing.text and 'type="file"' not in listing.text
    engine = make_engine(corpus_settings)
    with make_session_factory(engine)() as session:
        from app.ingest.store import get_document

        document = get_document(session, 4)
        assert document is not None
        first_heading = next(s.heading for s in document.sections if s.heading)
        first_line = document.display_text.strip().splitlines()[0].strip()
    engine.dispose()
    page = web.get("/ui/corpus/4").text
    assert '<h2 id="outline-title">提纲</h2>' in page and first_heading in page
    assert '<h2 id="text-title">正文（清理后）</h2>' in page and first_line[:20] in page
    missing = web.get("/ui/corpus/999")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_untrusted_corpus_text_is_shown_as_text(web: TestClient) -> None:
    hostile_id = len(SEEDS) + 1
    for path in (f"/ui/corpus/{hostile_id}", "/ui/corpus", "/ui/search?q=alert"):
        html = web.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    page = web.get(f"/ui/corpus/{hostile_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "{% raw %}" in page  # never evaluated as a template
    searched = web.get("/ui/search", params={"q": "精神文明建设 script"}).text
    assert "<script>" not in searched


def test_pages_load_assets_only_from_this_server(web: TestClient) -> None:
    for path in ("/", "/ui/phrases", "/ui/search", "/ui/corpus"):
        html = web.get(path).text
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), path
    css = web.get("/ui/static/bigan.css")
    assert css.status_code == 200 and "url(http" not in css.text and "@import" not in css.text
    assert web.get("/ui/static/bigan.js").status_code == 200


# ---- writes: upload and delete with the write token ----------------------------------------------------------


def _client(migrated: Settings, **tokens: str | None) -> TestClient:
    return TestClient(create_app(migrated.model_copy(update={"api_token": None, "read_token": None} | tokens)))


def test_upload_is_refused_without_a_configured_token(client: TestClient, session_factory: sessionmaker) -> None:
    ingest_path(session_factory, SEEDS[0], read_limits(client.app.state.settings))
    files = {"file": ("讲话.txt", SEEDS[3].read_bytes())}
    refused = client.post("/ui/corpus/upload", files=files, data={"token": "anything"})
    assert refused.status_code == 403 and "BIGAN_API_TOKEN" in refused.text
    page = client.get("/ui/corpus/1")
    assert page.status_code == 200 and "/delete" not in page.text
    deleted = client.post("/ui/corpus/1/delete", data={"token": "anything"})
    assert deleted.status_code == 403 and "删除已停用" in deleted.text
    with session_factory() as session:
        assert corpus_counts(session).documents == 1


def test_upload_and_delete_with_the_write_token(migrated: Settings, session_factory: sessionmaker[Session]) -> None:
    with _client(migrated, api_token=WRITE) as client:
        page = client.get("/ui/corpus").text
        assert 'type="file"' in page and 'name="token" type="password"' in page
        files = {"file": ("讲话.txt", SEEDS[3].read_bytes())}
        wrong = client.post("/ui/corpus/upload", files=files, data={"token": "guess"})
        assert wrong.status_code == 401 and "写入令牌不正确" in wrong.text
        with session_factory() as session:
            assert corpus_counts(session).documents == 0
        added = client.post("/ui/corpus/upload", files=files, data={"token": WRITE})
        assert added.status_code == 201 and "已入库为文档 #1" in added.text
        assert '<a href="/ui/corpus/1">' in added.text
        # The bank and the index were rebuilt: the new document is searchable at once.
        assert "<mark>" in client.get("/ui/search", params={"q": "志愿服务"}).text
        again = client.post("/ui/corpus/upload", files=files, data={"token": WRITE})
        assert again.status_code == 201 and "内容相同" in again.text
        junk = client.post("/ui/corpus/upload", files={"file": ("x.exe", b"\x00\x01")}, data={"token": WRITE})
        assert junk.status_code == 422 and "未能入库" in junk.text
        nothing = client.post("/ui/corpus/upload", data={"token": WRITE}, files={"other": ("a.txt", b"a")})
        assert nothing.status_code == 422 and "没有选择文件" in nothing.text
        assert 'action="/ui/corpus/1/delete"' in client.get("/ui/corpus/1").text
        denied = client.post("/ui/corpus/1/delete", data={"token": "guess"})
        assert denied.status_code == 401 and "文档未删除" in denied.text
        removed = client.post("/ui/corpus/1/delete", data={"token": WRITE})
        assert removed.status_code == 200 and "已删除文档 #1" in removed.text
        assert client.post("/ui/corpus/1/delete", data={"token": WRITE}).status_code == 404
    with session_factory() as session:
        assert corpus_counts(session).documents == 0


def test_an_overlong_file_name_is_named_as_the_problem(
    migrated: Settings, session_factory: sessionmaker[Session]
) -> None:
    with _client(migrated, api_token=WRITE) as client:
        # 300 characters: parsed, then refused by length; 2 000 Chinese ones overflow the part's header first.
        for name in ("讲" * 296 + ".txt", "讲" * 2000 + ".txt"):
            files = {"file": (name, SEEDS[3].read_bytes())}
            refused = client.post("/ui/corpus/upload", files=files, data={"token": WRITE})
            assert refused.status_code == 422 and "文件名过长" in refused.text
    with session_factory() as session:
        assert corpus_counts(session).documents == 0


def test_an_oversized_upload_is_cut_off(migrated: Settings, session_factory: sessionmaker[Session]) -> None:
    small = migrated.model_copy(update={"max_file_bytes": 1000})
    with _client(small, api_token=WRITE) as client:
        files = {"file": ("big.txt", "精神文明".encode() * 2000)}
        refused = client.post("/ui/corpus/upload", files=files, data={"token": WRITE})
        assert refused.status_code == 413 and "文件超过上限" in refused.text
    with session_factory() as session:
        assert corpus_counts(session).documents == 0


def test_read_token_asks_for_a_login_on_every_page(migrated: Settings) -> None:
    with _client(migrated, api_token=WRITE, read_token=READ) as client:
        web_paths = ["/", "/ui/phrases", "/ui/search?q=志愿服务", "/ui/corpus", "/ui/corpus/1"]
        for path in web_paths:
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/ui/login?next="), path
        for path in ("/", "/ui/download", "/ui/corpus/upload", "/ui/corpus/1/delete"):
            assert client.post(path, follow_redirects=False).status_code == 303, path
        login = client.get("/ui/login?next=/ui/phrases")
        assert login.status_code == 200 and 'name="token" type="password"' in login.text
        wrong = client.post("/ui/login", data={"token": "guess", "next": "/ui/phrases"}, follow_redirects=False)
        assert wrong.status_code == 401 and "bigan_read" not in wrong.headers.get("set-cookie", "")
        # Only a path on this server is followed after the login.
        evil = client.post("/ui/login", data={"token": READ, "next": "//evil.example/"}, follow_redirects=False)
        assert evil.status_code == 303 and evil.headers["location"] == "/"
        cookie = evil.headers["set-cookie"]
        assert "HttpOnly" in cookie and READ not in cookie  # the cookie holds a digest, not the token
        assert client.get("/ui/phrases").status_code == 200
        assert client.get("/ui/static/bigan.css").status_code == 200
        # The cookie opens pages, not the API: that still wants the Bearer header.
        assert client.get("/documents").status_code == 401
    with _client(migrated, api_token=WRITE, read_token=READ) as client:
        client.post("/ui/login", data={"token": WRITE, "next": "/"}, follow_redirects=False)
        assert client.get("/ui/corpus").status_code == 200  # the write token reads too
