"""The activity list: the activities under the shared filters, newest first, one page at a time.

Paged in the database (LIMIT and OFFSET over the period index), so a page of a million activities reads its
fifty rows, the organisations of those fifty and a count, and nothing else. A search text narrows to the
activities whose title, comment or one of whose organisations' names holds it, in any case; an organisation
narrows to the activities that name it, found by its name's key as the import finds it (civsam.keys), merged
spellings too.
"""

from typing import NamedTuple

import pandas as pd
from sqlalchemy import Engine

from civsam.filters import Filters, activity_conditions
from civsam.keys import name_key
from civsam.queries import read_frame

PAGE_SIZE = 50
LIKE_ESCAPE = "\\"
# the columns of a page, in order; `responsible` only when names are asked for (civsam.auth: see_names)
COLUMNS = ("id", "date", "type", "title", "organisations", "municipality", "county", "hours", "project", "agreement")


class ActivityPage(NamedTuple):
    total: int  # every activity under the filters, search and organisation
    activities: pd.DataFrame  # one page of them: COLUMNS (and responsible), organisations a tuple of names


def activity_page(engine: Engine, filters: Filters, search: str = "", organisation: str | None = None,
                  offset: int = 0, limit: int | None = PAGE_SIZE, names: bool = False) -> ActivityPage:
    """The activities under `filters` whose title, comment or organisations' names hold `search` and that name
    `organisation`, newest first (date, then the latest stored), `limit` of them from `offset` (None: all of
    them, for a download); with `names`, who was responsible."""
    where, params = narrowed(engine, filters, search, organisation)
    total = int(read_frame(engine, f"SELECT COUNT(*) AS total FROM activities a WHERE {where}",
                           params).iloc[0]["total"])
    chosen = f"SELECT a.id FROM activities a WHERE {where} ORDER BY a.date DESC, a.id DESC"
    if limit is not None:
        chosen += " LIMIT :limit OFFSET :offset"
        params = {**params, "limit": limit, "offset": offset}
    rows = read_frame(engine, f"""
        SELECT a.id, a.date, a.type, a.title, place.name AS municipality, a.county, a.hours, a.project,
               agreement.name AS agreement, person.name AS responsible
        FROM activities a
        LEFT JOIN municipalities place ON place.code = a.municipality_code
        LEFT JOIN agreements agreement ON agreement.id = a.agreement_id
        LEFT JOIN people person ON person.id = a.responsible_id
        WHERE a.id IN ({chosen})
        ORDER BY a.date DESC, a.id DESC
    """, params, dates=("date",))
    partners = read_frame(engine, f"""
        SELECT ao.activity_id, o.name FROM activity_organisations ao
        JOIN organisations o ON o.id = ao.organisation_id
        WHERE ao.activity_id IN ({chosen})
    """, params)
    return ActivityPage(total, _shaped(rows, partners, names))


def narrowed(engine: Engine, filters: Filters, search: str, organisation: str | None) -> tuple[str, dict]:
    """SQL conditions on activities `a`: the filters, the search and the organisation, and their parameters."""
    where, params = activity_conditions(filters)
    conditions = [where]
    if search.strip():
        params["pattern"] = like_pattern(search)
        title, comment = (_folded(engine, f"a.{column}") for column in ("title", "comment"))
        conditions.append(f"""({title} LIKE :pattern ESCAPE '{LIKE_ESCAPE}'
                                OR {comment} LIKE :pattern ESCAPE '{LIKE_ESCAPE}'
                                OR EXISTS (SELECT 1 FROM activity_organisations searched
                                           WHERE searched.activity_id = a.id AND searched.organisation_id IN (
                                               SELECT o.id FROM organisations o
                                               WHERE o.name_key LIKE :pattern ESCAPE '{LIKE_ESCAPE}')))""")
    if organisation and organisation.strip():
        params["organisation_key"] = name_key(organisation)
        conditions.append("""a.id IN (SELECT named.activity_id FROM activity_organisations named
                                      WHERE named.date BETWEEN :start AND :end AND named.organisation_id IN (
                                          SELECT id FROM organisations WHERE name_key = :organisation_key
                                          UNION SELECT organisation_id FROM organisation_aliases
                                                WHERE name_key = :organisation_key))""")
    return " AND ".join(conditions), params


def like_pattern(search: str) -> str:
    """`search` as a LIKE pattern that finds it anywhere, keyed as names are (any case, spaces collapsed), with
    LIKE's own % and _ (and the escape itself) taken literally."""
    escaped = "".join(LIKE_ESCAPE + char if char in f"%_{LIKE_ESCAPE}" else char for char in name_key(search))
    return f"%{escaped}%"


def _folded(engine: Engine, column: str) -> str:
    """SQL: the column in lower case, as name_key folds a name. PostgreSQL's LOWER knows every letter; SQLite's
    only A–Z, so there it is the Python function civsam.db registers on each connection."""
    return f"LOWER({column})" if engine.dialect.name == "postgresql" else f"civsam_fold({column})"


def _shaped(rows: pd.DataFrame, partners: pd.DataFrame, names: bool) -> pd.DataFrame:
    by_activity = partners.sort_values("name", key=lambda column: column.str.casefold()).groupby(
        "activity_id")["name"].agg(tuple)
    frame = rows.assign(
        organisations=[by_activity.get(activity_id, ()) for activity_id in rows["id"]],
        hours=rows["hours"].astype(float))
    frame = frame[[*COLUMNS, "responsible"] if names else list(COLUMNS)]
    return frame.astype(object).where(frame.notna(), None).astype({"id": int, "hours": float})  # None, not NaN
