"""Generation counters of derived state (``models.Generation``): bumped by the writer, read by every cache."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Generation

BANK = "bank"


def current(session: Session, name: str) -> int:
    """The counter's value; 0 before its first bump."""
    return session.scalar(select(Generation.value).where(Generation.name == name)) or 0


def bump(session: Session, name: str) -> int:
    """Raise the counter in the caller's transaction (so it commits, or rolls back, with the change it marks)."""
    if session.execute(update(Generation).where(Generation.name == name).values(value=Generation.value + 1)).rowcount:
        return current(session, name)
    session.add(Generation(name=name, value=1))
    session.flush()
    return 1
