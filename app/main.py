"""Application factory: ``create_app(settings)`` builds everything; nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline

from app import __version__
from app.api.errors import install_error_handlers
from app.api.routes import documents, health, phrases
from app.config import Settings
from app.db import make_engine, make_session_factory


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app over the configured database."""
    settings = settings or Settings()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
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

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/healthz")

    return app
