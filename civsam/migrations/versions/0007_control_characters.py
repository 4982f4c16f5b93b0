"""Control characters out of what is stored: the import now takes them out of every cell (civsam.typed_text).

Every typed text column of every table is cleaned in place: names, types, titles, projects, comments, IDs,
diarienummer, commitments, file names and users, and the earlier values kept for undo. A name key or a
commitment's text key is worked out again from its cleaned text, as the importer makes it, and an activity's
fingerprint from its cleaned content, so that the same row imported again is still recognised. Nothing is
written where nothing needs cleaning.

Two rows whose unique key would become equal (an organisation "Rädda\\x1bBarnen" beside "RäddaBarnen") are both
kept: the row that already has the clean text keeps it, and the other shows each control character as its
escape ("Rädda\\u001bBarnen"), as the command line prints it; a coordinator can then merge the two. The audit log
stays as it was written: the database refuses to change it (migration 0004), and the command line and the
pages print it escaped. The rules are frozen here as they were when this migration was written.

Revision ID: 0007
"""

import hashlib
import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# typed free text, cleaned as it is
FREE_TEXT = {"import_batches": ("file_name", "user"), "organisations": ("type", "org_number"),
             "activities": ("type", "title", "project", "comment"), "agreements": ("registration_number",),
             "commitments": ("comment",), "resources": ("comment",)}
# (table, the named text, its key column, the columns the key is unique within): a name's spaces are collapsed
# again, as the importer collapses them, and its key worked out from the cleaned name
NAMED = (("organisations", "name", "name_key", ()), ("people", "name", "name_key", ()),
         ("agreements", "name", "name_key", ()), ("commitments", "text", "text_key", ("agreement_id",)))
# an activity's fingerprint: json.dumps of these with its organisations' and responsible's keys (civsam.fingerprint)
CONTENT = ("date", "type", "title", "municipality_code", "county", "hours", "participants", "cost_sek", "project",
           "youth", "comment")
CHUNK = 10_000  # ids per IN (...): well inside SQLite's and PostgreSQL's limits on bound parameters

activities = sa.table("activities", sa.column("id", sa.Integer), sa.column("date", sa.Date),
                      *(sa.column(name, sa.String) for name in ("type", "title", "municipality_code", "county",
                                                                "project", "comment", "external_id")),
                      sa.column("hours", sa.Float), sa.column("participants", sa.Integer),
                      sa.column("cost_sek", sa.Float), sa.column("youth", sa.Boolean),
                      sa.column("responsible_id", sa.Integer), sa.column("fingerprint", sa.String))
revisions = sa.table("revisions", sa.column("id", sa.Integer), sa.column("previous", sa.JSON))


def clean(text: str) -> str:
    return CONTROL.sub("", text)


def shown(text: str) -> str:
    """Each control character as its escape: a text that stays apart from the one its cleaning would equal."""
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def dirty(value) -> bool:
    return isinstance(value, str) and CONTROL.search(value) is not None


def upgrade() -> None:
    connection = op.get_bind()
    cleaned = {table: _clean_free_text(connection, table, columns) for table, columns in FREE_TEXT.items()}
    changed_keys = {table: _clean_names(connection, table, name, key, within) for table, name, key, within in NAMED}
    _clean_aliases(connection)
    _clean_external_ids(connection)
    _clean_revisions(connection)
    _fingerprint_again(connection, cleaned["activities"], changed_keys["organisations"], changed_keys["people"])


def _rows_with_control_characters(connection, table: str, columns: tuple[str, ...], more: tuple[str, ...] = ()):
    """The rows of `table` with a control character in one of `columns` (read in full: SQLite has no regex)."""
    selected = ", ".join(f'"{column}"' for column in ("id", *columns, *more))
    return [row for row in connection.exec_driver_sql(f"SELECT {selected} FROM {table} ORDER BY id")
            if any(dirty(getattr(row, column)) for column in columns)]


def _clean_free_text(connection, table: str, columns: tuple[str, ...]) -> set[int]:
    """Clean `columns` of `table`; the ids of the rows cleaned."""
    t = sa.table(table, sa.column("id"), *map(sa.column, columns))
    rows = _rows_with_control_characters(connection, table, columns)
    for row in rows:
        values = {column: clean(getattr(row, column)) for column in columns if dirty(getattr(row, column))}
        connection.execute(t.update().where(t.c.id == row.id).values(values))
    return {row.id for row in rows}


