"""Chart functions: table-driven on small frames, so each title states the right finding and each
sector keeps its colour: an empty county, a municipality without activity, a month boundary, an
organisation in two sectors."""

import datetime as dt
import re

import pandas as pd
import pytest

from civsam import images
from civsam.charts import activity, agreements, coverage, resources
from civsam.charts.base import EMPTY, NEUTRAL, SECTOR_COLOURS, with_title
from civsam.reference import MUNICIPALITIES


def daily(rows):
    frame = pd.DataFrame(rows, columns=["date", "group", "activities"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def totals(rows):
    frame = pd.DataFrame(rows, columns=["date", "activities"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.mark.parametrize("unit, expected", [
    ("month", {"2025-01-01": 1, "2025-02-01": 2, "2025-03-01": 0}),
    ("quarter", {"2025-01-01": 3}),
    ("week", {"2025-01-27": 3, "2025-02-03": 0}),  # Friday 31 Jan and Saturday 1 Feb share a week
])
def test_period_counts_around_a_month_boundary(unit, expected):
    end = dt.date(2025, 3, 31) if unit != "week" else dt.date(2025, 2, 9)
    table = activity.period_counts(daily([("2025-01-31", "civil_society", 1), ("2025-02-01", "civil_society", 2)]),
                                   unit, dt.date(2025, 1, 1) if unit != "week" else dt.date(2025, 1, 27), end)
    counted = {d.date().isoformat(): int(v) for d, v in table["civil_society"].items()}
    assert {key: counted[key] for key in expected} == expected


def test_frequency_stacks_each_activity_once_with_several_sectors_apart():
    by_sector = daily([("2025-01-31", "civil_society", 1), ("2025-01-31", "several", 1)])
    chart = activity.frequency(by_sector, totals([("2025-01-31", 2)]), totals([]), dt.date(2025, 1, 1),
                               dt.date(2025, 3, 31), "sv", unit="month", by="sector")
    assert chart.title == "2 aktiviteter under perioden, i snitt 0,7 per månad"
    bars = {trace.name: trace.marker.color for trace in chart.figure.data if trace.type == "bar"}
    assert bars == {"Civilsamhälle": SECTOR_COLOURS["civil_society"], "Flera sektorer": NEUTRAL}
    assert chart.data["Totalt"].tolist() == [2, 0, 0]


def test_frequency_shows_the_same_period_a_year_earlier():
    chart = activity.frequency(daily([("2025-02-03", "Möte", 2)]), totals([("2025-02-03", 2)]),
                               totals([("2024-02-05", 5)]), dt.date(2025, 1, 1), dt.date(2025, 3, 31), "en",
                               unit="month", by="type")
    earlier = next(trace for trace in chart.figure.data if trace.name == "Same period a year earlier")
    assert list(earlier.y) == [0, 5, 0]
    assert "Same period a year earlier: 5 activities." in chart.alt_text


@pytest.mark.parametrize("unit, lang, start, end, periods", [
    ("month", "sv", (2025, 11, 1), (2026, 1, 31), ["nov 2025", "dec 2025", "jan 2026"]),
    ("month", "en", (2025, 11, 1), (2026, 1, 31), ["Nov 2025", "Dec 2025", "Jan 2026"]),
    ("quarter", "sv", (2026, 1, 1), (2026, 6, 30), ["kv. 1 2026", "kv. 2 2026"]),
    ("week", "sv", (2026, 3, 30), (2026, 4, 12), ["v. 14", "v. 15"]),
    ("week", "en", (2025, 12, 22), (2026, 1, 4), ["wk 52 2025", "wk 1 2026"]),  # the axis spans two ISO years
])
def test_frequency_names_its_periods_on_the_axis_in_the_hover_and_in_the_table(unit, lang, start, end, periods):
    chart = activity.frequency(daily([(dt.date(*start).isoformat(), "Möte", 4)]),
                               totals([(dt.date(*start).isoformat(), 4)]), totals([]), dt.date(*start),
                               dt.date(*end), lang, unit=unit, by="type")
    assert all(list(trace.x) == periods for trace in chart.figure.data)
    assert chart.figure.layout.xaxis.type == "category"
    assert all("%{x}" in trace.hovertemplate for trace in chart.figure.data)
    assert chart.data["Period"].tolist() == periods
    assert chart.data.iloc[:, 1].tolist() == [day.date() for day in pd.date_range(  # the first days, to sort by
        dt.date(*start), periods=len(periods), freq={"month": "MS", "quarter": "QS", "week": "W-MON"}[unit])]
    assert f"({periods[0]})" in chart.alt_text  # the busiest period


def test_an_empty_period_gives_a_chart_without_a_peak():
    chart = activity.frequency(daily([]), totals([]), totals([]), dt.date(2025, 1, 1), dt.date(2025, 2, 28), "sv",
                               unit="month", by="sector")
    assert chart.title.startswith("0 aktiviteter")
    assert "Flest: 0 (–)" in chart.alt_text


def test_sector_comparison_names_the_leader():
    sectors = pd.DataFrame({"sector": ["civil_society", "business", "public", "academia"],
                            "activities": [5, 9, 1, 0], "organisations": [3, 2, 1, 0],
                            "municipalities": [2, 3, 1, 0], "hours": [5.0, 20.5, 1.0, 0.0]})
    totals = {"activities": 15, "organisations": 6, "municipalities": 3, "hours": 26.5}
    chart = activity.sector_comparison(sectors, totals, "sv")
    assert chart.title == "Näringsliv hade flest aktiviteter: 9 under perioden"
    assert list(chart.figure.data[0].marker.color) == [SECTOR_COLOURS[s] for s in sectors["sector"]]
    assert chart.figure.layout.xaxis.title.text is None  # the bars add up to the activities: nothing to explain


def test_weekday_heatmap_finds_the_busiest_cell():
    chart = activity.weekday_heatmap(totals([("2025-03-04", 4), ("2025-03-05", 1), ("2025-04-01", 2)]), "sv")
    assert chart.title == "Flest aktiviteter på tisdagar i mars"
    assert chart.data.loc[1, "mar"] == 4 and chart.data.loc[1, "apr"] == 2


@pytest.mark.parametrize("counts, title", [
    ([75, 75, 60], "2 partner delar förstaplatsen med 75 aktiviteter var"),
    ([75, 74, 60], "A var den vanligaste partnern med 75 aktiviteter"),
])
def test_the_top_partner_title_admits_a_tie(counts, title):
    partners = pd.DataFrame({"organisation": ["A", "B", "C"], "sector": ["business"] * 3, "activities": counts})
    assert activity.top_partners(partners, "sv").title == title


def test_dormant_partners_include_those_never_met():
    contacts = pd.DataFrame({"organisation": ["A", "B", "C"], "sector": ["civil_society"] * 3,
                             "last_contact": pd.to_datetime(["2025-12-01", "2025-01-15", None])})
    title, table = activity.dormant_partners(contacts, 6, dt.date(2025, 12, 31), "sv")
    assert title == "2 organisationer utan kontakt på 6 månader"
    assert table["Senaste kontakt"].tolist() == ["2025-01-15", "aldrig"]
    _, narrowed = activity.dormant_partners(contacts, 6, dt.date(2025, 12, 31), "sv", narrowed=True)
    assert narrowed["Senaste kontakt"].tolist() == ["2025-01-15", "ingen i urvalet"]  # met elsewhere, perhaps


def coverage_frame(activities_by_code: dict[str, int], county: str | None = None) -> pd.DataFrame:
    rows = [{"code": m.code, "municipality": m.name, "county": m.county, "population": m.population,
             "activities": activities_by_code.get(m.code, 0), "partners": min(activities_by_code.get(m.code, 0), 3)}
            for m in MUNICIPALITIES if county in (None, m.county)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("counts, county, title", [
    ({"2480": 10, "2482": 2}, None, "2 av 29 kommuner hade kontakt under perioden; 27 vita fläckar"),
    ({}, "Norrbotten", "0 av 14 kommuner hade kontakt under perioden; 14 vita fläckar"),
    ({m.code: 1 for m in MUNICIPALITIES}, None, "Alla 29 kommuner hade kontakt under perioden"),
], ids=["two reached", "empty county", "all reached"])
@pytest.mark.parametrize("view", ["map", "tiles"])
def test_coverage_titles_count_the_white_spots(counts, county, title, view):
    chart = coverage.municipality_coverage(coverage_frame(counts, county), "sv", view=view)
    assert chart.title == title
    assert len(chart.data) == (14 if county else 29)


def test_a_chart_takes_its_options_by_name():
    with pytest.raises(TypeError):
        coverage.municipality_coverage(coverage_frame({"2480": 5}), "activities", False, "tiles", "sv")


def test_coverage_per_10k_ranks_small_municipalities_fairly():
    frame = coverage_frame({"2480": 13, "2422": 3})  # Umeå 133 091 inhabitants, Sorsele 2 387
    values = coverage.coverage_values(frame, "sv", measure="activities", per_capita=True).set_index("name")["value"]
    assert values["Sorsele"] > values["Umeå"]
    assert values["Sorsele"] == pytest.approx(3 / 2387 * 10_000)


def test_a_municipality_without_activity_is_a_white_spot_on_the_tile_grid():
    chart = coverage.municipality_coverage(coverage_frame({"2480": 5}), "sv", view="tiles")
    nordmaling = chart.data.set_index("Kommun").loc["Nordmaling"]
    assert nordmaling["Aktiviteter"] == 0
    fills = [shape.fillcolor for shape in chart.figure.layout.shapes]
    assert fills.count(EMPTY) == 28
    assert "Nordmaling" in chart.alt_text


def test_county_comparison_counts_county_wide_activities():
    frame = coverage_frame({"2480": 10})
    wide = pd.DataFrame({"county": ["Norrbotten"], "activities": [5]})
    chart = coverage.county_comparison(frame, wide, "sv")
    per_10k = dict(zip(chart.data["Län"], chart.data["Aktiviteter per 10 000 invånare"], strict=True))
    norrbotten_population = sum(m.population for m in MUNICIPALITIES if m.county == "Norrbotten")
    assert per_10k["Norrbotten"] == round(5 / norrbotten_population * 10_000, 1)
    assert chart.data["Länsövergripande (utan kommun)"].tolist() == [0, 5]


NORRBOTTEN_POPULATION = sum(m.population for m in MUNICIPALITIES if m.county == "Norrbotten")
KIRUNA = next(m for m in MUNICIPALITIES if m.name == "Kiruna")


@pytest.mark.parametrize("frame, title", [
    (coverage_frame({"2480": 10, KIRUNA.code: 30}),
     f"Norrbotten hade flest aktiviteter per 10 000 invånare: {30 / NORRBOTTEN_POPULATION * 10_000:.1f}"),
    (coverage_frame({}), "Ingen aktivitet i något av länen under perioden"),
    (coverage_frame({KIRUNA.code: 30}, county="Norrbotten"),  # a county filter: one county, nobody to lead
     f"Norrbotten hade {30 / NORRBOTTEN_POPULATION * 10_000:.1f} aktiviteter per 10 000 invånare"),
    (coverage_frame({}, county="Västerbotten"), "Västerbotten hade 0,0 aktiviteter per 10 000 invånare"),
    (coverage_frame({KIRUNA.code: 3}).query("code == @KIRUNA.code"),  # a municipality filter: Kiruna alone
     f"De valda kommunerna i Norrbotten hade {3 / KIRUNA.population * 10_000:.1f} aktiviteter per 10 000 invånare"),
], ids=["both counties", "both empty", "one county", "one empty county", "one municipality"])
def test_the_county_title_speaks_of_the_counties_shown(frame, title):
    chart = coverage.county_comparison(frame, pd.DataFrame(columns=["county", "activities"]), "sv")
    assert chart.title == title.replace(".", ",")


def resource_frame(rows):
    return pd.DataFrame(rows, columns=["year", "sector", "fte", "budget_sek", "hours", "activities",
                                       "organisations", "municipalities"])


def test_the_gap_as_ratio_difference_and_parity():
    years = resource_frame([
        (2024, "civil_society", 0.5, 100_000, 10.0, 5, 3, 2), (2024, "business", 5.0, 2_000_000, 40.0, 10, 4, 6),
        (2025, "civil_society", 0.4, 150_000, 20.0, 8, 4, 3), (2025, "business", 6.0, 3_150_000, 30.0, 12, 5, 7),
    ])
    table = resources.gap_table(years).set_index("year")
    assert table.loc[2024, "fte_ratio"] == 10
    assert table.loc[2025, "budget_sek_difference"] == 3_000_000
    assert resources.staff_gap(years, "sv").title == "Näringslivet har 15,0 gånger så mycket personal som " \
                                                     "civilsamhället (2025)"
    assert resources.ratio_trend(years, "sv").title == "Gapet i loggade timmar: näringslivet 1,5 gånger " \
                                                       "civilsamhället 2025"
    assert resources.parity(years, "sv") == ("För likvärdiga resurser 2025 skulle civilsamhället behöva 5,6 fler "
                                             "årsarbetskrafter och 3\u00a0000\u00a0000 kr mer i budget")


def test_the_gap_charts_show_years_as_years_and_unknown_figures_as_dashes():
    years = resource_frame([(2025, "civil_society", None, None, 0.0, 0, 0, 0),
                            (2025, "business", None, None, 30.0, 12, 5, 7)])
    chart = resources.staff_gap(years, "sv")
    assert chart.figure.layout.xaxis.type == "category"
    assert "nan" not in chart.alt_text and "–" in chart.alt_text
    assert resources.ratio_trend(years, "sv").title == "Inga resurser registrerade för perioden"


def test_a_year_without_civil_society_resources_has_no_ratio():
    years = resource_frame([(2025, "civil_society", None, None, 0.0, 0, 0, 0),
                            (2025, "business", 6.0, 1e6, 30.0, 12, 5, 7)])
    assert pd.isna(resources.gap_table(years).loc[0, "fte_ratio"])
    assert resources.staff_gap(years, "sv").title == "Inga resurser registrerade för perioden"


HTML_NAMED = '<a href="https://evil.example/x">Klicka</a> & <b>fet</b>'


@pytest.mark.parametrize("make", [
    lambda: activity.top_partners(pd.DataFrame({"organisation": [HTML_NAMED, "B"], "sector": ["business"] * 2,
                                                "activities": [3, 1]}), "sv"),
    lambda: agreements.agreement_activity(daily([("2025-02-03", HTML_NAMED, 2)]), dt.date(2025, 1, 1),
                                          dt.date(2025, 6, 30), "sv"),
    lambda: activity.frequency(daily([("2025-02-03", HTML_NAMED, 2)]), totals([("2025-02-03", 2)]), totals([]),
                               dt.date(2025, 1, 1), dt.date(2025, 3, 31), "sv", by="type"),
], ids=["partners", "agreements", "types"])
def test_a_name_written_as_html_is_shown_as_typed_never_as_a_link(make):
    """plotly reads <a href>, <b> and the like in ticks, legends, hovers and titles as markup."""
    chart = make()
    svg = images.image(with_title(chart.figure, f"{HTML_NAMED} först"), "svg").decode()
    assert not re.findall(r"<a[ >]|<b>|xlink:href=\"https://evil", svg)
    assert svg.count("Klicka") >= 2  # the title and the name in the chart, as text
    assert HTML_NAMED in chart.data.to_string() or HTML_NAMED in chart.data.columns  # the table keeps it as typed
