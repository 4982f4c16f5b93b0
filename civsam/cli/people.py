"""The commands on people and accountability: audit, person, retention (GDPR) and account (a password hash)."""

import getpass
import sys

import click

from civsam.cli.common import UserError, command, json_option, say
from civsam.cli.store import listing


@command("audit", "granskningsloggen: vem gjorde vad och när", "python -m civsam audit --json")
@json_option
def audit(as_json: bool) -> int:
    import pandas as pd

    from civsam.audit import entries
    from civsam.db import open_store
    from civsam.formatting import format_date, format_number

    def line(entry) -> str:
        batch = f" import {entry.batch_id}" if pd.notna(entry.batch_id) else ""
        rows = f", {format_number(entry.rows)} rader" if pd.notna(entry.rows) else ""
        return f"{format_date(entry.at)}  {entry.user:<14} {entry.action:<13} {entry.detail}{batch}{rows}"
    return listing(entries(open_store()), as_json, "Granskningsloggen är tom.", line)


@command("person", "var ett namn förekommer, eller pseudonymisera det",
         'python -m civsam person "Anna Andersson" --show')
@click.argument("name")
@click.option("--show", is_flag=True, help="lista aktiviteterna där namnet står")
@click.option("--pseudonymise", is_flag=True, help="ersätt namnet överallt")
@click.option("--decision", default="", help="gallringsbeslutets diarienummer (krävs för att pseudonymisera)")
def person(name: str, show: bool, pseudonymise: bool, decision: str) -> int:
    if show == pseudonymise:
        raise click.UsageError("ange antingen --show eller --pseudonymise", click.get_current_context())
    from civsam.db import open_store
    from civsam.people import PersonError, occurrences
    from civsam.people import pseudonymise as pseudonymise_name

    engine = open_store()
    if pseudonymise:
        try:
            named = pseudonymise_name(engine, name, decision)
        except PersonError as error:
            raise UserError(str(error)) from None
        say(f"Namnet är ersatt i {named} aktiviteter; åtgärden står i granskningsloggen.")
        return 0
    found = occurrences(engine, name)
    if found.empty:
        say("Namnet finns inte i civsam.")
    for row in found.itertuples():
        say(f"{row.date}  {row.type:<12} {row.title or '':<40} {row.municipality or '–':<12} {row.import_file}")
    return 0


@command("retention", "pseudonymisera namn vars aktiviteter är äldre än gallringsfristen",
         'python -m civsam retention --decision "RUN 2025/123"')
@click.option("--years", type=int, help="gallringsfrist i år (standard: CIVSAM_RETENTION_YEARS)")
@click.option("--decision", default="", help="gallringsbeslutets diarienummer (krävs utom vid --dry-run)")
@click.option("--dry-run", is_flag=True, help="lista namnen utan att ändra något")
def retention(years: int | None, decision: str, dry_run: bool) -> int:
    from civsam.db import open_store
    from civsam.people import PersonError, apply_retention, past_retention

    years = years if years is not None else _retention_years()
    engine = open_store()
    try:
        if dry_run:
            return _list_past_retention(past_retention(engine, years), years)
        done = apply_retention(engine, years, decision)
    except PersonError as error:
        raise UserError(str(error)) from None
    say(f"{done.people} namn är pseudonymiserade i {done.named} aktiviteter; åtgärden står i granskningsloggen.")
    for failure in done.failed:
        say(f"civsam: gick inte att pseudonymisera {failure}; de andra är klara. Kör kommandot igen, eller "
            "pseudonymisera namnet med person --pseudonymise.", file=sys.stderr)
    return 1 if done.failed else 0


def _retention_years() -> int:
    from civsam.settings import get

    setting = get("CIVSAM_RETENTION_YEARS").strip()
    if not setting:
        raise UserError("Ingen gallringsfrist är inställd. Sätt CIVSAM_RETENTION_YEARS eller ange --years.")
    try:
        return int(setting)
    except ValueError:
        raise UserError(f"CIVSAM_RETENTION_YEARS ska vara ett antal år, inte {setting!r}.") from None


def _list_past_retention(people, years: int) -> int:
    from civsam.formatting import format_date

    say(f"{len(people)} namn har inga aktiviteter de senaste {years} åren.")
    for person in people.itertuples():
        say(f"  {person.name}  senaste aktivitet {format_date(person.last_activity)}")
    return 0


@command("account", "lokala konton: lösenordets hash till secrets.toml", "python -m civsam account hash",
         "ÅTGÄRD hash: fråga efter ett lösenord och skriv dess hash.")
@click.argument("action", metavar="ÅTGÄRD", type=click.Choice(("hash",)))
def account(action: str) -> int:
    from civsam.auth import hash_password

    password = getpass.getpass("Lösenord: ")
    if not password:
        raise UserError("Lösenordet får inte vara tomt.")
    if getpass.getpass("Samma lösenord igen: ") != password:
        raise UserError("Lösenorden är inte lika. Försök igen.")
    say(hash_password(password))
    return 0


COMMANDS = (audit, person, retention, account)
