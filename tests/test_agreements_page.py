"""Avtal och uppföljning through Streamlit's AppTest, run by the frame as a user reaches it: the demo store's
agreements, late commitments standing out, the follow-up text, the agreement and filters in the link, a
period without activity, English, and a store without agreements."""

import pytest
from conftest import activity_log
from pages_support import open_page, texts

from civsam.agreements import agreement_commitments

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")

DEMO_AGREEMENTS = ["Avsiktsförklaring Samforma (demo)", "Avsiktsförklaring Youth Up North (demo)",
                   "Överenskommelse Norrbotten (demo)"]


def agreements_table(app):
    return next(frame.value for frame in app.dataframe if "Undertecknat" in frame.value.columns)


def progress_table(app):
    return next(frame.value for frame in app.dataframe if "Förfaller snart" in frame.value.columns)


def follow_up(app) -> str:
    """The follow-up text, its section opened as a click does (the page reruns)."""
    app.session_state["follow_up_text"] = True
    app.run()
    assert not app.exception, app.exception
    return app.code[0].value


def test_every_agreement_with_its_commitments_and_activities(demo_url):
    app = open_page("agreements")
    assert app.title[0].value == "Avtal och uppföljning"
    agreements, progress = agreements_table(app), progress_table(app)
    assert agreements["Avtal"].tolist() == progress["Avtal"].tolist() == DEMO_AGREEMENTS
    assert progress["Åtaganden"].tolist() == [5, 4, 4]
    assert (progress["Aktiviteter"] > 0).all()
    assert agreements["Parter"].tolist() == ["Samforma", "Youth Up North", "Coompanion Norrbotten; Region Norrbotten"]
    assert [chart.value for chart in app.subheader if "flest aktiviteter" in chart.value]
    assert app.get("plotly_chart")


def test_late_commitments_stand_out_and_count_as_late_whatever_was_typed(demo_url, engine_at):
    app = open_page("agreements")
    (warning,) = app.warning
    assert warning.value.startswith("Försenade åtaganden: ")
    *attention, every = (frame.value for frame in app.dataframe if "Status" in frame.value.columns)  # all: the last
    assert len(every) == len(agreement_commitments(engine_at(demo_url))) > len(attention[0])
    late_by_the_rule = every[every["Status"].str.startswith("Försenat (registrerad: ")]  # e.g. "… Pågår)"
    assert len(late_by_the_rule) and late_by_the_rule["Att notera"].str.startswith("Försenat sedan").all()
    assert "Klart" in every["Status"].tolist() and not every["Status"].str.contains("registrerad: Klart").any()


def test_the_follow_up_is_ready_to_copy(demo_url):
    app = open_page("agreements")
    assert app.selectbox(key="avtal").value == DEMO_AGREEMENTS[0]
    assert not app.code  # written once its section is opened
    text = follow_up(app)
    assert text.startswith("Under 2025 genomfördes ") and "inom avsiktsförklaringen med Samforma; " in text
    assert "av 5 åtaganden är genomförda" in text and "Senaste aktivitet: 2025-" in text


def test_the_chosen_agreement_lives_in_the_link(demo_url):
    app = open_page("agreements", avtal="Överenskommelse Norrbotten (demo)")
    assert app.selectbox(key="avtal").value == "Överenskommelse Norrbotten (demo)"
    assert "inom överenskommelsen med Coompanion Norrbotten och Region Norrbotten" in follow_up(app)
    app.selectbox(key="avtal").select("Avsiktsförklaring Youth Up North (demo)").run()
    assert not app.exception
    assert app.query_params["avtal"] == "Avsiktsförklaring Youth Up North (demo)"
    assert "med Youth Up North" in follow_up(app)


def test_an_unknown_agreement_in_the_link_falls_back_to_the_first(demo_url):
    app = open_page("agreements", avtal="Avtal som inte finns")
    assert app.selectbox(key="avtal").value == DEMO_AGREEMENTS[0]


def test_the_period_chooses_the_activities(demo_url):
    app = open_page("agreements", fran="2025-01-01", till="2025-06-30")
    assert follow_up(app).startswith("Under perioden 2025-01-01 – 2025-06-30 genomfördes ")


def test_a_period_without_activity_says_so(demo_url):
    app = open_page("agreements", fran="2030-01-01", till="2030-12-31")
    assert "Inga aktiviteter kopplade till något avtal under perioden" in texts(app)
    assert follow_up(app).startswith("Under 2030 genomfördes inga aktiviteter inom avsiktsförklaringen")
    assert progress_table(app)["Aktiviteter"].tolist() == [0, 0, 0]


