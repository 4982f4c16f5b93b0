"""Avtal och uppföljning: every agreement with its commitments and their status, late and soon-due ones
standing out, the activities under each per quarter, what each agreement changed, one agreement's follow-up in
words to paste into Stratsys or a committee report, and the period's measures as a file for Stratsys."""

import streamlit as st

from civsam import agreements, builders, effect, periods, survey, tables
from civsam.i18n import t
from civsam.narrative import follow_up_text
from civsam.reference import DUE_SOON_DAYS
from civsam.ui import account, link, state, widgets

FOLLOW_UP_TEXT = "follow_up_text"  # session key: the follow-up's section is open

lang, filters = state.context().lang, state.context().filters
today = periods.today()
st.title(t(lang, "page_agreements"))
overview = state.query(agreements.agreement_overview, filters, today)
if overview.empty:
    st.info(t(lang, "no_agreements"))
    st.stop()
st.caption(t(lang, "agreements_intro"))
commitments = state.query(agreements.agreement_commitments, today)
attention = commitments[commitments["late"] | commitments["due_soon"]]
if len(attention):
    st.warning(t(lang, "attention", late=int(attention["late"].sum()), soon=int(attention["due_soon"].sum()),
                 days=DUE_SOON_DAYS), icon=":material/schedule:")
    widgets.table(tables.commitments_shown(attention, lang), tables.widths(tables.COMMITMENT_WIDTHS, lang))
else:
    st.success(t(lang, "attention_none", days=DUE_SOON_DAYS), icon=":material/check_circle:")

st.subheader(t(lang, "agreements_heading"), anchor=False)
widgets.table(tables.agreements(overview, lang, names=account.access().may("see_names")),
              tables.widths(tables.AGREEMENT_WIDTHS, lang))
st.subheader(t(lang, "progress_heading"), anchor=False)
widgets.table(tables.agreement_progress(overview, lang), tables.widths(tables.PROGRESS_WIDTHS, lang))
widgets.chart(state.chart(builders.agreement_activity, filters, lang), lang)

st.subheader(t(lang, "effect_heading"), anchor=False)
st.caption(t(lang, "effect_intro"))
effects = state.query(effect.agreement_effects, today)
widgets.table(tables.agreement_effects(overview, effects, lang), tables.widths(tables.EFFECT_WIDTHS, lang))

st.subheader(t(lang, "commitments_heading"), anchor=False)
widgets.table(tables.commitments_shown(commitments, lang), tables.widths(tables.COMMITMENT_WIDTHS, lang))
widgets.downloads(tables.commitments(commitments, lang), "ataganden", lang)

st.subheader(t(lang, "follow_up_heading"), anchor=False)
names = overview["name"].tolist()
link.linked("avtal", link.one_of(names), names[0])
if st.session_state["avtal"] not in names:  # the agreement was removed since
    st.session_state["avtal"] = names[0]
name = st.selectbox(t(lang, "agreement"), names, key="avtal")
link.keep("avtal", name, names[0])
chosen = overview[overview["name"] == name].iloc[0]
# Written once opened: the copyable box's highlighter took 0,2 s of the page's first render in the browser.
if (text := widgets.folded(t(lang, "follow_up_show"), FOLLOW_UP_TEXT)) is not None:
    with text:
        st.caption(t(lang, "follow_up_help"))
        st.code(follow_up_text(chosen, commitments[commitments["agreement_id"] == chosen["id"]], filters, lang,
                               effect=effects[chosen["id"]], survey=state.query(survey.principle_figures)),
                language=None, wrap_lines=True)
widgets.stratsys_download(filters, lang)
