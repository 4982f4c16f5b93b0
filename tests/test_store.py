"""The store: migrations build the models' schema, reference data, SQLite settings and write locking."""

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import activity_log, count, rows, snapshot, workbook_bytes
from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import IntegrityError

from civsam import db
from civsam.importer import import_file
from civsam.models import Base
from civsam.reference import MUNICIPALITIES

HEAD = ScriptDirectory(str(db.MIGRATIONS_DIR)).get_current_head()


def test_migrations_create_exactly_the_schema_of_the_models(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_model_table_exists_and_alembic_records_the_version(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables
    assert rows(engine, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_municipalities_are_the_29_of_the_two_counties(engine):
    stored = rows(engine, "SELECT code, name, county, population FROM municipalities ORDER BY code")
    assert stored == sorted(tuple(m) for m in MUNICIPALITIES)
    assert len(stored) == 29
    assert rows(engine, "SELECT county, COUNT(*) FROM municipalities GROUP BY county ORDER BY county") == [
        ("Norrbotten", 14), ("Västerbotten", 15)]
    assert rows(engine, "SELECT name, population FROM municipalities WHERE code IN ('2480', '2584') ORDER BY code") == [
        ("Umeå", 133091), ("Kiruna", 22433)]


@pytest.mark.sqlite_only
def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError, match="(?i)foreign key"), db.write_transaction(engine) as connection:
        connection.exec_driver_sql("INSERT INTO organisations (name, name_key, sector, municipality_code) "
                                   "VALUES ('X', 'x', 'business', '9999')")
    assert count(engine, "organisations") == 0


def _try_to_write(database_path) -> None:
    """A second program's write, waiting at most 50 ms for the lock."""
    other = sqlite3.connect(database_path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(engine, tmp_path):
    database_path = tmp_path / "civsam.db"
    with db.write_transaction(engine) as connection:
        # only a read so far: with a deferred BEGIN another program could still take the write lock now
        connection.exec_driver_sql("SELECT COUNT(*) FROM activities").scalar_one()
        assert connection.connection.dbapi_connection.in_transaction
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            _try_to_write(database_path)
    _try_to_write(database_path)  # released when the block ends


@pytest.mark.sqlite_only
def test_a_write_transaction_takes_the_lock_even_before_any_statement(engine, tmp_path):
    with db.write_transaction(engine), pytest.raises(sqlite3.OperationalError, match="locked"):
        _try_to_write(tmp_path / "civsam.db")


def test_a_read_does_not_block_a_writer(engine, tmp_path):
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT COUNT(*) FROM activities").scalar_one()
        _try_to_write(tmp_path / "civsam.db")


def test_a_write_transaction_rolls_back_on_error(engine):
    with pytest.raises(RuntimeError), db.write_transaction(engine) as connection:
        connection.exec_driver_sql("INSERT INTO people (name, name_key) VALUES ('Anna', 'anna')")
        raise RuntimeError("stop")
    assert count(engine, "people") == 0


def test_an_import_waits_for_another_write_instead_of_failing(engine, tmp_path):
    """Two writers queue on the lock (busy timeout) rather than fail with 'database is locked' mid-import."""
    import threading
    import time

    content = workbook_bytes({"Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun"],
                                              ["2025-03-04", "Samforma", "Ideell", "Umeå"]]})
    holder = sqlite3.connect(tmp_path / "civsam.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        report = import_file(engine, content, "logg.xlsx")
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - started >= 0.25
    assert report.imported == 1


def test_migrations_run_in_one_write_transaction(tmp_path):
    engine = db.create_store_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    statements: list[str] = []

    @event.listens_for(engine, "connect")
    def trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(statements.append)

    try:
        db.migrate(engine)
    finally:
        engine.dispose()
    words = [" ".join(statement.split()[:2]).upper() for statement in statements if not statement.startswith("PRAGMA")]
    begins = [i for i, word in enumerate(words) if word.startswith("BEGIN")]
    assert [words[i] for i in begins] == ["BEGIN IMMEDIATE"]
    assert words.count("COMMIT") == 1 and "ROLLBACK" not in words
    creates = [i for i, word in enumerate(words) if word == "CREATE TABLE"]
    inserts = [i for i, word in enumerate(words) if word == "INSERT INTO"]
    assert len(creates) == len(Base.metadata.tables) + 1  # and alembic_version
    assert begins[0] < min(creates) and max(creates + inserts) < words.index("COMMIT")


@pytest.mark.sqlite_only
def test_migrating_again_is_harmless(engine, tmp_path):
    content = workbook_bytes({"Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun"],
                                              ["2025-03-04", "Samforma", "Ideell", "Umeå"]]})
    assert import_file(engine, content, "logg.xlsx").imported == 1
    before = snapshot(engine)
    db.migrate(engine)
    again = db.open_store(f"sqlite:///{tmp_path / 'civsam.db'}")
    try:
        assert snapshot(again) == before
        assert rows(again, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    finally:
        again.dispose()


WRITES = ("BEGIN IMMEDIATE", "SELECT PG_ADVISORY_XACT_LOCK", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER",
          "DROP", "ANALYZE")


def test_opening_a_current_store_writes_nothing_and_takes_no_write_lock(engine):
    """Every page run may open the store (Streamlit's "Clear cache", which anyone can ask for, opens it again)."""
    statements: list[str] = []

    def trace(_connection, _cursor, statement, *_):
        statements.append(" ".join(statement.split()).upper())
    files = [Path(engine.url.database + suffix) for suffix in ("", "-wal")] if engine.dialect.name == "sqlite" else []
    before = [(path.stat().st_size, path.stat().st_mtime_ns) for path in files]
    event.listen(Engine, "before_cursor_execute", trace)
    try:
        db.open_store(engine.url.render_as_string(hide_password=False)).dispose()
    finally:
        event.remove(Engine, "before_cursor_execute", trace)
    assert statements and not [statement for statement in statements if statement.startswith(WRITES)]
    assert [(path.stat().st_size, path.stat().st_mtime_ns) for path in files] == before


def test_open_store_creates_the_folder_of_a_new_database(tmp_path):
    engine = db.open_store(f"sqlite:///{tmp_path / 'new' / 'folder' / 'civsam.db'}")
    try:
        assert count(engine, "municipalities") == 29
    finally:
        engine.dispose()


def test_the_database_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    engine = db.open_store()
    try:
        assert engine.url.database == str(tmp_path / "elsewhere.db")
        assert (tmp_path / "elsewhere.db").exists()
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_a_backup_is_a_consistent_copy_taken_while_a_write_is_open(engine, tmp_path):
    import_file(engine, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx")
    with db.write_transaction(engine) as open_write:
        open_write.exec_driver_sql("DELETE FROM activity_organisations")
        db.backup(engine, tmp_path / "kopia.db")  # the uncommitted delete is not in the copy
    copy = sqlite3.connect(tmp_path / "kopia.db")
    assert copy.execute("SELECT COUNT(*) FROM activity_organisations").fetchone() == (1,)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.sqlite_only
def test_a_backup_never_overwrites_a_file(engine, tmp_path):
    (tmp_path / "kopia.db").write_text("viktig")
    with pytest.raises(db.BackupError, match="finns redan"):
        db.backup(engine, tmp_path / "kopia.db")
    assert (tmp_path / "kopia.db").read_text() == "viktig"


def test_upgrading_a_store_with_activities_keeps_them_and_their_organisation_links(tmp_path):
    """0003 adds activities.agreement_id in place: copying the table (Alembic's batch mode on SQLite) would have
    deleted every organisation link when the old table was dropped (ON DELETE CASCADE)."""
    from alembic import command
    from alembic.config import Config

    engine = db.create_store_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    try:
        with db.write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
        with db.write_transaction(engine) as connection:
            connection.exec_driver_sql(
                "INSERT INTO import_batches (kind, file_name, sha256, imported_at, user, rows_read, imported, updated, "
                "duplicates, rejected) VALUES ('import', 'logg.xlsx', '', '2025-03-04', 'anna', 1, 1, 0, 0, 0)")
            connection.exec_driver_sql("INSERT INTO organisations (name, name_key, sector) VALUES "
                                       "('Samforma', 'samforma', 'civil_society'), ('LKAB', 'lkab', 'business')")
            connection.exec_driver_sql("INSERT INTO activities (date, type, county, hours, youth, fingerprint, "
                                       "batch_id) VALUES ('2025-03-04', 'Möte', 'Västerbotten', 1, 0, 'f', 1)")
            connection.exec_driver_sql("INSERT INTO activity_organisations VALUES (1, 1), (1, 2)")
        db.migrate(engine)
        assert rows(engine, "SELECT activity_id, organisation_id FROM activity_organisations") == [(1, 1), (1, 2)]
        assert rows(engine, "SELECT id, agreement_id FROM activities") == [(1, None)]
        assert rows(engine, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    finally:
        engine.dispose()


def indexes(engine) -> list[tuple]:
    return rows(engine, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")


@pytest.mark.sqlite_only
def test_a_bulk_import_builds_the_indexes_afresh_and_leaves_them_as_they_were(engine, monkeypatch):
    with engine.begin() as connection:  # a unique index stays through the insert, checking every row
        connection.exec_driver_sql("CREATE UNIQUE INDEX ux_activities_title ON activities (title, id)")
    before = indexes(engine)
    monkeypatch.setattr(db, "BULK_ROWS", 2)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda _, __, statement, *___: statements.append(statement))
    report = import_file(engine, activity_log(*[[f"2025-03-0{day}", "Samforma", "Ideell", "Umeå"]
                                                for day in range(1, 6)]), "logg.xlsx")
    dropped = [statement for statement in statements if statement.startswith("DROP INDEX")]
    assert report.imported == 5 and len(dropped) == 7  # the period, project, … indexes of both tables
    assert not any("ux_activities_title" in statement for statement in dropped)
    assert indexes(engine) == before
    assert rows(engine, "SELECT COUNT(*) FROM activities INDEXED BY ix_activities_period WHERE date > '2025'") == [(5,)]


@pytest.mark.sqlite_only
def test_a_failing_bulk_insert_leaves_the_indexes_in_place(engine, monkeypatch):
    before = indexes(engine)
    monkeypatch.setattr(db, "BULK_ROWS", 1)
    with pytest.raises(RuntimeError), db.write_transaction(engine) as connection:
        with db.bulk_insert(connection, [Base.metadata.tables["activities"]], 1):
            assert connection.exec_driver_sql("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'activities' "
                                              "AND sql IS NOT NULL AND type = 'index'").scalar_one() == 0
            assert indexes(engine) == before  # another connection still sees them
            raise RuntimeError("the insert failed")
    assert indexes(engine) == before
