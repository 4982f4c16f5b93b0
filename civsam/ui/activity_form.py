"""The form "Ny aktivitet" (pages/activity_form.py): one activity's fields, saving it through
civsam.importing.single_activity, the confirmation with its undo, and deleting an activity.

The fields sit in an st.form, so nothing reruns while a coordinator types on a phone. Each field's Swedish label
is its column's header in the workbook, the name the import's messages use ("Ange organisationens sektor i
kolumnen Sektor"). After a refusal the fields keep what was typed; after a new activity is saved they start
empty for the next one (their keys take the next round).
"""

import datetime as dt

import streamlit as st
from sqlalchemy import Engine

from civsam import queries
from civsam.batches import UndoError, undo_batch
from civsam.i18n import sector_name, t
from civsam.importing.single_activity import (
    ActivityRefused,
    UnknownActivity,
    add_activity,
    delete_activity,
    edit_activity,
    names_to_offer,
    stored_values,
)
from civsam.reference import ACTIVITY_TYPES, COUNTY_NAMES, MUNICIPALITIES, SECTORS, swedish_order
from civsam.ui import state, widgets

ROUND = "activity_form_round"  # session state: the fields' keys end with it; a new round starts them afresh
OUTCOME = "activity_form_outcome"  # session state: (what was done, activity id, batch) until undone or replaced
MUNICIPALITY_NAMES = sorted((m.name for m in MUNICIPALITIES), key=swedish_order)
CODE_NAMES = {m.code: m.name for m in MUNICIPALITIES}


def chosen_activity(engine: Engine, lang: str) -> tuple[int | None, dict | None]:
    """The activity the address names (`?id=12`) and its stored values; (None, None) for a new one, with a note
    when the address names one that does not exist."""
    typed = st.query_params.get("id")
    if not typed:
        return None, None
    try:
        with engine.connect() as connection:
            return int(typed), stored_values(connection, int(typed))
    except (ValueError, UnknownActivity):
        st.info(t(lang, "form_unknown_id", id=widgets.plain(typed)), icon=":material/search_off:")
        return None, None


def outcome(engine: Engine, lang: str, who: str | None, may_undo: bool) -> None:
    """What the last save or delete did, with the button that undoes it."""
    if OUTCOME not in st.session_state:
        return
    kind, activity_id, batch = st.session_state[OUTCOME]
    if kind == "undone":  # said once
        st.success(t(lang, "form_undone", batch=batch), icon=":material/undo:")
        del st.session_state[OUTCOME]
        return
    st.success(t(lang, f"form_saved_{kind}", id=activity_id, batch=batch), icon=":material/check_circle:")
    if may_undo and st.button(t(lang, "form_undo"), key=f"undo_{batch}", icon=":material/undo:"):
        try:
            undo_batch(engine, batch, who)
        except UndoError as error:
            st.error(str(error))
            return
        _changed(("undone", activity_id, batch))


