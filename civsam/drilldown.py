"""From a click on a chart to the activity list narrowed to what was clicked (a partner: to its profile), as a link
that can be shared.

A chart that can be clicked gives each bar, area or tile a narrowing: a small dict of stable codes, the last item of
the point's customdata (civsam.charts), so that a click maps to filters without reading labels:
  start, end    the bar's period, its first and last day (ISO); clipped to the period shown
  sector        a sector code (civil_society)
  type          an activity type as stored (Möte)
  municipality  an SCB code (2480)
  county        a county's name (Norrbotten)
  organisation  an organisation's name: the list's own `org`, not a sidebar filter
`narrowed` applies one to the current filters; `link_params` writes filters as the sidebar keeps them in the link
(civsam.ui.state), so the list opens with the sidebar showing what the link says.
"""

import datetime as dt
from dataclasses import replace

from civsam import periods
from civsam.filters import Filters

NARROWINGS = ("start", "end", "sector", "type", "municipality", "county", "organisation")
LIST_ONLY = {"organisation": "org"}  # narrowings the list reads from its own keys, leaving the sidebar as it is


def narrowing_of(point: dict) -> dict | None:
    """The narrowing a clicked point carries (Streamlit's selection point, with its customdata), or None when the
    point carries none (a line of averages, a chart that opens nothing)."""
    custom = point.get("customdata")
    last = custom[-1] if isinstance(custom, list) and custom else custom
    return last if isinstance(last, dict) and set(last) <= set(NARROWINGS) and last else None


def opens_profile(narrowing: dict) -> bool:
    """A partner's bar opens the partner's profile (/organisation, which links on to its activities); every other
    click opens the activity list."""
    return set(narrowing) == {"organisation"}


def narrowed(filters: Filters, narrowing: dict) -> tuple[Filters, dict[str, str]]:
    """The filters narrowed as a click asks, and the list-only keys it sets. A period is clipped to the period
    shown (a week that began before it starts at its first day) and takes its own comparison, as choosing it in
    the sidebar would; a municipality replaces those chosen, a sector or a type replaces the chosen ones."""
    changes: dict = {}
    if "start" in narrowing:
        start = max(filters.start, dt.date.fromisoformat(narrowing["start"]))
        end = min(filters.end, dt.date.fromisoformat(narrowing["end"]))
        changes |= {"start": start, "end": end, "comparison": periods.default_comparison(start, end)}
    if "sector" in narrowing:
        changes["sectors"] = (narrowing["sector"],)
    if "type" in narrowing:
        changes["types"] = (narrowing["type"],)
    if "municipality" in narrowing:
        changes["municipalities"] = (narrowing["municipality"],)
    if "county" in narrowing:
        changes |= {"county": narrowing["county"], "municipalities": ()}
    list_only = {key: narrowing[name] for name, key in LIST_ONLY.items() if name in narrowing}
    return replace(filters, **changes), list_only


def link_params(filters: Filters, today: dt.date) -> dict[str, str | list[str]]:
    """The filters as the sidebar writes them into the link: a preset's code (`period=2026K2`) when the dates are
    one, else `fran` and `till`; `jamfor` when the comparison is not the period's own; and each chosen place,
    sector, type and project. Empty choices are left out."""
    preset = next((preset for preset in periods.offered(today) if preset.dates(today) == (filters.start, filters.end)),
                  None)  # the last 12 months too, which `periods.matching` leaves to the default
    params: dict[str, str | list[str]] = (
        {"period": preset.code} if preset else {"fran": filters.start.isoformat(), "till": filters.end.isoformat()})
    if filters.comparison != periods.default_comparison(filters.start, filters.end):
        params["jamfor"] = filters.comparison
    if filters.county:
        params["lan"] = filters.county
    chosen = {"kommun": filters.municipalities, "sektor": filters.sectors, "aktivitetstyp": filters.types,
              "projekt": filters.projects}
    return params | {key: list(values) for key, values in chosen.items() if values}


def list_params(filters: Filters, narrowing: dict, today: dt.date) -> dict[str, str | list[str]]:
    """The query string of the activity list narrowed by a click: the narrowed filters, then the list's own keys."""
    narrower, list_only = narrowed(filters, narrowing)
    return link_params(narrower, today) | list_only
