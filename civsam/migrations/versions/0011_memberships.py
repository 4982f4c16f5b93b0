"""Umbrella organisations and their members: which organisation belongs to which (the Organisationer sheet's
column Medlem i). An organisation may belong to several umbrellas; never to itself.

Revision ID: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "organisation_memberships",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("umbrella_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("member_id <> umbrella_id", name="membership_not_self"),
        sa.ForeignKeyConstraint(["member_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["umbrella_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("member_id", "umbrella_id"),
    )
    op.create_index("ix_organisation_memberships_umbrella", "organisation_memberships", ["umbrella_id"])


def downgrade() -> None:
    op.drop_index("ix_organisation_memberships_umbrella", table_name="organisation_memberships")
    op.drop_table("organisation_memberships")
