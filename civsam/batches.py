"""Import batches: listing them, and undoing one.

Undoing a batch removes what it added and gives what it updated its earlier
values back (from the revisions the import kept), in one write transaction.
A row that a later import has written since keeps that import's values. The
batch stays in the list, marked as undone.
"""

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Engine, delete, exists, or_, select, update

from civsam.db import write_transaction
from civsam.importer import set_activity_organisations
from civsam.models import Activity, ImportBatch, Organisation, Person, Resource, Revision, activity_organisations

RESTORABLE = {"activities": Activity, "resources": Resource, "organisations": Organisation}


class UndoError(Exception):
    """The batch cannot be undone; str(error) says why in Swedish."""


def list_batches(engine: Engine) -> pd.DataFrame:
    """Every import, newest first."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc())
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def undo_batch(engine: Engine, batch_id: int) -> None:
    """Take batch `batch_id` back. Raises UndoError when there is no such batch or it is already undone."""
    with write_transaction(engine) as connection:
        batch = connection.execute(select(ImportBatch).where(ImportBatch.id == batch_id)).one_or_none()
        if batch is None:
            raise UndoError(f"Det finns ingen import med nummer {batch_id}. Se listan med python -m civsam batches.")
        if batch.undone_at is not None:
            raise UndoError(f"Import {batch_id} är redan ångrad ({batch.undone_at:%Y-%m-%d %H:%M}).")
        _restore_revisions(connection, batch_id)
        connection.execute(delete(Activity).where(Activity.batch_id == batch_id))
        connection.execute(delete(Resource).where(Resource.batch_id == batch_id))
        _delete_unused(connection, batch_id)
        connection.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                           .values(undone_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))


def _restore_revisions(connection: Connection, batch_id: int) -> None:
    """Give rows the batch last wrote their values from before it; a row whose earlier writer is undone too goes."""
    undone = set(connection.execute(select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))).scalars())
    revisions = connection.execute(select(Revision.table_name, Revision.row_id, Revision.previous)
                                   .where(Revision.batch_id == batch_id).order_by(Revision.id.desc())).all()
    for revision in revisions:
        model = RESTORABLE[revision.table_name]
        if "batch_id" in revision.previous:
            writer = connection.execute(select(model.batch_id).where(model.id == revision.row_id)).scalar_one_or_none()
            if writer is not None and writer != batch_id:
                # a later import wrote the row since: its values stay; undoing that one restores those before this
                connection.execute(update(Revision).where(
                    Revision.batch_id == writer, Revision.table_name == revision.table_name,
                    Revision.row_id == revision.row_id).values(previous=revision.previous))
                continue
        previous = dict(revision.previous)
        organisation_ids = previous.pop("organisation_ids", None)
        if previous.get("batch_id") in undone:
            connection.execute(delete(model).where(model.id == revision.row_id))
            continue
        if "date" in previous:
            previous["date"] = dt.date.fromisoformat(previous["date"])
        restored = connection.execute(update(model).where(model.id == revision.row_id).values(**previous)).rowcount
        if restored and organisation_ids is not None:
            set_activity_organisations(connection, revision.row_id, organisation_ids)
    connection.execute(delete(Revision).where(Revision.batch_id == batch_id))


def _delete_unused(connection: Connection, batch_id: int) -> None:
    """Organisations this or an earlier undone batch created that no activity uses, and people no activity names."""
    used = exists().where(activity_organisations.c.organisation_id == Organisation.id)
    undone = select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))
    created_by_undone = or_(Organisation.created_batch_id == batch_id, Organisation.created_batch_id.in_(undone))
    connection.execute(delete(Organisation).where(created_by_undone, ~used))
    named = exists().where(Activity.responsible_id == Person.id)
    connection.execute(delete(Person).where(~named))
