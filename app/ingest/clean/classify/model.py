"""The trained line classifier: its stored weights, the cleaner's second opinion, and the last gate on junk.

The model is a logistic regression over ``classify.features`` stored as reviewable JSON
(``phrasebank/line_classifier.json``: weights by feature name, the thresholds chosen by cross-validation on the
dev set, how well it did there), retrained with ``python -m app.ingest.clean.classify.train``. No pickle: scoring
is a dot product written out here, so loading the model runs no stored code.

It is a second opinion, never the first: the rules decide, and the classifier may only drop a line the rules
kept when it is confident (``threshold``), never a heading, a salutation or a long paragraph of prose. In
``explain`` mode (the model file says which) it drops nothing and only reports its scores.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.ingest.clean.classify.features import line_features, positions, rule_flags
from app.ingest.clean.common import Doc, cjk_count, is_heading, is_salutation
from app.ingest.vocab import PHRASEBANK
from app.text.normalise import to_simplified

MODEL_PATH = PHRASEBANK / "line_classifier.json"
RULE = "classifier"
MAX_SCORED = 120
"""Only lines this short (or mostly not Chinese) are scored: chrome is short, and a long paragraph of Chinese
prose is body whatever its words — which also keeps the cost off the bulk of the text."""
_RULES_ONLY: ContextVar[bool] = ContextVar("rules_only", default=False)


@dataclass(frozen=True)
class LineModel:
    intercept: float
    weights: dict[str, float]
    threshold: float  # p(junk) at or above which a line the rules kept is dropped
    gate_threshold: float  # p(junk) at or above which a passage or phrase is kept out of the bank and the index
    mode: str  # "remove": drop confident junk; "explain": only report scores

    def probability(self, shadow: str, position: float) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in line_features(shadow, position).items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    @property
    def removes(self) -> bool:
        return self.mode == "remove"


def model_from_json(data: dict[str, object]) -> LineModel:
    weights = data["weights"]
    assert isinstance(weights, dict)
    return LineModel(
        intercept=float(data["intercept"]),  # type: ignore[arg-type]
        weights={str(k): float(v) for k, v in weights.items()},
        threshold=float(data["threshold"]),  # type: ignore[arg-type]
        gate_threshold=float(data["gate_threshold"]),  # type: ignore[arg-type]
        mode=str(data["mode"]),
    )


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> LineModel | None:
    """The shipped model, or None when there is none (the rules then work alone)."""
    if not path.exists():
        return None
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


@contextmanager
def rules_only() -> Iterator[None]:
    """Clean with the rules alone (training must see what the rules did, not what an older model did)."""
    token = _RULES_ONLY.set(True)
    try:
        yield
    finally:
        _RULES_ONLY.reset(token)


def scorable(shadow: str) -> bool:
    return len(shadow) <= MAX_SCORED or cjk_count(shadow) * 2 < len(shadow)


def protected(shadow: str) -> bool:
    """Lines the classifier never drops: the outline's headings and the salutation are the rules' to judge."""
    return is_heading(shadow) or is_salutation(shadow)


def line_scores(shadows: list[str], model: LineModel) -> list[float | None]:
    """p(junk) of each line (None: not scored — too long to be chrome, or protected)."""
    return [
        model.probability(s, pos) if scorable(s) and not protected(s) else None
        for s, pos in zip(shadows, positions(shadows), strict=True)
    ]


def second_opinion(doc: Doc) -> None:
    """Pipeline step after the rules: drop the lines the classifier is confident are junk (``classifier``)."""
    model = load_model()
    if model is None or not model.removes or _RULES_ONLY.get():
        return
    scores = line_scores(doc.shadows, model)
    doc.drop_where(RULE, lambda i, _s: (p := scores[i]) is not None and p >= model.threshold)


def junk_reason(text: str, model: LineModel | None = None) -> str | None:
    """Why ``text`` (a passage or a phrase) must not reach the bank or the index, or None: the cleaner's site
    vocabulary and chrome predicates, or the classifier when very confident. Used as the last gate."""
    shadow = to_simplified(text.strip())
    if not shadow:
        return None
    if rule_flags(shadow):
        return "rules"
    model = model or load_model()
    if model is None or not scorable(shadow) or protected(shadow):
        return None
    p = model.probability(shadow, 0.5)  # a passage's place in its page is unknown here: the middle is neutral
    return f"classifier p={p:.2f}" if p >= model.gate_threshold else None
