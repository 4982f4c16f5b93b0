"""The organisation profile (/organisation?org=NAME) through AppTest on the demo store, and the register's links
to it."""

import pytest
from pages_support import open_data, open_page, sign_in
from test_pages import shown

from civsam.demo import PEOPLE

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")


def test_the_profile_shows_the_umbrella_its_members_chart_story_and_activities(demo_url):
    app = open_page("profile", org="  samforma ")
    assert app.title[0].value == "Samforma"
    story = next(element.value for element in app.markdown if element.value.startswith("Regionen har haft"))
    assert "med Samforma och dess medlemsorganisationer" in story and "av 5 medlemsorganisationer" in story
    assert "Sedan avsiktsförklaringen undertecknades 2024-08-15 har regionen haft " in story  # what it changed
    assert [metric.label for metric in app.metric] == ["Aktiviteter", "Med medlemmarna", "Kommuner", "Timmar",
                                                       "Med barn och unga"]
    assert len(app.get("plotly_chart")) == 1
    members = next(frame.value for frame in app.dataframe if "Senaste kontakt" in frame.value.columns)
    assert "organisation?org=Bilda%20Nord#Bilda Nord" in members["Organisation"].tolist()
    agreements = next(frame.value for frame in app.dataframe if "Åtagande" in frame.value.columns)
    assert set(agreements["Avtal"]) == {"Avsiktsförklaring Samforma (demo)"}
    link = next(link for link in app.get("page_link") if link.proto.label == "Alla aktiviteter med Samforma")
    assert link.proto.query_string == "org=Samforma"


def test_a_member_names_its_umbrella(demo_url):
    app = open_page("profile", org="Bilda Nord")
    umbrellas = next(frame.value for frame in app.dataframe if list(frame.value.columns) == ["Organisation"])
    assert umbrellas["Organisation"].tolist() == ["organisation?org=Samforma#Samforma"]
    assert "Inga medlemsorganisationer i registret." in [caption.value for caption in app.caption]


@pytest.mark.parametrize("org, message", [
    ("Samfroma", "Det finns ingen organisation som heter Samfroma. Menar du Samforma?"),
    ("", "Adressen anger ingen organisation."),
])
def test_an_unknown_or_missing_organisation_says_so_and_leads_to_the_register(demo_url, org, message):
    app = open_page("profile", org=org)
    assert message in app.warning[0].value
    assert [link.proto.label for link in app.get("page_link")] == ["Till organisationsregistret"]


def test_only_a_coordinator_sees_who_was_responsible(demo_url, accounts):
    app = open_page("profile", secrets=accounts, org="Samforma", fran="2023-01-01", till="2025-12-31")
    assert not [name for name in PEOPLE if name in shown(app)]
    app = sign_in(app, "anna", "annas lösen")
    latest = next(frame.value for frame in app.dataframe if "Ansvarig" in frame.value.columns)
    assert set(latest["Ansvarig"]) & set(PEOPLE)


def test_the_register_links_each_name_to_its_profile_and_shows_umbrellas_and_members(demo_url):
    register = open_page("organisations", sok="samforma").dataframe[0].value
    assert register["Organisation"].tolist() == ["organisation?org=Samforma#Samforma"]
    assert (register["Medlem i"].tolist(), register["Medlemmar"].tolist()) == (["–"], [5])


def test_the_partners_without_contact_link_to_their_profiles(demo_url):
    app = open_page("frequency", kommun="2418", manader="60")
    dormant = next(frame.value for frame in app.dataframe if "Senaste kontakt" in frame.value.columns)
    assert all(link.startswith("organisation?org=") for link in dormant["Organisation"])


def test_a_partner_chosen_under_the_chart_data_opens_its_profile_with_a_way_back(demo_url):
    app = open_data(open_page("frequency"), "top_partners")
    chooser = app.selectbox(key="drill_top_partners")
    assert (chooser.label, app.button(key="drill_open_top_partners").label) == ("Se profilen för", "Öppna profilen")
    partner = chooser.options[0]
    chooser.select(partner).run()
    app.button(key="drill_open_top_partners").click().run()
    assert not app.exception, app.exception
    assert app.title[0].value == partner and app.query_params["org"] == partner
    assert "Tillbaka till diagrammet" in [button.label for button in app.button]
