"""A bulk import leaves SQLite's link trigger nothing to do.

The importer and the demo store each activity with its sector mask and each organisation link with its
copied facts and sector (migration 0005). The trigger that adds a new link's sector to its activity's
mask still looked the organisation up for every such link; it now runs, like the one that fills a link's
copies, only for a link stored without its sector: one that some other write (undo, an update) adds.
PostgreSQL's triggers are as they were.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"
BITS = {"civil_society": 1, "business": 2, "public": 4, "academia": 8}  # as civsam.reference.SECTOR_BITS
ADDED = ("(SELECT CASE sector " + " ".join(f"WHEN '{sector}' THEN {value}" for sector, value in BITS.items())
         + " END FROM organisations WHERE id = NEW.organisation_id)")


def _link_added(when: str) -> None:
    op.execute("DROP TRIGGER activity_link_added")
    op.execute(f"""CREATE TRIGGER activity_link_added AFTER INSERT ON activity_organisations {when} BEGIN
                       UPDATE activities SET sectors = sectors | {ADDED}
                       WHERE id = NEW.activity_id AND (sectors & {ADDED}) = 0;
                   END""")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _link_added("WHEN NEW.sector IS NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _link_added("")
