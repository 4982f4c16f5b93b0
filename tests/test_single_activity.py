"""One activity added, edited or deleted without a workbook: the import's rules and messages, one batch each, in the
audit log, and undone like an import, a delete brought back whole."""

import datetime as dt

import pytest
from conftest import activity_log, count, rows, snapshot, without_batches
from sqlalchemy import insert

from civsam.audit import entries
from civsam.batches import undo_batch
from civsam.importing import import_file
from civsam.importing.single_activity import (
    ActivityRefused,
    UnknownActivity,
    add_activity,
    delete_activity,
    edit_activity,
)
from civsam.models import Agreement

# a stored register: Samforma (civil society) and Skanska (business), and the agreement Samforma AF
STORED = activity_log(["2025-01-10", "Samforma", "Civilsamhälle", "Umeå"],
                      ["2025-01-11", "Skanska", "Näringsliv", "Luleå"])
MEETING = {"date": "2025-03-04", "organisations": ["Samforma"], "municipality": "Lycksele", "hours": "1,5"}


@pytest.fixture
def stored(engine):
    import_file(engine, STORED, "register.xlsx", user="anna")
    with engine.begin() as connection:
        connection.execute(insert(Agreement).values(name="Samforma AF", name_key="samforma af", kind="IOP",
                                                    signed=dt.date(2024, 1, 1)))
    return engine


def test_an_added_activity_is_stored_with_a_new_partner_as_a_batch_recorded_and_undone(stored):
    before = snapshot(stored)
    saved = add_activity(stored, {**MEETING, "organisations": ["Samforma", "Umeå Kajakklubb"],
                                  "sector": "Civilsamhälle", "agreement": "samforma af", "youth": True,
                                  "responsible": "Anna Andersson", "title": "Planering"}, user="bertil")
    assert rows(stored, "SELECT date, municipality_code, county, hours, youth, title, sectors FROM activities "
                        "WHERE id = ?", (saved.id,)) == [("2025-03-04", "2481", "Västerbotten", 1.5, 1, "Planering", 1)]
    assert rows(stored, "SELECT o.name, l.date, l.county FROM activity_organisations l JOIN organisations o "
                        "ON o.id = l.organisation_id WHERE activity_id = ? ORDER BY o.name", (saved.id,)) == [
        ("Samforma", "2025-03-04", "Västerbotten"), ("Umeå Kajakklubb", "2025-03-04", "Västerbotten")]
    assert rows(stored, 'SELECT kind, "user", file_name, imported FROM import_batches WHERE id = ?',
                (saved.batch,)) == [
        ("add", "bertil", f"Ny aktivitet {saved.id}: 2025-03-04, Samforma, Umeå Kajakklubb", 1)]
    audit = entries(stored).iloc[0]
    assert (audit.action, audit.user, audit.batch_id) == ("add", "bertil", saved.batch)
    undo_batch(stored, saved.batch)
    assert without_batches(snapshot(stored)) == without_batches(before)  # the new organisation went too


@pytest.mark.parametrize("values, problems", [
    ({**MEETING, "municipality": "Skelefteå"}, [("Kommun", "Menar du Skellefteå?")]),
    ({**MEETING, "organisations": ["Nya föreningen"]}, [("Sektor", "Nya föreningen finns inte i organisations")]),
    ({**MEETING, "agreement": "Samforma avtal"}, [("Avtal", "Menar du Samforma AF?")]),
    ({**MEETING, "municipality": None}, [("Kommun", "Kommun eller län saknas")]),
    ({"organisations": ["Samforma"], "hours": "en timme", "municipality": "Lycksele"},
     [("Datum", "Datum saknas"), ("Timmar", "Timmar ska vara ett tal")]),
    ({**MEETING, "organisations": []}, [("Organisation", "Organisation saknas")]),
    ({**MEETING, "date": "2025-01-10", "organisations": ["Samforma"], "municipality": "Umeå", "hours": None},
     [("", "Samma aktivitet finns redan, som nummer 1")]),
])
def test_a_refused_activity_stores_nothing_and_says_each_problem_as_the_import_does(sqlite_engine, values,
                                                                                    problems):
    import_file(sqlite_engine, STORED, "register.xlsx")
    with sqlite_engine.begin() as connection:
        connection.execute(insert(Agreement).values(name="Samforma AF", name_key="samforma af", kind="IOP",
                                                    signed=dt.date(2024, 1, 1)))
    before = snapshot(sqlite_engine)
    with pytest.raises(ActivityRefused) as refused:
        add_activity(sqlite_engine, values)
    assert [column for column, _ in refused.value.problems] == [column for column, _ in problems]
    assert all(expected in message for (_, expected), (_, message) in zip(problems, refused.value.problems))
    assert snapshot(sqlite_engine) == before


