"""Every revision of the interface catalogues, whole, never changed or deleted.

Revision ID: e0007
Revises: e0006
"""

import sqlalchemy as sa
from alembic import op

from engine.app.db import UTCDateTime

revision = "e0007"
down_revision = "e0006"
branch_labels = None
depends_on = None

KEPT_SQLITE = """
CREATE TRIGGER interface_revisions_no_{verb} BEFORE {verb} ON interface_revisions
BEGIN SELECT RAISE(ABORT, 'interface_revisions are kept as recorded'); END
"""
KEPT_POSTGRES = [
    """CREATE FUNCTION interface_revisions_kept() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'interface_revisions are kept as recorded'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER interface_revisions_kept BEFORE UPDATE OR DELETE ON interface_revisions
    FOR EACH ROW EXECUTE FUNCTION interface_revisions_kept()""",
]


def upgrade() -> None:
    op.create_table(
        "interface_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("language", "number", name="uq_interface_revisions_language"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in KEPT_POSTGRES:
            op.execute(statement)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(KEPT_SQLITE.format(verb=verb))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER interface_revisions_kept ON interface_revisions")
        op.execute("DROP FUNCTION interface_revisions_kept()")
    op.drop_table("interface_revisions")
