"""Importing a coordinator's workbook into the store: one file, one transaction, one batch.

`import_file` is what `python -m civsam import` and the upload page both call.
Every row is checked; a rejected row is reported with its sheet, its row
number as Excel shows it, the column, the value and a Swedish message saying
how to fix it. Valid rows are stored unless `strict`; `dry_run` stores
nothing. A row identical to a stored one, or to an earlier row of the file,
is a duplicate; a known ID with changed values updates the stored activity,
and its earlier values are kept so the import can be undone (civsam.batches).
Agreements (Avtal) and commitments (Åtaganden) are read by civsam.agreement_import.
"""

import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Connection, Engine, insert, select, update

from civsam import parsing
from civsam.agreement_import import AgreementSheets, stored_agreements
from civsam.audit import login_name, record
from civsam.db import bulk_insert, insert_columns, reserve_ids, write_transaction
from civsam.fingerprint import CONTENT_FIELDS, fingerprints
from civsam.models import (
    Activity,
    ImportBatch,
    Organisation,
    OrganisationAlias,
    Person,
    Resource,
    Revision,
    activity_organisations,
    longest,
)
from civsam.parsing import CellError, name_key, text
from civsam.reader import distinct_codes, each_distinct
from civsam.reference import sector_mask
from civsam.typed_text import without_control_characters
from civsam.workbook import Sheet, WorkbookError, read_workbook

activities_table = Activity.__table__
organisations_table = Organisation.__table__
# bound parameters per IN (...) lookup, well inside SQLite's limit (32 766 since SQLite 3.32 of 2020; Debian 12
# has 3.40) and PostgreSQL's (65 535)
CHUNK = 10_000
# what a parsed row gives; the agreement an activity serves is no part of its content
PARSED_FIELDS = (*CONTENT_FIELDS, "external_id", "fingerprint", "agreement_id")
# what an update may change and an undo restores
ACTIVITY_FIELDS = (*PARSED_FIELDS, "responsible_id", "batch_id")
# what each organisation link copies from its activity (migration 0005 keeps its own frozen list)
LINK_FACTS = ("date", "county", "municipality_code", "project", "hours", "youth")
UNREADABLE = object()  # a cell's parsed value when its parser refused it
# the cells of an activity row, in the order their problems are reported: parser and its options (a stored text's
# length limit is its model column's)
ACTIVITY_CELLS = {
    "municipality": (parsing.parse_municipality, {}),
    "county": (parsing.parse_county, {}),
    "type": (parsing.parse_activity_type, {"longest": longest(Activity.type)}),
    "date": (parsing.parse_date, {}),
    "title": (text, {}),
    "hours": (parsing.parse_number, {"label": "Timmar"}),
    "participants": (parsing.parse_number, {"label": "Deltagare", "whole": True}),
    "cost": (parsing.parse_number, {"label": "Kostnad"}),
    "project": (parsing.limited_text, {"longest": longest(Activity.project)}),
    "youth": (parsing.parse_yes_no, {"label": "Unga"}),
    "comment": (text, {}),
    "external_id": (parsing.limited_text, {"longest": longest(Activity.external_id)}),
    "organisations": (parsing.split_organisations, {"longest": longest(Organisation.name)}),
    "sector": (parsing.parse_sector, {}),
    "responsible": (parsing.parse_person, {"longest": longest(Person.name)}),
    "agreement": (text, {}),
}


class StoredOrganisation(NamedTuple):
    id: int
    name_key: str
    sector: str
    type: str | None
    municipality_code: str | None
    org_number: str | None


