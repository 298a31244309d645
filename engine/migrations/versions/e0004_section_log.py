"""Per section, how and by whom it was last saved (alone, or in an interview by a staff user).

Revision ID: e0004
Revises: e0003
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import JSONDocument

revision = "e0004"
down_revision = "e0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD/DROP COLUMN: SQLite does both in place, so no table copy trips foreign keys.
    op.add_column(
        "responses",
        sa.Column("section_log", JSONDocument, nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade() -> None:
    op.drop_column("responses", "section_log")
