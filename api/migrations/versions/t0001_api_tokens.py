"""Personal API tokens of staff users.

Revision ID: t0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "t0001"
down_revision = None
branch_labels = ("api",)
depends_on = "s0001"


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("staff_users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
        sa.Column("revoked_by", sa.Integer, sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("last_used_at", UTCDateTime, nullable=True),
        sa.Column("window_start", UTCDateTime, nullable=True),
        sa.Column("window_count", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("public_id", name="uq_api_tokens_public_id"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user_id", "api_tokens")
    op.drop_table("api_tokens")
