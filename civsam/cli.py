"""The command line, `python -m civsam COMMAND`: thin commands over the library.

Each command opens the store named by CIVSAM_DATABASE_URL (by default the
SQLite file data/civsam.db), upgrading its schema first. A user error ends
with one Swedish line on stderr and exit code 2, never a traceback.

    python -m civsam import logg.xlsx            # exit 0, or 1 when rows were rejected
    python -m civsam import logg.xlsx --json --dry-run
    python -m civsam summary --json
    python -m civsam agreements --json          # every agreement: how many commitments by status, late, activities
    python -m civsam batches
    python -m civsam undo 7
    python -m civsam demo --activities 1000000
    python -m civsam template mall.xlsx
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
    python -m civsam serve --server.port 8501    # the dashboard (options go to streamlit run)
"""

import argparse
import datetime as dt
import getpass
import json
import os
import secrets
import sqlite3
import sys
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from civsam import filecheck, periods
from civsam.agreements import agreements_summary
from civsam.audit import entries, login_name, record
from civsam.auth import hash_password
from civsam.batches import UndoError, list_batches, undo_batch
from civsam.db import BackupError, backup, open_store, write_transaction
from civsam.deck import deck_bytes
from civsam.demo import DEFAULT_ACTIVITIES, clear_demo, seed_demo
from civsam.filters import Filters, default_period
from civsam.formatting import format_date, format_number
from civsam.i18n import LANGUAGES
from civsam.images import ImagesUnavailable
from civsam.import_report import ImportReport
from civsam.importing import import_file
from civsam.people import PersonError, apply_retention, occurrences, past_retention, pseudonymise
from civsam.presentation import build_story, direct_query
from civsam.queries import date_range, source_facts, summary
from civsam.reference import COUNTY_NAMES, SECTOR_LABELS
from civsam.report import report_bytes
from civsam.settings import get
from civsam.template import template_bytes
from civsam.typed_text import for_terminal


def say(text: str, file=None) -> None:
    """Print a line whose typed text (names, file names, comments) may hold control characters: each is shown
    as its escape, so ESC cannot recolour or rewrite the terminal."""
    print(for_terminal(text), file=file or sys.stdout)


