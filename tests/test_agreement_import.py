"""Importing agreements (Avtal), their commitments (Åtaganden) and the activities filed under them: what is
stored, what is rejected and how, duplicates, updates, undo, merging a partner."""

import datetime as dt

import pytest
from conftest import count, names_of, rows, snapshot, without_batches, workbook_bytes

from civsam.batches import undo_batch
from civsam.importing import import_file
from civsam.organisations import merge_organisations
from civsam.workbook import read_workbook

ORGANISATIONS = [["Organisation", "Sektor"], ["Samforma", "Civilsamhälle"], ["Youth Up North", "Civilsamhälle"],
                 ["Region Norrbotten", "Offentlig sektor"]]
AGREEMENT_HEADER = ["Namn", "Typ", "Part", "Undertecknat", "Giltigt till", "Diarienummer", "Ansvarig"]
COMMITMENT_HEADER = ["Avtal", "Åtagande", "Part", "Intervall", "Förfaller", "Status", "Kommentar"]
ACTIVITY_HEADER = ["Datum", "Organisation", "Sektor", "Kommun", "ID", "Avtal"]


def agreement_row(**values) -> list:
    """A valid Avtal row; keyword arguments (by header, spaces as _) replace cells."""
    row = {"Namn": "Avsiktsförklaring Samforma", "Typ": "Avsiktsförklaring", "Part": "Samforma",
           "Undertecknat": dt.date(2024, 3, 15), "Giltigt_till": dt.date(2027, 12, 31), "Diarienummer": "RUN 2024/12",
           "Ansvarig": "Enheten för regional utveckling", **values}
    return [row[header.replace(" ", "_")] for header in AGREEMENT_HEADER]


def commitment_row(**values) -> list:
    row = {"Avtal": "Avsiktsförklaring Samforma", "Åtagande": "Årlig uppföljning av parternas bidrag",
           "Part": "Båda", "Intervall": "Årligen", "Förfaller": dt.date(2025, 12, 31), "Status": "Pågår",
           "Kommentar": "", **values}
    return [row[header] for header in COMMITMENT_HEADER]


def workbook(agreements=(), commitments=(), activities=(), organisations=ORGANISATIONS) -> bytes:
    sheets = {"Organisationer": organisations}
    if agreements:
        sheets["Avtal"] = [AGREEMENT_HEADER, *agreements]
    if commitments:
        sheets["Åtaganden"] = [COMMITMENT_HEADER, *commitments]
    if activities:
        sheets["Aktiviteter"] = [ACTIVITY_HEADER, *activities]
    return workbook_bytes(sheets)


def import_ok(engine, content: bytes):
    report = import_file(engine, content, "avtal.xlsx")
    assert report.exit_code == 0, report.rejected
    return report


def agreements(engine) -> list[tuple]:
    partners = names_of(engine, "agreement_organisations", "agreement_id")
    return [(*row[1:], partners.get(row[0])) for row in rows(engine, """
        SELECT a.id, a.name, a.kind, a.signed, a.valid_until, a.registration_number, people.name
        FROM agreements a LEFT JOIN people ON people.id = a.responsible_id ORDER BY a.name
    """)]


def commitments(engine) -> list[tuple]:
    return rows(engine, """
        SELECT agreements.name, text, whose, cadence, due, status, comment
        FROM commitments JOIN agreements ON agreements.id = commitments.agreement_id ORDER BY commitments.id
    """)


def the_rejection(report):
    (rejection,) = report.rejected
    assert rejection.message.endswith((".", "?")) and len(rejection.message) > 25
    return rejection


@pytest.fixture
def agreement(engine):
    """A store with the Samforma declaration and its partner register."""
    import_ok(engine, workbook([agreement_row()]))
    return engine


# --- Avtal ----------------------------------------------------------------------------

def test_an_agreement_is_stored_with_every_field(engine):
    report = import_ok(engine, workbook([agreement_row(Part="Samforma; region norrbotten")]))
    assert (report.imported, report.rejected) == (4, [])  # three organisations and the agreement
    assert agreements(engine) == [("Avsiktsförklaring Samforma", "avsiktsförklaring", "2024-03-15", "2027-12-31",
                                   "RUN 2024/12", "Enheten för regional utveckling", "Region Norrbotten|Samforma")]
    assert rows(engine, "SELECT created_batch_id FROM agreements") == [(report.batch_id,)]


