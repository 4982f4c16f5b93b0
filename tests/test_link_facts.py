"""The copies each organisation link keeps of its activity's and organisation's facts, and each activity's
mask of its organisations' sectors (migration 0005), stay equal to the originals through every kind of
write: import, update, undo, merge, a sector change, the demo."""

from conftest import activity_log, count, rows, workbook_bytes

from civsam.batches import undo_batch
from civsam.demo import seed_demo
from civsam.importing import import_file
from civsam.organisations import merge_organisations
from civsam.reference import SECTOR_BITS

STALE = """
    SELECT COUNT(*) FROM activity_organisations ao
    JOIN activities a ON a.id = ao.activity_id JOIN organisations o ON o.id = ao.organisation_id
    WHERE ao.date IS DISTINCT FROM a.date OR ao.county IS DISTINCT FROM a.county
       OR ao.municipality_code IS DISTINCT FROM a.municipality_code OR ao.project IS DISTINCT FROM a.project
       OR ao.hours IS DISTINCT FROM a.hours OR ao.youth IS DISTINCT FROM a.youth
       OR ao.sector IS DISTINCT FROM o.sector"""
HEADER = ["ID", "Datum", "Organisation", "Sektor", "Kommun", "Projekt", "Timmar"]


SECTOR_BIT = "CASE o.sector " + " ".join(f"WHEN '{sector}' THEN {bit}" for sector, bit in SECTOR_BITS.items()) + " END"
WRONG_MASKS = f"""
    SELECT COUNT(*) FROM activities a
    WHERE a.sectors <> (SELECT COALESCE(SUM(DISTINCT {SECTOR_BIT}), 0)
                        FROM activity_organisations ao JOIN organisations o ON o.id = ao.organisation_id
                        WHERE ao.activity_id = a.id)"""


def stale_links(engine) -> int:
    """Links whose copies differ from the originals, and activities whose sector mask is wrong."""
    return rows(engine, STALE)[0][0] + rows(engine, WRONG_MASKS)[0][0]


def every_kind_of_write(engine) -> None:
    """Import, update, merge, sector change and undo, asserting after each that no link is stale."""
    first = import_file(engine, activity_log(
        ["A-1", "2025-03-04", "Samforma; Rädda Barnen", "Civilsamhälle", "Umeå", "SESIN", 2],
        ["A-2", "2025-03-05", "Rädda Barnen VB", "Civilsamhälle", "Lycksele", "", 1], header=HEADER), "logg.xlsx")
    assert first.imported == 2 and stale_links(engine) == 0
    moved = import_file(engine, activity_log(
        ["A-1", "2025-04-01", "Samforma; Coompanion", "Civilsamhälle", "Piteå", "RUS", 3], header=HEADER), "ny.xlsx")
    assert moved.updated == 1 and stale_links(engine) == 0
    keep, remove = (rows(engine, f"SELECT id FROM organisations WHERE name = '{name}'")[0][0]
                    for name in ("Rädda Barnen", "Rädda Barnen VB"))
    merge_organisations(engine, keep, remove)
    assert stale_links(engine) == 0
    register = workbook_bytes({  # a sector changed, and the same file names the organisation by a merged spelling
        "Organisationer": [["Organisation", "Sektor"], ["Samforma", "Näringsliv"], ["Rädda Barnen", "Offentlig"]],
        "Aktiviteter": [HEADER, ["A-3", "2025-05-01", "Rädda Barnen VB; Rädda Barnen", "", "Umeå", "", 1]]})
    changed = import_file(engine, register, "register.xlsx")
    assert (changed.updated, changed.imported, changed.rejected) == (2, 1, [])
    assert rows(engine, "SELECT DISTINCT ao.sector FROM activity_organisations ao JOIN organisations o "
                        "ON o.id = ao.organisation_id WHERE o.name = 'Samforma'") == [("business",)]
    assert stale_links(engine) == 0
    undo_batch(engine, moved.batch_id)
    assert stale_links(engine) == 0
    assert count(engine, "activity_organisations") == 4


def test_every_kind_of_write_keeps_the_link_copies_right(engine):
    every_kind_of_write(engine)


def test_the_demo_stores_links_with_their_copies(engine):
    seed_demo(engine, activities=500)
    assert count(engine, "activity_organisations", "sector IS NULL OR date IS NULL") == 0
    assert stale_links(engine) == 0
