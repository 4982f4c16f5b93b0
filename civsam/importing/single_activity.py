"""One activity added, edited or deleted without a workbook: the form "Ny aktivitet" and `python -m civsam activity
add|edit|delete` call these.

Each is one write transaction and one batch in the import history (kind add, edit or delete), recorded in the
audit log and undone like an import (civsam.batches.undo_batch). The values go through the import itself: they
become a one-row Aktiviteter sheet with the template's headers, read by the same parsers and checks, so that a
form gets the rules and the Swedish messages a workbook gets ("Menar du Skellefteå?"). Nothing is stored when
anything is refused.
"""

import datetime as dt
import hashlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
from sqlalchemy import Connection, Engine, insert, select, update

from civsam.audit import login_name, record
from civsam.batches import delete_kept
from civsam.db import write_transaction
from civsam.import_report import ImportReport
from civsam.importing.activities import insert_activities, update_activity
from civsam.importing.activity_checks import Activities, parse_activities
from civsam.importing.run import ImportRun
from civsam.keys import CODE_TYPE
from civsam.models import Activity, Agreement, ImportBatch, Organisation, Person, activity_organisations, longest
from civsam.reference import swedish_order
from civsam.typed_text import without_control_characters
from civsam.workbook import ACTIVITIES, Grid, Sheet

# what a caller gives, by the key of its Aktiviteter column: date, type, title, organisations (names, as a list or
# as a cell would have them), sector (for an organisation not yet stored), municipality or county, hours,
# participants, cost, project, youth, responsible, comment, agreement; each as a cell of that column may hold it
FIELDS = tuple(column.key for column in ACTIVITIES.columns if column.key != "external_id")
LOCATION = ("municipality", "county")  # an activity is in a municipality or, county-wide, in a county
WHAT = {"add": "Ny aktivitet", "edit": "Ändrad aktivitet", "delete": "Borttagen aktivitet"}  # the batch's name


class _Batch(NamedTuple):
    connection: Connection
    id: int
    user: str


class Saved(NamedTuple):
    """The activity, and the batch that undoes what was done to it."""

    id: int
    batch: int


class ActivityRefused(Exception):
    """Nothing was stored: `problems` holds each refused value as (column, message), in the import's own words."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("\n".join(f"{column}: {message}" for column, message in problems))
        self.problems = problems


class UnknownActivity(LookupError):
    """There is no activity with that id; str(error) says so in Swedish."""


def add_activity(engine: Engine, values: dict, user: str | None = None) -> Saved:
    """Store a new activity from `values` (FIELDS). Raises ActivityRefused, with every problem, when anything is
    refused, and when the same activity is stored already."""
    with _batch(engine, "add", user) as batch:
        run = _run(batch)
        activity = _parsed(run, values)
        twin = batch.connection.execute(select(Activity.id).where(
            Activity.fingerprint == activity.columns["fingerprint"][0]).limit(1)).scalar()
        if twin is not None:
            raise ActivityRefused([("", f"Samma aktivitet finns redan, som nummer {twin}. Ändra den i stället, eller "
                                        "skriv det som skiljer dem åt, t.ex. en rubrik.")])
        [activity_id] = insert_activities(run, activity)
        return _done(batch, "add", activity_id, activity.row(0))


def edit_activity(engine: Engine, activity_id: int, values: dict, user: str | None = None) -> Saved:
    """Give stored activity `activity_id` the fields in `values`; the others keep their stored values (a given
    municipality or county replaces both). Its earlier values are kept for undo. Raises UnknownActivity, or
    ActivityRefused when anything is refused or nothing would change."""
    with _batch(engine, "edit", user) as batch:
        run = _run(batch)
        stored = stored_values(batch.connection, activity_id)
        if any(key in values for key in LOCATION):
            stored = {key: value for key, value in stored.items() if key not in LOCATION}
        activity = _parsed(run, {**stored, **values})
        row = activity.row(0)
        unchanged = batch.connection.execute(select(Activity.id).where(
            Activity.id == activity_id, Activity.fingerprint == row["fingerprint"],
            Activity.agreement_id.is_(None) if row["agreement_id"] is None
            else Activity.agreement_id == row["agreement_id"])).first()
        if unchanged:
            raise ActivityRefused([("", "Inga ändringar: aktiviteten har redan de här uppgifterna.")])
        update_activity(run, activity_id, row, blank_keeps_agreement=False)
        return _done(batch, "edit", activity_id, row)


def delete_activity(engine: Engine, activity_id: int, user: str | None = None) -> Saved:
    """Delete stored activity `activity_id`; undoing the batch brings it back whole, with its partners. Raises
    UnknownActivity."""
    with _batch(engine, "delete", user) as batch:
        stored = stored_values(batch.connection, activity_id)
        delete_kept(batch.connection, batch.id, activity_id)
        return _done(batch, "delete", activity_id,
                     {"date": stored["date"], "organisation_names": stored["organisations"]})


def stored_values(connection: Connection, activity_id: int) -> dict:
    """A stored activity's values as `add_activity` takes them (FIELDS, organisations as a list of names), and
    its external ID. Raises UnknownActivity."""
    stored = connection.execute(
        select(Activity.__table__, Person.name.label("responsible"), Agreement.name.label("agreement"))
        .outerjoin(Person, Person.id == Activity.responsible_id)
        .outerjoin(Agreement, Agreement.id == Activity.agreement_id).where(Activity.id == activity_id)).first()
    if stored is None:
        raise UnknownActivity(f"Det finns ingen aktivitet med nummer {activity_id}. Den kan vara borttagen; "
                              "sök fram den i aktivitetslistan.")
    organisations = connection.execute(
        select(Organisation.name).join(activity_organisations, activity_organisations.c.organisation_id
                                       == Organisation.id)
        .where(activity_organisations.c.activity_id == activity_id)).scalars()
    return {"date": stored.date, "type": stored.type, "title": stored.title,
            "organisations": sorted(organisations, key=swedish_order),
            "sector": None, "municipality": stored.municipality_code,
            "county": None if stored.municipality_code else stored.county, "hours": stored.hours,
            "participants": stored.participants, "cost": stored.cost_sek, "project": stored.project,
            "youth": stored.youth, "responsible": stored.responsible, "comment": stored.comment,
            "agreement": stored.agreement, "external_id": stored.external_id}


def names_to_offer(engine: Engine) -> dict[str, list[str]]:
    """What a form suggests: the register's organisations and the agreements, by name in Swedish order."""
    with engine.connect() as connection:
        return {name: sorted(connection.execute(select(model.name)).scalars(), key=swedish_order)
                for name, model in (("organisations", Organisation), ("agreements", Agreement))}


