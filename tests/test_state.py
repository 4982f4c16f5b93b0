"""The dashboard's cache of answers (civsam.ui.state), asked outside a page as Streamlit allows."""

import pytest
import streamlit as st
from conftest import DEMO_TODAY

from civsam import queries
from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.filters import Filters
from civsam.ui import state

YEAR = Filters(DEMO_TODAY.replace(month=1, day=1), DEMO_TODAY)


@pytest.fixture
def demo_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'civsam.db'}"
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    engine = open_store(url)
    seed_demo(engine, 200, today=DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()
    st.cache_data.clear()
    engine.dispose()


def test_a_question_is_the_function_itself_and_is_asked_once_until_the_data_changes(demo_store):
    asked = []

    def counted_key_figures(engine, filters):
        asked.append(filters)
        return queries.key_figures(engine, filters)

    first = state.query(counted_key_figures, YEAR)
    assert state.query(counted_key_figures, YEAR) == first == queries.key_figures(demo_store, YEAR)
    assert asked == [YEAR]
    state.data_changed()
    state.query(counted_key_figures, YEAR)
    assert asked == [YEAR, YEAR]


def test_two_questions_of_the_same_name_keep_their_own_answers(demo_store):
    def key_figures(engine, filters):
        return {"activities": -1}

    assert state.query(queries.key_figures, YEAR) == queries.key_figures(demo_store, YEAR)
    assert state.query(key_figures, YEAR) == {"activities": -1}
