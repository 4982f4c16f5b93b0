"""Umbrella organisations and their members: the Medlem i column, its errors, undo and merging."""

import pytest
from conftest import rows, workbook_bytes

from civsam.batches import undo_batch
from civsam.importing import import_file
from civsam.organisations import MergeError, merge_organisations

HEADER = ["Organisation", "Sektor", "Medlem i"]


def register(*rows_, header=HEADER) -> bytes:
    return workbook_bytes({"Organisationer": [header, *rows_]})


def memberships(engine) -> set[tuple[str, str]]:
    """(member, umbrella) of every stored membership."""
    return set(rows(engine, """
        SELECT member.name, umbrella.name FROM organisation_memberships m
        JOIN organisations member ON member.id = m.member_id JOIN organisations umbrella ON umbrella.id = m.umbrella_id
    """))


def import_ok(engine, content: bytes):
    report = import_file(engine, content, "register.xlsx")
    assert report.rejected == [] and report.batch_id
    return report


@pytest.mark.parametrize("header", ["Medlem i", "Paraplyorganisation", "Member of"])
def test_an_umbrella_on_a_later_row_or_already_stored_is_found_by_any_spelling(engine, header):
    import_ok(engine, register(["Bilda Nord", "Civilsamhälle", ""], ["Bilda Norr", "Civilsamhälle", ""]))
    ids = dict(rows(engine, "SELECT name, id FROM organisations"))
    merge_organisations(engine, ids["Bilda Nord"], ids["Bilda Norr"])  # a merged spelling
    report = import_ok(engine, register(
        ["Rädda Barnen Västerbotten", "Civilsamhälle", " samforma ; BILDA nord"],  # Samforma stands later
        ["Studiefrämjandet", "Civilsamhälle", "bilda norr"],  # the merged spelling finds Bilda Nord
        ["Samforma", "Civilsamhälle", ""], header=["Organisation", "Sektor", header]))
    assert (report.imported, report.updated, report.duplicates) == (3, 0, 0)
    assert memberships(engine) == {("Rädda Barnen Västerbotten", "Samforma"),
                                   ("Rädda Barnen Västerbotten", "Bilda Nord"), ("Studiefrämjandet", "Bilda Nord")}


def test_an_unknown_umbrella_rejects_the_row_with_a_suggestion_and_stores_nothing_of_it(engine):
    import_ok(engine, register(["Samforma", "Civilsamhälle", ""]))
    report = import_file(engine, register(["Rädda Barnen Västerbotten", "Civilsamhälle", "Samfoma"],
                                          ["Bilda Nord", "Civilsamhälle", "Samforma"]), "register.xlsx")
    (rejection,) = report.rejected
    assert (rejection.row, rejection.column, rejection.value) == (2, "Medlem i", "Samfoma")
    assert "Samfoma finns inte i organisationsregistret. Menar du Samforma?" in rejection.message
    assert report.imported == 1
    assert memberships(engine) == {("Bilda Nord", "Samforma")}


def test_a_row_whose_umbrella_was_rejected_is_rejected_too(engine):
    report = import_file(engine, register(["Rädda Barnen Västerbotten", "Civilsamhälle", "Samforma"],
                                          ["Samforma", "förening", ""]), "register.xlsx")
    assert [(rejection.row, rejection.column) for rejection in report.rejected] == [(3, "Sektor"), (2, "Medlem i")]
    assert report.rejected[1].message.startswith("Samforma avvisades, se rad 3. Rätta den raden")
    assert rows(engine, "SELECT name FROM organisations") == []


@pytest.mark.parametrize("cycle", [
    [["Samforma", "Civilsamhälle", "Samforma"]],
    [["Samforma", "Civilsamhälle", "Bilda Nord"], ["Bilda Nord", "Civilsamhälle", "Samforma"]],
])
def test_an_organisation_cannot_be_its_own_member(engine, cycle):
    report = import_file(engine, register(*cycle), "register.xlsx")
    assert len(report.rejected) == len(cycle)
    assert "Medlemskapen går runt: Samforma → " in report.rejected[0].message
    assert memberships(engine) == set()


def test_a_cycle_through_stored_memberships_is_refused(engine):
    import_ok(engine, register(["A", "Civilsamhälle", "B"], ["B", "Civilsamhälle", "C"], ["C", "Civilsamhälle", ""]))
    report = import_file(engine, register(["C", "Civilsamhälle", "A"]), "register.xlsx")
    (rejection,) = report.rejected
    assert "Medlemskapen går runt: C → A → B → C." in rejection.message
    assert memberships(engine) == {("A", "B"), ("B", "C")}


def test_a_membership_change_is_undone_and_a_blank_cell_keeps_it(engine):
    import_ok(engine, register(["Samforma", "Civilsamhälle", ""], ["Bilda Nord", "Civilsamhälle", ""],
                               ["Rädda Barnen Västerbotten", "Civilsamhälle", "Samforma"]))
    kept = import_ok(engine, register(["Rädda Barnen Västerbotten", "Civilsamhälle", ""]))
    assert (kept.updated, kept.duplicates) == (0, 1)
    changed = import_ok(engine, register(["Rädda Barnen Västerbotten", "Civilsamhälle", "Bilda Nord; Folkrörelse"],
                                         ["Folkrörelse", "Civilsamhälle", ""]))
    assert (changed.imported, changed.updated) == (1, 1)
    assert memberships(engine) == {("Rädda Barnen Västerbotten", "Bilda Nord"),
                                   ("Rädda Barnen Västerbotten", "Folkrörelse")}
    undo_batch(engine, changed.batch_id)
    assert memberships(engine) == {("Rädda Barnen Västerbotten", "Samforma")}
    assert "Folkrörelse" not in {name for (name,) in rows(engine, "SELECT name FROM organisations")}


def test_an_umbrella_a_later_import_gave_members_stays_when_the_import_creating_it_is_undone(engine):
    created = import_ok(engine, register(["Samforma", "Civilsamhälle", ""]))
    import_ok(engine, register(["Bilda Nord", "Civilsamhälle", "Samforma"]))
    undo_batch(engine, created.batch_id)
    assert memberships(engine) == {("Bilda Nord", "Samforma")}


def test_merging_two_spellings_moves_their_memberships(engine):
    import_ok(engine, register(["Samforma", "Civilsamhälle", ""], ["Rädda Barnen", "Civilsamhälle", ""],
                               ["Samforma Västerbotten", "Civilsamhälle", "Rädda Barnen"],
                               ["Bilda Nord", "Civilsamhälle", "Samforma Västerbotten"]))
    ids = dict(rows(engine, "SELECT name, id FROM organisations"))
    merge_organisations(engine, ids["Samforma"], ids["Samforma Västerbotten"])
    assert memberships(engine) == {("Bilda Nord", "Samforma"), ("Samforma", "Rädda Barnen")}


def test_a_merge_that_would_make_a_cycle_is_refused(engine):
    import_ok(engine, register(["Samforma", "Civilsamhälle", "Bilda Nord"], ["Bilda Nord", "Civilsamhälle", ""],
                               ["Samforma VB", "Civilsamhälle", ""]))
    import_ok(engine, register(["Bilda Nord", "Civilsamhälle", "Samforma VB"]))
    ids = dict(rows(engine, "SELECT name, id FROM organisations"))
    with pytest.raises(MergeError, match="medlemmar i varandra"):
        merge_organisations(engine, ids["Samforma"], ids["Samforma VB"])
    assert memberships(engine) == {("Samforma", "Bilda Nord"), ("Bilda Nord", "Samforma VB")}
