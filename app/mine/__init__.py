"""Phrase-bank mining: skeletons, heading patterns, stock formulations, 排比, idioms, formulas."""

from app.mine.miner import KINDS, PhraseMiner

__all__ = ["KINDS", "PhraseMiner"]
