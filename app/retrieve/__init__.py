"""Passage retrieval: what past documents said on a topic, for the section being drafted (issue 5).

``search`` holds the query flow every retriever shares; ``TfidfIndex`` (index.py) fits all passages at once;
``SegmentedIndex`` (segmented.py) — the live index — takes documents one at a time in segments and scores as a
full rebuild would; ``store`` publishes it atomically, ``persist`` saves, loads and swaps indexes; ``service``
builds and updates it from the database; ``evaluate`` scores relevance on judged queries.
"""

from app.retrieve.index import Hit, PassageRecord, SearchResult, TfidfIndex
from app.retrieve.query import QueryError, SearchFilters
from app.retrieve.segmented import SegmentedIndex

__all__ = ["Hit", "PassageRecord", "QueryError", "SearchFilters", "SearchResult", "SegmentedIndex", "TfidfIndex"]
