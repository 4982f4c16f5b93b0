"""The activity list page (/aktiviteter) through AppTest on the demo store: the search and the page in the link,
paging, the organisation a link narrows it to, the whole list downloaded and recorded, names for coordinators."""

import pytest
from conftest import DEMO_TODAY
from pages_support import open_page, sign_in, texts

from civsam.activity_list import activity_page
from civsam.filters import Filters

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")
YEAR = Filters(DEMO_TODAY.replace(month=1, day=1), DEMO_TODAY)  # the demo day's default period: 2025


def test_the_search_comes_from_the_link_and_the_pages_follow_each_other(demo_url, engine_at):
    expected = activity_page(engine_at(demo_url), YEAR, "om")
    pages = -(-expected.total // 50)
    app = open_page("activities", sok="om")
    assert app.text_input(key="sok").value == "om" and pages > 1
    assert app.subheader[0].value == f"{expected.total} aktiviteter"
    assert app.dataframe[0].value["Datum"].tolist() == [d.isoformat() for d in expected.activities["date"]]
    previous, following = (button for button in app.button if button.label in ("Föregående sida", "Nästa sida"))
    assert previous.disabled and f"Sida 1 av {pages}" in texts(app)
    following.click().run()
    assert app.query_params["sida"] == "2" and f"Sida 2 av {pages}" in texts(app)
    second = activity_page(engine_at(demo_url), YEAR, "om", offset=50)
    assert app.dataframe[0].value["Datum"].tolist() == [d.isoformat() for d in second.activities["date"]]
    app.text_input(key="sok").input("samforma").run()  # a new search starts on its first page
    assert "sida" not in app.query_params and app.query_params["sok"] == "samforma"


def test_an_organisation_in_the_link_narrows_the_list_until_removed(demo_url, engine_at):
    engine = engine_at(demo_url)
    narrowed = activity_page(engine, YEAR, organisation="Visit Lycksele").total
    app = open_page("activities", org="Visit Lycksele", sida="999")  # a page past the end: the last, here the only
    assert app.subheader[0].value == f"{narrowed} aktiviteter" and "sida" not in app.query_params
    assert set(app.dataframe[0].value["Organisationer"].str.contains("Visit Lycksele")) == {True}
    next(button for button in app.button if button.label == "Organisation: Visit Lycksele").click().run()
    assert "org" not in app.query_params
    assert app.subheader[0].value == f"{activity_page(engine, YEAR).total} aktiviteter"


def test_nothing_found_says_how_to_widen_the_choice(demo_url):
    app = open_page("activities", sok="finns inte någonstans")
    assert "Inga aktiviteter passar urvalet. Välj en längre period" in app.info[-1].value and not app.dataframe


def test_the_whole_list_downloads_and_is_recorded(demo_url, accounts, deferred_downloads, engine_at):
    from civsam.audit import entries
    engine = engine_at(demo_url)
    sign_in(open_page("activities", secrets=accounts, sok="om"), "anna", "annas lösen")
    csv = deferred_downloads["aktiviteter.csv"]().decode("utf-8-sig").splitlines()
    assert len(csv) == 1 + activity_page(engine, YEAR, "om").total  # every page, not the one shown
    assert csv[0].split(";")[:4] == ["Datum", "Typ", "Rubrik", "Organisationer"] and csv[0].endswith("Ansvarig")
    exported = entries(engine).iloc[0]
    assert (exported["action"], exported["user"]) == ("export", "anna")
    assert exported["detail"].startswith("aktiviteter.csv (webben): 2025-01-01 – 2025-12-31")


def test_a_viewer_sees_no_names_and_a_coordinator_opens_an_activity_for_editing(demo_url, accounts, engine_at):
    from civsam.demo import PEOPLE
    viewer = open_page("activities", secrets=accounts)
    assert "Ansvarig" not in viewer.dataframe[0].value and not [name for name in PEOPLE if name in texts(viewer)]
    app = sign_in(open_page("activities", secrets=accounts), "anna", "annas lösen")
    assert "Ansvarig" in app.dataframe[0].value
    newest = activity_page(engine_at(demo_url), YEAR).activities
    app.session_state[f"activity_rows_{hash(tuple(newest['id']))}"] = {"selection": {"rows": [1], "columns": []}}
    app.run()
    link = next(link.proto for link in app.get("page_link") if link.proto.query_string)
    assert (link.page, link.query_string) == ("ny-aktivitet", f"id={newest['id'][1]}")
