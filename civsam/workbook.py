"""Reading a coordinator's workbook: which sheets hold what, and which column is which.

python-calamine reads .xlsx, .xls and .ods alike, about ten times faster than
openpyxl. A sheet is recognised by its name (Aktiviteter, Resurser,
Organisationer, Avtal, Åtaganden) or, failing that, by its header row, which may follow up to
ten title or blank rows. Headers match regardless of case, accents and
surrounding spaces; columns nobody asked for are reported as ignored.
Control characters are taken out of every text cell and sheet name here, once,
before anything reads them (civsam.typed_text); the cells that had some are
counted for the import report.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from civsam import filecheck
from civsam.parsing import fold, is_blank, text
from civsam.reader import Column as ReadColumn
from civsam.reader import ReaderFailed, read_cells
from civsam.survey_questions import COMMENT_QUESTION, ORGANISATION_QUESTION, STATEMENTS
from civsam.typed_text import CONTROL_CHARACTERS, without_control_characters

MAX_LEADING_ROWS = 10
READABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class WorkbookError(Exception):
    """The file cannot be read at all; str(error) says why in Swedish, and how to fix it."""


class Column(NamedTuple):
    key: str
    headers: tuple[str, ...]  # the first is the one the template writes
    required: bool = False

    @property
    def header(self) -> str:
        return self.headers[0]


class SheetKind(NamedTuple):
    key: str
    name: str
    other_names: tuple[str, ...]
    columns: tuple[Column, ...]
    # groups of columns of which at least one must be present, e.g. Kommun or Län
    one_of: tuple[tuple[str, ...], ...] = ()

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


# Aktiviteter: one row per activity; Datum and Organisation are required, and Kommun or Län.
ACTIVITIES = SheetKind(
    "activities",
    "Aktiviteter",
    ("aktivitetslogg", "activities"),
    (
        Column("date", ("Datum", "Date", "Mötesdatum"), required=True),
        Column("type", ("Typ", "Aktivitetstyp", "Mötestyp", "Type")),
        Column("title", ("Rubrik", "Aktivitet", "Ämne", "Beskrivning", "Title")),
        Column("organisations", ("Organisation", "Organisationer", "Partner", "Aktör", "Organization"), required=True),
        Column("sector", ("Sektor", "Sector")),
        Column("municipality", ("Kommun", "Ort", "Municipality")),
        Column("county", ("Län", "County")),
        Column("hours", ("Timmar", "Arbetstimmar", "Tid (h)", "Hours")),
        Column("participants", ("Deltagare", "Antal deltagare", "Participants")),
        Column("cost", ("Kostnad (kr)", "Kostnad", "Cost")),
        Column("project", ("Projekt", "Initiativ", "Project")),
        Column("youth", ("Unga", "Barn och unga", "Youth")),
        Column("responsible", ("Ansvarig", "Kontaktperson", "Handläggare")),
        Column("comment", ("Kommentar", "Anteckning", "Notes")),
        Column("external_id", ("ID", "Löpnummer")),
        Column("agreement", ("Avtal", "Avsiktsförklaring", "Överenskommelse", "Agreement")),
    ),
    one_of=(("municipality", "county"),),
)

# Resurser: per year and sector, the staff (årsarbetskrafter) and budget the region devotes.
RESOURCES = SheetKind(
    "resources",
    "Resurser",
    ("resources",),
    (
        Column("year", ("År", "Year"), required=True),
        Column("sector", ("Sektor", "Sector"), required=True),
        Column("fte", ("Årsarbetskrafter", "FTE")),
        Column("budget", ("Budget (kr)", "Budget")),
        Column("comment", ("Kommentar", "Anteckning", "Notes")),
    ),
    one_of=(("fte", "budget"),),
)

# Organisationer: the partner register, one row per organisation; Medlem i names its umbrella organisation(s).
ORGANISATIONS = SheetKind(
    "organisations",
    "Organisationer",
    ("organisations", "organizations"),
    (
        Column("name", ("Organisation", "Namn", "Organization"), required=True),
        Column("sector", ("Sektor", "Sector"), required=True),
        Column("type", ("Typ", "Organisationstyp", "Type")),
        Column("municipality", ("Kommun", "Ort", "Municipality")),
        Column("org_number", ("Organisationsnummer", "Org.nr", "Orgnr")),
        Column("member_of", ("Medlem i", "Paraplyorganisation", "Member of")),
    ),
)

# Avtal: one row per agreement; Part names one or more organisations already in the register.
AGREEMENTS = SheetKind(
    "agreements",
    "Avtal",
    ("agreements", "avsiktsforklaringar", "overenskommelser"),
    (
        Column("name", ("Namn", "Avtalsnamn", "Name"), required=True),
        Column("kind", ("Typ", "Avtalstyp", "Type"), required=True),
        Column("partners", ("Part", "Parter", "Partner", "Partnerorganisation"), required=True),
        Column("signed", ("Undertecknat", "Undertecknad", "Signed"), required=True),
        Column("valid_until", ("Giltigt till", "Giltig till", "Gäller till", "Valid until")),
        Column("registration_number", ("Diarienummer", "Dnr", "Diarienr")),
        Column("responsible", ("Ansvarig", "Ansvarig enhet", "Kontaktperson", "Responsible")),
    ),
)

# Åtaganden: one row per commitment of an agreement on the Avtal sheet or already stored.
COMMITMENTS = SheetKind(
    "commitments",
    "Åtaganden",
    ("commitments", "atagande"),
    (
        Column("agreement", ("Avtal", "Avsiktsförklaring", "Överenskommelse", "Agreement"), required=True),
        Column("text", ("Åtagande", "Commitment"), required=True),
        Column("whose", ("Part", "Vems", "Ansvarig part", "Party"), required=True),
        Column("cadence", ("Intervall", "Frekvens", "Återkommer", "Cadence")),
        Column("due", ("Förfaller", "Förfallodatum", "Klart senast", "Due"), required=True),
        Column("status", ("Status",)),
        Column("comment", ("Kommentar", "Anteckning", "Notes")),
    ),
)

# Enkät: the partner survey, one row per response, as Microsoft Forms exports it (ID, Starttid, Tidpunkt för
# slutförande, E-post, Namn, then one column per question headed by its text) or with Datum and the questions alone.
# ID, start time, name and e-mail are known so that they are not taken for unknown questions; only the date,
# the organisation, the free text and the answers are read (civsam.importing.survey).
SURVEY = SheetKind(
    "survey",
    "Enkät",
    ("enkat", "survey", "partnerenkat"),
    (
        Column("completed", ("Datum", "Tidpunkt för slutförande", "Completion time", "Date"), required=True),
        Column("response_id", ("ID",)),
        Column("started", ("Starttid", "Start time")),
        Column("modified", ("Tid för senaste ändring", "Last modified time")),
        Column("email", ("E-post", "E-postadress", "Email", "E-mail")),
        Column("name", ("Namn", "Name")),
        Column("organisation", ORGANISATION_QUESTION),
        Column("comment", COMMENT_QUESTION),
        *(Column(statement.key, (statement.swedish, statement.english)) for statement in STATEMENTS),
    ),
)
PERSONAL_COLUMNS = ("email", "name")  # what Forms fills in when respondents sign in: never stored

# Organisations first, so everything after can name them; then agreements, so commitments and activities can.
SHEET_KINDS = (ORGANISATIONS, AGREEMENTS, COMMITMENTS, RESOURCES, ACTIVITIES, SURVEY)
# A sheet without a telling name is tried in this order: a survey first, known by its questions (its Organisation
# and Datum would otherwise make it a log without Kommun); an activity log also has Organisation and Sektor.
DETECTION_ORDER = (SURVEY, ACTIVITIES, RESOURCES, COMMITMENTS, AGREEMENTS, ORGANISATIONS)


class Grid:
    """A sheet's cells as the reader hands them over: column by column, each column's distinct cells
    once and for every row which of them (civsam.reader)."""

    def __init__(self, columns: list[ReadColumn]):
        self.columns = []
        self.cleaned_cells = 0  # cells that had control characters taken out
        for cells, codes in columns:
            row_codes = np.frombuffer(codes, dtype=np.uintc)
            cells, dirty = _without_control_characters(cells)
            if dirty:
                self.cleaned_cells += int(np.isin(row_codes, dirty).sum())
            self.columns.append((cells, row_codes))
        self.height = len(self.columns[0][1]) if self.columns else 0

    def row(self, index: int) -> list:
        return [cells[codes[index]] for cells, codes in self.columns]

    def filled_rows(self, start: int = 0) -> np.ndarray:
        """The indexes from `start` on of the rows with at least one cell that is not blank."""
        filled = np.zeros(self.height, dtype=bool)
        for cells, codes in self.columns:
            filled |= np.fromiter((not is_blank(cell) for cell in cells), bool, len(cells))[codes]
        return np.flatnonzero(filled[start:]) + start


def _without_control_characters(cells: list) -> tuple[list, list[int]]:
    """A column's distinct cells without control characters, and the positions of those that had some. One
    search over the column's text first: a log's hundred thousand titles are nearly always clean."""
    if not CONTROL_CHARACTERS.search("\n".join(cell for cell in cells if type(cell) is str)):
        return cells, []
    dirty = [index for index, cell in enumerate(cells) if type(cell) is str and CONTROL_CHARACTERS.search(cell)]
    return [without_control_characters(cell) if type(cell) is str else cell for cell in cells], dirty


@dataclass
class Sheet:
    """A recognised sheet: its kind, where each column is, and its data rows (below the header, not blank),
    which are counted from 0 here and numbered as Excel shows them in messages."""

    kind: SheetKind
    name: str
    column_index: dict[str, int]
    headers: dict[str, str]  # column key → the header as typed
    ignored_columns: list[str]
    grid: Grid
    data_rows: np.ndarray  # the grid's indexes of the data rows

    @cached_property
    def numbers(self) -> list[int]:
        """Each data row's number as Excel shows it."""
        return (self.data_rows + 1).tolist()

    def cells(self, position: int) -> list:
        """The cells of the data row at `position`."""
        return self.grid.row(self.data_rows[position])

    def column(self, key: str) -> tuple[list, list[int]]:
        """A column's distinct cells and, for each data row, the position of its cell among them;
        a column the sheet lacks reads as blank."""
        index = self.column_index.get(key)
        if index is None:
            return [None], [0] * len(self.data_rows)
        cells, codes = self.grid.columns[index]
        return cells, codes[self.data_rows].tolist()

    def value(self, cells: list, key: str):
        index = self.column_index.get(key)
        return cells[index] if index is not None and index < len(cells) else None


