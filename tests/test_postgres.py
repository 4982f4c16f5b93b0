"""What only PostgreSQL needs proving: concurrent imports queue behind the advisory lock, and every dashboard
query gives what SQLite gives for the same demo data. (Every test that takes `engine` runs on PostgreSQL too,
tests/conftest.py: migrations, import, undo, merge, agreements, the audit log, the link copies.)"""

import datetime as dt
import threading
import uuid
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO_TODAY, activity_log, count
from sqlalchemy.exc import DatabaseError

from civsam import queries, totals
from civsam.batches import undo_batch
from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.filters import Filters
from civsam.importing import import_file

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
    ("date_range", ()), ("project_names", ()),
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


def test_the_totals_answer_as_on_sqlite(both):
    pg, sqlite = both
    assert totals.summary(pg) == totals.summary(sqlite)


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


def _readme_sql(containing: str) -> list[str]:
    """The statements of the README's sql block that holds `containing`."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(block.split("```", 1)[0] for block in readme.split("```sql")[1:] if containing in block)
    return [statement.strip() for statement in block.split(";") if statement.strip()]


def test_the_readme_grants_let_the_app_work_but_never_rewrite_the_audit_log(pg):
    role = f"civsam_app_{uuid.uuid4().hex[:8]}"  # roles belong to the whole server, which other tests share
    with pg.begin() as connection:  # as the tables' owner
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        for statement in _readme_sql("GRANT USAGE ON SCHEMA"):
            connection.exec_driver_sql(statement.replace("civsam_app", role))
    app = open_store(pg.url.set(username=role).render_as_string(hide_password=False))
    try:
        report = import_file(app, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx")
        undo_batch(app, report.batch_id, "samordnare")
        assert report.imported == 1 and count(app, "activities") == 0 and count(app, "audit_log") == 2
        for statement in ("TRUNCATE audit_log", "DELETE FROM audit_log", "UPDATE audit_log SET detail = ''",
                          "DROP TABLE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER USER",
                          "SET session_replication_role = replica"):
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with app.begin() as connection:
                    connection.exec_driver_sql(statement)
        assert count(app, "audit_log") == 2
    finally:
        app.dispose()
        with pg.begin() as connection:
            connection.exec_driver_sql(f"DROP OWNED BY {role}")
            connection.exec_driver_sql(f"DROP ROLE {role}")
