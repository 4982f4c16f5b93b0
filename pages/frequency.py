"""Mötesfrekvens: activities per week, month or quarter by sector or type, the most frequent partners,
a weekday × month heatmap and the partners without contact for a chosen number of months."""

import streamlit as st

from civsam import queries
from civsam.charts.activity import dormant_partners, frequency, top_partners, weekday_heatmap
from civsam.i18n import t
from civsam.ui import link, state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_frequency"))
left, right = st.columns(2)
unit = link.choice(left, t(lang, "granularity"), ["week", "month", "quarter"], "per", "month", lambda u: t(lang, u))
by = link.choice(right, t(lang, "split_by"), ["sector", "type"], "uppdelning", "sector", lambda b: t(lang, f"by_{b}"))
totals = state.query(queries.daily_totals, filters)
if totals.empty:
    st.info(t(lang, "no_data"))
    st.stop()
widgets.chart(frequency(state.query(queries.daily_counts, filters, by), totals,
                        state.query(queries.daily_totals, filters.year_earlier()), unit, by, filters.start, filters.end,
                        lang), lang)
widgets.chart(top_partners(state.query(queries.top_partners, filters, 10), lang), lang)
widgets.chart(weekday_heatmap(totals, lang), lang)

link.linked("manader", link.whole_number(1, 60), 6)
months = st.number_input(t(lang, "dormant_months"), min_value=1, max_value=60, step=1, key="manader")
link.keep("manader", months, 6)
title, dormant = dormant_partners(state.query(queries.last_contacts, filters), int(months), filters.end, lang,
                                  narrowed=bool(filters.county or filters.municipalities or filters.projects))
st.subheader(widgets.plain(title), anchor=False)
if len(dormant):
    widgets.table(dormant)
