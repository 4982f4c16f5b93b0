"""Undoing an import: what it added goes, what it updated gets its earlier values back."""

import datetime as dt

import pytest
from conftest import count, rows, snapshot, without_batches, workbook_bytes

from civsam.batches import UndoError, list_batches, undo_batch
from civsam.importing import import_file

HEADER = ["Datum", "Organisation", "Sektor", "Kommun", "Timmar", "Ansvarig", "ID"]
ORGANISATION_HEADER = ["Organisation", "Sektor", "Typ", "Kommun"]
RESOURCE_HEADER = ["År", "Sektor", "Årsarbetskrafter", "Budget (kr)"]


def first_file() -> bytes:
    return workbook_bytes({
        "Organisationer": [ORGANISATION_HEADER, ["Samforma", "Ideell", "Paraplyorganisation", "Umeå"]],
        "Resurser": [RESOURCE_HEADER, [2025, "Näringsliv", 7.5, 6_000_000], [2025, "Ideell", 0.4, 150_000]],
        "Aktiviteter": [HEADER,
                        [dt.date(2025, 3, 4), "Samforma", "", "Umeå", 2, "Anna", "A-1"],
                        [dt.date(2025, 3, 5), "Samforma; LKAB", "Näringsliv", "Kiruna", 3, "Anna", "A-2"],
                        [dt.date(2025, 3, 6), "Bilda Nord", "Ideell", "Luleå", 1, "", ""]],
    })


def second_file() -> bytes:
    """Updates A-1 (other hours, organisations and responsible), the organisation and a resource; adds new rows."""
    return workbook_bytes({
        "Organisationer": [ORGANISATION_HEADER, ["Samforma", "Ideell", "Studieförbund", "Luleå"]],
        "Resurser": [RESOURCE_HEADER, [2025, "Näringsliv", 9, 7_000_000], [2026, "Akademi", 1, 100_000]],
        "Aktiviteter": [HEADER,
                        [dt.date(2025, 3, 4), "Almi Nord; Bilda Nord", "Näringsliv", "Umeå", 8, "Bo", "A-1"],
                        [dt.date(2025, 3, 5), "Samforma; LKAB", "Näringsliv", "Kiruna", 3, "Anna", "A-2"],
                        [dt.date(2025, 4, 1), "LTU", "Akademi", "Luleå", 2, "Bo", ""]],
    })


def import_ok(engine, content: bytes) -> int:
    report = import_file(engine, content, "logg.xlsx")
    assert report.exit_code == 0, report.rejected
    return report.batch_id


def test_undo_removes_everything_the_import_added(engine):
    empty = without_batches(snapshot(engine))
    batch_id = import_ok(engine, first_file())
    assert count(engine, "activities") == 3 and count(engine, "organisations") == 3
    undo_batch(engine, batch_id)
    assert without_batches(snapshot(engine)) == empty
    assert count(engine, "municipalities") == 29
    (undone_at,) = rows(engine, "SELECT undone_at FROM import_batches WHERE id = ?", (batch_id,))[0]
    assert undone_at is not None


def test_undo_gives_updated_rows_their_earlier_values(engine):
    import_ok(engine, first_file())
    before = without_batches(snapshot(engine))
    second = import_file(engine, second_file(), "logg.xlsx")
    assert (second.imported, second.updated, second.duplicates) == (2, 3, 1)
    assert rows(engine, "SELECT hours FROM activities WHERE external_id = 'A-1'") == [(8.0,)]
    assert rows(engine, "SELECT type, municipality_code FROM organisations WHERE name = 'Samforma'") == [
        ("Studieförbund", "2580")]
    undo_batch(engine, second.batch_id)
    # values, organisation links, responsible person, which batch wrote the row: all as before
    assert without_batches(snapshot(engine)) == before


def test_undoing_both_imports_newest_first_empties_the_store(engine):
    empty = without_batches(snapshot(engine))
    first = import_ok(engine, first_file())
    second = import_ok(engine, second_file())
    undo_batch(engine, second)
    undo_batch(engine, first)
    assert without_batches(snapshot(engine)) == empty


