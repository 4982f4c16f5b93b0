"""Agreements' follow-up: the late rule, the queries on a store whose every figure is known by hand, the
follow-up in words and the JSON of `python -m civsam agreements`."""

import datetime as dt

import pandas as pd
import pytest
from conftest import workbook_bytes

from civsam import agreements
from civsam.agreements import is_due_soon, is_late, shown_status
from civsam.effect import agreement_effects
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.narrative import follow_up_text

TODAY = dt.date(2025, 12, 1)
YEAR = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


# --- the late rule ----------------------------------------------------------------------

@pytest.mark.parametrize(("status", "due", "today", "late", "shown"), [
    ("pågår", dt.date(2025, 6, 30), dt.date(2025, 7, 1), True, "försenat"),
    ("ej påbörjat", dt.date(2025, 6, 30), dt.date(2025, 12, 31), True, "försenat"),
    ("pågår", dt.date(2025, 6, 30), dt.date(2025, 6, 30), False, "pågår"),  # due today is not yet late
    ("ej påbörjat", dt.date(2026, 3, 1), dt.date(2025, 12, 31), False, "ej påbörjat"),
    ("klart", dt.date(2025, 6, 30), dt.date(2025, 12, 31), False, "klart"),  # done is never late
    ("klart", dt.date(2026, 6, 30), dt.date(2025, 12, 31), False, "klart"),
    ("försenat", dt.date(2025, 1, 1), dt.date(2025, 12, 31), True, "försenat"),
    ("försenat", dt.date(2026, 1, 1), dt.date(2025, 12, 31), False, "försenat"),  # typed late stays late
    ("pågår", dt.date(2025, 12, 31), dt.date(2026, 1, 1), True, "försenat"),  # over a year boundary
    ("pågår", dt.date(2024, 2, 29), dt.date(2024, 3, 1), True, "försenat"),  # a leap day
], ids=["a day late", "not begun and late", "due today", "not yet due", "done late", "done early", "typed late",
        "typed late, not yet due", "new year", "leap day"])
def test_a_commitment_past_due_and_not_done_is_late_whatever_its_status(status, due, today, late, shown):
    assert is_late(status, due, today) is late
    assert shown_status(status, due, today) == shown


@pytest.mark.parametrize(("status", "days_left", "soon"), [
    ("pågår", 0, True), ("ej påbörjat", 1, True), ("pågår", 60, True), ("pågår", 61, False), ("pågår", -1, False),
    ("klart", 10, False), ("försenat", 10, True),
])
def test_due_soon_is_within_sixty_days_and_not_done(status, days_left, soon):
    assert is_due_soon(status, TODAY + dt.timedelta(days=days_left), TODAY) is soon


# --- queries ------------------------------------------------------------------------------------

STORE = {
    "Organisationer": [["Organisation", "Sektor"], ["Samforma", "Civilsamhälle"],
                       ["Region Norrbotten", "Offentlig sektor"], ["Coompanion Norrbotten", "Civilsamhälle"]],
    "Avtal": [["Namn", "Typ", "Part", "Undertecknat", "Giltigt till", "Diarienummer", "Ansvarig"],
              ["Avsiktsförklaring Samforma", "Avsiktsförklaring", "Samforma", "2024-03-15", "2027-12-31", "RUN 2024/1",
               "Anna Demo"],
              ["Överenskommelse Norrbotten", "Överenskommelse", "Region Norrbotten; Coompanion Norrbotten",
               "2023-11-01", "", "", ""],
              ["IOP Lycksele", "IOP", "Samforma", "2025-01-01", "", "", ""]],
    "Åtaganden": [["Avtal", "Åtagande", "Part", "Intervall", "Förfaller", "Status"],
                  ["Avsiktsförklaring Samforma", "Årlig uppföljning", "Båda", "Årligen", "2025-06-30", "Pågår"],
                  ["Avsiktsförklaring Samforma", "Dialog om RUS", "Region", "", "2025-03-01", "Klart"],
                  ["Avsiktsförklaring Samforma", "Gemensam ansökan", "Region", "", "2026-01-15", ""],
                  ["Avsiktsförklaring Samforma", "Medlemsmöte", "Partner", "Halvår", "2026-06-30", "Pågår"],
                  ["Avsiktsförklaring Samforma", "Programpunkt i Lycksele", "Båda", "", "2025-06-05", "Klart"],
                  ["Överenskommelse Norrbotten", "Kartläggning", "Båda", "", "2024-03-01", "Försenat"]],
    "Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun", "Avtal"],
                    ["2024-06-05", "Samforma", "", "Umeå", "Avsiktsförklaring Samforma"],
                    ["2025-03-04", "Samforma", "", "Umeå", "Avsiktsförklaring Samforma"],
                    ["2025-03-31", "Samforma", "", "Lycksele", "Avsiktsförklaring Samforma"],
                    ["2025-04-01", "Samforma", "", "Skellefteå", "Avsiktsförklaring Samforma"],
                    ["2025-06-05", "Samforma", "", "Umeå", "Avsiktsförklaring Samforma"],
                    ["2025-03-06", "Region Norrbotten", "", "Luleå", "Överenskommelse Norrbotten"],
                    ["2025-03-07", "Samforma", "", "Umeå", ""]],
}


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(STORE), "avtal.xlsx")
    assert report.rejected == [] and report.imported == 3 + 3 + 6 + 7
    return engine


