"""Partnernas bild through AppTest on the demo store: the distribution per principle and year with its finding, "för
få svar" for the demo's first-year Utveckling (two answered), and the free text for coordinators only."""

import pytest
from pages_support import open_data, open_page, shown, sign_in

from civsam.demo import SURVEY_COMMENTS

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")


def test_the_page_shows_each_principle_and_year_and_hides_groups_under_five(demo_url):
    app = open_page("survey")
    assert app.title[0].value == "Partnernas bild"
    assert len(app.get("plotly_chart")) == 1
    assert any(c.value.startswith("Diagrammet i text:") and "Utveckling 2024: för få svar" in c.value
               for c in app.caption)
    latest, data = app.dataframe[0].value, open_data(app, "survey_principles").dataframe[1].value
    assert list(latest.columns) == ["Princip", "Svarande", "Instämmer (4–5)", "Medelvärde (1–5)",
                                    "Förändring sedan året före"]
    assert len(latest) == 8 and latest["Svarande"].min() >= 5
    utveckling = data[(data["Princip"] == "Utveckling") & (data["År"] == "2024")].iloc[0]
    assert (utveckling["Svarande"], utveckling["Instämmer (4–5)"], utveckling["Medelvärde (1–5)"]) == (
        2, "för få svar", "för få svar")
    assert utveckling[["Instämmer helt", "Instämmer inte alls"]].tolist() == ["", ""]
    assert "Partner regionen träffar ofta" in shown(app)  # the demo's 2025 has both groups of five or more


def test_free_text_is_for_coordinators_only(demo_url, accounts):
    app = open_page("survey", secrets=accounts)
    assert not [comment for comment in SURVEY_COMMENTS if comment in shown(app)]
    assert "Fritextsvaren visas bara för samordnare" in shown(app)
    app = sign_in(app, "Anna", "annas lösen")
    assert [comment for comment in SURVEY_COMMENTS if comment in shown(app)]


def test_the_page_speaks_english(demo_url):
    app = open_page("survey", lang="en")
    assert app.title[0].value == "The partners' view" and "Dialogue" in shown(app)
