"""Reading an Aktiviteter sheet's rows: each cell parsed, each row checked, column by column.

A log's hundred thousand rows are parsed and checked a column at a time, each distinct cell and each distinct
set of checked cells once. Only a row that a check may refuse is read again cell by cell, so that each of its
problems is reported as it would be for that row alone. Each check is defined once, in ACTIVITY_CHECKS, and
both passes read it."""

from collections.abc import Callable
from typing import NamedTuple

from civsam import parsing
from civsam.fingerprint import CONTENT_FIELDS, fingerprints
from civsam.importing.run import ImportRun, RowReader
from civsam.keys import distinct_codes, each_distinct, name_key
from civsam.models import Activity, Organisation, Person, longest
from civsam.parsing import CellError, text
from civsam.workbook import Sheet

# what a parsed row gives; the agreement an activity serves is no part of its content
PARSED_FIELDS = (*CONTENT_FIELDS, "external_id", "fingerprint", "agreement_id")
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


class Check(NamedTuple):
    """A check of a row's parsed cells: `refuses(run, *those cells)` says whether the row is rejected, at
    `column`, with `message(run, *those cells)`."""

    column: str
    cells: tuple[str, ...]
    refuses: Callable[..., bool]
    message: Callable[..., str]
    always: bool = False  # made on a row already rejected too (the others only on a row that is fine so far)


# in the order a row's problems are reported; a row gets the first problem found, and the agreement's besides
ACTIVITY_CHECKS = (
    Check("agreement", ("agreement",),
          lambda run, typed: bool(typed) and name_key(typed) not in run.agreements,
          lambda run, typed: run.unknown_agreement(typed) + " Lämna Avtal tomt om aktiviteten inte hör till något "
                                                            "avtal.", always=True),
    Check("organisations", ("organisations",), lambda run, names: not names,
          lambda run, names: "Organisation saknas. Skriv minst en organisation; flera skiljs med semikolon."),
    Check("municipality", ("municipality", "county"),
          lambda run, municipality, county: municipality is None and county is None,
          lambda run, municipality, county: "Kommun eller län saknas. Skriv kommunen (t.ex. Lycksele) eller länet."),
    # an activity more than a year ahead is a mistyped year: it would move every page's period with it
    Check("date", ("date",), lambda run, date: date > run.latest_date,
          lambda run, date: f"Datumet {date.isoformat()} ligger mer än ett år fram i tiden. Kontrollera årtalet; en "
                            "planerad aktivitet loggas när den har ägt rum."),
    Check("county", ("municipality", "county"),
          lambda run, municipality, county: bool(municipality and county and municipality.county != county),
          lambda run, municipality, county: f"{municipality.name} ligger i {municipality.county}s län, inte i "
                                            f"{county}s län. Rätta länet eller kommunen, eller lämna Län tomt."),
)


class Activities(NamedTuple):
    """A sheet's activities column by column, each with its row number as Excel shows it: a log's hundred
    thousand rows are checked and stored without a dict per row."""

    numbers: list[int]
    columns: dict[str, list]

    def row(self, position: int) -> dict:
        return {key: column[position] for key, column in self.columns.items()}

    def only(self, positions: list[int]) -> "Activities":
        """The activities at `positions`, in that order."""
        if len(positions) == len(self.numbers):
            return self
        return Activities([self.numbers[position] for position in positions],
                          {key: [column[position] for position in positions] for key, column in self.columns.items()})


