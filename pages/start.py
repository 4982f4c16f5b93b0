"""Kom igång: what an empty store shows, pointing to Import and, for those who may import, to the demo data."""

import streamlit as st

from civsam.demo import seed_demo
from civsam.i18n import t
from civsam.ui import account, state

lang = state.context().lang
st.title(t(lang, "start_heading"))
st.write(t(lang, "start_body"))
st.page_link("pages/import.py", label=t(lang, "start_import"), icon=":material/upload_file:")
if not account.access().may("import"):
    st.stop()
st.write(t(lang, "start_demo"))
if st.button(t(lang, "start_demo_button"), type="primary"):
    seed_demo(state.engine(), user=account.access().who)
    state.data_changed()
    st.rerun()
