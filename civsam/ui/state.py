"""What every page shares: the store, cached query results and charts, the language and the filters.

The engine is a cached resource (one pool, shared and thread-safe); query
results are cached data keyed by their arguments and the store's data
version, so an import or undo from any session or the command line shows at
once. Charts are built once for every session that shows the same view, under
the same data version: a room full of viewers opening one link builds each
chart once. The sidebar filters live in the URL's query string (civsam.ui.link),
so a copied link opens the same view.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from civsam import periods, queries
from civsam.charts.base import Chart
from civsam.db import UpgradeError, open_store
from civsam.filters import Filters, default_period
from civsam.i18n import LANGUAGES, sector_name, t
from civsam.reference import COUNTIES, MUNICIPALITIES, SECTORS, swedish_order
from civsam.settings import get
from civsam.ui import link

CACHE_SECONDS = 600


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return open_store(get("CIVSAM_DATABASE_URL"))


def store_problem() -> str | None:
    """Why the store cannot be opened (a failed upgrade, which left it as it was), in Swedish, or None. Not cached:
    once the store is restored or civsam put back, the next run opens it."""
    try:
        engine()
    except UpgradeError as error:
        return str(error)
    return None


@st.cache_data(ttl=2, show_spinner=False)
def data_version() -> tuple:
    return queries.data_version(engine())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=500)
def _cached(name: str, version: tuple, _question: Callable, *args):  # keyed on the name: `_question` is not hashed
    return _question(engine(), *args)


def query(question: Callable, *args):
    """`question(engine, *args)` (a function of civsam.queries or civsam.agreements), cached until the data changes.
    The cache knows it by its qualified name, the same in every rerun and session."""
    return _cached(f"{question.__module__}.{question.__qualname__}", data_version(), question, *args)


# A cached resource, shared and not copied: copying a plotly figure (pickle or deepcopy) costs as much as building it.
@st.cache_resource(ttl=CACHE_SECONDS, show_spinner=False, max_entries=200)
def _shared_chart(name: str, version: tuple, filters: Filters, lang: str, options: tuple, _builder: Callable) -> Chart:
    return _builder(query, filters, lang, **dict(options))


def chart(builder: Callable[..., Chart], filters: Filters, lang: str, **options) -> Chart:
    """`builder(query, filters, lang, **options)` (a function of civsam.builders), built once for every session
    that asks for the same view until the data changes. Every session gets the same Chart: draw it, never change
    it (civsam.charts.base.with_title makes a changed copy)."""
    return _shared_chart(f"{builder.__module__}.{builder.__qualname__}", data_version(), filters, lang,
                         tuple(sorted(options.items())), builder)


def data_changed() -> None:
    """Call after this session wrote to the store: every cached result and chart goes."""
    st.cache_data.clear()
    _shared_chart.clear()


@dataclass(frozen=True)
class Context:
    lang: str
    filters: Filters
    note: str | None = None  # why the link's period was not used, shown above the page until a period is chosen


def sidebar(has_data: bool) -> Context:
    """The language switch and the shared filters, drawn in the sidebar; returns what they say."""
    with st.sidebar:
        lang = link.choice(st, "Språk / Language", LANGUAGES, "lang", "sv",
                           lambda code: {"sv": "Svenska", "en": "English"}[code])
        if not has_data:
            return Context(lang, Filters(*default_period(periods.today())))
        st.header(t(lang, "filters"))
        st.caption(t(lang, "filters_help"))
        return Context(lang, _filters(lang), st.session_state.get(PERIOD_NOTE))


PERIOD_NOTE = "period_note"  # session state: the note on a link's period that could not be read


def _filters(lang: str) -> Filters:
    start, end, comparison = _period(lang)
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
    types = _choose_many("aktivitetstyp", t(lang, "activity_type"), query(queries.activity_types), str, lang)
    projects = _choose_many("projekt", t(lang, "project"), query(queries.project_names), str, lang)
    return Filters(start, end, county, tuple(municipalities), tuple(sectors), tuple(projects), tuple(types),
                   comparison)


def _period(lang: str) -> tuple[dt.date, dt.date, str]:
    """The period preset, the two dates and the comparison. A preset sets the dates; a date typed by hand
    makes the period custom. The link holds `period=2026T2`, or `fran` and `till` for custom dates, and
    `jamfor` when the comparison is not the period's own (civsam.periods.default_comparison)."""
    today = periods.today()
    if "period" not in st.session_state:
        _period_from_link(today, lang)
    options = [preset.code for preset in periods.offered(today)]
    if st.session_state["period"] not in (*options, periods.CUSTOM):  # an older tertial from the link
        options.append(st.session_state["period"])
    labels = {code: periods.parse(code).label(lang, today) for code in options}
    st.selectbox(t(lang, "period_preset"), [*options, periods.CUSTOM], key="period",
                 format_func=lambda code: labels.get(code) or t(lang, "preset_custom"),
                 help=t(lang, "period_preset_help"), on_change=_preset_chosen, args=(today,))
    bounds = {"min_value": dt.date(periods.FIRST_YEAR, 1, 1), "max_value": dt.date(periods.LAST_YEAR, 12, 31),
              "format": "YYYY-MM-DD", "on_change": _date_typed, "args": (today,)}
    start = st.date_input(t(lang, "period_from"), key="fran", **bounds)
    end = st.date_input(t(lang, "period_to"), key="till", **bounds)
    start, end = sorted((start, end))
    own = periods.default_comparison(start, end)
    comparison = st.radio(t(lang, "compare_with"), periods.COMPARISONS, key="jamfor",  # two lines fit a phone
                          format_func=lambda code: t(lang, f"compare_{code}"))
    custom = st.session_state["period"] == periods.CUSTOM
    link.keep("period", None if custom else st.session_state["period"])  # a preset's dates follow from it
    link.keep("fran", start if custom else None)
    link.keep("till", end if custom else None)
    link.keep("jamfor", comparison, own)
    return start, end, comparison


