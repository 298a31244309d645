"""Contact details a subject chose to add to their CV.

Revision ID: e0008
Revises: e0007
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "e0008"
down_revision = "e0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subject_contacts",
        sa.Column("subject", sa.String(100), primary_key=True),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("subject_contacts")
