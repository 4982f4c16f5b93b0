"""The value parsers: what a coordinator types in a cell, in a table per parser."""

import datetime as dt
import math

import pytest

from civsam import parsing
from civsam.parsing import CellError
from civsam.reference import MUNICIPALITIES

# --- dates -------------------------------------------------------------------

MARCH_4 = dt.date(2025, 3, 4)


@pytest.mark.parametrize(("typed", "expected"), [
    (dt.date(2025, 3, 4), MARCH_4),                      # Excel date cell
    (dt.datetime(2025, 3, 4, 0, 0), MARCH_4),            # Excel date cell read as midnight
    (dt.datetime(2025, 3, 4, 14, 45, 10), MARCH_4),      # Excel date-time cell
    (45720, MARCH_4),                                    # a date cell read as its serial number
    (45720.0, MARCH_4),
    (45720.75, MARCH_4),                                 # serial number with a time of day
    ("2025-03-04", MARCH_4),
    ("2025-3-4", MARCH_4),
    (" 2025-03-04 ", MARCH_4),
    ("2025-03-04 10:30", MARCH_4),
    ("2025-03-04 10:30:15", MARCH_4),
    ("2025-03-04 10:30:15.250", MARCH_4),
    ("2025-03-04T10:30", MARCH_4),                      # ISO 8601, as other programs write it
    ("2025-03-04T10:30:00", MARCH_4),
    ("4/3/2025", MARCH_4),                               # day first, as written in Sweden
    ("04/03/2025", MARCH_4),
    ("4.3.2025", MARCH_4),
    ("04.03.2025", MARCH_4),
    ("4.3.2025 10:30", MARCH_4),                          # as LibreOffice shows a date-time typed as text
    ("4/3/2025 14.00", MARCH_4),
    ("13/3/2025", dt.date(2025, 3, 13)),
    ("31.12.2024", dt.date(2024, 12, 31)),
    ("4 mars 2025", MARCH_4),
    ("4 Mars 2025", MARCH_4),
    ("4 MARS 2025", MARCH_4),
    ("4:e mars 2025", MARCH_4),
    ("1 januari 2024", dt.date(2024, 1, 1)),
    ("29 februari 2024", dt.date(2024, 2, 29)),
    ("15 maj 2025", dt.date(2025, 5, 15)),
    ("2 juni 2025", dt.date(2025, 6, 2)),
    ("7 juli 2025", dt.date(2025, 7, 7)),
    ("20 augusti 2025", dt.date(2025, 8, 20)),
    ("3 oktober 2025", dt.date(2025, 10, 3)),
    ("24 december 2025", dt.date(2025, 12, 24)),
    ("4 okt 2025", dt.date(2025, 10, 4)),
])
def test_date_is_understood(typed, expected):
    assert parsing.parse_date(typed) == expected


@pytest.mark.parametrize("typed", [
    "31/2/2025",        # no 31 February
    "29.2.2025",        # not a leap year
    "2025-02-30",
    "2025-13-01",
    "32 mars 2025",
    "0/3/2025",
])
def test_impossible_date_is_an_error_that_names_the_calendar(typed):
    with pytest.raises(CellError, match="finns inte i kalendern"):
        parsing.parse_date(typed)


@pytest.mark.parametrize("typed", [
    "igår", "snart", "4 marsch 2025", "2025", "4/3", "4/3/25", "4-3-2025", "4/3.2025", "2025/03/04 x",
    "NA", "null", "None", True, False, 12, -3.5, math.nan, math.inf, 10 ** 8, dt.time(10, 30),
])
def test_garbage_is_not_a_date(typed):
    with pytest.raises(CellError, match="ÅÅÅÅ-MM-DD"):
        parsing.parse_date(typed)


@pytest.mark.parametrize("blank", [None, "", "   ", "\t"])
def test_missing_date_says_so(blank):
    with pytest.raises(CellError, match="Datum saknas"):
        parsing.parse_date(blank)


# --- municipalities ----------------------------------------------------------

@pytest.mark.parametrize(("typed", "code"), [
    ("Umeå", "2480"),
    ("umeå", "2480"),
    ("UMEÅ", "2480"),
    ("Umea", "2480"),
    ("umea", "2480"),
    ("Umeå kommun", "2480"),
    ("Umeå Kommun", "2480"),
    ("umea kommun", "2480"),
    ("  Umeå  ", "2480"),
    ("Skelleftea", "2482"),
    ("Åsele", "2463"),
    ("Asele", "2463"),
    ("Övertorneå", "2518"),
    ("overtornea kommun", "2518"),
    ("Älvsbyn", "2560"),
    ("alvsbyn", "2560"),
    ("Luleå", "2580"),
    ("Gällivare", "2523"),
    ("2480", "2480"),        # SCB code as text
    (2480, "2480"),          # SCB code as an Excel number
    (2584.0, "2584"),
])
def test_municipality_is_understood(typed, code):
    assert parsing.parse_municipality(typed).code == code


