"""The activity list's controls: the search box, the organisation it is narrowed to, paging, the row a coordinator
opens for editing, and the whole list to download.

The organisation (`?org=`) and the page (`?sida=`) are read from the link on every run, so a link from a chart's
drill-down or a copied address always opens what it names; the search box (`?sok=`) is a widget kept in the link
like the sidebar's filters (civsam.ui.link).
"""

import math
from collections.abc import Callable

import pandas as pd
import streamlit as st

from civsam.activity_list import PAGE_SIZE, ActivityPage, activity_page
from civsam.filters import Filters
from civsam.formatting import format_date
from civsam.i18n import t
from civsam.ui import link, state, widgets

SEARCH, ORGANISATION, PAGE = "sok", "org", "sida"  # the link's names
FORM_PAGE = "pages/activity_form.py"  # the form that edits one activity (?id=N)


def search_box(lang: str) -> str:
    link.linked(SEARCH, link.plain_text, "")
    search = st.text_input(t(lang, "activity_search"), key=SEARCH, placeholder=t(lang, "activity_search_placeholder"),
                           on_change=_to_first_page)
    link.keep(SEARCH, search)
    return search


def organisation_chip(lang: str) -> str | None:
    """The organisation the link narrows the list to, shown as a button that removes it; None without one."""
    organisation = st.query_params.get(ORGANISATION, "").strip() or None
    if organisation:
        st.button(widgets.plain(t(lang, "activity_organisation", name=organisation)), icon=":material/close:",
                  help=widgets.plain(t(lang, "activity_organisation_help", name=organisation)),
                  on_click=_forget_organisation)
    return organisation


def listed_page(filters: Filters, search: str, organisation: str | None, names: bool) -> tuple[int, int, ActivityPage]:
    """The page the link names (the first when it names none or one that is no number; the last when it lies past
    the end), how many pages there are, and that page of the list."""
    raw = st.query_params.get(PAGE, "1")
    number = int(raw) if raw.isdigit() and int(raw) >= 1 else 1
    listed = state.query(activity_page, filters, search, organisation, (number - 1) * PAGE_SIZE, PAGE_SIZE, names)
    pages = max(1, math.ceil(listed.total / PAGE_SIZE))
    if number > pages:  # the list is shorter than when the link was made
        number = pages
        listed = state.query(activity_page, filters, search, organisation, (number - 1) * PAGE_SIZE, PAGE_SIZE,
                             names)
    link.keep(PAGE, number, 1)
    return number, pages, listed


def pager(lang: str, number: int, pages: int) -> None:
    """Previous and next, with "Sida 2 av 25" between them."""
    previous, where, following = st.columns([1, 1, 1], vertical_alignment="center")
    previous.button(t(lang, "previous_page"), icon=":material/chevron_left:", disabled=number <= 1,
                    on_click=_to_page, args=(number - 1,), key="previous_page")
    where.markdown(t(lang, "activity_page_of", page=number, pages=pages))
    following.button(t(lang, "next_page"), icon=":material/chevron_right:", icon_position="right",
                     disabled=number >= pages, on_click=_to_page, args=(number + 1,), key="next_page")


def table(shown: pd.DataFrame, activities: pd.DataFrame, lang: str, *, editable: bool) -> None:
    """The page's activities; a coordinator selects one to get the link to its form."""
    if not editable:
        widgets.table(shown, height="content")
        return
    st.caption(t(lang, "activity_select_help"))
    ids = activities["id"].tolist()
    event = widgets.table(shown, height="content", on_select="rerun", selection_mode="single-row",
                          key=f"activity_rows_{hash(tuple(ids))}")  # a new page or list starts unselected
    for row in event.selection.rows:
        chosen = activities.iloc[row]
        label = t(lang, "activity_edit", date=format_date(chosen["date"]), title=chosen["title"] or chosen["type"])
        st.page_link(FORM_PAGE, label=widgets.plain(label), icon=":material/edit:",
                     query_params={"id": int(chosen["id"])})


def whole_list(filters: Filters, search: str, organisation: str | None, names: bool,
               shown: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """Every activity of the list as `shown` draws it, read when a download is made (on a thread without this
    run's session, so the store is taken now)."""
    engine = state.engine()
    return lambda: shown(activity_page(engine, filters, search, organisation, limit=None, names=names).activities)


def _to_page(number: int) -> None:
    link.keep(PAGE, number, 1)


def _to_first_page() -> None:
    link.keep(PAGE, None)


def _forget_organisation() -> None:
    link.keep(ORGANISATION, None)
    _to_first_page()
