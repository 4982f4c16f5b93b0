"""Shared fixtures: every test that takes `engine` runs twice, on a fresh SQLite store in a temporary folder
and on a fresh PostgreSQL database on a private server (tests/pg_server.py), so the whole suite proves both.
A test about SQLite itself (its file, WAL, the busy timeout) is marked `sqlite_only`.
"""

import datetime as dt
import io
import uuid

import openpyxl
import pytest
import streamlit as st
from pg_server import postgres_server
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.models import Base

DEMO_TODAY = dt.date(2025, 12, 31)
BACKENDS = ("sqlite", "postgres")


def pytest_collection_modifyitems(items):
    """A test marked sqlite_only runs on SQLite alone."""
    items[:] = [item for item in items if not (item.get_closest_marker("sqlite_only") and getattr(
        item, "callspec", None) and item.callspec.params.get("engine") == "postgres")]


@pytest.fixture(scope="session")
def postgres_template():
    """A PostgreSQL server for the whole run with a migrated, empty store to copy: (admin engine, its URL)."""
    with postgres_server() as url:
        open_store(url).dispose()
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        yield admin, url
        admin.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'civsam.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_template):
    admin, template_url = postgres_template
    name = f"test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:  # a copy of the migrated template: much faster than migrating
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {make_url(template_url).database}")
    engine = open_store(make_url(template_url).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:  # FORCE: a command the test ran may still hold a connection
        connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def demo_engine(engine):
    seed_demo(engine, 400, today=DEMO_TODAY)
    return engine


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx built in memory: sheet name → rows (the first row is usually the header)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- helpers for the import tests ---------------------------------------------

# The smallest activity log: the required columns, and Sektor for organisations not yet stored.
ACTIVITY_HEADER = ["Datum", "Organisation", "Sektor", "Kommun"]


def activity_log(*rows, header=ACTIVITY_HEADER, sheet="Aktiviteter") -> bytes:
    """An .xlsx with one activity sheet: `header`, then `rows`."""
    return workbook_bytes({sheet: [list(header), *map(list, rows)]})


def count(engine, table: str, where: str = "1 = 1") -> int:
    """How many rows `table` holds (tests only: the table name is ours, never typed by a user)."""
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table} WHERE {where}").scalar_one()


def rows(engine, sql: str, parameters: tuple = ()) -> list[tuple]:
    """The rows of `sql` (parameters as ?), with values as SQLite gives them (dates as ISO text, booleans as
    0 and 1), so that a test reads the same on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    with engine.connect() as connection:
        return [tuple(map(_as_sqlite_gives, row)) for row in connection.exec_driver_sql(sql, parameters)]


def _as_sqlite_gives(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def names_of(engine, link_table: str, key: str) -> dict[int, str]:
    """The organisations each row of `link_table` links, by `key`, as "A|B" in name order."""
    names: dict[int, list[str]] = {}
    for row_id, name in rows(engine, f"SELECT link.{key}, o.name FROM {link_table} link "
                                     "JOIN organisations o ON o.id = link.organisation_id ORDER BY o.name"):
        names.setdefault(row_id, []).append(name)
    return {row_id: "|".join(each) for row_id, each in names.items()}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every store table: to show that something left the store's data exactly as it was.
    The audit log is left out: it grows with every import, even one that changes nothing."""
    return {table: sorted(rows(engine, f"SELECT * FROM {table}"), key=repr) for table in Base.metadata.tables
            if table != "audit_log"}


def without_batches(contents: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """A snapshot apart from the list of imports, which keeps an undone import (marked undone)."""
    return {table: table_rows for table, table_rows in contents.items() if table != "import_batches"}


# --- the page tests' store and day (tests/pages_support.py opens the pages) ---------------------------------

@pytest.fixture
def fresh_caches():
    """Streamlit's caches outlive a test run: each page test starts without them."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def today_is_the_demo_day(monkeypatch):
    """The demo store ends on DEMO_TODAY: the presets and the default period (the last 12 months) end there too,
    so the default period is 2025."""
    monkeypatch.setattr("civsam.periods.today", lambda: DEMO_TODAY)


@pytest.fixture
def deferred_downloads(monkeypatch) -> dict:
    """The data callables of the download buttons drawn, by file name: calling one is what a click does."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    registered = {}
    register = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **options):
        registered[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **options)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    """An empty SQLite store's address, which the dashboard under test opens (CIVSAM_DATABASE_URL)."""
    url = f"sqlite:///{tmp_path / 'civsam.db'}"
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    return url


@pytest.fixture
def demo_url(store_url, engine_at):
    seed_demo(engine_at(store_url), 600, today=DEMO_TODAY)
    return store_url


@pytest.fixture
def engine_at():
    """Open a store by its address; every store opened is closed after the test, whether it passed or not."""
    engines = []

    def open_(url):
        engines.append(open_store(url))
        return engines[-1]
    yield open_
    for engine in engines:
        engine.dispose()


@pytest.fixture(scope="session")
def accounts() -> dict:
    """Local accounts as .streamlit/secrets.toml holds them: a coordinator and a viewer."""
    from civsam.auth import hash_password
    return {"civsam": {"accounts": {"anna": {"password_hash": hash_password("annas lösen"), "role": "coordinator"},
                                    "olle": {"password_hash": hash_password("olles lösen")}}}}
