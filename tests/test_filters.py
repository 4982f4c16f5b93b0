"""The shared filters: periods before and a year earlier, and the SQL they become."""

import datetime as dt

import pytest

from civsam.filters import Filters, activity_conditions, default_period


@pytest.mark.parametrize("start, end, previous", [
    ("2025-01-01", "2025-12-31", ("2024-01-01", "2024-12-31")),
    ("2025-03-01", "2025-03-31", ("2025-02-01", "2025-02-28")),
    ("2025-01-01", "2025-06-30", ("2024-07-01", "2024-12-31")),
    ("2024-03-01", "2024-03-01", ("2024-02-29", "2024-02-29")),
    ("2025-03-10", "2025-03-19", ("2025-02-28", "2025-03-09")),
], ids=["year", "month", "half year", "one day", "ten days"])
def test_the_period_before_is_as_long(start, end, previous):
    before = Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end)).previous()
    assert (before.start.isoformat(), before.end.isoformat()) == previous


def test_a_year_earlier_handles_29_february():
    earlier = Filters(dt.date(2024, 2, 29), dt.date(2024, 12, 31)).year_earlier()
    assert (earlier.start, earlier.end) == (dt.date(2023, 2, 28), dt.date(2023, 12, 31))


def test_default_period_is_twelve_whole_months_up_to_the_last_day_never_past_today():
    assert default_period(dt.date(2025, 12, 31), dt.date(2026, 5, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert default_period(dt.date(2026, 11, 27), dt.date(2026, 11, 27)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 27))
    assert default_period(dt.date(2031, 3, 14), dt.date(2026, 11, 27)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 27))


@pytest.mark.parametrize("filters, sector_column, fragments, params", [
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), None, ["a.date BETWEEN :start AND :end"],
     {"start", "end"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), county="Norrbotten", municipalities=("2580",),
             projects=("SESIN",)), None,
     ["a.county = :county", "a.municipality_code IN :municipalities", "a.project IN :projects"],
     {"start", "end", "county", "municipalities", "projects"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), None,
     ["(a.sectors & :sector_mask) <> 0"], {"start", "end", "sector_mask"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), "ao.sector",
     ["ao.date BETWEEN", "ao.sector IN :sectors"], {"start", "end", "sectors"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), None,
     ["ao.date BETWEEN", "EXISTS (", "sector_link.activity_id = ao.activity_id", "sector_link.sector IN :sectors"],
     {"start", "end", "sectors"}),
])
def test_filters_become_bound_sql(filters, sector_column, fragments, params):
    alias = "ao" if any(fragment.startswith(("ao.", "EXISTS")) for fragment in fragments) else "a"
    sql, bound = activity_conditions(filters, alias, sector_column=sector_column)
    for fragment in fragments:
        assert fragment in sql
    assert set(bound) == params
    assert "Norrbotten" not in sql and "SESIN" not in sql  # values are bound, never written into the SQL
