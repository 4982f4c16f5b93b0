"""One organisation's profile: who it is, its umbrellas and members, what the region did with it and them, its
projects and agreements, and a short text for the committee. The page /organisation, the command
`python -m civsam organisation` and the tests all read it here.

An organisation is found by its name as the import finds it (civsam.keys, merged spellings too). Its members
are the organisations whose Medlem i names it (civsam.importing.organisations); an activity "with its members"
names it or any of them, and counts once.
"""

import datetime as dt
import difflib

import pandas as pd
from sqlalchemy import Engine

from civsam.filters import LINKS, Filters, activity_conditions
from civsam.keys import name_key
from civsam.periods import FIRST_YEAR, LAST_YEAR
from civsam.queries import read_frame

ALL_TIME = Filters(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))
# its links and its members' (CIRCLE), as SQL on activity_organisations `ao`: an organisation's activities are read
# from its links (one an activity, each carrying the activity's facts) along the index of its links by date
CIRCLE = """ao.organisation_id IN (SELECT member_id FROM organisation_memberships WHERE umbrella_id = :organisation
                                  UNION ALL SELECT id FROM organisations WHERE id = :organisation)"""


def find_organisation(engine: Engine, name: str) -> dict | None:
    """The organisation named `name` (any case and spacing, or a merged spelling): id, name, sector, type and
    municipality; None when there is none."""
    found = read_frame(engine, """
        SELECT o.id, o.name, o.sector, o.type, m.name AS municipality FROM organisations o
        LEFT JOIN municipalities m ON m.code = o.municipality_code
        WHERE o.name_key = :key
           OR o.id IN (SELECT organisation_id FROM organisation_aliases WHERE name_key = :key)
    """, {"key": name_key(name)})
    return found.iloc[0].to_dict() if len(found) else None


def close_names(engine: Engine, name: str, n: int = 3) -> list[str]:
    """The stored organisation names closest to `name`, for "Menar du …?"."""
    names = read_frame(engine, "SELECT name FROM organisations")["name"].tolist()
    by_key = {name_key(each): each for each in names}
    return [by_key[key] for key in difflib.get_close_matches(name_key(name), list(by_key), n=n, cutoff=0.6)]


def umbrellas(engine: Engine, organisation_id: int) -> list[str]:
    """The umbrella organisations it is a member of, by name."""
    return read_frame(engine, """
        SELECT o.name FROM organisation_memberships m JOIN organisations o ON o.id = m.umbrella_id
        WHERE m.member_id = :organisation ORDER BY o.name_key
    """, {"organisation": organisation_id})["name"].tolist()


def members(engine: Engine, organisation_id: int, filters: Filters = ALL_TIME) -> pd.DataFrame:
    """Its member organisations: member, sector, activities under `filters` and the last one's date (None when
    the region has not met it there), the most met first."""
    where, params = activity_conditions(filters, "ao")
    return read_frame(engine, f"""
        SELECT o.name AS member, o.sector, COUNT(ao.activity_id) AS activities, MAX(ao.date) AS last_contact
        FROM organisation_memberships m
        JOIN organisations o ON o.id = m.member_id
        LEFT JOIN activity_organisations ao ON ao.organisation_id = o.id AND {where}
        WHERE m.umbrella_id = :organisation
        GROUP BY o.id, o.name, o.name_key, o.sector
        ORDER BY COUNT(ao.activity_id) DESC, o.name_key
    """, {**params, "organisation": organisation_id}, dates=("last_contact",)).astype({"activities": int})


def key_figures(engine: Engine, organisation_id: int, filters: Filters = ALL_TIME) -> dict:
    """Under `filters`: its own activities and those with it or its members, the first and last contact (None
    without any), and of its own activities the municipalities, the hours and the share with children and
    young people (None without any)."""
    where, params = activity_conditions(filters, LINKS)
    params["organisation"] = organisation_id
    own = read_frame(engine, f"""
        SELECT COUNT(*) AS activities, MIN(ao.date) AS first_contact, MAX(ao.date) AS last_contact,
               COUNT(DISTINCT ao.municipality_code) AS municipalities, COALESCE(SUM(ao.hours), 0) AS hours,
               COALESCE(SUM(CASE WHEN ao.youth THEN 1 ELSE 0 END), 0) AS youth
        FROM activity_organisations ao WHERE {where} AND ao.organisation_id = :organisation
    """, params, dates=("first_contact", "last_contact")).iloc[0]
    with_members = read_frame(engine, f"""
        SELECT COALESCE(SUM(circle.activities), 0) AS activities FROM ({_circle_per_day(where)}) circle
    """, params).iloc[0]["activities"]
    activities = int(own["activities"])
    return {"activities": activities, "activities_with_members": int(with_members),
            "first_contact": own["first_contact"], "last_contact": own["last_contact"],
            "municipalities": int(own["municipalities"]), "hours": float(own["hours"]),
            "youth_share": int(own["youth"]) / activities if activities else None}


def _circle_per_day(where: str) -> str:
    """SQL: per day (date), the distinct activities (activities) naming it or a member, under `where` on `ao`. An
    activity naming several of them counts once among its day's: a day's set is small, where one DISTINCT over a
    year's links took twice as long."""
    return f"""SELECT ao.date, COUNT(DISTINCT ao.activity_id) AS activities FROM activity_organisations ao
               WHERE {where} AND {CIRCLE} GROUP BY ao.date"""


