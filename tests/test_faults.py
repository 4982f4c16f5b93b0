"""Faults a shared store meets: an import killed half-way, and several imports and readers at once."""

import os
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import activity_log, count, snapshot, workbook_bytes

from civsam import totals
from civsam.importing import import_file

ROOT = Path(__file__).resolve().parent.parent


def big_log(rows: int) -> bytes:
    header = ["Datum", "Organisation", "Sektor", "Kommun", "Rubrik"]
    return workbook_bytes({"Aktiviteter": [header, *([f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}", f"Förening {n % 40}",
                                                      "ideell", "Umeå", f"Möte {n}"] for n in range(rows))]})


# `python -m civsam import <file>` that kills itself once the activities are written but before the transaction
# that holds them commits: where it stops is set by the code, not by how fast the machine is. civsam.db is patched
# before anything imports its insert_columns.
KILLED_HALF_WAY = """
import os, runpy, signal, sys
import civsam.db
insert = civsam.db.insert_columns
def insert_then_die(connection, table, columns):
    insert(connection, table, columns)
    if table.name == "activities":
        os.kill(os.getpid(), signal.SIGKILL)
civsam.db.insert_columns = insert_then_die
sys.argv = ["civsam", "import", sys.argv[1]]
runpy.run_module("civsam", run_name="__main__")
"""


@pytest.mark.sqlite_only  # the SQLite file and its journal are what a kill could leave half-written
def test_an_import_killed_half_way_leaves_the_store_as_it_was(engine, tmp_path):
    database = Path(engine.url.database)
    import_file(engine, activity_log(["2025-01-02", "Samforma", "ideell", "Umeå"]), "första.xlsx")
    before = snapshot(engine)
    log = tmp_path / "stor.xlsx"
    log.write_bytes(big_log(30_000))
    importer = subprocess.Popen([sys.executable, "-c", KILLED_HALF_WAY, str(log)], cwd=ROOT,
                                env={**os.environ, "CIVSAM_DATABASE_URL": str(engine.url)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    importer.wait()
    assert importer.returncode == -signal.SIGKILL
    engine.dispose()
    assert sqlite3.connect(database).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert snapshot(engine) == before
    report = import_file(engine, log.read_bytes(), "stor.xlsx")
    assert report.imported == 30_000 and count(engine, "activities") == 30_001


def test_imports_and_readers_at_once_lose_nothing(engine):
    logs = [activity_log(*([f"2025-{month:02d}-{day:02d}", "Ny förening; Samforma", "ideell", "Umeå"]
                           for day in range(1, 29))) for month in (3, 4, 5, 6)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        imports = [pool.submit(import_file, engine, log, f"logg{index}.xlsx") for index, log in enumerate(logs)]
        reads = [pool.submit(totals.summary, engine) for _ in range(20)]
        reports = [future.result() for future in imports]
        seen = [read.result()["activities"] for read in reads]
    rows_per_file = 28  # the days 1-28 of each month
    assert all(shown % rows_per_file == 0 and shown <= 4 * rows_per_file for shown in seen), seen  # all or nothing
    assert [report.imported for report in reports] == [28] * 4 and not any(r.error for r in reports)
    assert count(engine, "organisations") == 2 and count(engine, "activities") == 112