class UserError(Exception):
    """Ends the command with exit code 2 and this Swedish message on stderr."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is _serve:
        args.streamlit_options = extra  # --server.port 8502 and the like belong to streamlit run
    elif extra:
        parser.error(f"okända argument: {' '.join(extra)}")
    try:
        return args.command(args)
    except (UserError, UndoError) as error:
        say(f"civsam: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        say(f"civsam: {_database_error(error)}", file=sys.stderr)
        return 2


def _database_error(error: SQLAlchemyError) -> str:
    return (f"databasen svarar inte som väntat ({type(error).__name__}). Kontrollera CIVSAM_DATABASE_URL och att "
            "databasen går att nå.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m civsam", description="civsam: samverkan med civilsamhället.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    command = commands.add_parser("import", help="importera en aktivitetslogg (.xlsx, .xls, .ods)",
                                  description="Example: python -m civsam import logg.xlsx --json")
    command.add_argument("file", type=Path)
    command.add_argument("--strict", action="store_true", help="spara ingenting om någon rad avvisas")
    command.add_argument("--dry-run", action="store_true", help="kontrollera filen utan att spara")
    command.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    command.add_argument("--user", help="vem som importerar (standard: inloggad användare)")
    command.set_defaults(command=_import)

    command = commands.add_parser("summary", help="sammanställning av det som finns lagrat",
                                  description="Example: python -m civsam summary --json")
    command.add_argument("--json", action="store_true")
    command.set_defaults(command=_summary)

    command = commands.add_parser("agreements", help="avtalen med åtaganden per status och aktiviteter",
                                  description="Example: python -m civsam agreements --json")
    command.add_argument("--json", action="store_true")
    command.set_defaults(command=_agreements)

    command = commands.add_parser("batches", help="lista importerna", description="Example: python -m civsam batches")
    command.add_argument("--json", action="store_true")
    command.set_defaults(command=_batches)

    command = commands.add_parser("undo", help="ångra en import", description="Example: python -m civsam undo 7")
    command.add_argument("batch_id", type=int)
    command.set_defaults(command=_undo)

    command = commands.add_parser("demo", help="fyll databasen med demodata (eller ta bort den)",
                                  description="Example: python -m civsam demo --activities 20000")
    command.add_argument("--activities", type=int, default=DEFAULT_ACTIVITIES, help="antal aktiviteter")
    command.add_argument("--clear", action="store_true", help="ta bort demodata")
    command.add_argument("--if-empty", action="store_true", help="bara om databasen saknar aktiviteter")
    command.set_defaults(command=_demo)

    command = commands.add_parser("export", help="presentation (pptx) eller rapport (xlsx) för ett urval",
                                  description="Example: python -m civsam export pptx deck.pptx --from 2025-01-01")
    command.add_argument("format", choices=("pptx", "xlsx"))
    command.add_argument("out", type=Path)
    command.add_argument("--period", type=_preset, help="en period: 2026, 2026T2 (tertial), 2026K3 (kvartal) "
                                                         "eller 12m (standard: de senaste 12 månaderna)")
    command.add_argument("--from", dest="start", type=_iso_date, help="första dag, ÅÅÅÅ-MM-DD (i stället för "
                                                                       "--period)")
    command.add_argument("--to", dest="end", type=_iso_date, help="sista dag, ÅÅÅÅ-MM-DD")
    command.add_argument("--county", choices=COUNTY_NAMES, help="bara ett län")
    command.add_argument("--type", dest="types", action="append", default=[],
                         help="bara en aktivitetstyp, t.ex. Möte (kan upprepas)")
    command.add_argument("--lang", choices=LANGUAGES, default="sv")
    command.add_argument("--force", action="store_true", help="ersätt en fil (eller länk) som redan finns")
    command.set_defaults(command=_export)

    command = commands.add_parser("serve", help="starta dashboarden (flaggor går vidare till streamlit run)",
                                  description="Example: python -m civsam serve --server.port 8501")
    command.set_defaults(command=_serve)

    command = commands.add_parser("backup", help="säkerhetskopiera databasen (SQLite) medan appen kör",
                                  description="Example: python -m civsam backup civsam-2025-12-31.db")
    command.add_argument("out", type=Path)
    command.set_defaults(command=_backup)

    command = commands.add_parser("audit", help="granskningsloggen: vem gjorde vad och när",
                                  description="Example: python -m civsam audit --json")
    command.add_argument("--json", action="store_true")
    command.set_defaults(command=_audit)

    command = commands.add_parser("person", help="var ett namn förekommer, eller pseudonymisera det",
                                  description='Example: python -m civsam person "Anna Andersson" --show')
    command.add_argument("name")
    action = command.add_mutually_exclusive_group(required=True)
    action.add_argument("--show", action="store_true", help="lista aktiviteterna där namnet står")
    action.add_argument("--pseudonymise", action="store_true", help="ersätt namnet överallt")
    command.add_argument("--decision", default="", help="gallringsbeslutets diarienummer (krävs för att "
                                                        "pseudonymisera)")
    command.set_defaults(command=_person)

    command = commands.add_parser("retention", help="pseudonymisera namn vars aktiviteter är äldre än "
                                                    "gallringsfristen",
                                  description='Example: python -m civsam retention --decision "RUN 2025/123"')
    command.add_argument("--years", type=int, help="gallringsfrist i år (standard: CIVSAM_RETENTION_YEARS)")
    command.add_argument("--decision", default="", help="gallringsbeslutets diarienummer (krävs utom vid "
                                                        "--dry-run)")
    command.add_argument("--dry-run", action="store_true", help="lista namnen utan att ändra något")
    command.set_defaults(command=_retention)

    command = commands.add_parser("account", help="lokala konton: lösenordets hash till secrets.toml",
                                  description="Example: python -m civsam account hash")
    command.add_argument("action", choices=("hash",), help="hash: fråga efter ett lösenord och skriv dess hash")
    command.set_defaults(command=_account)

    command = commands.add_parser("template", help="skriv importmallen",
                                  description="Example: python -m civsam template mall.xlsx")
    command.add_argument("out", type=Path)
    command.set_defaults(command=_template)
    return parser


def _import(args) -> int:
    try:
        content = filecheck.read_file(args.file)
    except filecheck.UnsafeFile as error:
        report = ImportReport(args.file.name, error=str(error))
    except OSError as error:
        report = ImportReport(args.file.name, error=f"{args.file} går inte att läsa: {error.strerror}.")
    else:
        try:
            report = import_file(open_store(), content, args.file.name, user=args.user, strict=args.strict,
                                 dry_run=args.dry_run)
        except SQLAlchemyError as error:  # --json promises one JSON object on stdout, this failure too
            report = ImportReport(args.file.name, error=_database_error(error))
    if args.json:
        say(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    if report.error:
        say(f"civsam: {report.error}", file=sys.stderr)
    elif not args.json:
        _print_report(report)
    return report.exit_code


def _print_report(report: ImportReport) -> None:
    outcome = ("Provkörning, ingenting sparades" if report.dry_run
               else "Ingenting sparades (--strict)" if not report.stored
               else f"Sparat som import {report.batch_id}")
    say(f"{report.file_name}: {report.rows_read} rader lästa, {report.imported} nya, {report.updated} uppdaterade, "
        f"{report.duplicates} dubbletter, {report.rejected_rows} avvisade. {outcome}.")
    for rejection in report.rejected:
        say(f"  {rejection.sheet} rad {rejection.row}, {rejection.column} = {rejection.value!r}: {rejection.message}")
    if report.ignored_columns:
        say(f"Ignorerade kolumner: {', '.join(report.ignored_columns)}")
    if report.cleaned_cells:
        say(f"Osynliga styrtecken (t.ex. ESC eller NUL) tas bort ur {report.cleaned_cells} av filens celler.")


def _summary(args) -> int:
    totals = summary(open_store())
    if args.json:
        say(json.dumps(totals, ensure_ascii=False, indent=2))
        return 0
    say(f"Aktiviteter: {format_number(totals['activities'])} "
        f"(Västerbotten {format_number(totals['by_county']['Västerbotten'])}, "
        f"Norrbotten {format_number(totals['by_county']['Norrbotten'])})")
    say(f"Organisationer: {format_number(totals['organisations'])}")
    say(f"Kommuner med aktivitet: {totals['municipalities_covered']} av 29")
    say(f"Arbetstimmar: {format_number(totals['hours'], 1)}")
    for sector, count in totals["by_sector"].items():
        say(f"  {SECTOR_LABELS[sector]}: {format_number(count)} aktiviteter")
    say(f"Importer: {totals['import_batches']}")
    return 0


def _agreements(args) -> int:
    listed = agreements_summary(open_store())
    if args.json:
        say(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    if not listed["agreements"]:
        say("Inga avtal ännu. Lägg till bladen Avtal och Åtaganden i arbetsboken och importera den.")
    for agreement in listed["agreements"]:
        typed = ", ".join(f"{count} {status}" for status, count in agreement["by_status"].items() if count)
        say(f"{agreement['name']}: {agreement['kind']} med {' och '.join(agreement['partners'])}, "
            f"undertecknat {agreement['signed']}")
        say(f"  {agreement['commitments']} åtaganden ({typed or 'inga'}), {agreement['late']} försenade i dag; "
            f"{format_number(agreement['activities'])} aktiviteter")
    return 0


def _batches(args) -> int:
    def line(batch) -> str:
        state = f"ångrad {format_date(batch.undone_at)}" if pd.notna(batch.undone_at) else ""
        return (f"{batch.id:>4}  {format_date(batch.imported_at)}  {batch.user:<14} {batch.file_name:<30} "
                f"{batch.imported} nya, {batch.updated} uppdaterade, {batch.duplicates} dubbletter, "
                f"{batch.rejected} avvisade  {state}").rstrip()
    return _listing(list_batches(open_store()), args.json, "Inga importer ännu.", line)


def _listing(frame: pd.DataFrame, as_json: bool, empty: str, line) -> int:
    """A table as JSON records, or one line a row (`empty` when it has none)."""
    if as_json:
        say(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        return 0
    if frame.empty:
        say(empty)
    for row in frame.itertuples():
        say(line(row))
    return 0


def _undo(args) -> int:
    undo_batch(open_store(), args.batch_id)
    say(f"Import {args.batch_id} är ångrad.")
    return 0


def _demo(args) -> int:
    engine = open_store()
    if args.clear:
        say(f"Demodata borttagen ({clear_demo(engine)} demoomgångar).")
        return 0
    if args.activities < 1:
        raise UserError("--activities ska vara minst 1.")
    if args.if_empty and summary(engine)["activities"]:
        return 0
    batch_id = seed_demo(engine, args.activities)
    say(f"Demodata: {format_number(args.activities)} aktiviteter (import {batch_id}).")
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-01-01") from None
    if not periods.in_range(day):
        raise argparse.ArgumentTypeError(f"{text} ligger utanför åren {periods.FIRST_YEAR}–{periods.LAST_YEAR}")
    return day


def _preset(code: str) -> periods.Preset:
    preset = periods.parse(code)
    if preset is None:
        raise argparse.ArgumentTypeError(f"{code} är ingen period; skriv t.ex. 2026, 2026T2, 2026K3 eller 12m")
    return preset


def _export(args) -> int:
    if os.path.lexists(args.out) and not args.force:  # before the deck is built: that takes seconds
        raise UserError(f"{args.out} finns redan. Välj ett nytt filnamn, eller ersätt filen med --force.")
    engine = open_store()
    dates = date_range(engine)
    if dates is None:
        raise UserError("Databasen har inga aktiviteter att exportera. Importera en logg eller kör demo först.")
    if args.period and (args.start or args.end):
        raise UserError("Ange antingen --period eller --from och --to, inte båda.")
    today = periods.today()
    default_start, default_end = args.period.dates(today) if args.period else default_period(today)
    start, end = args.start or default_start, args.end or default_end
    if start > end:
        raise UserError("--from ligger efter --to. Byt plats på datumen.")
    filters = Filters(start, end, args.county, types=tuple(args.types),
                      comparison=periods.default_comparison(start, end))
    story = build_story(filters, args.lang, direct_query(engine))
    try:
        content = (deck_bytes(story, source_facts(engine)) if args.format == "pptx"
                   else report_bytes(story, source_facts(engine)))
        _write_file(args.out, content, replace=args.force)
        with write_transaction(engine) as connection:
            record(connection, "export", login_name(), f"{args.out.absolute()}: {filters.start} – {filters.end}, "
                   f"{filters.county or 'båda länen'}")
    except ImagesUnavailable as error:
        raise UserError(str(error)) from None
    except FileExistsError:
        raise UserError(f"{args.out} finns redan. Välj ett nytt filnamn, eller ersätt filen med --force.") from None
    except OSError as error:
        raise UserError(f"{args.out} går inte att skriva: {error.strerror}.") from None
    say(f"{args.out}: {len(story.charts)} diagram, {filters.start} – {filters.end}.")
    return 0


def _write_file(path: Path, content: bytes, *, replace: bool) -> None:
    """Write a new file at `path`, never through a symbolic link. With `replace`, whatever `path` names (a file,
    a link) is replaced by the new file, renamed into place whole; without, a path that exists is refused with
    FileExistsError."""
    if not replace:
        _create(path, content)
        return
    written = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    _create(written, content)
    try:
        os.replace(written, path)
    except OSError:
        written.unlink()
        raise


def _create(path: Path, content: bytes) -> None:
    """A new file holding `content`; O_EXCL refuses any path that exists, a link too (even one to nowhere)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666), "wb") as file:
        try:
            file.write(content)
        except OSError:
            path.unlink()
            raise


