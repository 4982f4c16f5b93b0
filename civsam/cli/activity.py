"""The `activity` commands: one activity logged, corrected or deleted without a workbook, and the activity list.

    python -m civsam activity add --date 2026-03-04 --organisation Samforma --municipality Lycksele --json
    python -m civsam activity edit 12 --hours 2 --json
    python -m civsam activity delete 12
    python -m civsam activity list --search Samforma --json

add, edit and delete print {"id", "batch"} with --json; `python -m civsam undo BATCH` takes either back. A value
the import would refuse ends the command with exit code 1 and the import's messages on stderr; nothing is stored.
"""

import datetime as dt
import json
import sys

import click

from civsam.cli.common import HELP, UserError, command, iso_date, json_option, say
from civsam.formatting import format_number


@click.group("activity", help="en aktivitet i taget: lägg till, ändra, ta bort, lista",
             short_help="en aktivitet i taget: lägg till, ändra, ta bort, lista")
@click.help_option("-h", "--help", help=HELP)
def activity() -> None:
    pass


# the options that describe an activity, in the order --help lists them: each read as the import reads its column's
# cell (civsam.importing.single_activity.FIELDS), so that a refused value gets the import's message
VALUE_OPTIONS = (
    click.option("--date", "date", help="datum, t.ex. 2026-03-04"),
    click.option("--organisation", "organisations", multiple=True, help="organisation; upprepa för flera"),
    click.option("--municipality", "municipality", help="kommun, t.ex. Lycksele"),
    click.option("--county", "county", help="län, för en aktivitet i hela länet: Västerbotten eller Norrbotten"),
    click.option("--type", "type", help="typ, t.ex. Möte (standard: Möte)"),
    click.option("--title", "title", help="rubrik"),
    click.option("--sector", "sector", help="sektor för en organisation som inte finns i registret, t.ex. "
                                            "Civilsamhälle"),
    click.option("--hours", "hours", help="arbetstimmar, t.ex. 1,5"),
    click.option("--participants", "participants", help="antal deltagare"),
    click.option("--cost", "cost", help="kostnad i kronor"),
    click.option("--project", "project", help="projekt"),
    click.option("--youth/--no-youth", "youth", default=None, help="med barn och unga (eller inte)"),
    click.option("--agreement", "agreement", help="avtalet aktiviteten hör till, som det heter i civsam"),
    click.option("--responsible", "responsible", help="ansvarig"),
    click.option("--comment", "comment", help="kommentar"),
)


def value_options(function):
    """The options that describe an activity; an edit changes only those given."""
    for option in reversed(VALUE_OPTIONS):
        function = option(function)
    return function


def _given(values: dict) -> dict:
    """The fields whose options were given: an empty --organisation list or a missing flag is none."""
    return {field: list(value) if field == "organisations" else value for field, value in values.items()
            if value is not None and value != ()}


def _saved(saved, as_json: bool, done: str) -> int:
    if as_json:
        say(json.dumps(saved._asdict()))
    else:
        say(f"Aktivitet {saved.id} är {done} (import {saved.batch}; ångra med python -m civsam undo {saved.batch}).")
    return 0


def _refused(problems: list[tuple[str, str]]) -> int:
    for column, message in problems:
        say(f"civsam: {column}: {message}" if column else f"civsam: {message}", file=sys.stderr)
    return 1


@command("add", "lägg till en aktivitet", "python -m civsam activity add --date 2026-03-04 --organisation Samforma "
         "--municipality Lycksele --json",
         "Samma regler och meddelanden som importen; ingenting sparas när något värde avvisas (slutkod 1).")
@value_options
@json_option
def add(as_json: bool, **values) -> int:
    from civsam.db import open_store
    from civsam.importing.single_activity import ActivityRefused, add_activity

    try:
        return _saved(add_activity(open_store(), _given(values)), as_json, "sparad")
    except ActivityRefused as refused:
        return _refused(refused.problems)


@command("edit", "ändra en aktivitet", "python -m civsam activity edit 12 --hours 2 --json",
         "De värden som anges ersätter de lagrade; övriga behålls. Kommun eller län ersätter båda.")
