"""Reception centres and persons.

Revision ID: p0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "p0001"
down_revision = None
branch_labels = ("people",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reception_centres",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("municipality", sa.String(4), nullable=False),
    )
    op.create_index("ix_reception_centres_municipality", "reception_centres", ["municipality"])
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("duf", sa.String(12), nullable=False, unique=True),
        sa.Column("first_name", sa.String(200), nullable=False),
        sa.Column("last_name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(10), nullable=True),
        sa.Column("citizenship", sa.String(20), nullable=True),
        sa.Column("municipality", sa.String(4), nullable=True),
        sa.Column("residence", sa.String(10), nullable=True),
        sa.Column(
            "reception_centre_id",
            sa.Integer(),
            sa.ForeignKey("reception_centres.id"),
            nullable=True,
        ),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_persons_municipality", "persons", ["municipality"])


def downgrade() -> None:
    op.drop_index("ix_persons_municipality", "persons")
    op.drop_table("persons")
    op.drop_index("ix_reception_centres_municipality", "reception_centres")
    op.drop_table("reception_centres")
