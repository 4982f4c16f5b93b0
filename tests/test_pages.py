"""Each page through Streamlit's AppTest, run by the frame (dashboard.py) as a user would reach it:
on an empty store, on the demo store, with filters and language taken from the link, and as a viewer or
a coordinator signed in."""

import datetime as dt
import re

import pytest
import streamlit as st
from conftest import DEMO_TODAY, activity_log, workbook_bytes
from pages_support import ROOT, open_data, open_page, shown, sign_in, texts
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")
PAGES = ("overview", "frequency", "coverage", "resources", "agreements", "organisations", "network", "import")


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
    ("network", "Nätverk"), ("import", "Import"),
])
def test_every_page_opens_on_the_demo_store(demo_url, page, title):
    app = open_page(page)
    assert app.title[0].value == title
    assert "Databasen innehåller demodata" in texts(app)


@pytest.mark.parametrize("page", ["overview", "frequency", "coverage", "resources", "agreements", "network"])
def test_every_chart_has_a_finding_a_text_alternative_and_its_data(demo_url, page):
    app = open_page(page)
    charts = app.get("plotly_chart")
    assert charts, "no chart drawn"
    captions = [c.value for c in app.caption if c.value.startswith("Diagrammet i text:")]
    assert len(captions) == len(charts)
    assert len([e for e in app.expander if e.label == "Visa data"]) == len(charts)
    chart_keys = [chart.proto.id.rsplit("-chart_", 1)[1] for chart in charts]
    assert not {key for key in downloads(app) if key.endswith(tuple(chart_keys))}, "built only once opened"
    open_data(app, *chart_keys)
    for key in chart_keys:  # the table, and the table and the chart to download
        assert {f"{kind}_{key}" for kind in ("csv", "xlsx", "png", "svg")} <= downloads(app)
    assert len(app.dataframe) >= len(charts)


def downloads(app) -> set[str]:
    """The keys of the page's download buttons."""
    return {button.proto.id.rsplit("-", 1)[1] for button in app.get("download_button")}


def test_the_overview_summarises_in_words(demo_url):
    app = open_page("overview")
    summary = app.markdown[0].value
    assert summary.startswith("**Under 2025 hade regionen") and "av 29 kommuner" in summary
    assert [m.label for m in app.metric] == ["Aktiviteter", "Organisationer nådda", "Kommuner av 29", "Arbetstimmar",
                                             "Med barn och unga"]
    assert app.metric[4].proto.delta_description == "av alla aktiviteter"  # the summary's share is civil society's
    side_by_side = app.dataframe[0].value
    assert list(side_by_side.columns) == ["", "Civilsamhälle", "Näringsliv", "Näringslivet / civilsamhället"]


def test_filters_come_from_the_link(demo_url):
    app = open_page("coverage", lan="Norrbotten", fran="2025-01-01", till="2025-12-31")
    assert app.selectbox(key="lan").value == "Norrbotten"
    assert app.date_input(key="fran").value == dt.date(2025, 1, 1)
    county_table = app.get("plotly_chart")
    assert county_table
    assert "av 14 kommuner" in app.subheader[0].value or "Alla 14 kommuner" in app.subheader[0].value


def test_with_one_county_chosen_the_municipalities_are_counted_against_its_own(demo_url):
    app = open_page("overview", lan="Norrbotten")
    assert app.metric[2].label == "Kommuner av 14"
    assert "av 14 kommuner" in app.markdown[0].value
    assert app.dataframe[0].value.iloc[2, 0] == "Kommuner av 14"


def test_a_sector_filter_changes_the_figures(demo_url):
    everything = open_page("overview").metric[0].value
    st.cache_data.clear()
    civil = open_page("overview", sektor="civil_society").metric[0].value
    assert int(civil.replace("\u00a0", "")) < int(everything.replace("\u00a0", ""))


def test_a_period_without_activities_says_so(demo_url):
    app = open_page("frequency", fran="2030-01-01", till="2030-12-31")
    assert "Inga aktiviteter i det valda urvalet" in texts(app)


