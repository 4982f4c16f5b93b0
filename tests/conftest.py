"""Shared fixtures: every test gets its own fresh store in a temporary folder."""

import datetime as dt
import io

import openpyxl
import pytest

from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.models import Base

DEMO_TODAY = dt.date(2025, 12, 31)


@pytest.fixture
def engine(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'civsam.db'}")
    yield engine
    engine.dispose()


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
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql, parameters)]


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every store table: to show that something left the store's data exactly as it was.
    The audit log is left out: it grows with every import, even one that changes nothing."""
    return {table: sorted(rows(engine, f"SELECT * FROM {table}"), key=repr) for table in Base.metadata.tables
            if table != "audit_log"}
