"""The browser interface: server-rendered pages for writers (draft form, phrase bank, search, corpus).

``install_web(app)`` adds the pages, their static files (CSS and JS served by this app — intranets have no
CDN) and the login redirect used when ``BIGAN_READ_TOKEN`` is set.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.web.auth import LoginRequired, login_redirect
from app.web.render import STATIC_URL

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install_web(app: FastAPI) -> None:
    from app.web.routes import login_router, router

    app.include_router(login_router)
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="web-static")
    app.add_exception_handler(LoginRequired, login_redirect)
