"""Server-side log-in sessions for respondents and staff.

`server_sessions` is code_login's table (`auth/code_login/server_sessions.py`); the staff plugin
keeps its sessions there too and requires code_login.

Revision ID: a0002
Revises: a0001
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(60), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_server_sessions_kind_subject", "server_sessions", ["kind", "subject"])


def downgrade() -> None:
    op.drop_index("ix_server_sessions_kind_subject", "server_sessions")
    op.drop_table("server_sessions")
