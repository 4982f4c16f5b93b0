"""Reading a workbook: finding the sheets, the header row and the columns, and refusing what is no workbook."""

import datetime as dt
import io

import openpyxl
import pytest
from conftest import ACTIVITY_HEADER, activity_log, count, rows, snapshot, workbook_bytes

from civsam.importing import import_file
from civsam.workbook import WorkbookError, read_workbook

ROW = [dt.date(2025, 3, 4), "Samforma", "Civilsamhälle", "Umeå"]


def only_sheet(content: bytes, file_name: str = "logg.xlsx"):
    (sheet,) = read_workbook(content, file_name)
    return sheet


# --- the header row ------------------------------------------------------------

@pytest.mark.parametrize("leading", [0, 1, 3, 10])
@pytest.mark.parametrize("filler", ["blank", "title"])
def test_header_row_may_follow_up_to_ten_title_or_blank_rows(leading, filler):
    before = [[] if filler == "blank" or i % 2 else [f"Aktivitetslogg {2025 - i}", "Region Västerbotten"]
              for i in range(leading)]
    sheet = only_sheet(workbook_bytes({"Aktiviteter": [*before, ACTIVITY_HEADER, ROW]}))
    header_row = leading + 1
    assert sheet.numbers == [header_row + 1] and sheet.cells(0) == ROW
    assert sheet.headers["date"] == "Datum"


@pytest.mark.parametrize("sheet_name", ["Aktiviteter", "Blad1"])
def test_eleven_rows_before_the_header_are_too_many(sheet_name, engine):
    before = [[f"Rad {i}"] for i in range(11)]
    content = workbook_bytes({sheet_name: [*before, ACTIVITY_HEADER, ROW]})
    with pytest.raises(WorkbookError):
        read_workbook(content, "logg.xlsx")
    report = import_file(engine, content, "logg.xlsx")
    assert report.error and report.exit_code == 2
    assert count(engine, "import_batches") == 0


def test_blank_rows_inside_the_data_are_skipped_and_not_counted(engine):
    second = [dt.date(2025, 3, 5), "Bilda Nord", "Ideell", "Luleå"]
    bad = ["igår", "LKAB", "Näringsliv", "Kiruna"]
    content = workbook_bytes({"Aktiviteter": [
        ["Aktivitetslogg 2025"], [], ACTIVITY_HEADER, ROW, [], [None, "", "   "], second, [], [], bad, []]})
    sheet = only_sheet(content)
    assert sheet.numbers == [4, 7, 10]
    report = import_file(engine, content, "logg.xlsx")
    assert report.rows_read == 3
    assert report.imported == 2
    # the rejected row carries the row number Excel shows, blank rows included
    assert [(r.sheet, r.row, r.column) for r in report.rejected] == [("Aktiviteter", 10, "Datum")]


# --- finding the sheets --------------------------------------------------------

RESOURCE_ROWS = [["År", "Sektor", "Årsarbetskrafter", "Budget (kr)", "Kommentar"], [2025, "Näringsliv", 7.5, 6e6, ""]]
ORGANISATION_ROWS = [["Organisation", "Sektor", "Typ", "Kommun", "Organisationsnummer"],
                     ["Samforma", "Civilsamhälle", "Paraplyorganisation", "Umeå", "802002-4280"]]


@pytest.mark.parametrize(("sheet_name", "sheet_rows", "kind"), [
    ("Aktiviteter", [ACTIVITY_HEADER, ROW], "activities"),
    ("AKTIVITETER", [ACTIVITY_HEADER, ROW], "activities"),
    ("Resurser", RESOURCE_ROWS, "resources"),
    ("resurser", RESOURCE_ROWS, "resources"),
    ("Organisationer", ORGANISATION_ROWS, "organisations"),
    ("Blad1", [ACTIVITY_HEADER, ROW], "activities"),
    ("Sheet1", [ACTIVITY_HEADER, ROW], "activities"),
    ("Blad1", RESOURCE_ROWS, "resources"),
    ("Sheet1", RESOURCE_ROWS, "resources"),
    ("Blad1", ORGANISATION_ROWS, "organisations"),
    ("Sheet1", ORGANISATION_ROWS, "organisations"),
])
def test_sheet_is_found_by_name_or_by_its_headers(sheet_name, sheet_rows, kind):
    sheet = only_sheet(workbook_bytes({sheet_name: sheet_rows}))
    assert (sheet.kind.key, sheet.name, len(sheet.numbers)) == (kind, sheet_name, 1)


def test_all_three_sheets_are_read_organisations_first():
    content = workbook_bytes({"Instruktioner": [["Fyll i en rad per aktivitet."]],
                              "Aktiviteter": [ACTIVITY_HEADER, ROW],
                              "Resurser": RESOURCE_ROWS, "Organisationer": ORGANISATION_ROWS})
    sheets = read_workbook(content, "logg.xlsx")
    assert [sheet.kind.key for sheet in sheets] == ["organisations", "resources", "activities"]