def read_workbook(content: bytes, file_name: str) -> list[Sheet]:
    """The recognised sheets of a workbook, in SHEET_KINDS order. Raises WorkbookError."""
    if not file_name.lower().endswith(READABLE_SUFFIXES):
        raise WorkbookError(f"{file_name}: filtypen stöds inte. "
                            "Spara filen som Excel-arbetsbok (.xlsx) och försök igen.")
    try:
        # The cells are read in a child process with limits, so that a crafted file cannot take the server down;
        # meanwhile the file is checked for zip bombs, XML tricks and far-out cells, and the child stopped when
        # the check refuses it.
        grids = read_cells(content, meanwhile=lambda: filecheck.check(content, file_name))
    except filecheck.UnsafeFile as error:
        raise WorkbookError(str(error)) from None
    except ReaderFailed as failure:
        raise WorkbookError({"password": filecheck.password_protected, "damaged": filecheck.damaged,
                             "too_demanding": filecheck.too_demanding}[failure.reason](file_name)) from None
    sheets = [sheet for name, columns in grids.items()
              if (sheet := recognise_sheet(without_control_characters(name), Grid(columns)))]
    if not sheets:
        raise WorkbookError(
            f"{file_name}: hittade inget blad med aktiviteter, resurser, organisationer, avtal, åtaganden eller "
            "enkätsvar. "
            "En aktivitetslogg ska ha en rubrikrad med minst Datum, Organisation och Kommun (eller Län); ladda gärna "
            "ner mallen och utgå från den."
        )
    if not any(len(sheet.data_rows) for sheet in sheets):
        raise WorkbookError(f"{file_name} har rubriker men inga rader med uppgifter. "
                            "Fyll i minst en rad och försök igen.")
    return sorted(sheets, key=lambda sheet: SHEET_KINDS.index(sheet.kind))


