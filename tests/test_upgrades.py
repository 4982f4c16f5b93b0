"""Upgrades and restores lose nothing (issue 16, section 4).

Each schema version's store, written by the code of that version (tests/fixtures/stores/, made by
tests/fixtures/make_store_fixtures.py, which says how to add the next version), opens with the current code on SQLite
and, restored from its dump, on PostgreSQL: every row is still there and the command line prints what that version
printed. A migration that fails half-way leaves the store at its old version and says so; a backup or a dump restored
gives back the same outputs.
"""

import gc
import gzip
import json
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BACKENDS, activity_log, rows
from pages_support import open_page
from pg_server import server_binaries
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from civsam import db
from civsam.cli import cli

STORES = Path(__file__).resolve().parent / "fixtures" / "stores"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
VERSIONS = sorted(path.name.removesuffix(".json") for path in STORES.glob("*.json"))
OUTPUTS = ("summary", "agreements", "audit")
# Columns a migration rewrites on purpose: 0009 gives a pseudonym a key no typed name can have
REWRITTEN = {("people", "name_key")}


@pytest.fixture
def new_database(request):
    """Makes empty databases on the test PostgreSQL server, each dropped after the test; each one's URL."""
    names = []

    def create() -> str:
        admin, template_url = request.getfixturevalue("postgres_template")
        names.append(f"restored_{uuid.uuid4().hex[:16]}")
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {names[-1]}")
        return make_url(template_url).set(database=names[-1]).render_as_string(hide_password=False)
    yield create
    if names:
        gc.collect()  # the command line's engines, before their databases go
        admin, _ = request.getfixturevalue("postgres_template")
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def restore(tmp_path, new_database):
    """Puts a fixture's store in place, the SQLite file or the dump restored into a fresh database; its URL."""
    def restore_(version: str, backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path / f"{version}.db"
            path.write_bytes(gzip.decompress((STORES / f"{version}.db.gz").read_bytes()))
            return f"sqlite:///{path}"
        url = new_database()
        pg(url, "psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", make_url(url).database,
           stdin=gzip.decompress((STORES / f"{version}.sql.gz").read_bytes()))
        return url
    return restore_


def pg(url: str, program: str, *args: str, stdin: bytes | None = None) -> bytes:
    """A PostgreSQL client program against the test server of `url`."""
    query = make_url(url).query
    return subprocess.run([str(server_binaries() / program), "-h", query["host"], "-p", query["port"], "-U",
                           "civsam", *args], input=stdin, check=True, capture_output=True).stdout


def printed(url: str, *command: str) -> tuple[int, str, str]:
    """`python -m civsam COMMAND` on the store at `url`: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, list(command), env={"CIVSAM_DATABASE_URL": url}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def outputs(url: str) -> dict:
    answers = {}
    for command in OUTPUTS:
        code, out, err = printed(url, command, "--json")
        assert code == 0, err
        answers[command] = json.loads(out)
    return answers


def stored(url: str) -> dict[str, dict]:
    """Every table of the store at `url`, as it is, without upgrading it: its columns and its rows in order."""
    engine = db.create_store_engine(url)
    try:
        with engine.connect() as connection:
            tables = {name: [column["name"] for column in inspect(connection).get_columns(name)]
                      for name in inspect(connection).get_table_names()}
        return {name: {"columns": columns, "rows": table_rows(engine, name, columns)}
                for name, columns in tables.items()}
    finally:
        engine.dispose()


def table_rows(engine, table: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(f'"{name}"' for name in columns)  # import_batches.user is a keyword on PostgreSQL
    return sorted(rows(engine, f"SELECT {quoted} FROM {table}"), key=repr)


def assert_keeps(new, old, where: str = "") -> None:
    """`new` says everything `old` said: the same values under every key `old` has (a newer version may add keys)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} is gone"
            assert_keeps(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), f"{where}: {new} != {old}"
        for index, (new_item, old_item) in enumerate(zip(new, old)):
            assert_keeps(new_item, old_item, f"{where}[{index}]")
    else:
        assert new == old, f"{where}: {new!r} != {old!r}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("version", VERSIONS)
def test_every_versions_store_opens_with_every_row_and_the_same_outputs(restore, version, backend):
    url = restore(version, backend)
    before = stored(url)
    assert before["alembic_version"]["rows"] == [(version,)]  # the fixture is the store it says it is
    db.open_store(url).dispose()
    after = stored(url)
    assert after["alembic_version"]["rows"] == sorted((head,) for head in db.newest_versions())
    assert set(before) <= set(after)
    for table in set(before) - {"alembic_version"}:
        kept = [name for name in before[table]["columns"] if (table, name) not in REWRITTEN]
        assert table_rows_of(after[table], kept) == table_rows_of(before[table], kept), table
    recorded = json.loads((STORES / f"{version}.json").read_text())[backend]
    assert_keeps(outputs(url), recorded)


def table_rows_of(table: dict, columns: list[str]) -> list[tuple]:
    positions = [table["columns"].index(name) for name in columns]
    return sorted((tuple(row[index] for index in positions) for row in table["rows"]), key=repr)


