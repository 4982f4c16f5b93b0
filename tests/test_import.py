"""Importing a workbook: what is stored, what is rejected and how, duplicates, updates, one transaction."""

import datetime as dt
import gc
import hashlib

import pytest
from conftest import ACTIVITY_HEADER, activity_log, count, names_of, rows, snapshot, workbook_bytes

from civsam import importing
from civsam.importing import activities as activity_sheet
from civsam.importing import import_file
from civsam.models import Activity, Agreement, Commitment, Organisation, Person, longest

MARCH_4 = dt.date(2025, 3, 4)
FULL_HEADER = ["Datum", "Typ", "Rubrik", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Deltagare",
               "Kostnad (kr)", "Projekt", "Unga", "Ansvarig", "Kommentar", "ID"]


def full_row(**values) -> list:
    """A valid row under FULL_HEADER; keyword arguments (by header, spaces as _) replace cells."""
    row = {"Datum": MARCH_4, "Typ": "Möte", "Rubrik": "Avstämning", "Organisation": "Samforma",
           "Sektor": "Civilsamhälle", "Kommun": "Umeå", "Län": "", "Timmar": 2, "Deltagare": 8, "Kostnad (kr)": 0,
           "Projekt": "", "Unga": "Nej", "Ansvarig": "Anna Andersson", "Kommentar": "", "ID": ""}
    for key, value in values.items():
        row[{"Kostnad": "Kostnad (kr)"}.get(key, key)] = value
    return [row[header] for header in FULL_HEADER]


def log(*rows_, header=FULL_HEADER) -> bytes:
    return activity_log(*rows_, header=header)


def activities(engine) -> list[tuple]:
    """(date, municipality, county, hours, title, external ID, organisations) of every stored activity."""
    names = names_of(engine, "activity_organisations", "activity_id")
    return [(*row[1:], names.get(row[0])) for row in rows(engine, """
        SELECT id, date, municipality_code, county, hours, title, external_id FROM activities ORDER BY date, id
    """)]


def organisations(engine) -> dict[str, str]:
    return dict(rows(engine, "SELECT name, sector FROM organisations"))


def assert_counts_add_up(report):
    assert report.rows_read == report.imported + report.updated + report.duplicates + report.rejected_rows


def store_organisation(engine, name="Rädda Barnen Västerbotten", sector="Civilsamhälle"):
    report = import_file(engine, workbook_bytes({"Organisationer": [["Organisation", "Sektor"], [name, sector]]}),
                         "register.xlsx")
    assert report.imported == 1


# --- what is stored ---------------------------------------------------------------

def test_a_valid_row_is_stored_with_every_field(engine):
    row = full_row(Typ="workshop", Rubrik="Dialog om RUS", Organisation="Samforma; LKAB", Sektor="ideell",
                   Kommun="Skelleftea kommun", Timmar="1,5", Deltagare="12", Kostnad="1 500 kr", Projekt="SESIN",
                   Unga="X", Ansvarig="  Anna   Andersson ", Kommentar="Bra möte", ID="SKE-001")
    report = import_file(engine, log(row), "logg.xlsx", user="anna")
    assert (report.exit_code, report.imported, report.rejected) == (0, 1, [])
    stored = rows(engine, """
        SELECT date, type, title, municipality_code, county, hours, participants, cost_sek, project, youth, comment,
               external_id, people.name, batch_id
        FROM activities JOIN people ON people.id = responsible_id
    """)
    assert stored == [("2025-03-04", "Workshop", "Dialog om RUS", "2482", "Västerbotten", 1.5, 12, 1500.0, "SESIN", 1,
                       "Bra möte", "SKE-001", "Anna Andersson", report.batch_id)]
    # the one Sektor of the row applies to every new organisation of the row
    assert organisations(engine) == {"Samforma": "civil_society", "LKAB": "civil_society"}
    assert activities(engine)[0][-1] == "LKAB|Samforma"


@pytest.mark.parametrize("cell", [dt.date(2025, 3, 4), dt.datetime(2025, 3, 4), dt.datetime(2025, 3, 4, 16, 45),
                                  45720, "2025-03-04 16:45", "4.3.2025"])
def test_an_excel_date_or_date_time_cell_is_the_date(engine, cell):
    report = import_file(engine, log(full_row(Datum=cell)), "logg.xlsx")
    assert report.exit_code == 0
    assert rows(engine, "SELECT date FROM activities") == [("2025-03-04",)]


def test_optional_fields_have_their_defaults(engine):
    report = import_file(engine, activity_log([MARCH_4, "Samforma", "Ideell", "Umeå"]), "logg.xlsx")
    assert report.imported == 1
    assert rows(engine, "SELECT type, title, hours, participants, cost_sek, youth, responsible_id, external_id "
                        "FROM activities") == [("Möte", None, 0.0, None, None, 0, None, None)]


def test_text_is_stored_as_typed(engine):
    row = full_row(Rubrik="NA", Projekt="None", Kommentar="null", Typ="Lunchmöte", Ansvarig="NA")
    assert import_file(engine, log(row), "logg.xlsx").imported == 1
    assert rows(engine, "SELECT title, project, comment, type, people.name FROM activities "
                        "JOIN people ON people.id = responsible_id") == [("NA", "None", "null", "Lunchmöte", "NA")]


