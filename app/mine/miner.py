"""``PhraseMiner``: the office's own phrase bank from its past speeches and meeting reports.

Estimator style: parameters in ``__init__``, ``fit(documents)`` sets ``phrases_`` (sorted by kind, then score
descending, then text) and ``timings_``. A pure function of the documents — no database, no files written;
the lexicons under ``phrasebank/`` are read once per directory.

    >>> miner = PhraseMiner(min_doc_frequency=2).fit(documents)  # the bundled corpus
    >>> miner.by_kind("parallel")[0].text
    '文明培育、文明实践、文明创建'
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.mine.candidates import build_context
from app.mine.formulas import mine_formulas
from app.mine.formulations import mine_formulations
from app.mine.headings import mine_headings
from app.mine.idioms import mine_idioms
from app.mine.lexicon import load_lexicon, shared_tokenizer
from app.mine.openers import mine_openers
from app.mine.parallel import mine_parallel
from app.mine.skeletons import mine_skeletons
from app.mine.types import MinedPhrase, MiningDocument

KINDS = ("skeleton", "heading", "formulation", "parallel", "idiom", "formula", "opener", "transition", "closer")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


class PhraseMiner:
    """Mine skeletons, heading patterns, formulations, 排比, idioms, formulas and openers/transitions/closers.

    Parameters
    ----------
    min_doc_frequency: a formulation must occur in this many documents (排比, idioms, formulas, headings may
        come from one document: they are rare by nature and ranked by structure instead).
    max_clause_chars / min_clause_chars: length bounds of a formulation (characters, a slot counts as one).
    max_occurrences: occurrences kept per entry (frequency and doc_frequency always count all of them).
    include_lexicon_formulas: also list formulas of ``phrasebank/formulas.txt`` the corpus never uses.
    lexicon_dir: another ``phrasebank/`` directory (tests).
    """

    def __init__(
        self,
        min_doc_frequency: int = 2,
        max_clause_chars: int = 30,
        min_clause_chars: int = 6,
        max_occurrences: int = 20,
        include_lexicon_formulas: bool = False,
        lexicon_dir: Path | None = None,
    ) -> None:
        self.min_doc_frequency = min_doc_frequency
        self.max_clause_chars = max_clause_chars
        self.min_clause_chars = min_clause_chars
        self.max_occurrences = max_occurrences
        self.include_lexicon_formulas = include_lexicon_formulas
        self.lexicon_dir = lexicon_dir

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters (scikit-learn convention)."""
        return {
            "min_doc_frequency": self.min_doc_frequency,
            "max_clause_chars": self.max_clause_chars,
            "min_clause_chars": self.min_clause_chars,
            "max_occurrences": self.max_occurrences,
            "include_lexicon_formulas": self.include_lexicon_formulas,
            "lexicon_dir": self.lexicon_dir,
        }

    def fit(self, documents: Sequence[MiningDocument]) -> PhraseMiner:
        """Mine ``documents`` (all of them; ``extra["in_domain_share"]`` tells how many were in domain)."""
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        lexicon = load_lexicon(self.lexicon_dir)
        tokenizer = shared_tokenizer(self.lexicon_dir)
        ctx = build_context(
            documents,
            lexicon,
            tokenizer,
            self.min_doc_frequency,
            self.min_clause_chars,
            self.max_clause_chars,
            self.max_occurrences,
        )
        clock = _lap(timings, "clauses", clock)
        phrases: list[MinedPhrase] = []
        phrases += mine_skeletons(documents)
        phrases += mine_headings(ctx)
        clock = _lap(timings, "headings", clock)
        phrases += mine_formulations(ctx)
        clock = _lap(timings, "formulations", clock)
        phrases += mine_parallel(ctx)  # before idioms: 排比 items are frame fillers, not idioms
        clock = _lap(timings, "parallel", clock)
        phrases += mine_idioms(ctx)
        clock = _lap(timings, "idioms", clock)
        phrases += mine_formulas(ctx, self.include_lexicon_formulas)
        phrases += mine_openers(ctx)
        _lap(timings, "formulas_openers", clock)
        self.phrases_ = sorted((p for p in phrases if _clean(p)), key=lambda p: (p.kind, -p.score, p.text))
        self.timings_ = timings
        return self

    def by_kind(self, kind: str) -> list[MinedPhrase]:
        """The fitted entries of one kind, best first."""
        return [p for p in self.phrases_ if p.kind == kind]


def _lap(timings: dict[str, float], name: str, start: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - start, 4)
    return now


def _clean(phrase: MinedPhrase) -> bool:
    """Last guard against chrome: an entry of text must be mostly Chinese (skeletons are role names)."""
    if phrase.kind == "skeleton":
        return True
    text = phrase.text.replace("…", "")
    return bool(text) and len(_HAN_RE.findall(text)) * 2 >= len(text)
