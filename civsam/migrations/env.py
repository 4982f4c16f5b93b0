"""Alembic's entry point: runs the migrations on the connection civsam.db.migrate passes in."""

from alembic import context

from civsam.models import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
