"""A staff user's name at the organisation's identity provider (single sign-on).

Revision ID: s0004
Revises: s0003
"""

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_users", sa.Column("external_name", sa.String(200), nullable=True))
    op.create_index("ix_staff_users_external_name", "staff_users", ["external_name"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_staff_users_external_name", "staff_users")
    op.drop_column("staff_users", "external_name")