@pytest.mark.parametrize("municipality", MUNICIPALITIES, ids=lambda m: m.name)
def test_every_municipality_is_found_by_name_and_code_with_its_county(municipality):
    assert parsing.parse_municipality(municipality.name) == municipality
    assert parsing.parse_municipality(municipality.name.upper() + " kommun") == municipality
    assert parsing.parse_municipality(municipality.code) == municipality
    assert parsing.parse_municipality(municipality.name).county in {"Västerbotten", "Norrbotten"}


@pytest.mark.parametrize("typed", ["Stockholm", "Stockholms kommun", "Göteborg", "Östersund", "0180", "2380",
                                   "Umeåå", "Västerbotten", "NA", 12, True])
def test_municipality_outside_the_two_counties_is_an_error(typed):
    with pytest.raises(CellError, match="Västerbottens eller Norrbottens län"):
        parsing.parse_municipality(typed)


@pytest.mark.parametrize(("typed", "guess"), [("Skelefteå", "Skellefteå"), ("Arjeplogg", "Arjeplog"),
                                              ("Vindel kommun", "Vindeln"), ("Stockholm", None)])
def test_a_misspelt_municipality_gets_the_closest_name_as_a_suggestion(typed, guess):
    with pytest.raises(CellError) as error:
        parsing.parse_municipality(typed)
    assert ("Menar du" in str(error.value)) == (guess is not None)
    assert guess is None or f"Menar du {guess}?" in str(error.value)


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank_municipality_is_none(blank):
    assert parsing.parse_municipality(blank) is None


# --- counties ----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "county"), [
    ("Västerbotten", "Västerbotten"),
    ("västerbotten", "Västerbotten"),
    ("VÄSTERBOTTEN", "Västerbotten"),
    ("Vasterbotten", "Västerbotten"),
    ("Västerbottens län", "Västerbotten"),
    ("västerbottens LÄN", "Västerbotten"),
    ("Västerbotten län", "Västerbotten"),
    ("AC", "Västerbotten"),
    ("ac", "Västerbotten"),
    (" AC ", "Västerbotten"),
    ("Norrbotten", "Norrbotten"),
    ("norrbotten", "Norrbotten"),
    ("Norrbottens län", "Norrbotten"),
    ("NORRBOTTENS LÄN", "Norrbotten"),
    ("BD", "Norrbotten"),
    ("bd", "Norrbotten"),
])
def test_county_is_understood(typed, county):
    assert parsing.parse_county(typed) == county


@pytest.mark.parametrize("typed", ["Jämtland", "Stockholms län", "AB", "Z", "Umeå", 24, "NA"])
def test_other_county_is_an_error(typed):
    with pytest.raises(CellError, match="Okänt län"):
        parsing.parse_county(typed)


def test_blank_county_is_none():
    assert parsing.parse_county("") is None
    assert parsing.parse_county(None) is None


# --- sectors -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "sector"), [
    ("civilsamhälle", "civil_society"),
    ("Civilsamhälle", "civil_society"),
    ("CIVILSAMHÄLLE", "civil_society"),
    ("civilsamhället", "civil_society"),
    ("idéburen", "civil_society"),
    ("Idéburen", "civil_society"),
    ("ideburen", "civil_society"),
    ("ideell", "civil_society"),
    ("Ideell", "civil_society"),
    ("civil_society", "civil_society"),
    ("näringsliv", "business"),
    ("Näringsliv", "business"),
    ("näringslivet", "business"),
    ("företag", "business"),
    ("Företag", "business"),
    ("business", "business"),
    ("offentlig", "public"),
    ("Offentlig", "public"),
    ("offentlig sektor", "public"),
    ("Offentlig  sektor", "public"),
    ("kommun", "public"),
    ("region", "public"),
    ("Region", "public"),
    ("public", "public"),
    ("akademi", "academia"),
    ("Akademi", "academia"),
    ("universitet", "academia"),
    ("högskola", "academia"),
    ("Högskola", "academia"),
    ("academia", "academia"),
    ("ACADEMIA", "academia"),
    ("  näringsliv ", "business"),
])
def test_sector_word_is_understood(typed, sector):
    assert parsing.parse_sector(typed) == sector


