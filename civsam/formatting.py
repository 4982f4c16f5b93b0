"""Numbers, dates and periods as Swedish readers write them: 1 234,5, 2025-03-04, jan 2026, v. 14, kv. 2 2026.

Numbers are rounded half away from zero (2,5 → 3, 0,35 → 0,4), from the number as Python writes it rather
than from its binary value (0.35 is stored as 0.34999…), and a result of zero carries no sign.
"""

import datetime as dt
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from civsam.i18n import MONTHS, t

THOUSANDS = "\u00a0"  # a no-break space keeps "1 234" on one line


def rounded(value: float | int | Decimal, decimals: int = 0) -> Decimal:
    """`value` rounded as a reader expects: half away from zero, never −0."""
    result = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return result.copy_abs() if result == 0 else result


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """`1234.5` → '1 234,5' (with `decimals=1`), `-2.25` → '−2,3'; None → '–'."""
    if value is None or value != value or math.isinf(value):  # None, NaN or a ratio to zero: no number to show
        return "–"
    return f"{rounded(value, decimals):,f}".replace(",", THOUSANDS).replace(".", ",").replace("-", "−")


def format_change(change: float | int, decimals: int = 0) -> str:
    """A change against an earlier figure, with its sign: '+12', '−59,0', '0'."""
    return ("+" if rounded(change, decimals) > 0 else "") + format_number(change, decimals)


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None or value != value:  # None or NaN: nothing known
        return "–"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def format_period(first_day: dt.date, unit: str, lang: str, *, week_year: bool = False) -> str:
    """The week, month or quarter that begins on `first_day`: 'v. 14', 'jan 2026', 'kv. 2 2026' ('wk 14',
    'Jan 2026', 'Q2 2026' in English). A week is an ISO week, Monday to Sunday, named by its ISO number;
    `week_year` adds its ISO year ('v. 1 2026', the week from Monday 2025-12-29), which weeks on both sides
    of a new year need."""
    if unit == "week":
        year, week, _ = first_day.isocalendar()
        return t(lang, "week_year_label" if week_year else "week_label", week=week, year=year)
    if unit == "month":
        return t(lang, "month_label", month=MONTHS[lang][first_day.month - 1], year=first_day.year)
    return t(lang, "quarter_label", quarter=(first_day.month - 1) // 3 + 1, year=first_day.year)


def format_periods(first_days: Sequence[dt.date], unit: str, lang: str) -> list[str]:
    """Labels for consecutive periods on one axis: weeks carry their ISO year only when they span more than one,
    so that 'v. 1' is never read as the first week of the wrong year."""
    spans_years = len({day.isocalendar()[0] for day in first_days}) > 1
    return [format_period(day, unit, lang, week_year=spans_years) for day in first_days]
