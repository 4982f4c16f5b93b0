"""Tables as the interface shows them: the store's frames with the interface's column names and words."""

from urllib.parse import quote

import pandas as pd

from civsam.effect import Effect
from civsam.filters import Filters
from civsam.formatting import format_date, format_number
from civsam.i18n import sector_name, t, term
from civsam.import_report import ImportReport
from civsam.narrative import interval_text, key_figure_label
from civsam.parsing import fold


def sector_side_by_side(civil: dict, business: dict, filters: Filters, lang: str) -> pd.DataFrame:
    """Key figures of civil society and the business sector in two columns, with their ratio."""
    keys = ("activities", "organisations", "municipalities", "hours")
    decimals = {"hours": 1}
    return pd.DataFrame({
        "": [key_figure_label(lang, key, filters) for key in keys],
        sector_name(lang, "civil_society"): [format_number(civil[key], decimals.get(key, 0)) for key in keys],
        sector_name(lang, "business"): [format_number(business[key], decimals.get(key, 0)) for key in keys],
        t(lang, "times"): [format_number(business[key] / civil[key], 1) if civil[key] else "–" for key in keys],
    })


def rejections(report: ImportReport, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{t(lang, "sheet"): r.sheet, t(lang, "row"): r.row, t(lang, "column"): r.column,
                          t(lang, "value"): r.value, t(lang, "message"): r.message} for r in report.rejected])


def batches(frame: pd.DataFrame, lang: str, names: bool = True) -> pd.DataFrame:
    """The import history; without `names`, who imported and the file's name are left out (a person's name or
    e-mail, and file names such as "Annas möten.xlsx")."""
    columns = {"id": t(lang, "batch_number"), "file_name": t(lang, "file_name"),
               "imported_at": t(lang, "imported_at"), "user": t(lang, "user"), "imported": t(lang, "new"),
               "updated": t(lang, "updated"), "duplicates": t(lang, "duplicates"), "rejected": t(lang, "rejected"),
               "undone_at": t(lang, "undone_at")}
    if not names:
        del columns["user"], columns["file_name"]
    readable = frame[list(columns)].rename(columns=columns)
    for column in (t(lang, "imported_at"), t(lang, "undone_at")):
        readable[column] = [format_date(moment) if pd.notna(moment) else None for moment in readable[column]]
    return readable


def search_register(register: pd.DataFrame, search: str, types: list[str]) -> pd.DataFrame:
    """Organisations whose name contains `search` (any case, with or without å/ä/ö) and of the given types."""
    shown = register
    if search.strip():
        wanted = fold(search)
        shown = shown[shown["organisation"].map(lambda name: wanted in fold(name))]
    if types:
        shown = shown[shown["type"].isin(types)]
    return shown


def profile_link(name: str) -> str:
    """A relative link to the organisation's profile, for st.column_config.LinkColumn: the name, escaped in the
    query, and again as typed after '#', which the column shows (PROFILE_NAME) and the profile ignores."""
    return f"organisation?org={quote(name, safe='')}#{name}"


PROFILE_NAME = "#(.*)$"  # what a profile link shows: the name after '#'


