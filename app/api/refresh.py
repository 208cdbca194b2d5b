"""What follows every HTTP write: re-mine the phrase bank, rebuild the passage index, swap it in.

The same service calls ``bigan ingest`` / ``bigan documents remove`` make after a change, so the bank and
the index the API answers from always reflect the stored documents.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from app.api.schemas import RefreshOut
from app.phrasebank.service import rebuild_bank
from app.retrieve.service import rebuild_index

_WRITE_LOCK = threading.Lock()


@contextmanager
def exclusive_write() -> Iterator[None]:
    """Hold for a whole HTTP write: the change to the documents and the rebuild that follows it.

    A rebuild mines the documents it read at its start; a document deleted meanwhile would leave the new
    bank pointing at rows that no longer exist. Writes over HTTP are rare and short, so one at a time.
    """
    with _WRITE_LOCK:
        yield


def refresh_derived(app: FastAPI) -> RefreshOut:
    """Re-mine the bank and rebuild the index from the current database (call inside ``exclusive_write``)."""
    state = app.state
    bank = rebuild_bank(state.session_factory)
    # workers=1: segmentation stays in this (threaded) process, which must not fork.
    index = rebuild_index(state.session_factory, state.settings, state.index_holder, workers=1)
    return RefreshOut(
        documents=bank.documents,
        phrases=bank.entries,
        phrases_by_kind=bank.by_kind,
        passages=index.passages,
        index_version=index.version,
    )
