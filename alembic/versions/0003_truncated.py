"""documents.truncated: why a stored copy is only part of its document (a preview, an excerpt)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Documents stored before this revision were never checked: NULL (taken as whole) until they are re-ingested.
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("truncated", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("truncated")
