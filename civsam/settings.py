"""Settings as documented data: each has a name, a default and a help text.

A setting is read from the environment. tests/test_docs.py fails when one is
missing from the README.
"""

import os
from pathlib import Path
from typing import NamedTuple

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Setting(NamedTuple):
    name: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "CIVSAM_DATABASE_URL",
        f"sqlite:///{PROJECT_DIR / 'data' / 'civsam.db'}",
        "Where the store lives: an SQLAlchemy URL, by default the SQLite file data/civsam.db "
        "(PostgreSQL as postgresql+psycopg://user:password@host/db).",
    ),
)
SETTING_BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name) or SETTING_BY_NAME[name].default