def test_undoing_an_edit_gives_the_earlier_values_and_partners_back(stored):
    saved = add_activity(stored, {**MEETING, "agreement": "Samforma AF", "responsible": "Anna Andersson"})
    before = snapshot(stored)
    edited = edit_activity(stored, saved.id, {"organisations": ["Skanska"], "county": "Norrbotten", "agreement": None,
                                              "responsible": "Bertil Berg", "title": "Flyttat"})
    assert edited.id == saved.id
    assert rows(stored, "SELECT municipality_code, county, title, agreement_id, hours, sectors FROM activities "
                        "WHERE id = ?", (saved.id,)) == [(None, "Norrbotten", "Flyttat", None, 1.5, 2)]
    assert rows(stored, "SELECT o.name, l.county FROM activity_organisations l JOIN organisations o "
                        "ON o.id = l.organisation_id WHERE activity_id = ?", (saved.id,)) == [("Skanska", "Norrbotten")]
    assert rows(stored, "SELECT kind, file_name, updated FROM import_batches WHERE id = ?", (edited.batch,)) == [
        ("edit", f"Ändrad aktivitet {saved.id}: 2025-03-04, Skanska", 1)]
    undo_batch(stored, edited.batch)
    assert without_batches(snapshot(stored)) == without_batches(before)  # Bertil Berg, named nowhere else, went


def test_an_edit_is_checked_like_an_add_and_an_unchanged_or_unknown_one_is_refused(stored):
    saved = add_activity(stored, MEETING)
    before = snapshot(stored)
    with pytest.raises(ActivityRefused, match="Menar du Skellefteå"):
        edit_activity(stored, saved.id, {"municipality": "Skelefteå"})
    with pytest.raises(ActivityRefused, match="Inga ändringar"):
        edit_activity(stored, saved.id, {"hours": 1.5})
    with pytest.raises(UnknownActivity, match="Det finns ingen aktivitet med nummer 999"):
        edit_activity(stored, 999, {"hours": 2})
    with pytest.raises(UnknownActivity):
        delete_activity(stored, 999)
    assert snapshot(stored) == before


def test_undoing_a_delete_brings_the_activity_back_whole_under_its_own_id(stored):
    saved = add_activity(stored, {**MEETING, "organisations": ["Samforma", "Skanska"], "agreement": "Samforma AF",
                                  "responsible": "Anna Andersson", "participants": 12, "cost": "1 500 kr",
                                  "youth": "Ja", "project": "Unga röster", "comment": "Bra möte"})
    before = snapshot(stored)
    deleted = delete_activity(stored, saved.id, user="bertil")
    assert count(stored, "activities", f"id = {saved.id}") == 0
    assert count(stored, "people", "name = 'Anna Andersson'") == 1  # kept for the undo
    assert rows(stored, "SELECT kind, file_name FROM import_batches WHERE id = ?", (deleted.batch,)) == [
        ("delete", f"Borttagen aktivitet {saved.id}: 2025-03-04, Samforma, Skanska")]
    later = add_activity(stored, {**MEETING, "title": "Ett annat möte"})
    assert later.id > saved.id  # the deleted activity's id is never given again
    undo_batch(stored, later.batch)
    undo_batch(stored, deleted.batch)
    assert without_batches(snapshot(stored)) == without_batches(before)  # partners, link facts, sector mask too