def _period_from_link(today: dt.date, lang: str) -> None:
    """The first run of a session: the period the link names, or the last 12 months, with a note when the link
    names one that cannot be read (a mistyped code, a date that is none, a year outside 2000–2100)."""
    code = st.query_params.get("period")
    typed = [st.query_params.get("fran"), st.query_params.get("till")]
    dates = [_link_date(text) if text else None for text in typed]
    last_12_months = periods.parse(periods.LAST_12_MONTHS)
    if code:
        preset = periods.parse(code)
        unread = [] if preset else [code]
    else:
        preset = None if any(typed) else last_12_months
        unread = [text for text, day in zip(typed, dates) if text and day is None]
    if unread:
        st.session_state[PERIOD_NOTE] = t(lang, "period_link_unread", value=", ".join(unread),
                                          first=periods.FIRST_YEAR, last=periods.LAST_YEAR)
        preset = last_12_months
    if preset:
        start, end = preset.dates(today)
    else:  # custom dates, one of them perhaps left to the default
        default_start, default_end = default_period(today)
        start, end = sorted((dates[0] or default_start, dates[1] or default_end))
        preset = periods.matching(start, end, today)
    st.session_state["period"] = preset.code if preset else periods.CUSTOM
    st.session_state["fran"], st.session_state["till"] = start, end
    linked = st.query_params.get("jamfor")
    st.session_state["jamfor"] = (linked if linked in periods.COMPARISONS
                                  else periods.default_comparison(start, end))


def _link_date(text: str) -> dt.date | None:
    day = link.iso_date([text])
    return day if day and periods.in_range(day) else None


def _preset_chosen(today: dt.date) -> None:
    preset = periods.parse(st.session_state["period"])
    if preset:
        st.session_state["fran"], st.session_state["till"] = preset.dates(today)
    _period_changed()


def _date_typed(today: dt.date) -> None:
    start, end = sorted((st.session_state["fran"], st.session_state["till"]))
    matched = periods.matching(start, end, today)
    st.session_state["period"] = matched.code if matched else periods.CUSTOM
    _period_changed()


def _period_changed() -> None:
    """A period chosen: the link's note is answered, and the comparison is the new period's own."""
    st.session_state.pop(PERIOD_NOTE, None)
    start, end = sorted((st.session_state["fran"], st.session_state["till"]))
    st.session_state["jamfor"] = periods.default_comparison(start, end)


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


def page() -> str:
    """The file of the page this run shows (pages/frequency.py), as the frame (dashboard.py) noted it."""
    return st.session_state["page"]
