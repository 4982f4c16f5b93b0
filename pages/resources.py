"""Resursgap: civil society against the business sector per year: dedicated staff and budget beside
logged hours, activities and reach; the gap as a ratio and a difference, and what parity would take."""

import streamlit as st

from civsam import queries
from civsam.charts.resources import parity, ratio_trend, staff_gap
from civsam.i18n import t
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_resources"))
years = state.query(queries.resource_years, filters)
st.markdown(f"**{parity(years, lang)}**")
widgets.chart(staff_gap(years, lang), lang)
widgets.chart(ratio_trend(years, lang), lang)
