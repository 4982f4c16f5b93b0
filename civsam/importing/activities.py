"""The Aktiviteter sheet: the activity log.

A row identical to a stored activity, or to an earlier row of the file, is a duplicate; a known ID with changed
values updates the stored activity, its earlier values kept so the import can be undone (civsam.batches). New
activities go in with civsam.links.store_activities, the organisations they name first."""

from sqlalchemy import select, update

from civsam.importing.activity_checks import PARSED_FIELDS, Activities, parse_activities
from civsam.importing.run import ImportRun, StoredOrganisation, where
from civsam.keys import distinct_codes, each_distinct, name_key
from civsam.links import Partner, set_activity_organisations, store_activities
from civsam.models import Activity, activity_organisations
from civsam.workbook import Sheet

activities_table = Activity.__table__
# bound parameters per IN (...) lookup, well inside SQLite's limit (32 766 since SQLite 3.32 of 2020; Debian 12
# has 3.40) and PostgreSQL's (65 535)
CHUNK = 10_000
# what an update may change and an undo restores
ACTIVITY_FIELDS = (*PARSED_FIELDS, "responsible_id", "batch_id")


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    activities = parse_activities(run, sheet)
    columns = activities.columns
    by_fingerprint = _stored_by(run, "fingerprint", set(columns["fingerprint"]))
    by_external_id = _stored_by(run, "external_id", set(filter(None, columns["external_id"])))
    new: list[int] = []
    for position, (number, external_id, fingerprint, agreement_id) in enumerate(zip(
            activities.numbers, columns["external_id"], columns["fingerprint"], columns["agreement_id"])):
        if external_id and external_id in run.seen_ids:
            earlier_sheet, earlier_row, earlier = run.seen_ids[external_id]
            if earlier == (fingerprint, agreement_id):
                run.report.duplicates += 1
            else:
                run.reject(sheet, number, "external_id", external_id,
                           f"ID {external_id} används redan på {where(sheet, earlier_sheet, earlier_row)} med andra "
                           "uppgifter. Ge varje aktivitet ett eget ID.")
            continue
        if not external_id and fingerprint in run.seen_fingerprints:
            _repeated_activity(run, sheet, number, activities.row(position), run.seen_fingerprints[fingerprint])
            continue
        run.seen_fingerprints.setdefault(fingerprint, (sheet.name, number, agreement_id))
        if external_id:
            run.seen_ids[external_id] = (sheet.name, number, (fingerprint, agreement_id))
            stored = by_external_id.get(external_id)
            if stored is None:  # a stored row without ID that this row repeats now gets the ID
                same_content = by_fingerprint.get(fingerprint, [])
                stored = next((row for row in same_content if row.external_id is None), None)
                if stored is not None:
                    same_content.remove(stored)
        elif fingerprint in by_fingerprint:
            _file_under_agreement(run, by_fingerprint[fingerprint], agreement_id)
            continue
        else:
            stored = None
        if stored is None:
            new.append(position)
        elif (stored.fingerprint == fingerprint and stored.external_id == external_id
              and agreement_id in (None, stored.agreement_id)):
            run.report.duplicates += 1
        else:
            update_activity(run, stored.id, activities.row(position))
    insert_activities(run, activities.only(new))


def _repeated_activity(run: ImportRun, sheet: Sheet, number: int, activity: dict, earlier: tuple) -> None:
    """A row without ID with the content of an earlier row: a duplicate, unless it names another agreement."""
    earlier_sheet, earlier_row, earlier_agreement = earlier
    if earlier_agreement == activity["agreement_id"]:
        run.report.duplicates += 1
        return
    run.reject(sheet, number, "agreement", activity["agreement_name"] or "",
               f"Samma aktivitet finns redan på {where(sheet, earlier_sheet, earlier_row)} med ett annat avtal. "
               "Skriv samma avtal på båda raderna eller ta bort den ena.")


