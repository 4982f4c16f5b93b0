"""Täckning: activities and partners in each of the 29 municipalities, absolute or per 10 000 inhabitants,
on a map or an equal-tile grid, with the white spots standing out; the two counties compared."""

import streamlit as st

from civsam.charts.coverage import county_comparison, municipality_coverage
from civsam.i18n import t
from civsam.ui import state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_coverage"))
measure_column, scale_column, view_column = st.columns(3)
measure = measure_column.segmented_control(
    t(lang, "coverage_measure"), ["activities", "partners"], default="activities", required=True, key="matt",
    format_func=lambda m: t(lang, f"coverage_{m}"), bind="query-params")
scale = scale_column.segmented_control(
    t(lang, "measure"), ["absolute", "per_10k"], default="absolute", required=True, key="skala",
    format_func=lambda s: t(lang, s), bind="query-params")
view = view_column.segmented_control(
    t(lang, "view"), ["map", "tiles"], default="map", required=True, key="vy",
    format_func=lambda v: t(lang, f"{'map' if v == 'map' else 'tile'}_view"), bind="query-params")

coverage = state.query("coverage", filters)
widgets.chart(municipality_coverage(coverage, measure, scale == "per_10k", view, lang), lang)
widgets.chart(county_comparison(coverage, state.query("county_wide_activities", filters), lang), lang)
