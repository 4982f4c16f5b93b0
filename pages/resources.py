"""Resursgap: civil society against the business sector per year: dedicated staff and budget beside
logged hours, activities and reach; the gap as a ratio and a difference, and what parity would take."""

import streamlit as st

from civsam import builders, queries
from civsam.charts.resources import parity
from civsam.i18n import t
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_resources"))
st.markdown(f"**{parity(state.query(queries.resource_years, filters), lang)}**")
widgets.chart(state.chart(builders.staff_gap, filters, lang), lang)
widgets.chart(state.chart(builders.ratio_trend, filters, lang), lang)
