"""What follows every HTTP write: re-mine the phrase bank, bring the passage index up to date, swap it in.

The index changes by the documents added or removed since it was written (``sync_index``: their passages
only, whatever the size of the corpus); an explicit rebuild fits it again from the whole database. Either way
the bank and the index the API answers from reflect the stored documents.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from app.api.schemas import RefreshOut
from app.phrasebank.service import rebuild_bank
from app.retrieve.service import merge_index, rebuild_index, sync_index

_WRITE_LOCK = threading.Lock()
_MERGING = threading.Lock()  # one background merge at a time in this process


@contextmanager
def exclusive_write() -> Iterator[None]:
    """Hold for a whole HTTP write: the change to the documents and the rebuild that follows it.

    A rebuild mines the documents it read at its start; a document deleted meanwhile would leave the new
    bank pointing at rows that no longer exist. Writes over HTTP are rare and short, so one at a time.
    """
    with _WRITE_LOCK:
        yield


def refresh_derived(app: FastAPI, full: bool = False) -> RefreshOut:
    """Re-mine the bank and update the index to the current database — or, with ``full``, rebuild it (call
    inside ``exclusive_write``)."""
    state = app.state
    bank = rebuild_bank(state.session_factory)
    if full:  # workers=1: segmentation stays in this (threaded) process, which must not fork
        index = rebuild_index(state.session_factory, state.settings, state.index_holder, workers=1)
    else:
        index = sync_index(state.session_factory, state.settings, state.index_holder)
        _merge_in_background(app)
    return RefreshOut(
        documents=bank.documents,
        phrases=bank.entries,
        phrases_by_kind=bank.by_kind,
        passages=index.passages,
        index_version=index.version,
    )


def _merge_in_background(app: FastAPI) -> None:
    """Start the index merges too large to run inline with a write, in a thread: the write answers meanwhile."""
    live = app.state.index_holder.get()
    if live is None or not live.merges_due() or not _MERGING.acquire(blocking=False):
        return

    def merge() -> None:
        try:
            merge_index(app.state.settings, app.state.index_holder)
        except Exception:  # the index stays as it was, searchable; the next write tries again
            logging.getLogger(__name__).exception("could not merge the passage index's segments")
        finally:
            _MERGING.release()

    threading.Thread(target=merge, name="bigan-index-merge", daemon=True).start()
