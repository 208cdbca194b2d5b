"""generations: a counter per kind of derived state (the phrase bank first)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "generations",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # A database mined before this revision holds a bank: it is generation 1, so caches keyed on it load it once.
    op.bulk_insert(table, [{"name": "bank", "value": 1}])


def downgrade() -> None:
    op.drop_table("generations")
