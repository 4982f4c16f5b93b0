"""The measure file for Stratsys: the period's figures as lines Stratsys imports.

Stratsys's "Importera måttdata" reads a tab-separated text file with one line per value: the unit's name as
spelled in its organisation tree, a date inside the period, the measure's name as spelled in Stratsys, the
value. Its file integration reads the date, the unit's, the measure's and the measure column's external codes
and the value. The values are the dashboard's own figures (the overview's civil-society column, civsam.queries
period_figures, and the agreements' progress, civsam.agreements), never a second calculation.

The names and codes are the region's, so they come from a settings file (TOML, the path in the setting
CIVSAM_STRATSYS_FILE); every key is checked, and a bad one is refused with a Swedish message saying how to fix it.
"""

import datetime as dt
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from civsam import settings
from civsam.agreements import agreement_overview
from civsam.filters import Filters
from civsam.formatting import rounded
from civsam.queries import period_figures

DEFAULT_UNIT = "Region Västerbotten"
SETTINGS_VARIABLE = "CIVSAM_STRATSYS_FILE"
# Excel's "Text (tabbavgränsad)", the file Stratsys's import is made for, ends every line with CR LF; a reader that
# splits lines on LF alone is left with a CR after the value, which number parsing skips as trailing white space.
LINE_END = "\r\n"
FORMATS = ("import", "integration")  # Importera måttdata (names) or the file integration (external codes)


@dataclass(frozen=True)
class Measure:
    key: str  # its key in the settings file
    name: str  # its default name in Stratsys
    decimals: int  # as the dashboard shows it


MEASURES = (
    Measure("civil_society_activities", "Aktiviteter med civilsamhället", 0),
    Measure("civil_society_organisations", "Organisationer i civilsamhället med kontakt", 0),
    Measure("civil_society_municipalities", "Kommuner med kontakt med civilsamhället", 0),
    Measure("civil_society_hours", "Arbetstimmar med civilsamhället", 1),
    Measure("civil_society_youth_share", "Andel aktiviteter med barn och unga (%)", 1),
    Measure("business_activities", "Aktiviteter med näringslivet", 0),
    Measure("commitments_done", "Åtaganden klara", 0),
    Measure("commitments_late", "Åtaganden försenade", 0),
)
MEASURE_BY_KEY = {measure.key: measure for measure in MEASURES}


class StratsysError(ValueError):
    """A setting, a name or a missing code that would make a file Stratsys cannot read; the message says how to
    fix it, in Swedish."""


@dataclass(frozen=True)
class MeasureSetting:
    key: str
    name: str
    include: bool = True
    code: str | None = None  # the measure's external code, for the file integration
    column_code: str | None = None  # the measure column's external code, for the file integration


@dataclass(frozen=True)
class StratsysSettings:
    unit: str = DEFAULT_UNIT
    unit_code: str | None = None
    measures: tuple[MeasureSetting, ...] = tuple(MeasureSetting(m.key, m.name) for m in MEASURES)
    source: str = "standardinställningarna"  # where they were read, for messages

    def included(self) -> tuple[MeasureSetting, ...]:
        return tuple(measure for measure in self.measures if measure.include)


# --- the figures ------------------------------------------------------------------------------------------------

def measure_filters(filters: Filters) -> Filters:
    """Only the period and the county: a measure counts every activity type, project and municipality."""
    return Filters(filters.start, filters.end, filters.county)


def measure_values(engine: Engine, filters: Filters) -> dict[str, int | float | Decimal | None]:
    """Each measure's value for the period and county of `filters` (other filters do not apply), by key: the
    dashboard's figures, unrounded (the file rounds them as the dashboard shows them); commitments as of the
    period's last day. The youth share is in per cent (times 100 in decimal, so float noise cannot round it
    down), None without civil-society activities: a share of nothing."""
    period = measure_filters(filters)
    figures = period_figures(engine, period)
    civil, business = figures.key_figures(("civil_society",)), figures.key_figures(("business",))
    progress = agreement_overview(engine, period, period.end)
    share = civil["youth_share"]
    return {
        "civil_society_activities": civil["activities"],
        "civil_society_organisations": civil["organisations"],
        "civil_society_municipalities": civil["municipalities"],
        "civil_society_hours": civil["hours"],
        "civil_society_youth_share": None if share is None else Decimal(str(share)) * 100,
        "business_activities": business["activities"],
        "commitments_done": int(progress["done"].sum()),
        "commitments_late": int(progress["late"].sum()),
    }


