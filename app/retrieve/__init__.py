"""Passage retrieval: what past documents said on a topic, for the section being drafted (issue 5).

``TfidfIndex`` (index.py) fits and searches; ``persist`` saves, loads and swaps versions atomically;
``service`` builds from the database; ``evaluate`` scores relevance on judged queries.
"""

from app.retrieve.index import Hit, PassageRecord, SearchResult, TfidfIndex
from app.retrieve.query import QueryError, SearchFilters

__all__ = ["Hit", "PassageRecord", "QueryError", "SearchFilters", "SearchResult", "TfidfIndex"]
