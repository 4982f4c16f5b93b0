"""Each page through Streamlit's AppTest, run by the frame (dashboard.py) as a user would reach it:
on an empty store, on the demo store, and with filters and language taken from the link."""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from conftest import DEMO_TODAY, activity_log
from streamlit.testing.v1 import AppTest

from civsam.demo import seed_demo

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "frequency", "coverage", "resources", "agreements", "organisations", "import")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Streamlit's caches outlive a test run: each test starts without them."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'civsam.db'}"
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    return url


@pytest.fixture
def demo_url(store_url, engine_at):
    seed_demo(engine_at(store_url), 600, today=DEMO_TODAY)
    return store_url


@pytest.fixture
def engine_at():
    from civsam.db import open_store
    engines = []

    def open_(url):
        engines.append(open_store(url))
        return engines[-1]
    yield open_
    for engine in engines:
        engine.dispose()


def open_page(page: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    return " ".join(element.value for kind in (app.title, app.subheader, app.markdown, app.caption, app.info)
                    for element in kind)


def test_every_file_in_pages_is_registered_in_the_frame():
    frame = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    for path in (ROOT / "pages").glob("*.py"):
        assert f'"{path.stem}"' in frame, f"{path.name} is not in dashboard.py"


def test_an_empty_store_opens_on_the_start_page(store_url):
    app = open_page()
    assert app.title[0].value == "Välkommen till civsam"
    assert "Import" in texts(app) or any("Import" in link.proto.label for link in app.get("page_link"))
    assert app.button[0].label == "Fyll med demodata"


def test_the_start_page_fills_the_store_with_demo_data(store_url):
    app = open_page()
    app.button[0].click().run()
    assert not app.exception
    assert app.title[0].value == "Översikt"
    assert "demodata" in texts(app)


@pytest.mark.parametrize("page, title", [
    ("overview", "Översikt"), ("frequency", "Mötesfrekvens"), ("coverage", "Täckning"),
    ("resources", "Resursgap"), ("agreements", "Avtal och uppföljning"), ("organisations", "Organisationer"),
    ("import", "Import"),
])
def test_every_page_opens_on_the_demo_store(demo_url, page, title):
    app = open_page(page)
    assert app.title[0].value == title
    assert "Databasen innehåller demodata" in texts(app)


@pytest.mark.parametrize("page", ["overview", "frequency", "coverage", "resources", "agreements"])
def test_every_chart_has_a_finding_a_text_alternative_and_its_data(demo_url, page):
    app = open_page(page)
    charts = app.get("plotly_chart")
    assert charts, "no chart drawn"
    captions = [c.value for c in app.caption if c.value.startswith("Diagrammet i text:")]
    assert len(captions) == len(charts)
    assert len([e for e in app.expander if e.label == "Visa data"]) == len(charts)


def test_the_overview_summarises_in_words(demo_url):
    app = open_page("overview")
    summary = app.markdown[0].value
    assert summary.startswith("**Under 2025 hade regionen") and "av 29 kommuner" in summary
    assert [m.label for m in app.metric] == ["Aktiviteter", "Organisationer nådda", "Kommuner av 29", "Arbetstimmar",
                                             "Med barn och unga"]
    side_by_side = app.dataframe[0].value
    assert list(side_by_side.columns) == ["", "Civilsamhälle", "Näringsliv", "Näringslivet / civilsamhället"]


def test_filters_come_from_the_link(demo_url):
    app = open_page("coverage", lan="Norrbotten", fran="2025-01-01", till="2025-12-31")
    assert app.selectbox(key="lan").value == "Norrbotten"
    assert app.date_input(key="fran").value == dt.date(2025, 1, 1)
    county_table = app.get("plotly_chart")
    assert county_table
    assert "av 14 kommuner" in app.subheader[0].value or "Alla 14 kommuner" in app.subheader[0].value


def test_a_sector_filter_changes_the_figures(demo_url):
    everything = open_page("overview").metric[0].value
    st.cache_data.clear()
    civil = open_page("overview", sektor="civil_society").metric[0].value
    assert int(civil.replace("\u00a0", "")) < int(everything.replace("\u00a0", ""))


def test_a_period_without_activities_says_so(demo_url):
    app = open_page("frequency", fran="2030-01-01", till="2030-12-31")
    assert "Inga aktiviteter i det valda urvalet" in texts(app)


def test_english_is_a_switch(demo_url):
    app = open_page("resources", lang="en")
    assert app.title[0].value == "Resource gap"
    assert "demo data" in texts(app)


def test_the_import_page_lists_imports_and_undoes_one(store_url, engine_at):
    from civsam.importer import import_file
    from civsam.queries import summary
    engine = engine_at(store_url)
    report = import_file(engine, activity_log(["2025-03-04", "Samforma", "civilsamhälle", "Umeå"]), "logg.xlsx")
    app = open_page("import")
    assert app.title[0].value == "Import"
    history = app.dataframe[0].value
    assert history["Fil"].tolist() == ["logg.xlsx"] and history["Nya"].tolist() == [1]
    undo = next(box for box in app.selectbox if box.label == "Ångra import")
    undo.select(report.batch_id)
    next(button for button in app.button if button.label == "Ångra").click().run()
    assert not app.exception
    assert summary(engine)["activities"] == 0
    assert "Import 1 är ångrad." in [element.value for element in app.success]


def test_chosen_filters_are_written_to_the_link_as_codes(demo_url):
    app = open_page("overview")
    app.multiselect(key="sektor").select("civil_society").run()
    app.selectbox(key="lan").select("Norrbotten").run()
    app.segmented_control(key="lang").set_value("en").run()
    assert not app.exception
    assert app.query_params["sektor"] == "civil_society"
    assert app.query_params["lan"] == "Norrbotten"
    assert app.query_params["lang"] == "en"
    assert app.title[0].value == "Overview"


def test_a_link_that_cannot_be_read_falls_back_to_the_defaults(demo_url):
    app = open_page("coverage", lan="Stockholm", fran="igår", sektor="okänd", vy="3d")
    assert app.selectbox(key="lan").value is None
    assert app.multiselect(key="sektor").value == []
    assert app.segmented_control(key="vy").value == "map"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_takes_every_filter(demo_url, page):
    app = open_page(page, fran="2025-01-01", till="2025-06-30", lan="Västerbotten", kommun="2480",
                    sektor="civil_society", projekt="SESIN")
    assert app.multiselect(key="kommun").value == ["2480"]
    assert app.multiselect(key="projekt").value == ["SESIN"]


def test_the_register_searches_without_accents(demo_url):
    app = open_page("organisations", sok="radda barnen")
    register = app.dataframe[0].value
    assert register["Organisation"].tolist() == ["Rädda Barnen Västerbotten"]


def test_the_presentation_moves_slide_by_slide_and_keeps_its_place_in_the_link(demo_url):
    app = open_page("presentation")
    assert app.title[0].value == "Översikt"
    assert app.markdown[0].value == "Bild 1 av 10"
    previous, following = app.button
    assert previous.disabled and not following.disabled
    following.click().run()
    assert app.title[0].value.endswith("per månad") and app.query_params["bild"] == "2"
    assert len(app.get("plotly_chart")) == 1
    assert "Diagrammet i text:" in app.caption[0].value
    app.button[0].click().run()
    assert app.title[0].value == "Översikt"


def test_the_presentation_opens_on_the_slide_in_the_link_with_the_filters(demo_url):
    app = open_page("presentation", bild="9", lan="Norrbotten")
    assert app.title[0].value.startswith("Flest aktiviteter på")
    app.button[1].click().run()  # the last slide: the agreements
    assert app.query_params["bild"] == "10" and app.button[1].disabled
    assert [button.label for button in app.get("download_button")] == [
        "Ladda ner presentationen (PowerPoint)", "Ladda ner rapporten (Excel)"]


def test_merging_asks_for_a_check_and_shows_the_register_after(store_url, engine_at):
    from civsam.importer import import_file
    import_file(engine_at(store_url), activity_log(["2025-03-04", "Rädda Barnen", "ideell", "Umeå"],
                                                   ["2025-03-05", "Rädda barnen VB", "ideell", "Umeå"]), "logg.xlsx")
    app = open_page("organisations")
    keep, remove = (box for box in app.selectbox if box.label in ("Behåll", "Slå ihop med (tas bort)"))
    ids = {name: oid for oid, name in zip(range(1, 3), ["Rädda Barnen", "Rädda barnen VB"], strict=True)}
    keep.set_value(ids["Rädda Barnen"])
    remove.set_value(ids["Rädda barnen VB"])
    app.button[0].click().run()  # not yet checked: nothing happens
    assert len(app.dataframe[0].value) == 2
    app.checkbox[0].check()
    app.button[0].click().run()
    assert not app.exception
    assert app.dataframe[0].value["Organisation"].tolist() == ["Rädda Barnen"]
    assert "Rädda barnen VB är sammanslagen med Rädda Barnen" in app.success[0].value


def test_the_import_page_shows_the_audit_log(store_url, engine_at):
    from civsam.importer import import_file
    import_file(engine_at(store_url), activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx",
                user="samordnare")
    app = open_page("import")
    log = app.dataframe[1].value
    assert log["Användare"].tolist() == ["samordnare"] and log["Åtgärd"].tolist() == ["import"]


@pytest.mark.parametrize("page", ["import", "organisations"])
def test_pages_that_change_the_store_say_editing_is_open(demo_url, page):
    assert any(w.value.startswith("Redigering är öppen") for w in open_page(page).warning)
