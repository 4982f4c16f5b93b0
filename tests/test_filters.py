"""The shared filters: periods before and a year earlier, what a period is compared with, and the SQL they
become."""

import datetime as dt

import pytest

from civsam.filters import Filters, activity_conditions, default_period


@pytest.mark.parametrize("start, end, previous", [
    ("2025-01-01", "2025-12-31", ("2024-01-01", "2024-12-31")),
    ("2025-03-01", "2025-03-31", ("2025-02-01", "2025-02-28")),
    ("2025-01-01", "2025-06-30", ("2024-07-01", "2024-12-31")),
    ("2024-03-01", "2024-03-01", ("2024-02-29", "2024-02-29")),
    ("2025-03-10", "2025-03-19", ("2025-02-28", "2025-03-09")),
    ("2025-12-06", "2026-12-05", ("2024-12-06", "2025-12-05")),
    ("2025-01-29", "2026-01-28", ("2024-01-30", "2025-01-28")),  # 365 days, in a leap year
], ids=["year", "month", "half year", "one day", "ten days", "twelve months to a day", "from the 29th: days"])
def test_the_period_before_is_as_long(start, end, previous):
    before = Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end)).previous()
    assert (before.start.isoformat(), before.end.isoformat()) == previous


def test_a_year_earlier_handles_29_february():
    earlier = Filters(dt.date(2024, 2, 29), dt.date(2024, 12, 31)).year_earlier()
    assert (earlier.start, earlier.end) == (dt.date(2023, 2, 28), dt.date(2023, 12, 31))


def test_default_period_is_the_last_twelve_months_up_to_today():
    assert default_period(dt.date(2026, 12, 5)) == (dt.date(2025, 12, 6), dt.date(2026, 12, 5))
    assert default_period(dt.date(2025, 12, 31)) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize("start, end, comparison, compared", [
    ("2026-05-01", "2026-08-31", "fjol", ("2025-05-01", "2025-08-31")),  # T2: the same tertial last year
    ("2026-05-01", "2026-08-31", "fore", ("2026-01-01", "2026-04-30")),  # … or T1 just before
    ("2026-01-01", "2026-12-05", "fjol", ("2025-01-01", "2025-12-05")),  # the year so far: the same dates
    ("2025-01-28", "2026-01-27", "fore", ("2024-01-28", "2025-01-27")),  # twelve months from the 28th
    ("2026-03-10", "2026-05-20", "fore", ("2025-12-28", "2026-03-09")),  # a free range: as many days before
    ("2026-03-10", "2026-05-20", "fjol", ("2025-03-10", "2025-05-20")),
], ids=["tertial last year", "tertial before", "year so far", "twelve months", "free range", "free range last year"])
def test_the_comparison_period(start, end, comparison, compared):
    filters = Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end), comparison=comparison)
    assert (filters.compared().start.isoformat(), filters.compared().end.isoformat()) == compared


def test_a_comparison_must_be_one_of_the_two():
    with pytest.raises(ValueError):
        Filters(dt.date(2026, 1, 1), dt.date(2026, 1, 31), comparison="förra")


@pytest.mark.parametrize("filters, sector_column, fragments, params", [
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), None, ["a.date BETWEEN :start AND :end"],
     {"start", "end"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), county="Norrbotten", municipalities=("2580",),
             projects=("SESIN",)), None,
     ["a.county = :county", "a.municipality_code IN :municipalities", "a.project IN :projects"],
     {"start", "end", "county", "municipalities", "projects"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), None,
     ["(a.sectors & :sector_mask) <> 0"], {"start", "end", "sector_mask"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), types=("Möte",)), None, ["a.type IN :types"],
     {"start", "end", "types"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), types=("Möte",)), None,
     ["ao.date BETWEEN", "typed.id = ao.activity_id", "typed.type IN :types"], {"start", "end", "types"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), "ao.sector",
     ["ao.date BETWEEN", "ao.sector IN :sectors"], {"start", "end", "sectors"}),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("business",)), None,
     ["ao.date BETWEEN", "EXISTS (", "sector_link.activity_id = ao.activity_id", "sector_link.sector IN :sectors"],
     {"start", "end", "sectors"}),
])
def test_filters_become_bound_sql(filters, sector_column, fragments, params):
    alias = "ao" if any(fragment.startswith(("ao.", "EXISTS", "typed")) for fragment in fragments) else "a"
    sql, bound = activity_conditions(filters, alias, sector_column=sector_column)
    for fragment in fragments:
        assert fragment in sql
    assert set(bound) == params
    assert "Norrbotten" not in sql and "SESIN" not in sql  # values are bound, never written into the SQL
