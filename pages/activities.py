"""Aktiviteter: every activity under the sidebar's filters, newest first, fifty a page, narrowed by a search
(`?sok=`) or to one organisation (`?org=`, as a chart's drill-down links it), the whole list to download; a
coordinator opens one for editing."""

import streamlit as st

from civsam import tables
from civsam.i18n import t
from civsam.ui import account, activities, state, widgets

lang, filters = state.context().lang, state.context().filters
access = account.access()
names = access.may("see_names")
st.title(t(lang, "page_activities"))
search = activities.search_box(lang)
organisation = activities.organisation_chip(lang)
number, pages, listed = activities.listed_page(filters, search, organisation, names)
if not listed.total:
    st.info(t(lang, "activity_list_empty"), icon=":material/search_off:")
    st.stop()
st.subheader(t(lang, "activity_count", count=listed.total), anchor=False)
st.caption(t(lang, "activity_period", start=filters.start.isoformat(), end=filters.end.isoformat()))
activities.table(tables.activities(listed.activities, lang), listed.activities, lang, editable=access.may("import"))
activities.pager(lang, number, pages)
widgets.downloads(activities.whole_list(filters, search, organisation, names,
                                        lambda frame: tables.activities(frame, lang)), "aktiviteter", lang)
