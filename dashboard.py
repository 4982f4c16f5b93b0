"""civsam's frame: page settings, the shared sidebar (language and filters) and navigation over pages/.

Run with `streamlit run dashboard.py` (or `make run`). An empty store opens on the start page.
"""

import streamlit as st

from civsam.i18n import t
from civsam.ui import state, widgets

st.set_page_config(page_title="civsam", page_icon=widgets.PAGE_ICON, layout="wide")

has_data = state.query("date_range") is not None
context = state.sidebar(has_data)
st.session_state["context"] = context
lang = context.lang

PAGES = {  # file in pages/ → url path; the first page shown opens at / ; an empty store shows start and import
    "start": "kom-igang",
    "overview": "oversikt",
    "frequency": "motesfrekvens",
    "coverage": "tackning",
    "resources": "resursgap",
    "agreements": "avtal",
    "organisations": "organisationer",
    "presentation": "bildspel",
    "import": "importera",
}
shown = ["overview", "frequency", "coverage", "resources", "agreements", "organisations", "presentation",
         "import"] if has_data else ["start", "import"]
navigation = st.navigation([
    st.Page(f"pages/{name}.py", title=t(lang, f"page_{name}"), url_path=PAGES[name], default=index == 0)
    for index, name in enumerate(shown)
])
widgets.demo_note(lang)
navigation.run()
