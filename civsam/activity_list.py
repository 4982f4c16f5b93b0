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

from civsam.filters import LINKS, Filters, activity_conditions
from civsam.keys import name_key
from civsam.queries import read_frame

PAGE_SIZE = 50
LIKE_ESCAPE = "\\"
# the organisation a name names, as SQL: by its key, or by the key of a spelling merged into it
NAMED_ORGANISATION = """SELECT id FROM organisations WHERE name_key = :organisation_key
                        UNION SELECT organisation_id FROM organisation_aliases WHERE name_key = :organisation_key"""
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
    searching = bool(search.strip())
    if organisation and organisation.strip() and not searching:
        # One organisation's activities are its links, which carry the filters' columns: the count and the newest
        # fifty come from the index of its links, without looking its thousands of activities up
        where, params = named_links(filters, organisation)
        chosen = f"SELECT DISTINCT ao.activity_id AS id, ao.date FROM activity_organisations ao WHERE {where}"
        ordered = "ORDER BY ao.date DESC, ao.activity_id DESC"
        counted = f"SELECT COUNT(DISTINCT ao.activity_id) AS total FROM activity_organisations ao WHERE {where}"
    else:
        where, params = narrowed(engine, filters, search, organisation)
        # A search reads every activity of the period. SQLite reads them fastest straight from the table, counting
        # them on the way (0.6 s at a million); through the period index it would look each row up, some ten times
        # slower. Without a search the count and the newest fifty come from the period index alone.
        scanned = "activities a NOT INDEXED" if searching and engine.dialect.name == "sqlite" else "activities a"
        chosen = f"SELECT a.id{', COUNT(*) OVER () AS total' if searching else ''} FROM {scanned} WHERE {where}"
        ordered = "ORDER BY a.date DESC, a.id DESC"
        counted = f"SELECT COUNT(*) AS total FROM {scanned} WHERE {where}"
    paged = " LIMIT :limit OFFSET :offset" if limit is not None else ""
    rows = read_frame(engine, f"""
        WITH chosen AS ({chosen} {ordered}{paged})
        SELECT {"chosen.total," if searching else ""} a.id, a.date, a.type, a.title, place.name AS municipality,
               a.county, a.hours, a.project, agreement.name AS agreement, person.name AS responsible,
               o.name AS organisation
        FROM chosen
        JOIN activities a ON a.id = chosen.id
        LEFT JOIN municipalities place ON place.code = a.municipality_code
        LEFT JOIN agreements agreement ON agreement.id = a.agreement_id
        LEFT JOIN people person ON person.id = a.responsible_id
        LEFT JOIN activity_organisations ao ON ao.activity_id = a.id
        LEFT JOIN organisations o ON o.id = ao.organisation_id
        ORDER BY a.date DESC, a.id DESC, o.name_key
    """, {**params, "limit": limit, "offset": offset} if paged else params, dates=("date",))
    if searching and (len(rows) or not offset):
        total = int(rows["total"].iloc[0]) if len(rows) else 0
    else:  # no search, or a page past the end
        total = int(read_frame(engine, counted, params).iloc[0]["total"])
    return ActivityPage(total, _shaped(rows, names))


def narrowed(engine: Engine, filters: Filters, search: str, organisation: str | None) -> tuple[str, dict]:
    """SQL conditions on activities `a`: the filters, the search and the organisation, and their parameters."""
    where, params = activity_conditions(filters)
    conditions = [where]
    if search.strip():
        params["pattern"] = like_pattern(search)
        title, comment = (_folded(engine, f"a.{column}", params["pattern"]) for column in ("title", "comment"))
        conditions.append(f"""({title} LIKE :pattern ESCAPE '{LIKE_ESCAPE}'
                                OR {comment} LIKE :pattern ESCAPE '{LIKE_ESCAPE}'
                                OR a.id IN (SELECT searched.activity_id FROM activity_organisations searched
                                            WHERE searched.date BETWEEN :start AND :end
                                              AND searched.organisation_id IN (
                                                  SELECT o.id FROM organisations o
                                                  WHERE o.name_key LIKE :pattern ESCAPE '{LIKE_ESCAPE}')))""")
    if organisation and organisation.strip():
        params["organisation_key"] = name_key(organisation)
        conditions.append(f"""a.id IN (SELECT named.activity_id FROM activity_organisations named
                                       WHERE named.date BETWEEN :start AND :end
                                         AND named.organisation_id IN ({NAMED_ORGANISATION}))""")
    return " AND ".join(conditions), params


def named_links(filters: Filters, organisation: str) -> tuple[str, dict]:
    """SQL conditions on activity_organisations `ao` (LINKS): the links to the organisation named `organisation`
    (by its key, merged spellings too) of the activities under the filters, and their parameters."""
    where, params = activity_conditions(filters, LINKS)
    return f"{where} AND ao.organisation_id IN ({NAMED_ORGANISATION})", {
        **params, "organisation_key": name_key(organisation)}


def like_pattern(search: str) -> str:
    """`search` as a LIKE pattern that finds it anywhere, keyed as names are (any case, spaces collapsed), with
    LIKE's own % and _ (and the escape itself) taken literally."""
    escaped = "".join(LIKE_ESCAPE + char if char in f"%_{LIKE_ESCAPE}" else char for char in name_key(search))
    return f"%{escaped}%"


def _folded(engine: Engine, column: str, pattern: str) -> str:
    """SQL: the column in lower case, as name_key folds a name, for LIKE with `pattern` (in lower case already).
    PostgreSQL's LOWER knows every letter. SQLite's LIKE ignores the case of A–Z itself, which is all an ASCII
    pattern needs; for å, é … the column goes through the Python function civsam.db registers, at twice the cost."""
    if engine.dialect.name == "postgresql":
        return f"LOWER({column})"
    return column if pattern.isascii() else f"civsam_fold({column})"


def _shaped(rows: pd.DataFrame, names: bool) -> pd.DataFrame:
    """One row an activity, its organisations' names a tuple in the order read, from one row a link. In plain
    Python: pandas' groupby makes a frame of each of a whole list's hundreds of thousands of activities."""
    partners: dict[int, list[str]] = {}
    for activity_id, name in zip(rows["id"], rows["organisation"], strict=True):
        linked = partners.setdefault(activity_id, [])
        if isinstance(name, str):
            linked.append(name)
    frame = rows.drop_duplicates("id").reset_index(drop=True)
    frame = frame.assign(organisations=[tuple(partners[activity_id]) for activity_id in frame["id"]],
                         hours=frame["hours"].astype(float))
    frame = frame[[*COLUMNS, "responsible"] if names else list(COLUMNS)]
    return frame.astype(object).where(frame.notna(), None).astype({"id": int, "hours": float})  # None, not NaN
