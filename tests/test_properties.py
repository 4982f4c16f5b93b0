"""Property tests: no typed value crashes a parser, and no small workbook crashes the import."""

import datetime as dt
import hashlib
import io
import json

import openpyxl
import pytest
from conftest import snapshot, without_batches, workbook_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from civsam import parsing
from civsam.batches import undo_batch
from civsam.db import open_store
from civsam.fingerprint import fingerprints
from civsam.import_report import ImportReport
from civsam.importing import import_file
from civsam.workbook import ACTIVITIES, AGREEMENTS, COMMITMENTS, ORGANISATIONS, RESOURCES

# Words a coordinator really types, so that random rows also reach the paths behind a valid cell.
TYPICAL = ["", " ", "Umeå", "umea kommun", "Stockholm", "2480", "AC", "BD", "Norrbotten", "Västerbottens län",
           "Ideell", "Näringsliv", "offentlig sektor", "akademi", "förening", "Samforma", "Samforma; LKAB",
           "rädda  barnen", "2025-03-04", "4/3/2025", "31/2/2025", "4 mars 2025", "1,5", "-2", "1 500 kr", "Ja",
           "nej", "X", "NA", "null", "None", "ID-1", "ID-2", "802002-4280", "802002-4281", "Möte", "workshop"]
WEIRD = ["\u0130stanbul", "Straße", "ﬃ", "e\u0301", "\u200b", "\u202e", "😀", "Ⅻ", "١٢٣", "\u00a0", "\r\n", "\t"]

text_values = st.one_of(st.text(max_size=30), st.sampled_from(TYPICAL + WEIRD),
                        st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
numbers = st.one_of(st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1), st.floats(), st.integers(-5, 50_000))
cell_values = st.one_of(st.none(), text_values, numbers, st.booleans(), st.dates(), st.datetimes(), st.times(),
                        st.timedeltas())

PARSERS = {
    "date": parsing.parse_date,
    "number": lambda value: parsing.parse_number(value, label="Timmar"),
    "whole number": lambda value: parsing.parse_number(value, label="Deltagare", whole=True),
    "year": parsing.parse_year,
    "yes/no": lambda value: parsing.parse_yes_no(value, label="Unga"),
    "sector": parsing.parse_sector,
    "county": parsing.parse_county,
    "municipality": parsing.parse_municipality,
    "organisations": parsing.split_organisations,
    "organisationsnummer": parsing.parse_org_number,
    "text": parsing.text,
    "agreement kind": parsing.parse_agreement_kind,
    "party": parsing.parse_party,
    "cadence": parsing.parse_cadence,
    "status": parsing.parse_status,
}


@pytest.mark.parametrize("parser", PARSERS.values(), ids=PARSERS.keys())
@settings(max_examples=150, deadline=None)
@given(value=cell_values)
def test_no_typed_value_crashes_a_parser(parser, value):
    try:
        parser(value)
    except parsing.CellError as error:
        assert str(error).strip(), "a rejection always says why"


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(text_values, numbers))
def test_organisations_are_never_blank_and_never_repeat(value):
    names = parsing.split_organisations(value)
    assert all(name and name == name.strip() for name in names)
    assert len({parsing.name_key(name) for name in names}) == len(names)