def test_sheets_without_any_recognisable_header_are_no_workbook_to_import(engine):
    content = workbook_bytes({"Blad1": [["Namn", "Telefon"], ["Anna", "070-123"]], "Blad2": [["Datum", "Kommun"]]})
    with pytest.raises(WorkbookError, match="hittade inget blad"):
        read_workbook(content, "kontakter.xlsx")
    report = import_file(engine, content, "kontakter.xlsx")
    assert report.exit_code == 2 and "hittade inget blad" in report.error


def test_activity_sheet_without_kommun_or_lan_is_refused():
    content = workbook_bytes({"Aktiviteter": [["Datum", "Organisation", "Sektor"], ROW[:3]]})
    with pytest.raises(WorkbookError, match="Kommun eller Län"):
        read_workbook(content, "logg.xlsx")


def test_headers_without_data_rows_are_refused(engine):
    content = workbook_bytes({"Aktiviteter": [ACTIVITY_HEADER, [], []]})
    report = import_file(engine, content, "logg.xlsx")
    assert report.exit_code == 2 and "inga rader" in report.error
    assert count(engine, "import_batches") == 0


# --- columns -------------------------------------------------------------------

# The table: every header and every alternative, for each field of Aktiviteter.
ACTIVITY_HEADERS = {
    "date": ["Datum", "Date", "Mötesdatum"],
    "type": ["Typ", "Aktivitetstyp", "Mötestyp", "Type"],
    "title": ["Rubrik", "Aktivitet", "Ämne", "Beskrivning", "Title"],
    "organisations": ["Organisation", "Organisationer", "Partner", "Aktör", "Organization"],
    "sector": ["Sektor", "Sector"],
    "municipality": ["Kommun", "Ort", "Municipality"],
    "county": ["Län", "County"],
    "hours": ["Timmar", "Arbetstimmar", "Tid (h)", "Hours"],
    "participants": ["Deltagare", "Antal deltagare", "Participants"],
    "cost": ["Kostnad (kr)", "Kostnad", "Cost"],
    "project": ["Projekt", "Initiativ", "Project"],
    "youth": ["Unga", "Barn och unga", "Youth"],
    "responsible": ["Ansvarig", "Kontaktperson", "Handläggare"],
    "comment": ["Kommentar", "Anteckning", "Notes"],
    "external_id": ["ID", "Löpnummer"],
    "agreement": ["Avtal", "Avsiktsförklaring", "Överenskommelse", "Agreement"],
}
BASE_HEADER = {"date": "Datum", "organisations": "Organisation", "sector": "Sektor", "municipality": "Kommun"}
ACCEPTED = [(key, header) for key, headers in ACTIVITY_HEADERS.items() for header in headers]


@pytest.mark.parametrize(("key", "header"), ACCEPTED, ids=[header for _, header in ACCEPTED])
@pytest.mark.parametrize("spelling", ["as listed", "upper case, padded", "lower case", "spaces doubled"])
def test_every_accepted_header_is_recognised(key, header, spelling):
    typed = {"as listed": header, "upper case, padded": f"  {header.upper()} ", "lower case": header.lower(),
             "spaces doubled": header.replace(" ", "  ")}[spelling]
    columns = {**BASE_HEADER, key: typed}
    if key == "municipality":  # the sheet also needs Kommun or Län
        columns["county"] = "Län"
    header_row = list(columns.values())
    sheet = only_sheet(workbook_bytes({"Aktiviteter": [header_row, ROW + [""] * (len(header_row) - len(ROW))]}))
    assert sheet.column_index[key] == header_row.index(typed)
    assert " ".join(sheet.headers[key].split()) == " ".join(typed.split())
    assert sheet.ignored_columns == []


def test_alternative_headers_import_into_the_right_fields(engine):
    header = ["Mötesdatum", "Mötestyp", "Ämne", "Aktör", "Sector", "Ort", "County", "Tid (h)", "Antal deltagare",
              "Kostnad", "Initiativ", "Barn och unga", "Kontaktperson", "Anteckning", "Löpnummer"]
    row = ["4/3/2025", "Workshop", "Dialog om RUS", "Samforma; Bilda Nord", "ideell", "Umea", "AC", "1,5", 12,
           "1 500 kr", "SESIN", "Ja", "Anna Andersson", "NA", "SKE-001"]
    report = import_file(engine, activity_log(row, header=header), "logg.xlsx")
    assert (report.exit_code, report.imported, report.ignored_columns) == (0, 1, [])
    (stored,) = rows(engine, """
        SELECT date, type, title, municipality_code, county, hours, participants, cost_sek, project, youth,
               people.name, comment, external_id
        FROM activities LEFT JOIN people ON people.id = activities.responsible_id
    """)
    organisations = rows(engine, """
        SELECT name, organisations.sector FROM organisations
        JOIN activity_organisations ON organisation_id = organisations.id
        ORDER BY name
    """)
    assert tuple(stored) == ("2025-03-04", "Workshop", "Dialog om RUS", "2480", "Västerbotten", 1.5, 12, 1500.0,
                             "SESIN", 1, "Anna Andersson", "NA", "SKE-001")
    assert [tuple(o) for o in organisations] == [("Bilda Nord", "civil_society"), ("Samforma", "civil_society")]