def test_equal_cells_of_different_types_are_read_each_as_typed(engine):
    """Cells are parsed once per distinct value; 1, 1.0 and TRUE are equal in Python but not in a log."""
    rows_typed = [[MARCH_4, "Samforma", "Ideell", "Umeå", title] for title in (True, 1, 1.5)]
    assert import_file(engine, activity_log(*rows_typed, header=[*ACTIVITY_HEADER, "Rubrik"]),
                       "logg.xlsx").imported == 3
    assert sorted(rows(engine, "SELECT title FROM activities")) == [("1",), ("1.5",), ("Ja",)]


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cycle_collector_is_as_before_once_an_import_ends(engine, enabled_before):
    """An import pauses Python's cycle collector (civsam.importing._collector_paused); the server's other
    sessions get it back when the import ends, also when the file cannot be read, and a collector paused by someone else
    stays paused."""
    was_enabled = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        during = []
        original = importing.READERS["activities"]
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(importing.READERS, "activities",
                          lambda run, sheet: during.append(gc.isenabled()) or original(run, sheet))
            assert import_file(engine, log(full_row()), "logg.xlsx").imported == 1
            assert import_file(engine, b"no workbook", "logg.xlsx").error
        assert during == [False] and gc.isenabled() == enabled_before
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_the_batch_records_file_user_checksum_and_counts(engine):
    content = log(full_row(), full_row(), full_row(Datum="igår"), full_row(Datum=dt.date(2025, 3, 5)))
    report = import_file(engine, content, "logg.xlsx", user="anna")
    assert rows(engine, 'SELECT id, kind, file_name, sha256, "user", rows_read, imported, updated, duplicates, '
                        "rejected, undone_at FROM import_batches") == [
        (report.batch_id, "import", "logg.xlsx", hashlib.sha256(content).hexdigest(), "anna", 4, 2, 0, 1, 1, None)]


# --- rejected rows ------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "column", "value", "message"), [
    ({"Datum": "31/2/2025"}, "Datum", "31/2/2025", "finns inte i kalendern"),
    ({"Datum": "igår"}, "Datum", "igår", "Skriv datumet som ÅÅÅÅ-MM-DD"),
    ({"Datum": ""}, "Datum", "", "Datum saknas"),
    ({"Kommun": "Stockholm"}, "Kommun", "Stockholm", "finns inte i Västerbottens eller Norrbottens län"),
    ({"Kommun": "", "Län": "Jämtland"}, "Län", "Jämtland", "Okänt län"),
    ({"Kommun": "", "Län": ""}, "Kommun", "", "Kommun eller län saknas"),
    ({"Kommun": "Luleå", "Län": "Västerbotten"}, "Län", "Västerbotten", "Luleå ligger i Norrbottens län"),
    ({"Timmar": "-2"}, "Timmar", "-2", "kan inte vara negativt"),
    ({"Timmar": "två"}, "Timmar", "två", "ska vara ett tal"),
    ({"Deltagare": -3}, "Deltagare", "-3", "kan inte vara negativt"),
    ({"Deltagare": "12,5"}, "Deltagare", "12,5", "heltal"),
    ({"Deltagare": "99999999999999999999"}, "Deltagare", "99999999999999999999", "orimligt stort"),
    ({"Kostnad": "-100 kr"}, "Kostnad (kr)", "-100 kr", "kan inte vara negativt"),
    ({"Unga": "kanske"}, "Unga", "kanske", "Ja eller Nej"),
    ({"Sektor": "förening"}, "Sektor", "förening", "Okänd sektor"),
    ({"Sektor": "", "Organisation": "Ny förening"}, "Sektor", "", "Ny förening finns inte i organisationsregistret"),
    ({"Organisation": ""}, "Organisation", "", "Organisation saknas"),
    ({"Organisation": " ; "}, "Organisation", ";", "Organisation saknas"),
])
def test_rejected_row_is_reported_with_sheet_row_column_value_and_a_swedish_message(engine, cells, column, value,
                                                                                     message):
    good = full_row(Datum=dt.date(2025, 3, 5))
    content = workbook_bytes({"Aktiviteter": [["Aktivitetslogg 2025"], FULL_HEADER, good, full_row(**cells), good]})
    report = import_file(engine, content, "logg.xlsx")
    assert report.exit_code == 1
    (rejection,) = report.rejected
    assert (rejection.sheet, rejection.row, rejection.column, rejection.value) == ("Aktiviteter", 4, column, value)
    assert message in rejection.message
    # a message says how to fix it: a whole Swedish sentence, ending with a full stop
    assert rejection.message.endswith(".") and len(rejection.message) > 25
    assert (report.imported, report.duplicates, report.rejected_rows) == (1, 1, 1)
    assert len(activities(engine)) == 1
    assert_counts_add_up(report)


def test_the_column_is_reported_with_its_header_as_typed(engine):
    header = ["Mötesdatum", "Aktör", "SEKTOR", "  kommun  "]
    report = import_file(engine, activity_log(["4/3/2025", "Samforma", "Ideell", "Sthlm"], header=header), "l.xlsx")
    assert [(r.column, r.value) for r in report.rejected] == [("kommun", "Sthlm")]