def with_profile_links(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The table with the names in `column` as links to their profiles."""
    return table.assign(**{column: table[column].map(profile_link)})


def register(frame: pd.DataFrame, lang: str, names: bool = True) -> pd.DataFrame:
    """The partner register; without `names`, the organisation number is left out (a sole trader's is their
    personal identity number)."""
    table = pd.DataFrame({
        t(lang, "organisation"): frame["organisation"],
        t(lang, "sector"): [sector_name(lang, s) for s in frame["sector"]],
        t(lang, "type"): frame["type"],
        t(lang, "member_of"): ["; ".join(names) or None for names in frame["member_of"]],
        t(lang, "members"): frame["members"],
        t(lang, "municipality"): frame["municipality"],
        t(lang, "org_number"): frame["org_number"],
        t(lang, "first_contact"): [d.isoformat() if pd.notna(d) else "–" for d in frame["first_contact"]],
        t(lang, "last_contact"): [d.isoformat() if pd.notna(d) else "–" for d in frame["last_contact"]],
        t(lang, "activities"): frame["activities"],
    })
    return table if names else table.drop(columns=t(lang, "org_number"))


# Column widths in pixels, by text key, for the tables on the Avtal page: with the sidebar open, a 1440 pixels wide
# screen leaves 978 for a table, and every column must be seen there; long text wraps (widgets.table).
AGREEMENT_WIDTHS = {"agreement": 190, "type": 125, "partners": 175, "signed": 105, "valid_until": 95,
                    "registration_number": 140, "responsible": 130}
PROGRESS_WIDTHS = {"agreement": 190, "commitments": 95, "done": 65, "late": 90, "due_soon": 120, "activities": 95,
                   "last_activity": 130}
EFFECT_WIDTHS = {"agreement": 190, "effect_window": 110, "effect_before": 70, "effect_after": 70,
                 "effect_ratio_column": 70, "effect_ci": 110, "effect_verdict": 160}
PROFILE_PROJECT_WIDTHS = {"project": 200, "activities": 100, "profile_others": 670}
PROFILE_COMMITMENT_WIDTHS = {"agreement": 190, "type": 125, "signed": 105, "commitment": 250, "whose": 70, "due": 95,
                             "status": 105}
COMMITMENT_WIDTHS = {"agreement": 135, "commitment": 225, "status": 115, "note": 115, "due": 88, "whose": 65,
                     "cadence": 78, "comment": 150}


def widths(by_key: dict[str, int], lang: str) -> dict[str, int]:
    """Column widths by the columns' names in `lang`."""
    return {t(lang, key): width for key, width in by_key.items()}


def agreements(overview: pd.DataFrame, lang: str, names: bool = True) -> pd.DataFrame:
    """What each agreement is: its kind, partners, dates, registration number and, with `names`, who is responsible
    for it; from agreements.agreement_overview."""
    table = pd.DataFrame({
        t(lang, "agreement"): overview["name"],
        t(lang, "type"): [term(lang, kind) for kind in overview["kind"]],
        t(lang, "partners"): ["; ".join(partners) for partners in overview["partners"]],
        t(lang, "signed"): [format_date(day) for day in overview["signed"]],
        t(lang, "valid_until"): [format_date(day) for day in overview["valid_until"]],
        t(lang, "registration_number"): overview["registration_number"],
        t(lang, "responsible"): overview["responsible"],
    })
    return table if names else table.drop(columns=t(lang, "responsible"))


def agreement_progress(overview: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How each agreement goes: its commitments and how many are done, late and due soon, its activities within the
    filters and the last one; from agreements.agreement_overview."""
    return pd.DataFrame({
        t(lang, "agreement"): overview["name"],
        t(lang, "commitments"): overview["commitments"],
        t(lang, "done"): overview["done"],
        t(lang, "late"): overview["late"],
        t(lang, "due_soon"): overview["due_soon"],
        t(lang, "activities"): overview["activities"],
        t(lang, "last_activity"): [format_date(day) for day in overview["last_activity"]],
    })


def agreement_effects(overview: pd.DataFrame, effects: dict[int, Effect], lang: str) -> pd.DataFrame:
    """What each agreement changed: the activities with its partners and their members in the two windows, their
    ratio with its 95 % interval (two decimals) and the verdict; from agreements.agreement_overview and
    effect.agreement_effects."""
    shown = [effects[agreement_id] for agreement_id in overview["id"]]
    return pd.DataFrame({
        t(lang, "agreement"): overview["name"],
        t(lang, "effect_window"): [each.window_days for each in shown],
        t(lang, "effect_before"): [each.before for each in shown],
        t(lang, "effect_after"): [each.after for each in shown],
        t(lang, "effect_ratio_column"): [format_number(each.rate_ratio, 2) for each in shown],
        t(lang, "effect_ci"): [interval_text(each.ci95, lang) for each in shown],
        t(lang, "effect_verdict"): [t(lang, f"verdict_{each.verdict}") for each in shown],
    })


def commitments(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Commitments with the status to show (late by the rule, whatever was typed), what to note about each, and
    the status as typed, from agreements.agreement_commitments."""
    return pd.DataFrame({
        t(lang, "agreement"): frame["agreement"],
        t(lang, "commitment"): frame["text"],
        t(lang, "status"): [term(lang, status) for status in frame["shown_status"]],
        t(lang, "note"): [_note(row, lang) for row in frame.itertuples()],
        t(lang, "due"): [format_date(day) for day in frame["due"]],
        t(lang, "whose"): [term(lang, whose) for whose in frame["whose"]],
        t(lang, "cadence"): [term(lang, cadence) for cadence in frame["cadence"]],
        t(lang, "status_typed"): [term(lang, status) for status in frame["status"]],
        t(lang, "comment"): frame["comment"],
    })


def commitments_shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`commitments` narrow enough for the page: the status as typed joins the status to show where they differ
    ('Försenat (registrerad: Pågår)'); the download and the report keep it in a column of its own."""
    table = commitments(frame, lang)
    shown, typed = t(lang, "status"), t(lang, "status_typed")
    table[shown] = [status if status == recorded else t(lang, "status_differs", status=status, typed=recorded)
                    for status, recorded in zip(table[shown], table[typed], strict=True)]
    return table.drop(columns=typed)


def _note(commitment, lang: str) -> str:
    """'Försenat sedan 2025-06-30', 'Förfaller i dag', 'Förfaller om 12 dagar', or nothing."""
    if commitment.late:
        return t(lang, "note_late", date=format_date(commitment.due))
    if not commitment.due_soon:
        return ""
    return t(lang, {0: "note_due_today", 1: "note_due_tomorrow"}.get(commitment.days_left, "note_due_soon"),
             days=commitment.days_left)


def audit(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit log as the Import page shows it, newest first."""
    return pd.DataFrame({
        t(lang, "imported_at"): [format_date(moment) for moment in frame["at"]],
        t(lang, "user"): frame["user"],
        t(lang, "audit_action"): frame["action"],
        t(lang, "audit_detail"): frame["detail"],
        t(lang, "audit_rows"): frame["rows"],
    })


def activities(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The activity list as the page shows and downloads it, from civsam.activity_list: a county-wide activity's
    place is its county; who was responsible only when the frame has it (coordinators)."""
    table = pd.DataFrame({
        t(lang, "date"): [format_date(day) for day in frame["date"]],
        t(lang, "type"): frame["type"],
        t(lang, "title"): frame["title"],
        t(lang, "organisations"): ["; ".join(names) for names in frame["organisations"]],
        t(lang, "place"): [municipality or t(lang, "county_wide_place", county=county)
                           for municipality, county in zip(frame["municipality"], frame["county"], strict=True)],
        t(lang, "hours"): frame["hours"],
        t(lang, "project"): frame["project"],
        t(lang, "agreement"): frame["agreement"],
    })
    if "responsible" in frame:
        table[t(lang, "responsible")] = frame["responsible"]
    return table


def profile_members(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An organisation's members as its profile shows them (civsam.profile.members), each linked to its profile."""
    return pd.DataFrame({
        t(lang, "organisation"): frame["member"].map(profile_link),
        t(lang, "sector"): [sector_name(lang, s) for s in frame["sector"]],
        t(lang, "activities"): frame["activities"],
        t(lang, "last_contact"): [format_date(day) for day in frame["last_contact"]],
    })


def profile_umbrellas(names: list[str], lang: str) -> pd.DataFrame:
    """An organisation's umbrella organisations, each linked to its profile."""
    return pd.DataFrame({t(lang, "organisation"): [profile_link(name) for name in names]})


def profile_projects(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An organisation's projects with the other organisations in each (civsam.profile.projects)."""
    return pd.DataFrame({
        t(lang, "project"): frame["project"],
        t(lang, "activities"): frame["activities"],
        t(lang, "profile_others"): ["; ".join(names) for names in frame["others"]],
    })


def profile_commitments(agreements: pd.DataFrame, commitments: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An organisation's agreements, each with its commitments on rows of their own (an agreement without any on
    one row), from civsam.profile.agreements and commitments."""
    rows = agreements.merge(commitments, on="agreement", how="left")
    return pd.DataFrame({
        t(lang, "agreement"): rows["agreement"],
        t(lang, "type"): [term(lang, kind) for kind in rows["kind"]],
        t(lang, "signed"): [format_date(day) for day in rows["signed"]],
        t(lang, "commitment"): rows["commitment"],
        t(lang, "whose"): [term(lang, whose) if isinstance(whose, str) else None for whose in rows["whose"]],
        t(lang, "due"): [format_date(day) for day in rows["due"]],
        t(lang, "status"): [term(lang, status) if isinstance(status, str) else None for status in rows["status"]],
    })
