"""Record whether answers were given alone or in an interview, and by which staff user.

Revision ID: e0002
Revises: e0001
"""

import sqlalchemy as sa
from alembic import op

revision = "e0002"
down_revision = "e0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("mode", sa.String(20), nullable=False, server_default="self"))
        batch.add_column(sa.Column("entered_by", sa.String(60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("entered_by")
        batch.drop_column("mode")
