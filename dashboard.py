"""civsam's frame: page settings, who is signed in, the shared sidebar (language, filters, sign-in) and
navigation over pages/.

Served by server.py: run `python -m civsam serve` (or `make run`), not `streamlit run dashboard.py`, which lacks
the local sign-in's address and the guard. An empty store opens on the start page; while sign-in is required
(CIVSAM_REQUIRE_LOGIN) and nobody is signed in, only the sign-in is shown.
"""

from pathlib import Path

import streamlit as st

from civsam import queries, survey
from civsam.i18n import t
from civsam.ui import account, drill, server, state, widgets

st.set_page_config(page_title="civsam", page_icon=widgets.PAGE_ICON, layout="wide")
if problem := state.store_problem():  # never a page on a store that is not at this version's schema
    st.error(problem, icon=":material/database:")
    st.stop()

access = account.current()
st.session_state["access"] = access
server.allow_uploads(access.may("import"))
may_view = access.may("view")
has_data = state.query(queries.date_range) is not None
context = state.sidebar(has_data and may_view)  # no filters, which name projects, before sign-in
st.session_state["context"] = context
lang = context.lang
account.sidebar(lang, access)

PAGES = {  # file in pages/ → url path; the first page shown opens at / ; an empty store shows start and import
    "start": "kom-igang",
    "overview": "oversikt",
    "frequency": "motesfrekvens",
    "coverage": "tackning",
    "resources": "resursgap",
    "agreements": "avtal",
    "survey": "partnernas-bild",
    "organisations": "organisationer",
    "network": "natverk",
    "profile": "organisation",  # one organisation's profile, ?org=NAME; a file of that stem would clash with it
    "activities": "aktiviteter",
    "presentation": "bildspel",
    "import": "importera",
    "activity_form": "ny-aktivitet",
}
shown = ["overview", "frequency", "coverage", "resources", "agreements", "organisations", "profile", "network",
         "activities", "presentation", "import"] if has_data else ["start", "import"]
if has_data and state.query(survey.survey_years):  # the partners' view once a survey is imported
    shown.insert(shown.index("agreements") + 1, "survey")
HIDDEN = {"profile"}  # reached from an organisation's name, never from the menu
# The pages that draw charts as they open: plotly's script is loaded ahead for them (widgets.charts_ahead).
CHARTS = {"overview", "frequency", "coverage", "resources", "agreements", "survey", "network", "profile"}
if access.may("import"):  # one activity logged, corrected or deleted without a workbook
    shown.append("activity_form")
pages = {f"pages/{name}.py": st.Page(f"pages/{name}.py", title=t(lang, f"page_{name}"), url_path=PAGES[name],
                                     default=index == 0, visibility="hidden" if name in HIDDEN else "visible")
         for index, name in enumerate(shown)}
navigation = st.navigation(list(pages.values()), position="sidebar" if may_view else "hidden")
st.session_state["page"] = next(file for file, page in pages.items() if page.url_path == navigation.url_path)
if not may_view:  # the address still names the page, so it opens once someone signs in
    account.sign_in_page(lang)
    st.stop()
if Path(st.session_state["page"]).stem in CHARTS:
    widgets.charts_ahead()  # before the page's queries, so that plotly's script is evaluated while they run
widgets.demo_note(lang)
drill.back_button(context.filters, lang)
if context.note:  # the link named a period that cannot be read: say so until a period is chosen
    st.warning(context.note, icon=":material/event_busy:")
navigation.run()