def test_undoing_the_older_import_first_keeps_what_the_newer_one_wrote(engine):
    empty = without_batches(snapshot(engine))
    first = import_ok(engine, first_file())
    second = import_ok(engine, second_file())
    undo_batch(engine, first)
    # A-1 was last written by the second import: it stays, with the second import's values
    assert rows(engine, "SELECT external_id, hours FROM activities WHERE external_id IS NOT NULL") == [("A-1", 8.0)]
    # the second import's resource update stays; the first import's other resource goes
    assert rows(engine, "SELECT year, sector, fte FROM resources ORDER BY year") == [(2025, "business", 9.0),
                                                                                     (2026, "academia", 1.0)]
    undo_batch(engine, second)
    assert without_batches(snapshot(engine)) == empty


def test_organisations_a_batch_created_go_unless_a_later_batch_uses_them(engine):
    first = import_ok(engine, workbook_bytes({
        "Organisationer": [ORGANISATION_HEADER, ["Oanvänd förening", "Ideell", "", ""]],
        "Aktiviteter": [HEADER,
                        [dt.date(2025, 3, 4), "Byaföreningen Malå; Visit Lycksele", "Ideell", "Malå", 1, "", ""]],
    }))
    import_ok(engine, workbook_bytes({
        "Aktiviteter": [HEADER, [dt.date(2025, 5, 4), "byaföreningen malå", "", "Malå", 2, "", ""]]}))
    undo_batch(engine, first)
    assert rows(engine, "SELECT name, sector, created_batch_id FROM organisations") == [
        ("Byaföreningen Malå", "civil_society", first)]
    assert rows(engine, "SELECT date FROM activities") == [("2025-05-04",)]


def test_undo_of_an_import_that_updated_organisation_links_restores_the_links(engine):
    import_ok(engine, workbook_bytes({"Aktiviteter": [
        HEADER, [dt.date(2025, 3, 4), "Samforma; LKAB", "Ideell", "Umeå", 1, "", "L-1"]]}))
    links = rows(engine, "SELECT activity_id, organisation_id FROM activity_organisations ORDER BY organisation_id")
    second = import_ok(engine, workbook_bytes({"Aktiviteter": [
        HEADER, [dt.date(2025, 3, 4), "Samforma; Norrlandsfonden", "Näringsliv", "Umeå", 1, "", "L-1"]]}))
    assert len(rows(engine, "SELECT * FROM activity_organisations")) == 2
    assert rows(engine, "SELECT activity_id, organisation_id FROM activity_organisations "
                        "ORDER BY organisation_id") != links
    undo_batch(engine, second)
    assert rows(engine, "SELECT activity_id, organisation_id FROM activity_organisations "
                        "ORDER BY organisation_id") == links
    assert "Norrlandsfonden" not in {name for (name,) in rows(engine, "SELECT name FROM organisations")}


def test_undoing_twice_is_an_error(engine):
    batch_id = import_ok(engine, first_file())
    undo_batch(engine, batch_id)
    after_first_undo = snapshot(engine)
    with pytest.raises(UndoError, match="redan ångrad"):
        undo_batch(engine, batch_id)
    assert snapshot(engine) == after_first_undo


@pytest.mark.parametrize("batch_id", [0, 2, 999, -1])
def test_an_unknown_batch_is_an_error(engine, batch_id):
    import_ok(engine, first_file())
    before = snapshot(engine)
    with pytest.raises(UndoError, match=f"ingen import med nummer {batch_id}"):
        undo_batch(engine, batch_id)
    assert snapshot(engine) == before


def test_an_undone_file_can_be_imported_again(engine):
    first = import_ok(engine, first_file())
    undo_batch(engine, first)
    report = import_file(engine, first_file(), "logg.xlsx")
    assert (report.imported, report.duplicates) == (6, 0)


def test_batches_are_listed_newest_first_with_their_counts_and_undo_state(engine):
    first = import_ok(engine, first_file())
    second = import_ok(engine, second_file())
    undo_batch(engine, first)
    listed = list_batches(engine)
    assert list(listed["id"]) == [second, first]
    assert list(listed["imported"]) == [2, 6]
    assert listed["undone_at"].notna().tolist() == [False, True]


