"""PhraseSet: the bank's shared formulations found in a sentence as the regex alternation found them."""

from __future__ import annotations

import random
import re

from app.text.phrases import PhraseSet


def test_longest_first_leftmost_and_never_overlapping() -> None:
    phrases = PhraseSet.of(["齐抓共管", "齐抓共管的工作格局", "工作格局", "共管的"])
    assert phrases.matches("要形成齐抓共管的工作格局，完善工作格局") == ["齐抓共管的工作格局", "工作格局"]
    assert phrases.matches("各负其责") == []
    assert not PhraseSet.of([]) and phrases


def test_same_matches_as_the_alternation_it_replaces() -> None:
    rng = random.Random(7)
    alphabet = "文明创建志愿服务工作格局齐抓共管推进"
    phrases = {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 6))) for _ in range(300)}
    pattern = re.compile("|".join(map(re.escape, sorted(phrases, key=lambda t: (-len(t), t)))))
    matcher = PhraseSet.of(phrases)
    for _ in range(300):
        text = "".join(rng.choice(alphabet + "，。") for _ in range(rng.randint(0, 60)))
        assert matcher.matches(text) == pattern.findall(text), text
