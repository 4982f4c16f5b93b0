"""Connections to the store: the engine, write transactions and migrations.

SQLite runs with foreign keys on, WAL (readers never wait for a writer) and a
busy timeout. Reads begin with a plain BEGIN; writes go through
`write_transaction`, which begins with BEGIN IMMEDIATE so the write lock is
taken before the first SELECT: two imports that meet then queue instead of
failing with "database is locked". This is SQLAlchemy's documented pysqlite
recipe (take BEGIN away from the driver, emit it from the "begin" event).
On PostgreSQL a write transaction takes a transaction-level advisory lock
instead, so writers queue there too and each sees what the one before wrote
(two coordinators adding the same new organisation end with one).
"""

import ast
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from civsam import settings
from civsam.keys import each_distinct, name_key
from civsam.models import Revision

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_SECONDS = 60
WRITE_OPTION = "civsam_write"
# SQLite's page cache per connection (its default is 2 MB): an import's index updates and a page's
# aggregates over a million activities stay in memory instead of going back to the file.
CACHE_KIB = 64 * 1024
# Rows ANALYZE samples per index after each write: statistics in milliseconds at a million activities, so the
# planner picks e.g. the agreement index for the agreements page instead of scanning the period.
ANALYSIS_ROWS = 1000
# From this many rows an insert that at least doubles a table builds its indexes afresh (see bulk_insert)
BULK_ROWS = 10_000
POSTGRES_WRITE_LOCK = 0x63697673616D  # "civsam": the one lock every civsam write transaction takes


def create_store_engine(url: str | None = None) -> Engine:
    """An engine for the store at `url` (default: the CIVSAM_DATABASE_URL setting)."""
    url = make_url(url or settings.get("CIVSAM_DATABASE_URL"))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN instead
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.execute("PRAGMA temp_store = MEMORY")  # the DISTINCT and GROUP BY of a page's counts: no temp files
    cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
    cursor.close()
    # SQLite's LOWER folds only A–Z: the activity list's search folds Å, É … as names are keyed (civsam.keys)
    dbapi_connection.create_function("civsam_fold", 1, _fold, deterministic=True)


def _fold(value: str | None) -> str | None:
    return None if value is None else name_key(value)


