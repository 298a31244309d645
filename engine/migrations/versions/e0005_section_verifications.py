"""Section verifications: append-only marks by staff per response and section.

Revision ID: e0005
Revises: e0004
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "e0005"
down_revision = "e0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "section_verifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("response_id", sa.Integer, sa.ForeignKey("responses.id"), nullable=False),
        sa.Column("section", sa.String(60), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("actor", sa.String(60), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_section_verifications_response",
        "section_verifications",
        ["response_id", "section", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_section_verifications_response", "section_verifications")
    op.drop_table("section_verifications")