def _file_under_agreement(run: ImportRun, stored_rows: list, agreement_id: int | None) -> None:
    """A row without ID that repeats a stored activity: a duplicate, unless it names an agreement for a stored
    activity without ID filed under none or another; that one is then filed under it, its earlier agreement
    kept for undo. A blank Avtal cell never takes a stored agreement away."""
    unlinked = [row for row in stored_rows if row.external_id is None]
    if agreement_id is None or not unlinked or unlinked[0].agreement_id == agreement_id:
        run.report.duplicates += 1
        return
    stored = unlinked[0]
    run.revise("activities", stored.id, {"agreement_id": stored.agreement_id, "batch_id": stored.batch_id})
    run.connection.execute(update(Activity).where(Activity.id == stored.id)
                           .values(agreement_id=agreement_id, batch_id=run.batch_id))
    run.report.updated += 1


def _stored_by(run: ImportRun, column_name: str, values: set[str]) -> dict:
    """Stored activities whose `column_name` is one of `values`: fingerprint → list of rows, ID → row."""
    column = activities_table.c[column_name]
    found: dict = {}
    values = list(values)
    for start in range(0, len(values), CHUNK):
        rows = run.connection.execute(
            select(Activity.id, Activity.fingerprint, Activity.external_id, Activity.agreement_id,
                   Activity.batch_id).where(column.in_(values[start:start + CHUNK])).order_by(Activity.id))
        for row in rows:
            if column_name == "fingerprint":
                found.setdefault(row.fingerprint, []).append(row)
            else:
                found[row.external_id] = row
    return found


def _create_named_organisations(run: ImportRun, organisation_names: list[tuple[str, ...]]) -> None:
    """Store the organisations named that are not stored yet, as first spelt, with the sector a row gave."""
    new: dict[str, dict] = {}  # name key → name and sector
    for names in dict.fromkeys(organisation_names):
        for name in names:
            key = name_key(name)
            if key not in run.organisations and key not in new:
                new[key] = {"name": name, "sector": run.pending_sectors[key]}
    run.create_organisations(new)


def _organisations_named(run: ImportRun, names: tuple[str, ...]) -> list[StoredOrganisation]:
    """The organisations of a cell, once each: a cell may name an organisation and a merged spelling of it."""
    found = {}
    for name in names:
        organisation = run.organisations[name_key(name)]
        found.setdefault(organisation.id, organisation)
    return list(found.values())


def insert_activities(run: ImportRun, activities: Activities) -> list[int]:
    """Store new activities, and the organisations they name that are not stored yet; their ids."""
    if not activities.numbers:
        return []
    columns = activities.columns
    _create_named_organisations(run, columns["organisation_names"])
    named, named_at = distinct_codes(columns["organisation_names"])
    partners = [tuple(Partner(each.id, each.sector) for each in _organisations_named(run, names)) for names in named]
    stored = {**{key: columns[key] for key in PARSED_FIELDS}, "batch_id": [run.batch_id] * len(activities.numbers),
              "responsible_id": each_distinct(columns["responsible_name"], run.person_id)}
    ids = store_activities(run.connection, stored, list(map(partners.__getitem__, named_at)))
    run.report.imported += len(activities.numbers)
    return ids


def update_activity(run: ImportRun, activity_id: int, activity: dict, *, blank_keeps_agreement: bool = True) -> None:
    """Give a stored activity a parsed row's values and partners, its earlier ones kept for undo. A log's blank
    Avtal keeps the stored agreement; a form, which shows it, may clear it (`blank_keeps_agreement=False`)."""
    previous = run.connection.execute(
        select(*(activities_table.c[key] for key in ACTIVITY_FIELDS)).where(Activity.id == activity_id)).one()
    organisation_ids = run.connection.execute(
        select(activity_organisations.c.organisation_id)
        .where(activity_organisations.c.activity_id == activity_id)).scalars().all()
    run.revise("activities", activity_id, {**previous._asdict(), "organisation_ids": sorted(organisation_ids)})
    _create_named_organisations(run, [activity["organisation_names"]])
    values = {key: activity[key] for key in ACTIVITY_FIELDS if key in activity}
    values["responsible_id"] = run.person_id(activity["responsible_name"])
    values["batch_id"] = run.batch_id
    if blank_keeps_agreement:
        values["agreement_id"] = values["agreement_id"] or previous.agreement_id
    run.connection.execute(update(Activity).where(Activity.id == activity_id).values(**values))
    set_activity_organisations(run.connection, activity_id,
                               [organisation.id for organisation in _organisations_named(
                                   run, activity["organisation_names"])])
    run.report.updated += 1