def test_every_bad_cell_of_a_row_is_reported_but_the_row_counts_once(engine):
    report = import_file(engine, log(full_row(Datum="igår", Kommun="Stockholm", Timmar="-1", Unga="kanske")), "l.xlsx")
    assert sorted(r.column for r in report.rejected) == ["Datum", "Kommun", "Timmar", "Unga"]
    assert {r.row for r in report.rejected} == {2}
    assert report.rejected_rows == 1 and report.imported == 0
    assert_counts_add_up(report)


def test_valid_rows_are_stored_even_when_others_are_rejected(engine):
    content = log(full_row(Datum="1/3/2025"), full_row(Datum="30/2/2025"), full_row(Datum="2/3/2025"))
    report = import_file(engine, content, "logg.xlsx")
    assert (report.exit_code, report.imported, report.rejected_rows) == (1, 2, 1)
    assert report.batch_id is not None
    assert [a[0] for a in activities(engine)] == ["2025-03-01", "2025-03-02"]


def test_strict_stores_nothing_when_a_row_is_rejected(engine):
    before = snapshot(engine)
    content = log(full_row(Datum="1/3/2025", Organisation="Ny förening"), full_row(Datum="30/2/2025"))
    report = import_file(engine, content, "logg.xlsx", strict=True)
    assert (report.exit_code, report.batch_id, report.imported, report.rejected_rows) == (1, None, 1, 1)
    assert snapshot(engine) == before


def test_strict_stores_a_file_without_rejections(engine):
    report = import_file(engine, log(full_row()), "logg.xlsx", strict=True)
    assert (report.exit_code, report.imported) == (0, 1) and report.batch_id is not None
    assert len(activities(engine)) == 1


def test_dry_run_stores_nothing_but_reports_what_would_happen(engine):
    import_file(engine, log(full_row()), "logg.xlsx")
    before = snapshot(engine)
    content = log(full_row(), full_row(Datum="5/3/2025", Organisation="Ny förening"), full_row(Datum="x"))
    report = import_file(engine, content, "logg.xlsx", dry_run=True)
    assert (report.batch_id, report.imported, report.duplicates, report.rejected_rows) == (None, 1, 1, 1)
    assert snapshot(engine) == before


# --- one transaction ---------------------------------------------------------------

def test_an_import_that_fails_midway_leaves_the_store_unchanged(engine, monkeypatch):
    import_file(engine, log(full_row(ID="A-1")), "logg.xlsx")
    before = snapshot(engine)
    original = activity_sheet.store_activities

    def insert_then_fail(connection, columns, partners):
        original(connection, columns, partners)
        assert count(engine, "import_batches") == 1  # another connection does not see the open transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(activity_sheet, "store_activities", insert_then_fail)
    content = workbook_bytes({
        "Organisationer": [["Organisation", "Sektor"], ["Bilda Nord", "Ideell"], ["Samforma", "Näringsliv"]],
        "Resurser": [["År", "Sektor", "FTE", "Budget"], [2025, "Näringsliv", 7.5, 6_000_000]],
        "Aktiviteter": [FULL_HEADER, full_row(ID="A-1", Timmar=5), full_row(Datum="5/3/2025", Organisation="LKAB")],
    })
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(engine, content, "logg.xlsx")
    assert snapshot(engine) == before


# --- duplicates and updates -----------------------------------------------------------

def test_importing_the_same_file_again_adds_nothing(engine):
    content = log(full_row(), full_row(Datum="5/3/2025", Organisation="LKAB", Sektor="Näringsliv"),
                  full_row(Datum="6/3/2025", ID="X-1"))
    first = import_file(engine, content, "logg.xlsx")
    stored = activities(engine), organisations(engine)
    second = import_file(engine, content, "logg.xlsx")
    assert (first.imported, second.imported, second.updated, second.duplicates) == (3, 0, 0, 3)
    assert (activities(engine), organisations(engine)) == stored
    assert second.exit_code == 0
    assert_counts_add_up(second)


def test_a_grown_log_adds_only_the_new_rows(engine):
    january = [full_row(Datum=f"{day}/1/2025") for day in (7, 14, 21)]
    import_file(engine, log(*january), "logg.xlsx")
    february = [full_row(Datum=f"{day}/2/2025", Kommun="Luleå") for day in (4, 11)]
    report = import_file(engine, log(*january, *february), "logg.xlsx")
    assert (report.rows_read, report.imported, report.duplicates, report.updated) == (5, 2, 3, 0)
    assert len(activities(engine)) == 5


def test_a_row_identical_to_an_earlier_row_of_the_file_is_a_duplicate(engine):
    report = import_file(engine, log(full_row(), full_row(Datum="5/3/2025"), full_row()), "logg.xlsx")
    assert (report.imported, report.duplicates) == (2, 1)
    assert len(activities(engine)) == 2


def test_the_same_meeting_typed_differently_is_a_duplicate(engine):
    import_file(engine, log(full_row(Organisation="Samforma; LKAB", Timmar=1.5)), "logg.xlsx")
    again = full_row(Datum="4 mars 2025", Organisation="lkab,  SAMFORMA", Kommun="umea kommun", Timmar="1,5",
                     Ansvarig="anna  andersson", Sektor="")
    report = import_file(engine, log(again), "logg.xlsx")
    assert (report.imported, report.duplicates) == (0, 1)