@pytest.mark.parametrize("typed", ["förening", "privat", "övrigt", "civil", "NA", "1", 3, True, "näringsliv;akademi"])
def test_unknown_sector_word_is_an_error(typed):
    with pytest.raises(CellError, match="Okänd sektor"):
        parsing.parse_sector(typed)


def test_blank_sector_is_none():
    assert parsing.parse_sector(None) is None
    assert parsing.parse_sector(" ") is None


# --- numbers -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    (1.5, 1.5),
    (2, 2.0),
    (0, 0.0),
    ("1,5", 1.5),
    ("1.5", 1.5),
    ("0,25", 0.25),
    (",5", 0.5),
    ("3", 3.0),
    (" 3 ", 3.0),
    ("1 500", 1500.0),
    ("1\u00a0500", 1500.0),       # no-break space, as Excel formats thousands
    ("1 500 kr", 1500.0),
    ("1500kr", 1500.0),
    ("1500 SEK", 1500.0),
    ("1 500:-", 1500.0),
    ("2 h", 2.0),
    ("2,5 timmar", 2.5),
    ("+4", 4.0),
])
def test_number_is_understood(typed, expected):
    assert parsing.parse_number(typed, label="Timmar") == expected


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank_number_is_none(blank):
    assert parsing.parse_number(blank, label="Timmar") is None


@pytest.mark.parametrize("typed", [-1, -0.5, "-1,5", "-3", "-1 500 kr"])
def test_negative_number_is_an_error(typed):
    with pytest.raises(CellError, match="kan inte vara negativt"):
        parsing.parse_number(typed, label="Timmar")


@pytest.mark.parametrize("typed", ["två", "1,5,5", "1.500,50", "ca 3", "3-4", "NA", "1e3", "kr", True, math.nan,
                                   math.inf])
def test_text_that_is_no_number_is_an_error(typed):
    with pytest.raises(CellError, match="Timmar"):
        parsing.parse_number(typed, label="Timmar")


@pytest.mark.parametrize(("typed", "expected"), [(12, 12), (12.0, 12), ("12", 12), ("12,0", 12), ("0", 0)])
def test_participants_are_a_whole_number(typed, expected):
    value = parsing.parse_number(typed, label="Deltagare", whole=True)
    assert value == expected and isinstance(value, int)


@pytest.mark.parametrize("typed", [12.5, "12,5", "2,1"])
def test_participants_with_decimals_are_an_error(typed):
    with pytest.raises(CellError, match="heltal"):
        parsing.parse_number(typed, label="Deltagare", whole=True)


@pytest.mark.parametrize("typed", [2_147_483_648, 1e20, "99999999999999999999", 2 ** 70])
def test_participants_beyond_what_a_database_stores_are_an_error(typed):
    with pytest.raises(CellError, match="orimligt stort"):
        parsing.parse_number(typed, label="Deltagare", whole=True)


def test_the_largest_storable_whole_number_is_fine():
    assert parsing.parse_number(2_147_483_647, label="Deltagare", whole=True) == 2_147_483_647


@pytest.mark.parametrize(("typed", "expected"), [(2025, 2025), ("2025", 2025), (2023.0, 2023)])
def test_year(typed, expected):
    assert parsing.parse_year(typed) == expected


@pytest.mark.parametrize("typed", [None, "", 25, "tjugo", 1999, 2025.5, -2025])
def test_bad_year_is_an_error(typed):
    with pytest.raises(CellError):
        parsing.parse_year(typed)


# --- youth -------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("Ja", True), ("ja", True), ("JA", True), (" Ja ", True), ("J", True), ("j", True), ("X", True), ("x", True),
    ("1", True), (1, True), (1.0, True), ("yes", True), ("Yes", True), ("true", True), ("TRUE", True), (True, True),
    ("Nej", False), ("nej", False), ("N", False), ("n", False), ("0", False), (0, False), (0.0, False),
    ("no", False), ("No", False), ("false", False), ("FALSE", False), (False, False),
    (None, False), ("", False), ("   ", False),
])
def test_youth_is_understood(typed, expected):
    assert parsing.parse_yes_no(typed, label="Unga") is expected


@pytest.mark.parametrize("typed", ["kanske", "ibland", "2", 2, 0.5, "jaa", "NA", "-", dt.date(2025, 3, 4)])
def test_other_youth_value_is_an_error(typed):
    with pytest.raises(CellError, match="Ja eller Nej"):
        parsing.parse_yes_no(typed, label="Unga")


