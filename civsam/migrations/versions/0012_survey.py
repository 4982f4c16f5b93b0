"""The partner survey: each response (year, date, the organisation given, the free text) and its answers.

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Date(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_responses_batch", "survey_responses", ["batch_id"], unique=False)
    op.create_index("ix_survey_responses_year", "survey_responses", ["year"], unique=False)
    op.create_index("ix_survey_responses_fingerprint", "survey_responses", ["fingerprint"], unique=False)
    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.String(length=60), nullable=False),
        sa.Column("principle", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="survey_answer_value"),
        sa.ForeignKeyConstraint(["response_id"], ["survey_responses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "statement"),
    )
    op.create_index("ix_survey_answers_principle", "survey_answers", ["principle"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_survey_answers_principle", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index("ix_survey_responses_fingerprint", table_name="survey_responses")
    op.drop_index("ix_survey_responses_year", table_name="survey_responses")
    op.drop_index("ix_survey_responses_batch", table_name="survey_responses")
    op.drop_table("survey_responses")
