"""The last gates: site chrome never reaches the phrase bank or the passage index."""

from __future__ import annotations

from app.ingest.clean.classify.model import junk_reason
from app.mine.types import MinedPhrase
from app.phrasebank.service import gate_phrases
from app.retrieve.search import PassageRecord
from app.retrieve.service import gate_passages

PROSE = "我们要坚持以人民为中心的发展思想，深入推进文明城市创建。"


def _phrase(kind: str, text: str) -> MinedPhrase:
    return MinedPhrase(kind, text, text, ("tasks",), 3, 2, 1.0, ())


def _record(passage_id: int, text: str) -> PassageRecord:
    return PassageRecord(
        passage_id=passage_id,
        document_id=1,
        text=text,
        role="tasks",
        heading_path="",
        title="t",
        date=None,
        kind="speech",
        source="",
        in_domain=True,
    )


def test_junk_reason_names_the_rules_or_the_classifier() -> None:
    assert junk_reason("本篇文章694字,读完约2分钟") == "rules"
    assert junk_reason("分享到： 微信 微博 QQ空间") == "rules"
    assert (junk_reason("联系电话：0873-3126458") or "").startswith("classifier p=")
    assert junk_reason(PROSE) is None
    assert junk_reason("坚持以人民为中心") is None  # a short formula is not chrome


def test_gate_phrases_keeps_prose_and_skeletons() -> None:
    phrases = [_phrase("opener", "抖音号"), _phrase("formulation", PROSE), _phrase("skeleton", "opening → tasks")]
    kept, dropped = gate_phrases(phrases)
    assert [p.text for p in dropped] == ["抖音号"]
    assert [p.kind for p in kept] == ["formulation", "skeleton"]


def test_gate_passages_drops_chrome_passages() -> None:
    kept, dropped = gate_passages([_record(1, PROSE), _record(2, "本篇文章694字,读完约2分钟")])
    assert [r.passage_id for r in kept] == [1]
    assert [r.passage_id for r in dropped] == [2]
