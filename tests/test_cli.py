"""The command line, `python -m civsam`: exit codes, JSON shapes, summary counts, batches, undo, demo, template, and
a start that loads no heavy library."""

import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import count, rows, workbook_bytes
from openpyxl.utils import range_boundaries

from civsam.cli import cli, main
from civsam.db import open_store
from civsam.demo import DEFAULT_ACTIVITIES, clear_demo, has_demo_data
from civsam.queries import YEAR
from civsam.reference import ACTIVITY_TYPES, MUNICIPALITIES, SECTOR_LABELS

PROJECT = Path(__file__).resolve().parent.parent
IMPORT_KEYS = {"batch_id", "rows_read", "imported", "updated", "duplicates", "rejected", "ignored_columns"}
REJECTION_KEYS = {"sheet", "row", "column", "value", "message"}
SUMMARY_KEYS = {"activities", "organisations", "by_county", "by_sector", "municipalities_covered", "hours",
                "resources", "import_batches"}
HEADER = ["Datum", "Organisation", "Sektor", "Kommun", "Län", "Timmar"]


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def civsam(tmp_path, monkeypatch):
    """Runs `python -m civsam ARGS` in-process (click's CliRunner) on a fresh store in tmp_path."""
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'store' / 'civsam.db'}")
    runner = CliRunner()

    def run(*args) -> Result:
        result = runner.invoke(cli, [str(arg) for arg in args], prog_name="python -m civsam", catch_exceptions=False)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write_file


def log(*rows) -> bytes:
    return workbook_bytes({"Aktiviteter": [HEADER, *map(list, rows)]})


