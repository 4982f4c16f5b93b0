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
from civsam.importing import import_file
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


@pytest.mark.sqlite_only
def test_a_backup_never_follows_a_link_even_one_to_nowhere(engine, tmp_path):
    (tmp_path / "kopia.db").symlink_to(tmp_path / "någon-annanstans.db")
    with pytest.raises(db.BackupError, match="finns redan"):
        db.backup(engine, tmp_path / "kopia.db")
    assert not (tmp_path / "någon-annanstans.db").exists()


def test_the_newest_versions_read_from_the_migration_files_are_alembics_heads():
    """open_store reads them itself, so a current store opens without loading alembic."""
    assert db.newest_versions() == frozenset(ScriptDirectory(str(db.MIGRATIONS_DIR)).get_heads()) == {HEAD}


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


def test_upgrading_a_store_moves_its_pseudonyms_to_keys_no_typed_name_has(tmp_path):
    """Up to 0008 a pseudonym's key was the name key of 'Person 1 (pseudonymiserad)', which a name can be."""
    from alembic import command
    from alembic.config import Config

    engine = db.create_store_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    try:
        with db.write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0008")
            connection.exec_driver_sql(
                "INSERT INTO people (id, name, name_key) VALUES (1, 'Person 1 (pseudonymiserad)', "
                "'person 1 (pseudonymiserad)'), (2, 'Person 1 (pseudonymiserad)!', 'person 1 (pseudonymiserad)!'), "
                "(3, 'Anna Andersson', 'anna andersson')")
        db.migrate(engine)
        assert rows(engine, "SELECT id, name_key FROM people ORDER BY id") == [
            (1, " pseudonym 1"), (2, "person 1 (pseudonymiserad)!"), (3, "anna andersson")]
    finally:
        engine.dispose()


def test_upgrading_a_store_lets_a_batch_be_one_activity_added_edited_or_deleted_and_keeps_every_row(tmp_path):
    """SQLite cannot alter import_batches' kind check by copying the table while activities refer to it: 0010
    widens it in the stored schema."""
    from alembic import command
    from alembic.config import Config

    engine = db.create_store_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    batch = ("INSERT INTO import_batches (kind, file_name, sha256, imported_at, user, rows_read, imported, updated, "
             "duplicates, rejected) VALUES ('{}', 'logg.xlsx', '', '2025-03-04', 'anna', 1, 1, 0, 0, 0)")
    try:
        with db.write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0009")
            connection.exec_driver_sql(batch.format("import"))
            connection.exec_driver_sql("INSERT INTO activities (date, type, county, hours, youth, fingerprint, "
                                       "batch_id) VALUES ('2025-03-04', 'Möte', 'Västerbotten', 1, 0, 'f', 1)")
        db.migrate(engine)
        with db.write_transaction(engine) as connection:
            for kind in ("add", "edit", "delete"):
                connection.exec_driver_sql(batch.format(kind))
        with pytest.raises(IntegrityError), db.write_transaction(engine) as connection:
            connection.exec_driver_sql(batch.format("other"))
        assert rows(engine, "SELECT kind FROM import_batches ORDER BY id") == [
            ("import",), ("add",), ("edit",), ("delete",)]
        assert rows(engine, "SELECT id, batch_id FROM activities") == [(1, 1)]
        assert rows(engine, "PRAGMA integrity_check") == [("ok",)]
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
    assert report.imported == 5 and len(dropped) == 11  # the period, place, project, type … indexes of both tables
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


# --- migration 0007: control characters out of what is stored ---------------------------------------------------

ESC = "\x1b"
CLEAN_LOG = workbook_bytes({"Aktiviteter": [
    ["Datum", "Typ", "Rubrik", "Organisation", "Sektor", "Kommun", "Projekt", "Ansvarig", "Kommentar", "ID"],
    ["2025-03-04", "Möte", "Avstämning", "Samforma", "Ideell", "Umeå", "SESIN", "Anna Andersson", "rad 1\nrad 2",
     "A1"],
    ["2025-03-05", "Möte", "Uppföljning", "Samforma", "Ideell", "Umeå", "", "", "", ""]]})


def migrate_to(engine, revision: str, step=None) -> None:
    """The store's schema moved to `revision` (down by default), with what was stored kept."""
    from alembic import command
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with db.write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        (step or command.downgrade)(config, revision)


def back_to_0006(engine) -> None:
    """The store as it was before migration 0007."""
    migrate_to(engine, "0006")


def written(engine, statements: list[str]) -> list[str]:
    """The statements that changed a table other than Alembic's own."""
    return [statement for statement in statements if statement.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
            and "alembic_version" not in statement]


