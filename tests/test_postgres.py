"""What only PostgreSQL needs proving: concurrent imports queue behind the advisory lock, and every dashboard
query gives what SQLite gives for the same demo data. (Every test that takes `engine` runs on PostgreSQL too,
tests/conftest.py: migrations, import, undo, merge, agreements, the audit log, the link copies.)"""

import datetime as dt
import threading

import pandas as pd
import pytest
from conftest import DEMO_TODAY, activity_log, count

from civsam import queries
from civsam.demo import seed_demo
from civsam.filters import Filters
from civsam.importer import import_file

YEAR = Filters(dt.date(2025, 1, 1), DEMO_TODAY)
CIVIL_AND_ACADEMIA = Filters(YEAR.start, YEAR.end, sectors=("civil_society", "academia"))


@pytest.fixture
def pg(postgres_engine):
    return postgres_engine


def test_two_imports_at_once_adding_the_same_organisation_end_with_one(pg):
    logs = [activity_log([f"2025-03-0{day}", "Ny förening", "ideell", "Kiruna"]) for day in (4, 5)]
    reports = []
    threads = [threading.Thread(target=lambda log=log: reports.append(import_file(pg, log, "logg.xlsx")))
               for log in logs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [report.imported for report in reports] == [1, 1]
    assert count(pg, "organisations") == 1 and count(pg, "activities") == 2


QUERIES = [
    ("key_figures", (YEAR,)), ("sector_figures", (YEAR,)), ("daily_counts", (YEAR, "sector")),
    ("daily_counts", (YEAR, "type")), ("daily_totals", (YEAR,)), ("top_partners", (YEAR, 10)),
    ("last_contacts", (YEAR,)), ("coverage", (Filters(YEAR.start, YEAR.end, county="Norrbotten"),)),
    ("county_wide_activities", (YEAR,)), ("resource_years", (YEAR,)), ("organisation_register", (YEAR,)),
    ("date_range", ()), ("project_names", ()), ("summary", ()),
    # a sector filter reads the activities' sector masks, and the links' sectors or another link of the activity
    *((name, (CIVIL_AND_ACADEMIA, *more)) for name, more in (
        ("key_figures", ()), ("sector_figures", ()), ("daily_counts", ("sector",)), ("top_partners", (10,)),
        ("coverage", ()), ("resource_years", ()), ("organisation_register", ()))),
]


@pytest.fixture
def both(pg, sqlite_engine):
    for store in (pg, sqlite_engine):
        seed_demo(store, 300, today=DEMO_TODAY)
    return pg, sqlite_engine


@pytest.mark.parametrize("name, args", QUERIES, ids=[f"{name}-{index}" for index, (name, _) in enumerate(QUERIES)])
def test_every_query_answers_as_on_sqlite(both, name, args):
    pg, sqlite = both
    on_pg, on_sqlite = (getattr(queries, name)(store, *args) for store in (pg, sqlite))
    if isinstance(on_pg, pd.DataFrame):
        on_pg, on_sqlite = (frame.drop(columns=["id"], errors="ignore").reset_index(drop=True)
                            for frame in (on_pg, on_sqlite))
        pd.testing.assert_frame_equal(on_pg, on_sqlite, check_dtype=False)
    else:
        assert on_pg == on_sqlite


AGREEMENT_QUERIES = [("agreement_overview", (YEAR, DEMO_TODAY)), ("agreement_commitments", (DEMO_TODAY,)),
                     ("agreement_daily_counts", (YEAR,)), ("agreements_summary", (DEMO_TODAY,))]


@pytest.mark.parametrize("name, args", AGREEMENT_QUERIES, ids=[name for name, _ in AGREEMENT_QUERIES])
def test_every_agreement_query_answers_as_on_sqlite(both, name, args):
    from civsam import agreements

    pg, sqlite = both
    on_pg, on_sqlite = (getattr(agreements, name)(store, *args) for store in (pg, sqlite))
    if isinstance(on_pg, pd.DataFrame):
        assert len(on_pg)
        pd.testing.assert_frame_equal(on_pg.drop(columns=["id"], errors="ignore"),
                                      on_sqlite.drop(columns=["id"], errors="ignore"), check_dtype=False)
    else:
        assert on_pg == on_sqlite and on_pg["agreements"]