GOOD = [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå", "", 2]
OTHER = [dt.date(2025, 3, 5), "LKAB", "Näringsliv", "Kiruna", "", 3]
BAD = ["31/2/2025", "Samforma", "Ideell", "Umeå", "", 1]


# --- import ---------------------------------------------------------------------

def test_import_of_a_clean_file_exits_0_with_the_json_of_the_issue(civsam, write):
    path = write("logg.xlsx", workbook_bytes({"Aktiviteter": [[*HEADER, "Väder"], [*GOOD, "sol"], [*OTHER, ""]]}))
    result = civsam("import", path, "--json")
    assert result.code == 0 and result.err == ""
    report = result.json
    assert set(report) == IMPORT_KEYS
    assert report == {"batch_id": 1, "rows_read": 2, "imported": 2, "updated": 0, "duplicates": 0, "rejected": [],
                      "ignored_columns": ["Väder"]}
    assert civsam("summary", "--json").json["activities"] == 2


def test_import_with_rejected_rows_exits_1_and_stores_the_valid_ones(civsam, write):
    result = civsam("import", write("logg.xlsx", log(GOOD, BAD, OTHER, GOOD)), "--json")
    assert result.code == 1
    report = result.json
    assert set(report) == IMPORT_KEYS
    assert (report["rows_read"], report["imported"], report["duplicates"]) == (4, 2, 1)
    (rejection,) = report["rejected"]
    assert set(rejection) == REJECTION_KEYS
    assert {key: rejection[key] for key in ("sheet", "row", "column", "value")} == {
        "sheet": "Aktiviteter", "row": 3, "column": "Datum", "value": "31/2/2025"}
    assert "finns inte i kalendern" in rejection["message"]
    assert isinstance(report["batch_id"], int)
    assert civsam("summary", "--json").json["activities"] == 2


def test_strict_import_with_rejected_rows_exits_1_and_stores_nothing(civsam, write):
    result = civsam("import", write("logg.xlsx", log(GOOD, BAD)), "--strict", "--json")
    assert result.code == 1
    assert result.json["batch_id"] is None and len(result.json["rejected"]) == 1
    summary = civsam("summary", "--json").json
    assert (summary["activities"], summary["organisations"], summary["import_batches"]) == (0, 0, 0)


def test_dry_run_stores_nothing(civsam, write):
    result = civsam("import", write("logg.xlsx", log(GOOD, OTHER)), "--dry-run", "--json")
    assert result.code == 0
    assert (result.json["batch_id"], result.json["imported"]) == (None, 2)
    assert civsam("summary", "--json").json["activities"] == 0
    assert civsam("batches", "--json").json == []


def test_import_without_json_prints_a_swedish_report(civsam, write):
    result = civsam("import", write("logg.xlsx", log(GOOD, BAD)))
    assert result.code == 1
    assert "2 rader lästa, 1 nya" in result.out and "1 avvisade" in result.out
    assert "Aktiviteter rad 3, Datum = '31/2/2025'" in result.out


def test_an_import_names_the_partners_its_agreements_added_to_the_register(civsam, write):
    agreement = ["IOP Youth Up North", "IOP", "Youth Up North; Region Norrbotten", dt.date(2024, 3, 15)]
    path = write("avtal.xlsx", workbook_bytes({
        "Avtal": [["Namn", "Typ", "Part", "Undertecknat"], agreement],
        "Aktiviteter": [HEADER, [dt.date(2025, 3, 4), "Region Norrbotten", "Offentlig sektor", "Luleå", "", 2]]}))
    assert civsam("import", path, "--dry-run").out.splitlines()[1] == (
        "Nya organisationer från Avtal: Youth Up North (civilsamhälle), Region Norrbotten (offentlig sektor). "
        "Stämmer inte en sektor, rätta den på bladet Organisationer och importera igen.")
    report = civsam("import", path, "--json").json
    assert set(report) == IMPORT_KEYS | {"added_organisations"}
    assert report["added_organisations"] == [
        {"name": "Youth Up North", "sector": "civil_society", "sheet": "Avtal", "row": 2},
        {"name": "Region Norrbotten", "sector": "public", "sheet": "Avtal", "row": 2}]


def test_importing_the_same_file_twice_adds_nothing(civsam, write):
    path = write("logg.xlsx", log(GOOD, OTHER))
    civsam("import", path)
    again = civsam("import", path, "--json")
    assert (again.code, again.json["imported"], again.json["duplicates"]) == (0, 0, 2)


def _unreadable_files(tmp_path: Path) -> dict[str, Path]:
    files = {"not a workbook": ("logg.xlsx", b"Datum;Organisation\n2025-03-04;Samforma\n"),
             "damaged": ("logg.xlsx", log(GOOD)[:700]),
             "wrong suffix": ("logg.csv", log(GOOD)),
             "no recognisable sheet": ("logg.xlsx", workbook_bytes({"Blad1": [["Namn", "Telefon"], ["Anna", "1"]]}))}
    paths = {}
    for case, (name, content) in files.items():
        paths[case] = tmp_path / case.replace(" ", "_") / name
        paths[case].parent.mkdir()
        paths[case].write_bytes(content)
    paths["missing"] = tmp_path / "finns-inte.xlsx"
    paths["a folder"] = tmp_path
    return paths


@pytest.mark.parametrize("case", ["not a workbook", "damaged", "wrong suffix", "no recognisable sheet", "missing",
                                  "a folder"])
def test_a_file_that_cannot_be_read_exits_2_with_one_line_and_writes_nothing(civsam, tmp_path, case):
    path = _unreadable_files(tmp_path)[case]
    result = civsam("import", path, "--json")
    assert result.code == 2
    report = result.json
    assert set(report) == IMPORT_KEYS | {"error"}
    assert report["error"] and report["batch_id"] is None and report["rejected"] == []
    err_lines = result.err.strip().splitlines()
    assert len(err_lines) == 1 and err_lines[0].startswith("civsam: ")
    plain = civsam("import", path)
    assert plain.code == 2 and plain.out == "" and len(plain.err.strip().splitlines()) == 1
    assert civsam("batches", "--json").json == []


def test_an_unreachable_database_exits_2_without_a_traceback(tmp_path, monkeypatch, capsys):
    (tmp_path / "a-folder.db").mkdir()
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'a-folder.db'}")
    assert main(["summary", "--json"]) == 2
    out, err = capsys.readouterr()
    assert "CIVSAM_DATABASE_URL" in err and "Traceback" not in err


