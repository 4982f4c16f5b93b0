"""The Resurser sheet: staff (årsarbetskrafter) and budget by year and sector."""

from sqlalchemy import insert, select, update

from civsam import parsing
from civsam.importing.run import ImportRun
from civsam.models import Resource
from civsam.parsing import text
from civsam.workbook import Sheet


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    stored = {(row.year, row.sector): row for row in run.connection.execute(
        select(Resource.id, Resource.year, Resource.sector, Resource.fte, Resource.budget_sek,
               Resource.comment, Resource.batch_id))}
    for row in run.rows(sheet):
        year = row.read("year", parsing.parse_year)
        sector = row.read("sector", parsing.parse_sector)
        fte = row.read("fte", parsing.parse_number, label="Årsarbetskrafter")
        budget = row.read("budget", parsing.parse_number, label="Budget")
        comment = row.read("comment", text)
        if row.ok and sector is None:
            row.reject("sector", f"Sektor saknas. {parsing.SECTOR_HELP}")
        if row.ok and fte is None and budget is None:
            row.reject("fte", "Ange årsarbetskrafter, budget eller båda för året och sektorn.")
        if not row.ok:
            continue
        key = (year, sector)
        previous = stored.get(key)
        # a blank cell keeps the stored figure (a sheet with only Budget leaves the staff as it was)
        typed = {"fte": fte, "budget_sek": budget, "comment": comment}
        values = {name: value if value is not None else getattr(previous, name) if previous else
                  (None if name == "comment" else 0.0) for name, value in typed.items()}
        if run.repeated(run.seen_resources, key, row, values, "year", lambda where: (
                f"År {year} och sektorn finns redan på {where} med andra siffror. "
                "Behåll en rad per år och sektor.")):
            continue
        if previous is None:
            run.connection.execute(insert(Resource).values(year=year, sector=sector, batch_id=run.batch_id, **values))
            run.report.imported += 1
        elif any(getattr(previous, name) != value for name, value in values.items()):
            run.revise("resources", previous.id, {name: getattr(previous, name) for name in (*values, "batch_id")})
            run.connection.execute(update(Resource).where(Resource.id == previous.id)
                                   .values(batch_id=run.batch_id, **values))
            run.report.updated += 1
        else:
            run.report.duplicates += 1
