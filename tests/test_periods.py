"""The periods the region reports in: preset codes, their dates and labels, and what a period is compared with."""

import datetime as dt

import pytest

from civsam import periods

TODAY = dt.date(2026, 12, 5)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize("code, dates", [
    ("2025", ("2025-01-01", "2025-12-31")),
    ("2026", ("2026-01-01", "2026-12-05")),  # this year so far
    ("2026T1", ("2026-01-01", "2026-04-30")),
    ("2026T2", ("2026-05-01", "2026-08-31")),
    ("2026T3", ("2026-09-01", "2026-12-05")),
    ("2024K1", ("2024-01-01", "2024-03-31")),
    ("2026k3", ("2026-07-01", "2026-09-30")),  # any case
    ("2026Q3", ("2026-07-01", "2026-09-30")),  # Q as in English, read as K
    ("12m", ("2025-12-06", "2026-12-05")),
    ("2030", ("2030-01-01", "2030-12-31")),  # not begun: whole, and empty
])
def test_a_preset_code_becomes_dates(code, dates):
    assert periods.parse(code).dates(TODAY) == (day(dates[0]), day(dates[1]))


@pytest.mark.parametrize("code", ["", "2026T4", "2026K5", "2026T0", "1999", "2101", "26T2", "2026-T2", "igår",
                                  "0001"])
def test_a_code_that_names_no_period_is_none(code):
    assert periods.parse(code) is None


@pytest.mark.parametrize("code, lang, label", [
    ("2026T2", "sv", "T2 2026 (maj–aug)"),
    ("2026T3", "sv", "T3 2026 (sep–dec) hittills"),
    ("2026K3", "sv", "Kvartal 3 2026 (jul–sep)"),
    ("2026K3", "en", "Quarter 3 2026 (Jul–Sep)"),
    ("2026", "sv", "2026 hittills"),
    ("2025", "sv", "Hela 2025"),
    ("2025", "en", "All of 2025"),
    ("12m", "sv", "Senaste 12 månaderna"),
    ("12m", "en", "Last 12 months"),
])
def test_a_preset_has_a_clear_label(code, lang, label):
    assert periods.parse(code).label(lang, TODAY) == label


def test_the_sidebar_offers_this_year_and_last_with_their_tertials_and_quarters_begun():
    assert [preset.code for preset in periods.offered(dt.date(2026, 6, 15))] == [
        "12m", "2026", "2026T2", "2026T1", "2026K2", "2026K1",
        "2025", "2025T3", "2025T2", "2025T1", "2025K4", "2025K3", "2025K2", "2025K1"]


def test_a_code_names_its_preset():
    assert [periods.parse(preset.code) for preset in periods.offered(TODAY)] == periods.offered(TODAY)


@pytest.mark.parametrize("start, end, preset", [
    ("2025-05-01", "2025-08-31", "2025T2"),
    ("2026-01-01", "2026-12-05", "2026"),
    ("2025-05-01", "2025-08-30", None),
    ("2019-05-01", "2019-08-31", None),  # not offered
])
def test_dates_of_an_offered_preset_are_that_preset(start, end, preset):
    matched = periods.matching(day(start), day(end), TODAY)
    assert (matched.code if matched else None) == preset


@pytest.mark.parametrize("start, end, comparison", [
    ("2025-01-01", "2025-12-31", periods.YEAR_EARLIER),  # a year
    ("2026-01-01", "2026-12-05", periods.YEAR_EARLIER),  # the year so far
    ("2026-05-01", "2026-08-31", periods.YEAR_EARLIER),  # a tertial
    ("2026-09-01", "2026-12-05", periods.YEAR_EARLIER),  # a tertial so far
    ("2026-07-01", "2026-09-30", periods.YEAR_EARLIER),  # a quarter
    ("2026-02-01", "2026-02-28", periods.YEAR_EARLIER),  # a month
    ("2026-02-01", "2026-04-30", periods.PREVIOUS),  # three months, but no quarter
    ("2025-12-06", "2026-12-05", periods.PREVIOUS),  # the last 12 months
    ("2026-03-10", "2026-05-20", periods.PREVIOUS),  # a free range
    ("2026-01-01", "2026-11-30", periods.YEAR_EARLIER),  # the year to the end of November
    ("2026-05-01", "2026-06-15", periods.YEAR_EARLIER),  # T2 to mid-June
    ("2026-01-01", "2027-01-31", periods.PREVIOUS),  # past the year's end
])
def test_a_calendar_period_is_compared_with_the_same_dates_last_year_any_other_with_the_stretch_before(
        start, end, comparison):
    assert periods.default_comparison(day(start), day(end)) == comparison


@pytest.mark.parametrize("date, accepted", [
    ("2000-01-01", True), ("2100-12-31", True), ("1999-12-31", False), ("2101-01-01", False), ("0001-01-01", False),
    ("9999-12-31", False),
])
def test_a_period_may_touch_the_years_2000_to_2100(date, accepted):
    assert periods.in_range(day(date)) is accepted
