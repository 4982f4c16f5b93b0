"""Partnernas bild: the partners' own view from the yearly survey, per principle and year, beside the activity
figures; whether partners met often answer differently; the free-text answers for coordinators only. Fewer than
five respondents in a group show as "för få svar" (civsam.survey)."""

import streamlit as st

from civsam import builders, survey
from civsam.charts.survey import meeting_table, readable_table, shown_years
from civsam.i18n import t
from civsam.ui import account, state, widgets

lang, filters = state.context().lang, state.context().filters
access = account.access()
st.title(t(lang, "page_survey"))
st.write(t(lang, "survey_intro"))
st.caption(t(lang, "survey_suppression_note"))
figures = state.query(survey.principle_figures)
years = shown_years(figures, filters.end.year)
if years:
    st.subheader(t(lang, "survey_table_heading", year=years[-1]), anchor=False)
    latest = readable_table(figures[figures["year"] == years[-1]], lang)
    widgets.table(latest[latest.columns[1:6]])
widgets.chart(state.chart(builders.survey_principles, filters, lang), lang)
if not years:
    st.stop()
st.subheader(t(lang, "survey_meeting_heading"), anchor=False)
groups = state.query(survey.meeting_groups, years[-1])
if groups.empty:
    st.info(t(lang, "survey_meeting_too_few"))
else:
    st.caption(t(lang, "survey_meeting_note", year=years[-1]))
    widgets.table(meeting_table(groups, lang))
st.subheader(t(lang, "survey_comments_heading"), anchor=False)
if not access.may("see_names"):
    st.info(t(lang, "survey_comments_hidden"))
else:
    comments = state.query(survey.comments)
    comments = comments[comments["year"].isin(years)]
    if comments.empty:
        st.caption(t(lang, "survey_comments_none"))
    else:
        widgets.table(comments.rename(columns={"year": t(lang, "year"), "comment": t(lang, "survey_comments_heading")}),
                      {t(lang, "survey_comments_heading"): 700})
