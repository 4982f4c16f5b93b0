"""The survey's figures per principle and year, hand-counted, and their suppression below five respondents in the
JSON, the page's tables, the deck and the report."""

import base64
import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import workbook_bytes

from civsam.cli import cli
from civsam.importing import import_file
from civsam.survey import meeting_groups, principle_figures, summarise
from civsam.survey_questions import PRINCIPLES, STATEMENTS

PIXEL = base64.b64decode(  # a 1 × 1 PNG: the deck's pictures need no browser here
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
DIALOG_1, DIALOG_2, QUALITY_1 = STATEMENTS[2].swedish, STATEMENTS[3].swedish, STATEMENTS[4].swedish
HEADER = ["Datum", "Organisation", DIALOG_1, DIALOG_2, QUALITY_1]
# 2024: dialog answered by six (3 of 6 agree, mean 19/6), kvalitet by four only; one response all "Vet ej".
# 2025: dialog by five, two of them both statements (5 of 7 answers agree, mean 27/7); kvalitet by one.
ANSWERS = [
    ["2024-05-01", "Samforma", 5, "Vet ej", 4], ["2024-05-02", "Rädda Barnen", 4, None, 4],
    ["2024-05-03", None, 4, None, 2], ["2024-05-04", None, 2, None, 1], ["2024-05-05", None, 1, None, None],
    ["2024-05-06", None, 3, None, None], ["2024-05-07", None, "Vet ej", "Vet ej", "Vet ej"],
    ["2025-05-01", "Samforma", 5, 4, 5], ["2025-05-02", None, 5, 2, None], ["2025-05-03", None, 4, None, None],
    ["2025-05-04", None, 4, None, None], ["2025-05-05", None, 3, None, None],
]


@pytest.fixture
def surveyed(engine):
    report = import_file(engine, workbook_bytes({"Enkät": [HEADER, *ANSWERS]}), "enkat.xlsx", user="tester")
    assert report.imported == len(ANSWERS) and not report.rejected
    return engine


def test_each_principle_and_year_is_counted_as_by_hand(surveyed):
    figures = principle_figures(surveyed).set_index(["year", "principle"])
    assert len(figures) == 2 * len(PRINCIPLES)
    dialog_2024, dialog_2025 = figures.loc[(2024, "dialog")], figures.loc[(2025, "dialog")]
    assert (dialog_2024["n"], dialog_2024["agree_share"], dialog_2024["mean"]) == (6, 0.5, pytest.approx(19 / 6))
    assert [dialog_2024[f"share_{step}"] for step in range(1, 6)] == pytest.approx([1 / 6] * 2 + [1 / 6, 2 / 6, 1 / 6])
    assert (dialog_2025["n"], dialog_2025["agree_share"]) == (5, pytest.approx(5 / 7))
    assert dialog_2025["change"] == pytest.approx(5 / 7 - 0.5)
    quality = figures.loc[(2024, "kvalitet")]
    assert quality["n"] == 4 and quality[["agree_share", "mean", "share_5", "change"]].isna().all()


def test_the_json_has_every_principle_and_null_below_five(surveyed, monkeypatch):
    monkeypatch.setattr("civsam.db.open_store", lambda *args: surveyed)
    result = CliRunner().invoke(cli, ["survey", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    years = json.loads(result.stdout)["years"]
    assert list(years) == ["2024", "2025"]
    assert years["2024"]["responses"] == 7 and list(years["2024"]["principles"]) == list(PRINCIPLES)
    assert years["2024"]["principles"]["dialog"] == {"n": 6, "agree_share": 0.5, "mean": 3.17}
    assert years["2024"]["principles"]["kvalitet"] == {"n": 4, "agree_share": None, "mean": None}
    assert years["2025"]["principles"]["kvalitet"] == {"n": 1, "agree_share": None, "mean": None}
    assert years["2025"]["principles"]["delaktighet"] == {"n": 0, "agree_share": None, "mean": None}
    only = CliRunner().invoke(cli, ["survey", "--year", "2025", "--json"], catch_exceptions=False)
    assert list(json.loads(only.stdout)["years"]) == ["2025"]
    text = CliRunner().invoke(cli, ["survey", "--year", "2024"], catch_exceptions=False).stdout
    assert "kvalitet: 4 svarande, för få svar" in text and "dialog: 6 svarande, 50 % instämmer" in text


@pytest.mark.parametrize("seldom_met", [5, 4])
def test_often_and_seldom_met_partners_are_compared_only_when_both_groups_have_five(engine, seldom_met):
    log = [["Datum", "Organisation", "Sektor", "Kommun"],
           *([f"2025-0{month}-01", "Samforma", "Ideell", "Umeå"] for month in (1, 2, 3)),
           ["2024-06-01", "Liten förening", "Ideell", "Umeå"]]  # met, but not in the survey's year
    # identical rows are each a response: without an ID, a row's number tells them apart
    answers = [["2025-05-01", "samforma", 5, None, None]] * 5 + [["2025-05-02", "Liten  Förening", 2, 1, None]] * 3 + [
        ["2025-05-03", "Ny förening", 2, None, None]] * (seldom_met - 3) + [["2025-05-04", None, 1, None, None]]
    import_file(engine, workbook_bytes({"Aktiviteter": log, "Enkät": [HEADER, *answers]}), "x.xlsx", user="tester")
    groups = meeting_groups(engine, 2025)
    if seldom_met < 5:
        assert groups.empty
        return
    assert groups.to_dict("records") == [{"group": "often", "n": 5, "agree_share": 1.0, "mean": 5.0},
                                         {"group": "seldom", "n": 5, "agree_share": 0.0, "mean": 13 / 8}]



def test_a_respondent_naming_a_merged_spelling_counts_the_meetings_of_the_organisation_it_was_merged_into(engine):
    from civsam.organisations import merge_organisations
    from civsam.profile import find_organisation

    log = [["Datum", "Organisation", "Sektor", "Kommun"],
           *([f"2025-0{month}-01", "Samforma", "Ideell", "Umeå"] for month in (1, 2)),
           ["2025-03-01", "Samforma Västerbotten", "Ideell", "Umeå"],
           ["2025-04-01", "Liten förening", "Ideell", "Umeå"]]
    answers = [["2025-05-01", "Samforma Västerbotten", 5, None, None]] * 5 + [
        ["2025-05-02", "Liten förening", 2, 1, None]] * 5
    import_file(engine, workbook_bytes({"Aktiviteter": log, "Enkät": [HEADER, *answers]}), "x.xlsx", user="tester")
    keep, remove = (int(find_organisation(engine, name)["id"]) for name in ("Samforma", "Samforma Västerbotten"))
    merge_organisations(engine, keep, remove)
    assert meeting_groups(engine, 2025).to_dict("records") == [
        {"group": "often", "n": 5, "agree_share": 1.0, "mean": 5.0},
        {"group": "seldom", "n": 5, "agree_share": 0.0, "mean": 1.5}]

def test_the_deck_and_the_report_show_too_few_answers_below_five(surveyed, monkeypatch):
    """The survey's slide (its notes hold the table) and sheet: kvalitet 2024 had four respondents."""
    import io

    import openpyxl
    from pptx import Presentation

    from civsam import images
    from civsam.deck import deck_bytes
    from civsam.filters import Filters
    from civsam.presentation import build_story, direct_query
    from civsam.queries import source_facts
    from civsam.report import report_bytes

    monkeypatch.setattr(images, "image", lambda figure, image_format="png": PIXEL)  # the charts are drawn elsewhere
    story = build_story(Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), "sv", direct_query(surveyed))
    assert [chart.key for chart in story.charts][-1] == "survey_principles"
    slide = list(Presentation(io.BytesIO(deck_bytes(story, source_facts(surveyed)))).slides)[-2]
    assert slide.shapes[0].text_frame.text == story.charts[-1].title
    notes = slide.notes_slide.notes_text_frame.text
    assert "2024 | Kvalitet | 4 | för få svar | för få svar" in notes and "2024 | Dialog | 6 | 50\u00a0% |" in notes
    sheet = openpyxl.load_workbook(io.BytesIO(report_bytes(story, source_facts(surveyed))))["Partnernas bild"]
    quality = next(row for row in sheet.iter_rows(values_only=True) if row[:2] == ("2024", "Kvalitet"))
    assert quality[2:5] == (4, "för få svar", "för få svar") and set(quality[6:]) <= {None, ""}


def test_the_follow_up_text_cites_the_latest_survey_up_to_the_period_and_only_groups_of_five(surveyed):
    from civsam.narrative import survey_sentence

    figures = principle_figures(surveyed)
    assert survey_sentence(figures, 2025, "sv") == " I partnerenkäten 2025 instämde 71\u00a0% i dialog."
    assert survey_sentence(figures, 2024, "sv") == " I partnerenkäten 2024 instämde 50\u00a0% i dialog."
    assert survey_sentence(figures, 2023, "sv") == ""
    answers = pd.DataFrame([(2025, n, "dialog", 5) for n in range(5)] + [(2025, n, "mångfald", 4 - n % 2)
                                                                          for n in range(5)],
                           columns=["year", "response_id", "principle", "value"])
    assert survey_sentence(summarise(answers, [2025]), 2025, "sv") == (
        " I partnerenkäten 2025 instämde 100\u00a0% i dialog, mest av principerna, och 60\u00a0% i mångfald, minst.")
