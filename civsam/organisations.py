"""The partner register's write operations: merging two spellings of one organisation.

The removed spelling is kept as an alias, so the next upload of a log that
still uses it lands on the organisation that was kept instead of creating
it again. Its activities, agreements and memberships (as member and as umbrella) move to the kept one.
"""

from sqlalchemy import Engine, delete, insert, select, text, update

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.links import membership_cycle, stored_umbrellas
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
        _move_memberships(connection, keep, remove)
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


def _move_memberships(connection, keep, remove) -> None:
    """The removed organisation's umbrellas and members become the kept one's (a membership of the kept one in
    itself dropped). Refused when the two together would be members of each other, through others or not."""
    params = {"keep": keep.id, "remove": remove.id}
    for own, other in (("member_id", "umbrella_id"), ("umbrella_id", "member_id")):
        connection.execute(text(f"""
            INSERT INTO organisation_memberships ({own}, {other})
            SELECT :keep, {other} FROM organisation_memberships
            WHERE {own} = :remove AND {other} <> :keep
              AND {other} NOT IN (SELECT {other} FROM organisation_memberships WHERE {own} = :keep)
        """), params)
    connection.execute(text("DELETE FROM organisation_memberships WHERE member_id = :remove OR umbrella_id = :remove"),
                       params)
    if membership_cycle(stored_umbrellas(connection), keep.id):
        raise MergeError(f"{remove.name} och {keep.name} är medlemmar i varandra, direkt eller genom andra "
                         "organisationer. Rätta Medlem i på bladet Organisationer först.")


def _repoint_revisions(connection, keep_id: int, remove_id: int) -> None:
    """Kept earlier values that name the removed organisation now name the kept one, so undo still works."""
    revisions = connection.execute(select(Revision.id, Revision.previous)
                                   .where(Revision.table_name.in_(("activities", "agreements", "organisations")))).all()
    for revision_id, previous in revisions:
        for key in ("organisation_ids", "umbrella_ids"):
            ids = previous.get(key, [])
            if remove_id in ids:
                previous = {**previous, key: sorted({keep_id if oid == remove_id else oid for oid in ids})}
                connection.execute(update(Revision).where(Revision.id == revision_id).values(previous=previous))
