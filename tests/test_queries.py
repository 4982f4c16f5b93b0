"""The dashboard's queries on a small store whose every figure is known by hand.

The store: three activities in Västerbotten around a month boundary, one with partners in two
sectors, one county-wide activity without a municipality, and nothing in Norrbotten. Two of them are
meetings (Möte), one a workshop and one a dialogue.
"""

import datetime as dt

import pandas as pd
import pytest
from conftest import ACTIVITY_HEADER, activity_log, rows, workbook_bytes
from sqlalchemy import event

from civsam import builders, presentation, queries
from civsam.audit import record
from civsam.batches import undo_batch
from civsam.charts.activity import sector_comparison
from civsam.db import open_store, write_transaction
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.importing.single_activity import edit_activity
from civsam.narrative import percent
from civsam.people import pseudonymise
from civsam.report import key_figures_sheet

YEAR = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LOG = {
    "Aktiviteter": [
        ["Datum", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Unga", "Projekt", "Typ"],
        ["2025-01-31", "Samforma", "civilsamhälle", "Umeå", "", 2, "Ja", "SESIN", "Möte"],
        ["2025-02-01", "Samforma; Almi Nord", "näringsliv", "Skellefteå", "", 3, "", "", "Workshop"],
        ["2025-02-01", "Almi Nord", "", "Umeå", "", 4, "", "", ""],
        ["2025-03-15", "Umeå kommun", "kommun", "", "Västerbotten", 1, "", "", "dialog"],
    ],
    "Resurser": [
        ["År", "Sektor", "Årsarbetskrafter", "Budget (kr)"],
        [2025, "civilsamhälle", 0.5, 100_000],
        [2025, "näringsliv", 5, 2_000_000],
    ],
}


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(LOG), "logg.xlsx")
    assert report.rejected == [] and report.imported == 6  # 4 activities, 2 resource rows
    return engine


