"""The activity list on a small store whose every row is known: newest first, paged in the database, narrowed by
the filters, a search (any case, % and _ taken literally) and an organisation found by its name's key."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import rows, workbook_bytes

from civsam.activity_list import activity_page
from civsam.cli import cli
from civsam.db import open_store
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.organisations import merge_organisations

YEAR = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LOG = {"Aktiviteter": [
    ["Datum", "Typ", "Rubrik", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Projekt", "Kommentar", "Ansvarig"],
    ["2025-01-31", "Möte", "Årsmöte 100% klart", "Samforma", "civilsamhälle", "Umeå", "", 2, "SESIN", "", "Anna A"],
    ["2025-02-01", "Workshop", "Planering", "Samforma; Almi Nord", "näringsliv", "Skellefteå", "", 3, "", "", ""],
    ["2025-02-01", "Dialog", "Öppet_hus", "Almi Nord", "", "Skellefteå", "", 4.5, "", "Om ÖSTRA delen", ""],
    ["2025-03-15", "Möte", "", "Umeå kommun", "kommun", "", "Västerbotten", 1, "", "100 procent", ""],
    ["2024-12-31", "Möte", "Förra året", "Samforma", "", "Umeå", "", 1, "", "", ""],
]}
FIRST, PLANNING, OPEN_HOUSE, COUNTY_WIDE = "Årsmöte 100% klart", "Planering", "Öppet_hus", None


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(LOG), "logg.xlsx")
    assert report.rejected == [] and report.imported == 5
    return engine


def titles(engine, filters=YEAR, **narrowing) -> list:
    return activity_page(engine, filters, **narrowing).activities["title"].tolist()


def test_the_list_is_newest_first_with_each_activitys_facts(store):
    listed = activity_page(store, YEAR)
    assert listed.total == 4
    frame = listed.activities
    assert frame["title"].tolist() == [COUNTY_WIDE, OPEN_HOUSE, PLANNING, FIRST]  # the same day: the later stored
    assert frame["date"].tolist() == [dt.date(2025, 3, 15), dt.date(2025, 2, 1), dt.date(2025, 2, 1),
                                      dt.date(2025, 1, 31)]
    assert frame.iloc[2][["type", "organisations", "municipality", "county", "hours"]].tolist() == [
        "Workshop", ("Almi Nord", "Samforma"), "Skellefteå", "Västerbotten", 3.0]
    assert frame.iloc[0][["municipality", "county", "project", "agreement"]].tolist() == [
        None, "Västerbotten", None, None]
    assert "responsible" not in frame


def test_who_was_responsible_only_when_names_are_asked_for(store):
    assert activity_page(store, YEAR, names=True).activities["responsible"].tolist() == [None, None, None, "Anna A"]


def test_a_page_is_read_in_the_database_with_the_total_of_all(store):
    listed = activity_page(store, YEAR, offset=1, limit=2)
    assert listed.total == 4 and listed.activities["title"].tolist() == [OPEN_HOUSE, PLANNING]
    assert activity_page(store, YEAR, offset=4, limit=2).activities.empty
    past_the_end = activity_page(store, YEAR, search="samforma", offset=4, limit=2)
    assert past_the_end.total == 2 and past_the_end.activities.empty
    assert len(activity_page(store, YEAR, limit=None).activities) == 4
    samformas = activity_page(store, YEAR, organisation="Samforma", offset=1, limit=1)
    assert samformas.total == 2 and samformas.activities["title"].tolist() == [FIRST]


NARROWED = [  # filters, search and organisation → the titles listed
    (Filters(dt.date(2025, 2, 1), dt.date(2025, 2, 28)), {}, [OPEN_HOUSE, PLANNING]),
    (Filters(YEAR.start, YEAR.end, county="Norrbotten"), {}, []),
    (Filters(YEAR.start, YEAR.end, municipalities=("2482",)), {}, [OPEN_HOUSE, PLANNING]),
    (Filters(YEAR.start, YEAR.end, sectors=("civil_society",)), {}, [PLANNING, FIRST]),
    (Filters(YEAR.start, YEAR.end, projects=("SESIN",)), {}, [FIRST]),
    (Filters(YEAR.start, YEAR.end, types=("Möte",)), {}, [COUNTY_WIDE, FIRST]),
    (YEAR, {"search": "%"}, [FIRST]),  # a literal per cent sign, not "anything"
    (YEAR, {"search": "_"}, [OPEN_HOUSE]),  # a literal underscore, not "any one character"
    (YEAR, {"search": "årsMÖTE"}, [FIRST]),  # any case, å and ö too
    (YEAR, {"search": "östra"}, [OPEN_HOUSE]),  # in the comment
    (YEAR, {"search": " almi   NORD "}, [OPEN_HOUSE, PLANNING]),  # in an organisation's name, spaces as in a name
    (YEAR, {"search": "ingenstans"}, []),
    (YEAR, {"organisation": "samforma "}, [PLANNING, FIRST]),
    (YEAR, {"organisation": "Almi"}, []),  # an organisation is named whole, not searched
    (YEAR, {"organisation": "Almi Nord", "search": "plan"}, [PLANNING]),
    (Filters(dt.date(2025, 2, 1), dt.date(2025, 12, 31)), {"organisation": "Samforma"}, [PLANNING]),
    (YEAR, {"organisation": "almi nord"}, [OPEN_HOUSE, PLANNING]),  # the same day: the later stored first
    # an organisation's activities under each other filter
    (Filters(YEAR.start, YEAR.end, county="Norrbotten"), {"organisation": "Samforma"}, []),
    (Filters(YEAR.start, YEAR.end, municipalities=("2482",)), {"organisation": "Samforma"}, [PLANNING]),
    (Filters(YEAR.start, YEAR.end, sectors=("business",)), {"organisation": "Samforma"}, [PLANNING]),
    (Filters(YEAR.start, YEAR.end, projects=("SESIN",)), {"organisation": "Samforma"}, [FIRST]),
    (Filters(YEAR.start, YEAR.end, types=("Möte",)), {"organisation": "Samforma"}, [FIRST]),
]


def test_the_list_is_narrowed_by_the_filters_the_search_and_the_organisation(store):
    for filters, narrowing, expected in NARROWED:  # one store for the whole table: the suite's time is short
        listed = activity_page(store, filters, **narrowing)
        assert (listed.activities["title"].tolist(), listed.total) == (expected, len(expected)), (filters, narrowing)


def test_a_merged_spelling_still_finds_the_organisation(store):
    import_file(store, workbook_bytes({"Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun"],
                                                       ["2025-04-01", "Samforma VB", "civilsamhälle", "Umeå"]]}),
                "mer.xlsx")
    (kept,), (removed,) = (rows(store, "SELECT id FROM organisations WHERE name = ?", (name,))[0]
                           for name in ("Samforma", "Samforma VB"))
    merge_organisations(store, kept, removed, "test")
    assert activity_page(store, YEAR, organisation="samforma vb").total == 3


# --- the command: python -m civsam activity list ------------------------------------------------------------------

@pytest.fixture
def listing(tmp_path, monkeypatch):
    """`python -m civsam activity list ARGS` in-process on a store holding LOG: (exit code, stdout, stderr)."""
    url = f"sqlite:///{tmp_path / 'civsam.db'}"
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    engine = open_store(url)
    import_file(engine, workbook_bytes(LOG), "logg.xlsx")
    engine.dispose()

    def run(*args):
        result = CliRunner().invoke(cli, ["activity", "list", *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr
    return run


def test_the_command_lists_newest_first_as_json_with_stable_keys(listing):
    code, out, _ = listing("--from", "2025-01-01", "--to", "2025-12-31", "--limit", "2", "--json")
    listed = json.loads(out)
    assert code == 0 and listed["total"] == 4 and len(listed["activities"]) == 2
    assert listed["activities"][1] == {
        "id": 3, "date": "2025-02-01", "type": "Dialog", "title": "Öppet_hus", "organisations": ["Almi Nord"],
        "municipality": "Skellefteå", "county": "Västerbotten", "hours": 4.5, "project": None, "agreement": None}
    assert listed["activities"][0]["municipality"] is None and listed["activities"][0]["county"] == "Västerbotten"
    code, out, _ = listing("--from", "2025-01-01", "--organisation", "almi nord", "--search", "plan", "--json")
    assert [each["title"] for each in json.loads(out)["activities"]] == ["Planering"]


def test_the_command_without_json_writes_a_line_each(listing):
    code, out, _ = listing("--from", "2025-01-01", "--to", "2025-12-31", "--county", "AC", "--limit", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "4 aktiviteter 2025-01-01 – 2025-12-31, de 3 senaste:" and len(lines) == 4
    assert lines[2].split() == ["3", "2025-02-01", "Dialog:", "Öppet_hus.", "Almi", "Nord", "(Skellefteå),", "4,5",
                                "h"]


@pytest.mark.parametrize("option, value, message", [
    ("--municipality", "Skelefteå", "Menar du Skellefteå?"),
    ("--county", "Jämtland", "Okänt län. Skriv Västerbotten (eller AC) eller Norrbotten (eller BD)."),
])
def test_an_unknown_place_is_a_swedish_user_error(listing, option, value, message):
    code, out, err = listing(option, value, "--json")
    assert code == 2 and out == "" and message in err and err.startswith(f"civsam: {option} {value}:")