# --- the file ---------------------------------------------------------------------------------------------------

def measure_file(values: dict, chosen: StratsysSettings, day: dt.date, file_format: str = "import") -> bytes:
    """The file: UTF-8 with a byte order mark, one tab-separated line per included measure with a value, no
    header, `day` as yyyy-mm-dd, a decimal comma and no thousands separator. Raises StratsysError when the
    integration's external codes are missing."""
    if file_format == "integration":
        _check_codes(chosen)
    lines = []
    for measure in chosen.included():
        value = values[measure.key]
        if value is None:
            continue
        number = _number(value, MEASURE_BY_KEY[measure.key].decimals)
        lines.append([day.isoformat(), chosen.unit_code, measure.code, measure.column_code, number]
                     if file_format == "integration" else [chosen.unit, day.isoformat(), measure.name, number])
    return "".join("\t".join(fields) + LINE_END for fields in lines).encode("utf-8-sig")


def left_out(values: dict, chosen: StratsysSettings) -> list[str]:
    """The names of the included measures that have no value for the period, so have no line."""
    return [measure.name for measure in chosen.included() if values[measure.key] is None]


def _number(value: int | float | Decimal, decimals: int) -> str:
    """12 → '12', 1007.5 → '1007,5': rounded half away from zero, a decimal comma, no thousands separator."""
    return f"{rounded(value, decimals):f}".replace(".", ",")


def _check_codes(chosen: StratsysSettings) -> None:
    included = chosen.included()
    missing = [] if chosen.unit_code else ["unit_code"]
    for key in ("code", "column_code"):
        without = [f"[measures.{measure.key}]" for measure in included if not getattr(measure, key)]
        if without:
            missing.append(f"{key} för {'alla mått' if len(without) == len(included) else ', '.join(without)}")
    if missing:
        raise StratsysError(
            f"Filintegrationen behöver externa koder, och i {chosen.source} saknas {'; '.join(missing)}. Skriv in "
            "koderna som Stratsys visar dem (column_code kan stå en gång överst för alla mått), eller skriv filen "
            "för Importera måttdata utan --format integration.")


# --- the settings -----------------------------------------------------------------------------------------------

TOP_KEYS = ("unit", "unit_code", "column_code", "measures")
MEASURE_KEYS = ("name", "include", "code", "column_code")


def load_settings(path: Path | None = None) -> StratsysSettings:
    """The settings in `path`, by default in the file CIVSAM_STRATSYS_FILE names. Without that setting and
    without the default file, the defaults; a file named that is absent, unreadable or wrong raises
    StratsysError."""
    named = path or os.environ.get(SETTINGS_VARIABLE)
    path = Path(named or settings.get(SETTINGS_VARIABLE))
    if not named and not path.exists():
        return StratsysSettings(source=f"standardinställningarna (det finns ingen {path})")
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise StratsysError(f"Inställningsfilen {path} finns inte. Skapa den (se README, Stratsys) eller ändra "
                            f"{SETTINGS_VARIABLE}.") from None
    except UnicodeDecodeError:
        raise StratsysError(f"{path} är inte sparad som UTF-8. Spara den som UTF-8 och försök igen.") from None
    except OSError as error:
        raise StratsysError(f"{path} går inte att läsa: {error.strerror}.") from None
    return parse_settings(text, str(path))


def with_unit(chosen: StratsysSettings, unit: str) -> StratsysSettings:
    """The settings with another unit's name (the command's --unit)."""
    return replace(chosen, unit=checked_text(unit, "Enhetens namn (--unit)"))