def overview_by_name(engine, filters, today=TODAY) -> pd.DataFrame:
    return agreements.agreement_overview(engine, filters, today).set_index("name")


def test_the_overview_of_every_agreement(store):
    overview = overview_by_name(store, YEAR)
    assert list(overview.index) == ["Avsiktsförklaring Samforma", "IOP Lycksele", "Överenskommelse Norrbotten"]
    samforma = overview.loc["Avsiktsförklaring Samforma"]
    assert (samforma["kind"], samforma["partners"], samforma["signed"], samforma["valid_until"]) == (
        "avsiktsförklaring", ["Samforma"], dt.date(2024, 3, 15), dt.date(2027, 12, 31))
    assert (samforma["registration_number"], samforma["responsible"]) == ("RUN 2024/1", "Anna Demo")
    figures = overview[["commitments", "done", "late", "due_soon", "activities"]]
    assert figures.to_dict("index") == {
        "Avsiktsförklaring Samforma": {"commitments": 5, "done": 2, "late": 1, "due_soon": 1, "activities": 4},
        "IOP Lycksele": {"commitments": 0, "done": 0, "late": 0, "due_soon": 0, "activities": 0},
        "Överenskommelse Norrbotten": {"commitments": 1, "done": 0, "late": 1, "due_soon": 0, "activities": 1}}
    assert overview["last_activity"].tolist() == [dt.date(2025, 6, 5), None, dt.date(2025, 3, 6)]
    assert overview.loc["Överenskommelse Norrbotten", "partners"] == ["Coompanion Norrbotten", "Region Norrbotten"]


@pytest.mark.parametrize(("filters", "activities", "last"), [
    (YEAR, (4, 1), (dt.date(2025, 6, 5), dt.date(2025, 3, 6))),
    (Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 31)), (2, 1), (dt.date(2025, 3, 31), dt.date(2025, 3, 6))),
    (Filters(dt.date(2025, 4, 1), dt.date(2025, 4, 30)), (1, 0), (dt.date(2025, 4, 1), dt.date(2025, 3, 6))),
    (Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (1, 0), (dt.date(2024, 6, 5), None)),
    (Filters(YEAR.start, YEAR.end, county="Norrbotten"), (0, 1), (None, dt.date(2025, 3, 6))),
    (Filters(YEAR.start, YEAR.end, municipalities=("2481",)), (1, 0), (dt.date(2025, 3, 31), None)),
    (Filters(YEAR.start, YEAR.end, sectors=("public",)), (0, 1), (None, dt.date(2025, 3, 6))),
    (Filters(dt.date(2030, 1, 1), dt.date(2030, 12, 31)), (0, 0), (dt.date(2025, 6, 5), dt.date(2025, 3, 6))),
], ids=["year", "march", "a month boundary", "the year before", "one county", "one municipality", "one sector",
        "a period without activity"])
def test_the_filters_choose_the_activities_counted_and_the_last_one(store, filters, activities, last):
    overview = overview_by_name(store, filters)
    names = ["Avsiktsförklaring Samforma", "Överenskommelse Norrbotten"]
    assert tuple(overview.loc[names, "activities"]) == activities
    assert tuple(overview.loc[names, "last_activity"]) == last
    assert overview.loc["Avsiktsförklaring Samforma", "commitments"] == 5  # commitments follow no filter