def _serve(args) -> int:
    from civsam.ui.serve import serve  # Streamlit loads only for this command

    return serve(args.streamlit_options)


def _backup(args) -> int:
    try:
        backup(open_store(), args.out)
    except BackupError as error:
        raise UserError(str(error)) from None
    except sqlite3.Error as error:
        raise UserError(f"{args.out} går inte att skriva: {error}.") from None
    except OSError as error:
        raise UserError(f"{args.out} går inte att skriva: {error.strerror}.") from None
    say(f"Säkerhetskopian är sparad i {args.out}.")
    return 0


def _audit(args) -> int:
    def line(entry) -> str:
        batch = f" import {entry.batch_id}" if pd.notna(entry.batch_id) else ""
        rows = f", {format_number(entry.rows)} rader" if pd.notna(entry.rows) else ""
        return f"{format_date(entry.at)}  {entry.user:<14} {entry.action:<13} {entry.detail}{batch}{rows}"
    return _listing(entries(open_store()), args.json, "Granskningsloggen är tom.", line)


def _person(args) -> int:
    engine = open_store()
    try:
        if args.pseudonymise:
            named = pseudonymise(engine, args.name, args.decision)
            say(f"Namnet är ersatt i {named} aktiviteter; åtgärden står i granskningsloggen.")
            return 0
    except PersonError as error:
        raise UserError(str(error)) from None
    found = occurrences(engine, args.name)
    if found.empty:
        say("Namnet finns inte i civsam.")
    for row in found.itertuples():
        say(f"{row.date}  {row.type:<12} {row.title or '':<40} {row.municipality or '–':<12} {row.import_file}")
    return 0


