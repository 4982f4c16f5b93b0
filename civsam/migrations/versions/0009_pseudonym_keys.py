"""A pseudonym is no name: its key moves to one no typed name can have.

A pseudonymised person's key was the name key of "Person 12 (pseudonymiserad)", which a coordinator could
type too: pseudonymising person 12 then collided with a typed name of that spelling, and an import filed a
typed "Person 12 (pseudonymiserad)" under the pseudonym. Its key is now " pseudonym 12" (civsam.people
.pseudonym_key): it begins with a space, which civsam.parsing.name_key never gives.

Revision ID: 0009
"""

from alembic import op

revision = "0009"
down_revision = "0008"
OWN_PSEUDONYM = "name = 'Person ' || CAST(id AS VARCHAR) || ' (pseudonymiserad)'"  # "Person 12 …" of person 12


def upgrade() -> None:
    op.execute(f"UPDATE people SET name_key = ' pseudonym ' || CAST(id AS VARCHAR) WHERE {OWN_PSEUDONYM}")


def downgrade() -> None:
    op.execute(f"UPDATE people SET name_key = lower(name) WHERE {OWN_PSEUDONYM}")
