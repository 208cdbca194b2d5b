"""Liveness and corpus counts."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app import __version__
from app.api.deps import SessionDep
from app.api.schemas import CorpusCountsOut, HealthOut
from app.ingest.store import corpus_counts

router = APIRouter(tags=["health"])


class LiveOut(BaseModel):
    status: str


@router.get("/livez", response_model=LiveOut)
def livez() -> LiveOut:
    """Report that the process answers, without touching the database (for load balancers)."""
    return LiveOut(status="ok")


@router.get("/healthz", response_model=HealthOut)
def healthz(session: SessionDep) -> HealthOut:
    """Report that the service is up, with document, section and passage counts."""
    counts = corpus_counts(session)
    return HealthOut(
        status="ok",
        version=__version__,
        database=session.get_bind().dialect.name,
        counts=CorpusCountsOut(**counts.__dict__),
    )
