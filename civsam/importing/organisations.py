"""The Organisationer sheet: the organisation register, known by name (and by each merged spelling)."""

from sqlalchemy import update

from civsam import parsing
from civsam.importing.run import ImportRun
from civsam.keys import name_key
from civsam.models import Organisation, longest
from civsam.workbook import Sheet


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    for row in run.rows(sheet):
        name = row.read("name", parsing.parse_name, longest=longest(Organisation.name))
        sector = row.read("sector", parsing.parse_sector)
        values = {"type": row.read("type", parsing.limited_text, longest=longest(Organisation.type)),
                  "municipality_code": getattr(row.read("municipality", parsing.parse_municipality), "code", None),
                  "org_number": row.read("org_number", parsing.parse_org_number)}
        if row.ok and sector is None:
            row.reject("sector", f"Sektor saknas. {parsing.SECTOR_HELP}")
        if not row.ok or not name:
            if row.ok:
                row.reject("name", "Organisationens namn saknas. Skriv namnet eller ta bort raden.")
            continue
        values = {"sector": sector, **{key: value for key, value in values.items() if value is not None}}
        stored = run.organisations.get(name_key(name))
        identity = stored.name_key if stored else name_key(name)
        if run.repeated(run.seen_organisations, identity, row, values, "name", lambda where: (
                f"{name} finns redan på {where} med andra uppgifter. Behåll en rad per organisation.")):
            continue
        if stored is None:
            run.create_organisations({identity: {"name": name, **values}})
            run.report.imported += 1
        elif any(getattr(stored, key) != value for key, value in values.items()):
            run.revise("organisations", stored.id, {key: getattr(stored, key) for key in values})
            run.connection.execute(update(Organisation).where(Organisation.id == stored.id).values(**values))
            changed = stored._replace(**values)
            for key, organisation in run.organisations.items():  # its merged spellings too
                if organisation.id == stored.id:
                    run.organisations[key] = changed
            run.report.updated += 1
        else:
            run.report.duplicates += 1
