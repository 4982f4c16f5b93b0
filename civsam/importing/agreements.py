"""The Avtal sheet: agreements, known by name.

An agreement typed again with new values updates what is stored, each earlier value kept so the import can be
undone; a blank optional cell keeps what is stored. A partner not yet in the organisation register is added,
with the sector the file gives it anywhere (civsam.importing.run.ImportRun.sectors_in_file), or else as civil
society when the kind of agreement is one made with civil society; undo takes it away again."""

from typing import NamedTuple

from sqlalchemy import insert, update

from civsam import parsing
from civsam.import_report import AddedOrganisation
from civsam.importing.run import ImportRun, RowReader, StoredAgreement
from civsam.keys import name_key
from civsam.links import set_agreement_organisations
from civsam.models import Agreement, Person, longest
from civsam.parsing import text
from civsam.workbook import Sheet

MAX_REGISTRATION_NUMBER = longest(Agreement.registration_number)
# the kinds of agreement the region makes with civil society alone, so a new partner of one is civil society
CIVIL_SOCIETY_KINDS = ("avsiktsförklaring", "IOP", "överenskommelse")


class ParsedAgreement(NamedTuple):
    name: str
    values: dict  # to compare with the stored agreement; the partners apart, as they may not be stored yet
    partners: tuple[str, ...]
    new_partners: dict[str, dict]  # name key → name and sector of each partner the register lacks
    responsible: str | None  # as typed


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    for row in run.rows(sheet):
        parsed = _parse_agreement(run, row)
        if parsed is None:
            continue
        key = name_key(parsed.name)
        if run.repeated(run.seen_agreements, key, row, {**parsed.values, "partners": _partner_keys(run, parsed)},
                        "name", lambda where: (f"{parsed.name} finns redan på {where} med andra uppgifter. Behåll en "
                                               "rad per avtal.")):
            continue
        stored = run.agreements.get(key)
        values = parsed.values
        # a blank Giltigt till keeps the stored date, which must still follow the new Undertecknat
        if stored and (valid_until := values.get("valid_until", stored.valid_until)) and valid_until < values["signed"]:
            row.reject("signed", f"Undertecknat ({values['signed']}) ligger efter det lagrade Giltigt till "
                                 f"({valid_until}). Skriv också ett nytt Giltigt till, eller rätta datumet.")
            continue
        _add_partners(run, row, parsed.new_partners)
        values = {**values, "organisation_ids": tuple(sorted({run.organisations[name_key(partner)].id
                                                              for partner in parsed.partners}))}
        if stored is None:
            _create_agreement(run, parsed.name, values, parsed.responsible)
            run.report.imported += 1
        elif changed := {field: value for field, value in values.items() if getattr(stored, field) != value}:
            _update_agreement(run, stored, changed, parsed.responsible)
            run.report.updated += 1
        else:
            run.report.duplicates += 1


def _parse_agreement(run: ImportRun, row: RowReader) -> ParsedAgreement | None:
    """The agreement the row describes; None (and rejections) when the row cannot be read, its name then noted
    as refused for the rows that name it. A blank optional cell keeps what is stored."""
    name = row.read("name", parsing.parse_name, longest=longest(Agreement.name))
    kind = row.read("kind", parsing.parse_agreement_kind)
    partners = row.read("partners", parsing.split_organisations)
    signed = row.read("signed", parsing.parse_optional_date)
    valid_until = row.read("valid_until", parsing.parse_optional_date)
    registration_number = row.read("registration_number", text)
    responsible = row.read("responsible", parsing.parse_person, longest=longest(Person.name))
    row.require("name", name, "Avtalets namn saknas. Skriv ett kort namn, t.ex. Avsiktsförklaring Samforma.")
    row.require("kind", kind, f"Typ saknas. {parsing.KIND_HELP}")
    row.require("partners", partners, "Part saknas. Skriv organisationen som avtalet är med; flera skiljs med "
                                      "semikolon.")
    row.require("signed", signed, "Undertecknat saknas. Skriv dagen avtalet undertecknades, t.ex. 2024-03-15.")
    row.limit("registration_number", registration_number, MAX_REGISTRATION_NUMBER,
              f"Diarienumret är för långt (högst {MAX_REGISTRATION_NUMBER} tecken). Skriv bara numret, "
              "t.ex. RUN 2024/00123.")
    if signed and valid_until and valid_until < signed:
        row.reject("valid_until", f"Giltigt till ({valid_until}) ligger före Undertecknat ({signed}). Rätta "
                                  "datumen eller lämna Giltigt till tomt.")
    new_partners = _new_partners(run, row, partners or (), kind) if kind else {}
    if not row.ok:
        if name:
            run.refused_agreements.setdefault(name_key(name), (row.sheet.name, row.number))
        return None
    values = {"kind": kind, "signed": signed}
    optional = {"valid_until": valid_until, "registration_number": registration_number,
                "responsible_key": name_key(responsible) if responsible else None}
    return ParsedAgreement(name, {**values, **{field: value for field, value in optional.items() if value is not None}},
                           partners, new_partners, responsible)


