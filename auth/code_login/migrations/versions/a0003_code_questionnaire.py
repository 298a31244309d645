"""The questionnaire a login code leads to (NULL on older codes: the default questionnaire).

Revision ID: a0003
Revises: a0002
"""

import sqlalchemy as sa
from alembic import op

revision = "a0003"
down_revision = "a0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_codes") as batch:
        batch.add_column(sa.Column("questionnaire_id", sa.String(60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_codes") as batch:
        batch.drop_column("questionnaire_id")
