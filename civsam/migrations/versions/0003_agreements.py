"""Agreements and their commitments: declarations of intent, IOP, överenskommelser; activities may name one.

The new column of activities is added with plain ALTER TABLE … ADD COLUMN … REFERENCES, which SQLite and
PostgreSQL both take in place. Alembic's batch mode would copy the table on SQLite, and dropping the old
copy with foreign keys on deletes every activity's organisation links (ON DELETE CASCADE).

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("signed", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("registration_number", sa.String(length=50), nullable=True),
        sa.Column("responsible_id", sa.Integer(), nullable=True),
        sa.Column("created_batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('avsiktsförklaring', 'IOP', 'överenskommelse', 'avtal')", name="agreement_kind"),
        sa.CheckConstraint("valid_until IS NULL OR valid_until >= signed", name="agreement_validity"),
        sa.ForeignKeyConstraint(["created_batch_id"], ["import_batches.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["responsible_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "agreement_organisations",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("agreement_id", "organisation_id"),
    )
    op.create_index("ix_agreement_organisations_organisation", "agreement_organisations", ["organisation_id"],
                    unique=False)
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("text_key", sa.String(length=500), nullable=False),
        sa.Column("whose", sa.String(length=10), nullable=False),
        sa.Column("cadence", sa.String(length=12), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("whose IN ('region', 'partner', 'both')", name="commitment_whose"),
        sa.CheckConstraint("cadence IN ('once', 'yearly', 'half-yearly', 'quarterly')", name="commitment_cadence"),
        sa.CheckConstraint("status IN ('ej påbörjat', 'pågår', 'klart', 'försenat')", name="commitment_status"),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"]),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "text_key", name="uq_commitments_agreement_text"),
    )
    op.create_index("ix_commitments_batch", "commitments", ["batch_id"], unique=False)
    op.execute("ALTER TABLE activities ADD COLUMN agreement_id INTEGER REFERENCES agreements (id)")
    op.create_index("ix_activities_agreement_date", "activities", ["agreement_id", "date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_activities_agreement_date", table_name="activities")
    op.execute("ALTER TABLE activities DROP COLUMN agreement_id")
    op.drop_index("ix_commitments_batch", table_name="commitments")
    op.drop_table("commitments")
    op.drop_index("ix_agreement_organisations_organisation", table_name="agreement_organisations")
    op.drop_table("agreement_organisations")
    op.drop_table("agreements")