def _begin_sqlite_transaction(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in one write transaction: committed when the block ends, rolled back on error."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK})")
        yield connection
        if connection.dialect.name == "sqlite":  # PostgreSQL's autovacuum keeps its statistics itself
            connection.exec_driver_sql("ANALYZE")


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows of `table`, inside a write transaction: the write lock keeps other writers
    from taking them, so the rows go in with one executemany instead of one INSERT … RETURNING each."""
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                       "FROM generate_series(1, :count)"),
                                  {"table": table.name, "count": count}).scalars().all()
    # SQLite would give the highest id again once its row is deleted; a row a batch deleted keeps its id, so that
    # undoing the batch can insert it again (civsam.batches)
    deleted = select(func.max(Revision.row_id)).where(Revision.table_name == table.name, Revision.deleted)
    highest = connection.execute(select(func.max(table.c.id), deleted.scalar_subquery())).one()
    first = max(highest[0] or 0, highest[1] or 0) + 1
    return list(range(first, first + count))


def insert_columns(connection: Connection, table: Table, columns: dict[str, list]) -> None:
    """Insert rows given column by column ({"id": [1, 2], "date": [d1, d2]}) with one executemany. Give every
    column that has a default in the model: defaults are not filled in here.

    The rows go straight to the driver: at 100 000 rows SQLAlchemy's per-row parameter handling costs as much
    as SQLite's own insert. Each column's bind processor is applied once per distinct value (SQLite stores
    dates as ISO text; a log repeats its dates)."""
    dialect = connection.dialect
    values = {}
    for name, column in columns.items():
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        values[name] = each_distinct(column, process) if process else column
    statement = insert(table).compile(dialect=dialect, column_keys=list(values))
    if statement.positional:
        rows = list(zip(*(values[name] for name in statement.positiontup)))
    else:
        rows = [dict(zip(values, row)) for row in zip(*values.values())]
    if rows:
        connection.exec_driver_sql(statement.string, rows)


@contextmanager
def bulk_insert(connection: Connection, tables: list[Table], count: int) -> Iterator[None]:
    """A block that inserts `count` rows into each of `tables`. On SQLite, when that at least doubles the
    first table, the tables' plain indexes are dropped before and built again after: building an index
    sorts once, while keeping it through the insert updates it row by row, about twice the work for a
    first import of a large log. Keys and unique indexes stay, so every constraint is checked as the rows
    go in. In the write transaction, so readers and a failure see the indexes as they were."""
    if connection.dialect.name != "sqlite" or count < max(BULK_ROWS, connection.execute(
            select(func.count()).select_from(tables[0])).scalar_one()):
        yield
        return
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({', '.join('?' * len(tables))})",
        tuple(table.name for table in tables)).all()
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        connection.exec_driver_sql(sql)


class UpgradeError(Exception):
    """The store could not be brought to the newest schema and was left as it was; str(error) says so in Swedish
    and what to do."""


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest version, all in one write transaction: a migration that fails
    half-way leaves the store at its old version (on SQLite as on PostgreSQL, DDL is part of the transaction) and
    raises UpgradeError, so that nothing starts on a half-upgraded store."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    stored = None
    try:
        with write_transaction(engine) as connection:
            stored = _versions_in(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as error:
        raise UpgradeError(_upgrade_failed(stored, error)) from error


def _upgrade_failed(stored: frozenset[str] | None, error: Exception) -> str:
    """What happened, in Swedish, and what to do; `stored` the versions the store was at (None: not yet read)."""
    cause = " ".join(str(error).split())[:300] or type(error).__name__
    if stored == frozenset():
        return (f"Databasen kunde inte skapas ({cause}). Ingenting sparades. Kontrollera CIVSAM_DATABASE_URL och att "
                "kontot får skapa tabeller, och kontakta den som förvaltar civsam om felet kvarstår.")
    at = f" på version {', '.join(sorted(stored))}" if stored else ""
    return (f"Databasen kunde inte uppgraderas till den här versionen av civsam ({cause}). Ingenting ändrades: "
            f"databasen är kvar{at}. Starta den tidigare versionen av civsam igen, "
            "eller återställ den senaste säkerhetskopian (README: Backups, restores and upgrades), och kontakta den "
            "som förvaltar civsam med det här meddelandet.")


def open_store(url: str | None = None) -> Engine:
    """An engine for a store whose schema is up to date. A store already at the newest version is only read:
    opening it takes no write lock and changes nothing (every server start and every "Clear cache" opens it), and
    loads no alembic (a command such as summary starts that much sooner)."""
    engine = create_store_engine(url)
    if _stored_versions(engine) != newest_versions():
        migrate(engine)
    return engine


def _stored_versions(engine: Engine) -> frozenset[str]:
    """The revisions alembic has recorded in the store; none for a new one."""
    with engine.connect() as connection:
        return _versions_in(connection)


def _versions_in(connection: Connection) -> frozenset[str]:
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


@cache
def newest_versions() -> frozenset[str]:
    """The heads of civsam/migrations: each revision no other revises, read from the `revision` and
    `down_revision` every migration file assigns, as alembic reads them."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assigned = {target.id: ast.literal_eval(node.value) for node in ast.parse(path.read_bytes()).body
                    if isinstance(node, ast.Assign) for target in node.targets
                    if isinstance(target, ast.Name) and target.id in ("revision", "down_revision")}
        revisions.add(assigned["revision"])
        down = assigned["down_revision"] or ()
        revised.update([down] if isinstance(down, str) else down)  # a merge revises several
    return frozenset(revisions - revised)


class BackupError(Exception):
    """The backup cannot be made; str(error) says why in Swedish."""


def backup(engine: Engine, target: Path) -> None:
    """A consistent copy of an SQLite store while the app runs (SQLite's online backup API), in a new file that
    only its owner may read (it holds the contact persons' names). Raises BackupError, or OSError when the file
    cannot be made."""
    if engine.dialect.name != "sqlite":
        raise BackupError("Säkerhetskopian görs med PostgreSQL:s eget verktyg: pg_dump -Fc -f civsam.dump DATABAS.")
    try:  # O_EXCL: a path that exists is refused, a symbolic link too (even one to nowhere), so none is followed
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        raise BackupError(f"{target} finns redan. Välj ett nytt filnamn, så skrivs ingen kopia över.") from None
    with engine.connect() as connection:
        source = connection.connection.dbapi_connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
