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
