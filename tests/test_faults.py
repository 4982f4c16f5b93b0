"""Faults a shared store meets: an import killed half-way, and several imports and readers at once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import activity_log, count, snapshot, workbook_bytes

from civsam import queries
from civsam.importing import import_file

ROOT = Path(__file__).resolve().parent.parent


def big_log(rows: int) -> bytes:
    header = ["Datum", "Organisation", "Sektor", "Kommun", "Rubrik"]
    return workbook_bytes({"Aktiviteter": [header, *([f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}", f"Förening {n % 40}",
                                                      "ideell", "Umeå", f"Möte {n}"] for n in range(rows))]})


def holds_write_lock(database: Path) -> bool:
    """Whether another process is inside a write transaction on the store."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


@pytest.mark.sqlite_only  # the SQLite file and its journal are what a kill could leave half-written
def test_an_import_killed_half_way_leaves_the_store_as_it_was(engine, tmp_path):
    database = Path(engine.url.database)
    import_file(engine, activity_log(["2025-01-02", "Samforma", "ideell", "Umeå"]), "första.xlsx")
    before = snapshot(engine)
    log = tmp_path / "stor.xlsx"
    log.write_bytes(big_log(30_000))
    importer = subprocess.Popen([sys.executable, "-m", "civsam", "import", str(log)], cwd=ROOT,
                                env={**os.environ, "CIVSAM_DATABASE_URL": str(engine.url)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not holds_write_lock(database):  # wait until it is writing, then kill it mid-transaction
        assert importer.poll() is None and time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.01)
    time.sleep(0.3)
    importer.send_signal(signal.SIGKILL)
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
        reads = [pool.submit(queries.summary, engine) for _ in range(20)]
        reports = [future.result() for future in imports]
        assert all(read.result()["activities"] in range(0, 113) for read in reads)
    assert [report.imported for report in reports] == [28] * 4 and not any(r.error for r in reports)
    assert count(engine, "organisations") == 2 and count(engine, "activities") == 112
