"""End to end in a real Chromium: a uvicorn server over the bundled corpus, driven through Playwright.

Needs Debian's chromium (``apt-get install chromium fonts-noto-cjk``) and the ``playwright`` package (dev
extra); no ``playwright install`` — the system browser is used. Without them the tests skip, except under
CI=true, where .ci/run installs chromium and a skip would hide a broken interface: there they fail.
Screenshots of every page at 1366×768 and 375×800 go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.web import build_corpus

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 60_000  # generous: CI machines run the suite in parallel and a busy server answers slowly
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 800}}
MEETING = "全市精神文明建设工作推进会"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def _chromium_path() -> str | None:
    configured = os.environ.get("BIGAN_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``uvicorn app.main:create_app`` on a free loopback port, over a fresh database with the corpus ingested."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    settings = build_corpus(data_dir)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BIGAN_API_TOKEN", "BIGAN_READ_TOKEN")}
    env |= {"BIGAN_DATA_DIR": str(data_dir), "DATABASE_URL": settings.resolved_database_url}
    log = (data_dir / "server.log").open("wb")
    command = [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + (data_dir / "server.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium_path()
    if executable is None:
        _unavailable("Chromium not found (apt-get install chromium fonts-noto-cjk, or set BIGAN_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    # Chromium refuses to start as root with its sandbox on (containers, CI).
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=args)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A desktop-sized page; console errors (a CSP violation, a script error) fail the test."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN", base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    tab = context.new_page()
    errors: list[str] = []
    # A form with errors is answered 422 on purpose; Chromium logs that status of the page itself as an error.
    expected = "the server responded with a status of 422"
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" and expected not in message.text else None
        ),
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def _submit_draft(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_label("会议名称").fill(MEETING)
    page.locator("button.tag", has_text="志愿服务").click()  # a topic suggestion becomes a tag
    page.get_by_label("重点议题").press("End")
    page.get_by_label("重点议题").type("，城中村治理")
    page.get_by_role("button", name="生成提纲").click()
    page.wait_for_selector("#result-title")


def test_fill_the_form_swap_a_heading_copy_and_download(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _submit_draft(page)
    assert page.locator("#result-title").inner_text() == f"在{MEETING}上的讲话"
    assert page.get_by_label("重点议题").input_value() == "志愿服务，城中村治理"
    assert page.locator(".heading .num", has_text="一、").count() == 1
    before = page.locator("#heading-1").inner_text()

    page.locator('button.swap[data-index="1"]').click()
    expect(page.locator("#heading-1")).not_to_have_text(before, timeout=TIMEOUT_MS)
    after = page.locator("#heading-1").inner_text()
    assert after != before and page.locator('input[name="h_1"]').input_value() == after
    # The server redid the draft: the copy text has the new heading, and focus stays on the button.
    expect(page.locator("#plain-text")).to_have_value(re.compile(re.escape(after)), timeout=TIMEOUT_MS)
    assert page.evaluate("document.activeElement.dataset.index") == "1"
    assert page.locator("#result-title").inner_text() == f"在{MEETING}上的讲话"  # the rest is untouched

    page.get_by_role("button", name="复制全文").click()
    expect(page.locator("#status")).to_have_text("已复制到剪贴板", timeout=TIMEOUT_MS)
    assert after in page.evaluate("navigator.clipboard.readText()")

    with page.expect_download() as pending:
        page.get_by_role("button", name="下载 Word").click()
    download = pending.value
    assert download.suggested_filename == f"在{MEETING}上的讲话.docx"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        assert after in archive.read("word/document.xml").decode("utf-8")


def test_errors_show_next_to_the_field(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_label("会议名称").fill("x")
    page.get_by_role("button", name="生成提纲").click()
    page.wait_for_selector("#err-meeting")
    assert page.locator("#err-meeting").inner_text() == "至少需要 2 个字"
    assert page.get_by_label("会议名称").input_value() == "x"
    assert page.get_by_label("会议名称").get_attribute("aria-invalid") == "true"


def test_browse_phrases_by_role(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/ui/phrases")
    page.get_by_role("link", name="重点任务", exact=True).click()
    page.wait_for_url("**/ui/phrases?role=tasks*")
    assert page.locator('.tabs a[aria-current="page"]').inner_text() == "重点任务"
    entries = page.locator("li.phrase")
    assert entries.count() > 0
    for i in range(entries.count()):
        assert "重点任务" in entries.nth(i).locator(".phrase-meta").inner_text()
    page.get_by_label("类型").select_option("formulation")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**kind=formulation*")
    assert set(page.locator(".phrase-meta .kind").all_inner_texts()) == {"套话"}
    assert "role=tasks" in page.url


def test_search_marks_the_matches(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/ui/search")
    page.get_by_label("关键词").fill("志愿服务")
    page.get_by_role("button", name="检索").click()
    page.locator(".hit mark").first.wait_for()
    assert page.locator(".hit mark").first.inner_text() == "志愿服务"


def test_without_javascript_the_core_flow_works(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=server, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        tab.goto("/")
        tab.get_by_label("会议名称").fill(MEETING)
        tab.get_by_role("button", name="生成提纲").click()
        tab.wait_for_selector("#result-title")
        before = tab.locator("#heading-1").inner_text()
        tab.locator('button.swap[data-index="1"]').click()  # a plain form post
        tab.wait_for_selector("#heading-1")
        after = tab.locator("#heading-1").inner_text()
        assert after != before
        with tab.expect_download() as pending:
            tab.get_by_role("button", name="下载 Markdown").click()
        text = Path(pending.value.path()).read_text(encoding="utf-8")
        assert f"一、{after}" in text
    finally:
        context.close()


PAGES = {
    "draft": "/",
    "phrases": "/ui/phrases?role=tasks",
    "search": "/ui/search?q=志愿服务",
    "corpus": "/ui/corpus",
    "document": "/ui/corpus/4",
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots_and_no_horizontal_overflow(browser, server: str, viewport: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        shots = dict(PAGES)
        shots["outline"] = ""
        for name, path in shots.items():
            if name == "outline":
                _submit_draft(tab)
                # The form posts to /#result: on a phone the outline is scrolled into view, not below the form.
                assert tab.evaluate("document.getElementById('result').getBoundingClientRect().top") < 80
                tab.screenshot(path=str(ARTIFACTS / f"outline-{viewport}-first-screen.png"))
            else:
                tab.goto(path)
            tab.wait_for_load_state("networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} is {overflow}px wider than the {viewport} viewport"
            tab.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)
    finally:
        context.close()
