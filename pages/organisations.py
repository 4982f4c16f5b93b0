"""Organisationer: the partner register with search and contacts, and, for coordinators, merging two
spellings of one organisation into one."""

import streamlit as st

from civsam import queries, tables
from civsam.i18n import t
from civsam.organisations import MergeError, merge_organisations
from civsam.ui import account, link, state, widgets

lang, filters = state.context().lang, state.context().filters
access = account.access()
st.title(t(lang, "page_organisations"))
register = state.query(queries.organisation_register, filters)
left, right = st.columns(2)
link.linked("sok", link.plain_text, "")
search = left.text_input(t(lang, "search"), key="sok", placeholder=t(lang, "search_placeholder"))
link.keep("sok", search)
type_options = sorted(register["type"].dropna().unique())
link.linked("typ", link.any_of(type_options), [])
types = right.multiselect(t(lang, "type"), type_options, key="typ", placeholder=t(lang, "all"),
                          select_all=False)  # none chosen already means all; Streamlit says it in English
link.keep("typ", types)
shown = tables.register(tables.search_register(register, search, types), lang, names=access.may("see_names"))
st.caption(f"{t(lang, 'register_count', count=len(shown))}. "
           f"{t(lang, 'register_period', start=filters.start.isoformat(), end=filters.end.isoformat())}")
widgets.linked_table(tables.with_profile_links(shown, t(lang, "organisation")), t(lang, "organisation"), lang)
widgets.downloads(shown, "organisationer", lang)

st.subheader(t(lang, "merge_heading"), anchor=False)
widgets.editing_note(lang, "merge")
if not access.may("merge"):
    st.stop()
st.caption(t(lang, "merge_help"))
names = dict(zip(register["id"], register["organisation"], strict=True))
if message := st.session_state.pop("merge_message", None):
    st.success(widgets.plain(message))
with st.form("merge"):
    keep = st.selectbox(t(lang, "merge_keep"), list(names), format_func=names.get, index=None,
                        placeholder=t(lang, "merge_choose"))
    remove = st.selectbox(t(lang, "merge_remove"), list(names), format_func=names.get, index=None,
                          placeholder=t(lang, "merge_choose"))
    sure = st.checkbox(t(lang, "merge_confirm"))
    if st.form_submit_button(t(lang, "merge_button")) and keep is not None and remove is not None and sure:
        try:
            moved = merge_organisations(state.engine(), keep, remove, access.who)
        except MergeError as error:
            st.error(widgets.plain(str(error)))
        else:
            state.data_changed()
            st.session_state["merge_message"] = t(lang, "merge_done", removed=names[remove], kept=names[keep],
                                                  moved=moved)
            st.rerun()