def test_commitments_show_as_late_as_of_today(store):
    commitments = agreements.agreement_commitments(store, TODAY)
    assert commitments[["agreement", "text", "status", "shown_status", "late", "due_soon", "days_left"]].to_dict(
        "split")["data"] == [
        ["Avsiktsförklaring Samforma", "Dialog om RUS", "klart", "klart", False, False, -275],
        ["Avsiktsförklaring Samforma", "Programpunkt i Lycksele", "klart", "klart", False, False, -179],
        ["Avsiktsförklaring Samforma", "Årlig uppföljning", "pågår", "försenat", True, False, -154],
        ["Avsiktsförklaring Samforma", "Gemensam ansökan", "ej påbörjat", "ej påbörjat", False, True, 45],
        ["Avsiktsförklaring Samforma", "Medlemsmöte", "pågår", "pågår", False, False, 211],
        ["Överenskommelse Norrbotten", "Kartläggning", "försenat", "försenat", True, False, -640]]
    a_year_earlier = agreements.agreement_commitments(store, dt.date(2024, 12, 1))
    assert a_year_earlier["late"].tolist() == [False, False, False, False, False, True]


def test_activities_per_day_and_agreement(store):
    daily = agreements.agreement_daily_counts(store, Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
    assert sorted(zip(daily["date"].dt.date, daily["group"], daily["activities"], strict=True)) == [
        (dt.date(2025, 3, 4), "Avsiktsförklaring Samforma", 1), (dt.date(2025, 3, 6), "Överenskommelse Norrbotten", 1),
        (dt.date(2025, 3, 31), "Avsiktsförklaring Samforma", 1)]


def effect(days: int, before: int, after: int, verdict: str) -> dict:
    from civsam.effect import rate_ratio_interval

    low, high = rate_ratio_interval(before, after)
    return {"window_days": days, "before": before, "after": after, "rate_ratio": after / before if before else None,
            "ci95": [low, high], "verdict": verdict}


def test_the_summary_has_the_shape_of_the_issue(store):
    summary = agreements.agreements_summary(store, TODAY)
    assert summary == {"agreements": [
        {"name": "Avsiktsförklaring Samforma", "kind": "avsiktsförklaring", "partners": ["Samforma"],
         "signed": "2024-03-15", "commitments": 5,
         "by_status": {"ej påbörjat": 1, "pågår": 2, "klart": 2, "försenat": 0}, "late": 1, "activities": 5,
         # every activity naming Samforma, filed under the agreement or not, came after the signing
         "effect": effect(626, 0, 6, "more")},
        {"name": "IOP Lycksele", "kind": "IOP", "partners": ["Samforma"], "signed": "2025-01-01", "commitments": 0,
         "by_status": {"ej påbörjat": 0, "pågår": 0, "klart": 0, "försenat": 0}, "late": 0, "activities": 0,
         "effect": effect(334, 1, 5, "unclear")},
        {"name": "Överenskommelse Norrbotten", "kind": "överenskommelse",
         "partners": ["Coompanion Norrbotten", "Region Norrbotten"], "signed": "2023-11-01", "commitments": 1,
         "by_status": {"ej påbörjat": 0, "pågår": 0, "klart": 0, "försenat": 1}, "late": 1, "activities": 1,
         "effect": effect(730, 0, 1, "unclear")}]}


def test_an_empty_store_has_no_agreements(engine):
    assert agreements.agreement_overview(engine, YEAR, TODAY).empty
    assert agreements.agreement_commitments(engine, TODAY).empty
    assert agreements.agreement_daily_counts(engine, YEAR).empty
    assert agreements.agreements_summary(engine, TODAY) == {"agreements": []}


# --- the follow-up in words ---------------------------------------------------------------------

def agreement(kind="avsiktsförklaring", partners=("Samforma",), activities=14, last=dt.date(2025, 12, 4)) -> dict:
    return {"kind": kind, "partners": list(partners), "activities": activities, "last_activity": last}


def commitments(*rows: tuple[str, str, dt.date], today: dt.date = TODAY) -> pd.DataFrame:
    """(text, typed status, due) rows as agreement_commitments gives them."""
    frame = pd.DataFrame(rows, columns=["text", "status", "due"])
    frame["late"] = [is_late(status, due, today) for _, status, due in rows]
    frame["due_soon"] = [is_due_soon(status, due, today) for _, status, due in rows]
    return frame


FIVE = commitments(("Dialog om RUS", "klart", dt.date(2025, 3, 1)),
                   ("Programpunkt i Lycksele", "klart", dt.date(2025, 6, 5)),
                   ("Rapport till nämnden", "klart", dt.date(2025, 10, 1)),
                   ("Årlig uppföljning av parternas bidrag", "pågår", dt.date(2025, 6, 30)),
                   ("Gemensam ansökan", "ej påbörjat", dt.date(2026, 1, 15)))


@pytest.mark.parametrize(("case", "lang", "expected"), [
    ((agreement(), FIVE, YEAR), "sv",
     "Under 2025 genomfördes 14 aktiviteter inom avsiktsförklaringen med Samforma; 3 av 5 åtaganden är genomförda, "
     "1 är försenat: Årlig uppföljning av parternas bidrag (skulle vara klart 2025-06-30). 1 åtagande förfaller inom "
     "60 dagar: Gemensam ansökan (2026-01-15). Senaste aktivitet: 2025-12-04."),
    ((agreement(), FIVE, YEAR), "en",
     "In 2025, 14 activities took place under the declaration of intent with Samforma; 3 of 5 commitments are done, "
     "1 is late: Årlig uppföljning av parternas bidrag (due 2025-06-30). 1 commitment falls due within 60 days: "
     "Gemensam ansökan (2026-01-15). Last activity: 2025-12-04."),
    ((agreement("överenskommelse", ("Region Norrbotten", "Coompanion Norrbotten", "SESIN"), 1),
      commitments(("Kartläggning", "försenat", dt.date(2024, 3, 1)), ("Handlingsplan", "pågår", dt.date(2024, 9, 1))),
      Filters(dt.date(2025, 3, 1), dt.date(2025, 5, 31))), "sv",
     "Under perioden 2025-03-01 – 2025-05-31 genomfördes 1 aktivitet inom överenskommelsen med Region Norrbotten, "
     "Coompanion Norrbotten och SESIN; 0 av 2 åtaganden är genomförda, 2 är försenade: Kartläggning (skulle vara "
     "klart 2024-03-01); Handlingsplan (skulle vara klart 2024-09-01). Senaste aktivitet: 2025-12-04."),
    ((agreement("IOP", activities=0, last=None), commitments(), YEAR), "sv",
     "Under 2025 genomfördes inga aktiviteter inom det idéburna offentliga partnerskapet (IOP) med Samforma; inga "
     "åtaganden är registrerade. Ingen aktivitet är registrerad inom avtalet."),
    ((agreement("avtal", ("Youth Up North", "Samforma"), 1234),
      commitments(("Utbildning", "klart", dt.date(2025, 1, 1))), YEAR), "en",
     "In 2025, 1\u00a0234 activities took place under the contract with Youth Up North and Samforma; 1 of 1 "
     "commitment is done and none is late. Last activity: 2025-12-04."),
    ((agreement(activities=2), commitments(("Träff", "pågår", dt.date(2025, 12, 10)),
                                           ("Rapport", "ej påbörjat", dt.date(2026, 1, 20))), YEAR), "sv",
     "Under 2025 genomfördes 2 aktiviteter inom avsiktsförklaringen med Samforma; 0 av 2 åtaganden är genomförda "
     "och inget är försenat. 2 åtaganden förfaller inom 60 dagar: Träff (2025-12-10); Rapport (2026-01-20). Senaste "
     "aktivitet: 2025-12-04."),
], ids=["the issue's example", "in English", "a period, three partners, two late", "nothing yet",
        "one commitment, done", "two due soon"])
def test_the_follow_up_is_written_from_the_figures(case, lang, expected):
    row, rows, filters = case
    assert follow_up_text(row, rows, filters, lang) == expected



def test_every_word_of_agreements_exists_in_both_languages():
    from civsam.i18n import KINDS_IN_SENTENCE, TERMS
    from civsam.reference import AGREEMENT_KINDS, CADENCES, COMMITMENT_PARTIES, COMMITMENT_STATUSES

    assert set(TERMS["sv"]) == set(TERMS["en"]) == {*AGREEMENT_KINDS, *COMMITMENT_PARTIES, *CADENCES,
                                                    *COMMITMENT_STATUSES}
    assert set(KINDS_IN_SENTENCE["sv"]) == set(KINDS_IN_SENTENCE["en"]) == set(AGREEMENT_KINDS)


# --- the demo store ------------------------------------------------------------------------------

def test_the_demo_holds_marked_agreements_with_commitments_in_every_status(demo_engine):
    from conftest import DEMO_TODAY, count, rows

    from civsam.demo import clear_demo

    overview = agreements.agreement_overview(demo_engine, Filters(dt.date(2023, 1, 1), DEMO_TODAY), DEMO_TODAY)
    assert sorted(overview["name"]) == ["Avsiktsförklaring Samforma (demo)", "Avsiktsförklaring Youth Up North (demo)",
                                        "Överenskommelse Norrbotten (demo)"]
    assert sorted(map(tuple, overview["partners"])) == [("Coompanion Norrbotten", "Region Norrbotten"), ("Samforma",),
                                                        ("Youth Up North",)]
    assert set(overview["kind"]) == {"avsiktsförklaring", "överenskommelse"}
    assert (overview["activities"] > 0).all() and (overview["signed"] <= DEMO_TODAY).all()
    commitments = agreements.agreement_commitments(demo_engine, DEMO_TODAY)
    assert set(commitments["status"]) == {"ej påbörjat", "pågår", "klart", "försenat"}
    # late by the rule though typed otherwise, and due soon: both stand out on the page
    assert (commitments["late"] & (commitments["status"] != "försenat")).any()
    assert commitments["due_soon"].any()
    assert rows(demo_engine, "SELECT COUNT(*) FROM activities a JOIN agreements ag ON ag.id = a.agreement_id "
                             "WHERE a.date < ag.signed") == [(0,)]  # nothing is filed before the signing
    clear_demo(demo_engine)
    assert [count(demo_engine, table) for table in ("agreements", "agreement_organisations", "commitments",
                                                     "activities", "people")] == [0] * 5


def test_the_follow_up_of_the_demo_agreements_names_their_partners(demo_engine):
    from conftest import DEMO_TODAY

    overview = agreements.agreement_overview(demo_engine, YEAR, DEMO_TODAY)
    all_commitments = agreements.agreement_commitments(demo_engine, DEMO_TODAY)
    for _, row in overview.iterrows():
        text = follow_up_text(row, all_commitments[all_commitments["agreement_id"] == row["id"]], YEAR, "sv")
        assert text.startswith("Under 2025 genomfördes") and all(partner in text for partner in row["partners"])
        assert "är försenat" in text or "är försenade" in text


# --- the chart ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "title", "quarters"), [
    ("sv", "Avsiktsförklaring Samforma hade flest aktiviteter: 3 under perioden", ["kv. 1 2025", "kv. 2 2025"]),
    ("en", "Avsiktsförklaring Samforma had the most activities: 3 in the period", ["Q1 2025", "Q2 2025"]),
])
def test_the_chart_of_activities_per_quarter_states_the_most_active_agreement(lang, title, quarters):
    from civsam.charts.agreements import agreement_activity

    daily = pd.DataFrame({"date": pd.to_datetime(["2025-03-04", "2025-03-31", "2025-04-01", "2025-03-06"]),
                          "group": ["Avsiktsförklaring Samforma"] * 3 + ["Överenskommelse Norrbotten"],
                          "activities": [1, 1, 1, 1]})
    chart = agreement_activity(daily, dt.date(2025, 1, 1), dt.date(2025, 6, 30), lang)
    assert chart.title == title
    assert [trace.name for trace in chart.figure.data] == ["Avsiktsförklaring<br>Samforma",  # wrapped for a phone
                                                           "Överenskommelse<br>Norrbotten"]
    assert list(chart.figure.data[0].x) == quarters
    assert chart.data.to_dict("list") == {chart.data.columns[0]: quarters,  # and the quarters' first days, to sort by
                                          chart.data.columns[1]: [dt.date(2025, 1, 1), dt.date(2025, 4, 1)],
                                          "Avsiktsförklaring Samforma": [2, 1], "Överenskommelse Norrbotten": [1, 0]}
    assert "Avsiktsförklaring Samforma 3, Överenskommelse Norrbotten 1" in chart.alt_text


