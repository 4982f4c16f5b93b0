"""Logs written by other programs: .xls (old Excel, written with xlwt) and .ods (LibreOffice, written with odfpy)."""

import datetime as dt
import io

import pandas as pd
import pytest
import xlwt
from conftest import count, rows

from civsam.importing import import_file

TITLE = "Aktivitetslogg Region Västerbotten 2025"
HEADER = ["Datum", "Typ", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Deltagare", "Unga", "Kommentar", "ID"]
# date typed as a date cell, as text in three ways; numbers as numbers and as text with a decimal comma
ROWS = [
    [dt.date(2025, 3, 4), "Möte", "Samforma; Rädda Barnen Västerbotten", "Ideell", "Umeå", "", 1.5, 12, "Ja", "NA",
     "V-1"],
    ["2025-03-05", "workshop", "Almi Nord", "Näringsliv", "Lulea kommun", "", "2,5", "8", "Nej", "", "V-2"],
    ["6/3/2025", "Dialog", "samforma", "", "", "Norrbotten", 3, "", "x", "null", "V-3"],
    ["7 mars 2025", "Möte", "LTU", "Akademi", "Kiruna", "BD", 0, 5, "", "None", "V-4"],
]
EXPECTED = [
    ("2025-03-04", "Möte", "2480", "Västerbotten", 1.5, 12, 1, "NA", "V-1"),
    ("2025-03-05", "Workshop", "2580", "Norrbotten", 2.5, 8, 0, None, "V-2"),
    ("2025-03-06", "Dialog", None, "Norrbotten", 3.0, None, 1, "null", "V-3"),
    ("2025-03-07", "Möte", "2584", "Norrbotten", 0.0, 5, 0, "None", "V-4"),
]


def stored(engine) -> list[tuple]:
    return rows(engine, "SELECT date, type, municipality_code, county, hours, participants, youth, comment, "
                        "external_id FROM activities ORDER BY date")


def xls_bytes(sheet_name: str, table: list[list], *, date_format: str | None = "YYYY-MM-DD") -> bytes:
    """An .xls as old Excel writes it: a title row, a blank row, the header, the data (date cells formatted)."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(sheet_name)
    date_style = xlwt.easyxf(num_format_str=date_format) if date_format else xlwt.XFStyle()
    for row_number, row in enumerate(table):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(row_number, column, value, date_style)
            elif value not in ("", None):
                sheet.write(row_number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


@pytest.mark.parametrize("sheet_name", ["Aktiviteter", "Blad1"])
def test_an_xls_log_imports_as_specified(engine, sheet_name):
    content = xls_bytes(sheet_name, [[TITLE], [], HEADER, *ROWS[:2], [], *ROWS[2:]])
    report = import_file(engine, content, "logg.xls")
    assert (report.exit_code, report.rows_read, report.imported, report.rejected) == (0, 4, 4, [])
    assert stored(engine) == EXPECTED
    assert dict(rows(engine, "SELECT name, sector FROM organisations")) == {
        "Samforma": "civil_society", "Rädda Barnen Västerbotten": "civil_society", "Almi Nord": "business",
        "LTU": "academia"}
    again = import_file(engine, content, "logg.xls")
    assert (again.imported, again.duplicates) == (0, 4)


def test_an_xls_date_cell_without_a_date_format_is_read_as_its_serial_number(engine):
    content = xls_bytes("Aktiviteter", [HEADER, ROWS[0]], date_format=None)
    report = import_file(engine, content, "logg.xls")
    assert report.imported == 1
    assert stored(engine)[0][0] == "2025-03-04"


def test_xls_rejections_carry_the_row_number_excel_shows(engine):
    bad = ["31/2/2025", "Möte", "Samforma", "Ideell", "Stockholm", "", 1, 1, "", "", "V-9"]
    report = import_file(engine, xls_bytes("Aktiviteter", [[TITLE], [], HEADER, ROWS[0], bad]), "logg.xls")
    assert sorted((r.row, r.column, r.value) for r in report.rejected) == [(5, "Datum", "31/2/2025"),
                                                                           (5, "Kommun", "Stockholm")]


def _ods_log() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=HEADER, dtype=object)
    frame["Datum"] = [pd.Timestamp(2025, 3, 4), "2025-03-05", "6/3/2025", "7 mars 2025"]
    return frame


def test_an_ods_log_imports_as_specified(engine):
    resources = pd.DataFrame({"År": [2025], "Sektor": ["Näringsliv"], "FTE": [7.5], "Budget": [6_200_000]})
    content = ods_bytes({"Aktiviteter": _ods_log(), "Resurser": resources})
    report = import_file(engine, content, "logg.ods")
    assert (report.exit_code, report.rows_read, report.imported, report.rejected) == (0, 5, 5, [])
    assert stored(engine) == EXPECTED
    assert rows(engine, "SELECT year, sector, fte, budget_sek FROM resources") == [(2025, "business", 7.5, 6.2e6)]
    again = import_file(engine, content, "logg.ods")
    assert (again.imported, again.duplicates) == (0, 5)


def test_an_ods_date_time_cell_is_a_date(engine):
    frame = _ods_log().head(1)
    frame["Datum"] = [pd.Timestamp(2025, 3, 4, 14, 30)]
    report = import_file(engine, ods_bytes({"Sheet1": frame}), "logg.ods")
    assert report.imported == 1
    assert stored(engine)[0][0] == "2025-03-04"


def test_an_ods_with_only_a_header_is_refused(engine):
    content = ods_bytes({"Aktiviteter": pd.DataFrame(columns=HEADER)})
    report = import_file(engine, content, "logg.ods")
    assert report.exit_code == 2 and count(engine, "import_batches") == 0


def test_an_xlsx_written_by_pandas_imports_with_na_kept_as_text(engine):
    frame = _ods_log()
    buffer = io.BytesIO()
    frame.to_excel(buffer, sheet_name="Aktiviteter", index=False, engine="openpyxl")
    report = import_file(engine, buffer.getvalue(), "logg.xlsx")
    assert (report.exit_code, report.imported) == (0, 4)
    assert stored(engine) == EXPECTED


def test_an_xls_content_named_xlsx_is_still_read(engine):
    report = import_file(engine, xls_bytes("Aktiviteter", [HEADER, ROWS[0]]), "logg.xlsx")
    assert report.imported == 1


def test_an_ods_with_blank_rows_before_and_inside_the_data(engine):
    frame = pd.DataFrame([ROWS[0], [None] * len(HEADER), [None] * len(HEADER),
                          ["30.2.2025", "Möte", "LKAB", "Företag", "Kiruna", "", 1, 1, "", "", "V-8"], ROWS[3]],
                         columns=HEADER, dtype=object)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Aktiviteter", index=False, startrow=3)
    report = import_file(engine, buffer.getvalue(), "logg.ods")
    assert (report.rows_read, report.imported) == (3, 2)
    # header on row 4, data from row 5: the bad row is the third data row after two blank ones
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(8, "Datum", "30.2.2025")]