def _retention(args) -> int:
    years = args.years if args.years is not None else _retention_years()
    engine = open_store()
    try:
        if args.dry_run:
            return _list_past_retention(past_retention(engine, years), years)
        done = apply_retention(engine, years, args.decision)
    except PersonError as error:
        raise UserError(str(error)) from None
    say(f"{done.people} namn är pseudonymiserade i {done.named} aktiviteter; åtgärden står i granskningsloggen.")
    for failure in done.failed:
        say(f"civsam: gick inte att pseudonymisera {failure}; de andra är klara. Kör kommandot igen, eller "
              "pseudonymisera namnet med person --pseudonymise.", file=sys.stderr)
    return 1 if done.failed else 0


def _retention_years() -> int:
    setting = get("CIVSAM_RETENTION_YEARS").strip()
    if not setting:
        raise UserError("Ingen gallringsfrist är inställd. Sätt CIVSAM_RETENTION_YEARS eller ange --years.")
    try:
        return int(setting)
    except ValueError:
        raise UserError(f"CIVSAM_RETENTION_YEARS ska vara ett antal år, inte {setting!r}.") from None


def _list_past_retention(people: pd.DataFrame, years: int) -> int:
    say(f"{len(people)} namn har inga aktiviteter de senaste {years} åren.")
    for person in people.itertuples():
        say(f"  {person.name}  senaste aktivitet {format_date(person.last_activity)}")
    return 0


def _account(args) -> int:
    password = getpass.getpass("Lösenord: ")
    if not password:
        raise UserError("Lösenordet får inte vara tomt.")
    if getpass.getpass("Samma lösenord igen: ") != password:
        raise UserError("Lösenorden är inte lika. Försök igen.")
    say(hash_password(password))
    return 0


def _template(args) -> int:
    try:
        _write_file(args.out, template_bytes(), replace=True)  # a template may be written again, never via a link
    except OSError as error:
        raise UserError(f"{args.out} går inte att skriva: {error.strerror}.") from None
    say(f"Mallen är sparad i {args.out}.")
    return 0
