"""Account lockout moves to the shared login throttle (one atomic counter for every lockout).

Revision ID: s0002
Revises: s0001
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain DROP COLUMN: SQLite does it in place, so no table copy trips foreign keys.
    op.drop_column("staff_users", "failed_logins")
    op.drop_column("staff_users", "locked_until")


def downgrade() -> None:
    op.add_column("staff_users", sa.Column("locked_until", UTCDateTime(), nullable=True))
    op.add_column(
        "staff_users",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
