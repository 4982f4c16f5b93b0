"""Import batches: listing them, and undoing one.

Undoing a batch removes what it added, gives what it updated its earlier
values back (from the revisions the import kept) and inserts again, whole, what
it deleted (`delete_kept`), in one write transaction.
A row that a later import has written since keeps that import's values. An
organisation or agreement the batch created goes only when nothing uses it
or its earlier values. The batch stays in the list, marked as undone.
"""

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Date, Engine, delete, exists, func, insert, or_, select, update

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.formatting import format_date
from civsam.links import set_activity_organisations, set_agreement_organisations, set_umbrellas
from civsam.models import (
    Activity,
    Agreement,
    Commitment,
    ImportBatch,
    Organisation,
    Person,
    Resource,
    Revision,
    SurveyAnswer,
    SurveyResponse,
    activity_organisations,
    agreement_organisations,
    organisation_memberships,
)

RESTORABLE = {"activities": Activity, "resources": Resource, "organisations": Organisation, "agreements": Agreement,
              "commitments": Commitment}
# how a row's earlier links to organisations are given back, by the key its revision keeps them under: an
# activity's or agreement's partners, an organisation's umbrella organisations
SET_ORGANISATIONS = {"organisation_ids": {"activities": set_activity_organisations,
                                          "agreements": set_agreement_organisations},
                     "umbrella_ids": {"organisations": set_umbrellas}}


class UndoError(Exception):
    """The batch cannot be undone; str(error) says why in Swedish."""


def list_batches(engine: Engine) -> pd.DataFrame:
    """Every import, newest first."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc())
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def undo_batch(engine: Engine, batch_id: int, user: str | None = None) -> None:
    """Take batch `batch_id` back. Raises UndoError when there is no such batch or it is already undone."""
    with write_transaction(engine) as connection:
        batch = connection.execute(select(ImportBatch).where(ImportBatch.id == batch_id)).one_or_none()
        if batch is None:
            raise UndoError(f"Det finns ingen import med nummer {batch_id}. Se listan med python -m civsam batches.")
        if batch.undone_at is not None:
            raise UndoError(f"Import {batch_id} är redan ångrad ({format_date(batch.undone_at)}).")
        _restore_revisions(connection, batch_id)
        connection.execute(delete(Activity).where(Activity.batch_id == batch_id))
        connection.execute(delete(Commitment).where(Commitment.batch_id == batch_id))
        connection.execute(delete(Resource).where(Resource.batch_id == batch_id))
        responses = select(SurveyResponse.id).where(SurveyResponse.batch_id == batch_id)
        connection.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(responses)))
        connection.execute(delete(SurveyResponse).where(SurveyResponse.batch_id == batch_id))
        _delete_unused(connection, batch_id)
        connection.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                           .values(undone_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        record(connection, "undo", user or login_name(), f"{batch.file_name} ({batch.kind})", batch_id=batch_id,
               file_sha256=batch.sha256, rows=batch.imported + batch.updated)


def _restore_revisions(connection: Connection, batch_id: int) -> None:
    """Give rows the batch last changed their values from before it; a row whose earlier writer is undone goes."""
    undone = set(connection.execute(select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))).scalars())
    revisions = connection.execute(select(Revision.table_name, Revision.row_id, Revision.previous, Revision.deleted)
                                   .where(Revision.batch_id == batch_id).order_by(Revision.id.desc())).all()
    # the next import that changed a row after this one, by (table, row)
    next_writers = {(table, row_id): writer for table, row_id, writer in connection.execute(
        select(Revision.table_name, Revision.row_id, func.min(Revision.batch_id))
        .where(Revision.batch_id > batch_id).group_by(Revision.table_name, Revision.row_id))}
    for revision in revisions:
        model = RESTORABLE[revision.table_name]
        previous = dict(revision.previous)
        next_writer = next_writers.get((revision.table_name, revision.row_id))
        if next_writer is not None:
            # a later import changed the row since: the values it wrote stay, and undoing it restores those from
            # before this one; what only this batch changed is restored now
            later = connection.execute(select(Revision.id, Revision.previous).where(
                Revision.table_name == revision.table_name, Revision.row_id == revision.row_id,
                Revision.batch_id == next_writer)).all()
            for later_id, later_previous in later:
                handed_over = {key: value for key, value in previous.items() if key in later_previous}
                connection.execute(update(Revision).where(Revision.id == later_id)
                                   .values(previous={**later_previous, **handed_over}))
            covered = {key for _, later_previous in later for key in later_previous}
            previous = {key: value for key, value in previous.items() if key not in covered}
            if not previous:
                continue
        linked = {key: previous.pop(key) for key in SET_ORGANISATIONS if key in previous}
        if previous.get("batch_id") in undone:
            connection.execute(delete(model).where(model.id == revision.row_id))
            continue
        previous = _typed(model, previous)
        if revision.deleted:
            _insert_again(connection, model, revision.row_id, previous)
            restored = True
        else:
            restored = (connection.execute(update(model).where(model.id == revision.row_id).values(**previous))
                        .rowcount if previous else  # only the links changed
                        connection.execute(select(model.id).where(model.id == revision.row_id)).first() is not None)
        for key, ids in linked.items() if restored else ():
            SET_ORGANISATIONS[key][revision.table_name](connection, revision.row_id, ids)
    connection.execute(delete(Revision).where(Revision.batch_id == batch_id))


def _typed(model, previous: dict) -> dict:
    """Kept values as the model's columns take them: kept as JSON, a date is ISO text."""
    return {name: dt.date.fromisoformat(value) if isinstance(value, str) and isinstance(
        model.__table__.c[name].type, Date) else value for name, value in previous.items()}


