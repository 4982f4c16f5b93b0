"""The filters every page shares: a period, a county, municipalities, sectors and projects.

`Filters` is a plain value (the UI keeps it in the link, civsam.ui.link);
`activity_conditions` turns it into SQL for civsam.queries, always with
bound parameters.
"""

import datetime as dt
from dataclasses import dataclass, replace

from civsam.reference import sector_mask


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    county: str | None = None  # None: both counties
    municipalities: tuple[str, ...] = ()  # SCB codes; empty: all
    sectors: tuple[str, ...] = ()  # empty: all
    projects: tuple[str, ...] = ()  # empty: all, with or without a project

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Filters":
        """The period just before this one, other filters kept: as many whole months when the period is
        whole months (2025 → 2024, March → February), otherwise as many days."""
        end = self.start - dt.timedelta(days=1)
        months = _whole_months(self.start, self.end)
        if months:
            return replace(self, start=_months_before(self.start, months), end=end)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def year_earlier(self) -> "Filters":
        return replace(self, start=_years_before(self.start, 1), end=_years_before(self.end, 1))


def default_period(last_day: dt.date, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The twelve calendar months up to the last activity (the first of them whole, so no chart starts
    with a stub of a month), never past today: a mistyped date years ahead must not empty every page."""
    end = min(last_day, today or dt.date.today())
    first_month = end.year * 12 + end.month - 12  # the month eleven months before end's month, as a count
    return dt.date(first_month // 12, first_month % 12 + 1, 1), end


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
    """How many calendar months start..end spans exactly, or 0 when it does not begin and end with a month."""
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _months_before(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
