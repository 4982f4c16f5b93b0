"""Tables as files people can open: CSV for Swedish Excel and .xlsx, with typed text kept as text.

A cell that starts with =, +, - or @ would run as a formula in a spreadsheet
(OWASP's CSV/formula injection): in CSV it gets a leading apostrophe, in .xlsx
it is written as a text cell.
"""

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A string that a spreadsheet would read as a formula, made harmless for CSV."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Swedish Excel opens it: semicolons, decimal comma, UTF-8 with a byte-order mark."""
    safe = frame.map(neutralise)
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
    sheet = workbook.create_sheet(name[:31])
    sheet.append([str(column) for column in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(value) else value for value in row])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.0"
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(str(column)) + 4))
    sheet.freeze_panes = "A2"