def test_a_known_id_whose_values_changed_updates_the_stored_activity(engine):
    import_file(engine, log(full_row(ID="SKE-1"), full_row(ID="SKE-2", Datum="5/3/2025")), "logg.xlsx")
    changed = full_row(ID="SKE-1", Timmar=3, Rubrik="Ny rubrik", Organisation="Samforma; Bilda Nord")
    report = import_file(engine, log(changed, full_row(ID="SKE-2", Datum="5/3/2025")), "logg.xlsx")
    assert (report.imported, report.updated, report.duplicates) == (0, 1, 1)
    assert activities(engine) == [
        ("2025-03-04", "2480", "Västerbotten", 3.0, "Ny rubrik", "SKE-1", "Bilda Nord|Samforma"),
        ("2025-03-05", "2480", "Västerbotten", 2.0, "Avstämning", "SKE-2", "Samforma"),
    ]
    assert rows(engine, "SELECT batch_id FROM activities WHERE external_id = 'SKE-1'") == [(report.batch_id,)]


def test_an_id_typed_as_a_number_is_the_same_id(engine):
    import_file(engine, log(full_row(ID=17)), "logg.xlsx")
    report = import_file(engine, log(full_row(ID="17", Timmar=4)), "logg.xlsx")
    assert (report.imported, report.updated) == (0, 1)


