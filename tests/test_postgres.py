"""The same store on PostgreSQL, for a shared installation: migrations, import, undo, merge, concurrent
imports, and every dashboard query giving what SQLite gives for the same demo data."""

import datetime as dt
import threading

import pandas as pd
import pytest
from conftest import DEMO_TODAY, activity_log, count
from pg_server import postgres_server
from sqlalchemy import text
from test_link_facts import every_kind_of_write

from civsam import queries
from civsam.batches import undo_batch
from civsam.db import create_store_engine, open_store
from civsam.demo import seed_demo
from civsam.filters import Filters
from civsam.importer import import_file
from civsam.organisations import merge_organisations

YEAR = Filters(dt.date(2025, 1, 1), DEMO_TODAY)
CIVIL_AND_ACADEMIA = Filters(YEAR.start, YEAR.end, sectors=("civil_society", "academia"))


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg(server):
    """A fresh, migrated store on the server for each test."""
    cleaner = create_store_engine(server)
    with cleaner.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    cleaner.dispose()
    engine = open_store(server)
    yield engine
    engine.dispose()


def test_migrations_create_the_store_with_its_municipalities(pg):
    assert count(pg, "municipalities") == 29


def test_import_duplicates_updates_and_undo(pg):
    header = ["ID", "Datum", "Organisation", "Sektor", "Kommun", "Timmar"]
    first = activity_log(["A1", "2025-03-04", "Samforma; Almi Nord", "civilsamhälle", "Umeå", "1,5"],
                         ["A2", "2025-03-05", "Samforma", "", "Lycksele", 2], header=header)
    assert import_file(pg, first, "mars.xlsx").imported == 2
    again = import_file(pg, first, "mars.xlsx")
    assert (again.imported, again.duplicates) == (0, 2)
    changed = import_file(pg, activity_log(["A1", "2025-03-04", "Samforma", "", "Umeå", 3], header=header),
                          "rättad.xlsx")
    assert changed.updated == 1
    undo_batch(pg, changed.batch_id)
    assert (queries.summary(pg)["activities"], queries.summary(pg)["hours"]) == (2, 3.5)
    assert count(pg, "activity_organisations") == 3  # A1 has both its organisations back


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


def test_merging_two_spellings(pg):
    import_file(pg, activity_log(["2025-03-04", "Rädda Barnen", "ideell", "Umeå"],
                                 ["2025-03-05", "Rädda barnen VB", "ideell", "Umeå"]), "logg.xlsx")
    with pg.connect() as connection:
        ids = dict(connection.execute(text("SELECT name, id FROM organisations")).all())
    assert merge_organisations(pg, ids["Rädda Barnen"], ids["Rädda barnen VB"]) == 1
    assert count(pg, "organisations") == 1 and count(pg, "activity_organisations") == 2


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
def both(pg, engine):
    for store in (pg, engine):
        seed_demo(store, 300, today=DEMO_TODAY)
    return pg, engine


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


def test_agreements_import_update_and_undo(pg):
    from conftest import workbook_bytes

    def workbook(status: str) -> bytes:
        return workbook_bytes({
            "Organisationer": [["Organisation", "Sektor"], ["Samforma", "Ideell"]],
            "Avtal": [["Namn", "Typ", "Part", "Undertecknat"], ["Avsikt Samforma", "Avsiktsförklaring", "Samforma",
                                                                "2024-03-15"]],
            "Åtaganden": [["Avtal", "Åtagande", "Part", "Förfaller", "Status"],
                          ["Avsikt Samforma", "Årlig uppföljning", "Båda", "2025-06-30", status]],
            "Aktiviteter": [["Datum", "Organisation", "Kommun", "Avtal"],
                            ["2025-03-04", "Samforma", "Umeå", "Avsikt Samforma"]]})

    first = import_file(pg, workbook("Pågår"), "avtal.xlsx")
    assert (first.imported, first.rejected) == (4, [])
    done = import_file(pg, workbook("Klart"), "avtal.xlsx")
    assert (done.imported, done.updated, done.duplicates) == (0, 1, 3)
    undo_batch(pg, done.batch_id)
    with pg.connect() as connection:
        assert connection.execute(text("SELECT status FROM commitments")).scalar_one() == "pågår"
    undo_batch(pg, first.batch_id)
    assert [count(pg, table) for table in ("agreements", "commitments", "activities", "organisations")] == [0] * 4


def test_the_audit_log_refuses_changes_on_postgresql_too(pg):
    from sqlalchemy.exc import DatabaseError

    from civsam.db import write_transaction
    import_file(pg, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx")
    with pytest.raises(DatabaseError, match="skrivskyddad"):
        with write_transaction(pg) as connection:
            connection.exec_driver_sql("DELETE FROM audit_log")
    assert count(pg, "audit_log") == 1


def test_every_kind_of_write_keeps_the_link_copies_right_on_postgresql(pg):
    every_kind_of_write(pg)