def test_the_network_shows_as_many_organisations_as_the_link_asks_and_keeps_a_new_choice(demo_url):
    app = open_data(open_page("network", antal="5"), "network")
    assert app.number_input(key="antal").value == 5
    assert len(app.dataframe[0].value) == 5  # the table under "Visa data": the five most active
    app.number_input(key="antal").set_value(10).run()
    assert not app.exception
    assert app.query_params["antal"] == "10" and len(app.dataframe[0].value) == 10


def test_the_network_of_a_period_without_activities_says_so(demo_url):
    app = open_page("network", fran="2030-01-01", till="2030-12-31")
    assert "Inga aktiviteter i det valda urvalet" in texts(app)
    assert not app.get("plotly_chart")


def test_english_is_a_switch(demo_url):
    app = open_page("resources", lang="en")
    assert app.title[0].value == "Resource gap"
    assert "demo data" in texts(app)


def test_a_segmented_control_found_unset_takes_its_default(demo_url):
    """Streamlit types a required segmented control V | None: a loaded browser once sent a run with the language
    and the frequency's unit unset, and the month names of language None failed."""
    app = open_page("frequency")
    for key in ("lang", "per"):
        app.session_state[key] = None
    app.run()
    assert not app.exception and app.title[0].value == "Mötesfrekvens"


def test_the_import_page_lists_imports_and_undoes_one(store_url, engine_at):
    from civsam.importing import import_file
    from civsam.totals import summary
    engine = engine_at(store_url)
    report = import_file(engine, activity_log(["2025-03-04", "Samforma", "civilsamhälle", "Umeå"]), "logg.xlsx")
    app = open_page("import")
    assert app.title[0].value == "Import"
    history = app.dataframe[0].value
    assert history["Fil"].tolist() == ["logg.xlsx"] and history["Nya"].tolist() == [1]
    undo = next(box for box in app.selectbox if box.label == "Ångra import")
    assert undo.options == [f"1: logg.xlsx ({history['Tid'][0]}, 1 rad)"]
    undo.select(report.batch_id)
    next(button for button in app.button if button.label == "Ångra").click().run()
    assert any("Kryssa i rutan" in warning.value for warning in app.warning)
    assert summary(engine)["activities"] == 1  # not without the tick
    app.checkbox[0].check()
    next(button for button in app.button if button.label == "Ångra").click().run()
    assert not app.exception
    assert summary(engine)["activities"] == 0
    assert "Import 1 är ångrad." in [element.value for element in app.success]
    assert not [box for box in app.selectbox if box.label == "Ångra import"]  # nothing left to undo


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
    assert register["Organisation"].tolist() == ["organisation?org=R%C3%A4dda%20Barnen%20V%C3%A4sterbotten"
                                                 "#Rädda Barnen Västerbotten"]  # a link to its profile
    assert "Första och senaste kontakt och antalet aktiviteter gäller perioden 2025-01-01 – 2025-12-31" in texts(app)


def test_the_presentation_moves_slide_by_slide_and_keeps_its_place_in_the_link(demo_url):
    app = open_page("presentation")
    assert app.title[0].value == "Översikt"
    assert app.markdown[0].value == "Bild 1 av 11"
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
    app.button[1].click().run()  # the agreements
    assert app.query_params["bild"] == "10" and not app.button[1].disabled
    app.button[1].click().run()  # the last slide: the partners' view
    assert app.query_params["bild"] == "11" and app.button[1].disabled
    assert [button.label for button in app.get("download_button")] == [
        "Ladda ner presentationen (PowerPoint)", "Ladda ner rapporten (Excel)"]


def test_merging_asks_for_a_check_and_shows_the_register_after(store_url, engine_at):
    from civsam.importing import import_file
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
    assert app.dataframe[0].value["Organisation"].tolist() == ["organisation?org=R%C3%A4dda%20Barnen#Rädda Barnen"]
    assert "Rädda barnen VB är sammanslagen med Rädda Barnen" in app.success[0].value


def test_the_import_page_shows_the_audit_log(store_url, engine_at):
    from civsam.importing import import_file
    import_file(engine_at(store_url), activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx",
                user="samordnare")
    app = open_page("import")
    log = app.dataframe[1].value
    assert log["Användare"].tolist() == ["samordnare"] and log["Åtgärd"].tolist() == ["import"]


@pytest.mark.parametrize("page", ["import", "organisations"])
def test_pages_that_change_the_store_say_editing_is_open(demo_url, page):
    assert any(w.value.startswith("Redigering är öppen") for w in open_page(page).warning)