@contextmanager
def _batch(engine: Engine, kind: str, user: str | None) -> Iterator[_Batch]:
    """A write transaction and its new batch of `kind`; an exception takes both back."""
    user = without_control_characters(user or login_name())
    with write_transaction(engine) as connection:
        batch_id = connection.execute(insert(ImportBatch).values(
            kind=kind, file_name=WHAT[kind], sha256=hashlib.sha256(kind.encode()).hexdigest(),
            imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), user=user).returning(ImportBatch.id)).scalar_one()
        yield _Batch(connection, batch_id, user)


def _run(batch: _Batch) -> ImportRun:
    return ImportRun(batch.connection, batch.id, ImportReport(ACTIVITIES.name))


def _parsed(run: ImportRun, values: dict) -> Activities:
    """The activity `values` describe, read as the import reads an Aktiviteter row. Raises ActivityRefused."""
    unknown = set(values) - {*FIELDS, "external_id"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    activity = parse_activities(run, one_row_sheet(values))
    if run.report.rejected:
        raise ActivityRefused([(rejection.column, rejection.message) for rejection in run.report.rejected])
    return activity


def one_row_sheet(values: dict) -> Sheet:
    """An Aktiviteter sheet in memory with the template's headers and one row: each value as its column's cell, a
    list of names as one cell with the names separated by semicolons."""
    columns = []
    for column in ACTIVITIES.columns:
        value = values.get(column.key)
        cell = "; ".join(value) if isinstance(value, list | tuple) else value
        columns.append(([column.header, cell], array(CODE_TYPE, [0, 1])))
    return Sheet(ACTIVITIES, ACTIVITIES.name, {column.key: index for index, column in enumerate(ACTIVITIES.columns)},
                 {column.key: column.header for column in ACTIVITIES.columns}, [], Grid(columns), np.array([1]))


def _done(batch: _Batch, kind: str, activity_id: int, activity: dict) -> Saved:
    """Name the batch after what it did to which activity, and record it in the audit log."""
    name = f"{WHAT[kind]} {activity_id}: {activity['date'].isoformat()}, {', '.join(activity['organisation_names'])}"
    if len(name) > longest(ImportBatch.file_name):
        name = name[:longest(ImportBatch.file_name) - 1] + "…"
    counts = {"add": {"imported": 1}}.get(kind, {"updated": 1})
    batch.connection.execute(update(ImportBatch).where(ImportBatch.id == batch.id).values(
        file_name=name, rows_read=1, **counts))
    record(batch.connection, kind, batch.user, name, batch_id=batch.id, rows=1)
    return Saved(activity_id, batch.id)
