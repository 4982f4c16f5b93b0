"""Tables as files people can open: CSV for Swedish Excel and .xlsx, with typed text kept as text.

A cell that starts with =, +, - or @ would run as a formula in a spreadsheet
(OWASP's CSV/formula injection): in CSV it gets a leading apostrophe, in .xlsx
it is written as a text cell. Column headers and sheet names get the same
treatment: an agreement's name or an activity type becomes a column. Control
characters are taken out of every cell, header and name (civsam.typed_text):
openpyxl refuses a whole file for one of them.
"""

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from civsam.typed_text import cleaned

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what Excel refuses in a sheet name; a name is also at most 31 characters
SHEET_NAME_REFUSES = re.compile(r"[\\/*?:\[\]]")


def neutralise(value):
    """A value for a CSV cell: a string without control characters, with an apostrophe before it where a
    spreadsheet would read it as a formula."""
    value = cleaned(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Swedish Excel opens it: semicolons, decimal comma, UTF-8 with a byte-order mark; the header row
    as safe as the cells."""
    safe = frame.map(neutralise).set_axis([neutralise(str(column)) for column in frame.columns], axis="columns")
    return safe.to_csv(index=False, sep=";", decimal=",", date_format="%Y-%m-%d").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One worksheet per table, frozen header row, numbers as numbers and every string as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        write_sheet(workbook, name, frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(sheet_name(name))
    sheet.append([cleaned(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(value) else cleaned(value) for value in row])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.0"
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(str(column)) + 4))
    sheet.freeze_panes = "A2"


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts: without control characters and the characters it refuses, 31 at most."""
    return SHEET_NAME_REFUSES.sub("-", cleaned(name))[:31].strip("'") or "-"