# --- roles: who may edit, who sees names --------------------------------------------------------------------

SINGLE_SIGN_ON = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "civsam", "client_secret": "y",
                           "server_metadata_url": "https://login.example/.well-known/openid-configuration"},
                  "civsam": {"coordinators": ["anna@region.se"]}}


def can_edit(app: AppTest) -> bool:
    labels = {button.label for button in app.button}
    return bool(app.get("file_uploader")) or bool(labels & {"Ångra", "Slå ihop", "Ta bort demodata"})


def test_an_anonymous_viewer_sees_no_upload_and_how_to_sign_in(demo_url, accounts):
    app = open_page("import", secrets=accounts)
    assert not can_edit(app)
    assert any("kräver rollen samordnare" in note.value and "Inloggning i sidopanelen" in note.value
               for note in app.info)
    assert not any(w.value.startswith("Redigering är öppen") for w in app.warning)
    assert {"Användare", "Fil"}.isdisjoint(app.dataframe[0].value.columns)  # names of persons, in files too
    assert not [e for e in app.expander if e.label.startswith("Granskningslogg")]
    assert app.text_input(key="sign_in_password").proto.type == app.text_input(key="sign_in_password").proto.PASSWORD


@pytest.mark.parametrize("name, password, shown", [(None, None, False), ("Anna", "annas lösen", True)])
def test_organisation_numbers_are_shown_to_coordinators_only(demo_url, accounts, name, password, shown):
    """A sole trader's organisation number is their personal identity number."""
    app = open_page("organisations", secrets=accounts)
    if name:
        app = sign_in(app, name, password)
    assert ("Organisationsnummer" in app.dataframe[0].value.columns) == shown


def test_the_message_follows_the_language_switch(demo_url, accounts):
    app = open_page("organisations", secrets=accounts, lang="en")
    assert any("need the coordinator role" in note.value for note in app.info)
    assert not can_edit(app)


def test_a_coordinator_who_signs_in_may_edit_and_is_named_in_the_audit_log(demo_url, accounts, engine_at):
    from civsam.audit import entries
    app = sign_in(open_page("import", secrets=accounts), "Anna", "annas lösen")
    assert app.get("file_uploader") and "Inloggad som anna (samordnare)." in shown(app)
    assert "Användare" in app.dataframe[0].value.columns
    assert [e for e in app.expander if e.label.startswith("Granskningslogg")]
    next(box for box in app.selectbox if box.label == "Ångra import").select(1)
    app.checkbox[0].check()
    next(button for button in app.button if button.label == "Ångra").click().run()
    assert entries(engine_at(demo_url)).iloc[0][["action", "user"]].tolist() == ["undo", "anna"]
    next(button for button in app.button if button.label == "Logga ut").click().run()
    assert not can_edit(app)


def test_removing_the_demo_data_names_the_signed_in_coordinator_in_the_audit_log(demo_url, accounts, engine_at):
    from civsam.audit import entries
    app = sign_in(open_page("import", secrets=accounts), "Anna", "annas lösen")
    next(button for button in app.button if button.label == "Ta bort demodata").click().run()
    assert entries(engine_at(demo_url)).iloc[0][["action", "user"]].tolist() == ["undo", "anna"]


@pytest.mark.parametrize("name, password, message", [
    ("anna", "fel lösen", "Fel användarnamn eller lösenord."),
    ("olle", "olles lösen", "Du är inloggad utan rollen samordnare"),
])
def test_a_wrong_password_or_a_viewer_account_may_not_edit(demo_url, accounts, name, password, message):
    app = sign_in(open_page("import", secrets=accounts), name, password)
    assert not can_edit(app)
    assert message in " ".join(element.value for element in (*app.error, *app.info))


@pytest.mark.parametrize("email, coordinator", [("Anna@Region.se", True), ("olle@region.se", False)])
def test_single_sign_on_gives_the_listed_coordinators_their_role(demo_url, email, coordinator):
    app = open_page("organisations", secrets=SINGLE_SIGN_ON, user={"is_logged_in": True, "email": email})
    assert can_edit(app) == coordinator
    assert f"Inloggad som {email}" in shown(app)