@pytest.mark.parametrize(("typed", "stored"), [
    ("Avsiktsförklaring", "avsiktsförklaring"), ("AVSIKTSFÖRKLARING", "avsiktsförklaring"),
    ("avsiktsforklaring", "avsiktsförklaring"), ("iop", "IOP"), ("Idéburet offentligt partnerskap", "IOP"),
    ("överenskommelse", "överenskommelse"), (" Överenskommelse ", "överenskommelse"), ("Avtal", "avtal"),
])
def test_the_kind_is_read_regardless_of_case(engine, typed, stored):
    import_ok(engine, workbook([agreement_row(Typ=typed)]))
    assert rows(engine, "SELECT kind FROM agreements") == [(stored,)]


def test_optional_cells_may_be_blank(engine):
    import_ok(engine, workbook([agreement_row(Giltigt_till="", Diarienummer="", Ansvarig="")]))
    assert agreements(engine) == [("Avsiktsförklaring Samforma", "avsiktsförklaring", "2024-03-15", None, None, None,
                                   "Samforma")]


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"Namn": ""}, "Namn", "Avtalets namn saknas"),
    ({"Namn": "x" * 201}, "Namn", "Namnet är för långt"),
    ({"Typ": ""}, "Typ", "Typ saknas"),
    ({"Typ": "Kontrakt"}, "Typ", "Okänd avtalstyp"),
    ({"Part": ""}, "Part", "Part saknas"),
    ({"Part": " ; "}, "Part", "Part saknas"),
    ({"Typ": "Avtal", "Part": "Samforma; Okänd förening"}, "Part",
     "Okänd förening finns inte i organisationsregistret, och filen anger ingen sektor för den"),
    ({"Undertecknat": ""}, "Undertecknat", "Undertecknat saknas"),
    ({"Undertecknat": "i våras"}, "Undertecknat", "Datumet känns inte igen"),
    ({"Giltigt_till": "31/2/2027"}, "Giltigt till", "finns inte i kalendern"),
    ({"Giltigt_till": dt.date(2023, 12, 31)}, "Giltigt till", "ligger före Undertecknat"),
    ({"Diarienummer": "RUN " + "1" * 60}, "Diarienummer", "Diarienumret är för långt"),
])
def test_a_bad_agreement_row_is_rejected_with_a_swedish_message(engine, cells, column, message):
    report = import_file(engine, workbook([agreement_row(**cells)]), "avtal.xlsx")
    rejection = the_rejection(report)
    assert (rejection.sheet, rejection.row, rejection.column) == ("Avtal", 2, column)
    assert message in rejection.message
    assert agreements(engine) == []


@pytest.mark.parametrize(("kind", "sector"), [
    ("Avsiktsförklaring", "civil_society"), ("IOP", "civil_society"), ("Överenskommelse", "civil_society"),
    ("Avtal", None)])
def test_a_new_partner_without_a_sector_in_the_file_is_civil_society_by_the_kind_of_agreement(sqlite_engine, kind,
                                                                                                sector):
    report = import_file(sqlite_engine, workbook([agreement_row(Typ=kind, Part="Samforma; Bilda Nord")]), "avtal.xlsx")
    added = [(each.name, each.sector, each.sheet, each.row) for each in report.added_organisations]
    if sector:
        assert (report.imported, report.rejected, added) == (4, [], [("Bilda Nord", sector, "Avtal", 2)])
        assert rows(sqlite_engine, "SELECT sector, created_batch_id FROM organisations WHERE name = 'Bilda Nord'") == [
            (sector, report.batch_id)]
    else:  # an Avtal may be with any sector: the row says how to give it
        assert (the_rejection(report).column, added) == ("Part", [])
        assert the_rejection(report).message == (
            "Bilda Nord finns inte i organisationsregistret, och filen anger ingen sektor för den. Lägg till den med "
            "sektor på bladet Organisationer, eller skriv sektorn i kolumnen Sektor på en aktivitet som nämner den. "
            "Bara en ny part i en avsiktsförklaring, IOP eller överenskommelse blir civilsamhälle utan att sektorn "
            "anges.")
        assert count(sqlite_engine, "organisations", "name = 'Bilda Nord'") == 0


