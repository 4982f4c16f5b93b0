"""The view in the link: widget values kept in the URL's query string with stable codes.

A copied link opens the same view. Streamlit's own `bind="query-params"`
writes a widget's displayed label into the URL, which changes with the
language (Civilsamhälle / Civil society); these helpers write the stored
code instead (civil_society, 2480, Norrbotten). Call `linked` before a
widget with that key and `keep` after it.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st


def linked(key: str, parse: Callable[[list[str]], Any], default: Any) -> None:
    """Give widget `key` its starting value: the link's, when it can be read, else `default`.
    Only the first time this session draws the widget; after that it keeps what the user chose."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key)
        value = parse(raw) if raw else None
        st.session_state[key] = default if value is None else value


def keep(key: str, value: Any, default: Any = None) -> None:
    """Write the widget's value into the link; a default or empty value leaves the link clean."""
    if value is None or value == default or value in ([], (), ""):
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list | tuple):
        st.query_params[key] = [str(item) for item in value]
    else:
        st.query_params[key] = value.isoformat() if isinstance(value, dt.date) else str(value)


def one_of(options: Iterable) -> Callable[[list[str]], Any]:
    by_text = {str(option): option for option in options}
    return lambda raw: by_text.get(raw[0])


def any_of(options: Iterable) -> Callable[[list[str]], list | None]:
    by_text = {str(option): option for option in options}
    return lambda raw: [by_text[item] for item in dict.fromkeys(raw) if item in by_text] or None


def iso_date(raw: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw[0])
    except ValueError:
        return None


def whole_number(low: int, high: int) -> Callable[[list[str]], int | None]:
    def parse(raw: list[str]) -> int | None:
        return int(raw[0]) if raw[0].isdigit() and low <= int(raw[0]) <= high else None
    return parse


def plain_text(raw: list[str]) -> str:
    return raw[0]


def choice(container, label: str, options: list, key: str, default, format_func: Callable[[Any], str]):
    """A segmented control (one of a few options) kept in the link. Its value comes from session state, not a
    `default`, and Streamlit types such a control `V | None` although `required`: a run that found it unset (a
    loaded browser test saw it) gets `default`, not None."""
    linked(key, one_of(options), default)
    value = container.segmented_control(label, options, key=key, required=True, format_func=format_func)
    value = default if value is None else value
    keep(key, value, default)
    return value