def test_single_sign_on_offers_the_regions_sign_in(demo_url):
    app = open_page("import", secrets=SINGLE_SIGN_ON, user={"is_logged_in": False})
    assert "Logga in med regionens konto" in [button.label for button in app.button]
    assert not can_edit(app)


@pytest.mark.parametrize("page", PAGES + ("presentation",))
def test_a_viewer_never_sees_a_persons_name(demo_url, accounts, page):
    from civsam.demo import PEOPLE
    seen = shown(open_page(page, secrets=accounts))
    assert not [name for name in PEOPLE if name in seen]


def test_a_coordinator_sees_who_is_responsible_for_an_agreement(demo_url, accounts):
    app = sign_in(open_page("agreements", secrets=accounts), "anna", "annas lösen")
    agreements = next(frame.value for frame in app.dataframe if "Avtal" in frame.value.columns
                      and "Undertecknat" in frame.value.columns)
    assert "Sara Demo" in agreements["Ansvarig"].tolist()


def test_on_a_laptop_demo_everyone_counts_as_coordinator_and_is_told_so(demo_url):
    app = open_page("agreements")
    agreements = next(frame.value for frame in app.dataframe if "Undertecknat" in frame.value.columns)
    assert "Sara Demo" in agreements["Ansvarig"].tolist()
    assert any("räknas som samordnare" in w.value for w in open_page("import").warning)


def test_required_sign_in_shows_only_the_sign_in(demo_url, accounts, monkeypatch):
    monkeypatch.setenv("CIVSAM_REQUIRE_LOGIN", "1")
    app = open_page(secrets=accounts)
    assert app.title[0].value == "Logga in till civsam"
    assert not app.dataframe and not app.get("plotly_chart") and not app.metric and not app.multiselect
    assert "visas bara för inloggade" in app.info[0].value
    sign_in(app, "olle", "olles lösen")  # a viewer may view
    assert app.title[0].value == "Översikt" and app.metric


def test_required_sign_in_without_a_way_to_sign_in_shows_nothing(demo_url, monkeypatch):
    monkeypatch.setenv("CIVSAM_REQUIRE_LOGIN", "1")
    app = open_page()
    assert "ingen inloggning är inställd" in app.error[0].value
    assert not app.dataframe and not app.metric


def test_an_empty_store_offers_demo_data_only_to_those_who_may_import(store_url, accounts):
    assert not [button for button in open_page(secrets=accounts).button if button.label == "Fyll med demodata"]


# --- downloads are recorded -----------------------------------------------------------------------------------

def test_a_download_is_recorded_with_who_and_what_when_it_is_made(demo_url, accounts, deferred_downloads,
                                                                   engine_at):
    from civsam.audit import entries
    engine = engine_at(demo_url)
    app = sign_in(open_page("overview", secrets=accounts, fran="2025-01-01", till="2025-12-31"), "anna", "annas lösen")
    open_data(app, "sector_comparison")
    assert "export" not in entries(engine)["action"].tolist()  # drawing the buttons records nothing
    assert deferred_downloads["sector_comparison.csv"]()  # what a click does: the file is made …
    exported = entries(engine).iloc[0]  # … and recorded
    assert (exported["action"], exported["user"]) == ("export", "anna")
    assert exported["detail"].startswith("sector_comparison.csv (webben): 2025-01-01 – 2025-12-31")


def test_the_deck_and_the_report_downloads_are_recorded(demo_url, deferred_downloads, engine_at):
    from civsam.audit import entries
    open_page("presentation")
    deferred_downloads["civsam.xlsx"]()
    exported = entries(engine_at(demo_url)).iloc[0]
    assert (exported["action"], exported["user"]) == ("export", "webb") and "civsam.xlsx" in exported["detail"]


def test_under_a_place_filter_a_partner_met_only_elsewhere_is_not_called_never_met(demo_url):
    app = open_page("frequency", kommun="2418", manader="60")  # Malå
    dormant = next(frame.value for frame in app.dataframe if "Senaste kontakt" in frame.value.columns)
    assert "ingen i urvalet" in set(dormant["Senaste kontakt"]) and "aldrig" not in set(dormant["Senaste kontakt"])


# --- periods: presets, the comparison, dates out of range -------------------------------------------------------