def test_migration_0007_takes_control_characters_out_of_every_typed_text_and_the_undo_values(engine):
    from sqlalchemy import select, update

    from civsam.models import Activity, ImportBatch, Organisation, Person, Revision
    assert import_file(engine, CLEAN_LOG, "logg.xlsx").imported == 2
    changed = workbook_bytes({"Aktiviteter": [["Datum", "Typ", "Rubrik", "Organisation", "Kommun", "ID"],
                                              ["2025-03-04", "Möte", "Ny", "Samforma", "Umeå", "A1"]]})
    assert import_file(engine, changed, "ny.xlsx").updated == 1  # its earlier values are kept for undo
    fingerprints = rows(engine, "SELECT id, fingerprint FROM activities ORDER BY id")
    back_to_0006(engine)
    with db.write_transaction(engine) as connection:
        connection.execute(update(Activity).values(title=Activity.title + ESC + "[2J", comment="rad 1\n\x07rad 2",
                                                   type="Möte\x7f", external_id=Activity.external_id + "\x9b"))
        connection.execute(update(Activity).where(Activity.external_id.is_(None)).values(project="SE\x08SIN"))
        connection.execute(update(Organisation).values(name="Samf" + ESC + "orma", name_key="samf" + ESC + "orma"))
        connection.execute(update(Person).values(name="Anna\x07 Andersson", name_key="anna\x07 andersson"))
        connection.execute(update(ImportBatch).values(file_name="logg" + ESC + ".xlsx", user="anna\x07"))
        connection.execute(update(Revision).values(previous={"title": "Avst" + ESC + "ämning", "hours": 2.0}))
    db.migrate(engine)
    assert rows(engine, "SELECT title, comment, type, external_id, project FROM activities ORDER BY id") == [
        ("Ny[2J", "rad 1\nrad 2", "Möte", "A1", None), ("Uppföljning[2J", "rad 1\nrad 2", "Möte", None, "SESIN")]
    assert rows(engine, "SELECT name, name_key FROM organisations") == [("Samforma", "samforma")]
    assert rows(engine, "SELECT name, name_key FROM people") == [("Anna Andersson", "anna andersson")]
    assert rows(engine, 'SELECT file_name, "user" FROM import_batches') == [("logg.xlsx", "anna")] * 2
    assert rows(engine, "SELECT project FROM activity_organisations WHERE project IS NOT NULL") == [("SESIN",)]
    with engine.connect() as connection:
        assert connection.execute(select(Revision.previous)).scalar_one() == {"title": "Avstämning", "hours": 2.0}
    # the fingerprint is of the cleaned content: the row that said Uppföljning is found again as it was typed
    assert rows(engine, "SELECT id, fingerprint FROM activities ORDER BY id")[1] != fingerprints[1]
    again = workbook_bytes({"Aktiviteter": [
        ["Datum", "Typ", "Rubrik", "Organisation", "Kommun", "Projekt", "Kommentar"],
        ["2025-03-05", "Möte", "Uppföljning[2J", "Samforma", "Umeå", "SESIN", "rad 1\nrad 2"]]})
    report = import_file(engine, again, "igen.xlsx")
    assert (report.imported, report.duplicates) == (0, 1)


def test_migration_0007_keeps_apart_names_that_cleaning_would_make_one(engine):
    """The clean name keeps its text; the other shows its control character as an escape and stays its own row,
    for a coordinator to merge if they are one organisation."""
    from sqlalchemy import insert

    from civsam.models import Organisation, OrganisationAlias
    back_to_0006(engine)
    with db.write_transaction(engine) as connection:
        connection.execute(insert(Organisation), [
            {"name": "Samf\x01orma", "name_key": "samf\x01orma", "sector": "civil_society"},
            {"name": "Samforma", "name_key": "samforma", "sector": "civil_society"},
            {"name": "LK\x01AB", "name_key": "lk\x01ab", "sector": "business"},
            {"name": "LK\x02AB", "name_key": "lk\x02ab", "sector": "business"},
            {"name": ESC, "name_key": ESC, "sector": "business"}])
        connection.execute(insert(OrganisationAlias), [{"name_key": "lkab\x01", "organisation_id": 3},
                                                       {"name_key": "lkab", "organisation_id": 3}])
    db.migrate(engine)
    assert rows(engine, "SELECT name, name_key FROM organisations ORDER BY id") == [
        ("Samf\\u0001orma", "samf\\u0001orma"), ("Samforma", "samforma"), ("LKAB", "lkab"),
        ("LK\\u0002AB", "lk\\u0002ab"), ("\\u001b", "\\u001b")]
    assert rows(engine, "SELECT name_key FROM organisation_aliases ORDER BY name_key") == [("lkab",), ("lkab\\u0001",)]


def test_migration_0007_writes_nothing_where_nothing_needs_cleaning(engine):
    import_file(engine, CLEAN_LOG, "logg.xlsx")
    before = snapshot(engine)
    back_to_0006(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _, __, statement, *___: statements.append(statement))
    from alembic import command
    migrate_to(engine, "0007", command.upgrade)  # 0007 alone: later migrations have their own work
    assert written(engine, statements) == []
    db.migrate(engine)
    assert snapshot(engine) == before
