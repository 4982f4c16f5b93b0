"""Personal data: the responsible and contact persons' names, kept in one table so one operation
reaches every row where a name occurs.

A Swedish authority's records fall under the Archives Act, so a name is pseudonymised under a disposal
decision rather than silently deleted: the activities stay, the name becomes "Person 12
(pseudonymiserad)", and the audit log records the decision's reference.
"""

import pandas as pd
from sqlalchemy import Engine, func, select, update

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.models import Activity, Person
from civsam.parsing import name_key
from civsam.queries import read_frame


class PersonError(Exception):
    """The name cannot be handled; str(error) says why in Swedish."""


def occurrences(engine: Engine, name: str) -> pd.DataFrame:
    """Every activity naming the person: date, type, title, municipality, the import it came from."""
    return read_frame(engine, """
        SELECT a.date, a.type, a.title, m.name AS municipality, b.file_name AS import_file
        FROM activities a
        JOIN people p ON p.id = a.responsible_id
        LEFT JOIN municipalities m ON m.code = a.municipality_code
        JOIN import_batches b ON b.id = a.batch_id
        WHERE p.name_key = :key
        ORDER BY a.date
    """, {"key": name_key(name)})


def pseudonymise(engine: Engine, name: str, decision: str, user: str | None = None) -> int:
    """Replace the name everywhere; returns how many activities named the person."""
    if not decision.strip():
        raise PersonError("Ange gallringsbeslutets diarienummer med --decision, t.ex. --decision RUN 2025/123.")
    with write_transaction(engine) as connection:
        person = connection.execute(select(Person).where(Person.name_key == name_key(name))).one_or_none()
        if person is None:
            raise PersonError("Namnet finns inte i civsam. Kontrollera stavningen med --show.")
        pseudonym = f"Person {person.id} (pseudonymiserad)"
        connection.execute(update(Person).where(Person.id == person.id)
                           .values(name=pseudonym, name_key=name_key(pseudonym)))
        named = connection.execute(select(func.count()).select_from(Activity)
                                   .where(Activity.responsible_id == person.id)).scalar_one()
        record(connection, "pseudonymise", user or login_name(), f"{pseudonym}, beslut {decision.strip()}",
               rows=named)
    return named


