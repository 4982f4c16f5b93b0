"""The first store: municipalities (seeded), organisations, people, activities, resources, import batches.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from civsam.reference import MUNICIPALITIES

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('import', 'demo')", name="batch_kind"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "municipalities",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("county", sa.String(length=20), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.CheckConstraint("county IN ('Västerbotten', 'Norrbotten')", name="municipality_county"),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("municipality_code", sa.String(length=4), nullable=True),
        sa.Column("county", sa.String(length=20), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("cost_sek", sa.Float(), nullable=True),
        sa.Column("project", sa.String(length=200), nullable=True),
        sa.Column("youth", sa.Boolean(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("county IN ('Västerbotten', 'Norrbotten')", name="activity_county"),
        sa.CheckConstraint(
            "hours >= 0 AND (participants IS NULL OR participants >= 0) AND (cost_sek IS NULL OR cost_sek >= 0)",
            name="activity_non_negative",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipalities.code"],
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    op.create_index("ix_activities_batch", "activities", ["batch_id"], unique=False)
    op.create_index("ix_activities_date", "activities", ["date"], unique=False)
    op.create_index("ix_activities_fingerprint", "activities", ["fingerprint"], unique=False)
    op.create_index("ix_activities_municipality_date", "activities", ["municipality_code", "date"], unique=False)
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=True),
        sa.Column("municipality_code", sa.String(length=4), nullable=True),
        sa.Column("org_number", sa.String(length=11), nullable=True),
        sa.Column("created_batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("sector IN ('civil_society', 'business', 'public', 'academia')", name="organisation_sector"),
        sa.ForeignKeyConstraint(["created_batch_id"], ["import_batches.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipalities.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("budget_sek", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sector IN ('civil_society', 'business', 'public', 'academia')", name="resource_sector"),
        sa.CheckConstraint("fte >= 0 AND budget_sek >= 0", name="resource_non_negative"),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "sector", name="uq_resources_year_sector"),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revisions_batch", "revisions", ["batch_id"], unique=False)
    op.create_table(
        "activity_organisations",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("activity_id", "organisation_id"),
    )
    op.create_index(
        "ix_activity_organisations_organisation",
        "activity_organisations",
        ["organisation_id", "activity_id"],
        unique=False,
    )
    op.bulk_insert(
        sa.table("municipalities", sa.column("code"), sa.column("name"), sa.column("county"), sa.column("population")),
        [m._asdict() for m in MUNICIPALITIES],
    )


def downgrade() -> None:
    op.drop_index("ix_activity_organisations_organisation", table_name="activity_organisations")
    op.drop_table("activity_organisations")
    op.drop_index("ix_revisions_batch", table_name="revisions")
    op.drop_table("revisions")
    op.drop_table("resources")
    op.drop_table("organisations")
    op.drop_index("ix_activities_municipality_date", table_name="activities")
    op.drop_index("ix_activities_fingerprint", table_name="activities")
    op.drop_index("ix_activities_date", table_name="activities")
    op.drop_index("ix_activities_batch", table_name="activities")
    op.drop_table("activities")
    op.drop_table("people")
    op.drop_table("municipalities")
    op.drop_table("import_batches")
