"""Drill-down: a click on a chart opens the activity list narrowed to what was clicked (civsam.drilldown).

The narrowing goes into the link, so it can be shared, and into the sidebar, so the sidebar says what the list
shows: its widgets keep their values in the session once drawn (civsam.ui.link reads the link only the first
time), so their keys are dropped and the list's first run reads them from the new link. Every page then follows
the narrowed filters, as after any change in the sidebar, and says so at the top with "Tillbaka till
diagrammet", which restores the filters and the chart page's own choices as they were before the click. The
button goes once the user changes a filter: the filters are theirs then.
"""

from dataclasses import dataclass

import streamlit as st

from civsam import periods
from civsam.charts.base import Chart
from civsam.drilldown import link_params, list_params, narrowing_of, opens_profile
from civsam.filters import Filters
from civsam.i18n import t

LIST_PAGE = "pages/activities.py"
PROFILE_PAGE = "pages/profile.py"  # a partner's profile, for a click on a partner
FILTER_KEYS = ("period", "fran", "till", "jamfor", "lan", "kommun", "sektor", "aktivitetstyp", "projekt")
LIST_KEYS = ("sok", "org")  # the list's own narrowing: a click sets it afresh
ORIGIN = "drill_origin"  # session state: where the last click came from (Origin)


@dataclass(frozen=True)
class Origin:
    page: str  # the chart page's file
    query: dict[str, list[str]]  # its link before the click
    narrowed: dict  # the filters the click set, as link_params writes them


def clickable_chart(item: Chart, filters: Filters, page: str, **options) -> None:
    """The chart, answering a click on a bar, area or tile that carries a narrowing by opening the list."""
    event = st.plotly_chart(item.figure, on_select="rerun", selection_mode=("points",), **options)
    narrowing = next(filter(None, map(narrowing_of, event.selection.points)), None)
    if narrowing:
        drill_down(filters, narrowing, page)


def chooser(item: Chart, filters: Filters, page: str, lang: str) -> None:
    """The same from the keyboard: choose what the chart shows and open its activities (or a partner's profile)."""
    kind = "_profile" if all(map(opens_profile, item.narrowings.values())) else ""
    label = st.selectbox(t(lang, f"drill_choose{kind}"), list(item.narrowings), key=f"drill_{item.key}",
                         help=t(lang, f"drill_choose{kind}_help"))
    if st.button(t(lang, f"drill_open{kind}"), key=f"drill_open_{item.key}", icon=":material/list:"):
        drill_down(filters, item.narrowings[label], page)


def drill_down(filters: Filters, narrowing: dict, page: str) -> None:
    """Open the activity list (or a partner's profile) under `filters` narrowed by `narrowing`, remembering `page`
    and its link to go back to."""
    params = list_params(filters, narrowing, periods.today())
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state[ORIGIN] = Origin(page, query, {key: value for key, value in params.items()
                                                    if key in FILTER_KEYS})
    _open(PROFILE_PAGE if opens_profile(narrowing) else LIST_PAGE, params)


def back_button(filters: Filters, lang: str) -> None:
    """"Tillbaka till diagrammet" while the filters are those a click set; forgotten once the user changes them."""
    origin = st.session_state.get(ORIGIN)
    if origin is None:
        return
    if link_params(filters, periods.today()) != origin.narrowed:
        del st.session_state[ORIGIN]
        return
    if st.button(t(lang, "drill_back"), icon=":material/arrow_back:", help=t(lang, "drill_back_help")):
        del st.session_state[ORIGIN]
        _open(origin.page, origin.query)


def _open(page: str, params: dict) -> None:
    """Switch to `page` with the link `params`, its filters read from that link rather than the session."""
    for key in (*FILTER_KEYS, *LIST_KEYS):
        st.session_state.pop(key, None)
    st.switch_page(page, query_params=params)
