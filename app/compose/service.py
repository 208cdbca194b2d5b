"""The composer's edge: the phrase bank from the database (cached per bank version) and passages from the index."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import generations
from app.compose.bank import BankEntry, ComposeBank
from app.compose.model import Draft, SourceRef, Suggestion
from app.compose.output.script import to_script
from app.compose.plan import PassageLookup, plan_draft
from app.compose.request import DraftRequest
from app.models import Document, Phrase, PhraseOccurrence, PhraseRole
from app.retrieve.index import TfidfIndex
from app.retrieve.query import QueryError, SearchFilters


def bank_version(session: Session) -> str:
    """Changes whenever the bank is re-mined: its generation, raised in the transaction that replaces it (a count
    of its rows took 17 ms a request at 117 684 entries, and missed a re-mine that kept the count)."""
    return f"g{generations.current(session, generations.BANK)}"


def load_bank(session: Session) -> ComposeBank:
    """Every entry with its roles and the first document it was seen in (for the suggestion's source).

    Plain rows, not ORM objects: at 117 684 entries building and relating the objects took most of a minute.
    """
    version = bank_version(session)  # read first: a re-mine committed meanwhile only makes the next call reload
    first_document = dict(
        session.execute(
            select(PhraseOccurrence.phrase_id, func.min(PhraseOccurrence.document_id)).group_by(
                PhraseOccurrence.phrase_id
            )
        ).all()  # a Result has keys(): dict() would take it for a mapping
    )
    documents = {
        d.id: SourceRef(document_id=d.id, title=d.title, date=d.date)
        for d in session.execute(select(Document.id, Document.title, Document.date))
    }
    roles: dict[int, dict[str, int]] = {}
    for phrase_id, role, count in session.execute(
        select(PhraseRole.phrase_id, PhraseRole.role, PhraseRole.count).order_by(
            PhraseRole.phrase_id, PhraseRole.count.desc(), PhraseRole.role
        )
    ):
        roles.setdefault(phrase_id, {})[role] = count
    rows = session.execute(
        select(
            Phrase.id, Phrase.kind, Phrase.text, Phrase.template, Phrase.frequency, Phrase.doc_frequency, Phrase.extra
        ).order_by(Phrase.kind, Phrase.rank)
    )
    entries = tuple(
        BankEntry(
            kind=kind,
            text=text,
            template=template or text,
            roles=roles.get(phrase_id, {}),
            frequency=frequency,
            doc_frequency=doc_frequency,
            extra=dict(extra or {}),
            source=documents.get(first_document.get(phrase_id, -1)),
        )
        for phrase_id, kind, text, template, frequency, doc_frequency, extra in rows
    )
    return ComposeBank(entries=entries, version=version)


class BankCache:
    """One ComposeBank per process, reloaded only when ``bank_version`` changes (a re-mine elsewhere)."""

    def __init__(self) -> None:
        self._bank: ComposeBank | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> ComposeBank:
        version = bank_version(session)
        bank = self._bank
        if bank is not None and bank.version == version:
            return bank
        with self._lock:
            if self._bank is None or self._bank.version != version:
                bank = load_bank(session)
                bank.warm()  # once, here, rather than piecemeal inside the first drafts
                self._bank = bank
            return self._bank


# Retrieved passages per index: the same topic or heading is looked up by every draft that names it, and the
# answer is a pure function of the index and the query. Keyed weakly, so a swapped-out index takes its
# entries with it.
_LOOKUPS: weakref.WeakKeyDictionary[TfidfIndex, OrderedDict[tuple[str, str | None, int], tuple[Suggestion, ...]]] = (
    weakref.WeakKeyDictionary()
)
_LOOKUPS_LOCK = threading.Lock()
LOOKUP_CACHE_SIZE = 2048


def index_lookup(index: TfidfIndex | None) -> PassageLookup | None:
    """Retrieved passages as suggestions (cached per index); a query the retriever refuses just gives none."""
    if index is None:
        return None
    with _LOOKUPS_LOCK:
        cache = _LOOKUPS.setdefault(index, OrderedDict())

    def lookup(query: str, role: str | None, k: int) -> list[Suggestion]:
        key = (query, role, k)
        with _LOOKUPS_LOCK:
            if key in cache:
                cache.move_to_end(key)
                return list(cache[key])
        found = tuple(_search(index, query, role, k))
        with _LOOKUPS_LOCK:
            cache[key] = found
            while len(cache) > LOOKUP_CACHE_SIZE:
                cache.popitem(last=False)
        return list(found)

    return lookup


def _search(index: TfidfIndex, query: str, role: str | None, k: int) -> list[Suggestion]:
    try:
        result = index.search(query[:200], k=k, filters=SearchFilters(role=role))
    except QueryError:
        return []
    return [
        Suggestion(
            kind="passage",
            text=hit.text,
            source=SourceRef(
                document_id=hit.document.get("id"), title=hit.document.get("title"), date=hit.document.get("date")
            ),
        )
        for hit in result.hits
    ]


DraftKey = tuple[str, str, str | None]


class DraftCache:
    """Recent drafts by (request, bank version, index version), each with its renderings.

    A draft is a pure function of those three, so an office asking for the same outline again (the web
    form's download after preview, a macro re-run) gets it without re-planning. Bounded LRU; a re-mine or
    re-index changes the key, so nothing stale is ever served. The drafts are frozen (``app.compose.model``),
    so handing one object to many requests and threads is safe; the bytes rendered from a cached draft (JSON,
    Markdown, docx …) are kept here beside it and leave with it.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[DraftKey, Draft] = OrderedDict()
        # id(draft) of each cached draft → (the draft, its bytes by format); the draft is held, so ids are unique.
        self._renderings: dict[int, tuple[Draft, dict[str, bytes]]] = {}
        self._lock = threading.Lock()

    def get(self, key: DraftKey) -> Draft | None:
        with self._lock:
            draft = self._items.get(key)
            if draft is not None:
                self._items.move_to_end(key)
            return draft

    def put(self, key: DraftKey, draft: Draft) -> None:
        with self._lock:
            replaced = self._items.get(key)
            if replaced is not None and replaced is not draft:  # two requests planned it at once: the last one stays
                self._renderings.pop(id(replaced), None)
            self._items[key] = draft
            self._items.move_to_end(key)
            self._renderings.setdefault(id(draft), (draft, {}))
            while len(self._items) > self.size:
                _, evicted = self._items.popitem(last=False)
                self._renderings.pop(id(evicted), None)

    def rendered(self, draft: Draft, fmt: str, render: Callable[[Draft], bytes]) -> bytes:
        """``render(draft)``, computed once per format while ``draft`` is in the cache; otherwise each time."""
        with self._lock:
            entry = self._renderings.get(id(draft))
            if entry is not None and entry[0] is draft and fmt in entry[1]:
                return entry[1][fmt]
        content = render(draft)  # outside the lock: a docx takes a while, and two threads may both render
        with self._lock:
            entry = self._renderings.get(id(draft))
            if entry is not None and entry[0] is draft:
                content = entry[1].setdefault(fmt, content)
        return content


def compose(
    request: DraftRequest,
    factory: sessionmaker[Session],
    index: TfidfIndex | None,
    cache: BankCache | None = None,
    index_version: str | None = None,
    drafts: DraftCache | None = None,
) -> Draft:
    """Plan a draft from the current bank and index, in the requested script.

    The returned draft may be the very object ``drafts`` holds for other requests; it is frozen, so a caller
    that wants a variant builds one (``model_copy(update=...)``) and the cached draft stays as planned.
    """
    with factory() as session:
        bank = (cache or BankCache()).get(session)
    key = (request.model_dump_json(), bank.version, index_version if index is not None else None)
    if drafts is not None and index_version is not None and (hit := drafts.get(key)) is not None:
        return hit
    draft = plan_draft(request, bank, index_lookup(index))
    if index is None and request.passages:
        draft = draft.with_notes("检索索引尚未建立，未附参考段落 / no passage index yet: no passages attached")
    draft = to_script(draft, request.script)
    if drafts is not None and index_version is not None:
        drafts.put(key, draft)
    return draft


IndexGetter = Callable[[], TfidfIndex | None]
