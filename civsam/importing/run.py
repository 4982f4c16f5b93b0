"""One import inside its transaction: the connection, the batch, the lookups of what is stored and what earlier rows
of the file said, the report with its rejections, and the revisions kept for undo. The sheet readers
(civsam.importing.organisations and the others) read and write through it."""

import datetime as dt
import difflib
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Connection, insert, select

from civsam import parsing
from civsam.db import insert_columns, reserve_ids
from civsam.import_report import ImportReport, Rejection
from civsam.keys import name_key
from civsam.models import Agreement, Organisation, OrganisationAlias, Person, Revision, agreement_organisations
from civsam.parsing import CellError, text
from civsam.workbook import Sheet

organisations_table = Organisation.__table__
# the sheets that give an organisation's sector in their Sektor column: the column naming it, and how it is read
NAMES_WITH_SECTOR: dict[str, tuple[str, Callable]] = {
    "organisations": ("name", lambda cell: (text(cell),) if text(cell) else ()),
    "activities": ("organisations", parsing.split_organisations)}


class StoredOrganisation(NamedTuple):
    id: int
    name_key: str
    sector: str
    type: str | None
    municipality_code: str | None
    org_number: str | None


class StoredAgreement(NamedTuple):
    id: int
    name: str
    name_key: str
    kind: str
    signed: dt.date
    valid_until: dt.date | None
    registration_number: str | None
    responsible_id: int | None
    responsible_key: str | None
    organisation_ids: tuple[int, ...]