def test_the_chart_of_a_period_without_filed_activity_still_shows_its_quarters():
    from civsam.charts.agreements import agreement_activity

    empty = pd.DataFrame({"date": pd.to_datetime([]), "group": [], "activities": []})
    chart = agreement_activity(empty, dt.date(2030, 1, 1), dt.date(2030, 12, 31), "sv")
    assert chart.title == "Inga aktiviteter kopplade till något avtal under perioden"
    assert len(chart.figure.data) == 1
    assert list(chart.figure.data[0].x) == ["kv. 1 2030", "kv. 2 2030", "kv. 3 2030", "kv. 4 2030"]
    assert chart.data.columns.tolist() == ["Period", "Från och med"] and chart.alt_text.endswith("–.")


# --- python -m civsam agreements -------------------------------------------------------------------

def run_cli(engine, monkeypatch, capsys, *args) -> str:
    from civsam.cli import main

    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(engine.url))
    capsys.readouterr()
    assert main(["agreements", *args]) == 0
    return capsys.readouterr().out


def test_the_command_line_prints_the_json_of_the_issue(store, monkeypatch, capsys):
    import json

    printed = json.loads(run_cli(store, monkeypatch, capsys, "--json"))
    assert list(printed) == ["agreements"]
    for agreement in printed["agreements"]:
        assert list(agreement) == ["name", "kind", "partners", "signed", "commitments", "by_status", "late",
                                   "activities", "effect"]
        assert list(agreement["by_status"]) == ["ej påbörjat", "pågår", "klart", "försenat"]
    samforma = printed["agreements"][0]
    assert (samforma["name"], samforma["partners"], samforma["commitments"], samforma["activities"]) == (
        "Avsiktsförklaring Samforma", ["Samforma"], 5, 5)
    assert samforma["by_status"] == {"ej påbörjat": 1, "pågår": 2, "klart": 2, "försenat": 0}
    # late as of today: every commitment past its due date and not klart
    assert samforma["late"] == sum(is_late(status, due, dt.date.today()) for status, due in [
        ("pågår", dt.date(2025, 6, 30)), ("ej påbörjat", dt.date(2026, 1, 15)), ("pågår", dt.date(2026, 6, 30))])
    assert printed == agreements.agreements_summary(store)