def test_import_json_on_an_unreachable_database_is_still_one_json_object(tmp_path, monkeypatch, capsys):
    (tmp_path / "a-folder.db").mkdir()
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'a-folder.db'}")
    (tmp_path / "logg.xlsx").write_bytes(log(GOOD))
    assert main(["import", str(tmp_path / "logg.xlsx"), "--json"]) == 2
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert set(report) == IMPORT_KEYS | {"error"} and "CIVSAM_DATABASE_URL" in report["error"]
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def _limited(*args, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m civsam ARGS` in a process of its own with 1 GB of address space and two minutes at most: a
    command that reads without end fails there instead of taking the machine's memory or waiting for ever."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    environment = {**os.environ, "CIVSAM_DATABASE_URL": f"sqlite:///{cwd / 'civsam.db'}", "PYTHONPATH": str(PROJECT)}
    return subprocess.run([sys.executable, "-m", "civsam", *map(str, args)], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=120, preexec_fn=limit_memory)


@pytest.mark.parametrize("device", ["a named pipe", "/dev/zero", "a sparse file of 64 GB"])
def test_import_refuses_what_is_no_regular_file_or_too_large_before_reading_it(tmp_path, device):
    path = Path(device)
    if device == "a named pipe":  # reading it waited for a writer that never came
        path = tmp_path / "logg.xlsx"
        os.mkfifo(path)
    elif device.startswith("a sparse file"):  # read whole before its size was checked
        path = tmp_path / "stor.xlsx"
        with path.open("wb") as file:
            file.truncate(64 << 30)
    result = _limited("import", path, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ("ingen vanlig fil" if path.stat().st_size == 0 else "gränsen är 25 MB") in result.stderr


# --- summary -----------------------------------------------------------------------

def test_summary_counts_counties_by_municipality_or_county_and_sectors_by_organisation(civsam, write):
    content = workbook_bytes({
        "Organisationer": [["Organisation", "Sektor"], ["Utan aktivitet", "Ideell"], ["LKAB", "Näringsliv"]],
        "Resurser": [["År", "Sektor", "Årsarbetskrafter", "Budget (kr)"], [2025, "Näringsliv", 7.5, 6_200_000],
                     [2024, "Ideell", 0.4, 150_000]],
        "Aktiviteter": [HEADER,
                        [dt.date(2025, 3, 4), "Samforma; LKAB", "Ideell", "Umeå", "", 2],   # two sectors, one activity
                        [dt.date(2025, 3, 5), "Samforma; Bilda Nord", "Ideell", "Umeå", "", 1.5],  # one sector twice
                        [dt.date(2025, 3, 6), "Region Norrbotten", "Offentlig", "", "BD", 3],  # county only
                        [dt.date(2025, 3, 7), "LTU", "Akademi", "Luleå", "Norrbotten", 0.5]],
    })
    assert civsam("import", write("logg.xlsx", content)).code == 0
    result = civsam("summary", "--json")
    assert result.code == 0
    summary = result.json
    assert set(summary) == SUMMARY_KEYS
    assert summary == {
        "activities": 4,
        "organisations": 6,
        "by_county": {"Västerbotten": 2, "Norrbotten": 2},
        "by_sector": {"civil_society": 2, "business": 1, "public": 1, "academia": 1},
        "municipalities_covered": 2,
        "hours": 7.0,
        "resources": [{"year": 2024, "sector": "civil_society", "fte": 0.4, "budget_sek": 150_000},
                      {"year": 2025, "sector": "business", "fte": 7.5, "budget_sek": 6_200_000}],
        "import_batches": 1,
    }


def test_summary_of_an_empty_store(civsam):
    summary = civsam("summary", "--json").json
    assert summary == {"activities": 0, "organisations": 0, "by_county": {"Västerbotten": 0, "Norrbotten": 0},
                       "by_sector": {"civil_society": 0, "business": 0, "public": 0, "academia": 0},
                       "municipalities_covered": 0, "hours": 0.0, "resources": [], "import_batches": 0}


def test_summary_without_json_is_swedish_text(civsam, write):
    civsam("import", write("logg.xlsx", log(GOOD)))
    result = civsam("summary")
    assert result.code == 0 and "Aktiviteter: 1" in result.out and "Kommuner med aktivitet: 1 av 29" in result.out


# --- batches and undo ----------------------------------------------------------------

def test_batches_lists_the_imports_and_undo_takes_one_back(civsam, write):
    civsam("import", write("januari.xlsx", log(GOOD)))
    civsam("import", write("februari.xlsx", log(GOOD, OTHER)))
    listed = civsam("batches")
    assert listed.code == 0 and "januari.xlsx" in listed.out and "februari.xlsx" in listed.out
    batches = civsam("batches", "--json").json
    assert [(b["id"], b["file_name"], b["imported"], b["duplicates"]) for b in batches] == [
        (2, "februari.xlsx", 1, 1), (1, "januari.xlsx", 1, 0)]

    result = civsam("undo", 2)
    assert result.code == 0 and "2" in result.out
    assert civsam("summary", "--json").json["activities"] == 1
    assert "ångrad" in civsam("batches").out


def test_undoing_twice_or_an_unknown_batch_exits_2_with_a_swedish_line(civsam, write):
    civsam("import", write("logg.xlsx", log(GOOD)))
    assert civsam("undo", 1).code == 0
    twice = civsam("undo", 1)
    assert twice.code == 2 and "redan ångrad" in twice.err and len(twice.err.strip().splitlines()) == 1
    unknown = civsam("undo", 42)
    assert unknown.code == 2 and "ingen import med nummer 42" in unknown.err


def test_batches_of_an_empty_store(civsam):
    assert "Inga importer" in civsam("batches").out


def test_an_import_says_how_many_cells_had_control_characters_taken_out(civsam, write):
    result = civsam("import", write("logg.xlsx", log([*GOOD[:1], "Samf_x001B_[2Jorma", *GOOD[2:]])))
    assert result.code == 0 and "\x1b" not in result.out
    assert "Osynliga styrtecken (t.ex. ESC eller NUL) tas bort ur 1 av filens celler." in result.out


def test_the_terminal_gets_control_characters_as_escapes_never_raw(civsam, write):
    """What a store already holds (an audit entry stays as it was written) reaches the terminal escaped: ESC
    would recolour or clear the screen, a carriage return overwrite the line."""
    civsam("import", write("logg.xlsx", log(GOOD)))
    from civsam.db import write_transaction
    engine = open_store()
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("UPDATE import_batches SET file_name = 'logg\x1b[2J\r.xlsx', user = 'anna\x9b'")
        connection.exec_driver_sql("INSERT INTO audit_log (at, user, action, detail) VALUES "
                                   "('2025-03-04 10:00', 'anna\x07', 'import', 'logg\x1b]8;;http://x\x1b\\.xlsx')")
    engine.dispose()
    for command in ("batches", "audit"):
        shown = civsam(command).out
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", shown), command
    assert "logg\\u001b[2J\\u000d.xlsx" in civsam("batches").out
    assert "logg\\u001b]8;;http://x\\u001b\\.xlsx" in civsam("audit").out
    assert civsam("batches", "--json").json[0]["file_name"] == "logg\x1b[2J\r.xlsx"  # still JSON, still the text
    assert civsam("audit", "--json").json[0]["user"] == "anna\x07"


# --- one activity ---------------------------------------------------------------------

def test_an_activity_is_added_edited_and_deleted_by_command_each_undone_and_a_refused_one_stores_nothing(civsam):
    refused = civsam("activity", "add", "--date", "2025-03-04", "--organisation", "Samforma", "--municipality",
                     "Skelefteå", "--sector", "Civilsamhälle", "--json")
    assert refused.code == 1 and refused.out == ""
    assert "Kommun: " in refused.err and "Menar du Skellefteå?" in refused.err
    assert civsam("summary", "--json").json["activities"] == 0 and civsam("batches", "--json").json == []
    added = civsam("activity", "add", "--date", "2025-03-04", "--organisation", "Samforma", "--organisation", "LKAB",
                   "--sector", "Civilsamhälle", "--municipality", "Skellefteå", "--hours", "1,5", "--youth",
                   "--title", "Planering", "--json")
    assert added.code == 0 and set(added.json) == {"id", "batch"}
    activity = added.json["id"]
    edited = civsam("activity", "edit", activity, "--county", "Norrbotten", "--no-youth", "--json")
    assert edited.code == 0 and edited.json == {"id": activity, "batch": added.json["batch"] + 1}
    store = open_store()
    try:
        assert rows(store, "SELECT title, municipality_code, county, hours, youth FROM activities") == [
            ("Planering", None, "Norrbotten", 1.5, 0)]
        listed = civsam("batches", "--json").json
        assert [(batch["kind"], batch["file_name"]) for batch in listed] == [
            ("edit", f"Ändrad aktivitet {activity}: 2025-03-04, LKAB, Samforma"),
            ("add", f"Ny aktivitet {activity}: 2025-03-04, Samforma, LKAB")]
        deleted = civsam("activity", "delete", activity)
        assert deleted.code == 0 and deleted.out.startswith(f"Aktivitet {activity} är borttagen (import ")
        assert civsam("summary", "--json").json["activities"] == 0
        assert civsam("undo", added.json["batch"] + 2).code == 0
        assert civsam("undo", edited.json["batch"]).code == 0
        assert rows(store, "SELECT title, municipality_code, county, hours, youth FROM activities") == [
            ("Planering", "2482", "Västerbotten", 1.5, 1)]
        assert count(store, "activity_organisations") == 2
    finally:
        store.dispose()
    unknown = civsam("activity", "edit", 999, "--hours", "2")
    assert unknown.code == 2 and "Det finns ingen aktivitet med nummer 999" in unknown.err


# --- demo ---------------------------------------------------------------------------

def test_demo_fills_both_counties_and_all_sectors_marked_as_demo(civsam):
    result = civsam("demo", "--activities", 300)
    assert result.code == 0
    summary = civsam("summary", "--json").json
    assert summary["activities"] == 300
    assert all(summary["by_county"].values()) and all(summary["by_sector"].values())
    by_year = {}
    for row in summary["resources"]:
        by_year.setdefault(row["year"], {})[row["sector"]] = row
    assert {2023, 2024, 2025} <= set(by_year)
    for year in (2023, 2024, 2025):  # business collaboration has staff and budget; civil society much less
        assert by_year[year]["business"]["fte"] > by_year[year]["civil_society"]["fte"]
        assert by_year[year]["business"]["budget_sek"] > by_year[year]["civil_society"]["budget_sek"]
    (batch,) = civsam("batches", "--json").json
    assert batch["kind"] == "demo"


def test_demo_data_covers_three_years_both_counties_and_all_sectors(demo_engine):
    assert has_demo_data(demo_engine)
    assert rows(demo_engine, "SELECT MIN(date) >= '2023-01-01', MAX(date) <= '2025-12-31', "
                             f"COUNT(DISTINCT {YEAR.format('activities')}) FROM activities") == [(1, 1, 3)]
    assert rows(demo_engine, "SELECT COUNT(*), COUNT(DISTINCT county) FROM activities") == [(400, 2)]
    assert rows(demo_engine, "SELECT COUNT(DISTINCT sector) FROM organisations") == [(4,)]
    assert rows(demo_engine, 'SELECT kind, "user" FROM import_batches') == [("demo", "civsam demo")]
    assert 1000 <= DEFAULT_ACTIVITIES < 10_000  # "a few thousand" by default
    clear_demo(demo_engine)
    assert not has_demo_data(demo_engine)
    assert [count(demo_engine, table) for table in ("activities", "organisations", "people", "resources")] == [0] * 4


def test_demo_clear_removes_the_demo_but_keeps_real_imports(civsam, write):
    civsam("demo", "--activities", 200)
    assert civsam("import", write("logg.xlsx", log(GOOD))).code == 0  # Samforma is also a demo partner
    result = civsam("demo", "--clear")
    assert result.code == 0
    summary = civsam("summary", "--json").json
    assert (summary["activities"], summary["resources"], summary["organisations"]) == (1, [], 1)


def test_demo_again_replaces_the_demo(civsam):
    civsam("demo", "--activities", 100)
    civsam("demo", "--activities", 50)
    assert civsam("summary", "--json").json["activities"] == 50


def test_demo_if_empty_fills_only_an_empty_store(civsam, write):
    civsam("import", write("logg.xlsx", log(GOOD)))
    assert civsam("demo", "--if-empty", "--activities", 100).code == 0
    assert civsam("summary", "--json").json["activities"] == 1
    civsam("undo", 1)
    assert civsam("demo", "--if-empty", "--activities", 100).code == 0
    assert civsam("summary", "--json").json["activities"] == 100


def test_demo_needs_at_least_one_activity(civsam):
    result = civsam("demo", "--activities", 0)
    assert result.code == 2 and "--activities" in result.err


# --- template ---------------------------------------------------------------------------

TEMPLATE_HEADER = ["Datum", "Typ", "Rubrik", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Deltagare",
                   "Kostnad (kr)", "Projekt", "Unga", "Ansvarig", "Kommentar", "ID", "Avtal"]


def _drop_down(workbook, sheet, header: str) -> list:
    """The values the drop-down list of column `header` offers."""
    letter = next(cell.column_letter for cell in sheet[1] if cell.value == header)
    validation = next(v for v in sheet.data_validations.dataValidation if f"{letter}2" in v.sqref)
    assert validation.type == "list"
    assert f"{letter}500" in validation.sqref
    list_sheet, cells = validation.formula1.split("!")
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    source = workbook[list_sheet.strip("'")]
    return [row[0] for row in source.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col,
                                               values_only=True)]


def test_template_has_swedish_headers_instructions_and_drop_downs(civsam, tmp_path):
    path = tmp_path / "mall.xlsx"
    result = civsam("template", path)
    assert result.code == 0 and str(path) in result.out
    workbook = openpyxl.load_workbook(path)
    assert {"Aktiviteter", "Resurser", "Organisationer", "Instruktioner"} <= set(workbook.sheetnames)
    activities = workbook["Aktiviteter"]
    assert [cell.value for cell in activities[1]] == TEMPLATE_HEADER
    assert [cell.value for cell in workbook["Resurser"][1]] == ["År", "Sektor", "Årsarbetskrafter", "Budget (kr)",
                                                                "Kommentar"]
    assert [cell.value for cell in workbook["Organisationer"][1]] == ["Organisation", "Sektor", "Typ", "Kommun",
                                                                      "Organisationsnummer", "Medlem i"]
    instructions = " ".join(str(cell) for row in workbook["Instruktioner"].iter_rows(values_only=True) for cell in row
                            if cell)
    assert "Datum" in instructions and "Organisation" in instructions and "semikolon" in instructions
    assert "Paraplyorganisationen som organisationen är medlem i" in instructions
    assert _drop_down(workbook, activities, "Typ") == list(ACTIVITY_TYPES)
    assert _drop_down(workbook, activities, "Sektor") == list(SECTOR_LABELS.values())
    assert sorted(_drop_down(workbook, activities, "Kommun")) == sorted(m.name for m in MUNICIPALITIES)
    assert _drop_down(workbook, workbook["Resurser"], "Sektor") == list(SECTOR_LABELS.values())
    assert sorted(_drop_down(workbook, workbook["Organisationer"], "Kommun")) == sorted(m.name for m in MUNICIPALITIES)
    assert [cell.value for cell in workbook["Avtal"][1]] == ["Namn", "Typ", "Part", "Undertecknat", "Giltigt till",
                                                             "Diarienummer", "Ansvarig"]
    assert [cell.value for cell in workbook["Åtaganden"][1]] == ["Avtal", "Åtagande", "Part", "Intervall",
                                                                 "Förfaller", "Status", "Kommentar"]
    assert _drop_down(workbook, workbook["Avtal"], "Typ") == ["Avsiktsförklaring", "IOP", "Överenskommelse", "Avtal"]
    commitments = workbook["Åtaganden"]
    assert _drop_down(workbook, commitments, "Part") == ["Region", "Partner", "Båda"]
    assert _drop_down(workbook, commitments, "Intervall") == ["Engång", "Årligen", "Halvår", "Kvartal"]
    assert _drop_down(workbook, commitments, "Status") == ["Ej påbörjat", "Pågår", "Klart", "Försenat"]
    assert "Bladet Avtal" in instructions and "Bladet Åtaganden" in instructions and "försenat" in instructions


def test_every_drop_down_value_of_the_template_imports(civsam, tmp_path):
    """What the lists offer is what the importer understands."""
    path = tmp_path / "mall.xlsx"
    civsam("template", path)
    workbook = openpyxl.load_workbook(path)
    activities = workbook["Aktiviteter"]
    sectors = _drop_down(workbook, activities, "Sektor")
    municipalities = _drop_down(workbook, activities, "Kommun")
    for number, municipality in enumerate(municipalities):
        activities.append([dt.date(2025, 1, 1) + dt.timedelta(days=number), "Möte", "", f"Förening {number}",
                           sectors[number % len(sectors)], municipality])
    workbook.save(path)
    result = civsam("import", path, "--json")
    assert (result.code, result.json["imported"], result.json["rejected"]) == (0, 29, [])
    assert civsam("summary", "--json").json["municipalities_covered"] == 29


def test_every_agreement_and_commitment_drop_down_value_of_the_template_imports(civsam, tmp_path):
    path = tmp_path / "mall.xlsx"
    civsam("template", path)
    workbook = openpyxl.load_workbook(path)
    workbook["Organisationer"].append(["Samforma", "Civilsamhälle"])
    for kind in _drop_down(workbook, workbook["Avtal"], "Typ"):
        workbook["Avtal"].append([f"{kind} Samforma", kind, "Samforma", dt.date(2024, 3, 15)])
    commitments = workbook["Åtaganden"]
    lists = [_drop_down(workbook, commitments, header) for header in ("Part", "Intervall", "Status")]
    for number, (whose, cadence, status) in enumerate(zip(*(values * 4 for values in lists), strict=False)):
        commitments.append(["Avtal Samforma", f"Åtagande {number}", whose, cadence, dt.date(2026, 1, 1), status])
    workbook.save(path)
    result = civsam("import", path, "--json")
    assert (result.code, result.json["imported"], result.json["rejected"]) == (0, 1 + 4 + 12, [])


def test_a_filled_template_imports(civsam, tmp_path):
    path = tmp_path / "mall.xlsx"
    civsam("template", path)
    workbook = openpyxl.load_workbook(path)
    workbook["Aktiviteter"].append([dt.date(2025, 3, 4), "Workshop", "Dialog om RUS", "Samforma; Almi Nord",
                                    "Civilsamhälle", "Lycksele", "Västerbotten", 1.5, 12, 500, "SESIN", "Ja",
                                    "Anna Andersson", "Bra", "LYC-1", "Avsiktsförklaring Almi"])
    workbook["Resurser"].append([2025, "Näringsliv", 7.5, 6_200_000, ""])
    workbook["Organisationer"].append(["Almi Nord", "Näringsliv", "Företagsstöd", "Luleå", ""])
    workbook["Avtal"].append(["Avsiktsförklaring Almi", "Avsiktsförklaring", "Almi Nord", dt.date(2024, 3, 15), "",
                              "RUN 2024/1", "Anna Andersson"])
    workbook["Åtaganden"].append(["Avsiktsförklaring Almi", "Årlig uppföljning", "Båda", "Årligen",
                                  dt.date(2025, 12, 31), "Pågår", ""])
    workbook.save(path)
    result = civsam("import", path, "--json")
    assert result.code == 0, result.json
    assert result.json == {"batch_id": 1, "rows_read": 5, "imported": 5, "updated": 0, "duplicates": 0,
                           "rejected": [], "ignored_columns": []}
    summary = civsam("summary", "--json").json
    assert summary["by_sector"] == {"civil_society": 1, "business": 1, "public": 0, "academia": 0}
    assert summary["hours"] == 1.5


def test_template_replaces_a_link_never_what_it_points_to(civsam, tmp_path):
    (tmp_path / "viktig.xlsx").write_bytes(b"viktig")
    (tmp_path / "mall.xlsx").symlink_to(tmp_path / "viktig.xlsx")
    assert civsam("template", tmp_path / "mall.xlsx").code == 0
    assert (tmp_path / "viktig.xlsx").read_bytes() == b"viktig" and not (tmp_path / "mall.xlsx").is_symlink()
    assert openpyxl.load_workbook(tmp_path / "mall.xlsx").sheetnames[0] == "Aktiviteter"


def test_template_to_a_place_that_cannot_be_written_exits_2(civsam, tmp_path):
    result = civsam("template", tmp_path / "saknas" / "mall.xlsx")
    assert result.code == 2 and "går inte att skriva" in result.err


# --- the real entry point --------------------------------------------------------------

def test_python_dash_m_civsam_runs(tmp_path):
    environment = {**os.environ, "CIVSAM_DATABASE_URL": f"sqlite:///{tmp_path / 'civsam.db'}",
                   "PYTHONPATH": str(PROJECT)}
    (tmp_path / "logg.xlsx").write_bytes(b"no workbook")
    result = subprocess.run([sys.executable, "-m", "civsam", "import", str(tmp_path / "logg.xlsx"), "--json"],
                            capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert "error" in json.loads(result.stdout)
    assert "Traceback" not in result.stderr and result.stderr.startswith("civsam: ")


COMMANDS = {"import", "summary", "agreements", "batches", "undo", "demo", "export", "serve", "backup", "audit",
            "person", "retention", "account", "template", "activity", "survey", "organisation"}
HEAVY = "{'pandas', 'plotly', 'pptx', 'sqlalchemy', 'streamlit'}"


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "CIVSAM_DATABASE_URL": f"sqlite:///{tmp_path / 'civsam.db'}",
                   "PYTHONPATH": str(PROJECT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          cwd=tmp_path, timeout=120, check=False)


def test_the_command_line_starts_without_pandas_plotly_pptx_or_sqlalchemy(tmp_path):
    """Importing the command line (all `--help` needs) loaded pandas, plotly and python-pptx: a second's start."""
    loaded = _python(f"import civsam.cli, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY}))",
                     tmp_path)
    assert loaded.stdout.strip() == "[]", loaded.stderr
    helped = _python("import sys; from civsam.cli import main; "
                     "codes = [main([*command, '--help']) for command in ([], ['summary'], ['export'], ['import'])]; "
                     f"print(codes, sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY}), file=sys.stderr)",
                     tmp_path)
    assert helped.stderr.strip() == "[0, 0, 0, 0] []"


def test_summary_of_a_current_store_loads_no_pandas_plotly_pptx_or_alembic(tmp_path):
    open_store(f"sqlite:///{tmp_path / 'civsam.db'}").dispose()
    loaded = _python("import sys; from civsam.cli import main; code = main(['summary', '--json']); "
                     "print(code, sorted(m for m in sys.modules if m.split('.')[0] in "
                     "{'pandas', 'plotly', 'pptx', 'alembic'}), file=sys.stderr)", tmp_path)
    assert json.loads(loaded.stdout)["activities"] == 0
    assert loaded.stderr.strip() == "0 []"


def test_help_lists_every_command_in_swedish(civsam):
    assert set(cli.commands) == COMMANDS
    result = civsam("--help")
    assert result.code == 0 and "visa den här hjälpen" in result.out
    listed = {line.split()[0] for line in result.out.split("Commands:")[1].splitlines() if line[:3].strip()}
    assert listed == COMMANDS
    assert "importera en aktivitetslogg" in result.out
    export = civsam("export", "--help").out
    assert "Exempel: python -m civsam export pptx" in export and "bara ett län" in export


@pytest.mark.parametrize("arguments, message", [
    (["summary", "--bogus"], "--bogus"), (["nosuch"], "nosuch"), ([], "Usage:"), (["undo", "sju"], "sju"),
    (["person", "Anna"], "ange antingen --show eller --pseudonymise"),
    (["person", "Anna", "--show", "--pseudonymise"], "ange antingen --show eller --pseudonymise")])
def test_a_usage_error_exits_2_with_its_message_on_stderr(civsam, arguments, message):
    result = civsam(*arguments)
    assert result.code == 2 and message in result.err and result.out == ""


def test_main_returns_the_exit_code_and_raises_system_exit_2_for_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", f"sqlite:///{tmp_path / 'civsam.db'}")
    assert main(["undo", "1"]) == 2 and "ingen import med nummer 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["undo"])
    assert exit_.value.code == 2 and "BATCH_ID" in capsys.readouterr().err


def test_serve_passes_its_options_to_streamlit(civsam, monkeypatch):
    passed = []
    monkeypatch.setattr("civsam.ui.serve.serve", lambda options: passed.append(options) or 0)
    assert civsam("serve", "--server.port", 8502, "--server.headless", "true").code == 0
    assert passed == [["--server.port", "8502", "--server.headless", "true"]]