def test_the_fixtures_hold_what_the_upgrade_must_keep():
    """A test of the fixtures themselves: one per migration, each small, and the newest holds every kind of row and
    every output (an older version prints only the commands it has)."""
    migrations = sorted(path.name[:4] for path in (db.MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))
    assert VERSIONS == migrations, "tests/fixtures/make_store_fixtures.py NNNN writes the missing fixture"
    for version in VERSIONS:
        files = {path.name: path.stat().st_size for path in STORES.glob(f"{version}.*")}
        assert set(files) == {f"{version}.json", f"{version}.db.gz", f"{version}.sql.gz"}
        assert sum(files.values()) < 40_000, version
    newest = sqlite3.connect(":memory:")
    newest.deserialize(gzip.decompress((STORES / f"{VERSIONS[-1]}.db.gz").read_bytes()))
    for table in ("activities", "organisations", "organisation_aliases", "agreements", "commitments", "audit_log",
                  "people", "resources"):
        assert newest.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0, table
    assert set(json.loads((STORES / f"{VERSIONS[-1]}.json").read_text())["sqlite"]) == set(OUTPUTS)


FAILING_MIGRATION = '''"""A migration that fails half-way: the schema and the data changed, then an error."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("activities", sa.Column("half_done", sa.Integer()))
    op.execute("UPDATE organisations SET name = name || ' (halvvägs)'")
    raise RuntimeError("migrering 9999 föll halvvägs")
'''


@pytest.fixture
def fail_next_upgrade(tmp_path, monkeypatch):
    """Called, gives civsam the current migrations and one more after them that fails half-way (called after the
    stores are in place: the test server's template is migrated by the real ones)."""
    def add_failing_migration() -> None:
        migrations = tmp_path / "migrations"
        shutil.copytree(db.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
        (head,) = db.newest_versions()
        (migrations / "versions" / "9999_fails.py").write_text(FAILING_MIGRATION.format(head=head))
        monkeypatch.setattr(db, "MIGRATIONS_DIR", migrations)
        db.newest_versions.cache_clear()
    yield add_failing_migration
    db.newest_versions.cache_clear()


def schema(url: str) -> dict:
    """Every table, column, index and (on SQLite) trigger of the store."""
    engine = db.create_store_engine(url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            tables = {name: ([column["name"] for column in inspector.get_columns(name)],
                             sorted(index["name"] for index in inspector.get_indexes(name)))
                      for name in inspector.get_table_names()}
            if engine.dialect.name == "sqlite":
                tables["sqlite_master"] = connection.exec_driver_sql("SELECT type, name, sql FROM sqlite_master "
                                                                     "ORDER BY type, name").all()
            else:
                tables["pg_trigger"] = connection.exec_driver_sql("SELECT tgname FROM pg_trigger "
                                                                  "ORDER BY tgname").all()
        return tables
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_migration_that_fails_half_way_leaves_the_store_at_its_old_version(restore, fail_next_upgrade, backend):
    """The oldest store: every migration since runs, and then one fails; all of it, DDL too, is rolled back."""
    url = restore(VERSIONS[0], backend)
    fail_next_upgrade()
    before, shape = stored(url), schema(url)
    with pytest.raises(db.UpgradeError) as failed:
        db.open_store(url)
    assert stored(url) == before and schema(url) == shape
    message = str(failed.value)
    assert f"databasen är kvar på version {VERSIONS[0]}" in message and "9999 föll halvvägs" in message
    assert "återställ den senaste säkerhetskopian" in message and "kontakta den som förvaltar civsam" in message
    code, out, err = printed(url, "summary", "--json")
    assert (code, out) == (2, "") and err == f"civsam: {message}\n"
    assert stored(url) == before


@pytest.mark.usefixtures("fresh_caches")
def test_the_dashboard_says_the_upgrade_failed_instead_of_opening_a_page(restore, fail_next_upgrade, monkeypatch):
    url = restore(VERSIONS[-1], "sqlite")
    fail_next_upgrade()
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    app = open_page()
    assert [error.value for error in app.error] == [str(pytest.raises(db.UpgradeError, db.open_store, url).value)]
    assert "kvar på version" in app.error[0].value
    assert not app.metric and not app.get("plotly_chart")


def test_a_backup_restored_as_the_readme_says_gives_back_the_same_outputs(restore, tmp_path):
    store = tmp_path / "data" / "civsam.db"  # where the README's commands find it
    store.parent.mkdir()
    Path(make_url(restore(VERSIONS[-1], "sqlite")).database).rename(store)
    url = f"sqlite:///{store}"
    db.open_store(url).dispose()
    backed_up = outputs(url)
    assert printed(url, "backup", str(tmp_path / "civsam-2026-12-05.db"))[0] == 0
    later = tmp_path / "senare.xlsx"
    later.write_bytes(activity_log(["2026-01-13", "Samforma", "", "Lycksele"]))
    assert printed(url, "import", str(later))[0] == 0
    assert outputs(url)["summary"] != backed_up["summary"]

    gc.collect()  # civsam stopped: the command line's connections closed
    steps = README.split("**Restoring SQLite.**")[1].split("```sh")[1].split("```")[0].splitlines()
    shell = "\n".join(step.strip() for step in steps if ".venv/bin/python" not in step)
    subprocess.run(["bash", "-c", shell.replace("/säkerhetskopior/", f"{tmp_path}/")], cwd=tmp_path, check=True)
    assert outputs(url) == backed_up
    assert store.stat().st_mode & 0o777 == 0o600


def test_a_postgres_dump_restored_gives_back_the_same_outputs(restore, new_database):
    url = restore(VERSIONS[-1], "postgres")
    db.open_store(url).dispose()
    dumped = outputs(url)
    dump = pg(url, "pg_dump", "-Fc", make_url(url).database)
    copy = new_database()
    pg(copy, "pg_restore", "--no-owner", "-d", make_url(copy).database, stdin=dump)
    assert outputs(copy) == dumped
