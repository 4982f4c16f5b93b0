"""The filters every page shares, and how they travel in a link.

`Filters` is a plain value: a period, a county, municipalities, sectors and
projects. It round-trips through a URL's query string, so a copied link opens
the same view; a value that cannot be read (a hand-edited link) falls back to
the default instead of failing. `activity_conditions` turns it into SQL for
civsam.queries, always with bound parameters.
"""

import datetime as dt
from dataclasses import dataclass, replace

from civsam.reference import COUNTY_NAMES, MUNICIPALITY_BY_CODE, SECTORS


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
        """The period of the same length just before this one, other filters kept."""
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def year_earlier(self) -> "Filters":
        return replace(self, start=_years_before(self.start, 1), end=_years_before(self.end, 1))

    def to_query_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {"fran": self.start.isoformat(), "till": self.end.isoformat()}
        if self.county:
            params["lan"] = self.county
        for name, values in (("kommun", self.municipalities), ("sektor", self.sectors), ("projekt", self.projects)):
            if values:
                params[name] = list(values)
        return params

    @classmethod
    def from_query_params(cls, params: dict[str, str | list[str]], default: "Filters") -> "Filters":
        """Filters from a query string; what is missing or unreadable comes from `default`."""
        start = _date(_first(params.get("fran")), default.start)
        end = _date(_first(params.get("till")), default.end)
        if start > end:
            start, end = default.start, default.end
        county = _first(params.get("lan"))
        return cls(
            start=start,
            end=end,
            county=county if county in COUNTY_NAMES else None,
            municipalities=tuple(c for c in _all(params.get("kommun")) if c in MUNICIPALITY_BY_CODE),
            sectors=tuple(s for s in _all(params.get("sektor")) if s in SECTORS),
            projects=tuple(_all(params.get("projekt"))),
        )


def default_filters(today: dt.date) -> Filters:
    """The last twelve months up to today."""
    return Filters(start=_years_before(today, 1) + dt.timedelta(days=1), end=today)


def activity_conditions(filters: Filters, alias: str = "a", *, sector_column: str | None = None) -> tuple[str, dict]:
    """SQL conditions on the activities table `alias`, and their parameters.

    With `sector_column` (a joined organisations.sector) the sector filter applies to that column, so an
    activity with partners in two sectors counts toward each selected one; without it, an activity
    passes when any of its organisations is in a selected sector.
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
    if filters.sectors:
        params["sectors"] = list(filters.sectors)
        conditions.append(f"{sector_column} IN :sectors" if sector_column else f"""EXISTS (
            SELECT 1 FROM activity_organisations sector_link
            JOIN organisations sector_organisation ON sector_organisation.id = sector_link.organisation_id
            WHERE sector_link.activity_id = {alias}.id AND sector_organisation.sector IN :sectors)""")
    return " AND ".join(conditions), params


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _first(value: str | list[str] | None) -> str | None:
    return value[0] if isinstance(value, list) and value else value or None


def _all(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
