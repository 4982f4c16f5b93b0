"""The form "Ny aktivitet" on a phone, 375 px wide: filled in and submitted, the activity lands in the store; the
fields stack in one column, nothing is wider than the screen, and the page passes axe-core."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from civsam.db import open_store
from civsam.i18n import t

from .test_pages import accessibility_violations, assert_no_error, describe, open_app, open_list, title

SCREENSHOTS = Path("/tmp/civsam-screenshots")  # for a person to look at; nothing reads them


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="sv-SE", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_a_coordinator_logs_a_meeting_from_a_phone(phone: Page, demo_server):
    open_app(phone, demo_server.url + "/ny-aktivitet")
    expect(title(phone)).to_have_text(t("sv", "page_activity_form"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing to scroll sideways
    form = phone.get_by_test_id("stForm").first  # the sidebar has a Kommun and dates of its own
    date_box = form.get_by_test_id("stDateInput").bounding_box()
    type_box = form.get_by_role("combobox", name=t("sv", "form_type")).bounding_box()
    assert type_box["y"] > date_box["y"] + date_box["height"]  # the two columns stack
    violations = accessibility_violations(phone)
    assert not violations, describe(violations)

    organisations = form.get_by_role("combobox", name=t("sv", "form_organisations"))
    organisations.click()
    organisations.fill("Telefonföreningen i Lycksele")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Escape")
    open_list(phone, form.get_by_role("combobox", name=t("sv", "form_sector")),
              phone.get_by_role("option", name="Civilsamhälle", exact=True)).click()
    municipality = form.get_by_role("combobox", name=t("sv", "form_municipality"))
    municipality.click()
    municipality.fill("Lycks")  # 29 names: the list shows those that match
    phone.get_by_role("option", name="Lycksele", exact=True).click()
    form.get_by_role("textbox", name=t("sv", "form_hours")).fill("1,5")
    form.get_by_role("textbox", name=t("sv", "form_title")).fill("Möte på vägen ut")
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "form-375.png")
    phone.get_by_role("button", name=t("sv", "form_add")).click()
    expect(phone.get_by_text("är sparad som import")).to_be_in_viewport()  # where the phone's screen is
    assert_no_error(phone)
    engine = open_store(demo_server.database_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT a.hours, a.municipality_code, o.name, o.sector FROM activities a "
                "JOIN activity_organisations l ON l.activity_id = a.id "
                "JOIN organisations o ON o.id = l.organisation_id "
                "WHERE a.title = 'Möte på vägen ut'")).all()
    finally:
        engine.dispose()
    assert stored == [(1.5, "2481", "Telefonföreningen i Lycksele", "civil_society")]
    phone.screenshot(path=SCREENSHOTS / "form-375-saved.png")
    phone.set_viewport_size({"width": 1440, "height": 900})
    title(phone).scroll_into_view_if_needed()
    phone.screenshot(path=SCREENSHOTS / "form-1440.png")
