"""The dashboard's cache of answers (civsam.ui.state), asked outside a page as Streamlit allows."""

import pytest
import streamlit as st
from conftest import DEMO_TODAY, activity_log
from pages_support import open_page

from civsam import builders, queries
from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.filters import Filters
from civsam.importing import import_file
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


def test_sessions_showing_the_same_view_share_one_chart_until_an_import_changes_the_data(demo_store):
    built = []

    def counted_sector_comparison(query, filters, lang):
        built.append(lang)
        return builders.sector_comparison(query, filters, lang)

    shared = state.chart(counted_sector_comparison, YEAR, "sv")
    assert state.chart(counted_sector_comparison, YEAR, "sv") is shared  # another session, the same view
    assert state.chart(counted_sector_comparison, YEAR, "en") is not shared
    assert built == ["sv", "en"]

    # another process imports (this one is not told), and the data version's two seconds pass
    import_file(demo_store, activity_log([DEMO_TODAY, "Nya föreningen", "Civilsamhälle", "Umeå"]), "logg.xlsx")
    state.data_version.clear()
    after = state.chart(counted_sector_comparison, YEAR, "sv")
    assert built == ["sv", "en", "sv"]
    assert after.data.equals(builders.sector_comparison(state.query, YEAR, "sv").data)
    assert not after.data.equals(shared.data)


def test_a_session_draws_the_shared_chart_without_changing_it(demo_url, fresh_caches, today_is_the_demo_day):
    first_session = open_page("overview")
    shared = state.chart(builders.sector_comparison, first_session.session_state["context"].filters, "sv")
    drawn_once = shared.figure.to_json(), shared.data.copy(), dict(shared.narrowings)
    second_session = open_page("overview")
    assert state.chart(builders.sector_comparison, second_session.session_state["context"].filters, "sv") is shared
    assert shared.figure.to_json() == drawn_once[0]
    assert shared.data.equals(drawn_once[1]) and shared.narrowings == drawn_once[2]
