"""A second factor for staff: the TOTP secret and last used step, and hashed recovery codes.

Revision ID: s0003
Revises: s0002
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_users", sa.Column("totp_secret", sa.String(32), nullable=True))
    op.add_column(
        "staff_users",
        sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("staff_users", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("staff_users.id"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "code_hash", name="uq_staff_recovery_codes_user_id"),
    )
    op.create_index("ix_staff_recovery_codes_user_id", "staff_recovery_codes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_recovery_codes_user_id", "staff_recovery_codes")
    op.drop_table("staff_recovery_codes")
    # Plain DROP COLUMN: SQLite does it in place, so no table copy trips foreign keys.
    op.drop_column("staff_users", "totp_last_step")
    op.drop_column("staff_users", "totp_enabled")
    op.drop_column("staff_users", "totp_secret")