@pytest.mark.parametrize("page", ["overview", "frequency", "presentation"])
@pytest.mark.parametrize("link", [{"fran": "0001-01-01"}, {"till": "9999-12-31"}], ids=["year 1", "year 9999"])
def test_a_date_out_of_range_in_the_link_gets_a_note_and_the_default_period(demo_url, page, link):
    app = open_page(page, **link)
    assert any("kunde inte läsas" in warning.value for warning in app.warning)
    assert (app.date_input(key="fran").value, app.date_input(key="till").value) == (dt.date(2025, 1, 1), DEMO_TODAY)


def test_without_a_period_in_the_link_the_last_12_months_up_to_today_are_shown(demo_url):
    app = open_page("overview")
    assert app.selectbox(key="period").value == "12m"
    assert (app.date_input(key="fran").value, app.date_input(key="till").value) == (dt.date(2025, 1, 1), DEMO_TODAY)
    assert app.query_params["period"] == "12m" and "fran" not in app.query_params


def test_a_tertial_in_the_link_is_compared_with_the_same_tertial_last_year(demo_url):
    app = open_page("overview", period="2025T2")
    assert app.selectbox(key="period").value == "2025T2"
    assert app.date_input(key="fran").value == dt.date(2025, 5, 1)
    assert app.date_input(key="till").value == dt.date(2025, 8, 31)
    assert app.radio(key="jamfor").value == "fjol"
    assert "jämfört med samma period i fjol (2024-05-01 – 2024-08-31)" in texts(app)
    app.radio(key="jamfor").set_value("fore").run()
    assert "jämfört med perioden före (2025-01-01 – 2025-04-30)" in texts(app)
    assert app.query_params["jamfor"] == "fore"


def test_choosing_a_preset_sets_the_dates_and_typing_a_date_makes_the_period_custom(demo_url):
    app = open_page("overview")
    app.selectbox(key="period").select("2025K3").run()
    assert (app.date_input(key="fran").value, app.date_input(key="till").value) == (dt.date(2025, 7, 1),
                                                                                    dt.date(2025, 9, 30))
    assert app.query_params["period"] == "2025K3" and "jamfor" not in app.query_params
    app.date_input(key="till").set_value(dt.date(2025, 10, 15)).run()
    assert not app.exception
    assert app.selectbox(key="period").value == "custom"
    assert "period" not in app.query_params
    assert (app.query_params["fran"], app.query_params["till"]) == ("2025-07-01", "2025-10-15")
    assert app.radio(key="jamfor").value == "fore"
    assert "jämfört med perioden före (2025-03-16 – 2025-06-30)" in texts(app)


def test_dates_in_the_link_of_a_whole_tertial_show_as_that_tertial(demo_url):
    app = open_page("overview", fran="2025-09-01", till="2025-12-31")
    assert app.selectbox(key="period").value == "2025T3"


@pytest.mark.parametrize("link", [{"period": "2025T9"}, {"fran": "2025-02-30"}], ids=["no tertial", "no date"])
def test_a_period_in_the_link_that_cannot_be_read_gets_a_note_until_a_period_is_chosen(demo_url, link):
    app = open_page("overview", **link)
    assert any("kunde inte läsas" in warning.value for warning in app.warning)
    assert app.selectbox(key="period").value == "12m"
    app.selectbox(key="period").select("2025").run()
    assert not [warning for warning in app.warning if "kunde inte läsas" in warning.value]


def test_the_activity_type_filter_counts_only_that_type_and_lives_in_the_link(demo_url):
    everything = open_page("overview").metric[0].value
    st.cache_data.clear()
    app = open_page("overview", aktivitetstyp="Möte")
    assert app.multiselect(key="aktivitetstyp").value == ["Möte"]
    assert 0 < int(app.metric[0].value.replace("\u00a0", "")) < int(everything.replace("\u00a0", ""))
    app.multiselect(key="aktivitetstyp").select("Dialog").run()
    assert app.query_params["aktivitetstyp"] == ["Möte", "Dialog"]