@settings(max_examples=100, deadline=None)
@given(date=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_typed_any_supported_way_is_the_same_date(date):
    months = {number: name for name, number in parsing.SWEDISH_MONTHS.items() if len(name) > 3 or name == "maj"}
    typed = [date, dt.datetime.combine(date, dt.time(13, 5)), date.isoformat(), f"{date.isoformat()} 08:15",
             f"{date.day}/{date.month}/{date.year}", f"{date.day:02}.{date.month:02}.{date.year}",
             f"{date.day} {months[date.month]} {date.year}", (date - parsing.EXCEL_EPOCH).days]
    assert {parsing.parse_date(value) for value in typed} == {date}


@settings(max_examples=100, deadline=None)
@given(number=st.decimals(min_value=0, max_value=10 ** 9, places=2, allow_nan=False, allow_infinity=False))
def test_a_number_with_a_decimal_comma_is_the_number(number):
    assert parsing.parse_number(str(number).replace(".", ","), label="Timmar") == pytest.approx(float(number))


# --- random small workbooks ---------------------------------------------------------

KINDS = (ACTIVITIES, RESOURCES, ORGANISATIONS, AGREEMENTS, COMMITMENTS)
HEADERS = sorted({header for kind in KINDS for column in kind.columns for header in column.headers})
SHEET_NAMES = ["Aktiviteter", "Resurser", "Organisationer", "Avtal", "Åtaganden", "Blad1", "Sheet1", "Instruktioner",
               "Data"]


def _writable(value):
    """A cell as a workbook can hold it: no control characters, finite numbers."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2 ** 53:
        return float(value)
    if isinstance(value, dt.timedelta | dt.time):
        return str(value)
    return value


workbook_cells = st.one_of(st.none(), text_values, st.integers(-5, 50_000), st.integers(45_000, 46_000),
                           st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                           st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
                           st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)))


# What each column usually holds, right and wrong, so that random rows reach every path of the import
# (a key "kind.column" for one sheet kind's column only).
COLUMN_VALUES = {
    "date": ["2025-03-04", "4/3/2025", "4 mars 2025", dt.date(2025, 3, 5), dt.datetime(2025, 3, 6, 9), 45720,
             "31/2/2025", "", "igår"],
    "type": ["Möte", "workshop", "Lunch", ""],
    "title": ["Avstämning", "NA", ""],
    "organisations": ["Samforma", "Samforma; LKAB", "rädda  barnen", "Ny förening", "lkab, Almi Nord", ""],
    "name": ["Samforma", "LKAB", "Ny förening", "samforma", ""],
    "sector": ["Ideell", "Näringsliv", "offentlig sektor", "akademi", "förening", ""],
    "municipality": ["Umeå", "umea kommun", "Kiruna", "2480", 2584, "Stockholm", ""],
    "county": ["AC", "BD", "Norrbotten", "Jämtland", ""],
    "hours": ["1,5", 2, 0, "-1", "två", ""],
    "participants": [12, "8", "12,5", -3, ""],
    "cost": ["1 500 kr", 500, "-5", ""],
    "youth": ["Ja", "nej", "X", 1, "kanske", ""],
    "external_id": ["ID-1", "ID-2", 3, ""],
    "year": [2024, 2025, "2025", "tjugo"],
    "fte": [7.5, "0,4", -1, ""],
    "budget": [6_200_000, "150 000 kr", ""],
    "org_number": ["802002-4280", "802002-4281", ""],
    # agreements and commitments: mostly valid, so that rows reach the store, its updates and its undo
    "agreements.name": ["Avsikt Samforma", "avsikt  samforma", "LKAB-avtal", ""],
    "kind": ["Avsiktsförklaring", "iop", "Överenskommelse", "avsiktsförklaring", "kontrakt", ""],
    "partners": ["Samforma", "Samforma; LKAB", "lkab", "samforma", "Ny förening", ""],
    "signed": ["2024-03-15", dt.date(2023, 1, 1), "2024-03-15", "2026-01-01", "igår", ""],
    "valid_until": ["2027-12-31", "", "", "2023-06-30"],
    "registration_number": ["RUN 2024/12", "RUN 2024/13", "", "x" * 60],
    "responsible": ["Anna Demo", "anna  demo", "Bo Demo", ""],
    "agreement": ["Avsikt Samforma", "avsikt  samforma", "LKAB-avtal", "Avsikt Samforma", "Okänt avtal", ""],
    "text": ["Årlig uppföljning", "årlig  uppföljning", "Dialog om RUS", ""],
    "whose": ["Region", "partner", "BÅDA", "Båda", "kommunen", ""],
    "cadence": ["Engång", "årligen", "Halvår", "kvartal", "varannan vecka", ""],
    "due": ["2025-06-30", dt.date(2026, 1, 31), "2025-06-30", "snart", ""],
    "status": ["Klart", "pågår", "EJ PÅBÖRJAT", "försenad", "halvklart", ""],
}


@st.composite
def sheet_tables(draw) -> tuple[str, list[list]]:
    """A sheet name and its rows: mostly a recognisable sheet with plausible rows, sometimes noise."""
    kind = draw(st.sampled_from(KINDS))
    name = draw(st.sampled_from([kind.name, kind.name, "Blad1", "Sheet1", "Data", *SHEET_NAMES]))
    if draw(st.integers(0, 9)) == 0:
        keys = [None] * draw(st.integers(1, 6))
        header = [draw(st.one_of(st.sampled_from(HEADERS), text_values)) for _ in keys]
    else:
        columns = [column for column in kind.columns if column.required or draw(st.booleans())]
        if kind is ACTIVITIES and not {"municipality", "county"} & {column.key for column in columns}:
            columns.append(kind.column(draw(st.sampled_from(["municipality", "county"]))))
        keys = [column.key for column in columns] + [None] * draw(st.integers(0, 2))
        keys = draw(st.permutations(keys))
        column_by_key = {column.key: column for column in columns}
        header = [draw(st.sampled_from(column_by_key[key].headers)) if key else draw(text_values) for key in keys]

    def cell(key):
        values = COLUMN_VALUES.get(f"{kind.key}.{key}") or COLUMN_VALUES.get(key)
        if values and draw(st.integers(0, 4)):
            return draw(st.sampled_from(values))
        return draw(workbook_cells)

    data = [[cell(key) for key in keys] for _ in range(draw(st.integers(0, 6)))]
    data += draw(st.lists(st.sampled_from(data), max_size=2)) if data else []  # rows typed twice
    leading = [[draw(st.one_of(st.none(), text_values))] for _ in range(draw(st.integers(0, 2)))]
    return name, [*leading, header, *data]


@st.composite
def small_workbooks(draw) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for _ in range(draw(st.integers(1, 3))):
        name, table = draw(sheet_tables())
        if name in workbook.sheetnames:
            continue
        sheet = workbook.create_sheet(name)
        for row in table:
            sheet.append([_writable(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def shared_engine(tmp_path_factory):
    """One store for every example: later examples meet what earlier ones stored (duplicates, updates). It starts
    with two partners and an agreement, so that random agreements and commitments can name them."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('properties') / 'civsam.db'}")
    base = workbook_bytes({"Organisationer": [["Organisation", "Sektor"], ["Samforma", "Ideell"], ["LKAB", "Företag"]],
                           "Avtal": [["Namn", "Typ", "Part", "Undertecknat"],
                                     ["Avsikt Samforma", "Avsiktsförklaring", "Samforma", "2024-03-15"]]})
    assert import_file(engine, base, "grund.xlsx").exit_code == 0
    yield engine
    engine.dispose()


