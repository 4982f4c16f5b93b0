"""Organisation (`?org=NAME`): one partner's profile under the sidebar's filters: key figures alone and with its
members, activities per quarter with its agreements' signings, its umbrellas and members, projects, agreements,
latest activities and a short text for the committee. Reached from the register, the partner chart and tables."""

import streamlit as st

from civsam import agreements, builders, effect, periods, profile, tables
from civsam.activity_list import activity_page
from civsam.formatting import format_number
from civsam.i18n import t
from civsam.narrative import effect_sentence, percent, profile_story
from civsam.ui import account, state, widgets

lang, filters = state.context().lang, state.context().filters
names = account.access().may("see_names")
typed = st.query_params.get("org", "").strip()
found = state.query(profile.find_organisation, typed) if typed else None
if found is None:
    st.title(t(lang, "page_profile"))
    close = state.query(profile.close_names, typed) if typed else []
    suggestion = f" {t(lang, 'profile_suggest', names=' / '.join(close))}" if close else ""
    st.warning(widgets.plain(t(lang, "profile_unknown", name=typed) if typed else t(lang, "profile_missing"))
               + widgets.plain(suggestion), icon=":material/search_off:")
    st.page_link("pages/organisations.py", label=t(lang, "profile_to_register"), icon=":material/arrow_back:")
    st.stop()

organisation_id, name = int(found["id"]), found["name"]
st.title(widgets.plain(name), anchor=False)
figures = state.query(profile.key_figures, organisation_id, filters)
members = state.query(profile.members, organisation_id, filters)
projects = state.query(profile.projects, organisation_id, filters)
its_agreements = state.query(profile.agreements, organisation_id)
listed = state.query(agreements.agreement_overview, filters)
effects = state.query(effect.agreement_effects, periods.today())
changed = [effect_sentence(row.partners, row.kind, row.signed, effects[row.id], lang)
           for row in listed[listed["id"].isin(its_agreements["id"])].itertuples(index=False)]
st.subheader(t(lang, "profile_story"), anchor=False)
st.write(widgets.plain(profile_story(name, figures, members, projects, changed, lang)))

columns = st.columns(5)
for column, label, value in zip(columns, ("profile_activities", "profile_with_members", "municipalities", "hours"),
                                (figures["activities"], figures["activities_with_members"],
                                 figures["municipalities"], figures["hours"]), strict=False):
    column.metric(t(lang, label), format_number(value, 1 if label == "hours" else 0), border=True)
columns[4].metric(t(lang, "profile_youth"), percent(figures["youth_share"]), border=True)
st.caption(f"{t(lang, 'first_contact')}: {figures['first_contact'] or '–'} · "
           f"{t(lang, 'last_contact')}: {figures['last_contact'] or '–'}. "
           f"{t(lang, 'profile_period', start=filters.start.isoformat(), end=filters.end.isoformat())}")
widgets.chart(state.chart(builders.organisation_activity, filters, lang, organisation_id=organisation_id,
                          name=name), lang)

st.subheader(t(lang, "profile_umbrellas"), anchor=False)
umbrellas = state.query(profile.umbrellas, organisation_id)
if umbrellas:
    widgets.linked_table(tables.profile_umbrellas(umbrellas, lang), t(lang, "organisation"), lang)
else:
    st.caption(t(lang, "profile_no_umbrella"))
st.subheader(t(lang, "profile_members"), anchor=False)
if len(members):
    widgets.linked_table(tables.profile_members(members, lang), t(lang, "organisation"), lang)
    if not members["activities"].all():
        st.caption(t(lang, "profile_members_note"))
else:
    st.caption(t(lang, "profile_no_members"))
st.subheader(t(lang, "profile_projects"), anchor=False)
if len(projects):
    widgets.table(tables.profile_projects(projects, lang), tables.widths(tables.PROFILE_PROJECT_WIDTHS, lang))
else:
    st.caption(t(lang, "profile_no_projects"))
st.subheader(t(lang, "profile_agreements"), anchor=False)
if len(its_agreements):
    widgets.table(tables.profile_commitments(its_agreements, state.query(profile.commitments, organisation_id), lang),
                  tables.widths(tables.PROFILE_COMMITMENT_WIDTHS, lang))
else:
    st.caption(t(lang, "profile_no_agreements"))

st.subheader(t(lang, "profile_latest"), anchor=False)
latest = activity_page(state.engine(), filters, organisation=name, limit=10, names=names).activities
if len(latest):
    widgets.table(tables.activities(latest, lang))
else:
    st.caption(t(lang, "activity_list_empty"))
st.page_link("pages/activities.py", label=t(lang, "profile_all_activities", name=name), icon=":material/list:",
             query_params={"org": name})
