"""The ``bigan`` command line, driven as a user would (through Typer's runner on the real app)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import app.ingest.isolate as isolate
from app.cli import app
from app.config import Settings
from tests import hostile_parsers
from tests.conftest import SEEDS

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "documents", "outline", "serve", "db"):
        assert command in result.output


def test_db_upgrade_then_ingest_prints_a_line_per_file(settings: Settings, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split(": ", 1)[1] for line in lines[:2]] == ["added #1", "added #2"]
    assert lines[2] == "2 files: 2 added, 0 duplicate, 0 rejected — txt 2"
    assert lines[3].startswith("phrase bank rebuilt: ")

    again = runner.invoke(app, ["ingest", str(folder / SEEDS[0].name)])
    assert again.exit_code == 0 and "duplicate of #1" in again.output


def test_ingest_exits_1_when_any_file_is_rejected(settings: Settings, tmp_path: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(SEEDS[3]), str(empty)])
    assert result.exit_code == 1
    assert "added #1" in result.output and "rejected: " in result.output


def _data_files(settings: Settings) -> list[str]:
    return sorted(str(p.relative_to(settings.data_dir)) for p in settings.data_dir.rglob("*"))


def test_ingest_stops_a_hanging_parse_and_goes_on_with_the_next_file(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["db", "upgrade"])
    assert "added #1" in runner.invoke(app, ["ingest", "--max-seconds", "0", str(SEEDS[3])]).output
    before = (runner.invoke(app, ["documents", "list", "--json"]).output, _data_files(settings))
    folder = tmp_path / "in"
    folder.mkdir()
    slow = folder / "slow.txt"
    slow.write_bytes(SEEDS[1].read_bytes())  # new content: it must be parsed, and the parse hangs
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)
    monkeypatch.setenv("BIGAN_MAX_INGEST_SECONDS", "60")
    monkeypatch.chdir(tmp_path)  # the child starts in this directory and writes slow.pid here

    result = runner.invoke(app, ["ingest", "--max-seconds", "1.5", str(slow), str(SEEDS[3])])

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{slow}: rejected: ") and lines[0].endswith("(parse_timeout)")
    assert "1.5 秒" in lines[0] and "1.5 s" in lines[0]  # --max-seconds, not the setting, was the limit
    assert lines[1] == f"{SEEDS[3]}: duplicate of #1"  # the next file was still read
    assert lines[2] == "2 files: 0 added, 1 duplicate, 1 rejected — txt 2"
    assert len(lines) == 3  # nothing added, so no re-mine
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(int((tmp_path / "slow.pid").read_text()), 0)
    assert (runner.invoke(app, ["documents", "list", "--json"]).output, _data_files(settings)) == before


def test_ingest_time_limit_comes_from_the_setting_and_0_parses_in_process(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["db", "upgrade"])
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.hang)  # only ever runs in a child process
    monkeypatch.setenv("BIGAN_MAX_INGEST_SECONDS", "1")
    monkeypatch.chdir(tmp_path)
    limited = runner.invoke(app, ["ingest", str(SEEDS[3])])
    assert limited.exit_code == 1 and "1 秒" in limited.output and "(parse_timeout)" in limited.output
    in_process = runner.invoke(app, ["ingest", "--max-seconds", "0", str(SEEDS[3])])
    assert in_process.exit_code == 0 and f"{SEEDS[3]}: added #1" in in_process.output


def test_ingest_reports_a_crashed_parser_and_goes_on(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["ingest", "--max-seconds", "0", str(SEEDS[3])])
    monkeypatch.setattr(isolate, "parse_bytes", hostile_parsers.die)
    result = runner.invoke(app, ["ingest", str(SEEDS[1]), str(SEEDS[3]), str(SEEDS[2])])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{SEEDS[1]}: rejected: ") and lines[0].endswith("(parse_failed)")
    assert lines[1] == f"{SEEDS[3]}: duplicate of #1"
    assert lines[2].startswith(f"{SEEDS[2]}: rejected: ") and lines[2].endswith("(parse_failed)")
    assert len(lines) == 4  # the summary, and nothing added, so no re-mine


def test_ingest_if_empty_loads_only_an_empty_database(settings: Settings) -> None:
    runner.invoke(app, ["db", "upgrade"])
    first = runner.invoke(app, ["ingest", "--if-empty", str(SEEDS[3])])
    second = runner.invoke(app, ["ingest", "--if-empty", str(SEEDS[4])])
    assert "added #1" in first.output
    assert second.exit_code == 0 and "already holds 1 documents" in second.output


def test_documents_list_show_remove(settings: Settings) -> None:
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["ingest", str(SEEDS[3])])
    listing = runner.invoke(app, ["documents", "list", "--json"])
    record = json.loads(listing.output.strip().splitlines()[0])
    assert record["id"] == 1 and record["kind"] == "speech"
    shown = runner.invoke(app, ["documents", "show", "1"])
    assert shown.exit_code == 0 and "outline:" in shown.output and "同志们" in shown.output
    assert runner.invoke(app, ["documents", "remove", "1"]).exit_code == 0
    missing = runner.invoke(app, ["documents", "show", "1"])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_outline_json_lines_keep_argument_order_and_report_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["outline", "--json", str(SEEDS[3]), str(bad), str(SEEDS[1])])
    records = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [r["path"] for r in records] == [str(SEEDS[3]), str(bad), str(SEEDS[1])]
    assert "error" in records[1]
    speech = records[0]
    assert set(speech) >= {"path", "title", "kind", "in_domain", "script", "date", "text", "sections"}
    assert speech["sections"][0]["marker"] == "" and speech["sections"][0]["role"] == "opening"
    assert speech["sections"][1]["marker"] == "一、"
    assert records[2]["kind"] == "report" and records[2]["sections"][0]["role"] == "lead"


def test_outline_tree_is_readable(tmp_path: Path) -> None:
    result = runner.invoke(app, ["outline", str(SEEDS[3])])
    assert result.exit_code == 0
    assert "一、肯定成绩、正视挑战" in result.output


def test_mine_and_phrases_list_the_bank(settings: Settings) -> None:
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["ingest", *map(str, SEEDS)])
    mined = runner.invoke(app, ["mine"])
    assert mined.exit_code == 0 and "entries from 5 documents" in mined.output
    listed = runner.invoke(app, ["phrases", "--kind", "idiom", "--json", "--limit", "5"])
    records = [json.loads(line) for line in listed.output.strip().splitlines()]
    assert len(records) == 5 and all(r["kind"] == "idiom" and len(r["text"]) == 4 for r in records)
    by_role = runner.invoke(app, ["phrases", "--role", "requirements", "--json"])
    assert all("requirements" in json.loads(line)["roles"] for line in by_role.output.strip().splitlines())
    searched = runner.invoke(app, ["phrases", "--q", "文明", "--json"])
    assert all(
        "文明" in json.loads(line)["template"] or "文明" in json.loads(line)["text"]
        for line in searched.output.strip().splitlines()
    )


def test_phrasebank_export_is_deterministic(settings: Settings, tmp_path: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["ingest", *map(str, SEEDS)])
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert runner.invoke(app, ["phrasebank", "export", "--out", str(first)]).exit_code == 0
    runner.invoke(app, ["mine"])
    runner.invoke(app, ["phrasebank", "export", "--out", str(second)])
    assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 1000
