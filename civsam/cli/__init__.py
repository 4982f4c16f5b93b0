"""The command line, `python -m civsam COMMAND`: thin click commands over the library.

Each command opens the store named by CIVSAM_DATABASE_URL (by default the
SQLite file data/civsam.db), upgrading its schema first. A user error ends
with one Swedish line on stderr and exit code 2, never a traceback. A command
imports what it needs when it runs: `--help` and `summary` never load pandas,
plotly or python-pptx.

    python -m civsam import logg.xlsx            # exit 0, or 1 when rows were rejected
    python -m civsam import logg.xlsx --json --dry-run
    python -m civsam summary --json
    python -m civsam agreements --json          # every agreement: how many commitments by status, late, activities
    python -m civsam organisation Samforma --json   # one organisation's profile (--from, --to; all time without)
    python -m civsam batches
    python -m civsam undo 7
    python -m civsam demo --activities 1000000
    python -m civsam template mall.xlsx
    python -m civsam template --enkat enkat.xlsx   # the partner survey's questions for Microsoft Forms
    python -m civsam survey --year 2025 --json      # the survey's answers per principle
    python -m civsam backup kopia.db               # a consistent copy while the app runs
    python -m civsam audit                          # who did what, when
    python -m civsam person "Anna Andersson" --show
    python -m civsam person "Anna Andersson" --pseudonymise --decision "RUN 2025/123"
    python -m civsam retention --dry-run             # names past CIVSAM_RETENTION_YEARS (or --years 5)
    python -m civsam retention --decision "RUN 2025/123"
    python -m civsam account hash                   # a local account's password hash for secrets.toml
    python -m civsam export pptx deck.pptx --from 2025-01-01 --to 2025-12-31 --county Norrbotten
    python -m civsam export xlsx rapport.xlsx --period 2026T2 --type Möte
    python -m civsam export xlsx rapport.xlsx --force   # replace rapport.xlsx (an export never overwrites unasked)
    python -m civsam export stratsys matt.txt --period 2026T2   # the measures for Stratsys (CIVSAM_STRATSYS_FILE)
    python -m civsam serve --server.port 8501    # the dashboard (options go to streamlit run)
"""

import sys
from typing import NoReturn

import click

from civsam.cli import activity, export, organisation, people, store, survey
from civsam.cli.common import HELP, UserError, database_error, say

PROG = "python -m civsam"


class _Commands(click.Group):
    """The commands, each returning its exit code. A UserError or a failing database ends the command with one
    Swedish line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> NoReturn:
        try:
            code = super().invoke(ctx)
        except UserError as error:
            say(f"civsam: {error}", file=sys.stderr)
            code = 2
        except Exception as error:
            if _failed_upgrade(error):  # already says what happened and what to do
                say(f"civsam: {error}", file=sys.stderr)
            elif _from_the_database(error):
                say(f"civsam: {database_error(error)}", file=sys.stderr)
            else:
                raise
            code = 2
        ctx.exit(code)  # in click's standalone mode too (CliRunner), where a returned value is not the exit code


def _failed_upgrade(error: Exception) -> bool:
    """Whether `error` is civsam.db's UpgradeError: only a command that has opened the store can raise one."""
    store = sys.modules.get("civsam.db")
    return store is not None and isinstance(error, store.UpgradeError)


def _from_the_database(error: Exception) -> bool:
    """Whether `error` is SQLAlchemy's: only a command that has loaded SQLAlchemy can raise one, and `--help` or a
    usage error need not load it to know."""
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_errors is not None and isinstance(error, sqlalchemy_errors.SQLAlchemyError)


@click.group(cls=_Commands, help="civsam: samverkan med civilsamhället.",
             context_settings={"help_option_names": ["-h", "--help"]})
@click.help_option("-h", "--help", help=HELP)
def cli() -> None:
    pass


for command in (*store.COMMANDS, *organisation.COMMANDS, *activity.COMMANDS, *export.COMMANDS, *people.COMMANDS,
                *survey.COMMANDS):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv` (by default the process's arguments) and return its exit code. A usage error (an
    unknown option, a date that is no date) prints click's message and raises SystemExit(2), as argparse did."""
    try:
        return cli.main(argv, prog_name=PROG, standalone_mode=False)
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except click.Abort:
        say("civsam: avbrutet.", file=sys.stderr)
        raise SystemExit(1) from None