def _insert_again(connection: Connection, model, row_id: int, row: dict) -> None:
    """A row the batch deleted, inserted again under its own id (civsam.db.reserve_ids never gives it to another).
    An external ID that another activity has taken since stops the undo: two activities cannot share one."""
    if external_id := row.get("external_id"):
        holder = connection.execute(select(Activity.id).where(Activity.external_id == external_id)).scalar()
        if holder is not None:
            raise UndoError(f"Aktivitet {row_id} kan inte tas tillbaka: dess ID {external_id} har nu aktivitet "
                            f"{holder}. Ta bort eller ändra aktivitet {holder} först.")
    connection.execute(insert(model).values(id=row_id, **row))


def delete_kept(connection: Connection, batch_id: int, activity_id: int) -> None:
    """Delete an activity as batch `batch_id`, keeping the whole row and its partners in a revision, so that
    undoing the batch inserts it again as it was (its organisation links' copies of its facts are the database's
    own, migration 0005)."""
    row = connection.execute(select(Activity.__table__).where(Activity.id == activity_id)).one()._asdict()
    del row["id"]
    row["organisation_ids"] = sorted(connection.execute(
        select(activity_organisations.c.organisation_id)
        .where(activity_organisations.c.activity_id == activity_id)).scalars())
    jsonable = {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}
    connection.execute(insert(Revision).values(batch_id=batch_id, table_name="activities", row_id=activity_id,
                                               previous=jsonable, deleted=True))
    connection.execute(delete(Activity).where(Activity.id == activity_id))


def _delete_unused(connection: Connection, batch_id: int) -> None:
    """Agreements and organisations this or an earlier undone batch created that nothing uses; people nothing
    names. What an earlier value names stays too: undoing a later import gives it back to its row."""
    undone = select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))
    agreement_used = or_(exists().where(Activity.agreement_id == Agreement.id),
                         exists().where(Commitment.agreement_id == Agreement.id),
                         Agreement.id.in_(_remembered(connection, "agreement_id")))
    connection.execute(delete(Agreement).where(
        or_(Agreement.created_batch_id == batch_id, Agreement.created_batch_id.in_(undone)), ~agreement_used))
    organisation_used = or_(exists().where(activity_organisations.c.organisation_id == Organisation.id),
                            exists().where(agreement_organisations.c.organisation_id == Organisation.id),
                            exists().where(organisation_memberships.c.umbrella_id == Organisation.id),
                            Organisation.id.in_(_remembered(connection, "organisation_ids")),
                            Organisation.id.in_(_remembered(connection, "umbrella_ids")))
    created = or_(Organisation.created_batch_id == batch_id, Organisation.created_batch_id.in_(undone))
    # an umbrella is used while it has members: its new members go first, then it may
    while connection.execute(delete(Organisation).where(created, ~organisation_used)).rowcount:
        pass
    named = or_(exists().where(Activity.responsible_id == Person.id),
                exists().where(Agreement.responsible_id == Person.id))
    connection.execute(delete(Person).where(~named, Person.id.not_in(_remembered(connection, "responsible_id"))))


def _remembered(connection: Connection, key: str) -> set[int]:
    """The ids that kept earlier values name under `key` (a list of ids for organisation_ids and umbrella_ids)."""
    remembered: set[int] = set()
    for previous in connection.execute(select(Revision.previous)).scalars():
        value = previous.get(key)
        remembered.update(value if isinstance(value, list) else () if value is None else (value,))
    return remembered
