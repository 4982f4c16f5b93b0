"""The measure file for Stratsys on a small store whose every figure is known by hand: its exact bytes for the
tertial 2026T2, each value the dashboard's own figure, the settings file, the file integration's codes and the
command.

The store, in 2026T2 (1 May – 31 August): a meeting with Samforma in Umeå (young people), one with Samforma and
Almi Nord in Skellefteå (civil society and business), a county-wide one with Rädda Barnen in Västerbotten (1 000,5
hours), one with Bilda Nord in Luleå (young people) and one with Almi Nord alone on the last day; outside it, a
meeting the day before and one the day after. One agreement has four commitments: one done, one past due on the
period's last day, one due that day, one due later.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import workbook_bytes

from civsam import stratsys
from civsam.agreements import agreement_overview
from civsam.audit import entries
from civsam.cli import main
from civsam.filters import Filters
from civsam.importing import import_file
from civsam.periods import parse
from civsam.queries import key_figures

T2 = Filters(*parse("2026T2").dates(dt.date(2026, 12, 31)))
LOG = {
    "Organisationer": [["Organisation", "Sektor"], ["Samforma", "civilsamhälle"]],
    "Avtal": [["Namn", "Typ", "Part", "Undertecknat"], ["Samforma AF", "Avsiktsförklaring", "Samforma", "2025-01-01"]],
    "Åtaganden": [
        ["Avtal", "Åtagande", "Part", "Förfaller", "Status"],
        ["Samforma AF", "Dialogmöte", "Båda", "2026-06-30", "Klart"],
        ["Samforma AF", "Årsrapport", "Region", "2026-08-15", "Pågår"],
        ["Samforma AF", "Gemensam ansökan", "Båda", "2026-08-31", "Pågår"],
        ["Samforma AF", "Utvärdering", "Partner", "2026-12-31", "Ej påbörjat"],
    ],
    "Aktiviteter": [
        ["Datum", "Organisation", "Sektor", "Kommun", "Län", "Timmar", "Unga", "Avtal"],
        ["2026-04-30", "Rädda Barnen", "civilsamhälle", "Lycksele", "", 5, "Ja", ""],
        ["2026-05-04", "Samforma", "", "Umeå", "", 2, "Ja", "Samforma AF"],
        ["2026-06-10", "Samforma; Almi Nord", "näringsliv", "Skellefteå", "", 3, "", ""],
        ["2026-07-01", "Rädda Barnen", "civilsamhälle", "", "Västerbotten", 1000.5, "", ""],
        ["2026-07-02", "Bilda Nord", "civilsamhälle", "Luleå", "", 2, "Ja", ""],
        ["2026-08-31", "Almi Nord", "", "Umeå", "", 4, "", ""],
        ["2026-09-01", "Samforma", "", "Umeå", "", 10, "", ""],
    ],
}
LINES = [  # by hand, both counties
    ("Aktiviteter med civilsamhället", "4"),  # Umeå, Skellefteå, county-wide, Luleå
    ("Organisationer i civilsamhället med kontakt", "3"),  # Samforma, Rädda Barnen, Bilda Nord
    ("Kommuner med kontakt med civilsamhället", "3"),  # Umeå, Skellefteå, Luleå: the county-wide one none
    ("Arbetstimmar med civilsamhället", "1007,5"),  # 2 + 3 (once, though two sectors) + 1 000,5 + 2
    ("Andel aktiviteter med barn och unga (%)", "50,0"),  # 2 of 4
    ("Aktiviteter med näringslivet", "2"),  # Skellefteå and the last day
    ("Åtaganden klara", "1"),
    ("Åtaganden försenade", "1"),  # due 15 August; the one due on 31 August is not late that day
]
CODES = """
unit = "Regionala utvecklingsnämnden"
unit_code = "RUN-01"
column_code = "UTFALL"

[measures.civil_society_activities]
name = "Antal aktiviteter med civilsamhället"
code = "M1"

[measures.civil_society_hours]
code = "M4"
column_code = "TIMMAR"