# --- organisations -------------------------------------------------------------

@pytest.mark.parametrize(("typed", "names"), [
    ("Samforma", ["Samforma"]),
    ("Samforma; Bilda Nord", ["Samforma", "Bilda Nord"]),
    ("Samforma;Bilda Nord;", ["Samforma", "Bilda Nord"]),
    ("Samforma, Bilda Nord", ["Samforma", "Bilda Nord"]),
    ("Samforma\nBilda Nord", ["Samforma", "Bilda Nord"]),
    ("Samforma\r\nBilda Nord", ["Samforma", "Bilda Nord"]),
    ("Samforma;\n Bilda Nord , LKAB", ["Samforma", "Bilda Nord", "LKAB"]),
    ("  Rädda   Barnen    Västerbotten ", ["Rädda Barnen Västerbotten"]),
    ("Rädda Barnen; rädda  barnen; RÄDDA BARNEN", ["Rädda Barnen"]),
    ("Samforma;;  ;Samforma", ["Samforma"]),
    ("NA", ["NA"]),
    (2480, ["2480"]),
    ("", []),
    (None, []),
    (" ; , ", []),
])
def test_organisations_are_split(typed, names):
    assert parsing.split_organisations(typed) == tuple(names)


def test_organisation_names_match_regardless_of_case_and_spacing():
    assert parsing.name_key("rädda barnen västerbotten") == parsing.name_key("Rädda  Barnen Västerbotten ")
    assert parsing.name_key("Rädda Barnen") != parsing.name_key("Radda Barnen")


# --- organisationsnummer ------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("802002-4280", "802002-4280"),
    ("8020024280", "802002-4280"),
    ("556036-0793", "556036-0793"),
    (" 556036 - 0793 ", "556036-0793"),
    ("16802002-4280", "802002-4280"),
    (5560360793, "556036-0793"),
    (None, None),
    ("", None),
])
def test_org_number_is_understood(typed, expected):
    assert parsing.parse_org_number(typed) == expected


@pytest.mark.parametrize("typed", ["802002-4281", "556036-0794", "5560360790"])
def test_org_number_with_wrong_check_digit_is_an_error(typed):
    with pytest.raises(CellError, match="kontrollsiffra"):
        parsing.parse_org_number(typed)


@pytest.mark.parametrize("typed", ["80200-4280", "802002-42800", "abc", "8020-02-4280x", "NA"])
def test_org_number_of_the_wrong_shape_is_an_error(typed):
    with pytest.raises(CellError, match="NNNNNN-NNNN"):
        parsing.parse_org_number(typed)


@pytest.mark.parametrize(("digits", "valid"), [
    ("8020024280", True), ("5560360793", True), ("2021005489", True), ("8020024281", False), ("0000000000", True),
    ("1234567890", False),
])
def test_luhn(digits, valid):
    assert parsing.luhn_valid(digits) is valid


# --- text ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("NA", "NA"),
    ("null", "null"),
    ("None", "None"),
    ("N/A", "N/A"),
    ("nan", "nan"),
    ("-", "-"),
    ("  Dialog om RUS  ", "Dialog om RUS"),
    ("Rad ett\nrad två", "Rad ett\nrad två"),
    (12, "12"),
    (12.0, "12"),
    (1.5, "1.5"),
    (True, "Ja"),
    (dt.date(2025, 3, 4), "2025-03-04"),
    (None, None),
    ("", None),
    ("   ", None),
])
def test_text_is_kept_as_typed(typed, expected):
    assert parsing.text(typed) == expected


def _read(parser, value):
    try:
        return parser(value)
    except CellError as error:
        return str(error)


@pytest.mark.parametrize("parser", [parsing.parse_date, parsing.parse_sector, parsing.parse_county,
                                    parsing.parse_municipality, parsing.split_organisations, parsing.parse_org_number,
                                    parsing.parse_agreement_kind, parsing.parse_party, parsing.parse_cadence,
                                    parsing.parse_status, parsing.text], ids=lambda parser: parser.__name__)
@pytest.mark.parametrize("typed", ["\x1b", " \x07 ", "\x00\x9b"])
def test_a_cell_of_control_characters_only_reads_as_a_blank_one(parser, typed):
    """Text loses its control characters (civsam.typed_text), so such a cell is blank, never a crash."""
    assert _read(parser, typed) == _read(parser, "")
