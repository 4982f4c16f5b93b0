"""The command on one organisation: its profile, as the page /organisation shows it."""

import datetime as dt
import json

import click

from civsam.cli.common import UserError, command, iso_date, json_option, say
from civsam.formatting import format_number


@command("organisation", "en organisations profil: paraplyer, medlemmar, aktiviteter, projekt, avtal",
         'python -m civsam organisation "Samforma" --from 2025-01-01 --json',
         "Räknar all tid, om inte --from eller --to anges.")
@click.argument("name")
@click.option("--from", "start", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="räkna från och med den dagen")
@click.option("--to", "end", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="räkna till och med den dagen")
@json_option
def organisation(name: str, start: dt.date | None, end: dt.date | None, as_json: bool) -> int:
    from dataclasses import replace

    from civsam import profile
    from civsam.db import open_store

    engine = open_store()
    filters = replace(profile.ALL_TIME, start=start or profile.ALL_TIME.start, end=end or profile.ALL_TIME.end)
    if filters.start > filters.end:
        raise UserError(f"--from ({filters.start}) ligger efter --to ({filters.end}). Byt plats på datumen.")
    found = profile.summary(engine, name, filters)
    if found is None:
        close = profile.close_names(engine, name)
        guess = f" Menar du {' eller '.join(close)}?" if close else ""
        raise UserError(f"det finns ingen organisation som heter {name}.{guess} Se registret på sidan "
                        "Organisationer.")
    if as_json:
        say(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    say(f"{found['name']}: {format_number(found['activities'])} aktiviteter, "
        f"{format_number(found['activities_with_members'])} med medlemmarna; "
        f"första kontakt {found['first_contact'] or '–'}, senaste {found['last_contact'] or '–'}; "
        f"{format_number(found['municipalities'])} kommuner")
    for label, key in (("Medlem i", "member_of"), ("Medlemmar", "members"), ("Mötta medlemmar", "members_met"),
                       ("Projekt", "projects"), ("Avtal", "agreements")):
        say(f"  {label}: {', '.join(found[key]) or '–'}")
    return 0


COMMANDS = (organisation,)
