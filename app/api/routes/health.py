"""Liveness and corpus counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

from app import __version__
from app.api.deps import SessionDep, SettingsDep
from app.api.errors import storage_unavailable
from app.api.schemas import CorpusCountsOut, ErrorResponse, HealthOut
from app.ingest.store import corpus_counts
from app.storage import Storage, data_dir_usable

router = APIRouter(tags=["health"])


class LiveOut(BaseModel):
    status: str


@router.get("/livez", response_model=LiveOut)
def livez() -> LiveOut:
    """Report that the process answers, without touching the database (for load balancers)."""
    return LiveOut(status="ok")


_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ErrorResponse,
        "description": "storage_unavailable: the database or the data directory is unusable; the message says which.",
    }
}


@router.get("/healthz", response_model=HealthOut, responses=_UNAVAILABLE)
def healthz(session: SessionDep, settings: SettingsDep) -> HealthOut:
    """Report that the service is up, with document, section and passage counts — or 503 when its storage is
    unavailable, naming the database, the data directory or both (``/livez`` still answers 200)."""
    failed: list[Storage] = []
    try:
        counts = corpus_counts(session)
    except OperationalError:
        failed.append("database")
    if not data_dir_usable(settings.data_dir):
        failed.append("data_dir")
    if failed:
        raise storage_unavailable(*failed)
    return HealthOut(
        status="ok",
        version=__version__,
        database=session.get_bind().dialect.name,
        counts=CorpusCountsOut(**counts.__dict__),
    )
