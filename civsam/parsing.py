"""Value parsers: what a coordinator typed in a cell, turned into a stored value.

Each parser takes a raw cell as the workbook reader returns it (str, int,
float, bool, date, datetime, or '' / None for an empty cell) and returns the
value, or raises CellError with a Swedish message that says how to fix it.
Text is kept as typed: "NA", "null" or "None" stay text, but without control characters (civsam.typed_text;
PostgreSQL cannot store a NUL, SQLite can): both stores get the same text. A text for a column of limited length takes
the limit as `longest` (from civsam.models, via civsam.importing) and is refused beyond it, on SQLite as on
PostgreSQL and in a dry run alike.
"""

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable

from civsam.keys import PSEUDONYMISED, name_key
from civsam.reference import (
    ACTIVITY_TYPES,
    AGREEMENT_KIND_LABELS,
    CADENCE_LABELS,
    COUNTIES,
    DEFAULT_ACTIVITY_TYPE,
    MUNICIPALITIES,
    MUNICIPALITY_BY_CODE,
    PARTY_LABELS,
    STATUS_LABELS,
    Municipality,
)
from civsam.typed_text import without_control_characters


class CellError(ValueError):
    """A cell that cannot be read; str(error) is the Swedish fix-it message."""


def is_blank(value) -> bool:
    """None, or text of nothing but spaces and control characters (which text() takes out). Most text has no
    control character (isprintable, in C) and is not cleaned here."""
    if not isinstance(value, str):
        return value is None
    return not value.strip() or (not value.isprintable() and not without_control_characters(value).strip())


def fold(text: str) -> str:
    """Lower-case, without accents (å→a, ö→o, é→e), spaces collapsed: for forgiving matches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def text(value) -> str | None:
    """A text cell as typed (surrounding spaces trimmed, control characters removed); a whole number loses its
    '.0'."""
    if type(value) is str:  # most cells, and a log's titles are each distinct: one pass each
        return without_control_characters(value).strip() or None
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


TEXT_TOO_LONG = "Texten är för lång: {length} tecken, högst {longest}. Korta den."
NAME_TOO_LONG = "Namnet är för långt: {length} tecken, högst {longest}. Skriv ett kortare namn."


def limited_text(value, *, longest: int) -> str | None:
    """A text cell for a column of `longest` characters."""
    return _within(text(value), longest, TEXT_TOO_LONG)


def parse_name(value, *, longest: int) -> str | None:
    """A name, spaces collapsed, for a column of `longest` characters."""
    typed = text(value)
    return _within(" ".join(typed.split()), longest, NAME_TOO_LONG, _key_length) if typed else None


def parse_person(value, *, longest: int) -> str | None:
    """A responsible or contact person's name (as parse_name), but none that reads like a pseudonym."""
    name = parse_name(value, longest=longest)
    if name and fold(name).endswith(fold(PSEUDONYMISED)):
        raise CellError(f"Namn som slutar på {PSEUDONYMISED} ger civsam åt gallrade personer. Skriv personens "
                        "namn, eller lämna cellen tom.")
    return name


def _key_length(name: str) -> int:
    """A name's length as its column holds it: its name key is stored beside it, and casefolding can make a
    name longer (ß becomes ss)."""
    return max(len(name), len(name_key(name)))


def _within(typed: str | None, longest: int | None, too_long: str,
            measure: Callable[[str], int] = len) -> str | None:
    if typed and longest is not None and measure(typed) > longest:
        raise CellError(too_long.format(length=measure(typed), longest=longest))
    return typed


ACTIVITY_TYPE_BY_WORD = {fold(word): word for word in ACTIVITY_TYPES}


def parse_activity_type(value, *, longest: int) -> str:
    """A known activity type whatever its case or accents ("workshop", "NATVERKSTRAFF"); another word is kept
    as typed (at most `longest` characters), and a blank cell is a meeting."""
    typed = text(value)
    known = ACTIVITY_TYPE_BY_WORD.get(fold(typed or ""))
    return known or _within(typed, longest, TEXT_TOO_LONG) or DEFAULT_ACTIVITY_TYPE


