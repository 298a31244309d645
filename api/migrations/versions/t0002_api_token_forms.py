"""The form that made each API token, so sending that form again (a reload) makes no second one.

Revision ID: t0002
Revises: t0001
"""

import sqlalchemy as sa
from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as table:
        table.add_column(sa.Column("form_id", sa.String(64), nullable=True))
        table.create_unique_constraint("uq_api_tokens_form_id", ["form_id"])


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as table:
        table.drop_constraint("uq_api_tokens_form_id", type_="unique")
        table.drop_column("form_id")
