"""Shared fixtures: every test gets its own fresh store in a temporary folder."""

import datetime as dt
import io

import openpyxl
import pytest

from civsam.db import open_store
from civsam.demo import seed_demo

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