def _new_partners(run: ImportRun, row: RowReader, partners: tuple[str, ...], kind: str) -> dict[str, dict]:
    """The partners not in the register, each with its sector: the one the file gives it, or civil society for
    an agreement of a civil-society kind. A partner with neither rejects the row."""
    unknown = {name_key(partner): partner for partner in partners if name_key(partner) not in run.organisations}
    if not unknown:
        return {}
    default = "civil_society" if kind in CIVIL_SOCIETY_KINDS else None
    sectors = {key: run.sectors_in_file.get(key, default) for key in unknown}
    if without_sector := [partner for key, partner in unknown.items() if sectors[key] is None]:
        it = "den" if len(without_sector) == 1 else "dem"
        row.reject("partners", f"{', '.join(without_sector)} finns inte i organisationsregistret, och filen anger "
                               f"ingen sektor för {it}. Lägg till {it} med sektor på bladet Organisationer, eller "
                               f"skriv sektorn i kolumnen Sektor på en aktivitet som nämner {it}. Bara en ny part i "
                               "en avsiktsförklaring, IOP eller överenskommelse blir civilsamhälle utan att sektorn "
                               "anges.")
    return {key: {"name": partner, "sector": sectors[key]} for key, partner in unknown.items()}


def _partner_keys(run: ImportRun, parsed: ParsedAgreement) -> tuple[str, ...]:
    """The partners' name keys, each merged spelling as the kept organisation's: what an earlier row of the same
    agreement is compared by, before a new partner is stored."""
    return tuple(sorted({run.organisations[key].name_key if key in run.organisations else key
                         for key in map(name_key, parsed.partners)}))


def _add_partners(run: ImportRun, row: RowReader, new_partners: dict[str, dict]) -> None:
    """Store the partners the register lacks, and say so in the report."""
    run.create_organisations(new_partners)
    run.report.added_organisations.extend(AddedOrganisation(values["name"], values["sector"], row.sheet.name,
                                                            row.number) for values in new_partners.values())


def _agreement_columns(run: ImportRun, values: dict, responsible: str | None) -> dict:
    """The agreements table's columns for compared values (the partners live in agreement_organisations)."""
    columns = {field: value for field, value in values.items() if field not in ("organisation_ids", "responsible_key")}
    if "responsible_key" in values:
        columns["responsible_id"] = run.person_id(responsible)
    return columns


def _create_agreement(run: ImportRun, name: str, values: dict, responsible: str | None) -> None:
    columns = _agreement_columns(run, values, responsible)
    agreement_id = run.connection.execute(
        insert(Agreement).values(name=name, name_key=name_key(name), created_batch_id=run.batch_id, **columns)
        .returning(Agreement.id)).scalar_one()
    set_agreement_organisations(run.connection, agreement_id, values["organisation_ids"])
    blank = dict.fromkeys(("valid_until", "registration_number", "responsible_id", "responsible_key"))
    run.agreements[name_key(name)] = StoredAgreement(id=agreement_id, name=name, name_key=name_key(name),
                                                     **{**blank, **values, **columns})


def _update_agreement(run: ImportRun, stored: StoredAgreement, changed: dict, responsible: str | None) -> None:
    previous = {field: getattr(stored, field) for field in changed if field != "responsible_key"}
    if "responsible_key" in changed:
        previous["responsible_id"] = stored.responsible_id
    run.revise("agreements", stored.id, previous)
    columns = _agreement_columns(run, changed, responsible)
    if columns:
        run.connection.execute(update(Agreement).where(Agreement.id == stored.id).values(**columns))
    if "organisation_ids" in changed:
        set_agreement_organisations(run.connection, stored.id, changed["organisation_ids"])
    run.agreements[stored.name_key] = stored._replace(**{**changed, **columns})
