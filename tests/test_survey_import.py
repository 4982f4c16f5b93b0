"""The partner survey comes in as Microsoft Forms exports it, or saved by LibreOffice, or as an Enkät sheet: its
answers stored by statement, unknown questions reported, and never a respondent's name or e-mail."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from conftest import count, rows, workbook_bytes
from sqlalchemy import inspect, text
from test_file_formats import ods_bytes

from civsam.batches import undo_batch
from civsam.importing import import_file
from civsam.survey_questions import STATEMENTS

NAMES = ("Kim Testsson", "kim.testsson@example.org", "Lo Provsson", "lo@example.org")
DIALOG = STATEMENTS[2].swedish  # "Regionen bjuder in oss till dialog i frågor som berör oss."
FEEDBACK = STATEMENTS[3]
FORMS_HEADER = ["ID", "Starttid", "Tidpunkt för slutförande", "E-post", "Namn", "Organisation", DIALOG,
                # the English wording, in capitals without its full stop and with extra spaces, is the same question
                "  " + FEEDBACK.english.upper().removesuffix(".").replace(" ", "  "),
                "Hur hörde ni talas om enkäten?", "Övriga synpunkter"]
FORMS_ROWS = [
    [1, dt.datetime(2025, 5, 2, 9, 0), dt.datetime(2025, 5, 2, 9, 7), NAMES[1], NAMES[0], "Samforma",
     "Instämmer helt", "instämmer delvis", "Mejl", "Mer dialog, tack"],
    [2, dt.datetime(2025, 5, 3, 10, 0), dt.datetime(2025, 5, 3, 10, 4), NAMES[3], NAMES[2], "",
     4, "Vet ej", "Webben", None],
    [3, dt.datetime(2024, 12, 31, 23, 50), dt.datetime(2025, 1, 1, 0, 5), "anonymous", "", "Rädda Barnen",
     "1", "", "", None],
]


def forms_export() -> list[list]:
    """A fresh copy each time: a test may change a cell."""
    return [list(FORMS_HEADER), *map(list, FORMS_ROWS)]


def stored_answers(engine) -> list[tuple]:
    return rows(engine, "SELECT r.year, r.organisation, a.principle, a.statement, a.value FROM survey_answers a "
                        "JOIN survey_responses r ON r.id = a.response_id ORDER BY r.completed, a.statement")


# the third response was completed on New Year's Day: 2025, though started in 2024
EXPECTED = [(2025, "Rädda Barnen", "dialog", "dialog:1", 1),
            (2025, "Samforma", "dialog", "dialog:1", 5), (2025, "Samforma", "dialog", "dialog:2", 3),
            (2025, None, "dialog", "dialog:1", 4)]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_forms_export_and_the_same_answers_saved_by_libreoffice_import_alike(engine, fmt):
    if fmt == "xlsx":
        content, name = workbook_bytes({"Sheet1": forms_export()}), "Partnerenkät 2025.xlsx"
    else:
        content, name = ods_bytes({"Blad1": pd.DataFrame(FORMS_ROWS, columns=FORMS_HEADER)}), "enkat.ods"
    report = import_file(engine, content, name, user="tester")
    assert report.error is None and report.exit_code == 0
    assert (report.imported, report.rows_read) == (3, 3)
    assert report.unknown_questions == ["Hur hörde ni talas om enkäten?"]  # reported by its text, not guessed
    assert report.ignored_columns == []
    assert report.personal_data_left_out == ["E-post", "Namn"]
    assert stored_answers(engine) == EXPECTED
    assert rows(engine, "SELECT comment FROM survey_responses WHERE comment IS NOT NULL") == [("Mer dialog, tack",)]


def test_no_name_or_e_mail_is_anywhere_in_the_store(engine):
    report = import_file(engine, workbook_bytes({"Sheet1": forms_export()}), "enkät.xlsx", user="tester")
    assert report.imported == 3
    undo_batch(engine, report.batch_id, "tester")  # the undo's audit entry and the batch hold nothing of them either
    import_file(engine, workbook_bytes({"Sheet1": forms_export()}), "enkät.xlsx", user="tester")
    text_found = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                text_found += [str(value) for value in row if value is not None]
    everything = "\n".join(text_found).casefold()
    assert "samforma" in everything  # the scan reads what was imported
    assert not [name for name in NAMES if name.casefold() in everything]
    assert "anonymous" not in everything


def test_a_sheet_named_enkat_with_datum_imports_and_a_repeat_is_a_duplicate(engine):
    sheet = {"Enkät": [["Datum", DIALOG.removesuffix("."), "Okänd fråga"], ["2024-04-01", "Instämmer till stor del",
                                                                           "x"]]}
    first = import_file(engine, workbook_bytes(sheet), "enkat.xlsx", user="tester")
    again = import_file(engine, workbook_bytes(sheet), "enkat.xlsx", user="tester")
    assert (first.imported, again.imported, again.duplicates) == (1, 0, 1)
    assert first.unknown_questions == ["Okänd fråga"] and first.personal_data_left_out == []
    assert rows(engine, "SELECT year, value FROM survey_responses JOIN survey_answers ON response_id = id") == [
        (2024, 4)]


def test_an_answer_off_the_scale_rejects_its_row_and_undo_takes_the_rest_back(engine):
    export = forms_export()
    export[2][6] = "Kanske"
    report = import_file(engine, workbook_bytes({"Sheet1": export}), "enkät.xlsx", user="tester")
    assert report.exit_code == 1 and report.imported == 2
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(3, DIALOG, "Kanske")]
    assert "Instämmer helt" in report.rejected[0].message
    undo_batch(engine, report.batch_id, "tester")
    assert count(engine, "survey_responses") == count(engine, "survey_answers") == 0


def test_an_activity_log_is_not_taken_for_a_survey(engine):
    log = [["Datum", "Organisation", "Kommun", "Sektor"], ["2025-03-04", "Samforma", "Umeå", "Ideell"]]
    report = import_file(engine, workbook_bytes({"Blad1": log}), "logg.xlsx", user="tester")
    assert report.imported == 1 and count(engine, "activities") == 1 and count(engine, "survey_responses") == 0


def test_the_survey_template_lists_every_question_and_its_enkat_sheet_imports(engine, tmp_path, capsys):
    from civsam.cli import main

    path = tmp_path / "enkat.xlsx"
    assert main(["template", "--enkat", str(path)]) == 0
    workbook = openpyxl.load_workbook(path)
    questions = [row[1] for row in workbook["Frågor"].iter_rows(min_row=2, values_only=True)]
    assert questions == ["Organisation", *(statement.swedish for statement in STATEMENTS), "Övriga synpunkter"]
    assert "Instämmer helt; Instämmer till stor del" in workbook["Frågor"]["F3"].value
    sheet = workbook["Enkät"]
    sheet.append(["2025-06-01", "Samforma", *range(1, 6), *["Vet ej"] * (len(STATEMENTS) - 5), "Bra"])
    workbook.save(path)
    report = import_file(engine, path.read_bytes(), "enkat.xlsx", user="tester")
    assert (report.imported, report.unknown_questions, report.rejected) == (1, [], [])
    assert rows(engine, "SELECT statement, value FROM survey_answers ORDER BY value") == [
        (statement.key, value) for value, statement in enumerate(STATEMENTS[:5], start=1)]


def test_the_command_line_names_unknown_questions_and_what_it_left_out(tmp_path, monkeypatch, capsys):
    from civsam.cli import main

    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'civsam.db'}")
    path = tmp_path / "enkät.xlsx"
    path.write_bytes(workbook_bytes({"Sheet1": forms_export()}))
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Okända frågor, inte importerade: Hur hörde ni talas om enkäten?" in out
    assert "Personuppgifter som inte sparas: E-post, Namn" in out and NAMES[0] not in out


def test_answers_imported_after_the_demo_take_new_ids(engine):
    """The demo's responses go in with ids reserved from PostgreSQL's sequence, so an import after it collides with
    none of them."""
    from civsam.demo import SURVEY_RESPONDENTS, seed_demo

    seed_demo(engine, 50, today=dt.date(2025, 12, 31))
    report = import_file(engine, workbook_bytes({"Sheet1": forms_export()}), "enkät.xlsx", user="tester")
    assert report.error is None and report.imported == 3
    assert count(engine, "survey_responses") == sum(SURVEY_RESPONDENTS) + 3
