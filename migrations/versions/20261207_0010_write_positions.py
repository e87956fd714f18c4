"""write positions

Each user's latest write position on the primary, for read-your-writes on replicas.
UNLOGGED on PostgreSQL: it is never replicated and costs no WAL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    unlogged = ["UNLOGGED"] if op.get_bind().dialect.name == "postgresql" else []
    op.create_table(
        "write_positions",
        sa.Column("user_id", Id, nullable=False),
        sa.Column("wal_position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_write_positions")),
        prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table("write_positions")