class ImportRun:
    """The state of one import inside its transaction: lookups of what is stored, and the counts."""

    def __init__(self, connection: Connection, batch_id: int, report: ImportReport, sheets: Sequence[Sheet] = ()):
        self.connection, self.batch_id, self.report = connection, batch_id, report
        self.sheets = sheets  # the file's sheets, in reading order
        self.organisations = stored_organisations(connection)
        self.agreements = stored_agreements(connection)
        self.people = {key: person_id for key, person_id in connection.execute(select(Person.name_key, Person.id))}
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
        # the agreements whose rows were rejected, by name key: (sheet, row number) of the first such row
        self.refused_agreements: dict[str, tuple[str, int]] = {}

    @cached_property
    def sectors_in_file(self) -> dict[str, str]:
        """The sector the file gives each organisation it names, by name key: on the Organisationer sheet, or
        else on the first Aktiviteter row that names it with a Sektor, whether that row comes before or after
        the row asking, and even when the row giving it is rejected for something else. Read only when an
        Avtal row names a partner not stored yet: the Avtal sheet is read before the activities."""
        sectors: dict[str, str] = {}
        for sheet in self.sheets:  # Organisationer first (civsam.workbook.SHEET_KINDS)
            if sheet.kind.key in NAMES_WITH_SECTOR:
                for key, sector in _sectors_named(sheet, *NAMES_WITH_SECTOR[sheet.kind.key]).items():
                    sectors.setdefault(key, sector)
        return sectors

    def rows(self, sheet: Sheet) -> Iterator["RowReader"]:
        for position in range(len(sheet.data_rows)):
            yield self.row(sheet, position)

    def row(self, sheet: Sheet, position: int) -> "RowReader":
        return RowReader(sheet, position, self.report.rejected, self.parsed)

    def reject(self, sheet: Sheet, number: int, key: str, value: str, message: str) -> None:
        """Reject row `number` of `sheet` at the column of `key`, whose cell holds `value`."""
        self.report.rejected.append(Rejection(sheet.name, number, column_header(sheet, key), value, message))

    def repeated(self, seen: dict, key, row: "RowReader", values: dict, column: str,
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
            row.reject(column, message(where(row.sheet, earlier_sheet, earlier_row)))
        return True

    def revise(self, table_name: str, row_id: int, previous: dict) -> None:
        """Keep a row's values from before this import, for undo (civsam.batches)."""
        self.connection.execute(insert(Revision).values(
            batch_id=self.batch_id, table_name=table_name, row_id=row_id, previous=_jsonable(previous)))

    def create_organisations(self, new: dict[str, dict]) -> None:
        """Store new organisations, by name key: each with its name and sector, and its type, municipality code
        and organisation number where given."""
        if not new:
            return
        ids = reserve_ids(self.connection, organisations_table, len(new))
        details = ("type", "municipality_code", "org_number")
        insert_columns(self.connection, organisations_table, {
            "id": ids, "name_key": list(new), "created_batch_id": [self.batch_id] * len(ids),
            **{key: [values.get(key) for values in new.values()] for key in ("name", "sector", *details)}})
        for organisation_id, (key, values) in zip(ids, new.items(), strict=True):
            self.organisations[key] = StoredOrganisation(organisation_id, key, values["sector"],
                                                         *(values.get(detail) for detail in details))

    def person_id(self, name: str | None) -> int | None:
        if not name:
            return None
        key = name_key(name)
        if key not in self.people:
            self.people[key] = self.connection.execute(
                insert(Person).values(name=" ".join(name.split()), name_key=key).returning(Person.id)).scalar_one()
        return self.people[key]

    def unknown_agreement(self, typed: str) -> str:
        """What a row that names an agreement civsam does not know is told: where the file's row of it was
        rejected, or else the closest name and how to add it."""
        if refused := self.refused_agreements.get(name_key(typed)):
            sheet, number = refused
            return (f"Avtalet {typed} avvisades, se {sheet} rad {number}. Rätta den raden och importera filen igen, "
                    "så sparas även den här.")
        close = difflib.get_close_matches(name_key(typed), list(self.agreements), n=1, cutoff=0.75)
        guess = f"Menar du {self.agreements[close[0]].name}? " if close else ""
        return (f"Det finns inget avtal som heter {typed}. {guess}Skriv namnet som i kolumnen Namn på bladet Avtal, "
                "eller lägg till avtalet där först.")


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
        self.rejections.append(Rejection(self.sheet.name, self.number, column_header(self.sheet, key),
                                         text(raw) or "", message))
        self.ok = False


def column_header(sheet: Sheet, key: str) -> str:
    """The column's header as the file has it, or as the template names it when the file has no such column."""
    return sheet.headers.get(key) or sheet.kind.column(key).header


def where(sheet: Sheet, earlier_sheet: str, earlier_row: int) -> str:
    """How a message names an earlier row: 'rad 4', or 'rad 4 i bladet Blad1' when it is on another sheet."""
    return f"rad {earlier_row}" if earlier_sheet == sheet.name else f"rad {earlier_row} i bladet {earlier_sheet}"


def _sectors_named(sheet: Sheet, names_column: str, read_names: Callable) -> dict[str, str]:
    """The sector each organisation named in `names_column` gets from the first row that names it with a
    readable Sektor, by name key; each distinct pair of cells read once."""
    names, name_codes = sheet.column(names_column)
    sectors, sector_codes = sheet.column("sector")
    found: dict[str, str] = {}
    for name_code, sector_code in dict.fromkeys(zip(name_codes, sector_codes)):
        try:
            sector = parsing.parse_sector(sectors[sector_code])
        except CellError:
            continue
        for name in read_names(names[name_code]) if sector else ():
            found.setdefault(name_key(name), sector)
    return found


def stored_organisations(connection: Connection) -> dict[str, StoredOrganisation]:
    """Every stored organisation by its name key, and by the name key of each merged spelling of it."""
    columns = (getattr(Organisation, name) for name in StoredOrganisation._fields)
    organisations = {row.name_key: StoredOrganisation(*row) for row in connection.execute(select(*columns))}
    by_id = {organisation.id: organisation for organisation in organisations.values()}
    for alias, organisation_id in connection.execute(select(OrganisationAlias.name_key,
                                                            OrganisationAlias.organisation_id)):
        organisations.setdefault(alias, by_id[organisation_id])  # a merged spelling finds the kept one
    return organisations


def stored_agreements(connection: Connection) -> dict[str, StoredAgreement]:
    """Every stored agreement by its name key, with its partners."""
    partners: dict[int, list[int]] = {}
    for agreement_id, organisation_id in connection.execute(select(agreement_organisations)):
        partners.setdefault(agreement_id, []).append(organisation_id)
    rows = connection.execute(
        select(Agreement.id, Agreement.name, Agreement.name_key, Agreement.kind, Agreement.signed,
               Agreement.valid_until, Agreement.registration_number, Agreement.responsible_id, Person.name_key)
        .outerjoin(Person, Person.id == Agreement.responsible_id))
    return {row[2]: StoredAgreement(*row, tuple(sorted(partners.get(row[0], ())))) for row in rows}


def _jsonable(values: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in values.items()}
