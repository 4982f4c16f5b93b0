"""Översikt: key figures for the period against the one before, civil society beside the business
sector, and a summary in plain words."""

from dataclasses import replace

import streamlit as st

from civsam import tables
from civsam.charts.activity import sector_comparison
from civsam.i18n import t
from civsam.narrative import overview_summary, percent
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_overview"))
now, before = state.query("key_figures", filters), state.query("key_figures", filters.previous())
if not now["activities"]:
    st.info(t(lang, "no_data"))
    st.stop()
by_sector = {sector: state.query("key_figures", replace(filters, sectors=(sector,)))
             for sector in ("civil_society", "business")}
civil_before = state.query("key_figures", replace(filters.previous(), sectors=("civil_society",)))
st.markdown(f"**{overview_summary(filters, by_sector['civil_society'], by_sector['business'], civil_before, lang)}**")

columns = st.columns(5)
for column, key, decimals in zip(columns, ("activities", "organisations", "municipalities", "hours"), (0, 0, 0, 1),
                                 strict=False):
    widgets.key_figure(column, t(lang, f"kpi_{key}"), now[key], before[key], decimals)
columns[4].metric(t(lang, "kpi_youth"), percent(now["youth_share"]), border=True)
previous = filters.previous()
st.caption(t(lang, "versus_previous", start=previous.start.isoformat(), end=previous.end.isoformat()))

st.subheader(t(lang, "side_by_side"), anchor=False)
widgets.table(tables.sector_side_by_side(by_sector["civil_society"], by_sector["business"], lang))

widgets.chart(sector_comparison(state.query("sector_figures", filters), lang), lang)
