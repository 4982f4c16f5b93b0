"""Drill-down: a click on each kind of chart, as Streamlit reports it, becomes the activity list's link narrowed to
what was clicked, the other filters kept."""

import datetime as dt
import json
from dataclasses import replace

import pandas as pd
import plotly.io
import pytest
from test_charts import coverage_frame, daily, totals

from civsam.charts import activity, coverage
from civsam.drilldown import link_params, list_params, narrowing_of, opens_profile
from civsam.filters import Filters
from civsam.periods import PREVIOUS, YEAR_EARLIER
from civsam.reference import MUNICIPALITIES

TODAY = dt.date(2025, 12, 10)
YEAR_2025 = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 10), comparison=YEAR_EARLIER)  # 2025 so far


def clicked(chart, trace: int, index: int) -> dict:
    """The point Streamlit reports for a click on mark `index` of trace `trace`: what the browser was sent."""
    data = json.loads(plotly.io.to_json(chart.figure))["data"][trace]
    return {"curve_number": trace, "point_index": index, "customdata": data.get("customdata", [None])[index]}


def opened(chart, trace: int, index: int, filters: Filters) -> dict:
    return list_params(filters, narrowing_of(clicked(chart, trace, index)), TODAY)


def frequency(unit: str, by: str, start: dt.date, end: dt.date):
    rows = ([("2025-01-20", "civil_society", 2), ("2025-01-20", "several", 1)] if by == "sector"
            else [("2025-05-06", "Möte", 3)])
    return activity.frequency(daily(rows), totals([("2025-01-20", 3)]), totals([]), start, end, "sv", unit=unit,
                              by=by)


@pytest.mark.parametrize("unit, by, trace, index, start, expected", [
    # January's civil-society part: the month, cut at the period's first day, and the sector
    ("month", "sector", 0, 0, dt.date(2025, 1, 15),
     {"fran": "2025-01-15", "till": "2025-01-31", "sektor": ["civil_society"]}),
    # a quarter is a preset, named by its code; a type's part narrows to the type
    ("quarter", "type", 0, 1, dt.date(2025, 1, 1), {"period": "2025K2", "aktivitetstyp": ["Möte"]}),
    # the week of Monday 30 December 2024 begins before the period: it opens from the period's first day
    ("week", "sector", 0, 0, dt.date(2025, 1, 1), {"fran": "2025-01-01", "till": "2025-01-05",
                                                   "sektor": ["civil_society"]}),
    # "several sectors" is no filter: its part opens the month alone
    ("month", "sector", 1, 0, dt.date(2025, 1, 1), {"fran": "2025-01-01", "till": "2025-01-31"}),
], ids=["month", "quarter by type", "week cut", "several sectors"])
def test_a_bar_of_the_frequency_chart_opens_its_period(unit, by, trace, index, start, expected):
    chart = frequency(unit, by, start, dt.date(2025, 12, 10))
    assert opened(chart, trace, index, Filters(start, dt.date(2025, 12, 10))) == expected


def test_the_lines_over_the_bars_open_nothing():
    chart = frequency("month", "sector", dt.date(2025, 1, 1), dt.date(2025, 12, 10))
    average = next(number for number, trace in enumerate(chart.figure.data) if trace.type == "scatter")
    assert narrowing_of(clicked(chart, average, 0)) is None


def test_a_partner_opens_its_profile_under_the_other_filters():
    partners = pd.DataFrame({"organisation": ["Luleå <IF>", "B"], "sector": ["civil_society", "business"],
                             "activities": [5, 2]})
    chart = activity.top_partners(partners, "sv")
    filters = Filters(dt.date(2025, 3, 10), dt.date(2025, 5, 20), county="Norrbotten", projects=("SESIN",))
    top = len(partners) - 1  # the bars run from the bottom: the most frequent partner is the last
    assert opened(chart, 0, top, filters) == {"fran": "2025-03-10", "till": "2025-05-20", "lan": "Norrbotten",
                                              "projekt": ["SESIN"], "org": "Luleå <IF>"}  # the name as stored


