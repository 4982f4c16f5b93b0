"""The organisation links indexed by municipality and organisation, and an organisation's links with their place,
hours and youth.

The coverage page counts each municipality's distinct partners in a period. From the period index SQLite put every
link of the period through a DISTINCT: 0,14 s for a year of a million activities, 0,43 s for five. From the new
index (municipality, organisation, date) it skips from one pair to the next and reads only whether the pair met in
the period: 0,01 s for any period. It carries the county and the project, the other columns the filters ask of a
link, so that a filtered count reads it alone too.

The index of an organisation's links by date gains the municipality, the hours and youth: an organisation's key
figures (its profile) are read from the index alone instead of looking up its 34 000 links a year in the table
(0,09 → 0,01 s). With the new index beside it, SQLite no longer reads the municipalities' counts from it, which
migration 0014 avoided.

Revision ID: 0016
"""

from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    op.create_index("ix_activity_organisations_place", "activity_organisations",
                    ["municipality_code", "organisation_id", "date", "county", "project"])
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations",
                    ["organisation_id", "date", "activity_id", "municipality_code", "hours", "youth"])


def downgrade() -> None:
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations",
                    ["organisation_id", "date", "activity_id"])
    op.drop_index("ix_activity_organisations_place", "activity_organisations")
