"""The audit log: every import, activity added, edited or deleted, undo, merge, export, demo fill and
pseudonymisation, with who, when, what, which batch or file and how many rows. Entries are only ever added (the
database refuses changes, migrations 0004 and 0008); coordinators read them on the Import page and with
`python -m civsam audit`."""

import datetime as dt
import getpass

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select

from civsam.models import AuditEntry


def record(connection: Connection, action: str, user: str, detail: str, *, batch_id: int | None = None,
           file_sha256: str | None = None, rows: int | None = None) -> None:
    """Add an entry in the caller's transaction, so the entry and the deed stand or fall together."""
    connection.execute(insert(AuditEntry).values(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None), user=user, action=action, detail=detail,
        batch_id=batch_id, file_sha256=file_sha256, rows=rows))


def entries(engine: Engine) -> pd.DataFrame:
    """Every entry, newest first."""
    with engine.connect() as connection:
        return pd.read_sql(select(AuditEntry).order_by(AuditEntry.id.desc()), connection)


def login_name() -> str:
    """Who runs a command; a container with an arbitrary user id has no name to look up."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "okänd"
