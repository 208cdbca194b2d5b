"""The line classifier: its features, the shipped model, the second opinion in the cleaner and ``--explain``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from app.cli import app
from app.ingest.clean.classify import model as cm
from app.ingest.clean.classify.features import line_features, ngram_features, positions
from app.ingest.clean.classify.train import Example, choose_thresholds
from app.ingest.clean.document import clean_text

PROSE = "我们要坚持以人民为中心的发展思想，深入推进文明城市创建，让群众有更多获得感。"
PAGE = "\n".join(
    [
        "在全市文明城市创建推进会上的讲话",
        "同志们：",
        PROSE,
        "一、提高站位，凝聚创建合力",
        "各地各部门要把创建工作摆上重要位置，形成齐抓共管的工作格局。",
        "联系电话：0873-3126458",
    ]
)


def test_ngram_features_have_unit_length_and_mark_the_line_ends() -> None:
    grams = ngram_features("本文摄")
    assert math.isclose(sum(v * v for v in grams.values()), 1.0)
    assert "g:^本" in grams and "g:摄$" in grams and "g:本文摄" in grams


def test_layout_features_tell_a_sentence_from_a_phone_line() -> None:
    prose = line_features(PROSE, 0.5)
    phone = line_features("联系电话：0873-3126458", 0.99)
    assert prose["f:sentence"] == 1.0 and phone["f:sentence"] == 0.0
    assert phone["f:digit"] > 0.4 > prose["f:digit"]
    assert prose["f:prose"] > phone["f:prose"]
    assert phone["f:tail"] == 1.0


def test_positions_are_the_share_of_text_before_each_line() -> None:
    assert positions(["ab", "cd", "efgh"]) == [0.0, 0.25, 0.5]


def test_shipped_model_is_json_and_scores_chrome_above_prose() -> None:
    data = json.loads(cm.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["mode"] in ("remove", "explain")
    assert not any("dev2" in name for name in data["trained_on"])
    model = cm.load_model()
    assert model is not None and 0.5 <= model.threshold <= model.gate_threshold <= 1.0
    assert model.probability("分享到： 微信 微博 QQ空间", 0.95) > 0.9
    assert model.probability(PROSE, 0.5) < 0.2


def test_explain_mode_changes_nothing_the_rules_decided() -> None:
    if cm.load_model() is None or cm.load_model().removes:  # type: ignore[union-attr]
        pytest.skip("the shipped model removes")
    with cm.rules_only():
        rules = clean_text(PAGE)
    assert clean_text(PAGE) == rules


def test_remove_mode_drops_confident_junk_but_never_a_heading(monkeypatch: pytest.MonkeyPatch) -> None:
    strict = cm.LineModel(
        intercept=-5.0, weights={"g:电话": 200.0, "g:凝聚": 200.0}, threshold=0.9, gate_threshold=0.95, mode="remove"
    )
    monkeypatch.setattr(cm, "load_model", lambda path=cm.MODEL_PATH: strict)
    cleaned = clean_text(PAGE)
    assert ("classifier", "联系电话：0873-3126458") in {(r.rule, r.text) for r in cleaned.removals}
    assert "一、提高站位，凝聚创建合力" in cleaned.text  # a heading is the rules' to judge
    with cm.rules_only():
        assert "联系电话" in clean_text(PAGE).text


def test_thresholds_come_from_out_of_fold_scores() -> None:
    body = [Example(0, f"正文第{i}句。", 0.5, 0, True, i == 0) for i in range(10)]
    junk = [Example(1, f"广告{i}", 0.9, 1, False, False) for i in range(10)]
    scores = np.array([0.1] * 9 + [0.7] + [0.95] * 10)  # one body line scores 0.7: the threshold must clear it
    chosen = choose_thresholds(body + junk, scores)
    assert 0.7 < chosen["threshold"] <= 0.95
    assert chosen["cv_junk_recall"] == 1.0 and chosen["cv_false_drop_rate"] == 0.0


def test_outline_explain_names_the_rule_and_the_score(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "page.txt"
    path.write_text("首页 > 新闻中心 > 正文\n" + PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["outline", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "[breadcrumb] 首页 > 新闻中心 > 正文" in result.output
    assert "classifier p=" in result.output