def parse_settings(text: str, source: str) -> StratsysSettings:
    """The settings a TOML text holds; a key civsam does not know, a value of the wrong kind or a name that would
    break the file raises StratsysError naming the key and how to fix it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))  # tomllib's "(at line 2, column 10)" or "(at end of document)"
        where = f" på rad {line.group(1)}" if line else " i slutet"
        raise StratsysError(f"{source} går inte att läsa{where}: skriv varje inställning som nyckel = \"text\" "
                            "(TOML), t.ex. unit = \"Region Västerbotten\".") from None
    _known(data, TOP_KEYS, source, "överst")
    unit = _text(data, "unit", source, DEFAULT_UNIT)
    unit_code = _text(data, "unit_code", source)
    column_code = _text(data, "column_code", source)
    measures_data = data.get("measures", {})
    if not isinstance(measures_data, dict):
        raise StratsysError(f"{source}: measures ska vara tabeller, t.ex. [measures.commitments_late].")
    unknown = [key for key in measures_data if key not in MEASURE_BY_KEY]
    if unknown:
        raise StratsysError(f"{source}: det finns inget mått [measures.{unknown[0]}]. Måtten heter "
                            f"{', '.join(MEASURE_BY_KEY)}.")
    measures = tuple(_measure(measure, measures_data.get(measure.key, {}), column_code, source)
                     for measure in MEASURES)
    chosen = StratsysSettings(unit, unit_code, measures, source)
    _check_measures(chosen)
    return chosen


def _measure(measure: Measure, data, column_code: str | None, source: str) -> MeasureSetting:
    where = f"measures.{measure.key}"
    if not isinstance(data, dict):
        raise StratsysError(f"{source}: {where} ska vara en tabell: skriv [{where}] på en egen rad och "
                            "inställningarna under den.")
    _known(data, MEASURE_KEYS, source, f"[{where}]")
    include = data.get("include", True)
    if not isinstance(include, bool):
        raise StratsysError(f"{source}: {where}.include ska vara true eller false (utan citattecken).")
    return MeasureSetting(measure.key, _text(data, "name", source, measure.name, where), include,
                          _text(data, "code", source, None, where),
                          _text(data, "column_code", source, column_code, where))


def _known(data: dict, keys: tuple[str, ...], source: str, where: str) -> None:
    unknown = [key for key in data if key not in keys]
    if unknown:
        raise StratsysError(f"{source}: okänd inställning {unknown[0]!r} {where}. Där kan stå "
                            f"{', '.join(keys)}; rätta stavningen eller ta bort raden.")


def _text(data: dict, key: str, source: str, default: str | None = None, table: str = "") -> str | None:
    where = f"{table}.{key}" if table else key
    if key not in data:
        return default
    value = data[key]
    if not isinstance(value, str):
        raise StratsysError(f"{source}: {where} ska vara en text inom citattecken, t.ex. {key} = \"…\".")
    return checked_text(value, f"{where} i {source}")


def checked_text(value: str, where: str) -> str:
    """`value` as one field of the file: not empty and without tab, line break or other control character, which
    would split it into other fields or lines. Raises StratsysError saying so."""
    if not value.strip():
        raise StratsysError(f"{where} är tom. Skriv namnet eller koden som det står i Stratsys.")
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise StratsysError(f"{where} innehåller en tabb, radbrytning eller ett annat styrtecken, som skulle dela "
                            "raden i filen. Skriv den på en rad, utan tabbar.")
    return value


def _check_measures(chosen: StratsysSettings) -> None:
    if not chosen.included():
        raise StratsysError(f"{chosen.source}: alla mått har include = false, så filen blir tom. Ta med minst ett.")
    seen: dict[str, str] = {}
    for measure in chosen.included():
        if measure.name in seen:
            raise StratsysError(f"{chosen.source}: measures.{seen[measure.name]} och measures.{measure.key} heter "
                                f"båda {measure.name!r}, så Stratsys skulle få två värden för samma mått. Ge dem "
                                "olika namn, eller include = false för det ena.")
        seen[measure.name] = measure.key
