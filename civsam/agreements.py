"""Agreements and their follow-up: which commitments exist, which are kept, which are late, and what
activity stands behind each agreement.

The late rule is a pure function of a commitment's typed status, its due date and today: past its due
date and not done (klart), a commitment is late (försenat) whatever its typed status. The queries answer
in the database with bound parameters, as civsam.queries does. The shared filters choose the activities
counted; every agreement and commitment is listed. civsam.narrative.follow_up_text writes one agreement's
follow-up in words. The page, the command line and the deck call these same functions.
"""

import datetime as dt
from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine

from civsam import periods
from civsam.effect import agreement_effects
from civsam.filters import Filters, activity_conditions
from civsam.queries import read_frame
from civsam.reference import COMMITMENT_STATUSES, DONE, DUE_SOON_DAYS, LATE

EVERYTHING = Filters(dt.date(1900, 1, 1), dt.date(9999, 12, 31))


# --- the late rule ------------------------------------------------------------------

def is_late(status: str, due: dt.date, today: dt.date) -> bool:
    """Past its due date and not done: late, whatever its typed status."""
    return status != DONE and due < today


def shown_status(status: str, due: dt.date, today: dt.date) -> str:
    """The status to show and count: late when `is_late`, otherwise the status as typed."""
    return LATE if is_late(status, due, today) else status


def is_due_soon(status: str, due: dt.date, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    """Not done and due today or within `days` days."""
    return status != DONE and today <= due <= today + dt.timedelta(days=days)


# --- queries ------------------------------------------------------------------------------

def agreement_commitments(engine: Engine, today: dt.date | None = None) -> pd.DataFrame:
    """Every commitment, by agreement and due date: id, agreement_id, agreement, text, whose, cadence, due,
    status (as typed), comment, and as of `today` (default: today) shown_status, late, due_soon, days_left."""
    today = today or dt.date.today()
    frame = read_frame(engine, """
        SELECT c.id, c.agreement_id, ag.name AS agreement, c.text, c.whose, c.cadence, c.due, c.status, c.comment
        FROM commitments c JOIN agreements ag ON ag.id = c.agreement_id
        ORDER BY ag.name, c.due, c.id
    """, dates=("due",))
    rows = list(zip(frame["status"], frame["due"], strict=True))
    frame["shown_status"] = [shown_status(status, due, today) for status, due in rows]
    frame["late"] = [is_late(status, due, today) for status, due in rows]
    frame["due_soon"] = [is_due_soon(status, due, today) for status, due in rows]
    frame["days_left"] = [(due - today).days for due in frame["due"]]
    return frame


def agreement_overview(engine: Engine, filters: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """One row per agreement, by name: id, name, kind, partners (a list of names), signed, valid_until,
    registration_number, responsible, its commitments and how many are done, late and due soon as of
    `today`, its activities within the filters and its last activity up to the period's end."""
    frame = read_frame(engine, """
        SELECT ag.id, ag.name, ag.kind, ag.signed, ag.valid_until, ag.registration_number, p.name AS responsible
        FROM agreements ag LEFT JOIN people p ON p.id = ag.responsible_id
        ORDER BY ag.name
    """, dates=("signed", "valid_until"))
    partners = read_frame(engine, """
        SELECT ao.agreement_id, o.name FROM agreement_organisations ao
        JOIN organisations o ON o.id = ao.organisation_id ORDER BY o.name
    """).groupby("agreement_id")["name"].agg(list)
    frame["partners"] = [partners.get(agreement_id, []) for agreement_id in frame["id"]]
    figures = {**_commitment_counts(agreement_commitments(engine, today)), **_activity_figures(engine, filters)}
    for column, by_agreement in figures.items():  # None where an agreement has none
        frame[column] = [by_agreement.get(agreement_id) for agreement_id in frame["id"]]
    numbers = ["commitments", "done", "late", "due_soon", "activities"]
    frame[numbers] = frame[numbers].fillna(0).astype(int)
    return frame


def _commitment_counts(commitments: pd.DataFrame) -> dict[str, pd.Series]:
    """Per agreement: commitments, and how many are done (as typed), late and due soon."""
    grouped = commitments.assign(done=commitments["status"] == DONE).groupby("agreement_id")
    return {"commitments": grouped.size(), "done": grouped["done"].sum(), "late": grouped["late"].sum(),
            "due_soon": grouped["due_soon"].sum()}


def _activity_figures(engine: Engine, filters: Filters) -> dict[str, pd.Series]:
    """Per agreement: activities within the filters and the last activity up to the period's end."""
    where, params = activity_conditions(filters)
    activities = read_frame(engine, f"""
        SELECT a.agreement_id, COUNT(*) AS activities FROM activities a
        WHERE a.agreement_id IS NOT NULL AND {where} GROUP BY a.agreement_id
    """, params)
    where, params = activity_conditions(replace(filters, start=EVERYTHING.start))
    # one agreement at a time: each one's latest is read from the end of its part of the agreement index, where
    # grouped by agreement every activity filed under one would be read
    last = read_frame(engine, f"""
        SELECT ag.id AS agreement_id,
               (SELECT MAX(a.date) FROM activities a WHERE a.agreement_id = ag.id AND {where}) AS last_activity
        FROM agreements ag
    """, params, dates=("last_activity",))
    return {"activities": activities.set_index("agreement_id")["activities"],
            "last_activity": last.set_index("agreement_id")["last_activity"]}


def agreement_daily_counts(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Activities per day and agreement within the filters: date, group (the agreement's name), activities."""
    where, params = activity_conditions(filters)
    return read_frame(engine, f"""
        SELECT a.date, ag.name AS "group", COUNT(*) AS activities
        FROM activities a JOIN agreements ag ON ag.id = a.agreement_id
        WHERE {where} GROUP BY a.date, ag.name
    """, params, timestamps=("date",))


def agreements_summary(engine: Engine, today: dt.date | None = None) -> dict:
    """Every agreement with its commitments by typed status, how many are late as of `today` (default:
    civsam.periods.today), all its activities and what it changed (civsam.effect), as `python -m civsam agreements
    --json` prints it."""
    today = today or periods.today()
    overview = agreement_overview(engine, EVERYTHING, today)
    effects = agreement_effects(engine, today)
    typed = agreement_commitments(engine, today).groupby(["agreement_id", "status"]).size()
    return {"agreements": [{
        "name": row.name, "kind": row.kind, "partners": list(row.partners), "signed": row.signed.isoformat(),
        "commitments": int(row.commitments),
        "by_status": {status: int(typed.get((row.id, status), 0)) for status in COMMITMENT_STATUSES},
        "late": int(row.late), "activities": int(row.activities), "effect": effects[row.id].as_json(),
    } for row in overview.itertuples(index=False)]}