def _clean_names(connection, table: str, name: str, key: str, within: tuple[str, ...]) -> set[int]:
    """Clean the named rows of `table` and their keys, keeping each key unique `within` its columns; the ids of
    the rows whose key changed."""
    t = sa.table(table, sa.column("id"), sa.column(name), sa.column(key))
    rows = _rows_with_control_characters(connection, table, (name, key), within)
    if not rows:
        return set()
    def identity(row) -> tuple:
        return (*(getattr(row, column) for column in within), getattr(row, key))
    every = connection.execute(sa.text(f"SELECT {', '.join((*within, key))} FROM {table}"))
    taken = set(map(identity, every)) - set(map(identity, rows))  # a dirty row's key is its own to give up
    changed = set()
    for row in rows:
        scope = tuple(getattr(row, column) for column in within)
        new_name = " ".join(clean(getattr(row, name)).split())
        if not new_name or (*scope, name_key(new_name)) in taken:
            new_name = " ".join(shown(getattr(row, name)).split())
        taken.add((*scope, name_key(new_name)))
        if name_key(new_name) != getattr(row, key):
            changed.add(row.id)
        connection.execute(t.update().where(t.c.id == row.id).values({name: new_name, key: name_key(new_name)}))
    return changed


def _clean_aliases(connection) -> None:
    """An alias is its key alone: cleaned, unless another alias has that key already."""
    keys = [key for (key,) in connection.exec_driver_sql("SELECT name_key FROM organisation_aliases")]
    aliases = sa.table("organisation_aliases", sa.column("name_key"))
    for key, new_key in _unique_cleaning(keys, lambda key: name_key(clean(key))).items():
        connection.execute(aliases.update().where(aliases.c.name_key == key).values(name_key=new_key))


def _clean_external_ids(connection) -> None:
    ids = list(connection.execute(sa.select(activities.c.external_id).where(activities.c.external_id.is_not(None)))
               .scalars())
    for old_id, new_id in _unique_cleaning(ids, lambda typed: clean(typed).strip()).items():
        connection.execute(activities.update().where(activities.c.external_id == old_id).values(external_id=new_id))


def _unique_cleaning(values: list[str], cleaning) -> dict[str, str]:
    """Each dirty value of a unique column and what it becomes: cleaned, or shown where that is taken or empty."""
    taken = {value for value in values if not dirty(value)}
    new = {}
    for value in filter(dirty, values):
        new[value] = cleaning(value) if cleaning(value) and cleaning(value) not in taken else shown(value)
        taken.add(new[value])
    return new


def _clean_revisions(connection) -> None:
    """The earlier values an undo gives back, cleaned as the rows are."""
    def cleaned(value):
        if isinstance(value, dict):
            return {key: cleaned(item) for key, item in value.items()}
        if isinstance(value, list):
            return [cleaned(item) for item in value]
        return clean(value) if isinstance(value, str) else value

    for row_id, previous in connection.execute(sa.select(revisions.c.id, revisions.c.previous)):
        if previous != (new := cleaned(previous)):
            connection.execute(revisions.update().where(revisions.c.id == row_id).values(previous=new))


def _fingerprint_again(connection, cleaned: set[int], organisations: set[int], people: set[int]) -> None:
    """The fingerprint of each activity whose content, or whose organisation's or responsible's key, was cleaned."""
    links = sa.table("activity_organisations", sa.column("activity_id"), sa.column("organisation_id"))
    chosen = sorted(cleaned.union(
        connection.execute(sa.select(links.c.activity_id).where(links.c.organisation_id.in_(organisations))).scalars(),
        connection.execute(sa.select(activities.c.id).where(activities.c.responsible_id.in_(people))).scalars()))
    for start in range(0, len(chosen), CHUNK):
        for activity in connection.execute(sa.select(activities).where(activities.c.id.in_(
                chosen[start:start + CHUNK]))).all():
            content = {name: getattr(activity, name) for name in CONTENT}
            content["date"] = content["date"].isoformat()
            content["organisations"] = sorted(connection.execute(sa.text(
                "SELECT o.name_key FROM organisations o JOIN activity_organisations l ON l.organisation_id = o.id "
                "WHERE l.activity_id = :id"), {"id": activity.id}).scalars())
            content["responsible"] = activity.responsible_id and connection.execute(
                sa.text("SELECT name_key FROM people WHERE id = :id"), {"id": activity.responsible_id}).scalar_one()
            fingerprint = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
            if fingerprint != activity.fingerprint:
                connection.execute(activities.update().where(activities.c.id == activity.id)
                                   .values(fingerprint=fingerprint))


def downgrade() -> None:
    """Nothing to give back: a control character taken out is not wanted again."""
