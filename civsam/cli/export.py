"""`python -m civsam export`: the presentation (pptx), the report (xlsx) or the measures for Stratsys (stratsys) of a
selection, as a file."""

import datetime as dt
import os
from pathlib import Path

import click

from civsam.cli.common import UserError, command, iso_date, say, write_file
from civsam.i18n import LANGUAGES
from civsam.reference import COUNTY_NAMES


def _preset(context, parameter, code: str | None):
    from civsam import periods

    if code is None:
        return None
    preset = periods.parse(code)
    if preset is None:
        raise click.BadParameter(f"{code} är ingen period; skriv t.ex. 2026, 2026T2, 2026K3 eller 12m")
    return preset


@command("export", "presentation (pptx), rapport (xlsx) eller mått för Stratsys (stratsys) för ett urval",
         "python -m civsam export pptx deck.pptx --from 2025-01-01",
         "FORMAT är pptx (presentationen), xlsx (rapporten) eller stratsys (måttvärdena som textfil för Stratsys, "
         "med namnen i CIVSAM_STRATSYS_FILE); OUT är filen som skrivs.")
@click.argument("file_format", metavar="FORMAT", type=click.Choice(("pptx", "xlsx", "stratsys")))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--period", "preset", metavar="PERIOD", callback=_preset, help="en period: 2026, 2026T2 (tertial), "
              "2026K3 (kvartal) eller 12m (standard: de senaste 12 månaderna)")
@click.option("--from", "start", metavar="ÅÅÅÅ-MM-DD", callback=iso_date,
              help="första dag, ÅÅÅÅ-MM-DD (i stället för --period)")
@click.option("--to", "end", metavar="ÅÅÅÅ-MM-DD", callback=iso_date, help="sista dag, ÅÅÅÅ-MM-DD")
@click.option("--county", type=click.Choice(COUNTY_NAMES), help="bara ett län")
@click.option("--type", "types", metavar="TYP", multiple=True, help="bara en aktivitetstyp, t.ex. Möte (kan upprepas)")
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", help="språk (standard: sv)")
@click.option("--unit", metavar="NAMN", help="stratsys: enhetens namn i Stratsys (standard: inställningsfilens, "
              "annars Region Västerbotten)")
@click.option("--format", "layout", type=click.Choice(("import", "integration")), default="import",
              help="stratsys: import (Importera måttdata, standard) eller integration (filintegrationen, med "
                   "externa koder)")
@click.option("--force", is_flag=True, help="ersätt en fil (eller länk) som redan finns")
def export(file_format: str, out: Path, preset, start: dt.date | None, end: dt.date | None, county: str | None,
           types: tuple[str, ...], lang: str, unit: str | None, layout: str, force: bool) -> int:
    if file_format != "stratsys" and (unit or layout != "import"):
        raise UserError("--unit och --format gäller bara export stratsys.")
    if unit is not None and layout == "integration":
        raise UserError("--unit gäller inte --format integration: filintegrationen läser enhetens externa kod, "
                        "unit_code i inställningsfilen.")
    if file_format == "stratsys" and types:
        raise UserError("Måtten för Stratsys räknar alla aktivitetstyper: ta bort --type.")
    if os.path.lexists(out) and not force:  # before the deck is built: that takes seconds
        raise UserError(f"{out} finns redan. Välj ett nytt filnamn, eller ersätt filen med --force.")
    from civsam import periods
    from civsam.audit import login_name, record
    from civsam.db import open_store, write_transaction
    from civsam.filters import Filters, default_period
    from civsam.images import ImagesUnavailable
    from civsam.queries import date_range

    engine = open_store()
    if date_range(engine) is None:
        raise UserError("Databasen har inga aktiviteter att exportera. Importera en logg eller kör demo först.")
    if preset and (start or end):
        raise UserError("Ange antingen --period eller --from och --to, inte båda.")
    today = periods.today()
    default_start, default_end = preset.dates(today) if preset else default_period(today)
    start, end = start or default_start, end or default_end
    if start > end:
        raise UserError("--from ligger efter --to. Byt plats på datumen.")
    filters = Filters(start, end, county, types=types, comparison=periods.default_comparison(start, end))
    try:
        content, done = (_measures(engine, filters, unit, layout) if file_format == "stratsys"
                         else _presentation(engine, filters, lang, file_format))
        write_file(out, content, replace=force)
        with write_transaction(engine) as connection:
            record(connection, "export", login_name(), f"{out.absolute()}: {filters.start} – {filters.end}, "
                   f"{filters.county or 'båda länen'}")
    except ImagesUnavailable as error:
        raise UserError(str(error)) from None
    except FileExistsError:
        raise UserError(f"{out} finns redan. Välj ett nytt filnamn, eller ersätt filen med --force.") from None
    except OSError as error:
        raise UserError(f"{out} går inte att skriva: {error.strerror}.") from None
    say(f"{out}: {done}, {filters.start} – {filters.end}.")
    return 0


def _presentation(engine, filters, lang: str, file_format: str) -> tuple[bytes, str]:
    """The deck or the report, and what it holds in words."""
    from civsam.deck import deck_bytes
    from civsam.presentation import build_story, direct_query
    from civsam.queries import source_facts
    from civsam.report import report_bytes

    story = build_story(filters, lang, direct_query(engine))
    content = (deck_bytes(story, source_facts(engine)) if file_format == "pptx"
               else report_bytes(story, source_facts(engine)))
    return content, f"{len(story.charts)} diagram"


def _measures(engine, filters, unit: str | None, layout: str) -> tuple[bytes, str]:
    """The measure file for Stratsys, and what it holds in words: how many values, for which unit, and which
    measures have no value for the period."""
    from civsam import stratsys

    try:
        chosen = stratsys.load_settings()
        if unit is not None:
            chosen = stratsys.with_unit(chosen, unit)
        values = stratsys.measure_values(engine, filters)
        content = stratsys.measure_file(values, chosen, filters.end, layout)
    except stratsys.StratsysError as error:
        raise UserError(str(error)) from None
    skipped = stratsys.left_out(values, chosen)
    written = len(chosen.included()) - len(skipped)
    where = chosen.unit_code if layout == "integration" else chosen.unit
    note = f" (utan värde, så utan rad: {', '.join(skipped)})" if skipped else ""
    return content, f"{written} mått för {where}{note}"


COMMANDS = (export,)
