"""What every page shares: the store, cached query results, the language and the filters.

The engine is a cached resource (one pool, shared and thread-safe); query
results are cached data keyed by their arguments and the store's data
version, so an import or undo from any session or the command line shows at
once. The sidebar filters are bound to the URL's query string
(`bind="query-params"`), so a copied link opens the same view.
"""

import datetime as dt
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from civsam import queries
from civsam.db import open_store
from civsam.filters import Filters, default_period
from civsam.i18n import LANGUAGES, sector_name, t
from civsam.reference import COUNTIES, MUNICIPALITIES, SECTORS
from civsam.settings import get

CACHE_SECONDS = 600


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return open_store(get("CIVSAM_DATABASE_URL"))


@st.cache_data(ttl=2, show_spinner=False)
def data_version() -> tuple:
    return queries.data_version(engine())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=500)
def _cached(name: str, version: tuple, *args):
    return getattr(queries, name)(engine(), *args)


def query(name: str, *args):
    """queries.NAME(engine, *args), cached until the data changes."""
    return _cached(name, data_version(), *args)


def data_changed() -> None:
    """Call after this session wrote to the store: every cached result goes."""
    st.cache_data.clear()


@dataclass(frozen=True)
class Context:
    lang: str
    filters: Filters


def language() -> str:
    return st.session_state.get("lang", "sv")


def sidebar(has_data: bool) -> Context:
    """The language switch and the shared filters, drawn in the sidebar; returns what they say."""
    with st.sidebar:
        lang = st.segmented_control("Språk / Language", LANGUAGES, key="lang", default="sv", required=True,
                                    format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
                                    bind="query-params")
        if not has_data:
            return Context(lang, Filters(*default_period(dt.date.today())))
        st.header(t(lang, "filters"))
        st.caption(t(lang, "filters_help"))
        return Context(lang, _filters(lang))


def _filters(lang: str) -> Filters:
    first, last = query("date_range")
    default_start, default_end = default_period(last)
    start = st.date_input(f"{t(lang, 'period')}: från" if lang == "sv" else f"{t(lang, 'period')}: from",
                          value=max(default_start, first), key="fran", format="YYYY-MM-DD", bind="query-params")
    end = st.date_input(f"{t(lang, 'period')}: till" if lang == "sv" else f"{t(lang, 'period')}: to",
                        value=default_end, key="till", format="YYYY-MM-DD", bind="query-params")
    if start > end:
        start, end = end, start
    county = st.selectbox(t(lang, "county"), [None, *(c.name for c in COUNTIES)], key="lan",
                          format_func=lambda c: c or t(lang, "both_counties"), bind="query-params")
    options = [m.code for m in MUNICIPALITIES if county in (None, m.county)]
    names = {m.code: m.name for m in MUNICIPALITIES}
    municipalities = st.multiselect(t(lang, "municipality"), options, key="kommun", format_func=names.get,
                                    placeholder=t(lang, "all"), bind="query-params")
    sectors = st.multiselect(t(lang, "sector"), list(SECTORS), key="sektor",
                             format_func=lambda s: sector_name(lang, s), placeholder=t(lang, "all"),
                             bind="query-params")
    projects = st.multiselect(t(lang, "project"), query("project_names"), key="projekt",
                              placeholder=t(lang, "all"), bind="query-params")
    return Filters(start, end, county, tuple(m for m in municipalities if m in options), tuple(sectors),
                   tuple(projects))


def context() -> Context:
    """The context the frame (dashboard.py) computed for this run."""
    return st.session_state["context"]