@dataclass
class Rejection:
    sheet: str
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    file_name: str
    batch_id: int | None = None
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    cleaned_cells: int = 0  # cells whose control characters were taken out (civsam.typed_text)
    error: str | None = None
    dry_run: bool = False
    strict: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(r.sheet, r.row) for r in self.rejected})

    @property
    def exit_code(self) -> int:
        """0 all rows taken, 1 some rejected, 2 the file could not be read."""
        return 2 if self.error else 1 if self.rejected else 0

    @property
    def stored(self) -> bool:
        return self.batch_id is not None

    def to_json(self) -> dict:
        keys = ("batch_id", "rows_read", "imported", "updated", "duplicates", "ignored_columns")
        result = {key: getattr(self, key) for key in keys}
        result["rejected"] = [asdict(r) for r in self.rejected]
        if self.cleaned_cells:  # only then, like the error: the keys of a clean file's report stay as they were
            result["cleaned_cells"] = self.cleaned_cells
        if self.error:
            result["error"] = self.error
        return result


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
            run = _ImportRun(connection, batch_id, report)
            for sheet in sheets:
                run.import_sheet(sheet)
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


class RowReader:
    """Reads one row's cells with the parsers, collecting a Rejection per unreadable cell.

    A log repeats the same few dates, municipalities, sectors and hours on thousands of rows, so each
    distinct cell is parsed once per file (`parsed`, shared by the file's rows); free text is not kept."""

    def __init__(self, sheet: Sheet, position: int, rejections: list[Rejection], parsed: dict):
        self.sheet, self.position, self.number = sheet, position, sheet.numbers[position]
        self.rejections, self.parsed = rejections, parsed
        self.ok = True
        self.unreadable: set[str] = set()

    @cached_property
    def cells(self) -> list:
        return self.sheet.cells(self.position)

    def read(self, key: str, parser: Callable, **options):
        raw = self.sheet.value(self.cells, key)
        if parser is text:
            return text(raw)
        memo = (parser, type(raw), raw, *options.values())
        if memo not in self.parsed:
            try:
                self.parsed[memo] = (parser(raw, **options), None)
            except CellError as error:
                self.parsed[memo] = (None, str(error))
        value, problem = self.parsed[memo]
        if problem is not None:
            self.unreadable.add(key)
            self.reject(key, problem, raw)
        return value

    def require(self, key: str, value, message: str) -> None:
        """Reject a value that is missing, unless its cell was already rejected as unreadable."""
        if not value and key not in self.unreadable:
            self.reject(key, message)

    def limit(self, key: str, value: str | None, longest: int, message: str) -> None:
        if value and len(value) > longest:
            self.reject(key, message)

    def reject(self, key: str, message: str, raw=None) -> None:
        if raw is None:
            raw = self.sheet.value(self.cells, key)
        column = self.sheet.headers.get(key) or self.sheet.kind.column(key).header
        self.rejections.append(Rejection(self.sheet.name, self.number, column, text(raw) or "", message))
        self.ok = False


