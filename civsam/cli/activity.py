"""The `activity` commands: one activity logged, corrected or deleted without a workbook, and the activity list.

    python -m civsam activity add --date 2026-03-04 --organisation Samforma --municipality Lycksele --json
    python -m civsam activity list --search Samforma --json
"""

import click

from civsam.cli.common import HELP


@click.group("activity", help="en aktivitet i taget: lägg till, ändra, ta bort, lista",
             short_help="en aktivitet i taget: lägg till, ändra, ta bort, lista")
@click.help_option("-h", "--help", help=HELP)
def activity() -> None:
    pass


COMMANDS = (activity,)
