"""The audit log stays append-only against every statement, not only UPDATE and DELETE (migration 0004).

SQLite: INSERT OR REPLACE (and REPLACE INTO) with an existing id deletes the entry without firing a DELETE
trigger, unless the connection has turned on PRAGMA recursive_triggers, which a connection civsam does not
make never does. So the schema refuses, before the insert, an entry whose id is already taken: that holds
on every connection. Before the insert an id left to SQLite reads as -1, so an entry appended with id -1 would
then refuse every entry civsam adds: an id below 1 is refused after the insert, when the id is known.
An UPSERT's DO UPDATE is refused by the UPDATE trigger of 0004.
PostgreSQL: TRUNCATE fires no row trigger, so a statement trigger refuses it. REPLACE does not exist there,
and an UPSERT's DO UPDATE is refused by the row trigger of 0004.
DROP TABLE and ALTER TABLE … DISABLE TRIGGER stay possible for the table's owner: the app's role must not own
it (README, Security).

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"
REFUSAL = "audit_log är skrivskyddad: poster kan bara läggas till"  # as migration 0004
BAD_ID = "audit_log: en post får bara ett id från 1 och uppåt"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""")
    else:
        op.execute(f"""CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
                       WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
                       BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
        op.execute(f"""CREATE TRIGGER audit_log_positive_id AFTER INSERT ON audit_log WHEN NEW.id < 1
                       BEGIN SELECT RAISE(ABORT, '{BAD_ID}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    else:
        op.execute("DROP TRIGGER audit_log_positive_id")
        op.execute("DROP TRIGGER audit_log_no_replace")
