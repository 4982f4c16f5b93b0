"""Importing a coordinator's workbook into the store: one file, one transaction, one batch.

`import_file` is what `python -m civsam import` and the upload page both call.
Every row is checked; a rejected row is reported with its sheet, its row
number as Excel shows it, the column, the value and a Swedish message saying
how to fix it (civsam.import_report). Valid rows are stored unless `strict`;
`dry_run` stores nothing. Each sheet kind has its reader (READERS), which reads
and writes through the import's run (civsam.importing.run).
"""

import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, insert, update

from civsam.audit import login_name, record
from civsam.db import write_transaction
from civsam.import_report import ImportReport
from civsam.importing import activities, agreements, commitments, organisations, resources, survey
from civsam.importing.run import ImportRun
from civsam.models import ImportBatch, longest
from civsam.typed_text import without_control_characters
from civsam.workbook import Sheet, WorkbookError, read_workbook

# the reader of each sheet kind (civsam.workbook.SHEET_KINDS, the order read_workbook gives the sheets in)
READERS: dict[str, Callable[[ImportRun, Sheet], None]] = {
    "organisations": organisations.import_sheet, "agreements": agreements.import_sheet,
    "commitments": commitments.import_sheet, "resources": resources.import_sheet,
    "activities": activities.import_sheet, "survey": survey.import_sheet}


class _Rollback(Exception):
    """Raised inside the transaction to leave the store as it was (dry run, strict with rejections)."""


def import_file(engine: Engine, content: bytes, file_name: str, *, user: str | None = None,
                strict: bool = False, dry_run: bool = False) -> ImportReport:
    """Import a workbook's bytes. Never raises for bad input: the report carries the error. The file's and the
    user's names are stored without control characters, like every cell."""
    report = ImportReport(without_control_characters(file_name), dry_run=dry_run, strict=strict)
    user = user and without_control_characters(user)
    with _collector_paused():
        _import(engine, content, report, user)
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused, unless someone else paused it: a large import makes a million cells,
    tuples and lists that live until it ends, and the collector would walk them again and again (a tenth
    of the time of a 100 000-row import). Reference counting still frees them; the few cycles the database
    layer leaves are collected once the collector runs again."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


def _import(engine: Engine, content: bytes, report: ImportReport, user: str | None) -> None:
    """Read the workbook and store what it holds in one transaction, filling in `report`."""
    file_name, dry_run, strict = report.file_name, report.dry_run, report.strict
    if len(file_name) > longest(ImportBatch.file_name) or "\0" in file_name:  # a crafted upload's name
        report.error = (f"Filnamnet går inte att spara: högst {longest(ImportBatch.file_name)} tecken och inga "
                        "NUL-tecken. Byt namn på filen och försök igen.")
        return
    try:
        sheets = read_workbook(content, file_name)
    except WorkbookError as error:
        report.error = str(error)
        return
    report.rows_read = sum(len(sheet.data_rows) for sheet in sheets)
    report.ignored_columns = [header for sheet in sheets for header in sheet.ignored_columns]
    report.cleaned_cells = sum(sheet.grid.cleaned_cells for sheet in sheets)
    try:
        with write_transaction(engine) as connection:
            user = user or login_name()
            batch_id = _create_batch(connection, file_name, content, user)
            run = ImportRun(connection, batch_id, report, sheets)
            for sheet in sheets:
                READERS[sheet.kind.key](run, sheet)
            connection.execute(
                update(ImportBatch).where(ImportBatch.id == batch_id).values(
                    rows_read=report.rows_read, imported=report.imported, updated=report.updated,
                    duplicates=report.duplicates, rejected=report.rejected_rows))
            if dry_run or (strict and report.rejected):
                raise _Rollback
            record(connection, "import", user, f"{file_name}: {report.imported} nya, {report.updated} uppdaterade, "
                   f"{report.duplicates} dubbletter, {report.rejected_rows} avvisade", batch_id=batch_id,
                   file_sha256=hashlib.sha256(content).hexdigest(), rows=report.rows_read)
            report.batch_id = batch_id
    except _Rollback:
        pass


def _create_batch(connection: Connection, file_name: str, content: bytes, user: str) -> int:
    return connection.execute(
        insert(ImportBatch).values(kind="import", file_name=file_name, sha256=hashlib.sha256(content).hexdigest(),
                                   imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), user=user)
        .returning(ImportBatch.id)).scalar_one()
