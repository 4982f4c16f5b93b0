"""The Avtal sheet: agreements, known by name.

An agreement typed again with new values updates what is stored, each earlier value kept so the import can be
undone; a blank optional cell keeps what is stored. Every partner must already be in the organisation register."""

from sqlalchemy import insert, update

from civsam import parsing
from civsam.importing.run import ImportRun, RowReader, StoredAgreement
from civsam.keys import name_key
from civsam.links import set_agreement_organisations
from civsam.models import Agreement, Person, longest
from civsam.parsing import text
from civsam.workbook import Sheet

MAX_REGISTRATION_NUMBER = longest(Agreement.registration_number)


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    for row in run.rows(sheet):
        parsed = _parse_agreement(run, row)
        if parsed is None:
            continue
        name, values, responsible = parsed
        key = name_key(name)
        if run.repeated(run.seen_agreements, key, row, values, "name", lambda where: (
                f"{name} finns redan på {where} med andra uppgifter. Behåll en rad per avtal.")):
            continue
        stored = run.agreements.get(key)
        if stored is None:
            _create_agreement(run, name, values, responsible)
            run.report.imported += 1
        elif (valid_until := values.get("valid_until", stored.valid_until)) and valid_until < values["signed"]:
            # a blank Giltigt till keeps the stored date, which must still follow the new Undertecknat
            row.reject("signed", f"Undertecknat ({values['signed']}) ligger efter det lagrade Giltigt till "
                                 f"({valid_until}). Skriv också ett nytt Giltigt till, eller rätta datumet.")
        elif changed := {field: value for field, value in values.items() if getattr(stored, field) != value}:
            _update_agreement(run, stored, changed, responsible)
            run.report.updated += 1
        else:
            run.report.duplicates += 1


def _parse_agreement(run: ImportRun, row: RowReader) -> tuple[str, dict, str | None] | None:
    """The name, the values to compare with the stored agreement and the responsible as typed; None (and
    rejections) when the row cannot be read. A blank optional cell keeps what is stored."""
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
    unknown = [partner for partner in partners or () if name_key(partner) not in run.organisations]
    if unknown:
        row.reject("partners", f"{', '.join(unknown)} finns inte i organisationsregistret. Lägg först till "
                               "organisationen på bladet Organisationer (med sektor), i samma fil eller i en "
                               "tidigare import.")
    if not row.ok:
        return None
    values = {"kind": kind, "signed": signed,
              "organisation_ids": tuple(sorted({run.organisations[name_key(p)].id for p in partners}))}
    optional = {"valid_until": valid_until, "registration_number": registration_number,
                "responsible_key": name_key(responsible) if responsible else None}
    return name, {**values, **{field: value for field, value in optional.items() if value is not None}}, responsible


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