# --- dates -------------------------------------------------------------------

SWEDISH_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
TIME = r"(?:[ tT]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"  # a time after the date is allowed and dropped
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME)
DAY_FIRST_DATE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})" + TIME)
WORDED_DATE = re.compile(r"(\d{1,2})(?::e|:a)?\.?\s+([a-zåäö]+)\.?\s+(\d{4})")
# Excel stores dates as days since 1899-12-30; a bare number in this range is one.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = range(36526, 73051)  # 2000-01-01 .. 2099-12-31
DATE_HELP = "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2025-03-04 (även 4/3/2025 och 4 mars 2025 går bra)."


def parse_date(value) -> dt.date:
    if is_blank(value):
        raise CellError(f"Datum saknas. {DATE_HELP}")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and int(value) in EXCEL_SERIAL_RANGE:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"Talet {value} är inget datum. {DATE_HELP}")
    typed = str(value).strip()
    parts = _date_parts(typed.lower())
    if parts is None:
        raise CellError(f"Datumet känns inte igen. {DATE_HELP}")
    try:
        return dt.date(*parts)
    except ValueError:
        raise CellError(f"Datumet {typed} finns inte i kalendern. Kontrollera dag och månad. {DATE_HELP}") from None


def parse_optional_date(value) -> dt.date | None:
    """A date, or None for a blank cell."""
    return None if is_blank(value) else parse_date(value)


def _date_parts(typed: str) -> tuple[int, int, int] | None:
    if match := ISO_DATE.fullmatch(typed):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := DAY_FIRST_DATE.fullmatch(typed):
        day, _, month, year = match.groups()
        return int(year), int(month), int(day)
    if (match := WORDED_DATE.fullmatch(typed)) and match.group(2) in SWEDISH_MONTHS:
        day, month_name, year = match.groups()
        return int(year), SWEDISH_MONTHS[month_name], int(day)
    return None


# --- numbers -----------------------------------------------------------------

UNIT_SUFFIX = re.compile(r"\s*(kr|sek|:-|h|tim|timmar|st)\.?$", re.IGNORECASE)
NUMBER_TEXT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
MAX_WHOLE = 2_147_483_647  # the largest INTEGER every supported database stores


def parse_number(value, *, label: str, whole: bool = False) -> float | int | None:
    """A non-negative number: an Excel number, or text such as '1,5', '1 500 kr'. Blank gives None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"{label} ska vara ett tal, inte ett sant/falskt-värde. Skriv t.ex. 1,5.")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        compact = UNIT_SUFFIX.sub("", re.sub(r"[\s\u00a0\u202f]", "", str(value)))
        if not NUMBER_TEXT.fullmatch(compact):
            raise CellError(f"{label} ska vara ett tal, t.ex. 1,5 eller 1500. Ta bort bokstäver och andra tecken.")
        number = float(compact.replace(",", "."))
    if not math.isfinite(number):
        raise CellError(f"{label} ska vara ett vanligt tal, t.ex. 1,5.")
    if number < 0:
        raise CellError(f"{label} kan inte vara negativt. Skriv 0 eller ett positivt tal.")
    if whole:
        if not number.is_integer():
            raise CellError(f"{label} ska vara ett heltal, t.ex. 12.")
        if number > MAX_WHOLE:
            raise CellError(f"{label} är orimligt stort. Kontrollera talet och skriv antalet, t.ex. 12.")
        return int(number)
    return number


def parse_year(value) -> int:
    year = parse_number(value, label="År", whole=True)
    if year is None or not 2000 <= year <= 2100:
        raise CellError("År ska vara ett årtal med fyra siffror, t.ex. 2025.")
    return year


# --- yes/no ------------------------------------------------------------------

YES = {"ja", "j", "x", "1", "yes", "y", "true", "sant"}
NO = {"nej", "n", "0", "no", "false", "falskt"}


def parse_yes_no(value, *, label: str) -> bool:
    """Ja/Nej, J/N, X, 1/0, yes/no, true/false; blank means no."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = fold(str(value))
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"{label} ska vara Ja eller Nej (även J/N, X, 1/0 går bra); lämna tomt för Nej.")


