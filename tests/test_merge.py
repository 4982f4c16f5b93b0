"""Merging two spellings of one organisation keeps every activity, and the old spelling keeps working."""

import pytest
from conftest import activity_log, count, rows

from civsam.batches import undo_batch
from civsam.importing import import_file
from civsam.organisations import MergeError, merge_organisations


def organisation_id(engine, name):
    return rows(engine, "SELECT id FROM organisations WHERE name = ?", (name,))[0][0]


@pytest.fixture
def two_spellings(engine):
    log = activity_log(["2025-03-04", "Rädda Barnen Västerbotten", "civilsamhälle", "Umeå"],
                       ["2025-03-05", "Rädda Barnen VB", "civilsamhälle", "Umeå"],
                       ["2025-03-06", "Rädda Barnen VB; Rädda Barnen Västerbotten", "civilsamhälle", "Lycksele"])
    assert import_file(engine, log, "logg.xlsx").imported == 3
    return engine


def test_merge_moves_every_activity_and_removes_the_other_spelling(two_spellings):
    engine = two_spellings
    keep, remove = organisation_id(engine, "Rädda Barnen Västerbotten"), organisation_id(engine, "Rädda Barnen VB")
    assert merge_organisations(engine, keep, remove) == 2
    assert count(engine, "organisations") == 1
    assert count(engine, "activity_organisations", f"organisation_id = {keep}") == 3
    assert count(engine, "activities") == 3


def test_the_next_upload_with_the_old_spelling_finds_the_kept_organisation(two_spellings):
    engine = two_spellings
    keep, remove = organisation_id(engine, "Rädda Barnen Västerbotten"), organisation_id(engine, "Rädda Barnen VB")
    merge_organisations(engine, keep, remove)
    report = import_file(engine, activity_log(["2025-04-01", "rädda barnen vb", "", "Umeå"]), "april.xlsx")
    assert report.rejected == [] and report.imported == 1
    assert count(engine, "organisations") == 1


def test_undo_after_a_merge_still_restores(engine):
    header = ["ID", "Datum", "Organisation", "Sektor", "Kommun"]
    first = activity_log(["A1", "2025-03-04", "Samforma", "civilsamhälle", "Umeå"], header=header)
    import_file(engine, first, "1.xlsx")
    changed = import_file(engine, activity_log(["A1", "2025-03-04", "Samforma 2", "civilsamhälle", "Umeå"],
                                               header=header), "2.xlsx")
    assert changed.updated == 1
    merge_organisations(engine, organisation_id(engine, "Samforma 2"), organisation_id(engine, "Samforma"))
    undo_batch(engine, changed.batch_id)
    assert rows(engine, "SELECT o.name FROM activity_organisations ao JOIN organisations o "
                        "ON o.id = ao.organisation_id") == [("Samforma 2",)]


@pytest.mark.parametrize("keep, remove", [(1, 1), (1, 999)])
def test_a_merge_that_cannot_be_done_says_why(two_spellings, keep, remove):
    with pytest.raises(MergeError):
        merge_organisations(two_spellings, keep, remove)


def test_organisations_of_different_sectors_are_not_merged(engine):
    import_file(engine, activity_log(["2025-03-04", "Almi", "näringsliv", "Umeå"],
                                     ["2025-03-05", "Almi förening", "ideell", "Umeå"]), "logg.xlsx")
    with pytest.raises(MergeError, match="har olika sektor"):
        merge_organisations(engine, organisation_id(engine, "Almi"), organisation_id(engine, "Almi förening"))
    assert count(engine, "organisations") == 2
