"""Section roles: the lexicon loader, the cue rules, and accuracy on hand-annotated seed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import REPO_ROOT
from app.evaluate import seed_role_accuracy
from app.structure import load_cues, parse_outline
from app.structure.roles import (
    DEFAULT_CUES_PATH,
    report_heading_role,
    report_paragraph_role,
    same_speaker,
    speech_role,
)

SEED_ROLES = Path(__file__).parent / "data" / "seed_roles.json"
ROLE_TARGET = 0.85


def test_lexicon_loads_once_from_the_repo() -> None:
    assert DEFAULT_CUES_PATH == REPO_ROOT / "phrasebank" / "role_cues.json"
    cues = load_cues()
    assert cues is load_cues()
    assert set(cues.speech) == {"review", "problems", "significance", "tasks", "safeguards", "closing"}
    assert "强调" in cues.report["requirements"]


def test_lexicon_accepts_an_explicit_path(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_CUES_PATH.read_text(encoding="utf-8"))
    data["speech"]["problems"]["heading"].append("攻坚克难")
    custom = tmp_path / "cues.json"
    custom.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    body = "一、攻坚克难\n各地要直面矛盾，勇于破解难题。\n二、乘势而上\n要再接再厉。"
    assert parse_outline(body, "speech")[0].role != "problems"
    assert parse_outline(body, "speech", cues=load_cues(custom))[0].role == "problems"
    assert load_cues(str(custom)) == load_cues(custom)


@pytest.mark.parametrize(
    ("heading", "first_paragraph", "first", "last", "role"),
    [
        ("认清形势，正视差距", "我县距离全国文明典范城市还有不小的差距。", True, False, "problems"),
        ("回顾过去一年工作，成绩来之不易", "过去一年，全市上下取得了新的成效。", True, False, "review"),
        ("充分认识创建全国文明城市的重要意义", "全国文明城市是最高的城市荣誉。", True, False, "significance"),
        ("聚焦重点任务，扎实推进文明实践", "要把文明实践中心建成精神家园。", False, False, "tasks"),
        ("切实加强组织领导，确保各项工作落到实处", "各级党委要履行主体责任。", False, True, "safeguards"),
        ("乘势而上，再创佳绩", "", True, False, "significance"),  # nothing to go on: the first part
        ("乘势而上，再创佳绩", "", False, False, "tasks"),  # … or the work in the middle
    ],
)
def test_speech_roles_from_cues_and_position(
    heading: str, first_paragraph: str, first: bool, last: bool, role: str
) -> None:
    got = speech_role(heading, first_paragraph, parent_role=None, first=first, last=last, cues=load_cues())
    assert got == role


def test_sub_points_keep_their_parent_role_unless_their_heading_disagrees() -> None:
    cues = load_cues()
    assert speech_role("突出群众感受", "", parent_role="tasks", first=False, last=False, cues=cues) == "tasks"
    assert speech_role("要建好队伍", "", parent_role="safeguards", first=False, last=False, cues=cues) == "safeguards"
    assert (
        speech_role("要深化思想道德内涵", "", parent_role="safeguards", first=False, last=False, cues=cues) == "tasks"
    )


@pytest.mark.parametrize(
    ("paragraph", "trailing", "role"),
    [
        ("区委书记孙海东强调，全区上下要坚持以新思想为指导。", False, "requirements"),
        ("孙海东指出，党的十八大以来，党中央高度重视精神文明建设。", False, "remarks"),
        ("市委常委、宣传部长刘秀玲作重要讲话。她说，加强精神文明建设是必然要求。", False, "remarks"),
        ("吴振成主持会议，他指出，建设新时代文明实践中心是重大决策。", False, "remarks"),
        ("区委副书记、区长李平主持会议。区政协主席宋晓出席会议。", False, "attendance"),
        ("李平在主持会议时指出，争创工作难度大。各板块各有关部门要——", False, "requirements"),
        ("会上，相关单位领取了任务书。", False, "other"),
        ("区各有关部门主要负责同志参加会议。", True, "participants"),
        ("近年来，全市精神文明建设取得新成效。", False, None),
    ],
)
def test_report_paragraph_roles(paragraph: str, trailing: bool, role: str | None) -> None:
    assert report_paragraph_role(paragraph, load_cues(), trailing=trailing) == role


def test_report_heading_roles_and_speakers() -> None:
    cues = load_cues()
    assert report_heading_role("会议指出", None, cues) == "remarks"
    assert report_heading_role("熊茂平强调", None, cues) == "requirements"
    assert report_heading_role("要高效协同", "requirements", cues) == "requirements"
    assert same_speaker("区委书记孙海东", "孙海东")
    assert same_speaker("孙海东", "他")
    assert not same_speaker("孙海东", "李平在主持会议时")


# ---------------------------------------------------------------------------- seed annotations


def test_every_seed_is_annotated() -> None:
    annotations = json.loads(SEED_ROLES.read_text(encoding="utf-8"))
    seeds = {path.name for path in (REPO_ROOT / "corpus").glob("*.txt")}
    assert seeds and seeds <= set(annotations)


def test_role_accuracy_on_seed_annotations() -> None:
    tally = seed_role_accuracy(SEED_ROLES)
    print(f"roles {tally.hits}/{tally.total}", *tally.misses, sep="\n")
    assert tally.total >= 50
    assert tally.rate >= ROLE_TARGET, "\n".join(tally.misses)
