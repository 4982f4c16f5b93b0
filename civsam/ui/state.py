"""What every page shares: the store, cached query results, the language and the filters.

The engine is a cached resource (one pool, shared and thread-safe); query
results are cached data keyed by their arguments and the store's data
version, so an import or undo from any session or the command line shows at
once. The sidebar filters live in the URL's query string (civsam.ui.link),
so a copied link opens the same view.
"""

import datetime as dt
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from civsam import queries
from civsam.db import open_store
from civsam.filters import Filters, default_period
from civsam.i18n import LANGUAGES, sector_name, t
from civsam.questions import ask
from civsam.reference import COUNTIES, MUNICIPALITIES, SECTORS, swedish_order
from civsam.settings import get
from civsam.ui import link

CACHE_SECONDS = 600


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return open_store(get("CIVSAM_DATABASE_URL"))


@st.cache_data(ttl=2, show_spinner=False)
def data_version() -> tuple:
    return queries.data_version(engine())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=500)
def _cached(name: str, version: tuple, *args):
    return ask(engine(), name, *args)


def query(name: str, *args):
    """The answer to a question by name (civsam.questions), cached until the data changes."""
    return _cached(name, data_version(), *args)


def data_changed() -> None:
    """Call after this session wrote to the store: every cached result goes."""
    st.cache_data.clear()


@dataclass(frozen=True)
class Context:
    lang: str
    filters: Filters


def sidebar(has_data: bool) -> Context:
    """The language switch and the shared filters, drawn in the sidebar; returns what they say."""
    with st.sidebar:
        link.linked("lang", link.one_of(LANGUAGES), "sv")
        lang = st.segmented_control("Språk / Language", LANGUAGES, key="lang", required=True,
                                    format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])
        link.keep("lang", lang, "sv")
        if not has_data:
            return Context(lang, Filters(*default_period(dt.date.today())))
        st.header(t(lang, "filters"))
        st.caption(t(lang, "filters_help"))
        return Context(lang, _filters(lang))


def _filters(lang: str) -> Filters:
    first, last = query("date_range")
    default_start, default_end = default_period(last)
    default_start = max(default_start, first)
    link.linked("fran", link.iso_date, default_start)
    start = st.date_input(t(lang, "period_from"), key="fran", format="YYYY-MM-DD")
    link.keep("fran", start)  # always: the default moves with the data, a shared link must not
    link.linked("till", link.iso_date, default_end)
    end = st.date_input(t(lang, "period_to"), key="till", format="YYYY-MM-DD")
    link.keep("till", end)
    if start > end:
        start, end = end, start
    counties = [None, *(c.name for c in COUNTIES)]
    link.linked("lan", link.one_of(counties), None)
    county = st.selectbox(t(lang, "county"), counties, key="lan", format_func=lambda c: c or t(lang, "both_counties"),
                          placeholder=t(lang, "both_counties"))
    link.keep("lan", county)
    municipalities = _choose_many("kommun", t(lang, "municipality"),
                                  [m.code for m in sorted(MUNICIPALITIES, key=lambda m: swedish_order(m.name))
                                   if county in (None, m.county)],
                                  {m.code: m.name for m in MUNICIPALITIES}.get, lang)
    sectors = _choose_many("sektor", t(lang, "sector"), list(SECTORS), lambda s: sector_name(lang, s), lang)
    projects = _choose_many("projekt", t(lang, "project"), query("project_names"), str, lang)
    return Filters(start, end, county, tuple(municipalities), tuple(sectors), tuple(projects))


def _choose_many(key: str, label: str, options: list, format_func, lang: str) -> list:
    link.linked(key, link.any_of(options), [])
    st.session_state[key] = [value for value in st.session_state[key] if value in options]  # county changed
    chosen = st.multiselect(label, options, key=key, format_func=format_func, placeholder=t(lang, "all"),
                            select_all=False)  # none chosen already means all; Streamlit says "Select all" in English
    link.keep(key, chosen)
    return chosen


def context() -> Context:
    """The context the frame (dashboard.py) computed for this run."""
    return st.session_state["context"]
