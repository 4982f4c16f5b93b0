"""The filters every page shares: a period (and what it is compared with), a county, municipalities, sectors,
projects and activity types.

`Filters` is a plain value (the UI keeps it in the link, civsam.ui.link);
`activity_conditions` turns it into SQL for civsam.queries, always with
bound parameters.
"""

import datetime as dt
from dataclasses import dataclass, replace

from civsam.periods import COMPARISONS, LAST_12_MONTHS, PREVIOUS, YEAR_EARLIER, parse
from civsam.reference import sector_mask


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    county: str | None = None  # None: both counties
    municipalities: tuple[str, ...] = ()  # SCB codes; empty: all
    sectors: tuple[str, ...] = ()  # empty: all
    projects: tuple[str, ...] = ()  # empty: all, with or without a project
    types: tuple[str, ...] = ()  # activity types as stored (Möte, Dialog …); empty: all
    comparison: str = PREVIOUS  # what the key figures are set against: PREVIOUS or YEAR_EARLIER (civsam.periods)

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison must be one of {COMPARISONS}, not {self.comparison!r}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Filters":
        """The period just before this one, other filters kept: as many whole months when the period is
        whole months (2025 → 2024, March → February, 6 December–5 December → the year before), otherwise as
        many days."""
        end = self.start - dt.timedelta(days=1)
        months = _whole_months(self.start, self.end)
        if months:
            return replace(self, start=_months_before(self.start, months), end=end)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def year_earlier(self) -> "Filters":
        return replace(self, start=_years_before(self.start, 1), end=_years_before(self.end, 1))

    def compared(self) -> "Filters":
        """The period the key figures are set against: the one before, or the same dates a year earlier."""
        return self.year_earlier() if self.comparison == YEAR_EARLIER else self.previous()


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today (civsam.periods): a link without a period, a command without --from."""
    return parse(LAST_12_MONTHS).dates(today or dt.date.today())


LINKS = "ao"  # the alias under which queries read activity_organisations, whose rows copy the activity's facts


def activity_conditions(filters: Filters, alias: str = "a", *, sector_column: str | None = None) -> tuple[str, dict]:
    """SQL conditions on the activities table `alias`, or on its organisation links (alias LINKS), which
    carry copies of the same columns; and their parameters.

    With `sector_column` (ao.sector) the sector filter applies to that column, so an activity with partners
    in two sectors counts toward each selected one; without it, an activity passes when any of its
    organisations is in a selected sector (its sector mask, or for links another link of the activity).
    """
    conditions = [f"{alias}.date BETWEEN :start AND :end"]
    params: dict = {"start": filters.start, "end": filters.end}
    if filters.county:
        conditions.append(f"{alias}.county = :county")
        params["county"] = filters.county
    if filters.municipalities:
        conditions.append(f"{alias}.municipality_code IN :municipalities")
        params["municipalities"] = list(filters.municipalities)
    if filters.projects:
        conditions.append(f"{alias}.project IN :projects")
        params["projects"] = list(filters.projects)
    if filters.types:
        params["types"] = list(filters.types)
        conditions.append(f"{alias}.type IN :types" if alias != LINKS else  # the links carry no type: ask
                          f"""EXISTS (SELECT 1 FROM activities typed
                                      WHERE typed.id = {alias}.activity_id AND typed.type IN :types)""")
    if filters.sectors and sector_column:
        params["sectors"] = list(filters.sectors)
        conditions.append(f"{sector_column} IN :sectors")
    elif filters.sectors and alias == LINKS:
        params["sectors"] = list(filters.sectors)
        conditions.append(f"""EXISTS (SELECT 1 FROM activity_organisations sector_link
                                      WHERE sector_link.activity_id = {alias}.activity_id
                                        AND sector_link.sector IN :sectors)""")
    elif filters.sectors:
        params["sector_mask"] = sector_mask(filters.sectors)
        conditions.append(f"({alias}.sectors & :sector_mask) <> 0")
    return " AND ".join(conditions), params


def _whole_months(start: dt.date, end: dt.date) -> int:
    """How many calendar months start..end spans exactly (1 March–30 April: 2; 6 December–5 December: 12),
    or 0 when it does not."""
    months = (end.year - start.year) * 12 + end.month - start.month + (start.day == 1)
    if start.day > 28 or months < 1:  # from the 29th on, "a month later" is not one day
        return 0
    return months if _months_before(start, -months) == end + dt.timedelta(days=1) else 0


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (later when negative); days up to the 28th only."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day.day)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
