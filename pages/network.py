"""Nätverk: the most active organisations and the projects and agreements that tie them, as a network and a
table, with how many organisations to show kept in the link (`?antal=50`)."""

import streamlit as st

from civsam import builders, queries
from civsam.i18n import t
from civsam.network import DEFAULT_SIZE, LARGEST_SIZE, SMALLEST_SIZE
from civsam.ui import link, state, widgets

lang, filters = state.context().lang, state.context().filters
st.title(t(lang, "page_network"))
link.linked("antal", link.whole_number(SMALLEST_SIZE, LARGEST_SIZE), DEFAULT_SIZE)
size = st.number_input(t(lang, "network_size"), min_value=SMALLEST_SIZE, max_value=LARGEST_SIZE, step=5,
                       key="antal", help=t(lang, "network_size_help"))
link.keep("antal", size, DEFAULT_SIZE)
if state.query(queries.top_partners, filters, 1).empty:
    st.info(t(lang, "no_data"))
    st.stop()
widgets.chart(state.chart(builders.partner_network, filters, lang, size=int(size)), lang)
