"""`python -m civsam export`: the presentation (pptx) or the report (xlsx) of a selection, as a file."""

import datetime as dt
import os
from pathlib import Path

import click

from civsam.cli.common import UserError, command, say, write_file
from civsam.i18n import LANGUAGES
from civsam.reference import COUNTY_NAMES


def _iso_date(context, parameter, text: str | None) -> dt.date | None:
    from civsam import periods

    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-01-01") from None
    if not periods.in_range(day):
        raise click.BadParameter(f"{text} ligger utanför åren {periods.FIRST_YEAR}–{periods.LAST_YEAR}")
    return day


def _preset(context, parameter, code: str | None):
    from civsam import periods

    if code is None:
        return None
    preset = periods.parse(code)
    if preset is None:
        raise click.BadParameter(f"{code} är ingen period; skriv t.ex. 2026, 2026T2, 2026K3 eller 12m")
    return preset


@command("export", "presentation (pptx) eller rapport (xlsx) för ett urval",
         "python -m civsam export pptx deck.pptx --from 2025-01-01",
         "FORMAT är pptx (presentationen) eller xlsx (rapporten); OUT är filen som skrivs.")
@click.argument("file_format", metavar="FORMAT", type=click.Choice(("pptx", "xlsx")))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--period", "preset", metavar="PERIOD", callback=_preset, help="en period: 2026, 2026T2 (tertial), "
              "2026K3 (kvartal) eller 12m (standard: de senaste 12 månaderna)")
@click.option("--from", "start", metavar="ÅÅÅÅ-MM-DD", callback=_iso_date,
              help="första dag, ÅÅÅÅ-MM-DD (i stället för --period)")
@click.option("--to", "end", metavar="ÅÅÅÅ-MM-DD", callback=_iso_date, help="sista dag, ÅÅÅÅ-MM-DD")
@click.option("--county", type=click.Choice(COUNTY_NAMES), help="bara ett län")
@click.option("--type", "types", metavar="TYP", multiple=True, help="bara en aktivitetstyp, t.ex. Möte (kan upprepas)")
@click.option("--lang", type=click.Choice(LANGUAGES), default="sv", help="språk (standard: sv)")
@click.option("--force", is_flag=True, help="ersätt en fil (eller länk) som redan finns")
def export(file_format: str, out: Path, preset, start: dt.date | None, end: dt.date | None, county: str | None,
           types: tuple[str, ...], lang: str, force: bool) -> int:
    if os.path.lexists(out) and not force:  # before the deck is built: that takes seconds
        raise UserError(f"{out} finns redan. Välj ett nytt filnamn, eller ersätt filen med --force.")
    from civsam import periods
    from civsam.audit import login_name, record
    from civsam.db import open_store, write_transaction
    from civsam.deck import deck_bytes
    from civsam.filters import Filters, default_period
    from civsam.images import ImagesUnavailable
    from civsam.presentation import build_story, direct_query
    from civsam.queries import date_range, source_facts
    from civsam.report import report_bytes

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
    story = build_story(filters, lang, direct_query(engine))
    try:
        content = (deck_bytes(story, source_facts(engine)) if file_format == "pptx"
                   else report_bytes(story, source_facts(engine)))
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
    say(f"{out}: {len(story.charts)} diagram, {filters.start} – {filters.end}.")
    return 0


COMMANDS = (export,)