@pytest.mark.parametrize("narrowing, profile", [({"organisation": "Samforma"}, True),
                                               ({"sector": "civil_society"}, False),
                                               ({"organisation": "Samforma", "start": "2025-01-01",
                                                 "end": "2025-01-31"}, False)])
def test_a_partner_alone_opens_its_profile_and_every_other_click_the_list(narrowing, profile):
    assert opens_profile(narrowing) == profile


@pytest.mark.parametrize("view", ["map", "tiles"])
@pytest.mark.parametrize("reached", [True, False], ids=["reached", "white spot"])
def test_a_municipality_opens_its_activities_in_place_of_those_chosen(view, reached):
    umea, kiruna = "2480", "2584"
    chart = coverage.municipality_coverage(coverage_frame({umea: 4}), "sv", view=view)
    code = umea if reached else kiruna
    if view == "map":  # the invisible pointers, several in each municipality
        trace, index = 0, [narrowing[0]["municipality"] for narrowing in chart.figure.data[0].customdata].index(code)
    else:
        trace, index = 0, [m.code for m in MUNICIPALITIES].index(code)
    filters = Filters(dt.date(2024, 12, 11), TODAY, municipalities=("2482", "2481"), comparison=PREVIOUS)
    assert opened(chart, trace, index, filters) == {"period": "12m", "kommun": [code]}


def test_a_county_bar_opens_the_county_with_all_its_municipalities():
    chart = coverage.county_comparison(coverage_frame({"2480": 10}), pd.DataFrame(columns=["county", "activities"]),
                                       "sv")
    norrbotten = list(chart.figure.data[0].x).index("Norrbotten")
    assert opened(chart, 0, norrbotten, replace(YEAR_2025, municipalities=("2480",))) == {"period": "2025",
                                                                                          "lan": "Norrbotten"}


def test_a_sector_bar_of_the_overview_opens_that_sector():
    sectors = pd.DataFrame({"sector": ["civil_society", "business"], "activities": [5, 9], "organisations": [3, 2],
                            "municipalities": [2, 3], "hours": [5.0, 20.5]})
    chart = activity.sector_comparison(sectors, {"activities": 14, "organisations": 5, "municipalities": 3,
                                                 "hours": 25.5}, "sv")
    assert opened(chart, 0, 1, YEAR_2025) == {"period": "2025", "sektor": ["business"]}


@pytest.mark.parametrize("filters, expected", [
    (Filters(dt.date(2024, 12, 11), TODAY), {"period": "12m"}),
    (Filters(dt.date(2024, 12, 11), TODAY, comparison=YEAR_EARLIER), {"period": "12m", "jamfor": "fjol"}),
    (Filters(dt.date(2025, 3, 10), dt.date(2025, 5, 20), types=("Möte", "Dialog")),
     {"fran": "2025-03-10", "till": "2025-05-20", "aktivitetstyp": ["Möte", "Dialog"]}),
], ids=["the default", "a comparison of one's own", "custom dates"])
def test_filters_are_written_as_the_sidebar_writes_them(filters, expected):
    assert link_params(filters, TODAY) == expected


def test_a_drilled_period_takes_its_own_comparison():
    """A month is compared with the year before, as choosing it in the sidebar would: no `jamfor` in its link."""
    chart = frequency("month", "sector", dt.date(2025, 1, 1), TODAY)
    assert "jamfor" not in opened(chart, 0, 0, Filters(dt.date(2025, 1, 1), TODAY, comparison=PREVIOUS))


@pytest.mark.parametrize("point", [{}, {"customdata": "Civilsamhälle"}, {"customdata": [3, 14]},
                                   {"customdata": [{"colour": "blue"}]}, {"customdata": [{}]}])
def test_a_point_without_a_narrowing_opens_nothing(point):
    assert narrowing_of(point) is None
