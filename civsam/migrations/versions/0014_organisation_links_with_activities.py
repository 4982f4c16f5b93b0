"""An organisation's links indexed with their activities, and by project.

The index of an organisation's links by date gains the activity: what one organisation and its members did (its
profile, what an agreement with it changed, the latest activities naming it) is read from the index alone instead of
looking every link up in the table, some 34 000 a year for the most met partner of a million activities. It gains no
more columns: with the municipality in it, SQLite would read the municipalities' counts from it, more slowly than
from the period index.

A new index of the links by project, organisation and date gives the network's and the profile's counts per project
and organisation in that order: SQLite skips from one pair to the next, reading the period's links of each, instead
of sorting every link of the period (0.05 s instead of 0.3 s for a year of a million activities). It carries the
other columns the filters ask of a link (county, municipality, sector), so that a filtered count reads it alone too.

Revision ID: 0014
"""

from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations",
                    ["organisation_id", "date", "activity_id"])
    op.create_index("ix_activity_organisations_project", "activity_organisations",
                    ["project", "organisation_id", "date", "county", "municipality_code", "sector"])


def downgrade() -> None:
    op.drop_index("ix_activity_organisations_project", "activity_organisations")
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations", ["organisation_id", "date"])
