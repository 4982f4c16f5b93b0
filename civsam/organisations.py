"""The partner register's write operations: merging two spellings of one organisation.

The removed spelling is kept as an alias, so the next upload of a log that
still uses it lands on the organisation that was kept instead of creating
it again. Its activities and agreements move to the kept one.
"""

from sqlalchemy import Engine, delete, insert, select, text, update

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.models import Organisation, OrganisationAlias, Revision
from civsam.reference import SECTOR_LABELS

# the tables that link a row to its organisations: (table, the row's column); our own names, never typed
LINK_TABLES = (("activity_organisations", "activity_id"), ("agreement_organisations", "agreement_id"))


class MergeError(Exception):
    """The merge cannot be done; str(error) says why in Swedish."""


def merge_organisations(engine: Engine, keep_id: int, remove_id: int, user: str | None = None) -> int:
    """Move every activity and agreement of `remove_id` to `keep_id` and remove it. Returns how many activities
    moved."""
    if keep_id == remove_id:
        raise MergeError("Välj två olika organisationer.")
    with write_transaction(engine) as connection:
        keep, remove = (connection.execute(select(Organisation).where(Organisation.id == oid)).one_or_none()
                        for oid in (keep_id, remove_id))
        if keep is None or remove is None:
            raise MergeError("Organisationen finns inte längre. Ladda om sidan och försök igen.")
        if keep.sector != remove.sector:  # two spellings of one organisation share its sector
            raise MergeError(f"{remove.name} ({SECTOR_LABELS[remove.sector]}) och {keep.name} "
                             f"({SECTOR_LABELS[keep.sector]}) har olika sektor. Slå bara ihop stavningar av samma "
                             "organisation; rätta sektorn på bladet Organisationer först om den är fel.")
        params = {"keep": keep_id, "remove": remove_id}
        moved = connection.execute(text("""
            SELECT COUNT(*) FROM activity_organisations WHERE organisation_id = :remove
        """), params).scalar_one()
        for table, row_column in LINK_TABLES:
            connection.execute(text(f"""
                INSERT INTO {table} ({row_column}, organisation_id)
                SELECT {row_column}, :keep FROM {table}
                WHERE organisation_id = :remove
                  AND {row_column} NOT IN (SELECT {row_column} FROM {table} WHERE organisation_id = :keep)
            """), params)
            connection.execute(text(f"DELETE FROM {table} WHERE organisation_id = :remove"), params)
        _repoint_revisions(connection, keep_id, remove_id)
        missing = {field: getattr(remove, field) for field in ("type", "municipality_code", "org_number")
                   if getattr(keep, field) is None and getattr(remove, field) is not None}
        if missing:
            connection.execute(update(Organisation).where(Organisation.id == keep_id).values(**missing))
        connection.execute(update(OrganisationAlias).where(OrganisationAlias.organisation_id == remove_id)
                           .values(organisation_id=keep_id))
        connection.execute(delete(Organisation).where(Organisation.id == remove_id))
        connection.execute(insert(OrganisationAlias).values(name_key=remove.name_key, organisation_id=keep_id))
        record(connection, "merge", user or login_name(), f"{remove.name} → {keep.name}", rows=moved)
    return moved


def _repoint_revisions(connection, keep_id: int, remove_id: int) -> None:
    """Kept earlier values that name the removed organisation now name the kept one, so undo still works."""
    revisions = connection.execute(select(Revision.id, Revision.previous)
                                   .where(Revision.table_name.in_(("activities", "agreements")))).all()
    for revision_id, previous in revisions:
        ids = previous.get("organisation_ids", [])
        if remove_id in ids:
            repointed = sorted({keep_id if oid == remove_id else oid for oid in ids})
            connection.execute(update(Revision).where(Revision.id == revision_id)
                               .values(previous={**previous, "organisation_ids": repointed}))
