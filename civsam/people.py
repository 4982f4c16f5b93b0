"""Personal data: the responsible and contact persons' names, kept in one table so one operation
reaches every row where a name occurs.

A Swedish authority's records fall under the Archives Act, so a name is pseudonymised under a disposal
decision rather than silently deleted: the activities stay, the name becomes "Person 12
(pseudonymiserad)", and the audit log records the decision's reference. A retention period
(CIVSAM_RETENTION_YEARS, `python -m civsam retention`) does the same for every name whose activities are
all older than the period, each name in a step of its own, so one that fails leaves the others done.

A pseudonym is no name: its key (`pseudonym_key`) begins with a space, which a typed name's key never does
(civsam.parsing.name_key), so a typed "Person 12 (pseudonymiserad)" neither collides with a pseudonym nor is
filed under it, and the import refuses such a name anyway (civsam.parsing.parse_person).
"""

import datetime as dt
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Connection, Engine, exists, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.keys import PSEUDONYMISED, name_key
from civsam.models import Activity, Agreement, Person
from civsam.queries import read_frame

PSEUDONYM_KEY = " pseudonym "  # and the person's id: a leading space, which no typed name's key has


class PersonError(Exception):
    """The name cannot be handled; str(error) says why in Swedish."""


class Retention(NamedTuple):
    """What a retention run did: how many names it pseudonymised, how many activities named them, and each
    name it could not pseudonymise with why (the run carries on past them)."""

    people: int
    named: int
    failed: tuple[str, ...] = ()


def pseudonym_key(person_id: int) -> str:
    return f"{PSEUDONYM_KEY}{person_id}"


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
    _check_decision(decision)
    with write_transaction(engine) as connection:
        person = connection.execute(select(Person).where(Person.name_key == name_key(name))).one_or_none()
        if person is None:
            raise PersonError("Namnet finns inte i civsam. Kontrollera stavningen med --show.")
        return _pseudonymise(connection, person.id, f"beslut {decision.strip()}", user or login_name())


def past_retention(engine: Engine, years: int, today: dt.date | None = None) -> pd.DataFrame:
    """The names still held whose activities all took place more than `years` years before `today`, with the
    date of their last activity (none for a name no activity uses). A name responsible for an agreement still
    valid then, or valid without an end date, stays."""
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(_past_retention(_cutoff(years, today))).all(),
                            columns=["id", "name", "last_activity"])


def apply_retention(engine: Engine, years: int, decision: str, user: str | None = None,
                    today: dt.date | None = None) -> Retention:
    """Pseudonymise every name past the retention period, each recorded in the audit log with the decision.
    Each name is a savepoint of its own: a name the database refuses is rolled back alone, reported in
    `failed`, and the run goes on."""
    _check_decision(decision)
    cutoff = _cutoff(years, today)
    reason = f"beslut {decision.strip()}, gallring: ingen aktivitet sedan {cutoff.isoformat()}"
    done, named, failed = 0, 0, []
    with write_transaction(engine) as connection:
        for person in connection.execute(_past_retention(cutoff)).all():
            try:
                with connection.begin_nested():
                    named += _pseudonymise(connection, person.id, reason, user or login_name())
                done += 1
            except SQLAlchemyError as error:
                why = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
                failed.append(f"{person.name} ({type(error).__name__}: {why})")
    return Retention(done, named, tuple(failed))


def _check_decision(decision: str) -> None:
    if not decision.strip():
        raise PersonError("Ange gallringsbeslutets diarienummer med --decision, t.ex. --decision RUN 2025/123.")


def _pseudonymise(connection: Connection, person_id: int, reason: str, user: str) -> int:
    pseudonym = f"Person {person_id} {PSEUDONYMISED}"
    connection.execute(update(Person).where(Person.id == person_id)
                       .values(name=pseudonym, name_key=pseudonym_key(person_id)))
    named = connection.execute(select(func.count()).select_from(Activity)
                               .where(Activity.responsible_id == person_id)).scalar_one()
    record(connection, "pseudonymise", user, f"{pseudonym}, {reason}", rows=named)
    return named


def _cutoff(years: int, today: dt.date | None) -> dt.date:
    """The day `years` years before `today`; 29 February falls back to the 28th."""
    if years < 1:
        raise PersonError("Gallringsfristen ska vara minst 1 år.")
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _past_retention(cutoff: dt.date):
    recent = exists().where(Activity.responsible_id == Person.id, Activity.date >= cutoff)
    in_force = exists().where(Agreement.responsible_id == Person.id,
                              or_(Agreement.valid_until.is_(None), Agreement.valid_until >= cutoff))
    last = select(func.max(Activity.date)).where(Activity.responsible_id == Person.id).scalar_subquery()
    return (select(Person.id, Person.name, last.label("last_activity"))
            .where(~recent, ~in_force, Person.name_key.not_like(f"{PSEUDONYM_KEY}%"))
            .order_by(Person.id))
