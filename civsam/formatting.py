"""Numbers and dates as Swedish readers write them: 1 234,5 and 2025-03-04."""

import datetime as dt

THOUSANDS = "\u00a0"  # a no-break space keeps "1 234" on one line


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """`1234.5` → '1 234,5' (with `decimals=1`); None → '–'."""
    if value is None or value != value:  # None or NaN: nothing known
        return "–"
    rounded = f"{value:,.{decimals}f}"
    return rounded.replace(",", THOUSANDS).replace(".", ",").replace("-", "−")


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None or value != value:  # None or NaN: nothing known
        return "–"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
