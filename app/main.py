"""Application factory: ``create_app(settings)`` builds everything; nothing happens at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from app import __version__
from app.api.errors import install_error_handlers
from app.api.routes import documents, draft, health, phrases, search
from app.compose.service import BankCache, DraftCache
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.http_guard import install_http_guard
from app.storage import STORAGE_ERRORS
from app.web import install_web


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app over the configured database."""
    settings = settings or Settings()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            _start_index(app)
        except STORAGE_ERRORS as exc:  # serve anyway: /healthz answers 503 saying what is unavailable, /livez 200
            logging.getLogger(__name__).error("storage unavailable at start-up, passage index not loaded: %s", exc)
        _start_bank(app)
        yield
        engine.dispose()

    # Swagger UI and ReDoc assets come from the package, not a CDN: intranets have no internet.
    app = FastAPIOffline(
        title="Bigan 笔杆",
        version=__version__,
        description="从本单位历年文稿中学习的讲话稿、会议报道起草助手 / "
        "a drafting assistant that learns from an office's own past documents.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(documents.router)
    app.include_router(phrases.router)
    app.include_router(search.router)
    app.include_router(draft.router)
    app.state.bank_cache = BankCache()
    app.state.draft_cache = DraftCache()
    install_http_guard(app, settings)  # tokens before bodies, body caps, security headers; inside CORS
    if settings.cors_origins:
        # Office add-ins (WPS / Word web) call /draft from their own origin.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Content-Disposition"],
        )
    app.state.index_holder = _index_holder(settings)
    install_web(app)  # the writers' pages: / (draft form) and /ui/…

    return app


def _index_holder(settings: Settings):  # type: ignore[no-untyped-def]
    from app.retrieve.persist import IndexHolder, IndexStore
    from app.retrieve.service import index_root

    return IndexHolder(IndexStore(index_root(settings)))


def _start_index(app: FastAPI) -> None:
    """Load the passage index once into ``app.state.index_holder``, then, in the background, build it if missing
    or bring it up to what the database holds (documents stored by a process that died before indexing them).

    The holder then follows ``bigan ingest`` / ``bigan mine`` in other processes: each publishes a new version
    atomically and the next request swaps it in.
    """
    import logging
    import threading

    from app.retrieve.service import passage_count, sync_index

    holder = app.state.index_holder
    holder.reload()
    if holder.version is None:
        with app.state.session_factory() as session:
            if not passage_count(session):
                return

    def build() -> None:
        try:  # with no index yet, this fits one
            sync_index(app.state.session_factory, app.state.settings, holder, thorough=True)
        except Exception:
            logging.getLogger(__name__).exception("could not build or update the passage index")

    threading.Thread(target=build, name="bigan-index-build", daemon=True).start()


def _start_bank(app: FastAPI) -> None:
    """Load the phrase bank and build its indexes in the background, so the first draft does not wait for them
    (at 10 000 documents ~10 s); a draft asked for meanwhile waits on the same load instead of starting another."""
    import logging
    import threading

    def load() -> None:
        try:
            with app.state.session_factory() as session:
                app.state.bank_cache.get(session)
        except STORAGE_ERRORS as exc:  # /healthz says so; the first draft tries again
            logging.getLogger(__name__).error("storage unavailable at start-up, phrase bank not loaded: %s", exc)
        except Exception:
            logging.getLogger(__name__).exception("could not load the phrase bank")

    threading.Thread(target=load, name="bigan-bank-load", daemon=True).start()
