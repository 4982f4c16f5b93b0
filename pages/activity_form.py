"""Ny aktivitet (coordinators): one activity logged without a workbook, or, as `?id=12`, corrected or deleted.
Each save is an import of its own that can be undone; the checks and messages are the import's."""

import streamlit as st

from civsam.i18n import t
from civsam.ui import account, activity_form, state, widgets

lang = state.context().lang
access = account.access()
engine = state.engine()
st.title(t(lang, "page_activity_form"))
widgets.editing_note(lang, "import")
if not access.may("import"):
    st.stop()
activity_id, stored = activity_form.chosen_activity(engine, lang)
st.write(t(lang, "form_edit_intro", id=activity_id) if activity_id else t(lang, "form_intro"))
with st.form("activity", enter_to_submit=False):  # Enter adds a new organisation; only the button saves
    values = activity_form.fields(lang, activity_id, stored)
    submitted = st.form_submit_button(t(lang, "form_save" if activity_id else "form_add"), type="primary",
                                      icon=":material/save:")
if submitted:
    activity_form.save(engine, lang, activity_id, values, access.who)
# under the button, where a phone's screen still is after saving
activity_form.outcome(engine, lang, access.who, access.may("undo"))
if activity_id:
    activity_form.delete(engine, lang, activity_id, access.who)
    activity_form.start_new(lang)
