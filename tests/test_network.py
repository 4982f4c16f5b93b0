"""The Nätverk page's network on a small store whose every tie is known by hand.

The store, in 2025: Samforma met three times, twice in project SESIN (once with Umeå universitet); Rädda Barnen
once in project RUS; Almi Nord once without a project. Samforma is party to a declaration of intent in force, Rädda
Barnen to an agreement that ended in 2021, and Rädda Barnen is a member of Samforma.
"""

import datetime as dt

import pytest
from conftest import workbook_bytes
from sqlalchemy import text

from civsam.charts.network import network_chart
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.network import partner_network

YEAR = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LOG = {
    "Organisationer": [
        ["Organisation", "Sektor"],
        ["Samforma", "civilsamhälle"], ["Rädda Barnen", "civilsamhälle"], ["Umeå universitet", "akademi"],
        ["Almi Nord", "näringsliv"],
    ],
    "Avtal": [
        ["Namn", "Typ", "Part", "Undertecknat", "Giltigt till"],
        ["Avsiktsförklaring Samforma", "Avsiktsförklaring", "Samforma", "2024-03-07", ""],
        ["Överenskommelse Rädda Barnen", "Överenskommelse", "Rädda Barnen", "2020-01-01", "2021-12-31"],
    ],
    "Aktiviteter": [
        ["Datum", "Organisation", "Kommun", "Projekt"],
        ["2025-01-10", "Samforma", "Umeå", "SESIN"],
        ["2025-02-10", "Samforma; Umeå universitet", "Umeå", "SESIN"],
        ["2025-03-10", "Rädda Barnen", "Lycksele", "RUS"],
        ["2025-04-10", "Samforma", "Umeå", ""],
        ["2025-05-10", "Almi Nord", "Skellefteå", ""],
    ],
}


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(LOG), "logg.xlsx")
    assert report.rejected == []
    with engine.begin() as connection:
        connection.execute(text("""
            INSERT INTO organisation_memberships (member_id, umbrella_id)
            SELECT member.id, umbrella.id FROM organisations member, organisations umbrella
            WHERE member.name = 'Rädda Barnen' AND umbrella.name = 'Samforma'
        """))
    return engine


def named_edges(network) -> set[tuple[str, str, str, int]]:
    names = dict(zip(network.nodes["key"], network.nodes["name"], strict=True))
    return {(names[source], names[target], kind, activities) for source, target, kind, activities
            in network.edges.itertuples(index=False)}


def test_the_network_ties_organisations_to_their_projects_agreements_in_force_and_umbrellas(store):
    network = partner_network(store, YEAR)
    organisations = network.nodes[network.nodes["kind"] == "organisation"]
    assert organisations[["name", "sector", "activities", "ties"]].values.tolist() == [
        ["Samforma", "civil_society", 3, 2], ["Almi Nord", "business", 1, 0], ["Rädda Barnen", "civil_society", 1, 1],
        ["Umeå universitet", "academia", 1, 1]]  # the most active first, then in Swedish order
    ties = network.nodes[network.nodes["kind"] != "organisation"].set_index("name")
    assert ties[["kind", "ties"]].to_dict("index") == {
        "SESIN": {"kind": "project", "ties": 2}, "RUS": {"kind": "project", "ties": 1},
        "Avsiktsförklaring Samforma": {"kind": "agreement", "ties": 1}}  # the ended agreement is no tie
    assert named_edges(network) == {
        ("Samforma", "SESIN", "project", 2), ("Umeå universitet", "SESIN", "project", 1),
        ("Rädda Barnen", "RUS", "project", 1), ("Samforma", "Avsiktsförklaring Samforma", "agreement", 0),
        ("Rädda Barnen", "Samforma", "member", 0)}
    assert network.organisations == 4


def test_only_the_most_active_organisations_are_shown_with_their_own_ties(store):
    network = partner_network(store, YEAR, 2)
    assert network.nodes.loc[network.nodes["kind"] == "organisation", "name"].tolist() == ["Samforma", "Almi Nord"]
    assert named_edges(network) == {("Samforma", "SESIN", "project", 2),
                                    ("Samforma", "Avsiktsförklaring Samforma", "agreement", 0)}
    assert network.organisations == 4  # chosen from


def test_the_sidebar_filters_narrow_the_network(store):
    network = partner_network(store, Filters(YEAR.start, YEAR.end, projects=("SESIN",)))
    assert network.nodes[["name", "activities"]].values.tolist() == [
        ["Samforma", 2], ["Umeå universitet", 1], ["Avsiktsförklaring Samforma", 0], ["SESIN", 0]]
    assert partner_network(store, Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31))).nodes.empty


def test_the_layout_is_the_same_on_every_run_and_fills_the_chart(store):
    first, second = partner_network(store, YEAR), partner_network(store, YEAR)
    assert first.nodes[["x", "y"]].values.tolist() == second.nodes[["x", "y"]].values.tolist()
    assert first.nodes[["x", "y"]].abs().max().max() == pytest.approx(1)


def test_the_chart_tells_kinds_by_shape_and_words_and_opens_an_organisations_activities(store):
    chart = network_chart(partner_network(store, YEAR), "sv")
    traces = {trace.name: trace for trace in chart.figure.data if trace.showlegend is not False}
    assert {"Civilsamhälle", "Näringsliv", "Akademi", "Projekt", "Avtal", "Deltog i projekt", "Part i avtal",
            "Medlem i paraplyorganisation"} == set(traces)
    assert (traces["Projekt"].marker.symbol, traces["Avtal"].marker.symbol) == ("square", "diamond")
    assert traces["Medlem i paraplyorganisation"].line.dash == "dash"
    assert traces["Civilsamhälle"].customdata[0][-1] == {"organisation": "Samforma"}
    assert chart.narrowings["Almi Nord"] == {"organisation": "Almi Nord"}
    assert chart.data.fillna("–").values.tolist() == [
        ["Samforma", "Civilsamhälle", 3, "SESIN", "Avsiktsförklaring Samforma"], ["Almi Nord", "Näringsliv", 1, "–", "–"],
        ["Rädda Barnen", "Civilsamhälle", 1, "RUS", "–"], ["Umeå universitet", "Akademi", 1, "SESIN", "–"]]
    names = chart.figure.data[-1]  # drawn last, above every circle
    assert set(names.text) == {"Samforma", "Almi Nord", "Rädda Barnen", "Umeå universitet", "SESIN", "RUS",
                               "Avsiktsförklaring<br>Samforma"} and names.hoverinfo == "skip"
    assert chart.title == "Samforma har flest band i nätverket: 2 projekt och avtal"
    assert chart.alt_text == ("Nätverket visar 4 av 4 organisationer med aktiviteter i urvalet, de mest aktiva, och de 2 "
                              "projekt och 1 avtal som knyter dem samman. Störst är Samforma med 3 aktiviteter.")
