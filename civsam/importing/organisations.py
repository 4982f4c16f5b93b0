"""The Organisationer sheet: the organisation register, known by name (and by each merged spelling).

Medlem i names the umbrella organisations an organisation belongs to. An umbrella may stand on a later row of
the sheet, so the rows are read first, then their umbrellas checked (known, and no organisation its own member
however many umbrellas lie between), and only then stored. A blank Medlem i keeps the stored memberships."""

import difflib
from typing import NamedTuple

from sqlalchemy import select, update

from civsam import parsing
from civsam.importing.run import ImportRun, RowReader
from civsam.keys import name_key
from civsam.links import membership_cycle, set_umbrellas, stored_umbrellas
from civsam.models import Organisation, longest
from civsam.workbook import Sheet


class ParsedOrganisation(NamedTuple):
    row: RowReader
    name: str
    key: str  # its identity: the stored organisation's name key, for a merged spelling too
    values: dict
    umbrellas: dict[str, str] | None  # identity → name as typed; None: a blank Medlem i keeps what is stored


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    parsed = [organisation for row in run.rows(sheet) if (organisation := _parse(run, row))]
    memberships = stored_umbrellas(run.connection)
    accepted = _with_known_umbrellas(run, parsed, memberships)
    written = [_store(run, organisation) for organisation in accepted]
    for organisation, was_written in zip(accepted, written, strict=True):  # every umbrella is stored by now
        if _store_umbrellas(run, organisation, memberships) and not was_written:
            run.report.updated += 1
        elif not was_written:
            run.report.duplicates += 1


def _identity(run: ImportRun, name: str) -> str:
    stored = run.organisations.get(name_key(name))
    return stored.name_key if stored else name_key(name)


def _parse(run: ImportRun, row: RowReader) -> ParsedOrganisation | None:
    """The row's organisation, or None (and rejections, or a duplicate counted) when it is not to be stored."""
    name = row.read("name", parsing.parse_name, longest=longest(Organisation.name))
    sector = row.read("sector", parsing.parse_sector)
    values = {"type": row.read("type", parsing.limited_text, longest=longest(Organisation.type)),
              "municipality_code": getattr(row.read("municipality", parsing.parse_municipality), "code", None),
              "org_number": row.read("org_number", parsing.parse_org_number)}
    typed_umbrellas = row.read("member_of", parsing.split_organisations)
    if row.ok and sector is None:
        row.reject("sector", f"Sektor saknas. {parsing.SECTOR_HELP}")
    if not row.ok or not name:
        if row.ok:
            row.reject("name", "Organisationens namn saknas. Skriv namnet eller ta bort raden.")
        return None
    values = {"sector": sector, **{key: value for key, value in values.items() if value is not None}}
    umbrellas = {_identity(run, umbrella): umbrella for umbrella in typed_umbrellas} if typed_umbrellas else None
    identity = _identity(run, name)
    compared = {**values, "umbrellas": sorted(umbrellas or ())}
    if run.repeated(run.seen_organisations, identity, row, compared, "name", lambda where: (
            f"{name} finns redan på {where} med andra uppgifter. Behåll en rad per organisation.")):
        return None
    return ParsedOrganisation(row, name, identity, values, umbrellas)


def _with_known_umbrellas(run: ImportRun, parsed: list[ParsedOrganisation],
                          memberships: dict[int, set[int]]) -> list[ParsedOrganisation]:
    """The rows whose umbrellas are stored or on an accepted row, and that make no organisation its own member;
    the others rejected. Rejecting a row can leave another row's umbrella unknown, so this repeats until none is."""
    accepted = parsed
    while True:
        on_sheet = {organisation.key: organisation.name for organisation in accepted}
        by_key = _umbrella_keys(run, accepted, memberships)
        problems = {id(organisation): problem for organisation in accepted
                    if (problem := _umbrella_problem(run, organisation, on_sheet, by_key))}
        if not problems:
            return accepted
        for organisation in accepted:
            if id(organisation) in problems:
                organisation.row.reject("member_of", problems[id(organisation)])
        accepted = [organisation for organisation in accepted if id(organisation) not in problems]