def test_a_new_partner_takes_the_sector_the_organisationer_sheet_gives_even_on_a_rejected_row(sqlite_engine):
    register = [["Organisation", "Sektor", "Organisationsnummer"], ["Bilda Nord", "Näringsliv", "12345"]]
    report = import_file(sqlite_engine, workbook([agreement_row(Typ="IOP", Part="Bilda Nord")],
                                                 organisations=register), "avtal.xlsx")
    assert [(r.sheet, r.column) for r in report.rejected] == [("Organisationer", "Organisationsnummer")]
    assert rows(sqlite_engine, "SELECT name, sector FROM organisations") == [("Bilda Nord", "business")]
    assert report.to_json()["added_organisations"] == [
        {"name": "Bilda Nord", "sector": "business", "sheet": "Avtal", "row": 2}]


def test_importing_the_same_agreements_again_adds_nothing(agreement):
    before = snapshot(agreement)
    report = import_ok(agreement, workbook([agreement_row()]))
    assert (report.imported, report.updated, report.duplicates) == (0, 0, 4)
    del before["import_batches"]
    after = snapshot(agreement)
    del after["import_batches"]
    assert after == before


@pytest.mark.parametrize("typed", ["avsiktsförklaring samforma", "  AVSIKTSFÖRKLARING   Samforma "])
def test_the_name_matches_regardless_of_case_and_spaces(agreement, typed):
    report = import_ok(agreement, workbook([agreement_row(Namn=typed, Diarienummer="RUN 2024/13")]))
    assert (report.imported, report.updated) == (0, 1)
    assert [(name, number) for name, _, _, _, number, _, _ in agreements(agreement)] == [
        ("Avsiktsförklaring Samforma", "RUN 2024/13")]


def test_a_changed_agreement_is_updated_and_undo_gives_its_earlier_values_back(agreement):
    before = snapshot(agreement)
    changed = agreement_row(Typ="IOP", Part="Samforma; Youth Up North", Giltigt_till="2028-06-30", Ansvarig="Bo Demo")
    report = import_ok(agreement, workbook([changed]))
    assert (report.imported, report.updated) == (0, 1)
    assert agreements(agreement) == [("Avsiktsförklaring Samforma", "IOP", "2024-03-15", "2028-06-30", "RUN 2024/12",
                                      "Bo Demo", "Samforma|Youth Up North")]
    undo_batch(agreement, report.batch_id)
    assert without_batches(snapshot(agreement)) == without_batches(before)


def test_undo_of_a_change_of_partners_alone_gives_the_earlier_partners_back(agreement):
    """Found by the property tests: the undo then has no column to restore, only the partners."""
    before = snapshot(agreement)
    report = import_ok(agreement, workbook([agreement_row(Part="Samforma; Youth Up North")]))
    assert (report.imported, report.updated) == (0, 1)
    undo_batch(agreement, report.batch_id)
    assert without_batches(snapshot(agreement)) == without_batches(before)


def test_a_blank_optional_cell_keeps_what_is_stored(agreement):
    report = import_ok(agreement, workbook([agreement_row(Giltigt_till="", Diarienummer="", Ansvarig="")]))
    assert (report.updated, report.duplicates) == (0, 4)
    assert agreements(agreement)[0][3:6] == ("2027-12-31", "RUN 2024/12", "Enheten för regional utveckling")


