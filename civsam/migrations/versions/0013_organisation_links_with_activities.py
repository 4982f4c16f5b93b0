"""An organisation's links indexed with their activities.

The index of an organisation's links by date gains the activity: what one organisation and its members did (its
profile, what an agreement with it changed, the latest activities naming it) is read from the index alone instead of
looking every link up in the table, some 34 000 a year for the most met partner of a million activities. It gains no
more columns: with the municipality in it, SQLite would read the municipalities' counts from it, more slowly than
from the period index.

Revision ID: 0013
"""

from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations",
                    ["organisation_id", "date", "activity_id"])


def downgrade() -> None:
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations", ["organisation_id", "date"])