def _umbrella_keys(run: ImportRun, accepted: list[ParsedOrganisation],
                   memberships: dict[int, set[int]]) -> dict[str, set[str]]:
    """Every organisation's umbrellas by name key as they would be after the import: stored, unless a row gives
    new ones."""
    key_of = {organisation.id: organisation.name_key for organisation in run.organisations.values()}
    umbrellas = {key_of[member]: {key_of[umbrella] for umbrella in ids}
                 for member, ids in memberships.items()}
    umbrellas.update({organisation.key: set(organisation.umbrellas) for organisation in accepted
                      if organisation.umbrellas is not None})
    return umbrellas


def _umbrella_problem(run: ImportRun, organisation: ParsedOrganisation, on_sheet: dict[str, str],
                      umbrellas: dict[str, set[str]]) -> str | None:
    """What is wrong with the row's Medlem i, in Swedish, or None."""
    for key, typed in (organisation.umbrellas or {}).items():
        if key not in run.organisations and key not in on_sheet and (number := _row_naming(organisation.row, key)):
            return (f"{typed} avvisades, se rad {number}. Rätta den raden och importera filen igen, så sparas även "
                    "den här.")
        if key not in run.organisations and key not in on_sheet:
            names = {**_stored_names(run), **on_sheet}
            close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
            guess = f"Menar du {names[close[0]]}? " if close else ""
            return (f"{typed} finns inte i organisationsregistret. {guess}Skriv paraplyorganisationen som i kolumnen "
                    "Organisation, eller lägg till den som en egen rad på bladet Organisationer.")
    if organisation.umbrellas and (cycle := membership_cycle(umbrellas, organisation.key)):
        names = {**_stored_names(run), **on_sheet}
        chain = " → ".join(names.get(key, key) for key in cycle)
        return (f"Medlemskapen går runt: {chain}. En organisation kan inte vara medlem i sig själv, inte heller "
                "genom andra. Ta bort ett av medlemskapen.")
    return None


def _row_naming(row: RowReader, key: str) -> int | None:
    """The number of the sheet's first row whose Organisation is `key` (rejected, when a message asks), or None."""
    names, codes = row.sheet.column("name")
    return next((row.sheet.numbers[position] for position, code in enumerate(codes)
                 if name_key(parsing.text(names[code]) or "") == key), None)


def _stored_names(run: ImportRun) -> dict[str, str]:
    """Every stored organisation's name by its name key, for a message (a rare row: read each time)."""
    return dict(run.connection.execute(select(Organisation.name_key, Organisation.name)).all())


def _store(run: ImportRun, organisation: ParsedOrganisation) -> bool:
    """Create or update the organisation; False when its stored values are the row's already."""
    stored, values = run.organisations.get(organisation.key), organisation.values
    if stored is None:
        run.create_organisations({organisation.key: {"name": organisation.name, **values}})
        run.report.imported += 1
        return True
    if all(getattr(stored, key) == value for key, value in values.items()):
        return False
    run.revise("organisations", stored.id, {key: getattr(stored, key) for key in values})
    run.connection.execute(update(Organisation).where(Organisation.id == stored.id).values(**values))
    changed = stored._replace(**values)
    for key, known in run.organisations.items():  # its merged spellings too
        if known.id == stored.id:
            run.organisations[key] = changed
    run.report.updated += 1
    return True


def _store_umbrellas(run: ImportRun, organisation: ParsedOrganisation, memberships: dict[int, set[int]]) -> bool:
    """Give the organisation the row's umbrellas, keeping the earlier ones for undo; whether they changed."""
    if organisation.umbrellas is None:
        return False
    member = run.organisations[organisation.key].id
    wanted = {run.organisations[key].id for key in organisation.umbrellas}
    earlier = memberships.get(member, set())
    if wanted == earlier:
        return False
    run.revise("organisations", member, {"umbrella_ids": sorted(earlier)})
    set_umbrellas(run.connection, member, wanted)
    return True