def parse_activities(run: ImportRun, sheet: Sheet) -> Activities:
    """The activities the sheet's rows describe, with the columns the activities table stores (PARSED_FIELDS)
    and the names as typed; rejections for the rows that can't be stored. The sector of an organisation not yet
    stored is settled row by row, in file order, as the first row that names it with a sector gives it."""
    columns, unreadable = _read_columns(sheet)
    doubtful = unreadable | _doubtful(run, columns, unreadable)
    named, named_at = distinct_codes(columns["organisations"])
    unknown = [[name for name in typed or () if name_key(name) not in run.organisations] for typed in named]
    # the cells whose every organisation is stored, or has its sector from an earlier row
    settled = {code for code, names in enumerate(unknown) if not names}
    kept = []
    for position, sector in enumerate(columns["sector"]):
        row = None
        if position in doubtful:
            row = run.row(sheet, position)
            if position in unreadable:  # read again cell by cell, for a rejection per unreadable cell
                cells = {key: row.read(key, parser, **options) for key, (parser, options) in ACTIVITY_CELLS.items()}
            else:
                cells = {key: column[position] for key, column in columns.items()}
            if not _check_row(run, cells, row):
                continue
        if (code := named_at[position]) not in settled:
            if without_sector := _without_sector(run, unknown[code], sector):
                row = row or run.row(sheet, position)
                row.reject("sector", f"{', '.join(without_sector)} finns inte i organisationsregistret. Ange "
                                     f"organisationens sektor i kolumnen Sektor. {parsing.SECTOR_HELP}")
                continue
            settled.add(code)
        kept.append(position)
    return _with_stored_values(run, Activities(sheet.numbers, columns).only(kept))


def _doubtful(run: ImportRun, columns: dict[str, list], unreadable: set[int]) -> set[int]:
    """The positions of the readable rows that one of ACTIVITY_CHECKS refuses, each check made once per
    distinct set of its cells."""
    doubtful: set[int] = set()
    together: dict[tuple[str, ...], list] = {}  # each check's cells, row by row: one value, or a tuple of several
    for check in ACTIVITY_CHECKS:
        if check.cells not in together:
            together[check.cells] = (columns[check.cells[0]] if len(check.cells) == 1
                                     else list(zip(*(columns[key] for key in check.cells))))
        values = together[check.cells]
        readable = {value for position, value in enumerate(values) if position not in unreadable} if unreadable \
            else set(values)
        refused = {value for value in readable
                   if check.refuses(run, *(value if len(check.cells) > 1 else (value,)))}
        if refused:
            doubtful.update(position for position, value in enumerate(values)
                            if value in refused and position not in unreadable)
    return doubtful


def _check_row(run: ImportRun, cells: dict, row: RowReader) -> bool:
    """Whether the row's parsed cells describe an activity that can be stored; rejections where not."""
    for check in ACTIVITY_CHECKS:
        if row.ok or check.always:
            values = [cells[key] for key in check.cells]
            if check.refuses(run, *values):
                row.reject(check.column, check.message(run, *values))
    return row.ok


def _without_sector(run: ImportRun, unknown: list[str], sector: str | None) -> list[str]:
    """Of a row's organisations that are not stored, those whose sector neither the row nor an earlier row
    gives; when there are none, the row's sector is noted for those it names first."""
    without_sector = [name for name in unknown if name_key(name) not in run.pending_sectors]
    if without_sector and sector is None:
        return without_sector
    for name in unknown:
        run.pending_sectors.setdefault(name_key(name), sector)
    return []


def _with_stored_values(run: ImportRun, activities: Activities) -> Activities:
    """The columns the activities table stores (PARSED_FIELDS), and the names as typed, from the parsed cells."""
    cells = activities.columns
    municipalities = cells["municipality"]
    agreement_ids = each_distinct(cells["agreement"],
                                  lambda typed: run.agreements[name_key(typed)].id if typed else None)
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
    return Activities(activities.numbers, columns)


def _read_columns(sheet: Sheet) -> tuple[dict[str, list], set[int]]:
    """Each column's parsed values, row by row, and the positions of the rows with a cell that cannot be read.
    A log repeats the same few dates, places, partners and hours on thousands of rows, so each distinct cell
    of a column is parsed once."""
    columns: dict[str, list] = {}
    unreadable: set[int] = set()
    for key, (parser, options) in ACTIVITY_CELLS.items():
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