def test_the_same_agreement_twice_in_one_file(engine):
    content = workbook([agreement_row(), agreement_row(Namn="avsiktsförklaring samforma"),
                        agreement_row(Diarienummer="RUN 2024/99"), agreement_row(Part="Bilda Nord")])
    report = import_file(engine, content, "avtal.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows) == (4, 1, 2)
    assert [(r.row, r.column) for r in report.rejected] == [(4, "Namn"), (5, "Namn")]
    assert all("rad 2" in r.message and "en rad per avtal" in r.message for r in report.rejected)
    # the contradicting row's new partner is not added
    assert (report.added_organisations, count(engine, "organisations", "name = 'Bilda Nord'")) == ([], 0)


# --- Åtaganden ---------------------------------------------------------------------------

def test_commitments_are_stored_with_their_defaults(agreement):
    report = import_ok(agreement, workbook(commitments=[
        commitment_row(Kommentar="Redovisas i delrapporten"),
        commitment_row(Åtagande="Dialog om RUS", Part="Region", Intervall="", Status="", Förfaller="2025-03-01")]))
    assert report.imported == 2
    assert commitments(agreement) == [
        ("Avsiktsförklaring Samforma", "Årlig uppföljning av parternas bidrag", "both", "yearly", "2025-12-31", "pågår",
         "Redovisas i delrapporten"),
        ("Avsiktsförklaring Samforma", "Dialog om RUS", "region", "once", "2025-03-01", "ej påbörjat", None)]


@pytest.mark.parametrize(("typed", "stored"), [
    ("Klart", "klart"), ("KLART", "klart"), ("klar", "klart"), ("Genomförd", "klart"), ("Pågår", "pågår"),
    ("PÅGÅR", "pågår"), ("pagar", "pågår"), ("pågående", "pågår"), ("Ej påbörjat", "ej påbörjat"),
    ("EJ PÅBÖRJAT", "ej påbörjat"), ("ej  påbörjad", "ej påbörjat"), ("", "ej påbörjat"), ("Försenat", "försenat"),
    ("försenad", "försenat"), ("FÖRSENAT", "försenat"),
])
def test_a_status_is_read_regardless_of_case(agreement, typed, stored):
    import_ok(agreement, workbook(commitments=[commitment_row(Status=typed)]))
    assert rows(agreement, "SELECT status FROM commitments") == [(stored,)]


@pytest.mark.parametrize(("typed", "stored"), [
    ("Engång", "once"), ("ENGÅNG", "once"), ("engang", "once"), ("", "once"), ("Årligen", "yearly"),
    ("årligen", "yearly"), ("ARLIGEN", "yearly"), ("Halvår", "half-yearly"), ("halvar", "half-yearly"),
    ("Kvartal", "quarterly"), ("KVARTALSVIS", "quarterly"),
])
def test_a_cadence_is_read_regardless_of_case(agreement, typed, stored):
    import_ok(agreement, workbook(commitments=[commitment_row(Intervall=typed)]))
    assert rows(agreement, "SELECT cadence FROM commitments") == [(stored,)]


@pytest.mark.parametrize(("typed", "stored"), [
    ("Region", "region"), ("regionen", "region"), ("Partner", "partner"), ("PARTNER", "partner"), ("Båda", "both"),
    ("bada", "both"), ("BÅDA", "both"),
])
def test_whose_commitment_it_is_is_read_regardless_of_case(agreement, typed, stored):
    import_ok(agreement, workbook(commitments=[commitment_row(Part=typed)]))
    assert rows(agreement, "SELECT whose FROM commitments") == [(stored,)]


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"Avtal": ""}, "Avtal", "Avtal saknas"),
    ({"Avtal": "Avsiktsförklaring Samform"}, "Avtal", "Menar du Avsiktsförklaring Samforma?"),
    ({"Avtal": "Överenskommelse Norrbotten"}, "Avtal", "Det finns inget avtal som heter Överenskommelse Norrbotten"),
    ({"Åtagande": ""}, "Åtagande", "Åtagandet saknas"),
    ({"Åtagande": "x" * 501}, "Åtagande", "Åtagandet är för långt"),
    ({"Part": ""}, "Part", "Part saknas"),
    ({"Part": "Kommunen"}, "Part", "Okänd part"),
    ({"Intervall": "varannan vecka"}, "Intervall", "Okänt intervall"),
    ({"Förfaller": ""}, "Förfaller", "Förfaller saknas"),
    ({"Förfaller": "snart"}, "Förfaller", "Datumet känns inte igen"),
    ({"Status": "halvklart"}, "Status", "Okänd status"),
])
def test_a_bad_commitment_row_is_rejected_with_a_swedish_message(agreement, cells, column, message):
    report = import_file(agreement, workbook(commitments=[commitment_row(**cells)]), "avtal.xlsx")
    rejection = the_rejection(report)
    assert (rejection.sheet, rejection.row, rejection.column) == ("Åtaganden", 2, column)
    assert message in rejection.message
    assert commitments(agreement) == []


def test_a_commitment_may_name_an_agreement_of_the_same_file(engine):
    report = import_ok(engine, workbook([agreement_row()], [commitment_row(Avtal="avsiktsförklaring  samforma")]))
    assert report.imported == 5
    assert len(commitments(engine)) == 1


