"""Login codes and log-in throttling for the code-login plugin.

`login_throttle` is code_login's table; staff log-in counts its attempts there too, so the
staff plugin requires code_login and its first revision (s0001) depends on this one.

Revision ID: a0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "a0001"
down_revision = None
branch_labels = ("code_login",)
depends_on = "p0001"


def upgrade() -> None:
    op.create_table(
        "login_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("code_hash", sa.String(200), nullable=False),
        sa.Column("masked", sa.String(12), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("valid_to", UTCDateTime(), nullable=False),
        sa.Column("first_used_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_login_codes_person_id", "login_codes", ["person_id"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index("ix_login_codes_person_id", "login_codes")
    op.drop_table("login_codes")