class _ImportRun(AgreementSheets):
    """The state of one import inside its transaction: lookups of what is stored, and the counts. The Avtal
    and Åtaganden sheets are read by the methods it takes from AgreementSheets (civsam.agreement_import)."""

    def __init__(self, connection: Connection, batch_id: int, report: ImportReport):
        self.connection, self.batch_id, self.report = connection, batch_id, report
        columns = (getattr(Organisation, name) for name in StoredOrganisation._fields)
        self.organisations = {row.name_key: StoredOrganisation(*row) for row in connection.execute(select(*columns))}
        by_id = {organisation.id: organisation for organisation in self.organisations.values()}
        for alias, organisation_id in connection.execute(select(OrganisationAlias.name_key,
                                                                OrganisationAlias.organisation_id)):
            self.organisations.setdefault(alias, by_id[organisation_id])  # a merged spelling finds the kept one
        self.parsed: dict[tuple, tuple] = {}  # each distinct cell's value or problem, see RowReader
        # an activity more than a year ahead is a mistyped year: it would move every page's period with it
        self.latest_date = dt.date.today() + dt.timedelta(days=366)
        # the sector given for an organisation not yet stored, by the first row of this file that names it
        self.pending_sectors: dict[str, str] = {}
        # what an earlier row of this file, on any sheet, said: (sheet, row number, content) by organisation,
        # by year and sector, by activity ID, by activity content (its agreement), by agreement, by commitment;
        # a repeat is a duplicate, a contradiction is rejected
        self.seen_organisations: dict[str, tuple[str, int, dict]] = {}
        self.seen_resources: dict[tuple[int, str], tuple[str, int, dict]] = {}
        self.seen_ids: dict[str, tuple[str, int, tuple[str, int | None]]] = {}
        self.seen_fingerprints: dict[str, tuple[str, int, int | None]] = {}
        self.seen_agreements: dict[str, tuple[str, int, dict]] = {}
        self.seen_commitments: dict[tuple[int, str], tuple[str, int, dict]] = {}
        self.people = {key: person_id for key, person_id in connection.execute(select(Person.name_key, Person.id))}
        self.agreements = stored_agreements(connection)

    def import_sheet(self, sheet: Sheet) -> None:
        {"organisations": self._import_organisations, "agreements": self._import_agreements,
         "commitments": self._import_commitments, "resources": self._import_resources,
         "activities": self._import_activities}[sheet.kind.key](sheet)

    def _rows(self, sheet: Sheet) -> Iterable[RowReader]:
        for position in range(len(sheet.data_rows)):
            yield RowReader(sheet, position, self.report.rejected, self.parsed)

    def _repeated(self, seen: dict, key, row: RowReader, values: dict, column: str,
                  message: Callable[[str], str]) -> bool:
        """Whether `key` stood on an earlier row of this file: a duplicate when its values are the same,
        otherwise rejected with `message(where the earlier row is)`. A first sighting is noted."""
        if key not in seen:
            seen[key] = (row.sheet.name, row.number, values)
            return False
        earlier_sheet, earlier_row, earlier_values = seen[key]
        if earlier_values == values:
            self.report.duplicates += 1
        else:
            row.reject(column, message(_where(row.sheet, earlier_sheet, earlier_row)))
        return True

    def _revise(self, table_name: str, row_id: int, previous: dict) -> None:
        self.connection.execute(insert(Revision).values(
            batch_id=self.batch_id, table_name=table_name, row_id=row_id, previous=_jsonable(previous)))

    # --- Organisationer ------------------------------------------------------

    def _import_organisations(self, sheet: Sheet) -> None:
        for row in self._rows(sheet):
            name = row.read("name", parsing.parse_name, longest=longest(Organisation.name))
            sector = row.read("sector", parsing.parse_sector)
            values = {"type": row.read("type", parsing.limited_text, longest=longest(Organisation.type)),
                      "municipality_code": getattr(row.read("municipality", parsing.parse_municipality), "code", None),
                      "org_number": row.read("org_number", parsing.parse_org_number)}
            if row.ok and sector is None:
                row.reject("sector", f"Sektor saknas. {parsing.SECTOR_HELP}")
            if not row.ok or not name:
                if row.ok:
                    row.reject("name", "Organisationens namn saknas. Skriv namnet eller ta bort raden.")
                continue
            values = {"sector": sector, **{key: value for key, value in values.items() if value is not None}}
            stored = self.organisations.get(name_key(name))
            identity = stored.name_key if stored else name_key(name)
            if self._repeated(self.seen_organisations, identity, row, values, "name", lambda where: (
                    f"{name} finns redan på {where} med andra uppgifter. Behåll en rad per organisation.")):
                continue
            if stored is None:
                self._create_organisation(name, **values)
                self.report.imported += 1
            elif any(getattr(stored, key) != value for key, value in values.items()):
                self._revise("organisations", stored.id, {key: getattr(stored, key) for key in values})
                self.connection.execute(update(Organisation).where(Organisation.id == stored.id).values(**values))
                changed = stored._replace(**values)
                for key, organisation in self.organisations.items():  # its merged spellings too
                    if organisation.id == stored.id:
                        self.organisations[key] = changed
                self.report.updated += 1
            else:
                self.report.duplicates += 1

    def _create_organisation(self, name: str, sector: str, type: str | None = None,
                             municipality_code: str | None = None, org_number: str | None = None) -> None:
        key = name_key(name)
        organisation_id = self.connection.execute(
            insert(Organisation).values(name=name, name_key=key, sector=sector, type=type,
                                        municipality_code=municipality_code, org_number=org_number,
                                        created_batch_id=self.batch_id).returning(Organisation.id)).scalar_one()
        self.organisations[key] = StoredOrganisation(organisation_id, key, sector, type, municipality_code, org_number)

    # --- Resurser ---------------------------------------------------------------

    def _import_resources(self, sheet: Sheet) -> None:
        stored = {(row.year, row.sector): row for row in self.connection.execute(
            select(Resource.id, Resource.year, Resource.sector, Resource.fte, Resource.budget_sek,
                   Resource.comment, Resource.batch_id))}
        for row in self._rows(sheet):
            year = row.read("year", parsing.parse_year)
            sector = row.read("sector", parsing.parse_sector)
            fte = row.read("fte", parsing.parse_number, label="Årsarbetskrafter")
            budget = row.read("budget", parsing.parse_number, label="Budget")
            comment = row.read("comment", text)
            if row.ok and sector is None:
                row.reject("sector", f"Sektor saknas. {parsing.SECTOR_HELP}")
            if row.ok and fte is None and budget is None:
                row.reject("fte", "Ange årsarbetskrafter, budget eller båda för året och sektorn.")
            if not row.ok:
                continue
            key = (year, sector)
            previous = stored.get(key)
            # a blank cell keeps the stored figure (a sheet with only Budget leaves the staff as it was)
            typed = {"fte": fte, "budget_sek": budget, "comment": comment}
            values = {name: value if value is not None else getattr(previous, name) if previous else
                      (None if name == "comment" else 0.0) for name, value in typed.items()}
            if self._repeated(self.seen_resources, key, row, values, "year", lambda where: (
                    f"År {year} och sektorn finns redan på {where} med andra siffror. "
                    "Behåll en rad per år och sektor.")):
                continue
            if previous is None:
                self.connection.execute(insert(Resource).values(year=year, sector=sector, batch_id=self.batch_id,
                                                                **values))
                self.report.imported += 1
            elif any(getattr(previous, name) != value for name, value in values.items()):
                earlier = {name: getattr(previous, name) for name in (*values, "batch_id")}
                self._revise("resources", previous.id, earlier)
                self.connection.execute(update(Resource).where(Resource.id == previous.id)
                                        .values(batch_id=self.batch_id, **values))
                self.report.updated += 1
            else:
                self.report.duplicates += 1

    # --- Aktiviteter ------------------------------------------------------------

    def _import_activities(self, sheet: Sheet) -> None:
        activities = self._parse_activities(sheet)
        columns = activities.columns
        by_fingerprint = self._stored_by("fingerprint", set(columns["fingerprint"]))
        by_external_id = self._stored_by("external_id", set(filter(None, columns["external_id"])))
        new: list[int] = []
        for position, (number, external_id, fingerprint, agreement_id) in enumerate(zip(
                activities.numbers, columns["external_id"], columns["fingerprint"], columns["agreement_id"])):
            if external_id and external_id in self.seen_ids:
                earlier_sheet, earlier_row, earlier = self.seen_ids[external_id]
                if earlier == (fingerprint, agreement_id):
                    self.report.duplicates += 1
                else:
                    where = _where(sheet, earlier_sheet, earlier_row)
                    self._reject_activity(sheet, number, "external_id", external_id,
                                          f"ID {external_id} används redan på {where} med andra uppgifter. "
                                          "Ge varje aktivitet ett eget ID.")
                continue
            if not external_id and fingerprint in self.seen_fingerprints:
                earlier = self.seen_fingerprints[fingerprint]
                self._repeated_activity(sheet, number, activities.row(position), earlier)
                continue
            self.seen_fingerprints.setdefault(fingerprint, (sheet.name, number, agreement_id))
            if external_id:
                self.seen_ids[external_id] = (sheet.name, number, (fingerprint, agreement_id))
                stored = by_external_id.get(external_id)
                if stored is None:  # a stored row without ID that this row repeats now gets the ID
                    same_content = by_fingerprint.get(fingerprint, [])
                    stored = next((row for row in same_content if row.external_id is None), None)
                    if stored is not None:
                        same_content.remove(stored)
            elif fingerprint in by_fingerprint:
                self._file_under_agreement(by_fingerprint[fingerprint], agreement_id)
                continue
            else:
                stored = None
            if stored is None:
                new.append(position)
            elif (stored.fingerprint == fingerprint and stored.external_id == external_id
                  and agreement_id in (None, stored.agreement_id)):
                self.report.duplicates += 1
            else:
                self._update_activity(stored.id, activities.row(position))
        self._insert_activities(activities.only(new))

    def _repeated_activity(self, sheet: Sheet, number: int, activity: dict, earlier: tuple) -> None:
        """A row without ID with the content of an earlier row: a duplicate, unless it names another agreement."""
        earlier_sheet, earlier_row, earlier_agreement = earlier
        if earlier_agreement == activity["agreement_id"]:
            self.report.duplicates += 1
            return
        self._reject_activity(sheet, number, "agreement", activity["agreement_name"] or "",
                              f"Samma aktivitet finns redan på {_where(sheet, earlier_sheet, earlier_row)} med "
                              "ett annat avtal. Skriv samma avtal på båda raderna eller ta bort den ena.")

    def _file_under_agreement(self, stored_rows: list, agreement_id: int | None) -> None:
        """A row without ID that repeats a stored activity: a duplicate, unless it names an agreement for a stored
        activity without ID filed under none or another; that one is then filed under it, its earlier agreement
        kept for undo. A blank Avtal cell never takes a stored agreement away."""
        unlinked = [row for row in stored_rows if row.external_id is None]
        if agreement_id is None or not unlinked or unlinked[0].agreement_id == agreement_id:
            self.report.duplicates += 1
            return
        stored = unlinked[0]
        self._revise("activities", stored.id, {"agreement_id": stored.agreement_id, "batch_id": stored.batch_id})
        self.connection.execute(update(Activity).where(Activity.id == stored.id)
                                .values(agreement_id=agreement_id, batch_id=self.batch_id))
        self.report.updated += 1

    def _reject_activity(self, sheet: Sheet, number: int, key: str, value: str, message: str) -> None:
        column = sheet.headers.get(key) or sheet.kind.column(key).header
        self.report.rejected.append(Rejection(sheet.name, number, column, value, message))

    def _parse_activities(self, sheet: Sheet) -> "_Activities":
        """The activities the sheet's rows describe; rejections for the rows that can't be stored.

        Cells are parsed column by column (`_read_columns`) and the rows checked column by column too. Only a row
        that a check may refuse goes through `_check_activity` cell by cell, so that each of its problems is
        reported as before; the sector of an organisation not yet stored is settled row by row, in file order,
        as the first row that names it with a sector gives it."""
        columns, unreadable = _read_columns(sheet, ACTIVITY_CELLS)
        doubtful = unreadable | self._doubtful(columns, unreadable)
        named, named_at = distinct_codes(columns["organisations"])
        unknown = [[name for name in typed or () if name_key(name) not in self.organisations] for typed in named]
        # the cells whose every organisation is stored, or has its sector from an earlier row
        settled = {code for code, names in enumerate(unknown) if not names}
        kept = []
        for position, sector in enumerate(columns["sector"]):
            row = None
            if position in doubtful:
                row = RowReader(sheet, position, self.report.rejected, self.parsed)
                if position in unreadable:  # read again cell by cell, for a rejection per unreadable cell
                    cells = {key: row.read(key, parser, **options) for key, (parser, options) in ACTIVITY_CELLS.items()}
                else:
                    cells = {key: column[position] for key, column in columns.items()}
                if not self._check_activity(cells, row):
                    continue
            if (code := named_at[position]) not in settled:
                if without_sector := self._without_sector(unknown[code], sector):
                    row = row or RowReader(sheet, position, self.report.rejected, self.parsed)
                    row.reject("sector", f"{', '.join(without_sector)} finns inte i organisationsregistret. Ange "
                                         f"organisationens sektor i kolumnen Sektor. {parsing.SECTOR_HELP}")
                    continue
                settled.add(code)
            kept.append(position)
        activities = _Activities(sheet.numbers, columns).only(kept)
        return self._with_stored_values(activities)

    def _doubtful(self, columns: dict[str, list], unreadable: set[int]) -> set[int]:
        """The positions of the rows that one of `_check_activity`'s checks may refuse."""
        unknown_agreements = {typed for typed in set(columns["agreement"])
                              if typed and name_key(typed) not in self.agreements}
        rows = zip(columns["agreement"], columns["organisations"], columns["municipality"], columns["county"],
                   columns["date"])
        return {position for position, (agreement, names, municipality, county, date) in enumerate(rows)
                if position not in unreadable and (
                    agreement in unknown_agreements or not names or (municipality is None and county is None)
                    or date > self.latest_date or (municipality and county and municipality.county != county))}

    def _check_activity(self, cells: dict, row: RowReader) -> bool:
        """Whether the row's parsed cells describe an activity that can be stored; rejections where not.
        Each check has its column-wise twin in `_doubtful`, which picks the rows that come here."""
        municipality, county = cells["municipality"], cells["county"]
        if cells["agreement"] and name_key(cells["agreement"]) not in self.agreements:
            row.reject("agreement", self._unknown_agreement(cells["agreement"])
                       + " Lämna Avtal tomt om aktiviteten inte hör till något avtal.")
        if row.ok and not cells["organisations"]:
            row.reject("organisations", "Organisation saknas. Skriv minst en organisation; flera skiljs med semikolon.")
        if row.ok and municipality is None and county is None:
            row.reject("municipality", "Kommun eller län saknas. Skriv kommunen (t.ex. Lycksele) eller länet.")
        if row.ok and cells["date"] > self.latest_date:
            row.reject("date", f"Datumet {cells['date'].isoformat()} ligger mer än ett år fram i tiden. "
                               "Kontrollera årtalet; en planerad aktivitet loggas när den har ägt rum.")
        if row.ok and municipality and county and municipality.county != county:
            row.reject("county", f"{municipality.name} ligger i {municipality.county}s län, inte i {county}s län. "
                                 "Rätta länet eller kommunen, eller lämna Län tomt.")
        return row.ok

    def _without_sector(self, unknown: list[str], sector: str | None) -> list[str]:
        """Of a row's organisations that are not stored, those whose sector neither the row nor an earlier row
        gives; when there are none, the row's sector is noted for those it names first."""
        without_sector = [name for name in unknown if name_key(name) not in self.pending_sectors]
        if without_sector and sector is None:
            return without_sector
        for name in unknown:
            self.pending_sectors.setdefault(name_key(name), sector)
        return []

    def _with_stored_values(self, activities: "_Activities") -> "_Activities":
        """The columns the activities table stores (PARSED_FIELDS), and the names as typed, from the parsed cells."""
        cells = activities.columns
        municipalities = cells["municipality"]
        agreement_ids = each_distinct(cells["agreement"],
                                       lambda typed: self.agreements[name_key(typed)].id if typed else None)
        columns = {
            "date": cells["date"], "type": cells["type"], "title": cells["title"],
            "municipality_code": [municipality.code if municipality else None for municipality in municipalities],
            "county": [municipality.county if municipality else county
                       for municipality, county in zip(municipalities, cells["county"], strict=True)],
            "hours": [hours or 0.0 for hours in cells["hours"]], "participants": cells["participants"],
            "cost_sek": cells["cost"], "project": cells["project"], "youth": cells["youth"],
            "comment": cells["comment"], "external_id": cells["external_id"], "agreement_id": agreement_ids,
            "organisation_names": cells["organisations"], "responsible_name": cells["responsible"],
            "agreement_name": cells["agreement"]}
        columns["fingerprint"] = fingerprints(columns, columns["organisation_names"], columns["responsible_name"])
        return _Activities(activities.numbers, columns)

    def _stored_by(self, column_name: str, values: set[str]) -> dict:
        """Stored activities whose `column_name` is one of `values`: fingerprint → list of rows, ID → row."""
        column = activities_table.c[column_name]
        found: dict = {}
        values = list(values)
        for start in range(0, len(values), CHUNK):
            rows = self.connection.execute(
                select(Activity.id, Activity.fingerprint, Activity.external_id, Activity.agreement_id,
                       Activity.batch_id).where(column.in_(values[start:start + CHUNK])).order_by(Activity.id))
            for row in rows:
                if column_name == "fingerprint":
                    found.setdefault(row.fingerprint, []).append(row)
                else:
                    found[row.external_id] = row
        return found

    def _create_named_organisations(self, organisation_names: list[tuple[str, ...]]) -> None:
        """Store the organisations named that are not stored yet, as first spelt, with the sector a row gave."""
        new: dict[str, str] = {}  # name key → name
        for names in dict.fromkeys(organisation_names):
            for name in names:
                if name_key(name) not in self.organisations:
                    new.setdefault(name_key(name), name)
        if not new:
            return
        ids = reserve_ids(self.connection, organisations_table, len(new))
        sectors = [self.pending_sectors[key] for key in new]
        insert_columns(self.connection, organisations_table, {
            "id": ids, "name": list(new.values()), "name_key": list(new), "sector": sectors,
            "created_batch_id": [self.batch_id] * len(ids)})
        for organisation_id, key, sector in zip(ids, new, sectors, strict=True):
            self.organisations[key] = StoredOrganisation(organisation_id, key, sector, None, None, None)

    def _stored_values(self, activity: dict) -> dict:
        """The columns of the activities table for a parsed activity, creating its people and organisations."""
        self._create_named_organisations([activity["organisation_names"]])
        values = {key: activity[key] for key in ACTIVITY_FIELDS if key in activity}
        values["responsible_id"] = self._person_id(activity["responsible_name"])
        values["batch_id"] = self.batch_id
        return values

    def _organisations_named(self, names: tuple[str, ...]) -> list[StoredOrganisation]:
        """The organisations of a cell, once each: a cell may name an organisation and a merged spelling of it."""
        found = {}
        for name in names:
            organisation = self.organisations[name_key(name)]
            found.setdefault(organisation.id, organisation)
        return list(found.values())

    def _person_id(self, name: str | None) -> int | None:
        if not name:
            return None
        key = name_key(name)
        if key not in self.people:
            self.people[key] = self.connection.execute(
                insert(Person).values(name=" ".join(name.split()), name_key=key).returning(Person.id)).scalar_one()
        return self.people[key]

    def _insert_activities(self, activities: "_Activities") -> None:
        """Store new activities and their organisation links, each with the copies the pages count by
        (migration 0005): an activity's sector mask, a link's facts and sector."""
        if not activities.numbers:
            return
        columns = activities.columns
        self._create_named_organisations(columns["organisation_names"])
        ids = reserve_ids(self.connection, activities_table, len(activities.numbers))
        named, named_at = distinct_codes(columns["organisation_names"])
        partners = [self._organisations_named(names) for names in named]
        masks = [sector_mask(organisation.sector for organisation in each) for each in partners]
        activity_columns = {
            "id": ids, **{key: columns[key] for key in PARSED_FIELDS}, "batch_id": [self.batch_id] * len(ids),
            "responsible_id": each_distinct(columns["responsible_name"], self._person_id),
            "sectors": list(map(masks.__getitem__, named_at))}
        links = [(position, organisation) for position, code in enumerate(named_at) for organisation in partners[code]]
        linked = [position for position, _ in links]  # the position of each link's activity
        link_columns = {
            "activity_id": list(map(ids.__getitem__, linked)),
            "organisation_id": [organisation.id for _, organisation in links],
            "sector": [organisation.sector for _, organisation in links],
            **{fact: list(map(columns[fact].__getitem__, linked)) for fact in LINK_FACTS}}
        with bulk_insert(self.connection, [activities_table, activity_organisations], len(ids)):
            insert_columns(self.connection, activities_table, activity_columns)
            insert_columns(self.connection, activity_organisations, link_columns)
        self.report.imported += len(ids)

    def _update_activity(self, activity_id: int, activity: dict) -> None:
        previous = self.connection.execute(
            select(*(activities_table.c[key] for key in ACTIVITY_FIELDS)).where(Activity.id == activity_id)).one()
        organisation_ids = self.connection.execute(
            select(activity_organisations.c.organisation_id)
            .where(activity_organisations.c.activity_id == activity_id)).scalars().all()
        self._revise("activities", activity_id, {**previous._asdict(), "organisation_ids": sorted(organisation_ids)})
        values = self._stored_values(activity)
        values["agreement_id"] = values["agreement_id"] or previous.agreement_id  # a blank Avtal keeps the stored
        self.connection.execute(update(Activity).where(Activity.id == activity_id).values(**values))
        set_activity_organisations(self.connection, activity_id,
                                   [organisation.id for organisation in self._organisations_named(
                                       activity["organisation_names"])])
        self.report.updated += 1