def test_filters_that_leave_nothing_still_draw_the_page(demo_url):
    app = open_page("agreements", lan="Norrbotten", kommun="2580", sektor="academia", projekt="SESIN")
    assert app.get("plotly_chart") and follow_up(app)


def test_english_is_a_switch(demo_url):
    app = open_page("agreements", lang="en")
    assert app.title[0].value == "Agreements and follow-up"
    assert app.warning[0].value.startswith("Late commitments: ")
    assert follow_up(app).startswith("In 2025, ")
    assert "under the declaration of intent with Samforma" in follow_up(app)
    assert "Undertecknat" not in {column for frame in app.dataframe for column in frame.value.columns}


def test_a_store_without_agreements_says_how_to_add_them(store_url, engine_at):
    from civsam.importing import import_file

    import_file(engine_at(store_url), activity_log(["2025-03-04", "Samforma", "civilsamhälle", "Umeå"]), "logg.xlsx")
    app = open_page("agreements")
    assert "Inga avtal är registrerade än" in texts(app)
    assert not app.get("plotly_chart")


def test_the_measures_for_stratsys_download_for_the_period_and_county_and_are_recorded(
        demo_url, engine_at, deferred_downloads, tmp_path, monkeypatch):
    import datetime as dt

    from civsam import stratsys
    from civsam.audit import entries
    from civsam.filters import Filters

    monkeypatch.setenv("CIVSAM_STRATSYS_FILE", str(tmp_path / "stratsys.toml"))
    (tmp_path / "stratsys.toml").write_text('unit = "Regionala utvecklingsnämnden"', encoding="utf-8")
    app = open_page("agreements", period="2025T2", lan="Norrbotten", sektor="academia")
    (button,) = [button for button in app.get("download_button") if button.label == "Mått för Stratsys (.txt)"]
    engine = engine_at(demo_url)
    assert "export" not in entries(engine)["action"].tolist()  # drawing the button records nothing
    period = Filters(dt.date(2025, 5, 1), dt.date(2025, 8, 31), "Norrbotten")  # the sector does not narrow a measure
    content = deferred_downloads["stratsys_2025-08-31.txt"]()  # what a click does
    assert content == stratsys.measure_file(stratsys.measure_values(engine, period),
                                            stratsys.load_settings(), period.end)
    assert content.decode("utf-8-sig").startswith("Regionala utvecklingsnämnden\t2025-08-31\tAktiviteter med ")
    assert entries(engine).iloc[0]["detail"] == ("stratsys_2025-08-31.txt (webben): 2025-05-01 – 2025-08-31, "
                                                 "Norrbotten · alla sektorer")

    (tmp_path / "stratsys.toml").write_text('enhet = "Region Västerbotten"', encoding="utf-8")
    app.run()
    assert "okänd inställning 'enhet'" in app.warning[-1].value
    assert "Mått för Stratsys (.txt)" not in [button.label for button in app.get("download_button")]


def test_what_each_agreement_changed_is_shown_and_in_the_follow_up(demo_url, engine_at):
    from conftest import DEMO_TODAY

    from civsam.agreements import EVERYTHING, agreement_overview
    from civsam.effect import agreement_effects
    from civsam.narrative import effect_sentence

    app = open_page("agreements")
    table = next(frame.value for frame in app.dataframe if "Bedömning" in frame.value.columns)
    assert list(table.columns) == ["Avtal", "Dagar före och efter", "Före", "Efter", "Kvot", "95\u00a0% KI",
                                   "Bedömning"]
    engine = engine_at(demo_url)
    overview = agreement_overview(engine, EVERYTHING).set_index("name")
    effects = agreement_effects(engine, DEMO_TODAY)  # the page's today is the demo's
    shown = [effects[overview.loc[name, "id"]] for name in table["Avtal"]]
    assert table["Före"].tolist() == [each.before for each in shown]
    assert table["Efter"].tolist() == [each.after for each in shown]
    assert set(table["Bedömning"]) <= {"Fler", "Färre", "Ingen säker skillnad", "För tidigt att säga"}
    assert "oavsett urvalet" in texts(app)
    samforma = overview.loc[DEMO_AGREEMENTS[0]]
    sentence = effect_sentence(["Samforma"], "avsiktsförklaring", samforma["signed"], effects[samforma["id"]], "sv")
    assert sentence.startswith("Sedan avsiktsförklaringen undertecknades ")
    assert f". {sentence} I partnerenkäten" in follow_up(app)  # after the commitments, before the survey
