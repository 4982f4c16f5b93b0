"""The commands on the store and its imports: import, summary, agreements, batches, undo, demo, backup, template,
serve. Each imports the library it needs when it runs."""

import json
import sqlite3
import sys
from pathlib import Path

import click

from civsam.cli.common import UserError, command, database_error, json_option, say, write_file
from civsam.formatting import format_number
from civsam.reference import SECTOR_LABELS

FILE_PATH = click.Path(path_type=Path)


@command("import", "importera en aktivitetslogg (.xlsx, .xls, .ods)", "python -m civsam import logg.xlsx --json")
@click.argument("file", type=FILE_PATH)
@click.option("--strict", is_flag=True, help="spara ingenting om någon rad avvisas")
@click.option("--dry-run", is_flag=True, help="kontrollera filen utan att spara")
@json_option
@click.option("--user", help="vem som importerar (standard: inloggad användare)")
def import_log(file: Path, strict: bool, dry_run: bool, as_json: bool, user: str | None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from civsam import filecheck
    from civsam.db import open_store
    from civsam.import_report import ImportReport
    from civsam.importing import import_file

    try:
        content = filecheck.read_file(file)
    except filecheck.UnsafeFile as error:
        report = ImportReport(file.name, error=str(error))
    except OSError as error:
        report = ImportReport(file.name, error=f"{file} går inte att läsa: {error.strerror}.")
    else:
        try:
            report = import_file(open_store(), content, file.name, user=user, strict=strict, dry_run=dry_run)
        except SQLAlchemyError as error:  # --json promises one JSON object on stdout, this failure too
            report = ImportReport(file.name, error=database_error(error))
    if as_json:
        say(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    if report.error:
        say(f"civsam: {report.error}", file=sys.stderr)
    elif not as_json:
        _print_report(report)
    return report.exit_code


def _print_report(report) -> None:
    outcome = ("Provkörning, ingenting sparades" if report.dry_run
               else "Ingenting sparades (--strict)" if not report.stored
               else f"Sparat som import {report.batch_id}")
    say(f"{report.file_name}: {report.rows_read} rader lästa, {report.imported} nya, {report.updated} uppdaterade, "
        f"{report.duplicates} dubbletter, {report.rejected_rows} avvisade. {outcome}.")
    for rejection in report.rejected:
        say(f"  {rejection.sheet} rad {rejection.row}, {rejection.column} = {rejection.value!r}: {rejection.message}")
    for sheet, added in report.added_by_sheet().items():
        named = ", ".join(f"{each.name} ({SECTOR_LABELS[each.sector].lower()})" for each in added)
        say(f"Nya organisationer från {sheet}: {named}. Stämmer inte en sektor, rätta den på bladet Organisationer "
            "och importera igen.")
    if report.ignored_columns:
        say(f"Ignorerade kolumner: {', '.join(report.ignored_columns)}")
    if report.cleaned_cells:
        say(f"Osynliga styrtecken (t.ex. ESC eller NUL) tas bort ur {report.cleaned_cells} av filens celler.")
    if report.unknown_questions:
        say(f"Okända frågor, inte importerade: {'; '.join(report.unknown_questions)}")
    if report.personal_data_left_out:
        say(f"Personuppgifter som inte sparas: {', '.join(report.personal_data_left_out)}")


@command("summary", "sammanställning av det som finns lagrat", "python -m civsam summary --json")
@json_option
def summary(as_json: bool) -> int:
    from civsam import totals
    from civsam.db import open_store

    figures = totals.summary(open_store())
    if as_json:
        say(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    say(f"Aktiviteter: {format_number(figures['activities'])} "
        f"(Västerbotten {format_number(figures['by_county']['Västerbotten'])}, "
        f"Norrbotten {format_number(figures['by_county']['Norrbotten'])})")
    say(f"Organisationer: {format_number(figures['organisations'])}")
    say(f"Kommuner med aktivitet: {figures['municipalities_covered']} av 29")
    say(f"Arbetstimmar: {format_number(figures['hours'], 1)}")
    for sector, count in figures["by_sector"].items():
        say(f"  {SECTOR_LABELS[sector]}: {format_number(count)} aktiviteter")
    say(f"Importer: {figures['import_batches']}")
    return 0


@command("agreements", "avtalen med åtaganden per status och aktiviteter", "python -m civsam agreements --json")
@json_option
def agreements(as_json: bool) -> int:
    from civsam.agreements import agreements_summary
    from civsam.db import open_store
    from civsam.i18n import t
    from civsam.narrative import interval_text

    listed = agreements_summary(open_store())
    if as_json:
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
        effect = agreement["effect"]
        say(f"  med parterna och deras medlemmar {effect['window_days']} dagar före och efter undertecknandet: "
            f"{effect['before']} och {effect['after']} aktiviteter, kvot {format_number(effect['rate_ratio'], 2)} "
            f"(95 % KI {interval_text(effect['ci95'], 'sv')}): {t('sv', 'verdict_' + effect['verdict']).lower()}")
    return 0


@command("batches", "lista importerna", "python -m civsam batches")
@json_option
def batches(as_json: bool) -> int:
    import pandas as pd

    from civsam.batches import list_batches
    from civsam.db import open_store
    from civsam.formatting import format_date

    def line(batch) -> str:
        state = f"ångrad {format_date(batch.undone_at)}" if pd.notna(batch.undone_at) else ""
        return (f"{batch.id:>4}  {format_date(batch.imported_at)}  {batch.user:<14} {batch.file_name:<30} "
                f"{batch.imported} nya, {batch.updated} uppdaterade, {batch.duplicates} dubbletter, "
                f"{batch.rejected} avvisade  {state}").rstrip()
    return listing(list_batches(open_store()), as_json, "Inga importer ännu.", line)


def listing(frame, as_json: bool, empty: str, line) -> int:
    """A table (a DataFrame) as JSON records, or one line a row (`empty` when it has none)."""
    if as_json:
        say(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        return 0
    if frame.empty:
        say(empty)
    for row in frame.itertuples():
        say(line(row))
    return 0


@command("undo", "ångra en import", "python -m civsam undo 7")
@click.argument("batch_id", type=int)
def undo(batch_id: int) -> int:
    from civsam.batches import UndoError, undo_batch
    from civsam.db import open_store

    try:
        undo_batch(open_store(), batch_id)
    except UndoError as error:
        raise UserError(str(error)) from None
    say(f"Import {batch_id} är ångrad.")
    return 0


@command("demo", "fyll databasen med demodata (eller ta bort den)", "python -m civsam demo --activities 20000")
@click.option("--activities", type=int, help="antal aktiviteter")
@click.option("--clear", is_flag=True, help="ta bort demodata")
@click.option("--if-empty", is_flag=True, help="bara om databasen saknar aktiviteter")
def demo(activities: int | None, clear: bool, if_empty: bool) -> int:
    from civsam import totals
    from civsam.batches import UndoError
    from civsam.db import open_store
    from civsam.demo import DEFAULT_ACTIVITIES, clear_demo, seed_demo

    activities = DEFAULT_ACTIVITIES if activities is None else activities
    if activities < 1 and not clear:
        raise UserError("--activities ska vara minst 1.")
    engine = open_store()
    try:  # both take the earlier demo back: another process may have done so first
        if clear:
            say(f"Demodata borttagen ({clear_demo(engine)} demoomgångar).")
        elif not (if_empty and totals.summary(engine)["activities"]):
            batch_id = seed_demo(engine, activities)
            say(f"Demodata: {format_number(activities)} aktiviteter (import {batch_id}).")
    except UndoError as error:
        raise UserError(str(error)) from None
    return 0


@command("backup", "säkerhetskopiera databasen (SQLite) medan appen kör",
         "python -m civsam backup civsam-2025-12-31.db")
@click.argument("out", type=FILE_PATH)
def backup(out: Path) -> int:
    from civsam import db

    try:
        db.backup(db.open_store(), out)
    except db.BackupError as error:
        raise UserError(str(error)) from None
    except sqlite3.Error as error:
        raise UserError(f"{out} går inte att skriva: {error}.") from None
    except OSError as error:
        raise UserError(f"{out} går inte att skriva: {error.strerror}.") from None
    say(f"Säkerhetskopian är sparad i {out}.")
    return 0


@command("template", "skriv importmallen (eller enkätens frågor med --enkat)", "python -m civsam template mall.xlsx")
@click.argument("out", type=FILE_PATH)
@click.option("--enkat", is_flag=True, help="skriv partnerenkätens frågor och svarsalternativ för Microsoft Forms")
def template(out: Path, enkat: bool) -> int:
    from civsam.survey_template import survey_template_bytes
    from civsam.template import template_bytes

    try:  # a template may be written again, never via a link
        write_file(out, survey_template_bytes() if enkat else template_bytes(), replace=True)
    except OSError as error:
        raise UserError(f"{out} går inte att skriva: {error.strerror}.") from None
    say(f"{'Enkätens frågor' if enkat else 'Mallen'} är sparad i {out}.")
    return 0


@command("serve", "starta dashboarden (flaggor går vidare till streamlit run)",
         "python -m civsam serve --server.port 8501", context_settings={"ignore_unknown_options": True})
@click.argument("streamlit_options", nargs=-1, type=click.UNPROCESSED)
def serve(streamlit_options: tuple[str, ...]) -> int:
    from civsam.ui.serve import serve  # Streamlit loads only for this command

    return serve(list(streamlit_options))


COMMANDS = (import_log, summary, agreements, batches, undo, demo, backup, template, serve)
