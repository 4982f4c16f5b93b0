"""Numbers and dates as Swedish readers write them: 1 234,5 and 2025-03-04 (periods: civsam.periods).

Numbers are rounded half away from zero (2,5 → 3, 0,35 → 0,4), from the number as Python writes it rather
than from its binary value (0.35 is stored as 0.34999…), and a result of zero carries no sign.
"""

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

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
