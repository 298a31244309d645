"""The engine's responses table.

Revision ID: e0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "e0001"
down_revision = None
branch_labels = ("engine",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("questionnaire_id", sa.String(60), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("subject", "questionnaire_id", name="uq_responses_subject"),
    )
    op.create_index("ix_responses_subject", "responses", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_responses_subject", "responses")
    op.drop_table("responses")