def test_a_commitment_and_an_activity_of_a_rejected_agreement_say_where_it_was_rejected(engine):
    report = import_file(engine, workbook([agreement_row(Namn="Samforma AF", Typ="")],
                                          [commitment_row(Avtal="samforma af")], [activity(agreement="Samforma AF")]),
                         "avtal.xlsx")
    assert [(r.sheet, r.column, r.message) for r in report.rejected] == [
        ("Avtal", "Typ", "Typ saknas. Skriv Avsiktsförklaring, IOP, Överenskommelse eller Avtal."),
        ("Åtaganden", "Avtal", "Avtalet samforma af avvisades, se Avtal rad 2. Rätta den raden och importera filen "
                               "igen, så sparas även den här."),
        ("Aktiviteter", "Avtal", "Avtalet Samforma AF avvisades, se Avtal rad 2. Rätta den raden och importera filen "
                                 "igen, så sparas även den här. Lämna Avtal tomt om aktiviteten inte hör till något "
                                 "avtal.")]


def test_a_new_status_updates_the_commitment_and_undo_restores_it(agreement):
    first = import_ok(agreement, workbook(commitments=[commitment_row()]))
    before = snapshot(agreement)
    done = import_ok(agreement, workbook(commitments=[commitment_row(Status="Klart", Kommentar="Redovisad")]))
    assert (done.imported, done.updated) == (0, 1)
    assert commitments(agreement)[0][-2:] == ("klart", "Redovisad")
    assert rows(agreement, "SELECT batch_id FROM commitments") == [(done.batch_id,)]
    again = import_ok(agreement, workbook(commitments=[commitment_row(Status="Klart", Kommentar="Redovisad")]))
    assert (again.updated, again.duplicates) == (0, 4)
    undo_batch(agreement, done.batch_id)
    assert without_batches(snapshot(agreement)) == without_batches(before)
    undo_batch(agreement, first.batch_id)
    assert commitments(agreement) == []


def test_a_blank_status_keeps_the_stored_one(agreement):
    import_ok(agreement, workbook(commitments=[commitment_row(Status="Klart")]))
    report = import_ok(agreement, workbook(commitments=[commitment_row(Status="", Intervall="")]))
    assert report.updated == 0
    assert commitments(agreement)[0][3:6] == ("yearly", "2025-12-31", "klart")


