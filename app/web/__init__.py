"""The browser interface: server-rendered pages for writers (draft form, phrase bank, search, corpus).

``install_web(app)`` adds the pages, their static files (CSS and JS served by this app — intranets have no
CDN), the login redirect used when ``BIGAN_READ_TOKEN`` is set and the 429 page for too many wrong tokens.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.web.auth import LoginRequired, TooManyAttempts, login_redirect, too_many_attempts_page
from app.web.render import STATIC_URL

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install_web(app: FastAPI) -> None:
    from app.web.routes import login_router, router

    app.include_router(login_router)
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="web-static")
    app.add_exception_handler(LoginRequired, login_redirect)
    app.add_exception_handler(TooManyAttempts, too_many_attempts_page)
    # Signs login cookies unless BIGAN_SESSION_SECRET is set; a new process means new logins (app/web/auth.py).
    app.state.session_secret = secrets.token_bytes(32)
