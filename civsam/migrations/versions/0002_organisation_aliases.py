"""Organisation aliases: the spellings merged into another organisation.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "organisation_aliases",
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("name_key"),
    )
    op.create_index(
        op.f("ix_organisation_aliases_organisation_id"), "organisation_aliases", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_organisation_aliases_organisation_id"), table_name="organisation_aliases")
    op.drop_table("organisation_aliases")
