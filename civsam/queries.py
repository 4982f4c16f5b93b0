"""Questions asked of the store, answered in the database.

All SQL of the dashboard lives here (the agreements' beside their follow-up,
in civsam.agreements), as readable statements with bound parameters,
portable between SQLite and PostgreSQL. An activity counts
toward a county by its municipality, or by its Län where it has none, and
toward each sector of its organisations.
"""

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Date, DateTime, Engine, bindparam, text

from civsam.filters import LINKS, Filters, activity_conditions
from civsam.reference import SECTOR_BITS, SECTORS, sector_mask

# --- the dashboard ----------------------------------------------------------------
# Each function takes the shared Filters and returns a small, aggregated DataFrame:
# activities are counted in the database, never loaded one by one.

TYPED_PARAMS = {"start": Date(), "end": Date(), "cutoff": Date()}


def read_frame(engine: Engine, sql: str, params: dict | None = None, *, dates: tuple[str, ...] = (),
               timestamps: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run one SELECT with bound parameters (lists expand to IN (...)) and return its rows. The columns named in
    `dates` come back as datetime.date (None where there is none), those in `timestamps` (dates or moments) as
    pandas datetimes (NaT) for date arithmetic: SQLite answers ISO text and PostgreSQL dates, and both read alike."""
    params = params or {}
    statement = text(sql).bindparams(*(
        bindparam(name, expanding=True) if isinstance(value, list | tuple)
        else bindparam(name, type_=TYPED_PARAMS.get(name))
        for name, value in params.items())).columns(**{name: Date() for name in dates},
                                                    **{name: DateTime() for name in timestamps})
    with engine.connect() as connection:
        result = connection.execute(statement, params)
        # plain tuples: pandas asks each SQLAlchemy Row for attributes it lacks, seconds for a long list
        frame = pd.DataFrame(list(map(tuple, result.fetchall())), columns=list(result.keys()))
    for name in timestamps:
        frame[name] = pd.to_datetime(frame[name])
    return frame


def data_version(engine: Engine) -> tuple:
    """Changes whenever an import, undo, merge or pseudonymisation changes what the pages show: part of every
    cache key. Every such deed is in the audit log; a download, also recorded there, changes nothing shown."""
    return tuple(read_frame(engine, """
        SELECT (SELECT COUNT(*) FROM audit_log WHERE action <> 'export') AS deeds,
               (SELECT COUNT(*) FROM import_batches) AS batches,
               (SELECT MAX(id) FROM activities) AS last_activity
    """).iloc[0].tolist())


def source_facts(engine: Engine) -> dict:
    """Where the figures come from: activities, imports in effect and the latest of them, demo data or not. The
    imports are those the Import page lists as not undone, the demo fill among them, as its activities are counted
    too: only these add up to the activities shown."""
    row = read_frame(engine, """
        SELECT (SELECT COUNT(*) FROM activities) AS activities,
               COUNT(*) AS imports,
               MAX(imported_at) AS last_import,
               COUNT(CASE WHEN kind = 'demo' THEN 1 END) AS demo
        FROM import_batches WHERE undone_at IS NULL
    """, timestamps=("last_import",)).iloc[0]
    last = row["last_import"]
    return {"activities": int(row["activities"]), "imports": int(row["imports"]),
            "last_import": last.date().isoformat() if pd.notna(last) else None, "demo": bool(row["demo"])}


def date_range(engine: Engine) -> tuple[dt.date, dt.date] | None:
    """The first and last activity date, or None for an empty store (each read from the date index: asked
    together in one SELECT, SQLite read every activity)."""
    row = read_frame(engine, """
        SELECT (SELECT MIN(date) FROM activities) AS first, (SELECT MAX(date) FROM activities) AS last
    """, dates=("first", "last")).iloc[0]
    return None if row["first"] is None else (row["first"], row["last"])


def project_names(engine: Engine) -> list[str]:
    return read_frame(engine, """
        SELECT DISTINCT project FROM activities WHERE project IS NOT NULL ORDER BY project
    """)["project"].tolist()


def activity_types(engine: Engine) -> list[str]:
    """The activity types as stored (Möte, Dialog … and any other word a log used), for the type filter: each the
    next one after the last in the type index, a look per type instead of reading every activity."""
    return read_frame(engine, """
        WITH RECURSIVE types(type) AS (
            SELECT MIN(type) FROM activities
            UNION ALL
            SELECT (SELECT MIN(later.type) FROM activities later WHERE later.type > types.type) FROM types
            WHERE types.type IS NOT NULL
        )
        SELECT type FROM types WHERE type IS NOT NULL
    """)["type"].tolist()


@dataclass(frozen=True)
class PeriodFigures:
    """One period's activities counted per municipality and sector mask, and the organisations met: every key
    figure of the period, for all sectors or any of them, is read from these two small tables (civsam.queries
    .period_figures), so the overview's columns, its comparison and the sector chart share two scans."""
    activities: pd.DataFrame  # municipality_code (None: county-wide), sectors (mask), activities, hours, youth
    organisations: pd.DataFrame  # id, sector of each organisation with an activity in the period

    def key_figures(self, sectors: tuple[str, ...] = ()) -> dict:
        """Activities, organisations and municipalities reached, hours and the share involving young people; with
        `sectors`, of the activities with an organisation of those sectors, and only those sectors'
        organisations (not every partner at the table)."""
        rows, met = self.activities, self.organisations
        if sectors:
            rows = rows[(rows["sectors"] & sector_mask(sectors)) != 0]
            met = met[met["sector"].isin(sectors)]
        activities = int(rows["activities"].sum())
        return {
            "activities": activities,
            "organisations": len(met),
            "municipalities": rows["municipality_code"].nunique(),
            "hours": float(rows["hours"].sum()),
            "youth_share": float(rows["youth"].sum()) / activities if activities else None,
        }

    def sector_table(self, sectors: tuple[str, ...] = ()) -> pd.DataFrame:
        """Per sector: activities, organisations, municipalities reached and hours. An activity counts toward each
        sector of its organisations, its hours once per sector; with `sectors`, only those are counted (the
        others are 0)."""
        columns = ("activities", "organisations", "municipalities", "hours")
        zero = dict.fromkeys(columns, 0)
        frame = pd.DataFrame([{"sector": sector, **({name: figures[name] for name in columns}
                                                    if not sectors or sector in sectors else zero)}
                              for sector, figures in ((sector, self.key_figures((sector,))) for sector in SECTORS)])
        return frame.astype({"activities": int, "organisations": int, "municipalities": int, "hours": float})


def period_figures(engine: Engine, filters: Filters) -> PeriodFigures:
    """The period's figures under every filter but the sectors (PeriodFigures.key_figures takes them): one scan of
    the activities, grouped by municipality and sector mask, and one look per organisation for an activity. A
    single pass with a CASE per figure and sector was slower in SQLite (1,7 s against 0,21 s at 330 000
    activities): evaluating forty expressions per row costs more than reading the index."""
    where, params = activity_conditions(replace(filters, sectors=()))
    activities = read_frame(engine, f"""
        SELECT a.municipality_code, a.sectors, COUNT(*) AS activities, COALESCE(SUM(a.hours), 0) AS hours,
               SUM(CASE WHEN a.youth THEN 1 ELSE 0 END) AS youth
        FROM activities a WHERE {where} GROUP BY a.municipality_code, a.sectors
    """, params)
    # an index seek per organisation (organisation_id, date) instead of a DISTINCT over every link of the period
    where, params = activity_conditions(replace(filters, sectors=()), LINKS)
    organisations = read_frame(engine, f"""
        SELECT o.id, o.sector FROM organisations o
        WHERE EXISTS (SELECT 1 FROM activity_organisations ao WHERE ao.organisation_id = o.id AND {where})
    """, params)
    return PeriodFigures(activities, organisations)


def key_figures(engine: Engine, filters: Filters) -> dict:
    """Activities, organisations and municipalities reached, hours and the share involving young people."""
    return period_figures(engine, filters).key_figures(filters.sectors)


def sector_figures(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Per sector: activities, organisations, municipalities reached and hours (PeriodFigures.sector_table)."""
    return period_figures(engine, filters).sector_table(filters.sectors)


def _has(sector: str) -> str:
    """SQL: activity `a` has an organisation of `sector`, as its sector mask says."""
    return f"(a.sectors & {SECTOR_BITS[sector]}) <> 0"


SEVERAL_SECTORS = "several"
# the year of a date, the same on SQLite (ISO text) and PostgreSQL
YEAR = "CAST(SUBSTR(CAST({}.date AS VARCHAR(10)), 1, 4) AS INTEGER)"


def daily_counts(engine: Engine, filters: Filters, by: str) -> pd.DataFrame:
    """Activities per day and sector (`by="sector"`) or type (`by="type"`): date, group, activities.
    Each activity is counted once, so the groups add up: one whose (chosen) partners are of several
    sectors is in the group SEVERAL_SECTORS."""
    where, params = activity_conditions(filters)
    group = "a.type"
    if by == "sector":  # the activity's sectors, only the chosen ones when a sector filter is set
        shown = sector_mask(filters.sectors or SECTORS)
        one = " ".join(f"WHEN {bit} THEN '{sector}'" for sector, bit in SECTOR_BITS.items())
        group = f"CASE a.sectors & {shown} {one} ELSE '{SEVERAL_SECTORS}' END"
        where += f" AND (a.sectors & {shown}) <> 0"  # as ever, only activities with organisations
    return read_frame(engine, f"""
        SELECT a.date, {group} AS "group", COUNT(*) AS activities
        FROM activities a WHERE {where} GROUP BY a.date, {group}
    """, params, timestamps=("date",))


def daily_totals(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Activities per day, each counted once: date, activities."""
    where, params = activity_conditions(filters)
    return read_frame(engine, f"""
        SELECT a.date, COUNT(*) AS activities FROM activities a WHERE {where} GROUP BY a.date
    """, params, timestamps=("date",))


def top_partners(engine: Engine, filters: Filters, limit: int = 10) -> pd.DataFrame:
    """The organisations with the most activities: organisation, sector, activities."""
    where, params = activity_conditions(filters, LINKS, sector_column="ao.sector")
    return read_frame(engine, f"""
        SELECT o.name AS organisation, o.sector, counts.activities
        FROM (SELECT ao.organisation_id, COUNT(*) AS activities FROM activity_organisations ao
              WHERE {where} GROUP BY ao.organisation_id) counts
        JOIN organisations o ON o.id = counts.organisation_id
        ORDER BY counts.activities DESC, o.name
        LIMIT :limit
    """, {**params, "limit": limit})


def last_contacts(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Every organisation in the selected sectors with its last activity up to the period's end
    (NaT when there is none): organisation, sector, last_contact."""
    where, params = activity_conditions(replace(filters, start=dt.date(1900, 1, 1), sectors=()), LINKS)
    sector_condition = "WHERE o.sector IN :sectors" if filters.sectors else ""
    if filters.sectors:
        params["sectors"] = list(filters.sectors)
    return read_frame(engine, f"""
        SELECT o.name AS organisation, o.sector, last.last_contact
        FROM organisations o
        LEFT JOIN (
            SELECT ao.organisation_id, MAX(ao.date) AS last_contact FROM activity_organisations ao
            WHERE {where} GROUP BY ao.organisation_id
        ) last ON last.organisation_id = o.id
        {sector_condition}
        ORDER BY last.last_contact, o.name
    """, params, timestamps=("last_contact",))


def coverage(engine: Engine, filters: Filters) -> pd.DataFrame:
    """All 29 municipalities (or those of the chosen county or the chosen ones) with activities and distinct
    partners in the period: code, municipality, county, population, activities, partners."""
    where, params = activity_conditions(filters, LINKS)
    places = ["m.county = :county"] if filters.county else []
    if filters.municipalities:  # the others are not white spots, only outside the choice
        places.append("m.code IN :municipalities")
    county_condition = f"WHERE {' AND '.join(places)}" if places else ""
    frame = read_frame(engine, f"""
        SELECT m.code, m.name AS municipality, m.county, m.population,
               COALESCE(counts.activities, 0) AS activities, COALESCE(counts.partners, 0) AS partners
        FROM municipalities m
        LEFT JOIN (
            SELECT ao.municipality_code, COUNT(DISTINCT ao.activity_id) AS activities,
                   COUNT(DISTINCT ao.organisation_id) AS partners
            FROM activity_organisations ao
            WHERE {where} GROUP BY ao.municipality_code
        ) counts ON counts.municipality_code = m.code
        {county_condition}
        ORDER BY m.code
    """, params)
    return frame.astype({"activities": int, "partners": int, "population": int})


def county_wide_activities(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Activities with a Län but no municipality, per county: county, activities."""
    where, params = activity_conditions(filters)
    return read_frame(engine, f"""
        SELECT a.county, COUNT(*) AS activities FROM activities a
        WHERE {where} AND a.municipality_code IS NULL GROUP BY a.county
    """, params)


def resource_years(engine: Engine, filters: Filters, sectors: tuple[str, ...] = ("civil_society", "business")
                   ) -> pd.DataFrame:
    """Per year of the period and sector: fte and budget (Resurser) beside hours, activities, organisations
    and municipalities reached from the log."""
    where, params = activity_conditions(replace(filters, sectors=()))
    logged = pd.concat([read_frame(engine, f"""
        SELECT {YEAR.format("a")} AS year, '{sector}' AS sector, SUM(a.hours) AS hours, COUNT(*) AS activities,
               COUNT(DISTINCT a.municipality_code) AS municipalities
        FROM activities a WHERE {where} AND {_has(sector)}
        GROUP BY {YEAR.format("a")}
    """, params) for sector in sectors])
    where, params = activity_conditions(replace(filters, sectors=sectors), LINKS, sector_column="ao.sector")
    partners = read_frame(engine, f"""
        SELECT {YEAR.format("ao")} AS year, ao.sector, COUNT(DISTINCT ao.organisation_id) AS organisations
        FROM activity_organisations ao WHERE {where}
        GROUP BY {YEAR.format("ao")}, ao.sector
    """, params)
    resources = read_frame(engine, """
        SELECT year, sector, fte, budget_sek FROM resources
        WHERE year BETWEEN :first AND :last AND sector IN :sectors
    """, {"first": filters.start.year, "last": filters.end.year, "sectors": list(sectors)})
    grid = pd.MultiIndex.from_product([range(filters.start.year, filters.end.year + 1), sectors],
                                      names=["year", "sector"]).to_frame(index=False)
    frame = grid.merge(resources, how="left").merge(logged, how="left").merge(partners, how="left")
    counts = ["activities", "organisations", "municipalities"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["hours"] = frame["hours"].fillna(0.0).astype(float)
    return frame


def organisation_register(engine: Engine, filters: Filters) -> pd.DataFrame:
    """The partner register: every organisation of the selected sectors with its first and last contact and its
    number of activities, all three in the filtered period and place (none there: no dates, 0 activities), its
    umbrella organisations (member_of, a tuple of names) and its number of members."""
    where, params = activity_conditions(replace(filters, sectors=()), LINKS)
    sector_condition = "WHERE o.sector IN :sectors" if filters.sectors else ""
    if filters.sectors:
        params["sectors"] = list(filters.sectors)
    frame = read_frame(engine, f"""
        SELECT o.id, o.name AS organisation, o.sector, o.type, m.name AS municipality, o.org_number,
               period.first_contact, period.last_contact, COALESCE(period.activities, 0) AS activities
        FROM organisations o
        LEFT JOIN municipalities m ON m.code = o.municipality_code
        LEFT JOIN (
            SELECT ao.organisation_id, MIN(ao.date) AS first_contact, MAX(ao.date) AS last_contact,
                   COUNT(*) AS activities
            FROM activity_organisations ao
            WHERE {where} GROUP BY ao.organisation_id
        ) period ON period.organisation_id = o.id
        {sector_condition}
        ORDER BY o.name
    """, params, dates=("first_contact", "last_contact"))
    memberships = read_frame(engine, """
        SELECT m.member_id, m.umbrella_id, o.name AS umbrella FROM organisation_memberships m
        JOIN organisations o ON o.id = m.umbrella_id ORDER BY o.name_key
    """)
    umbrellas = memberships.groupby("member_id")["umbrella"].agg(tuple)
    frame["member_of"] = [umbrellas.get(organisation_id, ()) for organisation_id in frame["id"]]
    frame["members"] = frame["id"].map(memberships.groupby("umbrella_id").size()).fillna(0)
    return frame.astype({"activities": int, "members": int})