# --- sectors, counties, municipalities ----------------------------------------

SECTOR_WORDS = {
    "civil_society": ("civilsamhälle", "civilsamhället", "idéburen", "idéburna", "ideell", "ideella",
                      "civil society"),
    "business": ("näringsliv", "näringslivet", "företag"),
    "public": ("offentlig", "offentlig sektor", "kommun", "region"),
    "academia": ("akademi", "akademin", "universitet", "högskola"),
}
SECTOR_BY_WORD = {fold(word): key for key, words in SECTOR_WORDS.items() for word in (key, *words)}
SECTOR_HELP = "Skriv Civilsamhälle, Näringsliv, Offentlig sektor eller Akademi."


def parse_sector(value) -> str | None:
    """A sector key, or None for a blank cell."""
    if is_blank(value):
        return None
    key = SECTOR_BY_WORD.get(fold(str(value)))
    if key is None:
        raise CellError(f"Okänd sektor. {SECTOR_HELP}")
    return key


COUNTY_BY_WORD = {
    fold(word): county.name
    for county in COUNTIES
    for word in (county.name, county.long_name, county.letter_code, f"{county.name} län")
}


def parse_county(value) -> str | None:
    if is_blank(value):
        return None
    county = COUNTY_BY_WORD.get(fold(str(value)))
    if county is None:
        raise CellError("Okänt län. Skriv Västerbotten (eller AC) eller Norrbotten (eller BD).")
    return county


MUNICIPALITY_BY_WORD = {fold(m.name): m for m in MUNICIPALITIES}
MUNICIPALITY_SUFFIX = re.compile(r"\s+kommun$")


def parse_municipality(value) -> Municipality | None:
    """One of the 29 municipalities, by name in any case, with or without å/ä/ö or 'kommun', or by SCB code."""
    if is_blank(value):
        return None
    typed = text(value)
    if typed in MUNICIPALITY_BY_CODE:
        return MUNICIPALITY_BY_CODE[typed]
    word = MUNICIPALITY_SUFFIX.sub("", fold(typed))
    municipality = MUNICIPALITY_BY_WORD.get(word)
    if municipality is None:
        close = difflib.get_close_matches(word, list(MUNICIPALITY_BY_WORD), n=1, cutoff=0.8)
        guess = f"Menar du {MUNICIPALITY_BY_WORD[close[0]].name}? " if close else ""
        raise CellError(
            f"Kommunen finns inte i Västerbottens eller Norrbottens län. {guess}Skriv en av länens 29 kommuner, "
            "t.ex. Umeå eller Luleå, eller lämna Kommun tom och fyll i Län."
        )
    return municipality


# --- organisations -------------------------------------------------------------

ORGANISATION_SEPARATORS = re.compile(r"[;,\n\r]+")


def split_organisations(value, *, longest: int | None = None) -> tuple[str, ...]:
    """Several organisations in one cell, separated by ';', ',' or line breaks, each name at most `longest`
    characters (None: names only looked up, never stored); repeats dropped."""
    if is_blank(value):
        return ()
    names: dict[str, str] = {}
    for part in ORGANISATION_SEPARATORS.split(text(value)):
        name = " ".join(part.split())
        if name:
            names.setdefault(name_key(name), _within(name, longest, NAME_TOO_LONG, _key_length))
    return tuple(names.values())


ORG_NUMBER = re.compile(r"(?:16)?(\d{6})-?(\d{4})")