def recognise_sheet(name: str, grid: Grid) -> Sheet | None:
    """The sheet's kind by name or header row; None for a sheet that holds none of them, or nothing at all."""
    named_kind = next((kind for kind in SHEET_KINDS if fold(name) in {fold(kind.name), *kind.other_names}), None)
    for row_index in range(min(grid.height, MAX_LEADING_ROWS + 1)):
        cells = grid.row(row_index)
        headers = [_header_key(cell) for cell in cells]
        for kind in (named_kind,) if named_kind else DETECTION_ORDER:
            column_index = _match_columns(kind, headers)
            if named_kind is None and not _telling(kind, column_index, headers):
                continue
            if all(column.key in column_index for column in kind.columns if column.required):
                _check_one_of(kind, column_index, name)
                typed = {key: text(cells[index]) for key, index in column_index.items()}
                return Sheet(kind, name, column_index, typed, _ignored(cells, column_index), grid,
                             grid.filled_rows(row_index + 1))
    if named_kind and len(grid.filled_rows()):  # an empty sheet holds nothing
        wanted = " och ".join(column.header for column in named_kind.columns if column.required)
        raise WorkbookError(
            f"Bladet {name} saknar en rubrikrad med {wanted} bland de {MAX_LEADING_ROWS + 1} första raderna. "
            "Skriv rubrikerna på en egen rad ovanför uppgifterna, som i mallen."
        )
    return None