@pytest.mark.parametrize("page", PAGES)
def test_every_empty_choice_says_in_swedish_what_to_choose(demo_url, page):
    """Streamlit's own words are English ("Choose an option", "Select all"): every selectbox that starts empty
    and every multiselect has a placeholder of ours, and no multiselect offers "Select all"."""
    from civsam.i18n import TEXTS

    app = open_page(page)
    empty_at_first = [box for box in app.selectbox if not box.proto.HasField("default")]
    assert all(box.proto.placeholder in TEXTS["sv"].values() for box in [*empty_at_first, *app.multiselect])
    assert [box.proto.select_all for box in app.multiselect] == [0] * len(app.multiselect)


def test_the_merge_and_the_search_ask_in_swedish(demo_url):
    app = open_page("organisations")
    assert [box.proto.placeholder for box in app.selectbox if box.label in ("Behåll", "Slå ihop med (tas bort)")] == [
        "Välj organisation", "Välj organisation"]
    assert app.text_input(key="sok").placeholder == "Namn eller en del av namnet"


def upload(app: AppTest, content: bytes) -> AppTest:
    app.file_uploader[0].set_value(("logg.xlsx", content, "application/vnd.ms-excel")).run()
    assert not app.exception, app.exception
    return app


def rejected_list(app: AppTest) -> list[str]:
    """The items of the list of rejected cells, as Markdown."""
    (listing,) = [block.value for block in app.markdown if block.value.startswith("- **")]
    return listing.split("\n- ")


def test_a_rejected_row_shows_its_whole_message_and_its_text_as_typed(store_url, engine_at):
    from civsam.importing import import_file
    from civsam.ui.widgets import plain

    log = activity_log(["2025-03-04", "[Ny förening](http://exempel.se)", "", "Umeå"],
                       ["2025-03-05", "Samforma", "civilsamhälle", "Umeåå"])
    missing_sector, misspelt = import_file(engine_at(store_url), log, "logg.xlsx", dry_run=True).rejected
    assert "Menar du Umeå?" in misspelt.message and len(misspelt.message) > 80
    items = rejected_list(upload(open_page("import"), log))
    assert items == [f"- **Aktiviteter rad 2, Sektor:** \\(tom\\)  \n  {plain(missing_sector.message)}",
                     f"**Aktiviteter rad 3, Kommun:** ”Umeåå”  \n  {plain(misspelt.message)}"]
    assert "\\[Ny förening\\]\\(http:\u2060\\/\\/exempel.se\\)" in items[0]  # shown as typed, never a link


def test_a_long_list_of_rejected_rows_shows_fifty_and_downloads_whole(store_url):
    app = upload(open_page("import"), activity_log(*[["2025-03-04", "Samforma", "civilsamhälle", "Umeåå"]] * 60))
    assert len(rejected_list(app)) == 50
    assert "Här visas de 50 första av 60. Ladda ner hela listan nedan." in shown(app)
    assert {"Ladda ner CSV", "Ladda ner Excel"} <= {button.label for button in app.get("download_button")}


def test_the_upload_names_the_partners_an_agreement_adds_to_the_register(store_url):
    avtal = workbook_bytes({"Avtal": [["Namn", "Typ", "Part", "Undertecknat"],
                                      ["IOP [Youth](http://x.se)", "IOP", "[Youth](http://x.se)", "2024-03-15"]]})
    (info,) = [box.value for box in upload(open_page("import"), avtal).info if "Nya organisationer" in box.value]
    assert info == ("Nya organisationer från Avtal: \\[Youth\\]\\(http:\u2060\\/\\/x.se\\) (civilsamhälle). Stämmer "
                    "inte en sektor, rätta den på bladet Organisationer och importera igen.")


def test_the_upload_says_in_swedish_what_it_takes(store_url):
    (uploader,) = open_page("import").file_uploader
    assert (uploader.label, uploader.help) == ("Välj fil (högst 25 MB)",
                                               "Dra filen till rutan, eller klicka på knappen i rutan och välj filen.")


# --- typed text stays text ----------------------------------------------------------------------------------------

