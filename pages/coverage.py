"""Täckning: activities and partners in each of the 29 municipalities, absolute or per 10 000 inhabitants,
on a map or an equal-tile grid, with the white spots standing out; the two counties compared."""

import streamlit as st

from civsam import builders
from civsam.i18n import t
from civsam.ui import link, state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_coverage"))
measure_column, scale_column, view_column = st.columns(3)
measure = link.choice(measure_column, t(lang, "coverage_measure"), ["activities", "partners"], "matt", "activities",
                      lambda m: t(lang, f"coverage_{m}"))
scale = link.choice(scale_column, t(lang, "measure"), ["absolute", "per_10k"], "skala", "absolute",
                    lambda s: t(lang, s))
view = link.choice(view_column, t(lang, "view"), ["map", "tiles"], "vy", "map", lambda v: t(lang, f"{v}_view"))

widgets.chart(state.chart(builders.municipality_coverage, filters, lang, measure=measure,
                          per_capita=scale == "per_10k", view=view), lang)
widgets.chart(state.chart(builders.county_comparison, filters, lang), lang)
