"""The `activity` commands: one activity logged, corrected or deleted without a workbook, and the activity list.

    python -m civsam activity add --date 2026-03-04 --organisation Samforma --municipality Lycksele --json
    python -m civsam activity list --search Samforma --json
"""

import datetime as dt
import json

import click

from civsam.cli.common import HELP, UserError, command, json_option, say
from civsam.cli.export import _iso_date
from civsam.formatting import format_number


@click.group("activity", help="en aktivitet i taget: lägg till, ändra, ta bort, lista",
             short_help="en aktivitet i taget: lägg till, ändra, ta bort, lista")
@click.help_option("-h", "--help", help=HELP)
def activity() -> None:
    pass


@command("list", "aktiviteterna, nyast först", "python -m civsam activity list --search Samforma --json",
         "Utan --from och --to gäller de senaste 12 månaderna.")
@click.option("--from", "start", metavar="ÅÅÅÅ-MM-DD", callback=_iso_date, help="första dag, ÅÅÅÅ-MM-DD")
@click.option("--to", "end", metavar="ÅÅÅÅ-MM-DD", callback=_iso_date, help="sista dag, ÅÅÅÅ-MM-DD")
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


activity.add_command(list_activities)
COMMANDS = (activity,)
