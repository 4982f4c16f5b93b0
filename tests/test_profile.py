"""One organisation's profile: figures known by hand from a tiny store of an umbrella, its members and a project;
the command line's JSON contract."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import workbook_bytes

from civsam import profile
from civsam.cli import cli
from civsam.db import open_store
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.narrative import profile_story

# Samforma has three members; the region met Rädda Barnen twice (once with Samforma) and Bilda once, in SESIN
STORE = {
    "Organisationer": [["Organisation", "Sektor", "Medlem i"],
                       ["Samforma", "Civilsamhälle", ""],
                       ["Rädda Barnen Västerbotten", "Civilsamhälle", "Samforma"],
                       ["Bilda Nord", "Civilsamhälle", "Samforma"],
                       ["Studiefrämjandet", "Civilsamhälle", "Samforma"],
                       ["Umeå universitet", "Akademi", ""]],
    "Avtal": [["Namn", "Typ", "Part", "Undertecknat"],
              ["Avsiktsförklaring Samforma", "Avsiktsförklaring", "Samforma", "2024-03-07"]],
    "Aktiviteter": [["Datum", "Organisation", "Kommun", "Timmar", "Projekt", "Unga"],
                    ["2024-01-10", "Samforma", "Umeå", 2, "", "Nej"],
                    ["2024-05-02", "Samforma; Rädda Barnen Västerbotten", "Lycksele", 3, "", "Ja"],
                    ["2025-02-03", "samforma; Umeå universitet", "Umeå", 1.5, "SESIN", "Nej"],
                    ["2025-03-01", "Bilda Nord; Umeå universitet", "Skellefteå", 1, "SESIN", "Nej"],
                    ["2025-04-01", "Rädda Barnen Västerbotten", "Umeå", 1, "", "Nej"],
                    ["2025-05-01", "Umeå universitet", "Umeå", 1, "", "Nej"]],
}


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(STORE), "samforma.xlsx")
    assert report.rejected == [] and report.imported == 12
    return engine


def samforma(engine) -> int:
    return int(profile.find_organisation(engine, "  SAMFORMA ")["id"])


def test_the_key_figures_count_its_own_activities_and_those_with_its_members_once(store):
    assert profile.key_figures(store, samforma(store)) == {
        "activities": 3, "activities_with_members": 5, "first_contact": dt.date(2024, 1, 10),
        "last_contact": dt.date(2025, 2, 3), "municipalities": 2, "hours": 6.5, "youth_share": 1 / 3}
    in_2025 = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert profile.key_figures(store, samforma(store), in_2025)["activities_with_members"] == 3


def test_members_met_umbrellas_projects_and_the_quarterly_groups(store):
    organisation = samforma(store)
    members = profile.members(store, organisation)
    assert members.values.tolist() == [
        ["Rädda Barnen Västerbotten", "civil_society", 2, dt.date(2025, 4, 1)],
        ["Bilda Nord", "civil_society", 1, dt.date(2025, 3, 1)],
        ["Studiefrämjandet", "civil_society", 0, None]]
    assert profile.umbrellas(store, int(profile.find_organisation(store, "bilda nord")["id"])) == ["Samforma"]
    assert profile.projects(store, organisation).values.tolist() == [["SESIN", 1, ("Bilda Nord", "Umeå universitet")]]
    daily = profile.daily_counts(store, organisation)
    assert daily.groupby("group")["activities"].sum().to_dict() == {"members": 2, "own": 3}



@pytest.mark.parametrize(("filters", "own", "with_members", "projects", "daily"), [
    # an activity passes the sector filter when any of its organisations is in the sector
    (Filters(dt.date(2024, 1, 1), dt.date(2025, 12, 31), sectors=("academia",)),
     {"activities": 1, "hours": 1.5, "municipalities": 1}, 2, [["SESIN", 1, ("Bilda Nord", "Umeå universitet")]],
     [("2025-02-03", "own", 1), ("2025-03-01", "members", 1)]),
    (Filters(dt.date(2024, 1, 1), dt.date(2025, 12, 31), municipalities=("2480",)),
     {"activities": 2, "hours": 3.5, "municipalities": 1}, 3, [["SESIN", 1, ("Umeå universitet",)]],
     [("2024-01-10", "own", 1), ("2025-02-03", "own", 1), ("2025-04-01", "members", 1)]),
    (Filters(dt.date(2025, 3, 1), dt.date(2025, 12, 31)), {"activities": 0, "hours": 0.0, "municipalities": 0}, 2,
     [], [("2025-03-01", "members", 1), ("2025-04-01", "members", 1)]),
])
def test_the_filters_choose_the_activities_its_figures_projects_and_days_count(store, filters, own, with_members,
                                                                               projects, daily):
    organisation = samforma(store)
    figures = profile.key_figures(store, organisation, filters)
    assert {key: figures[key] for key in own} == own and figures["activities_with_members"] == with_members
    assert profile.projects(store, organisation, filters).values.tolist() == projects
    days = profile.daily_counts(store, organisation, filters).sort_values("date")
    assert list(zip(days["date"].dt.strftime("%Y-%m-%d"), days["group"], days["activities"], strict=True)) == daily

def test_the_story_says_what_the_figures_say(store):
    organisation = samforma(store)
    figures, members = profile.key_figures(store, organisation), profile.members(store, organisation)
    projects = profile.projects(store, organisation)
    changed = "Sedan avsiktsförklaringen undertecknades 2025-01-15 har regionen haft 3 kontakter med Samforma."
    text = profile_story("Samforma", figures, members, projects, [changed], "sv")
    assert text == ("Regionen har haft 5 kontakter med Samforma och dess medlemsorganisationer, varav 3 med Samforma "
                    "själv. Regionen har mött 2 av 3 medlemsorganisationer, bland andra Rädda Barnen Västerbotten. "
                    f"Senaste kontakten var 2025-02-03. {changed} Gemensamma projekt: SESIN.")
    assert profile_story("Samforma", figures, members, projects, [], "en") == (
        "The region has had 5 contacts with Samforma and its member organisations, 3 of them with Samforma itself. "
        "The region has met 2 of 3 member organisations, among them Rädda Barnen Västerbotten. The last contact was "
        "2025-02-03. Joint projects: SESIN.")


def run(*args):
    result = CliRunner().invoke(cli, list(args), prog_name="python -m civsam", catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_command_prints_the_profile_as_json_all_time_or_in_a_period(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'civsam.db'}")
    assert import_file(open_store(), workbook_bytes(STORE), "samforma.xlsx").rejected == []
    code, out, _ = run("organisation", "samforma", "--json")
    assert code == 0 and json.loads(out) == {
        "name": "Samforma", "sector": "civil_society", "member_of": [],
        "members": ["Rädda Barnen Västerbotten", "Bilda Nord", "Studiefrämjandet"],
        "members_met": ["Rädda Barnen Västerbotten", "Bilda Nord"], "activities": 3, "activities_with_members": 5,
        "first_contact": "2024-01-10", "last_contact": "2025-02-03", "municipalities": 2, "projects": ["SESIN"],
        "agreements": ["Avsiktsförklaring Samforma"]}
    code, out, _ = run("organisation", "Rädda Barnen Västerbotten", "--from", "2025-01-01", "--to", "2025-12-31",
                       "--json")
    figures = json.loads(out)
    assert (figures["member_of"], figures["activities"], figures["first_contact"]) == (["Samforma"], 1, "2025-04-01")
    code, out, err = run("organisation", "Samfroma")
    assert code == 2 and out == "" and "Menar du Samforma?" in err


def test_the_quarterly_chart_stacks_its_own_and_its_members_activities_with_a_line_at_each_signing(store):
    from civsam import builders

    organisation = samforma(store)
    filters = Filters(dt.date(2024, 1, 1), dt.date(2025, 6, 30))
    chart = builders.organisation_activity(lambda question, *args: question(store, *args), filters, "sv",
                                           organisation_id=organisation, name="Samforma")
    bars = [trace for trace in chart.figure.data if trace.type == "bar"]
    assert [trace.name for trace in bars] == ["Samforma", "Medlemsorganisationerna"]
    assert [list(trace.y) for trace in bars] == [[1, 1, 0, 0, 1, 0], [0, 0, 0, 0, 1, 1]]
    (line,) = [trace for trace in chart.figure.data if trace.type == "scatter"]
    assert list(line.x) == [bars[0].x[0]] * 2  # signed 2024-03-07, in the first quarter
    assert chart.title == "5 aktiviteter med Samforma och dess medlemmar per kvartal"
    assert "Avsiktsförklaring Samforma 2024-03-07" in chart.alt_text