def fields(lang: str, activity_id: int | None, stored: dict | None) -> dict:
    """Draw the activity's fields (inside an st.form) filled with activity `activity_id`'s `stored` values, or
    empty; their values as civsam.importing.single_activity takes them. Each activity has fields of its own."""
    stored = stored or {}
    offered = state.query(names_to_offer)
    key = f"_{activity_id or 'new'}_{st.session_state.setdefault(ROUND, 0)}"
    values = {}
    left, right = st.columns(2)
    values["date"] = left.date_input(t(lang, "form_date"), value=stored.get("date", dt.date.today()),
                                     format="YYYY-MM-DD", key="date" + key)
    types = list(dict.fromkeys([*ACTIVITY_TYPES, *state.query(queries.activity_types), stored.get("type") or "Möte"]))
    values["type"] = right.selectbox(t(lang, "form_type"), types, index=types.index(stored.get("type") or "Möte"),
                                     accept_new_options=True, key="type" + key)
    values["title"] = st.text_input(t(lang, "form_title"), value=stored.get("title") or "", key="title" + key)
    values["organisations"] = st.multiselect(
        t(lang, "form_organisations"), offered["organisations"], default=stored.get("organisations", []),
        accept_new_options=True, help=t(lang, "form_organisations_help"), select_all=False,
        placeholder=t(lang, "form_organisations_placeholder"), key="organisations" + key)
    values["sector"] = _choice(lang, "form_sector", list(SECTORS), None, key, help=t(lang, "form_sector_help"),
                               format_func=lambda sector: sector_name(lang, sector))
    left, right = st.columns(2)
    values["municipality"] = _choice(lang, "form_municipality", MUNICIPALITY_NAMES,
                                     CODE_NAMES.get(stored.get("municipality")), key, container=left,
                                     help=t(lang, "form_municipality_help"))
    values["county"] = _choice(lang, "form_county", list(COUNTY_NAMES), stored.get("county"), key, container=right)
    left, middle, right = st.columns(3)
    for column, field in ((left, "hours"), (middle, "participants"), (right, "cost")):
        values[field] = column.text_input(t(lang, f"form_{field}"), value=_number_text(stored.get(field)),
                                          key=field + key)
    projects = state.query(queries.project_names)
    values["project"] = _choice(lang, "form_project", projects, stored.get("project"), key, accept_new_options=True)
    values["youth"] = st.checkbox(t(lang, "form_youth"), value=bool(stored.get("youth")), key="youth" + key)
    values["agreement"] = _choice(lang, "form_agreement", offered["agreements"], stored.get("agreement"), key)
    values["responsible"] = st.text_input(t(lang, "form_responsible"), value=stored.get("responsible") or "",
                                          key="responsible" + key)
    values["comment"] = st.text_area(t(lang, "form_comment"), value=stored.get("comment") or "", key="comment" + key)
    return values


def _choice(lang: str, label: str, options: list, chosen, key: str, container=st, **options_given):
    """A choice that may be left empty: `chosen`, or none."""
    options = list(options)
    if chosen is not None and chosen not in options:
        options.append(chosen)
    return container.selectbox(t(lang, label), options, index=options.index(chosen) if chosen is not None else None,
                               placeholder=t(lang, "form_choose"), key=label + key, **options_given)


def _number_text(value) -> str:
    """A stored number as a coordinator types it: 1,5 and 12, no thousands separator."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def save(engine: Engine, lang: str, activity_id: int | None, values: dict, who: str | None) -> None:
    """Store the activity, new or edited; every refusal's message under the form, the fields as typed."""
    try:
        saved = (edit_activity(engine, activity_id, values, who) if activity_id
                 else add_activity(engine, values, who))
    except ActivityRefused as refused:
        problems = "\n".join(f"- {f'**{widgets.plain(column)}**: ' if column else ''}{widgets.plain(message)}"
                             for column, message in refused.problems)
        st.error(f"{t(lang, 'form_refused')}\n\n{problems}", icon=":material/error:")
        return
    except UnknownActivity as error:
        st.error(str(error))
        return
    _changed(("edit" if activity_id else "add", saved.id, saved.batch))


def delete(engine: Engine, lang: str, activity_id: int, who: str | None) -> None:
    """Delete the activity, once the coordinator has ticked that they mean it."""
    st.subheader(t(lang, "form_delete_heading"), anchor=False)
    with st.form("delete_activity"):
        sure = st.checkbox(t(lang, "form_delete_sure", id=activity_id))
        if not st.form_submit_button(t(lang, "form_delete"), icon=":material/delete:"):
            return
    if not sure:
        st.warning(t(lang, "form_delete_confirm_first"))
        return
    try:
        saved = delete_activity(engine, activity_id, who)
    except UnknownActivity as error:
        st.error(str(error))
        return
    del st.query_params["id"]
    _changed(("delete", saved.id, saved.batch))


def start_new(lang: str) -> None:
    """Leave the activity the address names for an empty form."""
    if st.button(t(lang, "form_new"), icon=":material/add:"):
        del st.query_params["id"]
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.rerun()


def _changed(done: tuple) -> None:
    """The store changed: every cached answer goes, the fields start afresh and the page says what was done."""
    state.data_changed()
    st.session_state[OUTCOME] = done
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()