def test_other_columns_are_ignored_and_reported_as_typed(engine):
    header = ["Löpnr intern", "Datum", "Organisation", "Sektor", "Kommun", "Väder", "Kommentar"]
    content = activity_log(["7", *ROW, "Snö", "Bra möte"], header=header)
    assert only_sheet(content).ignored_columns == ["Löpnr intern", "Väder"]
    report = import_file(engine, content, "logg.xlsx")
    assert report.ignored_columns == ["Löpnr intern", "Väder"]
    assert report.imported == 1


# --- files that are no workbook -------------------------------------------------

def _damaged() -> bytes:
    content = workbook_bytes({"Aktiviteter": [ACTIVITY_HEADER, ROW]})
    return content[: len(content) // 2]


def _broken_xls() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


@pytest.mark.parametrize(("content", "file_name", "reason"), [
    (b"Datum;Organisation;Kommun\n2025-03-04;Samforma;Umea\n", "logg.csv", "filtypen stöds inte"),
    (activity_log(ROW), "logg.txt", "filtypen stöds inte"),
    (activity_log(ROW), "logg", "filtypen stöds inte"),
    (b"this is no workbook at all", "logg.xlsx", "går inte att läsa"),
    (b"", "logg.xlsx", "går inte att läsa"),
    (_damaged(), "logg.xlsx", "går inte att läsa"),
    (_broken_xls(), "logg.xls", "går inte att läsa"),
    (b"%PDF-1.7\n", "logg.ods", "går inte att läsa"),
], ids=["csv", "txt suffix", "no suffix", "text", "empty", "truncated xlsx", "broken xls", "pdf as ods"])
def test_what_is_no_workbook_is_an_error_and_nothing_is_written(engine, content, file_name, reason):
    before = snapshot(engine)
    with pytest.raises(WorkbookError, match=reason):
        read_workbook(content, file_name)
    report = import_file(engine, content, file_name)
    assert report.exit_code == 2 and reason in report.error and report.batch_id is None
    assert report.to_json()["error"] == report.error
    assert snapshot(engine) == before


def test_suffix_is_matched_regardless_of_case():
    assert only_sheet(activity_log(ROW), "LOGG.XLSX").numbers


def test_a_styled_workbook_with_a_title_row_and_a_date_format_is_read():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Aktiviteter"
    sheet.append(["Aktivitetslogg"])
    sheet.append(ACTIVITY_HEADER)
    sheet.append(ROW)
    sheet["A2"].font = openpyxl.styles.Font(bold=True)
    sheet["A3"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (only,) = read_workbook(buffer.getvalue(), "logg.xlsx")
    assert only.numbers[0] == 3
    assert only.value(only.cells(0), "date") in (dt.date(2025, 3, 4), dt.datetime(2025, 3, 4))


def test_an_empty_sheet_with_a_telling_name_is_passed_over(engine):
    """A workbook whose Aktiviteter sheet was left empty can still bring its register."""
    content = workbook_bytes({"Aktiviteter": [], "Organisationer": ORGANISATION_ROWS})
    assert [sheet.kind.key for sheet in read_workbook(content, "register.xlsx")] == ["organisations"]
    report = import_file(engine, content, "register.xlsx")
    assert (report.exit_code, report.imported) == (0, 1)


def test_a_telling_name_without_its_header_row_is_refused(engine):
    content = workbook_bytes({"Aktiviteter": [["Möte med Samforma", "Umeå"]], "Organisationer": ORGANISATION_ROWS})
    with pytest.raises(WorkbookError, match="Bladet Aktiviteter saknar en rubrikrad med Datum och Organisation"):
        read_workbook(content, "logg.xlsx")
    assert import_file(engine, content, "logg.xlsx").exit_code == 2


@pytest.mark.parametrize("headers", [
    ["Mötesdag", "Organisation", "Sektor", "Kommun"],
    ["Mötesdag", "Organisation", "Sektor", "Kommun", "Typ", "Timmar"],
], ids=["no register column", "a log-only column"])
def test_a_log_whose_date_header_is_misspelt_is_not_taken_for_a_register(headers):
    content = workbook_bytes({"Blad1": [headers, ["2025-03-04", "Samforma", "Civilsamhälle", "Umeå", "Möte", 2][
        :len(headers)]]})
    with pytest.raises(WorkbookError, match="Datum"):
        read_workbook(content, "logg.xlsx")


def test_an_unnamed_partner_register_is_found_by_its_headers():
    content = workbook_bytes({"Blad1": [["Organisation", "Sektor", "Organisationsnummer"],
                                        ["Samforma", "Civilsamhälle", "802002-4280"]]})
    assert [sheet.kind.key for sheet in read_workbook(content, "register.xlsx")] == ["organisations"]
