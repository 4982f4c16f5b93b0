"""Pages that stay fast at a million activities.

Each organisation link carries a copy of its activity's date, place, project, hours and youth mark
and of its organisation's sector, so the per-organisation counts read one covering index instead of
joining three tables row by row. Each activity carries its organisations' sectors as a bit mask
(civil society 1, business 2, public 4, academia 8), so counts by sector read one row per activity
without a DISTINCT. The database keeps the copies right: triggers fill a link stored without them (on
PostgreSQL every link), add a new link's sector to its activity's mask, and follow every change of a
link, an activity or a sector. The importer and the demo store their links and masks with the copies
already made, so that SQLite's triggers have nothing to do on a bulk import. Activities get one covering index for the
period filter (replacing the date and municipality-date indexes) and one for the project list; an
organisation's links are indexed with their dates.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
ACTIVITY_FACTS = ("date", "county", "municipality_code", "project", "hours", "youth")
FILL = f"""({", ".join(ACTIVITY_FACTS)}) = (SELECT {", ".join(ACTIVITY_FACTS)} FROM activities
                                         WHERE activities.id = activity_organisations.activity_id),
           sector = (SELECT sector FROM organisations
                     WHERE organisations.id = activity_organisations.organisation_id)"""
FOLLOW = ", ".join(f"{fact} = NEW.{fact}" for fact in ACTIVITY_FACTS)
THE_LINK = "activity_id = NEW.activity_id AND organisation_id = NEW.organisation_id"
BITS = {"civil_society": 1, "business": 2, "public": 4, "academia": 8}  # as civsam.reference.SECTOR_BITS


def bit(column: str) -> str:
    return f"CASE {column} " + " ".join(f"WHEN '{sector}' THEN {value}" for sector, value in BITS.items()) + " END"


def sectors_of(activity_id: str) -> str:
    """The sector mask of an activity, from its organisations (the bits are distinct, so their sum is their OR)."""
    return f"""(SELECT COALESCE(SUM(DISTINCT {bit("o.sector")}), 0) FROM activity_organisations l
               JOIN organisations o ON o.id = l.organisation_id WHERE l.activity_id = {activity_id})"""


def upgrade() -> None:
    for column in (sa.Column("date", sa.Date()), sa.Column("county", sa.String(20)),
                   sa.Column("municipality_code", sa.String(4)), sa.Column("project", sa.String(200)),
                   sa.Column("hours", sa.Float()), sa.Column("youth", sa.Boolean()),
                   sa.Column("sector", sa.String(20))):
        op.add_column("activity_organisations", column)
    op.execute(f"UPDATE activity_organisations SET {FILL}")
    op.add_column("activities", sa.Column("sectors", sa.Integer(), nullable=False, server_default="0"))
    op.execute(f"UPDATE activities SET sectors = {sectors_of('activities.id')}")
    op.drop_index("ix_activities_date", "activities")
    op.drop_index("ix_activities_municipality_date", "activities")
    op.create_index("ix_activities_period", "activities",
                    ["date", "county", "municipality_code", "project", "type", "youth", "sectors", "hours"])
    op.create_index("ix_activities_project", "activities", ["project"])
    # each organisation's first and last contact, read from the index
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations", ["organisation_id", "date"])
    op.create_index("ix_activity_organisations_period", "activity_organisations",
                    ["date", "sector", "county", "municipality_code", "project", "organisation_id", "activity_id",
                     "hours", "youth"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    # The importer and the demo store links with their copies and activities with their sector masks; any
    # other write (undo, merge, an update) gets them here.
    op.execute(f"""CREATE TRIGGER activity_link_facts AFTER INSERT ON activity_organisations WHEN NEW.sector IS NULL
                   BEGIN UPDATE activity_organisations SET {FILL} WHERE {THE_LINK}; END""")
    # a new link can only add its organisation's sector; the importer's activities already have it
    added = f"(SELECT {bit('sector')} FROM organisations WHERE id = NEW.organisation_id)"
    op.execute(f"""CREATE TRIGGER activity_link_added AFTER INSERT ON activity_organisations BEGIN
                       UPDATE activities SET sectors = sectors | {added}
                       WHERE id = NEW.activity_id AND (sectors & {added}) = 0;
                   END""")
    op.execute(f"""CREATE TRIGGER activity_link_removed AFTER DELETE ON activity_organisations BEGIN
                       UPDATE activities SET sectors = {sectors_of("OLD.activity_id")} WHERE id = OLD.activity_id;
                   END""")
    op.execute(f"""CREATE TRIGGER activity_link_moved AFTER UPDATE OF activity_id, organisation_id
                   ON activity_organisations BEGIN
                       UPDATE activity_organisations SET {FILL} WHERE {THE_LINK};
                       UPDATE activities SET sectors = {sectors_of("activities.id")}
                       WHERE id IN (OLD.activity_id, NEW.activity_id);
                   END""")
    op.execute(f"""CREATE TRIGGER activity_facts_follow AFTER UPDATE OF {", ".join(ACTIVITY_FACTS)} ON activities
                   BEGIN UPDATE activity_organisations SET {FOLLOW} WHERE activity_id = NEW.id; END""")
    op.execute(f"""CREATE TRIGGER organisation_sector_follows AFTER UPDATE OF sector ON organisations BEGIN
                       UPDATE activity_organisations SET sector = NEW.sector WHERE organisation_id = NEW.id;
                       UPDATE activities SET sectors = {sectors_of("activities.id")}
                       WHERE id IN (SELECT activity_id FROM activity_organisations WHERE organisation_id = NEW.id);
                   END""")


def _postgresql_triggers() -> None:
    op.execute(f"""CREATE FUNCTION activity_link_facts() RETURNS trigger AS $$ BEGIN
                       SELECT {", ".join(ACTIVITY_FACTS)} INTO {", ".join(f"NEW.{fact}" for fact in ACTIVITY_FACTS)}
                       FROM activities WHERE id = NEW.activity_id;
                       SELECT sector INTO NEW.sector FROM organisations WHERE id = NEW.organisation_id;
                       RETURN NEW;
                   END $$ LANGUAGE plpgsql""")
    op.execute("""CREATE TRIGGER activity_link_facts BEFORE INSERT OR UPDATE OF activity_id, organisation_id
                  ON activity_organisations FOR EACH ROW EXECUTE FUNCTION activity_link_facts()""")
    op.execute(f"""CREATE FUNCTION activity_sectors() RETURNS trigger AS $$
                   DECLARE added integer;
                   BEGIN
                       IF TG_OP = 'INSERT' THEN
                           SELECT {bit('sector')} INTO added FROM organisations WHERE id = NEW.organisation_id;
                           UPDATE activities SET sectors = sectors | added
                           WHERE id = NEW.activity_id AND (sectors & added) = 0;
                           RETURN NULL;
                       END IF;
                       UPDATE activities SET sectors = {sectors_of("OLD.activity_id")} WHERE id = OLD.activity_id;
                       IF TG_OP = 'UPDATE' THEN
                           UPDATE activities SET sectors = {sectors_of("NEW.activity_id")} WHERE id = NEW.activity_id;
                       END IF;
                       RETURN NULL;
                   END $$ LANGUAGE plpgsql""")
    op.execute("""CREATE TRIGGER activity_sectors AFTER INSERT OR DELETE OR UPDATE OF activity_id, organisation_id
                  ON activity_organisations FOR EACH ROW EXECUTE FUNCTION activity_sectors()""")
    op.execute(f"""CREATE FUNCTION activity_facts_follow() RETURNS trigger AS $$ BEGIN
                       UPDATE activity_organisations SET {FOLLOW} WHERE activity_id = NEW.id;
                       RETURN NULL;
                   END $$ LANGUAGE plpgsql""")
    op.execute(f"""CREATE TRIGGER activity_facts_follow AFTER UPDATE OF {", ".join(ACTIVITY_FACTS)} ON activities
                   FOR EACH ROW EXECUTE FUNCTION activity_facts_follow()""")
    op.execute(f"""CREATE FUNCTION organisation_sector_follows() RETURNS trigger AS $$ BEGIN
                       UPDATE activity_organisations SET sector = NEW.sector WHERE organisation_id = NEW.id;
                       UPDATE activities SET sectors = {sectors_of("activities.id")}
                       WHERE id IN (SELECT activity_id FROM activity_organisations WHERE organisation_id = NEW.id);
                       RETURN NULL;
                   END $$ LANGUAGE plpgsql""")
    op.execute("""CREATE TRIGGER organisation_sector_follows AFTER UPDATE OF sector ON organisations
                  FOR EACH ROW EXECUTE FUNCTION organisation_sector_follows()""")


# the triggers upgrade() makes; all but two are on activity_organisations
TRIGGERS = {
    "sqlite": ("activity_link_facts", "activity_link_added", "activity_link_removed", "activity_link_moved",
               "activity_facts_follow", "organisation_sector_follows"),
    "postgresql": ("activity_link_facts", "activity_sectors", "activity_facts_follow", "organisation_sector_follows"),
}
TRIGGER_TABLES = {"activity_facts_follow": "activities", "organisation_sector_follows": "organisations"}


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for trigger in TRIGGERS[dialect]:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER {trigger} ON {TRIGGER_TABLES.get(trigger, 'activity_organisations')}")
            op.execute(f"DROP FUNCTION {trigger}()")
        else:
            op.execute(f"DROP TRIGGER {trigger}")
    op.drop_index("ix_activity_organisations_period", "activity_organisations")
    op.drop_index("ix_activity_organisations_organisation", "activity_organisations")
    op.create_index("ix_activity_organisations_organisation", "activity_organisations",
                    ["organisation_id", "activity_id"])
    op.drop_index("ix_activities_project", "activities")
    op.drop_index("ix_activities_period", "activities")
    op.create_index("ix_activities_municipality_date", "activities", ["municipality_code", "date"])
    op.create_index("ix_activities_date", "activities", ["date"])
    op.drop_column("activities", "sectors")
    for column in ("sector", "youth", "hours", "project", "municipality_code", "county", "date"):
        op.drop_column("activity_organisations", column)