def parse_org_number(value) -> str | None:
    """An organisationsnummer as NNNNNN-NNNN, its last digit checked with the Luhn algorithm."""
    if is_blank(value):
        return None
    match = ORG_NUMBER.fullmatch(re.sub(r"\s", "", text(value)))
    if match is None:
        raise CellError("Organisationsnumret ska ha formen NNNNNN-NNNN, t.ex. 802002-4280.")
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise CellError("Organisationsnumrets kontrollsiffra stämmer inte. "
                        "Kontrollera numret mot registreringsbeviset.")
    return f"{match.group(1)}-{match.group(2)}"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


# --- agreements and commitments ---------------------------------------------------

def _words(labels: dict[str, str], more: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded word → stored value: each value, its Swedish label and the other words for it."""
    return {fold(word): value for value, label in labels.items() for word in (value, label, *more.get(value, ()))}


KIND_BY_WORD = _words(AGREEMENT_KIND_LABELS, {
    "avsiktsförklaring": ("avsiktsförklaringen", "declaration of intent"),
    "IOP": ("idéburet offentligt partnerskap", "partnerskap"),
    "överenskommelse": ("överenskommelsen", "regional överenskommelse", "agreement"),
    "avtal": ("avtalet", "samverkansavtal", "contract"),
})
PARTY_BY_WORD = _words(PARTY_LABELS, {"region": ("regionen",), "partner": ("parten", "partnern"),
                                      "both": ("bägge", "gemensamt", "alla")})
CADENCE_BY_WORD = _words(CADENCE_LABELS, {
    "once": ("en gång", "engångs", "engångsåtagande"),
    "yearly": ("årlig", "årligt", "varje år", "år"),
    "half-yearly": ("halvårsvis", "varje halvår", "halvårs", "halvårlig"),
    "quarterly": ("kvartalsvis", "varje kvartal"),
})
STATUS_BY_WORD = _words(STATUS_LABELS, {
    "ej påbörjat": ("ej påbörjad", "inte påbörjat", "inte påbörjad", "ej startat", "ej startad", "not started"),
    "pågår": ("pågående", "påbörjat", "påbörjad", "ongoing", "in progress"),
    "klart": ("klar", "genomfört", "genomförd", "uppfyllt", "uppfylld", "done"),
    "försenat": ("försenad", "late", "delayed"),
})
KIND_HELP = "Skriv Avsiktsförklaring, IOP, Överenskommelse eller Avtal."
PARTY_HELP = "Skriv Region, Partner eller Båda."
CADENCE_HELP = "Skriv Engång, Årligen, Halvår eller Kvartal; lämna tomt för Engång."
STATUS_HELP = "Skriv Ej påbörjat, Pågår, Klart eller Försenat; lämna tomt för Ej påbörjat."


def _parse_word(value, by_word: dict[str, str], unknown: str) -> str | None:
    if is_blank(value):
        return None
    word = by_word.get(fold(text(value)))
    if word is None:
        raise CellError(unknown)
    return word


def parse_agreement_kind(value) -> str | None:
    """avsiktsförklaring, IOP, överenskommelse or avtal, typed in any case; None for a blank cell."""
    return _parse_word(value, KIND_BY_WORD, f"Okänd avtalstyp. {KIND_HELP}")


def parse_party(value) -> str | None:
    """Whose a commitment is: region, partner or both; None for a blank cell."""
    return _parse_word(value, PARTY_BY_WORD, f"Okänd part. {PARTY_HELP}")


def parse_cadence(value) -> str | None:
    """once, yearly, half-yearly or quarterly; None for a blank cell."""
    return _parse_word(value, CADENCE_BY_WORD, f"Okänt intervall. {CADENCE_HELP}")


def parse_status(value) -> str | None:
    """ej påbörjat, pågår, klart or försenat, typed in any case; None for a blank cell."""
    return _parse_word(value, STATUS_BY_WORD, f"Okänd status. {STATUS_HELP}")
