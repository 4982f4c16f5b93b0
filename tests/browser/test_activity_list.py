"""The activity list in a real browser: a link with a search opens the narrowed list, pages forward and back in
the link, and passes axe-core's WCAG 2.1 A/AA rules."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from civsam.activity_list import PAGE_SIZE, activity_page
from civsam.db import open_store
from civsam.filters import Filters, default_period
from civsam.formatting import format_number
from civsam.i18n import t

from .test_pages import accessibility_violations, assert_no_error, describe, open_app, title


def test_a_link_with_a_search_opens_the_narrowed_list_and_pages_through_it(page, demo_server):
    engine = open_store(demo_server.database_url)
    total = activity_page(engine, Filters(*default_period()), "om").total
    engine.dispose()
    pages = -(-total // PAGE_SIZE)
    assert pages > 1
    open_app(page, demo_server.url + "/aktiviteter?sok=om")
    expect(title(page)).to_have_text(t("sv", "page_activities"))
    expect(page.get_by_role("textbox", name=t("sv", "activity_search"))).to_have_value("om")
    expect(page.get_by_role("heading", name=t("sv", "activity_count", count=total))).to_be_visible()
    expect(page.get_by_text(f"Sida 1 av {format_number(pages)}")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    violations = accessibility_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name=t("sv", "next_page")).click()
    expect(page.get_by_text(f"Sida 2 av {format_number(pages)}")).to_be_visible()
    link = parse_qs(urlparse(page.url).query)
    assert (link["sok"], link["sida"]) == (["om"], ["2"])
    page.get_by_role("button", name=t("sv", "previous_page")).click()
    expect(page.get_by_text(f"Sida 1 av {format_number(pages)}")).to_be_visible()
    assert "sida" not in parse_qs(urlparse(page.url).query)
    assert_no_error(page)