def _check(report: ImportReport) -> None:
    assert isinstance(report, ImportReport)
    if report.error:
        assert report.exit_code == 2 and report.batch_id is None
        return
    assert report.rows_read == report.imported + report.updated + report.duplicates + report.rejected_rows
    assert report.exit_code == (1 if report.rejected else 0)
    for rejection in report.rejected:
        assert rejection.row >= 2 and rejection.message and rejection.column and rejection.sheet
        assert isinstance(rejection.value, str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(content=small_workbooks(), strict=st.booleans())
def test_no_small_workbook_crashes_the_import(shared_engine, content, strict):
    report = import_file(shared_engine, content, "logg.xlsx", strict=strict)
    _check(report)
    if report.error or not report.stored:
        return
    again = import_file(shared_engine, content, "logg.xlsx")
    _check(again)
    assert (again.imported, again.updated) == (0, 0), "the same file again adds and changes nothing"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400), file_name=st.sampled_from(["a.xlsx", "a.xls", "a.ods", "a.csv", "a"]))
def test_no_bytes_crash_the_import(shared_engine, content, file_name):
    report = import_file(shared_engine, content, file_name)
    assert report.exit_code == 2 and report.error


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(content=small_workbooks())
def test_undoing_the_latest_import_gives_back_the_store_as_it_was(shared_engine, content):
    before = snapshot(shared_engine)
    report = import_file(shared_engine, content, "logg.xlsx")
    if not report.stored:
        assert snapshot(shared_engine) == before
        return
    undo_batch(shared_engine, report.batch_id)
    assert without_batches(snapshot(shared_engine)) == without_batches(before)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(contents=st.lists(small_workbooks(), min_size=2, max_size=3), data=st.data())
def test_undoing_several_imports_in_any_order_gives_back_the_store_as_it_was(shared_engine, contents, data):
    before = snapshot(shared_engine)
    reports = [import_file(shared_engine, content, f"logg{number}.xlsx") for number, content in enumerate(contents)]
    batch_ids = [report.batch_id for report in reports if report.stored]
    for batch_id in data.draw(st.permutations(batch_ids)):
        undo_batch(shared_engine, batch_id)
    after = snapshot(shared_engine)
    for contents_ in (before, after):
        del contents_["import_batches"]
    assert after == before


activity_contents = st.fixed_dictionaries({
    "date": st.dates(), "type": text_values, "title": st.one_of(st.none(), text_values),
    "municipality_code": st.one_of(st.none(), st.sampled_from(["2480", "2581"])),
    "county": st.sampled_from(["Västerbotten", "Norrbotten"]), "hours": st.floats(0, 1e6),
    "participants": st.one_of(st.none(), st.integers(0, 10 ** 6)), "cost_sek": st.one_of(st.none(), st.floats(0, 1e9)),
    "project": st.one_of(st.none(), text_values), "youth": st.one_of(st.none(), st.booleans()),
    "comment": st.one_of(st.none(), text_values)})


@given(activity_contents, st.lists(text_values.filter(str.strip), max_size=3), st.one_of(st.none(), text_values))
def test_a_fingerprint_hashes_the_json_of_the_content_as_stored_fingerprints_do(activity, names, responsible):
    """Stored fingerprints are sha256 of json.dumps(content, sort_keys=True): the fast composition must give
    the same text, or a log uploaded again would import as new activities."""
    content = {**activity, "date": activity["date"].isoformat(),
               "organisations": sorted(parsing.name_key(name) for name in names),
               "responsible": parsing.name_key(responsible) if responsible else None}
    expected = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    content = {key: [value] for key, value in activity.items()}
    assert fingerprints(content, [tuple(names)], [responsible]) == [expected]
