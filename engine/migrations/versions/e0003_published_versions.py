"""Published questionnaire versions, responses linked to them, submission snapshots.

- `questionnaire_versions` holds each frozen version; every (questionnaire, version) that
  existing responses use gets a reserved row, which `kompass db upgrade` then publishes from
  the files (`engine.versions.publishing.freeze_reserved`);
- `responses.questionnaire_version` becomes `responses.version_id`, a foreign key;
- every repeated entry gets a stable id (`_id`);
- answers become `jsonb` on PostgreSQL; responses get an index for listing;
- `response_submissions` keeps every submission.

Revision ID: e0003
Revises: e0002
"""

import json
import secrets

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from engine.app.db import JSONDocument, UTCDateTime

revision = "e0003"
down_revision = "e0002"
branch_labels = None
depends_on = None

ENTRY_ID = "_id"


def upgrade() -> None:
    _create_versions_table()
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
    _reserve_used_versions()
    _link_responses()
    _add_entry_ids()
    with op.batch_alter_table("responses") as batch:
        batch.alter_column("version_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            "fk_responses_version_id_questionnaire_versions",
            "questionnaire_versions", ["version_id"], ["id"],
        )  # fmt: skip
        batch.drop_column("questionnaire_version")
    _answers_to_jsonb()
    op.create_index(
        "ix_responses_listing", "responses", ["questionnaire_id", "version_id", "state"]
    )
    _create_submissions_table()


def _create_versions_table() -> None:
    op.create_table(
        "questionnaire_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questionnaire_id", sa.String(60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("files", JSONDocument, nullable=True),
        sa.Column("content", JSONDocument, nullable=True),
        sa.Column("json_schema", JSONDocument, nullable=True),
        sa.Column("codebook", JSONDocument, nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint(
            "questionnaire_id", "version", name="uq_questionnaire_versions_questionnaire_id"
        ),
    )


def _reserve_used_versions() -> None:
    op.execute(
        "INSERT INTO questionnaire_versions (questionnaire_id, version) "
        "SELECT DISTINCT questionnaire_id, questionnaire_version FROM responses"
    )


def _link_responses() -> None:
    op.execute(
        "UPDATE responses SET version_id = (SELECT v.id FROM questionnaire_versions v "
        "WHERE v.questionnaire_id = responses.questionnaire_id "
        "AND v.version = responses.questionnaire_version)"
    )


def _add_entry_ids() -> None:
    """Every list of objects in the answers is a repeated group: give each entry an id."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, answers FROM responses")).all()
    for response_id, answers in rows:
        data = json.loads(answers) if isinstance(answers, str) else answers
        if isinstance(data, dict) and _give_ids(data):
            statement = sa.text("UPDATE responses SET answers = :answers WHERE id = :id")
            statement = statement.bindparams(sa.bindparam("answers", type_=sa.JSON()))
            connection.execute(statement, {"answers": data, "id": response_id})


def _give_ids(answers: dict) -> bool:
    changed = False
    for value in answers.values():
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict) and ENTRY_ID not in entry:
                    entry[ENTRY_ID] = secrets.token_hex(4)
                    changed = True
    return changed


def _answers_to_jsonb() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "responses", "answers", type_=postgresql.JSONB(), postgresql_using="answers::jsonb"
        )


def _create_submissions_table() -> None:
    op.create_table(
        "response_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("response_id", sa.Integer(), sa.ForeignKey("responses.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "version_id", sa.Integer(), sa.ForeignKey("questionnaire_versions.id"), nullable=False
        ),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("entered_by", sa.String(60), nullable=True),
        sa.Column("answers", JSONDocument, nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("reopened_at", UTCDateTime(), nullable=True),
        sa.Column("reopened_by", sa.String(60), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.UniqueConstraint("response_id", "number", name="uq_response_submissions_response_id"),
    )
    op.create_index("ix_response_submissions_response_id", "response_submissions", ["response_id"])
    op.execute(
        "INSERT INTO response_submissions (response_id, number, version_id, language, mode, "
        "entered_by, answers, submitted_at) SELECT id, 1, version_id, language, mode, "
        "entered_by, answers, submitted_at FROM responses WHERE state = 'submitted'"
    )


def downgrade() -> None:
    op.drop_index("ix_response_submissions_response_id", "response_submissions")
    op.drop_table("response_submissions")
    op.drop_index("ix_responses_listing", "responses")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("responses", "answers", type_=sa.JSON(), postgresql_using="answers::json")
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("questionnaire_version", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE responses SET questionnaire_version = (SELECT v.version FROM "
        "questionnaire_versions v WHERE v.id = responses.version_id)"
    )
    with op.batch_alter_table("responses") as batch:
        batch.alter_column("questionnaire_version", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("fk_responses_version_id_questionnaire_versions", "foreignkey")
        batch.drop_column("version_id")
    op.drop_table("questionnaire_versions")