def test_the_readme_says_what_each_number_of_the_json_counts(store):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    printed = agreements.agreements_summary(store, TODAY)["agreements"][0]
    for key in [key for key, value in printed.items() if isinstance(value, int)]:
        assert f"`{key}` counts" in readme  # a count, not a list of the activities


def test_the_command_line_prints_the_agreements_in_words(store, monkeypatch, capsys):
    printed = run_cli(store, monkeypatch, capsys)
    assert "Avsiktsförklaring Samforma: avsiktsförklaring med Samforma, undertecknat 2024-03-15" in printed
    assert "5 åtaganden (1 ej påbörjat, 2 pågår, 2 klart)" in printed and "5 aktiviteter" in printed
    assert "Överenskommelse Norrbotten: överenskommelse med Coompanion Norrbotten och Region Norrbotten" in printed


def test_the_command_line_on_a_store_without_agreements(engine, monkeypatch, capsys):
    assert run_cli(engine, monkeypatch, capsys, "--json").strip() == '{\n  "agreements": []\n}'
    assert run_cli(engine, monkeypatch, capsys).startswith("Inga avtal ännu.")


# --- the tables of the Avtal page ---------------------------------------------------------------------

TABLE_WIDTH_AT_1440 = 978  # pixels inside a table beside the open sidebar on a 1440 pixels wide screen


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_column_of_the_avtal_pages_tables_has_a_width_and_they_fit_a_laptop_screen(store, lang):
    from civsam import tables

    overview = agreements.agreement_overview(store, YEAR, TODAY)
    commitments = agreements.agreement_commitments(store, TODAY)
    effects = agreement_effects(store, TODAY)
    for table, widths in ((tables.agreements(overview, lang), tables.AGREEMENT_WIDTHS),
                          (tables.agreement_progress(overview, lang), tables.PROGRESS_WIDTHS),
                          (tables.agreement_effects(overview, effects, lang), tables.EFFECT_WIDTHS),
                          (tables.commitments_shown(commitments, lang), tables.COMMITMENT_WIDTHS)):
        named = tables.widths(widths, lang)
        assert list(named) == list(table.columns)
        assert sum(named.values()) <= TABLE_WIDTH_AT_1440


def test_the_page_shows_a_status_typed_otherwise_beside_the_status_and_downloads_both(store):
    from civsam import tables

    commitments = agreements.agreement_commitments(store, TODAY)
    shown, every = tables.commitments_shown(commitments, "sv"), tables.commitments(commitments, "sv")
    assert "Registrerad status" not in shown and "Registrerad status" in every
    for status, typed, on_page in zip(every["Status"], every["Registrerad status"], shown["Status"], strict=True):
        assert on_page == (status if status == typed else f"{status} (registrerad: {typed})")
    assert "Försenat (registrerad: Pågår)" in shown["Status"].tolist()
