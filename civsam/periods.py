"""The periods the region reports in, offered as presets beside the date fields, and what a period is
compared with.

A preset is a code kept in the link (`?period=2026T2`), turned into dates for a given today:

    2026     the calendar year
    2026T2   a tertial: T1 January–April, T2 May–August, T3 September–December (the region's reports)
    2026K3   a quarter, K for kvartal as Swedish reports write it ("K3 2026"); Q3 is read as K3
    12m      the last twelve months: the day a year ago after today up to today

A period that has not ended yet ends today ("2026 so far"): no chart counts months still to come.
A calendar year, tertial, quarter or month, whole or so far, is compared with the same dates a year earlier;
any other period with the equally long stretch just before it.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from civsam.i18n import MONTHS, t

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a period may touch, as for a year typed in the workbook
LAST_12_MONTHS = "12m"
CUSTOM = "custom"  # dates typed by hand: no preset, `fran` and `till` in the link
PREVIOUS, YEAR_EARLIER = "fore", "fjol"  # the comparisons, as the link writes them (`?jamfor=fjol`)
COMPARISONS = (PREVIOUS, YEAR_EARLIER)
PARTS = {"T": 4, "K": 3}  # months in a tertial, in a quarter
CODE = re.compile(r"(\d{4})(?:([TKQ])(\d))?")


@dataclass(frozen=True)
class Preset:
    year: int | None  # None: the last twelve months
    part: str = ""  # "", "T" or "K"
    number: int = 0  # which tertial or quarter

    @property
    def code(self) -> str:
        return LAST_12_MONTHS if self.year is None else f"{self.year}{self.part}{self.number or ''}"

    def dates(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """First and last day; a period that has not ended yet ends today."""
        start, end = self._whole(today)
        return start, min(end, today) if start <= today else end

    def _whole(self, today: dt.date) -> tuple[dt.date, dt.date]:
        if self.year is None:
            return _year_after(today, -1) + dt.timedelta(days=1), today
        if not self.part:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        first_month = (self.number - 1) * PARTS[self.part] + 1
        return dt.date(self.year, first_month, 1), _month_end(self.year, first_month + PARTS[self.part] - 1)

    def label(self, lang: str, today: dt.date) -> str:
        """'T2 2026 (maj–aug)', 'Kvartal 3 2026 (jul–sep)', 'Hela 2025', '2026 hittills', 'Senaste 12 månaderna'."""
        if self.year is None:
            return t(lang, "preset_12m")
        start, end = self._whole(today)
        ongoing = start <= today < end
        if not self.part:
            text = str(self.year) if ongoing else t(lang, "preset_year", year=self.year)
        else:
            months, names = PARTS[self.part], MONTHS.get(lang, MONTHS["sv"])
            first_month = (self.number - 1) * months
            span = f"{names[first_month]}–{names[first_month + months - 1]}"
            key = "preset_tertial" if self.part == "T" else "preset_quarter"
            text = t(lang, key, number=self.number, year=self.year, months=span)
        return t(lang, "preset_so_far", period=text) if ongoing else text


def parse(code: str) -> Preset | None:
    """The preset a code names, or None when it names none (or a year outside FIRST_YEAR..LAST_YEAR)."""
    if code == LAST_12_MONTHS:
        return Preset(None)
    match = CODE.fullmatch(code.strip().upper())
    if not match:
        return None
    year, part, number = int(match.group(1)), (match.group(2) or "").replace("Q", "K"), int(match.group(3) or 0)
    if not FIRST_YEAR <= year <= LAST_YEAR or (part and not 1 <= number <= 12 // PARTS[part]):
        return None
    return Preset(year, part, number)


def offered(today: dt.date) -> list[Preset]:
    """What the sidebar offers: the last 12 months; this year and last, each followed by its tertials and
    quarters, newest first, leaving out those that have not begun."""
    presets = [Preset(None)]
    for year in (today.year, today.year - 1):
        for preset in [Preset(year), *(Preset(year, "T", n) for n in (3, 2, 1)),
                       *(Preset(year, "K", n) for n in (4, 3, 2, 1))]:
            if preset.dates(today)[0] <= today:
                presets.append(preset)
    return presets


def matching(start: dt.date, end: dt.date, today: dt.date) -> Preset | None:
    """The offered preset with exactly these dates (a link with `fran` and `till` of a whole tertial shows it
    as that tertial), or None."""
    return next((preset for preset in offered(today)[1:] if preset.dates(today) == (start, end)), None)


def default_comparison(start: dt.date, end: dt.date) -> str:
    """YEAR_EARLIER for a calendar year, tertial, quarter or month, whole or so far (from its first day to a day
    within it: the year to date); PREVIOUS for any other period."""
    for months in (12, 4, 3, 1):
        starts_one = start.day == 1 and (start.month - 1) % months == 0
        if starts_one and end <= _month_end(start.year, start.month + months - 1):
            return YEAR_EARLIER
    return PREVIOUS


def in_range(day: dt.date) -> bool:
    """Whether a date may bound a period: from FIRST_YEAR to LAST_YEAR, so the period before or a year
    earlier is still a date (a link with 0001-01-01 must not crash a page)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def today() -> dt.date:
    """The day the default period and the presets end; one place, so tests can fix it."""
    return dt.date.today()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _year_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