def test_the_same_commitment_twice_in_one_file(agreement):
    content = workbook(commitments=[commitment_row(), commitment_row(Åtagande="årlig  uppföljning av parternas BIDRAG"),
                                    commitment_row(Status="Klart")])
    report = import_file(agreement, content, "avtal.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows) == (1, 4, 1)
    rejection = the_rejection(report)
    assert (rejection.row, rejection.column) == (4, "Åtagande") and "rad 2" in rejection.message


# --- Aktiviteter ---------------------------------------------------------------------------

def activity(day: int = 4, agreement: str = "", external_id: str = "") -> list:
    return [dt.date(2025, 3, day), "Samforma", "", "Umeå", external_id, agreement]


def filed(engine) -> list[tuple]:
    return rows(engine, "SELECT date, external_id, agreements.name FROM activities "
                        "LEFT JOIN agreements ON agreements.id = activities.agreement_id ORDER BY date")


@pytest.mark.parametrize("header", ["Avtal", "Avsiktsförklaring", "Överenskommelse", "AVTAL", " överenskommelse "])
def test_an_activity_names_its_agreement(agreement, header):
    content = workbook_bytes({"Aktiviteter": [[*ACTIVITY_HEADER[:-1], header],
                                              activity(agreement="AVSIKTSFÖRKLARING samforma")]})
    import_ok(agreement, content)
    assert filed(agreement) == [("2025-03-04", None, "Avsiktsförklaring Samforma")]


def test_an_activity_naming_an_unknown_agreement_is_rejected(agreement):
    content = workbook(activities=[activity(agreement="Avsiktsförklaring Samforma"),
                                   activity(5, agreement="Avsiktsförklaringen med Samforma")])
    report = import_file(agreement, content, "logg.xlsx")
    rejection = the_rejection(report)
    assert (rejection.sheet, rejection.row, rejection.column, rejection.value) == (
        "Aktiviteter", 3, "Avtal", "Avsiktsförklaringen med Samforma")
    assert "Det finns inget avtal som heter" in rejection.message
    assert rejection.message.endswith("Lämna Avtal tomt om aktiviteten inte hör till något avtal.")
    assert filed(agreement) == [("2025-03-04", None, "Avsiktsförklaring Samforma")]


def test_an_activity_may_name_an_agreement_of_the_same_file(engine):
    import_ok(engine, workbook([agreement_row()], activities=[activity(agreement="Avsiktsförklaring Samforma")]))
    assert filed(engine) == [("2025-03-04", None, "Avsiktsförklaring Samforma")]


def test_a_log_imported_again_with_its_agreements_files_the_stored_activities(agreement):
    import_ok(agreement, workbook(activities=[activity(), activity(5)]))
    before = snapshot(agreement)
    report = import_ok(agreement, workbook(activities=[activity(agreement="Avsiktsförklaring Samforma"), activity(5)]))
    assert (report.imported, report.updated, report.duplicates) == (0, 1, 4)
    assert filed(agreement) == [("2025-03-04", None, "Avsiktsförklaring Samforma"), ("2025-03-05", None, None)]
    # the same file again changes nothing; a blank Avtal cell takes no agreement away
    again = import_ok(agreement, workbook(activities=[activity(agreement="Avsiktsförklaring Samforma"), activity(5)]))
    assert (again.imported, again.updated) == (0, 0)
    assert import_ok(agreement, workbook(activities=[activity(), activity(5)])).updated == 0
    undo_batch(agreement, report.batch_id)
    assert without_batches(snapshot(agreement)) == without_batches(before)


def test_an_activity_with_an_id_moves_to_another_agreement(agreement):
    import_ok(agreement, workbook([agreement_row(Namn="Överenskommelse Norrbotten", Typ="Överenskommelse")],
                                  activities=[activity(agreement="Avsiktsförklaring Samforma", external_id="A-1")]))
    report = import_ok(agreement, workbook(activities=[activity(agreement="Överenskommelse Norrbotten",
                                                                external_id="A-1")]))
    assert report.updated == 1
    assert filed(agreement) == [("2025-03-04", "A-1", "Överenskommelse Norrbotten")]
    assert import_ok(agreement, workbook(activities=[activity(external_id="A-1")])).updated == 0
    undo_batch(agreement, report.batch_id)
    assert filed(agreement) == [("2025-03-04", "A-1", "Avsiktsförklaring Samforma")]


def test_the_same_activity_under_two_agreements_in_one_file_is_rejected(agreement):
    import_ok(agreement, workbook([agreement_row(Namn="Överenskommelse Norrbotten", Typ="Överenskommelse")]))
    content = workbook(activities=[activity(agreement="Avsiktsförklaring Samforma"),
                                   activity(agreement="Överenskommelse Norrbotten"),
                                   activity(agreement="Avsiktsförklaring Samforma")])
    report = import_file(agreement, content, "logg.xlsx")
    assert (report.imported, report.duplicates, report.rejected_rows) == (1, 4, 1)
    rejection = the_rejection(report)
    assert (rejection.row, rejection.column, rejection.value) == (3, "Avtal", "Överenskommelse Norrbotten")
    assert "rad 2" in rejection.message and "ett annat avtal" in rejection.message


# --- a coordinator's workbook: partners new to the register -----------------------------------------

REGISTER = [["Organisation", "Sektor"], ["Region Norrbotten", "Offentlig sektor"], ["Umeå universitet", "Akademi"],
            ["Skellefteå Kraft", "Näringsliv"], ["Umeå kommun", "Offentlig sektor"]]
# (agreement, kind, partners, where its meetings are): none of the new partners is on the Organisationer sheet
PARTNERSHIPS = [("Samforma AF", "Avsiktsförklaring", "Samforma", "Umeå"),
                ("IOP Youth Up North", "IOP", "Youth Up North", "Umeå"),
                ("Överenskommelse Bygdegårdarna", "Överenskommelse", "Bygdegårdarna i Norrbotten; Region Norrbotten",
                 "Kalix"),
                ("Avtal Luleå Science Park", "Avtal", "Luleå Science Park", "Luleå"),  # its sector: the last meeting
                ("Avtal Kalix Konsult", "Avtal", "Kalix Konsult AB", "Kalix")]  # no sector anywhere: truly bad


def coordinators_workbook() -> bytes:
    """41 rows as a coordinator brings them: 4 organisations, 5 agreements (rows 2-6) with a commitment each,
    and 27 activities: five valid meetings under each of the first four agreements (rows 2-21), one under the
    fifth (row 22), one with an impossible date (row 23), four without agreement and, last, one that gives
    Luleå Science Park its sector (row 28)."""
    agreements_sheet = [agreement_row(Namn=name, Typ=kind, Part=partners) for name, kind, partners, _ in PARTNERSHIPS]
    commitments_sheet = [commitment_row(Avtal=name) for name, *_ in PARTNERSHIPS]
    meetings = [[dt.date(2025, month, 3 + index), partners.split(";")[0], "", place, "", name]
                for index, (name, _, partners, place) in enumerate(PARTNERSHIPS[:4]) for month in range(1, 6)]
    others = [[dt.date(2025, 6, 2), "Region Norrbotten", "", "Kalix", "", "Avtal Kalix Konsult"],
              ["2025-02-31", "Samforma", "", "Umeå", "", ""],
              *([dt.date(2025, 6, 9 + day), partner, "", "Umeå", "", ""]
                for day, partner in enumerate(["Region Norrbotten", "Umeå universitet", "Skellefteå Kraft",
                                               "Umeå kommun"])),
              [dt.date(2025, 6, 20), "Luleå Science Park", "Näringsliv", "Luleå", "", ""]]
    return workbook(agreements_sheet, commitments_sheet, [*meetings, *others], organisations=REGISTER)


def test_a_coordinators_workbook_imports_with_only_its_truly_bad_rows_refused_and_undoes_whole(engine):
    """Before: 32 of the 41 rows were refused, each rejected agreement taking its commitment and its meetings."""
    empty = snapshot(engine)
    report = import_file(engine, coordinators_workbook(), "avtal.xlsx")
    assert (report.rows_read, report.imported, report.duplicates, report.rejected_rows) == (41, 37, 0, 4)
    kalix = ("Avtalet Avtal Kalix Konsult avvisades, se Avtal rad 6. Rätta den raden och importera filen igen, så "
             "sparas även den här.")
    assert [(r.sheet, r.row, r.column, r.message.split(". ")[0]) for r in report.rejected] == [
        ("Avtal", 6, "Part", "Kalix Konsult AB finns inte i organisationsregistret, och filen anger ingen sektor för "
                             "den"),
        ("Åtaganden", 6, "Avtal", "Avtalet Avtal Kalix Konsult avvisades, se Avtal rad 6"),
        ("Aktiviteter", 22, "Avtal", "Avtalet Avtal Kalix Konsult avvisades, se Avtal rad 6"),
        ("Aktiviteter", 23, "Datum", "Datumet 2025-02-31 finns inte i kalendern")]
    assert [r.message for r in report.rejected[1:3]] == [
        kalix, f"{kalix} Lämna Avtal tomt om aktiviteten inte hör till något avtal."]
    assert [(each.name, each.sector, each.row) for each in report.added_organisations] == [
        ("Samforma", "civil_society", 2), ("Youth Up North", "civil_society", 3),
        ("Bygdegårdarna i Norrbotten", "civil_society", 4), ("Luleå Science Park", "business", 5)]
    assert rows(engine, "SELECT agreements.name, COUNT(*) FROM activities JOIN agreements "
                        "ON agreements.id = activities.agreement_id GROUP BY agreements.name ORDER BY 1") == [
        ("Avtal Luleå Science Park", 5), ("IOP Youth Up North", 5), ("Samforma AF", 5),
        ("Överenskommelse Bygdegårdarna", 5)]
    assert (count(engine, "commitments"), count(engine, "organisations")) == (4, 8)
    undo_batch(engine, report.batch_id)
    assert without_batches(snapshot(engine)) == without_batches(empty)  # the partners it added go too


# --- undo and merge ---------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["newest first", "oldest first"])
def test_an_agreement_stays_while_a_later_import_uses_it(engine, order):
    empty = snapshot(engine)
    first = import_ok(engine, workbook([agreement_row()])).batch_id
    second = import_ok(engine, workbook_bytes({
        "Åtaganden": [COMMITMENT_HEADER, commitment_row()],
        "Aktiviteter": [ACTIVITY_HEADER, activity(agreement="Avsiktsförklaring Samforma")]})).batch_id
    if order == "oldest first":
        undo_batch(engine, first)
        # the agreement and its partner stay; the organisations nothing uses go
        assert len(agreements(engine)) == 1
        assert rows(engine, "SELECT name FROM organisations") == [("Samforma",)]
        undo_batch(engine, second)
    else:
        undo_batch(engine, second)
        assert len(agreements(engine)) == 1 and count(engine, "commitments") == 0
        undo_batch(engine, first)
    assert without_batches(snapshot(engine)) == without_batches(empty)


def test_a_merged_partner_stays_the_agreements_partner(agreement):
    import_ok(agreement, workbook([agreement_row(Part="Samforma; Youth Up North")]))
    ids = dict(rows(agreement, "SELECT name, id FROM organisations"))
    merge_organisations(agreement, ids["Samforma"], ids["Youth Up North"])
    assert agreements(agreement)[0][-1] == "Samforma"


def test_the_sheets_are_read_in_the_order_that_lets_each_name_the_ones_before():
    content = workbook_bytes({"Aktiviteter": [ACTIVITY_HEADER, activity()], "Åtaganden": [COMMITMENT_HEADER,
                              commitment_row()], "Resurser": [["År", "Sektor", "FTE"], [2025, "Näringsliv", 1]],
                              "Avtal": [AGREEMENT_HEADER, agreement_row()], "Organisationer": ORGANISATIONS})
    assert [sheet.kind.key for sheet in read_workbook(content, "allt.xlsx")] == [
        "organisations", "agreements", "commitments", "resources", "activities"]


@pytest.mark.parametrize(("header", "row", "kind"), [
    (AGREEMENT_HEADER, agreement_row(), "agreements"),
    (["Avtalsnamn", "Avtalstyp", "Parter", "Undertecknad"], agreement_row()[:4], "agreements"),
    (COMMITMENT_HEADER, commitment_row(), "commitments"),
    (["Överenskommelse", "ÅTAGANDE", "Vems", "Frekvens", "Klart senast"], commitment_row()[:5], "commitments"),
])
def test_an_unnamed_agreement_or_commitment_sheet_is_found_by_its_headers(header, row, kind):
    (sheet,) = read_workbook(workbook_bytes({"Blad1": [["Avtal 2025"], header, row]}), "avtal.xlsx")
    assert (sheet.kind.key, len(sheet.numbers)) == (kind, 1)


def test_the_same_activity_on_two_sheets_under_two_agreements_is_rejected_and_imports_again_alike(agreement):
    import_ok(agreement, workbook([agreement_row(Namn="Överenskommelse Norrbotten", Typ="Överenskommelse")],
                                  activities=[activity()]))
    content = workbook_bytes({"Aktiviteter": [ACTIVITY_HEADER, activity(agreement="Avsiktsförklaring Samforma")],
                              "Blad1": [ACTIVITY_HEADER, activity(agreement="Överenskommelse Norrbotten")]})
    first = import_file(agreement, content, "logg.xlsx")
    assert (first.updated, first.rejected_rows) == (1, 1)
    assert "rad 2 i bladet Aktiviteter" in the_rejection(first).message
    again = import_file(agreement, content, "logg.xlsx")
    assert (again.updated, again.duplicates, again.rejected_rows) == (0, 1, 1)
    assert filed(agreement) == [("2025-03-04", None, "Avsiktsförklaring Samforma")]


def test_a_new_signing_date_after_the_stored_end_date_is_rejected_not_crashed(engine):
    import_ok(engine, workbook([agreement_row()]))  # signed 2024-03-15, valid until 2027-12-31
    later = import_file(engine, workbook([agreement_row(Undertecknat="2028-01-01", Giltigt_till="")]),
                        "avtal.xlsx")
    assert later.error is None and [(r.sheet, r.column) for r in later.rejected] == [("Avtal", "Undertecknat")]
    assert "Giltigt till" in later.rejected[0].message
    assert agreements(engine)[0][2:4] == ("2024-03-15", "2027-12-31")