@pytest.mark.parametrize("filters, expected", [
    (YEAR, {"activities": 4, "organisations": 3, "municipalities": 2, "hours": 10.0, "youth_share": 0.25}),
    (Filters(dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
     {"activities": 2, "organisations": 2, "municipalities": 2, "hours": 7.0, "youth_share": 0.0}),
    (Filters(YEAR.start, YEAR.end, county="Norrbotten"),
     {"activities": 0, "organisations": 0, "municipalities": 0, "hours": 0.0, "youth_share": None}),
    (Filters(YEAR.start, YEAR.end, sectors=("civil_society",)),  # Almi Nord takes part, but is no civil society
     {"activities": 2, "organisations": 1, "municipalities": 2, "hours": 5.0, "youth_share": 0.5}),
    (Filters(YEAR.start, YEAR.end, municipalities=("2482",)),
     {"activities": 1, "organisations": 2, "municipalities": 1, "hours": 3.0, "youth_share": 0.0}),
    (Filters(YEAR.start, YEAR.end, projects=("SESIN",)),
     {"activities": 1, "organisations": 1, "municipalities": 1, "hours": 2.0, "youth_share": 1.0}),
    (Filters(YEAR.start, YEAR.end, types=("Möte",)),  # a blank Typ is a meeting
     {"activities": 2, "organisations": 2, "municipalities": 1, "hours": 6.0, "youth_share": 0.5}),
    (Filters(YEAR.start, YEAR.end, types=("Workshop", "Dialog")),
     {"activities": 2, "organisations": 3, "municipalities": 1, "hours": 4.0, "youth_share": 0.0}),
    (Filters(YEAR.start, YEAR.end, sectors=("civil_society",), types=("Möte",)),  # meetings with civil society
     {"activities": 1, "organisations": 1, "municipalities": 1, "hours": 2.0, "youth_share": 1.0}),
    (Filters(YEAR.start, YEAR.end, types=("Konferens",)),
     {"activities": 0, "organisations": 0, "municipalities": 0, "hours": 0.0, "youth_share": None}),
], ids=["year", "february", "empty county", "civil society", "one municipality", "one project", "meetings",
        "two types", "meetings with civil society", "a type without activities"])
def test_key_figures(store, filters, expected):
    assert queries.key_figures(store, filters) == expected


def test_an_activity_with_partners_in_two_sectors_counts_toward_each(store):
    figures = queries.sector_figures(store, YEAR).set_index("sector")
    assert figures.loc["civil_society", ["activities", "hours"]].tolist() == [2, 5.0]
    assert figures.loc["business", ["activities", "hours"]].tolist() == [2, 7.0]
    assert figures.loc["public", ["activities", "municipalities"]].tolist() == [1, 0]
    assert figures.loc["academia"].tolist() == [0, 0, 0, 0.0]


def test_the_sector_table_counts_a_two_sector_activity_in_each_and_once_in_its_total(store):
    chart = sector_comparison(queries.sector_figures(store, YEAR), queries.key_figures(store, YEAR), "sv")
    table = chart.data.set_index("Sektor")
    assert table["Aktiviteter"].tolist() == [2, 2, 1, 0, 4]  # four bars' worth of five, four activities
    assert table.loc["Totalt, varje aktivitet en gång"].tolist() == [4, 3, 2, 10.0]
    assert table.loc["Totalt, varje aktivitet en gång", "Organisationer"] == table["Organisationer"].iloc[:-1].sum()
    overlap = ("Staplarna summerar till 5, fler än de 4 aktiviteterna: en aktivitet med organisationer från flera "
               "sektorer räknas i varje.")
    assert chart.figure.layout.xaxis.title.text.replace("<br>", " ") == overlap  # said under the bars …
    assert chart.alt_text.endswith(overlap)  # … and to a screen reader


def test_one_sector_chosen_has_bars_that_add_up_to_its_activities(store):
    civil = Filters(YEAR.start, YEAR.end, sectors=("civil_society",))
    chart = sector_comparison(queries.sector_figures(store, civil), queries.key_figures(store, civil), "sv")
    assert chart.data["Aktiviteter"].tolist() == [2, 0, 0, 0, 2]
    assert chart.figure.layout.xaxis.title.text is None


def test_the_overview_and_the_sector_chart_share_two_scans_a_period(store):
    """Key figures as given, for civil society and business, the period compared with, and the sector chart: each
    period's activities are read once and its organisations once (it took twelve statements)."""
    statements = []
    event.listen(store, "before_cursor_execute", lambda *args: statements.append(args[2]))
    query = presentation.direct_query(store)
    filters = Filters(YEAR.start, YEAR.end, sectors=("civil_society",))
    figures = presentation.overview(filters, "sv", query)
    chart = builders.sector_comparison(query, filters, "sv")
    read = [sql for sql in statements if "activit" in sql]
    assert len(read) == 4 and sum("FROM activities a" in sql for sql in read) == 2
    assert figures.by_sector["business"] == queries.key_figures(store, Filters(YEAR.start, YEAR.end,
                                                                             sectors=("business",)))
    assert chart.data["Aktiviteter"].tolist() == [2, 0, 0, 0, 2]


def test_the_two_shares_with_young_people_each_say_their_base(store):
    """Young people took part in 1 of the 4 activities, which is 1 of civil society's 2."""
    overview = presentation.overview(YEAR, "sv", presentation.direct_query(store))
    assert "Barn och unga var delaktiga i 50\u00a0% av kontakterna med civilsamhället." in overview.summary
    assert percent(overview.figures["youth_share"]) == "25\u00a0%"
    sheet = key_figures_sheet(presentation.Story(YEAR, "sv", overview, [])).set_index("")
    assert sheet.loc["Med barn och unga, av alla aktiviteter", "Perioden"] == 0.25


def test_an_activity_with_partners_of_two_sectors_is_counted_once_by_day(store):
    daily = queries.daily_counts(store, YEAR, "sector")
    assert daily.groupby("group")["activities"].sum().to_dict() == {
        "civil_society": 1, "business": 1, "several": 1, "public": 1}


def test_sector_filter_keeps_the_selected_sector_of_a_mixed_activity(store):
    daily = queries.daily_counts(store, Filters(YEAR.start, YEAR.end, sectors=("business",)), "sector")
    assert set(daily["group"]) == {"business"}
    assert daily["activities"].sum() == 2


def test_daily_totals_count_each_activity_once_around_a_month_boundary(store):
    totals = queries.daily_totals(store, YEAR).set_index("date")["activities"]
    assert totals.to_dict() == {pd.Timestamp("2025-01-31"): 1, pd.Timestamp("2025-02-01"): 2,
                                pd.Timestamp("2025-03-15"): 1}


def test_coverage_lists_every_municipality_with_the_empty_ones_at_zero(store):
    coverage = queries.coverage(store, YEAR).set_index("municipality")
    assert len(coverage) == 29
    assert coverage.loc["Umeå", ["activities", "partners"]].tolist() == [2, 2]
    assert coverage.loc["Skellefteå", ["activities", "partners"]].tolist() == [1, 2]
    assert coverage.loc["Nordmaling", ["activities", "partners"]].tolist() == [0, 0]
    assert coverage.loc[coverage["county"] == "Norrbotten", "activities"].sum() == 0


def test_coverage_of_chosen_municipalities_lists_only_them(store):
    coverage = queries.coverage(store, Filters(YEAR.start, YEAR.end, municipalities=("2480", "2401")))
    assert coverage.set_index("municipality")["activities"].to_dict() == {"Nordmaling": 0, "Umeå": 2}


@pytest.mark.parametrize("filters, expected", [
    (YEAR, [dt.date(2025, 1, 31), dt.date(2025, 2, 1), 2]),
    (Filters(dt.date(2025, 2, 1), dt.date(2025, 2, 28)), [dt.date(2025, 2, 1), dt.date(2025, 2, 1), 1]),
    (Filters(dt.date(2025, 1, 1), dt.date(2025, 1, 31)), [dt.date(2025, 1, 31), dt.date(2025, 1, 31), 1]),
    (Filters(dt.date(2025, 3, 1), YEAR.end), [None, None, 0]),
    (Filters(YEAR.start, YEAR.end, municipalities=("2482",)), [dt.date(2025, 2, 1), dt.date(2025, 2, 1), 1]),
], ids=["year", "february", "january", "after its last", "one municipality"])
def test_the_register_shows_first_and_last_contact_and_activities_in_the_period(store, filters, expected):
    register = queries.organisation_register(store, filters).set_index("organisation")
    contacts = register.loc["Samforma", ["first_contact", "last_contact", "activities"]].tolist()
    assert [None if pd.isna(value) else value for value in contacts] == expected


def test_coverage_of_an_empty_county_lists_its_municipalities(store):
    coverage = queries.coverage(store, Filters(YEAR.start, YEAR.end, county="Norrbotten"))
    assert len(coverage) == 14 and coverage["activities"].sum() == 0


def test_county_wide_activities_are_counted_apart(store):
    wide = queries.county_wide_activities(store, YEAR)
    assert wide.to_dict("records") == [{"county": "Västerbotten", "activities": 1}]


def test_top_partners_are_ordered_by_activities_then_name(store):
    partners = queries.top_partners(store, YEAR, 2)
    assert partners.to_dict("records") == [
        {"organisation": "Almi Nord", "sector": "business", "activities": 2},
        {"organisation": "Samforma", "sector": "civil_society", "activities": 2},
    ]


def test_the_type_filter_holds_for_every_query(store):
    meetings = Filters(YEAR.start, YEAR.end, types=("Möte",))
    assert queries.activity_types(store) == ["Dialog", "Möte", "Workshop"]
    assert queries.top_partners(store, meetings).to_dict("records") == [
        {"organisation": "Almi Nord", "sector": "business", "activities": 1},
        {"organisation": "Samforma", "sector": "civil_society", "activities": 1}]
    assert queries.coverage(store, meetings).set_index("municipality").loc[["Umeå", "Skellefteå"], "activities"
                                                                         ].tolist() == [2, 0]
    assert queries.daily_counts(store, meetings, "type")["group"].unique().tolist() == ["Möte"]
    assert queries.sector_figures(store, meetings).set_index("sector")["activities"].to_dict() == {
        "civil_society": 1, "business": 1, "public": 0, "academia": 0}
    assert queries.county_wide_activities(store, meetings).empty
    assert queries.organisation_register(store, meetings).set_index("organisation")["activities"].to_dict() == {
        "Almi Nord": 1, "Samforma": 1, "Umeå kommun": 0}
    dialogue = queries.last_contacts(store, Filters(YEAR.start, YEAR.end, types=("Dialog",))).dropna()
    assert dialogue["organisation"].tolist() == ["Umeå kommun"]


def test_last_contacts_include_every_organisation(store):
    contacts = queries.last_contacts(store, Filters(YEAR.start, dt.date(2025, 2, 28)))
    last = dict(zip(contacts["organisation"], contacts["last_contact"], strict=True))
    assert last["Samforma"] == pd.Timestamp("2025-02-01")
    assert pd.isna(last["Umeå kommun"])  # its only activity comes after the period


def test_resource_years_put_resources_beside_the_log(store):
    years = queries.resource_years(store, YEAR).set_index("sector")
    assert years.loc["civil_society", ["fte", "budget_sek", "hours", "activities"]].tolist() == [0.5, 100_000, 5, 2]
    assert years.loc["business", ["fte", "budget_sek", "hours", "activities", "organisations"]].tolist() == [
        5, 2_000_000, 7, 2, 1]


def test_resource_years_cover_every_year_of_the_period_even_without_resources(store):
    years = queries.resource_years(store, Filters(dt.date(2024, 1, 1), YEAR.end))
    assert years[["year", "sector"]].values.tolist() == [
        [2024, "civil_society"], [2024, "business"], [2025, "civil_society"], [2025, "business"]]
    assert years.loc[years["year"] == 2024, "activities"].tolist() == [0, 0]
    assert years.loc[years["year"] == 2024, "fte"].isna().all()


def test_organisation_register_has_first_and_last_contact(store):
    register = queries.organisation_register(store, YEAR).set_index("organisation")
    assert register.loc["Samforma", ["first_contact", "last_contact", "activities"]].tolist() == [
        dt.date(2025, 1, 31), dt.date(2025, 2, 1), 2]
    register = queries.organisation_register(store, Filters(YEAR.start, YEAR.end, sectors=("public",)))
    assert register["organisation"].tolist() == ["Umeå kommun"]


def test_date_range_and_data_version(store, engine):
    assert queries.date_range(store) == (dt.date(2025, 1, 31), dt.date(2025, 3, 15))
    version = queries.data_version(store)
    import_file(engine, workbook_bytes({"Aktiviteter": [LOG["Aktiviteter"][0], ["2025-04-01", "Samforma", "",
                                                                                  "Umeå", "", 1, "", ""]]}), "ny.xlsx")
    assert queries.data_version(store) != version


def test_the_data_version_changes_when_a_name_is_pseudonymised_but_not_on_a_download(engine):
    import_file(engine, activity_log(["2025-03-04", "Samforma", "Ideell", "Umeå", "Anna Andersson"],
                                     header=[*ACTIVITY_HEADER, "Ansvarig"]), "logg.xlsx")
    version = queries.data_version(engine)
    with write_transaction(engine) as connection:
        record(connection, "export", "anna", "civsam.pptx (webben)")
    assert queries.data_version(engine) == version  # cached pages stay
    pseudonymise(engine, "Anna Andersson", "RUN 2026/1")  # names change, no count does
    assert queries.data_version(engine) != version


def test_another_process_sees_each_write_in_the_data_version(engine):
    """Each app process caches its pages on the data version it reads from the store (civsam.ui.state): a second
    engine on the same store, standing in for the other process behind the proxy, sees an import, an edit and an
    undo made through the first."""
    other = open_store(engine.url.render_as_string(hide_password=False))
    try:
        versions = [queries.data_version(other)]
        report = import_file(engine, activity_log(["2025-03-04", "Samforma", "Ideell", "Umeå"]), "logg.xlsx")
        versions.append(queries.data_version(other))
        edit = edit_activity(engine, rows(engine, "SELECT MAX(id) FROM activities")[0][0], {"hours": 2})
        versions.append(queries.data_version(other))
        undo_batch(engine, edit.batch)
        versions.append(queries.data_version(other))
        undo_batch(engine, report.batch_id)
        versions.append(queries.data_version(other))
    finally:
        other.dispose()
    assert len(set(versions)) == len(versions)


def test_an_empty_store_has_no_date_range(engine):
    assert queries.date_range(engine) is None
    assert queries.key_figures(engine, YEAR)["activities"] == 0


@pytest.mark.parametrize("sql, expected_last", [
    ("SELECT MAX(date) AS last FROM activities", dt.date(2025, 3, 15)),  # the store's last activity
    ("SELECT MAX(date) AS last FROM activities WHERE id < 0", None),  # none there
])
def test_dates_read_as_dates_on_either_database(store, sql, expected_last):
    dates = queries.read_frame(store, sql, dates=("last",))
    assert dates["last"].tolist() == [expected_last]
    moments = queries.read_frame(store, sql, timestamps=("last",))
    assert pd.api.types.is_datetime64_any_dtype(moments["last"])
    assert moments["last"].dt.date.tolist() == [expected_last] if expected_last else moments["last"].isna().all()
