"""Översikt: key figures for the period against the one before, civil society beside the business
sector, and a summary in plain words."""

import streamlit as st

from civsam import builders, tables
from civsam.i18n import t
from civsam.narrative import comparison_caption
from civsam.presentation import overview
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_overview"))
figures = overview(filters, lang, state.query)
if not figures.figures["activities"]:
    st.info(t(lang, "no_data"))
    st.stop()
st.markdown(f"**{figures.summary}**")
widgets.key_figures(figures.figures, figures.before, filters, lang)
st.caption(comparison_caption(filters, lang))

st.subheader(t(lang, "side_by_side"), anchor=False)
widgets.table(tables.sector_side_by_side(figures.by_sector["civil_society"], figures.by_sector["business"], filters,
                                        lang))

widgets.chart(state.chart(builders.sector_comparison, filters, lang), lang)