@click.argument("activity_id", type=int)
@value_options
@json_option
def edit(activity_id: int, as_json: bool, **values) -> int:
    from civsam.db import open_store
    from civsam.importing.single_activity import ActivityRefused, UnknownActivity, edit_activity

    try:
        return _saved(edit_activity(open_store(), activity_id, _given(values)), as_json, "ändrad")
    except ActivityRefused as refused:
        return _refused(refused.problems)
    except UnknownActivity as error:
        raise UserError(str(error)) from None


@command("delete", "ta bort en aktivitet", "python -m civsam activity delete 12 --json")
@click.argument("activity_id", type=int)
@json_option
def delete(activity_id: int, as_json: bool) -> int:
    from civsam.db import open_store
    from civsam.importing.single_activity import UnknownActivity, delete_activity

    try:
        return _saved(delete_activity(open_store(), activity_id), as_json, "borttagen")
    except UnknownActivity as error:
        raise UserError(str(error)) from None


@command("list", "aktiviteterna, nyast först", "python -m civsam activity list --search Samforma --json",
         "Utan --from och --to gäller de senaste 12 månaderna.")
@click.option("--from", "start", metavar="ÅÅÅÅ-MM-DD", callback=iso_date, help="första dag, ÅÅÅÅ-MM-DD")
@click.option("--to", "end", metavar="ÅÅÅÅ-MM-DD", callback=iso_date, help="sista dag, ÅÅÅÅ-MM-DD")
@click.option("--county", metavar="LÄN", help="bara ett län: Västerbotten eller Norrbotten")
@click.option("--municipality", metavar="KOMMUN", help="bara en kommun, t.ex. Lycksele")
@click.option("--organisation", metavar="NAMN", help="bara aktiviteter med den här organisationen")
@click.option("--search", metavar="TEXT", default="", help="sök i rubrik, organisationer och kommentar")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", default=50, show_default=True, help="högst så många")
@json_option
def list_activities(start: dt.date | None, end: dt.date | None, county: str | None, municipality: str | None,
                    organisation: str | None, search: str, limit: int, as_json: bool) -> int:
    from civsam import periods
    from civsam.activity_list import activity_page
    from civsam.db import open_store
    from civsam.filters import Filters, default_period

    default_start, default_end = default_period(periods.today())
    start, end = start or default_start, end or default_end
    if start > end:
        raise UserError("--from ligger efter --to. Byt plats på datumen.")
    filters = Filters(start, end, _county(county), _municipalities(municipality))
    listed = activity_page(open_store(), filters, search, organisation, limit=limit)
    activities = [_as_json(row) for row in listed.activities.itertuples(index=False)]
    if as_json:
        say(json.dumps({"total": listed.total, "activities": activities}, ensure_ascii=False, indent=2))
        return 0
    say(f"{format_number(listed.total)} aktiviteter {start} – {end}" + (f", de {len(activities)} senaste:"
                                                                       if len(activities) < listed.total else ":"))
    for each in activities:
        place = each["municipality"] or f"hela {each['county']}"
        say(f"{each['id']:>7}  {each['date']}  {each['type']}: {each['title'] or '–'}. "
            f"{'; '.join(each['organisations'])} ({place}), {format_number(each['hours'], 1)} h"
            + "".join(f", {value}" for value in (each["project"], each["agreement"]) if value))
    return 0


def _county(typed: str | None) -> str | None:
    from civsam.parsing import CellError, parse_county

    try:
        return parse_county(typed)
    except CellError as error:
        raise UserError(f"--county {typed}: {error}") from None


def _municipalities(typed: str | None) -> tuple[str, ...]:
    from civsam.parsing import CellError, parse_municipality

    try:
        municipality = parse_municipality(typed)
    except CellError as error:
        raise UserError(f"--municipality {typed}: {error}") from None
    return (municipality.code,) if municipality else ()


def _as_json(row) -> dict:
    return {"id": row.id, "date": row.date.isoformat(), "type": row.type, "title": row.title,
            "organisations": list(row.organisations), "municipality": row.municipality, "county": row.county,
            "hours": row.hours, "project": row.project, "agreement": row.agreement}


for subcommand in (add, edit, delete, list_activities):
    activity.add_command(subcommand)

COMMANDS = (activity,)
