"""The audit log records every deed and cannot be changed; names are pseudonymised everywhere at once."""

import pytest
from conftest import activity_log, count, rows
from sqlalchemy.exc import DatabaseError

from civsam.audit import entries
from civsam.batches import undo_batch
from civsam.cli import main
from civsam.db import write_transaction
from civsam.importer import import_file
from civsam.organisations import merge_organisations
from civsam.people import PersonError, occurrences, pseudonymise

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


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET user = 'någon annan'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_the_audit_log(logged, statement):
    engine, _ = logged
    with pytest.raises(DatabaseError, match="skrivskyddad"):
        with write_transaction(engine) as connection:
            connection.exec_driver_sql(statement)
    assert count(engine, "audit_log") == 1


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