class _Activities(NamedTuple):
    """A sheet's activities column by column, each with its row number as Excel shows it: a log's hundred
    thousand rows are checked and stored without a dict per row."""

    numbers: list[int]
    columns: dict[str, list]

    def row(self, position: int) -> dict:
        return {key: column[position] for key, column in self.columns.items()}

    def only(self, positions: list[int]) -> "_Activities":
        """The activities at `positions`, in that order."""
        if len(positions) == len(self.numbers):
            return self
        return _Activities([self.numbers[position] for position in positions],
                           {key: [column[position] for position in positions] for key, column in self.columns.items()})


def _where(sheet: Sheet, earlier_sheet: str, earlier_row: int) -> str:
    """How a message names an earlier row: 'rad 4', or 'rad 4 i bladet Blad1' when it is on another sheet."""
    return f"rad {earlier_row}" if earlier_sheet == sheet.name else f"rad {earlier_row} i bladet {earlier_sheet}"


def set_activity_organisations(connection: Connection, activity_id: int, organisation_ids: Iterable[int]) -> None:
    connection.execute(activity_organisations.delete().where(activity_organisations.c.activity_id == activity_id))
    connection.execute(insert(activity_organisations),
                       [{"activity_id": activity_id, "organisation_id": oid} for oid in sorted(set(organisation_ids))])


def _read_columns(sheet: Sheet, cells: dict[str, tuple[Callable, dict]]) -> tuple[dict[str, list], set[int]]:
    """Each column's parsed values, row by row, and the positions of the rows with a cell that cannot be read.
    A log repeats the same few dates, places, partners and hours on thousands of rows, so each distinct cell
    of a column is parsed once."""
    columns: dict[str, list] = {}
    unreadable: set[int] = set()
    for key, (parser, options) in cells.items():
        distinct, codes = sheet.column(key)
        parsed = [_parsed(parser, cell, options) for cell in distinct]
        values = list(map(parsed.__getitem__, codes))
        if any(value is UNREADABLE for value in parsed):
            unreadable.update(position for position, value in enumerate(values) if value is UNREADABLE)
            values = [None if value is UNREADABLE else value for value in values]
        columns[key] = values
    return columns, unreadable


def _parsed(parser: Callable, cell, options: dict):
    try:
        return parser(cell, **options)
    except CellError:
        return UNREADABLE


def _jsonable(values: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in values.items()}

