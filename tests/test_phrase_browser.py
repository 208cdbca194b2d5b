"""The phrase browser's order: worth reusing first on the web page, ``GET /phrases`` and ``bigan phrases``."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.config import Settings
from app.mine.types import MinedPhrase
from app.phrasebank.ranking import SORTS, PhraseSort, frequency_rank, kind_rank, reuse_points, reuse_rank
from app.phrasebank.store import query_phrases, replace_bank
from app.web.views import PHRASES_PER_PAGE

FORMULATION = "认真贯彻落实"  # a formulation used in four documents
CLOSER = "谢谢大家！"  # a closer seen once: alphabetically the first kind, so first in the old order
SKELETON = "speech: opening → tasks"
runner = CliRunner()


def _entry(kind: str, text: str, doc_frequency: int, frequency: int, score: float, role: str = "tasks") -> MinedPhrase:
    return MinedPhrase(kind, text, text, (role,), frequency, doc_frequency, score, ())


def _two_entry_bank(factory: sessionmaker[Session]) -> None:
    replace_bank(
        factory,
        [
            _entry("closer", CLOSER, 1, 1, 3.0),
            _entry("formulation", FORMULATION, 4, 6, 1.0),
            _entry("skeleton", SKELETON, 5, 5, 2.0),
        ],
    )


def _varied_bank(factory: sessionmaker[Session], size: int = 90) -> None:
    """Many kinds, counts and lengths under one role — ties included — so every tie-break is exercised."""
    kinds = ["formulation", "parallel", "formula", "heading", "idiom", "opener", "transition", "closer"]
    lengths = [2, 4, 6, 40, 41, 60, 61, 90]
    entries = []
    for i in range(size):
        kind = kinds[i % len(kinds)]
        text = ("文明实践" * 30)[: lengths[(i // 3) % len(lengths)] - 1] + "一二三四五六七八九十"[i % 10]
        entries.append(_entry(kind, text, 1 + (i * 7) % 5, 1 + (i * 5) % 9, float(i % 4)))
    replace_bank(factory, sorted(entries, key=lambda p: (p.kind, -p.score, p.text)))  # the miner's order


# ---- the ranking itself ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    text: str
    doc_frequency: int
    frequency: int = 1
    rank: int = 1


def test_reuse_rank_puts_multi_document_entries_first_then_weighs_kind_and_length() -> None:
    entries = [
        Entry(1, "closer", "谢谢！", 1),
        Entry(2, "formulation", "认真贯彻落实", 5),
        Entry(3, "opener", "同志们：", 16),
        Entry(4, "idiom", "坚持不懈", 2),
        Entry(5, "parallel", "认识到位，人员到位，措施到位，工作到位", 1),
        Entry(6, "formulation", "我讲{数字}点意见", 7),
        Entry(7, "idiom", "抓实抓好", 5),  # five documents, but an idiom: below the five-document formulation
        Entry(8, "formula", "四个意识", 2, frequency=9),  # as many documents as 坚持不懈, better kind
    ]
    ordered = [e.id for e in sorted(entries, key=reuse_rank)]
    assert ordered == [6, 2, 3, 7, 8, 4, 5, 1]
    assert reuse_points("opener", 16, 4) == 480 and reuse_points("closer", 1, 3) == 30
    # A ten-document closer outscores a one-document formulation, yet a one-document entry never
    # outranks a multi-document one, however good its kind.
    single = Entry(9, "formulation", "新时代文明实践", 1)
    weak_multi = Entry(10, "closer", "散会。", 2)
    assert sorted([single, weak_multi], key=reuse_rank) == [weak_multi, single]
    # Length sanity: a 2-character scrap (5 length points) and a 70-character sentence (4) fall below a
    # usable entry (10) with the same counts.
    scrap, usable = Entry(11, "formula", "两个", 3), Entry(12, "formula", "两个维护", 3)
    sentence = Entry(13, "formula", "坚" * 70, 3)
    assert [e.id for e in sorted([sentence, scrap, usable], key=reuse_rank)] == [12, 11, 13]


def test_every_order_is_the_pure_function_computed_in_sql(session_factory: sessionmaker[Session]) -> None:
    _varied_bank(session_factory)
    keys = {"useful": reuse_rank, "frequency": frequency_rank, "kind": kind_rank}
    with session_factory() as session:
        everything = query_phrases(session, limit=1000, sort="kind").items
        assert len(everything) == 90
        for sort in SORTS:
            from_sql = [p.id for p in query_phrases(session, limit=1000, sort=sort).items]
            assert from_sql == [p.id for p in sorted(everything, key=keys[sort])], sort
        old = [p.id for p in query_phrases(session, limit=1000, sort="kind").items]
    assert old != [p.id for p in sorted(everything, key=reuse_rank)]


# ---- the three front ends ----------------------------------------------------------------------------------


def _texts_on_page(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<p class="phrase-text" id="phrase-\d+">([^<]+)</p>', page)]


def test_web_page_opens_on_the_multi_document_formulation(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _two_entry_bank(session_factory)
    tasks = client.get("/ui/phrases", params={"role": "tasks"}).text
    assert _texts_on_page(tasks) == [FORMULATION, CLOSER]  # and no skeleton on a section tab
    assert '<option value="" selected>最值得复用</option>' in tasks
    old = client.get("/ui/phrases", params={"role": "tasks", "sort": "kind"}).text
    assert _texts_on_page(old) == [CLOSER, FORMULATION, SKELETON]
    assert '<option value="kind" selected>按类型</option>' in old
    assert "sort=kind" in old  # the role tabs keep the chosen order
    assert _texts_on_page(client.get("/ui/phrases", params={"role": "tasks", "sort": "nonsense"}).text) == [
        FORMULATION,
        CLOSER,
    ]
    skeletons = client.get("/ui/phrases", params={"role": "tasks", "kind": "skeleton"}).text
    assert _texts_on_page(skeletons) == [SKELETON]
    assert _texts_on_page(client.get("/ui/phrases").text) == [FORMULATION, SKELETON, CLOSER]  # 全部 tab


def test_api_lists_worth_reusing_first_and_keeps_the_old_order(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _two_entry_bank(session_factory)
    useful = client.get("/phrases", params={"role": "tasks"}).json()
    assert [i["text"] for i in useful["items"]] == [FORMULATION, CLOSER] and useful["total"] == 2
    assert client.get("/phrases", params={"role": "tasks", "sort": "useful"}).json() == useful
    old = client.get("/phrases", params={"role": "tasks", "sort": "kind"}).json()
    assert [i["text"] for i in old["items"]] == [CLOSER, FORMULATION, SKELETON]
    by_count = client.get("/phrases", params={"sort": "frequency"}).json()
    assert [i["text"] for i in by_count["items"]] == [SKELETON, FORMULATION, CLOSER]
    assert client.get("/phrases", params={"sort": "recent"}).status_code == 422
    parameter = next(
        p for p in client.get("/openapi.json").json()["paths"]["/phrases"]["get"]["parameters"] if p["name"] == "sort"
    )
    assert parameter["schema"]["default"] == "useful" and set(parameter["schema"]["enum"]) == set(SORTS)
    assert "previous order" in parameter["description"]


def test_cli_lists_worth_reusing_first_and_keeps_the_old_order(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    _two_entry_bank(session_factory)

    def texts(*options: str) -> list[str]:
        result = runner.invoke(cli_app, ["phrases", "--role", "tasks", "--json", *options])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["text"] for line in result.output.strip().splitlines()]

    assert texts() == [FORMULATION, CLOSER]
    assert texts("--sort", "kind") == [CLOSER, FORMULATION, SKELETON]
    assert texts("--limit", "1", "--offset", "1") == [CLOSER]
    plain = runner.invoke(cli_app, ["phrases", "--role", "tasks"])
    assert plain.output.splitlines()[0].split("\t")[1:3] == ["formulation", "4篇/6次"]
    assert runner.invoke(cli_app, ["phrases", "--sort", "recent"]).exit_code != 0


# ---- pagination ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", SORTS)
def test_api_pages_cover_every_entry_once(
    sort: PhraseSort, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _varied_bank(session_factory)
    whole = client.get("/phrases", params={"role": "tasks", "sort": sort, "limit": 500}).json()
    seen: list[int] = []
    for offset in range(0, whole["total"], 7):
        page = client.get("/phrases", params={"role": "tasks", "sort": sort, "limit": 7, "offset": offset}).json()
        assert page["total"] == whole["total"]
        seen += [item["id"] for item in page["items"]]
    assert seen == [item["id"] for item in whole["items"]] and len(set(seen)) == whole["total"] == 90


def test_web_pages_cover_every_entry_once_and_carry_the_order(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _varied_bank(session_factory)
    with session_factory() as session:
        expected = [p.text for p in query_phrases(session, role="tasks", limit=1000).items]
    pages = -(-len(expected) // PHRASES_PER_PAGE)
    shown: list[str] = []
    for number in range(1, pages + 1):
        page = client.get("/ui/phrases", params={"role": "tasks", "page": number}).text
        shown += _texts_on_page(page)
    assert shown == expected and len(shown) == 90
    # Multi-document entries fill the first pages; the last page holds one-document entries only.
    last = client.get("/ui/phrases", params={"role": "tasks", "page": pages}).text
    assert set(re.findall(r"出现 \d+ 次 · (\d+) 篇", last)) == {"1"}
    first_old = client.get("/ui/phrases", params={"role": "tasks", "sort": "frequency"}).text
    assert "sort=frequency&amp;page=2" in first_old  # the pager keeps the order
