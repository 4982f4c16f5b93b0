"""Mötesfrekvens: activities per week, month or quarter by sector or type, the most frequent partners,
a weekday × month heatmap and the partners without contact for a chosen number of months."""

import streamlit as st

from civsam import builders, queries, tables
from civsam.charts.activity import dormant_partners
from civsam.i18n import t
from civsam.ui import link, state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_frequency"))
left, right = st.columns(2)
unit = link.choice(left, t(lang, "granularity"), ["week", "month", "quarter"], "per", "month", lambda u: t(lang, u))
by = link.choice(right, t(lang, "split_by"), ["sector", "type"], "uppdelning", "sector", lambda b: t(lang, f"by_{b}"))
if state.query(queries.daily_totals, filters).empty:
    st.info(t(lang, "no_data"))
    st.stop()
widgets.chart(state.chart(builders.frequency, filters, lang, unit=unit, by=by), lang)
widgets.chart(state.chart(builders.top_partners, filters, lang), lang)
widgets.chart(state.chart(builders.weekday_heatmap, filters, lang), lang)

link.linked("manader", link.whole_number(1, 60), 6)
months = st.number_input(t(lang, "dormant_months"), min_value=1, max_value=60, step=1, key="manader")
link.keep("manader", months, 6)
title, dormant = dormant_partners(state.query(queries.last_contacts, filters), int(months), filters.end, lang,
                                  narrowed=bool(filters.county or filters.municipalities or filters.projects))
st.subheader(widgets.plain(title), anchor=False)
if len(dormant):
    widgets.linked_table(tables.with_profile_links(dormant, t(lang, "organisation")), t(lang, "organisation"), lang)
