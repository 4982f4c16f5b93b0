"""Mötesfrekvens: activities per week, month or quarter by sector or type, the most frequent partners,
a weekday × month heatmap and the partners without contact for a chosen number of months."""

import streamlit as st

from civsam.charts.activity import dormant_partners, frequency, top_partners, weekday_heatmap
from civsam.i18n import t
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_frequency"))
left, right = st.columns(2)
unit = left.segmented_control(t(lang, "granularity"), ["week", "month", "quarter"], default="month", required=True,
                              key="per", format_func=lambda u: t(lang, u), bind="query-params")
by = right.segmented_control(t(lang, "split_by"), ["sector", "type"], default="sector", required=True,
                             key="uppdelning", format_func=lambda b: t(lang, f"by_{b}"), bind="query-params")
totals = state.query("daily_totals", filters)
if totals.empty:
    st.info(t(lang, "no_data"))
    st.stop()
widgets.chart(frequency(state.query("daily_counts", filters, by), totals,
                        state.query("daily_totals", filters.year_earlier()), unit, by, filters.start, filters.end,
                        lang), lang)
widgets.chart(top_partners(state.query("top_partners", filters, 10), lang), lang)
widgets.chart(weekday_heatmap(totals, lang), lang)

months = st.number_input(t(lang, "dormant_months"), min_value=1, max_value=60, value=6, step=1, key="manader",
                         bind="query-params")
title, dormant = dormant_partners(state.query("last_contacts", filters), int(months), filters.end, lang)
st.subheader(title, anchor=False)
widgets.table(dormant)