URL_NAMED, WWW_NAMED, MAIL_NAMED = "https://evil.example/login", "Besök www.evil.example", "support@evil.example"
HOSTILE_FILE = ":red[R]![i](http://127.0.0.1:9/fn.png)[x](https://evil.example/a) $$x^2$$.xlsx"
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markup_in(body: str) -> list[str]:
    """What Streamlit's Markdown would make of `body` other than text: link, image and LaTeX marks left unescaped,
    and in the text its escapes leave, the bare addresses remark-gfm links and the :colour[…], :icon: and :emoji:
    marks Streamlit draws."""
    found = re.findall(r"(?<!\\)(?:!?\[|\]\(|\$)", body)
    text = MARKDOWN_ESCAPE.sub(r"\1", body)
    return found + re.findall(r"(?i)https?://|www(?=\.)|[-.\w+]+@[-\w]+(?:\.[-\w]+)+|:[a-z][\w-]*[\[/:]", text)


def markdown_bodies(app: AppTest) -> list[str]:
    return [element.value for kind in (app.title, app.subheader, app.markdown, app.caption, app.info, app.warning,
                                       app.error, app.success) for element in kind]


@pytest.fixture
def hostile_url(store_url, engine_at):
    """A store whose partners a hostile user named as a web address, a www address and an e-mail address."""
    from civsam.importing import import_file
    named = [URL_NAMED] * 3 + [WWW_NAMED] * 2 + [MAIL_NAMED]
    log = activity_log(*[[f"2025-03-{day:02}", name, "ideell", "Umeå"] for day, name in enumerate(named, start=1)])
    assert import_file(engine_at(store_url), log, "logg.xlsx").imported == 6
    return store_url


@pytest.mark.parametrize("typed", [URL_NAMED, WWW_NAMED, MAIL_NAMED, HOSTILE_FILE, "[klick](http://x.se)",
                                   ":material/home: :smile: 10:30"])
def test_plain_text_has_no_markup_streamlit_would_draw(typed):
    from civsam.ui.widgets import plain
    assert markup_in(typed)
    assert markup_in(plain(typed)) == []
    assert MARKDOWN_ESCAPE.sub(r"\1", plain(typed)).replace("\u2060", "") == typed  # shown as typed


def test_a_name_like_an_address_is_no_link_in_headings_and_text_alternatives(hostile_url):
    app = open_page("frequency")
    partners = next(heading.value for heading in app.subheader if "evil" in heading.value)
    assert "https" in partners and "evil.example" in partners  # the name is shown, as typed
    bodies = markdown_bodies(app)
    assert any("support" in body and "www" in body for body in bodies)  # the text alternative names them all
    assert {body: markup_in(body) for body in bodies if markup_in(body)} == {}


def test_a_name_like_an_address_is_no_link_on_a_slide(hostile_url):
    app = open_page("presentation", bild="8")
    assert "evil.example" in app.title[0].value
    assert {body: markup_in(body) for body in markdown_bodies(app) if markup_in(body)} == {}


def test_an_uploaded_files_name_and_ignored_headers_are_shown_as_typed(store_url):
    app = open_page("import")
    log = activity_log(["2025-03-04", "Samforma", "ideell", "Umeå", "", ""],
                       header=["Datum", "Organisation", "Sektor", "Kommun", "Se www.evil.example", ":red[x] a@b.se"])
    app.get("file_uploader")[0].set_value((HOSTILE_FILE, log, "application/octet-stream")).run()
    assert not app.exception
    heading = app.subheader[0].value
    assert "Kontroll av" in heading and "fn.png" in heading
    assert any("Kolumner som inte används" in caption.value for caption in app.caption)
    assert {body: markup_in(body) for body in markdown_bodies(app) if markup_in(body)} == {}



def test_a_period_opened_from_the_chart_data_narrows_the_list(demo_url):
    """A click on a bar cannot be made in AppTest (it has no plotly chart to click); the same drill-down from the
    keyboard, under "Visa data", can: it opens the list on that quarter, the sidebar saying so. Going back is
    tested in the browser (tests/browser/test_drill.py)."""
    app = open_data(open_page("frequency", per="quarter"), "frequency")
    app.selectbox(key="drill_frequency").select("kv. 2 2025").run()
    app.button(key="drill_open_frequency").click().run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Aktiviteter"
    assert app.query_params["period"] == "2025K2" and "per" not in app.query_params  # the chart's own choice stays
    assert (app.selectbox(key="period").value, app.date_input(key="fran").value) == ("2025K2", dt.date(2025, 4, 1))
    assert "Tillbaka till diagrammet" in [button.label for button in app.button]