def daily_counts(engine: Engine, organisation_id: int, filters: Filters = ALL_TIME) -> pd.DataFrame:
    """Per day: date, group ('own': naming it; 'members': naming a member and not it), activities; what the
    quarterly chart stacks."""
    where, params = activity_conditions(filters, LINKS)
    # Per day its own activities (one link each) and the circle's distinct ones; naming only members is the
    # difference. For its year at a million activities 0,02 s, where grouping the circle's links by activity took
    # 0,06 s.
    frame = read_frame(engine, f"""
        SELECT circle.date, COALESCE(own.activities, 0) AS own,
               circle.activities - COALESCE(own.activities, 0) AS members
        FROM ({_circle_per_day(where)}) circle
        LEFT JOIN (SELECT ao.date, COUNT(*) AS activities FROM activity_organisations ao
                   WHERE {where} AND ao.organisation_id = :organisation GROUP BY ao.date) own ON own.date = circle.date
    """, {**params, "organisation": organisation_id}, timestamps=("date",))
    long = frame.melt(id_vars="date", value_vars=["own", "members"], var_name="group", value_name="activities")
    return long[long["activities"] > 0].astype({"activities": int}).reset_index(drop=True)


def projects(engine: Engine, organisation_id: int, filters: Filters = ALL_TIME) -> pd.DataFrame:
    """The projects of its activities under `filters`: project, activities, the other organisations in the
    project's activities (a tuple of names), the most active first."""
    where, params = activity_conditions(filters, LINKS)
    params["organisation"] = organisation_id
    # Both read the links' index by project and organisation. Its own per project, each project named so that SQLite
    # seeks its pair instead of reading all its links by date for their project; and the pairs of the period, which
    # SQLite finds by skipping from one to the next without counting (0,02 s for a year of a million activities,
    # where counting every pair took 0,06 s).
    counts = read_frame(engine, f"""
        SELECT ao.project, COUNT(*) AS activities FROM activity_organisations ao
        WHERE {where} AND ao.organisation_id = :organisation
          AND ao.project IN (SELECT DISTINCT project FROM activities WHERE project IS NOT NULL)
        GROUP BY ao.project
    """, params).astype({"activities": int})
    pairs = read_frame(engine, f"""
        SELECT pairs.project, o.name FROM (
            SELECT DISTINCT ao.project, ao.organisation_id FROM activity_organisations ao
            WHERE {where} AND ao.project IS NOT NULL AND ao.organisation_id <> :organisation) pairs
        JOIN organisations o ON o.id = pairs.organisation_id
        ORDER BY o.name_key
    """, params)
    others = pairs.groupby("project")["name"].agg(tuple)
    counts = counts.assign(others=[others.get(project, ()) for project in counts["project"]])
    return counts.sort_values(["activities", "project"], ascending=[False, True], ignore_index=True)


def agreements(engine: Engine, organisation_id: int) -> pd.DataFrame:
    """Its agreements: agreement, kind, signed, valid_until, the earliest first."""
    return read_frame(engine, """
        SELECT ag.id, ag.name AS agreement, ag.kind, ag.signed, ag.valid_until FROM agreements ag
        JOIN agreement_organisations link ON link.agreement_id = ag.id
        WHERE link.organisation_id = :organisation ORDER BY ag.signed, ag.name_key
    """, {"organisation": organisation_id}, dates=("signed", "valid_until"))


def commitments(engine: Engine, organisation_id: int) -> pd.DataFrame:
    """The commitments of its agreements: agreement, commitment, whose, due, status, by agreement and due day."""
    return read_frame(engine, """
        SELECT ag.name AS agreement, c.text AS commitment, c.whose, c.due, c.status FROM commitments c
        JOIN agreements ag ON ag.id = c.agreement_id
        JOIN agreement_organisations link ON link.agreement_id = ag.id
        WHERE link.organisation_id = :organisation ORDER BY ag.signed, ag.name_key, c.due
    """, {"organisation": organisation_id}, dates=("due",))


def summary(engine: Engine, name: str, filters: Filters = ALL_TIME) -> dict | None:
    """What `python -m civsam organisation NAME --json` prints; None when no organisation is named `name`."""
    organisation = find_organisation(engine, name)
    if organisation is None:
        return None
    organisation_id = int(organisation["id"])
    figures = key_figures(engine, organisation_id, filters)
    member_frame = members(engine, organisation_id, filters)
    return {"name": organisation["name"], "sector": organisation["sector"],
            "member_of": umbrellas(engine, organisation_id), "members": member_frame["member"].tolist(),
            "members_met": member_frame.loc[member_frame["activities"] > 0, "member"].tolist(),
            "activities": figures["activities"], "activities_with_members": figures["activities_with_members"],
            "first_contact": _iso(figures["first_contact"]), "last_contact": _iso(figures["last_contact"]),
            "municipalities": figures["municipalities"],
            "projects": projects(engine, organisation_id, filters)["project"].tolist(),
            "agreements": agreements(engine, organisation_id)["agreement"].tolist()}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
