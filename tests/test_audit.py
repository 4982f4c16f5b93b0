"""The audit log records every deed and cannot be changed; names are pseudonymised everywhere at once, one by one
or when the retention period has passed."""

import datetime as dt

import pytest
from conftest import activity_log, count, rows, workbook_bytes
from sqlalchemy import insert
from sqlalchemy.exc import DatabaseError

from civsam.audit import entries
from civsam.batches import undo_batch
from civsam.cli import main
from civsam.db import write_transaction
from civsam.importing import import_file
from civsam.models import Person
from civsam.organisations import merge_organisations
from civsam.parsing import name_key
from civsam.people import PersonError, apply_retention, occurrences, past_retention, pseudonymise

HEADER = ["Datum", "Organisation", "Sektor", "Kommun", "Ansvarig"]


@pytest.fixture
def logged(engine):
    log = activity_log(["2025-03-04", "Rädda Barnen", "ideell", "Umeå", "Anna Exempel"],
                       ["2025-03-05", "Rädda barnen VB", "ideell", "Umeå", "anna  exempel"],
                       ["2025-03-06", "Samforma", "ideell", "Kiruna", "Erik Exempel"], header=HEADER)
    report = import_file(engine, log, "logg.xlsx", user="samordnare")
    return engine, report


def test_every_deed_is_recorded_with_who_what_and_how_many(logged):
    engine, report = logged
    ids = dict(rows(engine, "SELECT name, id FROM organisations"))
    merge_organisations(engine, ids["Rädda Barnen"], ids["Rädda barnen VB"], "samordnare")
    pseudonymise(engine, "Erik Exempel", "RUN 2025/123", "arkivarie")
    undo_batch(engine, report.batch_id, "samordnare")
    log = entries(engine)
    assert log["action"].tolist() == ["undo", "pseudonymise", "merge", "import"]
    imported = log.iloc[-1]
    assert (imported["user"], imported["batch_id"], imported["rows"]) == ("samordnare", report.batch_id, 3)
    assert len(imported["file_sha256"]) == 64 and imported["detail"].startswith("logg.xlsx: 3 nya")
    assert "RUN 2025/123" in log.iloc[1]["detail"] and log.iloc[1]["user"] == "arkivarie"


ENTRY_1 = "(1, '2020-01-01 00:00:00', 'någon annan', 'import', 'ingenting')"
COLUMNS = "audit_log (id, at, \"user\", action, detail)"


def _refused(engine, statement: str) -> None:
    before = rows(engine, "SELECT * FROM audit_log")
    with pytest.raises(DatabaseError, match="skrivskyddad"):
        with write_transaction(engine) as connection:
            connection.exec_driver_sql(statement)
    assert rows(engine, "SELECT * FROM audit_log") == before


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET \"user\" = 'någon annan'",
    "DELETE FROM audit_log",
    f"INSERT INTO {COLUMNS} VALUES {ENTRY_1} ON CONFLICT (id) DO UPDATE SET detail = excluded.detail",
])
def test_the_database_refuses_to_change_the_audit_log(logged, statement):
    _refused(logged[0], statement)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement", [
    f"INSERT OR REPLACE INTO {COLUMNS} VALUES {ENTRY_1}",  # REPLACE deletes without firing a DELETE trigger
    f"REPLACE INTO {COLUMNS} VALUES {ENTRY_1}",
    f"REPLACE INTO {COLUMNS} VALUES ('1', '2020-01-01', 'någon annan', 'import', 'ingenting')",
    f"REPLACE INTO {COLUMNS} VALUES (1.0, '2020-01-01', 'någon annan', 'import', 'ingenting')",
])
def test_sqlite_refuses_to_replace_an_entry(logged, statement):
    _refused(logged[0], statement)


@pytest.mark.sqlite_only
def test_an_entry_appended_with_id_minus_1_cannot_block_the_entries_to_come(logged):
    engine, _ = logged  # before an insert SQLite gives an id it chooses itself as -1
    with pytest.raises(DatabaseError, match="från 1 och uppåt"):
        with write_transaction(engine) as connection:
            connection.exec_driver_sql(f"INSERT INTO {COLUMNS} VALUES (-1, '2020-01-01', 'x', 'import', 'x')")
    import_file(engine, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "ny.xlsx")
    assert count(engine, "audit_log") == 2