def test_a_repeated_id_with_other_content_in_one_file_is_rejected(engine):
    content = activity_log([MARCH_4, "Samforma", "Ideell", "Umeå", "K-1"],
                           [MARCH_4, "Samforma", "Ideell", "Umeå", "K-1"],
                           [dt.date(2025, 3, 9), "Samforma", "Ideell", "Umeå", "K-1"],
                           header=[*ACTIVITY_HEADER, "Löpnummer"])
    report = import_file(engine, content, "logg.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows) == (1, 1, 1)
    (rejection,) = report.rejected
    assert (rejection.row, rejection.column, rejection.value) == (4, "Löpnummer", "K-1")
    assert "rad 2" in rejection.message
    assert_counts_add_up(report)


def test_a_file_with_two_activity_sheets_is_one_log(engine):
    """An ID or a row repeated on another sheet of the same file is judged as on the same sheet."""
    content = workbook_bytes({
        "Aktiviteter": [FULL_HEADER, full_row(ID="K-1"), full_row(Datum="5/3/2025")],
        "Blad1": [FULL_HEADER, full_row(ID="K-1", Timmar=7), full_row(Datum="5/3/2025"), full_row(ID="K-2")],
    })
    report = import_file(engine, content, "logg.xlsx")
    assert (report.imported, report.updated, report.duplicates, report.rejected_rows) == (3, 0, 1, 1)
    (rejection,) = report.rejected
    assert (rejection.sheet, rejection.row, rejection.column) == ("Blad1", 2, "ID")
    assert "rad 2 i bladet Aktiviteter" in rejection.message
    again = import_file(engine, content, "logg.xlsx")
    assert (again.imported, again.updated, again.duplicates, again.rejected_rows) == (0, 0, 4, 1)
    assert rows(engine, "SELECT hours FROM activities WHERE external_id = 'K-1'") == [(2.0,)]


# --- counties and municipalities ------------------------------------------------

@pytest.mark.parametrize(("kommun", "lan", "expected"), [
    ("Umeå", "", ("2480", "Västerbotten")),
    ("Umeå", "Västerbotten", ("2480", "Västerbotten")),
    ("Umeå", "AC", ("2480", "Västerbotten")),
    ("Kiruna", "BD", ("2584", "Norrbotten")),
    ("Kiruna", "norrbottens län", ("2584", "Norrbotten")),
    ("", "Norrbotten", (None, "Norrbotten")),
    ("", "AC", (None, "Västerbotten")),
    (2580, "", ("2580", "Norrbotten")),
])
def test_county_follows_from_the_municipality_or_stands_alone(engine, kommun, lan, expected):
    report = import_file(engine, log(full_row(Kommun=kommun, Län=lan)), "logg.xlsx")
    assert report.exit_code == 0
    assert rows(engine, "SELECT municipality_code, county FROM activities") == [expected]


def test_a_county_that_contradicts_the_municipality_is_rejected(engine):
    report = import_file(engine, log(full_row(Kommun="Kiruna", Län="AC")), "logg.xlsx")
    assert [(r.column, r.value) for r in report.rejected] == [("Län", "AC")]
    assert "Kiruna ligger i Norrbottens län" in report.rejected[0].message
    assert activities(engine) == []


# --- organisations and sectors ---------------------------------------------------

def test_a_new_organisation_without_sector_is_rejected(engine):
    report = import_file(engine, log(full_row(Organisation="Samforma; Ny förening", Sektor="")), "logg.xlsx")
    (rejection,) = report.rejected
    assert rejection.column == "Sektor" and "Samforma, Ny förening" in rejection.message
    assert organisations(engine) == {}


def test_a_new_organisation_without_a_sektor_column_is_rejected(engine):
    content = activity_log([MARCH_4, "Samforma", "Umeå"], header=["Datum", "Organisation", "Kommun"])
    report = import_file(engine, content, "logg.xlsx")
    assert [(r.column, r.value) for r in report.rejected] == [("Sektor", "")]
    assert report.imported == 0


def test_a_stored_organisation_needs_no_sector(engine):
    store_organisation(engine)
    content = activity_log([MARCH_4, "Rädda Barnen Västerbotten", "Umeå"], header=["Datum", "Organisation", "Kommun"])
    report = import_file(engine, content, "logg.xlsx")
    assert (report.exit_code, report.imported) == (0, 1)


def test_an_unknown_sector_word_is_an_error_even_for_a_stored_organisation(engine):
    store_organisation(engine)
    report = import_file(engine, log(full_row(Organisation="Rädda Barnen Västerbotten", Sektor="förening")), "l.xlsx")
    assert [(r.column, r.value) for r in report.rejected] == [("Sektor", "förening")]
    assert report.imported == 0


def test_the_sector_given_on_an_earlier_row_applies_to_a_later_row(engine):
    content = log(full_row(Organisation="Hembygdsföreningen Malå", Sektor="Ideell"),
                  full_row(Organisation="hembygdsföreningen  malå", Sektor="", Datum="5/3/2025"),
                  full_row(Organisation="Hembygdsföreningen Malå; Malå kommun", Sektor="", Datum="6/3/2025"))
    report = import_file(engine, content, "logg.xlsx")
    assert (report.imported, report.rejected_rows) == (2, 1)
    assert report.rejected[0].row == 4 and "Malå kommun" in report.rejected[0].message
    assert organisations(engine) == {"Hembygdsföreningen Malå": "civil_society"}


@pytest.mark.parametrize("typed", ["rädda barnen västerbotten", "RÄDDA BARNEN VÄSTERBOTTEN",
                                   "  Rädda   Barnen  Västerbotten "])
def test_organisation_names_match_regardless_of_case_and_spaces(engine, typed):
    store_organisation(engine)
    report = import_file(engine, log(full_row(Organisation=typed, Sektor="")), "logg.xlsx")
    assert (report.exit_code, report.imported) == (0, 1)
    assert organisations(engine) == {"Rädda Barnen Västerbotten": "civil_society"}
    assert activities(engine)[0][-1] == "Rädda Barnen Västerbotten"


def test_a_sector_on_the_row_does_not_change_a_stored_organisation(engine):
    store_organisation(engine)
    row = full_row(Organisation="Rädda Barnen Västerbotten; Almi Nord", Sektor="Näringsliv")
    assert import_file(engine, log(row), "logg.xlsx").imported == 1
    assert organisations(engine) == {"Rädda Barnen Västerbotten": "civil_society", "Almi Nord": "business"}


# --- Organisationer ------------------------------------------------------------------

ORGANISATION_HEADER = ["Organisation", "Sektor", "Typ", "Kommun", "Organisationsnummer"]


def test_the_organisationer_sheet_creates_and_updates_organisations(engine):
    first = workbook_bytes({"Organisationer": [
        ORGANISATION_HEADER,
        ["Samforma", "Civilsamhälle", "Paraplyorganisation", "Umeå", "802002-4280"],
        ["Almi Nord", "näringsliv", "", "lulea", ""],
    ]})
    report = import_file(engine, first, "register.xlsx")
    assert (report.exit_code, report.imported) == (0, 2)
    assert rows(engine, "SELECT name, sector, type, municipality_code, org_number, created_batch_id "
                        "FROM organisations ORDER BY name") == [
        ("Almi Nord", "business", None, "2580", None, report.batch_id),
        ("Samforma", "civil_society", "Paraplyorganisation", "2480", "802002-4280", report.batch_id)]
    second = workbook_bytes({"Organisationer": [
        ORGANISATION_HEADER,
        ["samforma", "Civilsamhälle", "Paraplyorganisation", "Umeå", "8020024280"],
        ["ALMI NORD", "Offentlig sektor", "Företagsstöd", "Luleå", ""],
        ["Umeå universitet", "Akademi", "Universitet", "", ""],
    ]})
    report = import_file(engine, second, "register.xlsx")
    assert (report.imported, report.updated, report.duplicates) == (1, 1, 1)
    assert rows(engine, "SELECT name, sector, type, municipality_code FROM organisations ORDER BY name") == [
        ("Almi Nord", "public", "Företagsstöd", "2580"),
        ("Samforma", "civil_society", "Paraplyorganisation", "2480"),
        ("Umeå universitet", "academia", "Universitet", None)]


@pytest.mark.parametrize(("row", "column", "message"), [
    (["Samforma", "", "", "", ""], "Sektor", "Sektor saknas"),
    (["Samforma", "förening", "", "", ""], "Sektor", "Okänd sektor"),
    (["Samforma", "Ideell", "", "Oslo", ""], "Kommun", "Västerbottens eller Norrbottens"),
    (["Samforma", "Ideell", "", "", "802002-4281"], "Organisationsnummer", "kontrollsiffra"),
    (["", "Ideell", "", "Umeå", ""], "Organisation", "namn saknas"),
])
def test_a_bad_organisation_row_is_rejected(engine, row, column, message):
    content = workbook_bytes({"Organisationer": [ORGANISATION_HEADER, row]})
    report = import_file(engine, content, "register.xlsx")
    (rejection,) = report.rejected
    assert (rejection.sheet, rejection.row, rejection.column) == ("Organisationer", 2, column)
    assert message in rejection.message
    assert organisations(engine) == {}


def test_the_same_organisation_twice_in_one_file(engine):
    content = workbook_bytes({"Organisationer": [ORGANISATION_HEADER,
                                                 ["Samforma", "Ideell", "", "", ""],
                                                 ["SAMFORMA", "Civilsamhälle", "", "", ""],
                                                 ["samforma", "Företag", "", "", ""]]})
    report = import_file(engine, content, "register.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows, report.updated) == (1, 1, 1, 0)
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(4, "Organisation", "samforma")]
    assert "rad 2" in report.rejected[0].message
    assert organisations(engine) == {"Samforma": "civil_society"}
    again = import_file(engine, content, "register.xlsx")
    assert (again.imported, again.updated, again.duplicates) == (0, 0, 2)


def test_the_same_organisation_on_two_sheets_of_one_file(engine):
    content = workbook_bytes({"Organisationer": [ORGANISATION_HEADER, ["Samforma", "Ideell", "", "", ""]],
                              "Blad1": [["Organisation", "Sektor", "Typ"], ["samforma", "Akademi", ""],
                                        ["LTU", "Akademi", ""]]})
    report = import_file(engine, content, "register.xlsx")
    assert (report.imported, report.rejected_rows) == (2, 1)
    assert report.rejected[0].sheet == "Blad1" and "rad 2 i bladet Organisationer" in report.rejected[0].message
    again = import_file(engine, content, "register.xlsx")
    assert (again.imported, again.updated, again.duplicates) == (0, 0, 2)
    assert organisations(engine) == {"Samforma": "civil_society", "LTU": "academia"}


def test_activities_may_name_organisations_from_the_organisationer_sheet_of_the_same_file(engine):
    content = workbook_bytes({
        "Aktiviteter": [["Datum", "Organisation", "Kommun"], [MARCH_4, "LTU", "Luleå"]],
        "Organisationer": [["Organisation", "Sektor"], ["LTU", "Universitet"]],
    })
    report = import_file(engine, content, "logg.xlsx")
    assert (report.exit_code, report.imported) == (0, 2)
    assert organisations(engine) == {"LTU": "academia"}


# --- Resurser ---------------------------------------------------------------------

RESOURCE_HEADER = ["År", "Sektor", "Årsarbetskrafter", "Budget (kr)", "Kommentar"]


def resources(engine) -> list[tuple]:
    return rows(engine, "SELECT year, sector, fte, budget_sek, comment FROM resources ORDER BY year, sector")


def test_resources_are_stored_and_a_later_import_of_the_same_year_and_sector_replaces_them(engine):
    first = workbook_bytes({"Resurser": [RESOURCE_HEADER, [2024, "Näringsliv", 7.5, 6_200_000, ""],
                                         [2025, "Näringsliv", 7, "6 000 000 kr", ""],
                                         [2025, "Civilsamhälle", "0,4", 150_000, "När tid kan frigöras"]]})
    report = import_file(engine, first, "resurser.xlsx")
    assert (report.exit_code, report.imported) == (0, 3)
    second = workbook_bytes({"Resurser": [["År", "Sektor", "FTE", "Budget", "Kommentar"],
                                          ["2025", "näringslivet", "8,5", 7_000_000, "Reviderad"],
                                          [2025, "Ideell", 0.4, 150_000, "När tid kan frigöras"]]})
    report = import_file(engine, second, "resurser.xlsx")
    assert (report.imported, report.updated, report.duplicates) == (0, 1, 1)
    assert resources(engine) == [(2024, "business", 7.5, 6_200_000.0, None),
                                 (2025, "business", 8.5, 7_000_000.0, "Reviderad"),
                                 (2025, "civil_society", 0.4, 150_000.0, "När tid kan frigöras")]


def test_a_blank_resource_cell_keeps_the_stored_figure(engine):
    import_file(engine, workbook_bytes({"Resurser": [RESOURCE_HEADER, [2025, "Näringsliv", 7.5, 6_000_000, "Plan"]]}),
                "resurser.xlsx")
    budget_only = workbook_bytes({"Resurser": [["År", "Sektor", "Budget (kr)"], [2025, "Näringsliv", 6_500_000]]})
    report = import_file(engine, budget_only, "budget.xlsx")
    assert report.updated == 1
    assert resources(engine) == [(2025, "business", 7.5, 6_500_000.0, "Plan")]


def test_a_new_resource_row_with_only_a_budget_has_no_staff(engine):
    import_file(engine, workbook_bytes({"Resurser": [["År", "Sektor", "Budget"], [2025, "Civilsamhälle", 100]]}),
                "budget.xlsx")
    assert resources(engine) == [(2025, "civil_society", 0.0, 100.0, None)]


@pytest.mark.parametrize(("row", "column"), [
    (["tjugo", "Näringsliv", 1, 1], "År"),
    ([2025, "förening", 1, 1], "Sektor"),
    ([2025, "", 1, 1], "Sektor"),
    ([2025, "Näringsliv", -1, 1], "Årsarbetskrafter"),
    ([2025, "Näringsliv", 1, "-5 kr"], "Budget (kr)"),
    ([2025, "Näringsliv", "", ""], "Årsarbetskrafter"),
])
def test_a_bad_resource_row_is_rejected(engine, row, column):
    report = import_file(engine, workbook_bytes({"Resurser": [RESOURCE_HEADER[:4], row]}), "resurser.xlsx")
    assert [(r.sheet, r.row, r.column) for r in report.rejected] == [("Resurser", 2, column)]
    assert resources(engine) == []


def test_the_same_year_and_sector_on_two_sheets_of_one_file(engine):
    content = workbook_bytes({"Resurser": [RESOURCE_HEADER[:4], [2025, "Näringsliv", 1, 100]],
                              "Blad1": [RESOURCE_HEADER[:4], [2025, "Näringsliv", 2, 200]]})
    report = import_file(engine, content, "resurser.xlsx")
    assert (report.imported, report.rejected_rows) == (1, 1)
    assert "rad 2 i bladet Resurser" in report.rejected[0].message
    again = import_file(engine, content, "resurser.xlsx")
    assert (again.updated, again.duplicates) == (0, 1)
    assert resources(engine) == [(2025, "business", 1.0, 100.0, None)]


def test_the_same_year_and_sector_twice_in_one_file(engine):
    content = workbook_bytes({"Resurser": [RESOURCE_HEADER[:4], [2025, "Näringsliv", 1, 100],
                                           [2025, "näringsliv", 1, 100], [2025, "Företag", 2, 100]]})
    report = import_file(engine, content, "resurser.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows) == (1, 1, 1)
    assert report.rejected[0].row == 4
    assert resources(engine) == [(2025, "business", 1.0, 100.0, None)]


# --- the counts add up ------------------------------------------------------------------

def test_rows_read_is_imported_plus_updated_plus_duplicates_plus_rejected(engine):
    import_file(engine, log(full_row(ID="A"), full_row(Datum="2/3/2025")), "logg.xlsx")
    content = workbook_bytes({
        "Organisationer": [ORGANISATION_HEADER, ["Samforma", "Ideell", "Förening", "", ""],
                           ["Ny", "Företag", "", "", ""], ["Trasig", "", "", "", ""], [], []],
        "Resurser": [RESOURCE_HEADER, [2025, "Akademi", 1, 1, ""], [2025, "Akademi", 1, 1, ""], ["x", "y", 1, 1, ""]],
        "Aktiviteter": [FULL_HEADER, full_row(ID="A", Timmar=9), full_row(Datum="2/3/2025"), full_row(Datum="3/3/2025"),
                        full_row(Datum="3/3/2025"), [], full_row(Kommun="Oslo"), full_row(ID="A", Timmar=1)],
        "Anteckningar": [["Bara text"]],
    })
    report = import_file(engine, content, "logg.xlsx")
    # Organisationer: 1 updated, 1 new, 1 rejected; Resurser: 1 new, 1 duplicate, 1 rejected; Aktiviteter: 1 updated,
    # 1 duplicate of the store, 1 new, 1 duplicate within the file, 2 rejected (Oslo, ID A with other content)
    assert report.rows_read == 12
    assert (report.imported, report.updated, report.duplicates, report.rejected_rows) == (3, 2, 3, 4)
    assert_counts_add_up(report)
    assert rows(engine, "SELECT rows_read, imported, updated, duplicates, rejected FROM import_batches "
                        "WHERE id = ?", (report.batch_id,)) == [(12, 3, 2, 3, 4)]


def test_an_import_works_where_the_system_knows_no_user_name(engine, monkeypatch):
    """In a container with an arbitrary user id there is no login name to look up."""
    import pwd

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)

    def unknown_user(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", unknown_user)
    report = import_file(engine, log(full_row()), "logg.xlsx")
    assert (report.exit_code, report.imported) == (0, 1)
    assert rows(engine, 'SELECT "user" FROM import_batches') == [("okänd",)]


def test_a_date_more_than_a_year_ahead_is_a_mistyped_year(engine):
    next_year = (dt.date.today() + dt.timedelta(days=300)).isoformat()
    far = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    report = import_file(engine, activity_log([next_year, "Samforma", "ideell", "Umeå"],
                                              [far, "Samforma", "ideell", "Umeå"]), "logg.xlsx")
    assert report.imported == 1
    assert [(r.row, r.column) for r in report.rejected] == [(3, "Datum")]
    assert "mer än ett år fram i tiden" in report.rejected[0].message


# --- texts: the same rules on SQLite, PostgreSQL and in a dry run ----------------------------

def every_sheet(sheet: str = "", header: str = "", value=None) -> bytes:
    """Two valid rows on each sheet; when `sheet` is given, its second row's `header` cell is `value`."""
    sheets = {
        "Organisationer": [["Organisation", "Sektor", "Typ"], ["Samforma", "ideell", "Förening"],
                           ["Samforma 2", "ideell", "Förening"]],
        "Avtal": [["Namn", "Typ", "Part", "Undertecknat", "Diarienummer", "Ansvarig"],
                  ["Avsikt", "IOP", "Samforma", "2024-01-01", "RUN 1", "Gun"],
                  ["Avsikt 2", "IOP", "Samforma", "2024-01-01", "RUN 2", "Gun"]],
        "Åtaganden": [["Avtal", "Åtagande", "Part", "Förfaller"], ["Avsikt", "Uppföljning", "Båda", "2025-12-31"],
                      ["Avsikt", "Uppföljning 2", "Båda", "2025-12-31"]],
        "Aktiviteter": [FULL_HEADER, full_row(), full_row(Rubrik="Andra")],
    }
    if sheet:
        sheets[sheet][2][sheets[sheet][0].index(header)] = value
    return workbook_bytes(sheets)


def over(column, letter: str = "x") -> str:
    """A text one character longer than `column` holds; with ß its name key is (ß casefolds to ss)."""
    return letter * (longest(column) // len(letter.casefold()) + 1)


@pytest.mark.parametrize("sheet, header, column, letter", [
    ("Aktiviteter", "Typ", Activity.type, "x"),
    ("Aktiviteter", "Projekt", Activity.project, "x"),
    ("Aktiviteter", "Organisation", Organisation.name, "x"),
    ("Aktiviteter", "Organisation", Organisation.name_key, "ß"),
    ("Aktiviteter", "Ansvarig", Person.name, "x"),
    ("Aktiviteter", "ID", Activity.external_id, "x"),
    ("Organisationer", "Organisation", Organisation.name, "x"),
    ("Organisationer", "Typ", Organisation.type, "x"),
    ("Avtal", "Namn", Agreement.name_key, "ß"),
    ("Avtal", "Diarienummer", Agreement.registration_number, "x"),
    ("Avtal", "Ansvarig", Person.name_key, "ß"),
    ("Åtaganden", "Åtagande", Commitment.text_key, "ß"),
])
def test_a_text_longer_than_its_column_is_a_rejected_row_with_the_limit(engine, sheet, header, column, letter):
    content = every_sheet(sheet, header, over(column, letter))
    for dry_run in (True, False):
        report = import_file(engine, content, "logg.xlsx", dry_run=dry_run)
        assert [(r.sheet, r.row, r.column) for r in report.rejected] == [(sheet, 3, header)]
        assert f"högst {longest(column)}" in report.rejected[0].message
        assert (report.error, report.imported) == (None, 7)


def test_a_nul_in_a_text_is_removed_on_both_stores(engine):
    # openpyxl writes _x0000_ as it stands and Excel's readers decode it: the NUL a crafted file carries
    row = full_row(Rubrik="Av_x0000_stämning", Organisation="Sam_x0000_forma", Ansvarig="Anna_x0000_ A",
                   Kommentar="_x0000_", Projekt="SE_x0000_SIN", Typ="Fika_x0000_")
    report = import_file(engine, log(row), "logg.xlsx")
    assert (report.error, report.rejected, report.imported) == (None, [], 1)
    assert rows(engine, "SELECT a.title, a.comment, a.project, a.type, o.name, p.name FROM activities a "
                        "JOIN activity_organisations l ON l.activity_id = a.id JOIN organisations o "
                        "ON o.id = l.organisation_id JOIN people p ON p.id = a.responsible_id") == [
        ("Avstämning", None, "SESIN", "Fika", "Samforma", "Anna A")]


def test_control_characters_are_taken_out_at_import_and_counted(engine):
    """Excel writes ESC as _x001B_ and the reader gives the raw character back: it is taken out of every cell
    (a header too) before anything is read, and the report says how many cells had some."""
    header = [*FULL_HEADER[:-1], "I_x0007_D"]
    content = workbook_bytes({"Aktiviteter": [header, full_row(
        Organisation="Samf_x001B_[31morma_x0000_", Rubrik="Avst_x0007_ämning", Kommentar="rad 1\nrad 2_x001B_",
        Typ="Möte_x001F_", ID="A_x007F_1")]})
    report = import_file(engine, content, "logg\x1b[2J.xlsx", user="anna\x07")
    assert report.imported == 1 and report.rejected == [] and report.ignored_columns == []
    assert report.cleaned_cells == 6 and report.to_json()["cleaned_cells"] == 6
    assert activities(engine) == [("2025-03-04", "2480", "Västerbotten", 2.0, "Avstämning", "A1", "Samf[31morma")]
    assert rows(engine, "SELECT type, comment FROM activities") == [("Möte", "rad 1\nrad 2")]
    assert rows(engine, "SELECT file_name, \"user\" FROM import_batches") == [("logg[2J.xlsx", "anna")]
    again = import_file(engine, log(full_row(Organisation="Samf[31morma", Rubrik="Avstämning", Kommentar="rad 1\nrad 2",
                                             ID="A1")), "logg.xlsx")
    assert (again.imported, again.duplicates, again.cleaned_cells) == (0, 1, 0)
    assert "cleaned_cells" not in again.to_json()  # a clean file's report keeps its keys
