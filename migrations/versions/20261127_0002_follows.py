"""follows

One row per (follower, followee), never oneself; indexed from both ends by
(user, follow id) so that followers, following and the home timeline page by keyset.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", Id, nullable=False),
        sa.Column("follower_id", Id, nullable=False),
        sa.Column("followee_id", Id, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("follower_id <> followee_id", name=op.f("ck_follows_no_self_follow")),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["users.id"],
            name=op.f("fk_follows_follower_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["followee_id"],
            ["users.id"],
            name=op.f("fk_follows_followee_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint(
            "follower_id", "followee_id", name=op.f("uq_follows_follower_id_followee_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_follows_follower_id_id"), "follows", ["follower_id", "id"])
    op.create_index(op.f("ix_follows_followee_id_id"), "follows", ["followee_id", "id"])


def downgrade() -> None:
    op.drop_table("follows")
