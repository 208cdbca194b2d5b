"""What the pages show, from the pipeline's own services (stores, index, composer) — the handlers stay thin."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.compose.bank import ComposeBank
from app.compose.model import Draft
from app.compose.request import DraftRequest
from app.compose.service import compose
from app.ingest.store import corpus_counts, get_document, list_documents
from app.models import Document, Phrase
from app.phrasebank.ranking import DEFAULT_SORT, PhraseSort
from app.phrasebank.store import Example, phrase_examples, query_phrases
from app.retrieve.query import QueryError, SearchFilters, check_query
from app.retrieve.search import Hit, PassageSearch
from app.web.forms import apply_headings

PHRASES_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 50
SEARCH_HITS = 20
MAX_TOPIC_SUGGESTIONS = 40
_SLOT = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int

    @staticmethod
    def of(page: int, total: int, per_page: int) -> Pager:
        pages = max(1, math.ceil(total / per_page))
        return Pager(page=min(max(page, 1), pages), pages=pages, total=total)

    def window(self, width: int = 2) -> list[int]:
        """Page numbers to link: first, last and a few around the current one (0 marks a gap)."""
        shown = {1, self.pages, *range(self.page - width, self.page + width + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int] = []
        for n in numbers:
            if out and n - out[-1] > 1:
                out.append(0)
            out.append(n)
        return out


def topic_suggestions(bank: ComposeBank) -> list[str]:
    """Topics to offer in the form: the built-in common ones, then the {主题} past headings were written about.

    A mined heading keeps the text it came from beside its slotted template (以{主题}为牵引，构建{目标});
    matching the two recovers what filled {主题} there (评价体系改革).
    """
    found: list[str] = list(bank.defaults.get("default_topics", []))
    for entry in bank.of_kind("heading"):
        if "{主题}" not in entry.template:
            continue
        pattern = "".join(
            "(?P<topic>.{2,12}?)" if piece == "主题" else ".+?" if i % 2 else re.escape(piece)
            for i, piece in enumerate(_SLOT.split(entry.template))
        )
        match = re.fullmatch(pattern, entry.text)
        if match and match["topic"]:
            found.append(match["topic"])
    return list(dict.fromkeys(t for t in found if 2 <= len(t) <= 12))[:MAX_TOPIC_SUGGESTIONS]


@dataclass(frozen=True)
class PhraseRow:
    phrase: Phrase
    examples: list[Example]


@dataclass(frozen=True)
class PhraseListing:
    rows: list[PhraseRow]
    pager: Pager


def phrase_listing(
    session: Session,
    kind: str | None,
    role: str | None,
    q: str | None,
    page: int,
    sort: PhraseSort = DEFAULT_SORT,
) -> PhraseListing:
    """One page of the phrase bank in ``sort`` order (worth reusing first by default), with a few KWIC lines."""
    result = query_phrases(
        session, kind=kind, role=role, q=q, limit=PHRASES_PER_PAGE, offset=(page - 1) * PHRASES_PER_PAGE, sort=sort
    )
    pager = Pager.of(page, result.total, PHRASES_PER_PAGE)
    if pager.page != page:  # past the last page (an old link after a re-mine): show the last one instead
        offset = (pager.page - 1) * PHRASES_PER_PAGE
        result = query_phrases(session, kind=kind, role=role, q=q, limit=PHRASES_PER_PAGE, offset=offset, sort=sort)
    return PhraseListing([PhraseRow(p, phrase_examples(session, p, limit=3)) for p in result.items], pager)


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    sections: int


@dataclass(frozen=True)
class CorpusListing:
    rows: list[DocumentRow]
    pager: Pager


def corpus_listing(session: Session, page: int) -> CorpusListing:
    total = corpus_counts(session).documents
    pager = Pager.of(page, total, DOCUMENTS_PER_PAGE)
    documents = list_documents(session, limit=DOCUMENTS_PER_PAGE, offset=(pager.page - 1) * DOCUMENTS_PER_PAGE)
    return CorpusListing([DocumentRow(d, len(d.sections)) for d in documents], pager)


def document_view(session: Session, document_id: int) -> dict[str, Any] | None:
    """A document with its outline as rows (level, marker, heading, role) in reading order."""
    document = get_document(session, document_id)
    if document is None:
        return None
    outline = [
        {"level": s.level, "marker": s.marker, "heading": s.heading, "role": s.role, "ordinal": s.ordinal}
        for s in document.sections
    ]
    return {"document": document, "outline": outline}


@dataclass
class SearchPage:
    query: str = ""
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None  # the query or a filter was refused (Chinese half of the message)
    reason: str | None = None  # why there are no hits
    no_index: bool = False


def run_search(index: PassageSearch | None, q: str, filters: SearchFilters) -> SearchPage:
    """Search passages; a refused query becomes an error message on the page, not an exception."""
    query = q.strip()
    if not query:
        return SearchPage()
    try:
        check_query(query, SEARCH_HITS)
        filters.validate()
        if index is None:
            return SearchPage(query=query, no_index=True)
        result = index.search(query, k=SEARCH_HITS, filters=filters)
    except QueryError as error:
        return SearchPage(query=query, error=error.message.split(" / ")[0])
    return SearchPage(query=query, hits=list(result.hits), reason=result.reason)


def build_draft(
    state: Any, request: DraftRequest, overrides: Mapping[int, str], swap: int | None
) -> tuple[Draft, dict[int, str]]:
    """Compose as ``POST /draft`` does (same request and seed → same draft), then apply the chosen headings.

    The composer may hand back a draft it also keeps in its cache (preview, then download, then 换一个 ask for
    the same one); drafts are frozen, so the chosen headings go into a new draft and the cached one stays as
    planned.
    """
    version, index = state.index_holder.current()
    draft = compose(
        request, state.session_factory, index, state.bank_cache, version, getattr(state, "draft_cache", None)
    )
    if not overrides and swap is None:
        return draft, {}
    return apply_headings(draft, overrides, swap)


def topic_suggestions_for(state: Any) -> list[str]:
    with state.session_factory() as session:
        bank = state.bank_cache.get(session)
    return topic_suggestions(bank)
