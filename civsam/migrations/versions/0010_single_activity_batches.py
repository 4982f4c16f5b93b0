"""One activity added, edited or deleted without a workbook is a batch of its own, and a deleted row can come back.

import_batches.kind takes 'add', 'edit' and 'delete' besides 'import' and 'demo'; revisions.deleted marks a
revision that keeps a whole deleted row, which undo inserts again (civsam.batches).

SQLite cannot alter a CHECK constraint, and copying import_batches (Alembic's batch mode) is impossible inside
the migration's transaction while foreign keys are on: every activity refers to its batch. So the constraint is
widened in the stored schema itself, by the procedure SQLite's manual gives for changing a constraint
(https://sqlite.org/lang_altertable.html, "writable_schema"): every stored row still satisfies the wider check.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
OLD_CHECK = "kind IN ('import', 'demo')"
NEW_CHECK = "kind IN ('import', 'demo', 'add', 'edit', 'delete')"


def upgrade() -> None:
    _batch_kinds(OLD_CHECK, NEW_CHECK)
    op.add_column("revisions", sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("revisions", "deleted")
    _batch_kinds(NEW_CHECK, OLD_CHECK)


def _batch_kinds(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("batch_kind", "import_batches", type_="check")
        op.create_check_constraint("batch_kind", "import_batches", new)
        return
    connection = op.get_bind()
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql("UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
                               "WHERE type = 'table' AND name = 'import_batches'", (old, new))
    connection.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")  # other connections read the new schema
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