def test_undoing_an_import_keeps_what_a_later_import_wrote_over_it(engine):
    def import_hours(hours: int) -> int:
        return import_ok(engine, workbook_bytes({"Aktiviteter": [
            HEADER, [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå", hours, "", "M-1"]]}))

    february, march, april = import_hours(1), import_hours(2), import_hours(3)
    undo_batch(engine, march)
    # April's import still stands, and it is the one that last wrote M-1
    assert rows(engine, "SELECT hours, batch_id FROM activities") == [(3.0, april)]
    undo_batch(engine, april)
    # with March undone, M-1 is back as February's import left it: not gone, February still stands
    assert rows(engine, "SELECT hours, batch_id FROM activities") == [(1.0, february)]
    undo_batch(engine, february)
    assert count(engine, "activities") == 0


def test_a_resource_updated_by_two_imports_keeps_the_later_figure_when_the_middle_one_is_undone(engine):
    def import_fte(fte: float) -> int:
        return import_ok(engine, workbook_bytes({"Resurser": [RESOURCE_HEADER, [2025, "Näringsliv", fte, 1]]}))

    first, middle, last = import_fte(1), import_fte(2), import_fte(3)
    undo_batch(engine, middle)
    assert rows(engine, "SELECT fte, batch_id FROM resources") == [(3.0, last)]
    undo_batch(engine, last)
    assert rows(engine, "SELECT fte, batch_id FROM resources") == [(1.0, first)]


def test_undoing_one_of_several_imports_that_wrote_a_row_keeps_the_others(engine):
    def import_hours(hours: int) -> int:
        return import_ok(engine, workbook_bytes({"Aktiviteter": [
            HEADER, [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå", hours, "", "M-1"]]}))

    batches = {hours: import_hours(hours) for hours in (1, 2, 3, 4)}
    undo_batch(engine, batches[2])
    assert rows(engine, "SELECT hours FROM activities") == [(4.0,)]
    undo_batch(engine, batches[4])
    assert rows(engine, "SELECT hours, batch_id FROM activities") == [(3.0, batches[3])]
    undo_batch(engine, batches[3])
    assert rows(engine, "SELECT hours, batch_id FROM activities") == [(1.0, batches[1])]


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_undoing_imports_that_updated_an_organisation_in_any_order(engine, order):
    def import_type(kind: str) -> int:
        return import_ok(engine, workbook_bytes({"Organisationer": [["Organisation", "Sektor", "Typ"],
                                                                    ["Samforma", "Ideell", kind]]}))

    import_type("Förening")
    later = {1: import_type("Paraplyorganisation"), 2: import_type("Studieförbund")}
    undo_batch(engine, later[order[0]])
    remaining = order[1]
    assert rows(engine, "SELECT type FROM organisations") == [
        ({1: "Paraplyorganisation", 2: "Studieförbund"}[remaining],)]
    undo_batch(engine, later[remaining])
    assert rows(engine, "SELECT type FROM organisations") == [("Förening",)]


def test_undoing_an_older_organisation_update_keeps_what_the_newer_one_changed(engine):
    header = ["Organisation", "Sektor", "Typ", "Organisationsnummer"]
    import_ok(engine, workbook_bytes({"Organisationer": [header, ["Samforma", "Ideell", "Förening", ""]]}))
    older = import_ok(engine, workbook_bytes({"Organisationer": [header, ["Samforma", "Ideell", "Paraply", ""]]}))
    newer = import_ok(engine, workbook_bytes({"Organisationer": [header, ["Samforma", "Ideell", "", "802002-4280"]]}))
    undo_batch(engine, older)
    assert rows(engine, "SELECT type, org_number FROM organisations") == [("Förening", "802002-4280")]
    undo_batch(engine, newer)
    assert rows(engine, "SELECT type, org_number FROM organisations") == [("Förening", None)]


def test_a_responsible_person_an_update_replaced_comes_back_with_the_undo(engine):
    def import_responsible(name: str, day: int = 4) -> int:
        return import_ok(engine, workbook_bytes({"Aktiviteter": [
            HEADER, [dt.date(2025, 3, day), "Samforma", "Ideell", "Umeå", 1, name, f"P-{day}"]]}))

    import_responsible("Anna")
    replaced = import_responsible("Bo")
    unrelated = import_responsible("Cecilia", day=9)
    undo_batch(engine, unrelated)  # Anna is named by no activity now, only by the earlier values of P-4
    undo_batch(engine, replaced)
    assert rows(engine, "SELECT people.name FROM activities JOIN people ON people.id = responsible_id") == [("Anna",)]
    assert rows(engine, "SELECT name FROM people") == [("Anna",)]
