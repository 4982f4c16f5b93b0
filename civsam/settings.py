"""Settings as documented data: each has a name, a default and a help text.

A setting is read from the environment. tests/test_docs.py fails when one is
missing from the README. Sign-in itself (accounts, single sign-on) lives in
.streamlit/secrets.toml, read by civsam.auth.
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
    Setting(
        "CIVSAM_REQUIRE_LOGIN",
        "",
        "Set to 1 to require sign-in for everything, viewing too; by default anyone who reaches the dashboard may "
        "view it and only editing needs the coordinator role.",
    ),
    Setting(
        "CIVSAM_RETENTION_YEARS",
        "",
        "How many years a responsible person's name is kept after their last activity; `python -m civsam "
        "retention` pseudonymises older ones. Empty: no retention period.",
    ),
    Setting(
        "CIVSAM_STRATSYS_FILE",
        str(PROJECT_DIR / ".streamlit" / "stratsys.toml"),
        "The Stratsys settings (TOML): the unit's and the measures' names as spelled in the region's Stratsys, which "
        "measures the file holds, and the external codes of the file integration. Without the file, the defaults.",
    ),
)
SETTING_BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name) or SETTING_BY_NAME[name].default


def enabled(name: str) -> bool:
    """A yes/no setting: 1, true, yes, ja or on (any case) is yes."""
    return get(name).strip().casefold() in {"1", "true", "yes", "ja", "on"}