def test_postgresql_refuses_to_empty_the_audit_log(postgres_engine):
    import_file(postgres_engine, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx")
    _refused(postgres_engine, "TRUNCATE audit_log")


def test_an_entry_with_a_new_id_is_still_added_however_it_is_inserted(logged):
    engine, _ = logged
    statement = "INSERT OR REPLACE INTO" if engine.dialect.name == "sqlite" else "INSERT INTO"
    with write_transaction(engine) as connection:
        connection.exec_driver_sql(f"{statement} audit_log (id, at, \"user\", action, detail) "
                                   "VALUES (2, '2025-01-01 00:00:00', 'samordnare', 'export', 'rapport.xlsx')")
    assert count(engine, "audit_log") == 2


def test_a_dry_run_leaves_no_entry(engine):
    import_file(engine, activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx", dry_run=True)
    assert count(engine, "audit_log") == 0


def test_a_name_is_shown_wherever_it_occurs_and_pseudonymised_everywhere(logged):
    engine, _ = logged
    assert occurrences(engine, "ANNA exempel")["date"].astype(str).tolist() == ["2025-03-04", "2025-03-05"]
    assert pseudonymise(engine, "Anna Exempel", "RUN 2025/7") == 2
    assert occurrences(engine, "Anna Exempel").empty
    names = [name for (name,) in rows(engine, "SELECT name FROM people")]
    assert "Anna Exempel" not in names and any(name.endswith("(pseudonymiserad)") for name in names)
    assert count(engine, "activities") == 3  # the activities stay


def _store_person(engine, name: str) -> None:
    """A name as an earlier civsam imported it, before it refused names that read as pseudonyms."""
    with write_transaction(engine) as connection:
        connection.execute(insert(Person).values(name=name, name_key=name_key(name)))


def test_a_typed_name_that_reads_as_a_pseudonym_collides_with_none(logged):
    engine, _ = logged
    anna = rows(engine, "SELECT id FROM people WHERE name = 'Anna Exempel'")[0][0]
    _store_person(engine, f"Person {anna} (pseudonymiserad)")  # what Anna's pseudonym will read
    assert pseudonymise(engine, "Anna Exempel", "RUN 2025/7") == 2
    assert pseudonymise(engine, f"Person {anna} (pseudonymiserad)", "RUN 2025/8") == 0  # the typed one, not Anna
    assert occurrences(engine, f"Person {anna} (pseudonymiserad)").empty


def test_an_import_refuses_a_name_that_reads_as_a_pseudonym_and_never_files_under_one(logged):
    engine, _ = logged
    pseudonymise(engine, "Erik Exempel", "RUN 2025/7")
    erik = next(name for (name,) in rows(engine, "SELECT name FROM people") if name.startswith("Person "))
    report = import_file(engine, activity_log(["2025-04-01", "Samforma", "ideell", "Kiruna", erik], header=HEADER),
                         "logg.xlsx")
    assert [(r.column, r.value) for r in report.rejected] == [("Ansvarig", erik)]
    assert "pseudonym" in report.rejected[0].message and count(engine, "activities") == 3


def test_a_real_name_that_ends_like_a_pseudonym_is_retained_too(old_and_new):
    _store_person(old_and_new, "Olle (pseudonymiserad)")  # named by no activity since 2016 or ever
    assert "Olle (pseudonymiserad)" in past_retention(old_and_new, 5, TODAY)["name"].tolist()


def _refuse_to_change(engine, name: str) -> None:
    """A trigger by which the database refuses to change the person called `name`: a failure in one name."""
    statements = {
        "sqlite": [f"""CREATE TRIGGER refuse BEFORE UPDATE ON people WHEN OLD.name = '{name}'
                       BEGIN SELECT RAISE(ABORT, 'låst'); END"""],
        "postgresql": [f"""CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN
                           IF OLD.name = '{name}' THEN RAISE EXCEPTION 'låst'; END IF; RETURN NEW; END $$
                           LANGUAGE plpgsql""",
                       "CREATE TRIGGER refuse BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION refuse()"],
    }
    with write_transaction(engine) as connection:
        for statement in statements[engine.dialect.name]:
            connection.exec_driver_sql(statement)


def test_one_name_that_fails_leaves_the_retention_run_going(old_and_new):
    _refuse_to_change(old_and_new, "Nina Mitt")
    people, named, failed = apply_retention(old_and_new, 5, "RUN 2025/50", "arkivarie", TODAY)
    assert (people, named) == (2, 1) and len(failed) == 1 and failed[0].startswith("Nina Mitt")
    assert sorted(past_retention(old_and_new, 5, TODAY)["name"]) == ["Nina Mitt"]
    assert count(old_and_new, "audit_log", "action = 'pseudonymise'") == 2


def test_the_retention_command_names_the_name_that_failed_and_exits_1(old_and_new, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", old_and_new.url.render_as_string(hide_password=False))
    _refuse_to_change(old_and_new, "Olle Gammal")
    assert main(["retention", "--years", "5", "--decision", "RUN 2025/50"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("2 namn är pseudonymiserade") and "gick inte att pseudonymisera Olle Gammal" in err


@pytest.mark.parametrize("name, decision, message", [
    ("Okänd Person", "RUN 1", "finns inte"), ("Anna Exempel", " ", "diarienummer")])
def test_pseudonymising_needs_a_known_name_and_a_decision(logged, name, decision, message):
    engine, _ = logged
    with pytest.raises(PersonError, match=message):
        pseudonymise(engine, name, decision)


def test_the_commands(logged, monkeypatch, capsys):
    engine, _ = logged
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(engine.url))
    assert main(["person", "Anna Exempel", "--show"]) == 0
    assert capsys.readouterr().out.count("2025-03-0") == 2
    assert main(["person", "Anna Exempel", "--pseudonymise"]) == 2
    assert "--decision" in capsys.readouterr().err
    assert main(["person", "Anna Exempel", "--pseudonymise", "--decision", "RUN 2025/9"]) == 0
    assert main(["audit"]) == 0
    assert "pseudonymise" in capsys.readouterr().out


AGREEMENT_SHEETS = {
    "Organisationer": [["Organisation", "Sektor"], ["Samforma", "ideell"]],
    "Avtal": [["Namn", "Typ", "Part", "Undertecknat", "Giltigt till", "Ansvarig"],
              ["Gammalt avtal", "IOP", "Samforma", "2015-01-01", "2017-12-31", "Gun Gammal"],
              ["Löpande avtal", "IOP", "Samforma", "2015-01-01", None, "Lo Löpande"]],
}


@pytest.fixture
def old_and_new(engine):
    """Names whose last activity is in 2016, 2019 or 2024, and two responsible for agreements only."""
    log = activity_log(["2016-05-04", "Samforma", "ideell", "Umeå", "Olle Gammal"],
                       ["2019-03-05", "Samforma", "ideell", "Umeå", "Nina Mitt"],
                       ["2016-03-05", "Samforma", "ideell", "Umeå", "Nina Mitt"],
                       ["2024-03-06", "Samforma", "ideell", "Kiruna", "Erik Ny"], header=HEADER)
    import_file(engine, workbook_bytes(AGREEMENT_SHEETS), "avtal.xlsx")
    import_file(engine, log, "logg.xlsx")
    return engine


TODAY = dt.date(2025, 6, 30)


@pytest.mark.parametrize("years, past", [
    (5, ["Gun Gammal", "Olle Gammal", "Nina Mitt"]),  # every activity or agreement before 2020-06-30
    (8, ["Olle Gammal"]),  # before 2017-06-30: Nina's 2019 activity keeps her, Gun's agreement ran to 2017-12-31
    (30, []),
])
def test_the_names_past_the_retention_period(old_and_new, years, past):
    assert sorted(past_retention(old_and_new, years, TODAY)["name"]) == sorted(past)


def test_retention_pseudonymises_old_names_and_records_the_decision(old_and_new):
    assert apply_retention(old_and_new, 5, "RUN 2025/50", "arkivarie", TODAY) == (3, 3, ())
    names = {name for (name,) in rows(old_and_new, "SELECT name FROM people")}
    assert {"Erik Ny", "Lo Löpande"} <= names and not names & {"Gun Gammal", "Olle Gammal", "Nina Mitt"}
    assert count(old_and_new, "activities") == 4  # the activities stay
    log = entries(old_and_new)
    pseudonymised = log[log["action"] == "pseudonymise"]
    assert len(pseudonymised) == 3 and set(pseudonymised["user"]) == {"arkivarie"}
    assert pseudonymised["detail"].str.contains("RUN 2025/50").all()
    assert past_retention(old_and_new, 5, TODAY).empty  # a pseudonym is not pseudonymised again
    assert apply_retention(old_and_new, 5, "RUN 2025/50", "arkivarie", TODAY) == (0, 0, ())


@pytest.mark.parametrize("years, decision, message", [(5, "", "diarienummer"), (0, "RUN 1", "minst 1 år")])
def test_retention_needs_a_decision_and_a_period(old_and_new, years, decision, message):
    with pytest.raises(PersonError, match=message):
        apply_retention(old_and_new, years, decision, today=TODAY)


def test_the_retention_command_takes_its_period_from_the_setting(old_and_new, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(old_and_new.url))
    monkeypatch.delenv("CIVSAM_RETENTION_YEARS", raising=False)
    assert main(["retention", "--decision", "RUN 2025/50"]) == 2
    assert "CIVSAM_RETENTION_YEARS" in capsys.readouterr().err
    monkeypatch.setenv("CIVSAM_RETENTION_YEARS", "100")
    assert main(["retention", "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("0 namn")
    assert main(["retention", "--years", "1", "--dry-run"]) == 0
    assert "Olle Gammal" in capsys.readouterr().out and count(old_and_new, "audit_log", "action = 'pseudonymise'") == 0
    assert main(["retention", "--years", "1"]) == 2  # no decision
    assert main(["retention", "--years", "1", "--decision", "RUN 2025/50"]) == 0
    assert capsys.readouterr().out.startswith("4 namn är pseudonymiserade")  # Lo: the agreement runs on