[measures.civil_society_organisations]
include = false
[measures.civil_society_municipalities]
include = false
[measures.civil_society_youth_share]
include = false
[measures.business_activities]
include = false
[measures.commitments_done]
include = false
[measures.commitments_late]
include = false
"""


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(LOG), "logg.xlsx")
    assert report.rejected == []
    return engine


def file_text(lines: list[tuple[str, ...]]) -> bytes:
    return b"\xef\xbb\xbf" + "".join("\t".join(line) + "\r\n" for line in lines).encode("utf-8")


def test_the_file_holds_the_dashboards_own_figures_in_stratsys_format(store):
    values = stratsys.measure_values(store, T2)
    content = stratsys.measure_file(values, stratsys.StratsysSettings(), T2.end)
    assert content == file_text([("Region Västerbotten", "2026-08-31", name, value) for name, value in LINES])

    civil = key_figures(store, replace(T2, sectors=("civil_society",)))  # the overview's civil-society column
    business = key_figures(store, replace(T2, sectors=("business",)))
    progress = agreement_overview(store, T2, T2.end)  # the Avtal page's progress, as of the period's last day
    counts = ("activities", "organisations", "municipalities", "hours")
    assert [values[f"civil_society_{key}"] for key in counts] == [civil[key] for key in counts] == [4, 3, 3, 1007.5]
    assert values["civil_society_youth_share"] == 100 * Decimal(str(civil["youth_share"])) == 50
    assert values["business_activities"] == business["activities"] == 2
    assert [values["commitments_done"], values["commitments_late"]] == [progress["done"].sum(),
                                                                        progress["late"].sum()] == [1, 1]


def test_one_county_and_only_the_period_and_county_count(store):
    """Västerbotten: 3 civil-society activities, one of them with young people (33,3 %); a type filter, as the
    page may have, does not narrow a measure."""
    chosen = Filters(T2.start, T2.end, "Västerbotten", types=("Workshop",), sectors=("academia",))
    values = stratsys.measure_values(store, chosen)
    assert values == stratsys.measure_values(store, Filters(T2.start, T2.end, "Västerbotten"))
    lines = stratsys.measure_file(values, stratsys.StratsysSettings(), T2.end).decode("utf-8-sig").splitlines()
    assert [line.split("\t")[3] for line in lines] == ["3", "2", "2", "1005,5", "33,3", "2", "1", "1"]


def test_a_period_without_civil_society_leaves_the_share_out(store):
    empty = Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    values = stratsys.measure_values(store, empty)
    text = stratsys.measure_file(values, stratsys.StratsysSettings(), empty.end).decode("utf-8-sig")
    assert "Andel aktiviteter med barn och unga" not in text and "Aktiviteter med civilsamhället\t0\r\n" in text
    assert stratsys.left_out(values, stratsys.StratsysSettings()) == ["Andel aktiviteter med barn och unga (%)"]


# --- the settings file ------------------------------------------------------------------------------------------

VALUES = {"civil_society_activities": 4, "civil_society_hours": 1007.5, **{
    key: 1 for key in stratsys.MEASURE_BY_KEY if key not in ("civil_society_activities", "civil_society_hours")}}


def test_the_settings_name_the_unit_and_measures_and_choose_them():
    chosen = stratsys.parse_settings(CODES, "stratsys.toml")
    assert stratsys.measure_file(VALUES, chosen, T2.end) == file_text([
        ("Regionala utvecklingsnämnden", "2026-08-31", "Antal aktiviteter med civilsamhället", "4"),
        ("Regionala utvecklingsnämnden", "2026-08-31", "Arbetstimmar med civilsamhället", "1007,5")])
    unit = stratsys.with_unit(chosen, "Avdelningen för regional utveckling")
    assert stratsys.measure_file(VALUES, unit, T2.end).decode("utf-8-sig").startswith(
        "Avdelningen för regional utveckling\t")


def test_the_integration_file_carries_the_codes():
    chosen = stratsys.parse_settings(CODES, "stratsys.toml")
    assert stratsys.measure_file(VALUES, chosen, T2.end, "integration") == file_text([
        ("2026-08-31", "RUN-01", "M1", "UTFALL", "4"), ("2026-08-31", "RUN-01", "M4", "TIMMAR", "1007,5")])


def test_without_codes_the_integration_says_which_are_missing():
    without = CODES.replace('unit_code = "RUN-01"\n', "").replace('code = "M4"\n', "")
    with pytest.raises(stratsys.StratsysError) as error:
        stratsys.measure_file(VALUES, stratsys.parse_settings(without, "stratsys.toml"), T2.end, "integration")
    assert "i stratsys.toml saknas unit_code; code för [measures.civil_society_hours]." in str(error.value)
    with pytest.raises(stratsys.StratsysError, match="saknas unit_code; code för alla mått; column_code för alla"):
        stratsys.measure_file(VALUES, stratsys.StratsysSettings(), T2.end, "integration")


@pytest.mark.parametrize("text, message", [
    ('enhet = "Region Västerbotten"', "stratsys.toml: okänd inställning 'enhet' överst. Där kan stå unit, unit_code"),
    ("[measures.activities]\ninclude = false", "det finns inget mått [measures.activities]. Måtten heter "
                                               "civil_society_activities, "),
    ("[measures.commitments_late]\nnamn = 'Försenade'", "okänd inställning 'namn' [measures.commitments_late]. "
                                                        "Där kan stå name, include, code, column_code"),
    ("[measures.commitments_late]\ninclude = 'nej'", "measures.commitments_late.include ska vara true eller false"),
    ("unit = 12", "unit ska vara en text inom citattecken"),
    ('unit = "Region\tVästerbotten"', "unit i stratsys.toml innehåller en tabb, radbrytning"),
    ('[measures.commitments_done]\nname = """Åtaganden\r\nklara"""', "measures.commitments_done.name i stratsys.toml "
                                                                       "innehåller en tabb, radbrytning"),
    ('unit = " "', "unit i stratsys.toml är tom"),
    ('[measures.commitments_done]\nname = "Åtaganden försenade"', "measures.commitments_done och "
                                                                  "measures.commitments_late heter båda"),
    ('unit = "Region Västerbotten"\nunit_code: "RUN-01"', "stratsys.toml går inte att läsa på rad 2: skriv varje "
                                                           "inställning som nyckel = \"text\" (TOML)"),
], ids=["unknown key", "unknown measure", "unknown measure key", "include not a boolean", "unit not a text",
        "a tab", "a line break", "empty", "one name twice", "not TOML"])
def test_a_bad_settings_file_says_which_key_and_how_to_fix_it(text, message):
    with pytest.raises(stratsys.StratsysError) as error:
        stratsys.parse_settings(text, "stratsys.toml")
    assert message in str(error.value)


def test_the_settings_file_is_found_by_its_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSAM_STRATSYS_FILE", str(tmp_path / "stratsys.toml"))
    with pytest.raises(stratsys.StratsysError, match="stratsys.toml finns inte. Skapa den"):
        stratsys.load_settings()  # named, so a typo in the path is no silent default
    (tmp_path / "stratsys.toml").write_text(CODES, encoding="utf-8")
    assert stratsys.load_settings().unit == "Regionala utvecklingsnämnden"
    with pytest.raises(stratsys.StratsysError, match="Enhetens namn .--unit. innehåller en tabb"):
        stratsys.with_unit(stratsys.load_settings(), "Region\nVästerbotten")


# --- the command ------------------------------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_the_command_writes_the_file_and_records_it(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CIVSAM_STRATSYS_FILE", str(tmp_path / "stratsys.toml"))
    (tmp_path / "stratsys.toml").write_text(CODES, encoding="utf-8")
    out = tmp_path / "matt.txt"
    assert main(["export", "stratsys", str(out), "--from", "2026-05-01", "--to", "2026-08-31", "--unit", "RUN"]) == 0
    assert out.read_bytes() == file_text([("RUN", "2026-08-31", "Antal aktiviteter med civilsamhället", "4"),
                                          ("RUN", "2026-08-31", "Arbetstimmar med civilsamhället", "1007,5")])
    assert capsys.readouterr().out == f"{out}: 2 mått för RUN, 2026-05-01 – 2026-08-31.\n"
    assert entries(store).iloc[0]["detail"] == f"{out}: 2026-05-01 – 2026-08-31, båda länen"

    coded = tmp_path / "integration.txt"
    assert main(["export", "stratsys", str(coded), "--period", "2026T2", "--county", "Västerbotten",
                 "--format", "integration"]) == 0
    assert coded.read_bytes() == file_text([("2026-08-31", "RUN-01", "M1", "UTFALL", "3"),
                                            ("2026-08-31", "RUN-01", "M4", "TIMMAR", "1005,5")])

    (tmp_path / "stratsys.toml").write_text('unit = "Region Västerbotten"', encoding="utf-8")
    refused = tmp_path / "utan_koder.txt"
    assert main(["export", "stratsys", str(refused), "--period", "2026T2", "--format", "integration"]) == 2
    assert "Filintegrationen behöver externa koder" in capsys.readouterr().err and not refused.exists()
    assert main(["export", "stratsys", str(out), "--period", "2026T2"]) == 2  # never overwritten unasked
    assert main(["export", "stratsys", str(refused), "--period", "2026T2", "--type", "Möte"]) == 2
    assert main(["export", "xlsx", str(refused), "--period", "2026T2", "--unit", "RUN"]) == 2
    assert "gäller bara export stratsys" in capsys.readouterr().err


def test_the_readmes_example_is_a_settings_file_civsam_reads():
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Measures for Stratsys", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    chosen = stratsys.parse_settings(example, "README")
    assert [measure.name for measure in chosen.included()][:2] == ["Antal aktiviteter med civilsamhället",
                                                                    "Organisationer i civilsamhället med kontakt"]
    assert "business_activities" not in [measure.key for measure in chosen.included()]