def _header_key(cell) -> str:
    """A header as it is matched: case, accents, spacing and a trailing full stop do not count (a survey's
    question may be typed with or without its full stop)."""
    return fold(text(cell) or "").removesuffix(".").rstrip()


def _telling(kind: SheetKind, column_index: dict[str, int], headers: list[str]) -> bool:
    """Whether headers alone show an unnamed sheet to be a partner register: it needs Typ or
    Organisationsnummer and nothing only a log has, so a log whose date header is misspelt is not
    taken for a register (Organisation, Sektor and Kommun stand in both). A survey needs at least one of
    its statements."""
    if kind is SURVEY:
        return any(":" in key for key in column_index)
    if kind is not ORGANISATIONS:
        return True
    log_only = set(_match_columns(ACTIVITIES, headers)) - {"organisations", "sector", "municipality", "type"}
    return bool({"type", "org_number"} & set(column_index)) and not log_only


def _match_columns(kind: SheetKind, headers: list[str]) -> dict[str, int]:
    column_index: dict[str, int] = {}
    for column in kind.columns:
        accepted = {_header_key(header) for header in column.headers}
        index = next((i for i, header in enumerate(headers) if header in accepted), None)
        if index is not None:
            column_index[column.key] = index
    return column_index


def _check_one_of(kind: SheetKind, column_index: dict[str, int], sheet_name: str) -> None:
    for keys in kind.one_of:
        if not any(key in column_index for key in keys):
            either = " eller ".join(kind.column(key).header for key in keys)
            raise WorkbookError(f"Bladet {sheet_name} saknar kolumnen {either}. Lägg till den i rubrikraden.")


def _ignored(header_cells: list, column_index: dict[str, int]) -> list[str]:
    used = set(column_index.values())
    return [text(cell) for index, cell in enumerate(header_cells) if index not in used and not is_blank(cell)]
