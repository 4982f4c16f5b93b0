"""The dashboard in a real browser: every page opens with its charts drawn and no error, passes axe-core's
WCAG 2.1 A/AA rules, keeps its filters in the link, switches to English, takes an Excel log through the
real upload, and asks nothing of any machine but this one."""

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from civsam.batches import list_batches
from civsam.db import open_store
from civsam.i18n import sector_name, t
from civsam.totals import summary
from civsam.ui.widgets import AHEAD_ELEMENT, PLOTLY_SCRIPT

from .conftest import streamlit_server

DEMO_PAGES = [  # url path, the title's text key, how many plotly charts it draws
    ("/", "page_overview", 1),  # the first page of the navigation opens at /
    ("/motesfrekvens", "page_frequency", 3),
    ("/tackning", "page_coverage", 2),
    ("/resursgap", "page_resources", 2),
    ("/avtal", "page_agreements", 1),
    ("/partnernas-bild", "page_survey", 1),
    ("/organisationer", "page_organisations", 0),
    ("/natverk", "page_network", 1),
    ("/bildspel", "page_overview", 0),  # the presentation opens on the key figures
    ("/importera", "page_import", 0),
]
FOLDED_TABLES = {"/importera": 1}  # tables in folded sections besides the charts' data: the audit log
EMPTY_PAGES = [("/", "start_heading", 0), ("/importera", "page_import", 0)]
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"  # `make test` installs it
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# A chart is drawn when plotly has laid it out with its traces.
CHARTS_DRAWN = """count => {
    const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
    return plots.length === count && plots.every(plot =>
        plot._fullLayout && plot._fullData.length && plot.querySelector('.main-svg'));
}"""


def open_app(page: Page, url: str) -> None:
    """Open `url` and wait until the app has connected and its script has run to the end."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
                           '[data-test-script-state="notRunning"]')


def assert_no_error(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    try:
        expect(exceptions).to_have_count(0)
    except AssertionError as error:  # say which page and what it raised
        raise AssertionError(f"{page.url}: {' / '.join(exceptions.all_inner_texts())[:3000]}") from error
    expect(page.get_by_role("dialog")).to_have_count(0)  # Streamlit shows "Page not found" and the like as one


def title(page: Page):
    return page.get_by_role("heading", level=1)


def open_list(page: Page, combobox, option):
    """Open a choice list until `option` shows: a rerun that lands just after the click (the filters written to
    the link, a chart drawn late) can close the list again."""
    for _ in range(3):
        combobox.click()
        try:
            expect(option).to_be_visible(timeout=5_000)
            return option
        except AssertionError:
            page.keyboard.press("Escape")
    expect(option).to_be_visible()
    return option


def accessibility_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=AXE)
    violations = page.evaluate("tags => axe.run({runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
                               WCAG_TAGS)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
        f"    {node['target']}: {node['failureSummary']}".replace("\n", " ") for node in v["nodes"])
        for v in violations)


@pytest.mark.parametrize(("path", "key", "charts"), DEMO_PAGES)
def test_every_page_opens_on_the_demo_store_with_its_charts(page, demo_server, path, key, charts):
    open_app(page, demo_server.url + path)
    expect(title(page)).to_have_text(t("sv", key))
    page.wait_for_function(CHARTS_DRAWN, arg=charts)
    assert_no_error(page)
    expect(page.locator(AHEAD_ELEMENT)).to_have_count(1 if charts else 0)  # plotly loaded ahead where it is drawn


def test_a_chart_page_has_plotly_loaded_ahead_from_the_address_streamlit_loads_it_from(page, demo_server):
    """widgets.charts_ahead, in the frame before a chart page, imports plotly's script while the queries run;
    Streamlit's own import then finds it loaded: one request, to the address of Streamlit's build (a wrong one
    would load it twice, or fail)."""
    open_app(page, demo_server.url + "/motesfrekvens")
    page.wait_for_function(CHARTS_DRAWN, arg=3)
    assert PLOTLY_SCRIPT is not None, "Streamlit's plotly script has another name now: see widgets.PLOTLY_SCRIPT"
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(entry => entry.name)"
                           ".filter(name => name.includes('PlotlyChart'))")
    assert loaded == [f"{demo_server.url}/static/js/{PLOTLY_SCRIPT}"]
    ahead = page.locator(AHEAD_ELEMENT)
    expect(ahead).to_have_count(1)
    assert PLOTLY_SCRIPT in ahead.text_content()
    expect(ahead).to_have_css("display", "none")  # nothing to see, and no gap in the layout


@pytest.mark.parametrize(("path", "key", "charts"), EMPTY_PAGES)
def test_an_empty_store_opens_on_the_start_page(page, empty_server, path, key, charts):
    open_app(page, empty_server.url + path)
    expect(title(page)).to_have_text(t("sv", key))
    page.wait_for_function(CHARTS_DRAWN, arg=charts)
    assert_no_error(page)


def open_every_section(page: Page) -> None:
    """Open each folded section, one at a time as a person does: opening one reruns the page and builds its table
    or text, which moves the sections below it (a click aimed at the next one meanwhile could land elsewhere)."""
    sections = page.locator('[data-testid="stExpander"]')
    for index in range(sections.count()):
        sections.nth(index).locator("summary").click()
        expect(sections.nth(index).locator('[data-testid="stDataFrame"], [data-testid="stCode"]').first).to_be_visible()


@pytest.mark.parametrize(("path", "key", "charts"), DEMO_PAGES)
def test_every_page_passes_axe(page, demo_server, path, key, charts):
    open_app(page, demo_server.url + path)
    page.wait_for_function(CHARTS_DRAWN, arg=charts)
    folded_tables = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]')
    expect(folded_tables).to_have_count(FOLDED_TABLES.get(path, 0))  # a chart's data is built once opened
    open_every_section(page)  # every "Visa data" too
    expect(folded_tables).to_have_count(charts + FOLDED_TABLES.get(path, 0))
    violations = accessibility_violations(page)
    assert not violations, describe(violations)


def test_the_organisation_profile_opens_from_the_register_and_passes_axe(page, demo_server):
    open_app(page, demo_server.url + "/organisationer?sok=samforma")
    register = page.get_by_test_id("stDataFrame").first
    expect(register).to_be_visible()
    page.goto(demo_server.url + "/organisation?org=Samforma")  # where the register's link leads (a new tab)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(title(page)).to_have_text("Samforma")
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    assert_no_error(page)
    expect(page.get_by_role("link", name=t("sv", "page_profile"), exact=True)).to_have_count(0)  # not in the menu
    open_every_section(page)
    violations = accessibility_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize(("path", "key", "charts"), EMPTY_PAGES)
def test_the_empty_store_pages_pass_axe(page, empty_server, path, key, charts):
    open_app(page, empty_server.url + path)
    expect(title(page)).to_have_text(t("sv", key))
    violations = accessibility_violations(page)
    assert not violations, describe(violations)


def test_the_presentation_moves_with_the_arrow_keys_and_passes_axe(page, demo_server):
    open_app(page, demo_server.url + "/bildspel")
    expect(title(page)).to_have_text(t("sv", "page_overview"))
    expect(page.get_by_role("button", name=t("sv", "next_slide"))).to_be_enabled()
    title(page).click()  # the keys go to the page, as when a presenter has clicked into it
    page.keyboard.press("ArrowRight")
    expect(title(page)).to_contain_text("per månad")
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    assert "bild=2" in page.url
    violations = accessibility_violations(page)
    assert not violations, describe(violations)
    page.keyboard.press("ArrowLeft")
    expect(title(page)).to_have_text(t("sv", "page_overview"))
    assert_no_error(page)


def key_figure_changes(page: Page) -> list[tuple[str, str | None, str]]:
    """Each key figure's change as shown: its text, its arrow (Up, Down or None) and its colour."""
    deltas = page.locator('[data-testid="stMetricDelta"]')
    expect(deltas).to_have_count(4)  # every key figure but the share with young people has a change
    return [delta.evaluate("""delta => {
        const icon = delta.querySelector('[data-testid^="stMetricDeltaIcon-"]');
        return [delta.innerText.trim(), icon && icon.dataset.testid.split('-')[1], getComputedStyle(delta).color];
    }""") for delta in deltas.all()]


ARROWS = {"−": ("Down", "red"), "+": ("Up", "green")}  # by the change's first character; none for a zero


@pytest.mark.parametrize("path", ["/", "/bildspel"])
@pytest.mark.parametrize("period, sign", [
    ((-20, 340), "−"),  # three weeks of data against a whole year before: the figures fall
    ((-(3 * 365) + 2, -(2 * 365) - 2), "+"),  # the first year of data, nothing before it: the figures rise
], ids=["falling", "rising"])
def test_a_key_figure_that_fell_has_a_red_arrow_down(page, demo_server, path, period, sign):
    """The Swedish minus stays on screen, and the arrow and its colour follow the change's sign."""
    start, end = (dt.date.today() + dt.timedelta(days=days) for days in period)
    open_app(page, f"{demo_server.url}{path}?fran={start.isoformat()}&till={end.isoformat()}")
    changes = key_figure_changes(page)
    assert changes[0][0].startswith(sign), changes  # the activities at least
    for text, arrow, colour in changes:
        expected_arrow, expected_colour = ARROWS.get(text[0], (None, "gray"))
        red, green, blue = (int(part) for part in colour[colour.index("(") + 1:-1].split(",")[:3])
        shown_colour = "red" if red > green + 40 else "green" if green > red + 40 else "gray"
        assert (arrow, shown_colour) == (expected_arrow, expected_colour), changes
    assert_no_error(page)


def county_select(page: Page):
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=t("sv", "county"))


def test_the_filters_live_in_the_link(page, browser, demo_server):
    open_app(page, demo_server.url + "/tackning?lan=Norrbotten")
    expect(title(page)).to_have_text(t("sv", "page_coverage"))
    expect(county_select(page)).to_have_value("Norrbotten")
    assert_no_error(page)
    copied = page.url
    assert parse_qs(urlparse(copied).query)["lan"] == ["Norrbotten"]

    other = browser.new_context().new_page()  # someone else opens the copied link
    try:
        open_app(other, copied)
        expect(title(other)).to_have_text(t("sv", "page_coverage"))
        expect(county_select(other)).to_have_value("Norrbotten")
        assert_no_error(other)
    finally:
        other.context.close()

    # choosing in the sidebar writes the link
    open_list(page, county_select(page), page.get_by_role("option", name="Västerbotten", exact=True)).click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("lan") == ["Västerbotten"])


def test_a_period_preset_and_an_activity_type_live_in_the_link(page, demo_server):
    last_year = dt.date.today().year - 1
    open_app(page, f"{demo_server.url}/?period={last_year}T2")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Period")).to_have_value(f"T2 {last_year} (maj–aug)")
    expect(page.get_by_text(f"jämfört med samma period i fjol ({last_year - 1}-05-01 – {last_year - 1}-08-31)")
           ).to_be_visible()
    assert_no_error(page)

    open_list(page, sidebar.get_by_role("combobox", name="Period"),
              page.get_by_role("option", name=f"Kvartal 1 {last_year} (jan–mar)")).click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("period") == [f"{last_year}K1"])
    expect(page.get_by_text(f"jämfört med samma period i fjol ({last_year - 1}-01-01 – {last_year - 1}-03-31)")
           ).to_be_visible()

    # by the keyboard, as a person may: a loaded machine redrew the open list under the mouse for 30 s
    open_list(page, sidebar.get_by_role("combobox", name=t("sv", "activity_type")),
              page.get_by_role("option", name="Möte", exact=True))
    page.keyboard.type("Möte")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("aktivitetstyp") == ["Möte"])
    assert_no_error(page)


def test_a_date_out_of_range_in_the_link_gets_a_note_not_an_error(page, demo_server):
    open_app(page, demo_server.url + "/motesfrekvens?fran=0001-01-01")
    expect(page.get_by_text("Länkens period (0001-01-01) kunde inte läsas")).to_be_visible()
    expect(title(page)).to_have_text(t("sv", "page_frequency"))
    assert_no_error(page)


def test_a_copied_link_opens_on_a_freshly_started_server(page, demo_server, tmp_path):
    with streamlit_server(demo_server.database_url, tmp_path) as fresh:  # the first visitor after a restart
        open_app(page, fresh.url + "/tackning?lan=Norrbotten")
        expect(title(page)).to_have_text(t("sv", "page_coverage"))
        expect(county_select(page)).to_have_value("Norrbotten")
        assert_no_error(page)


def test_english_is_a_switch(page, demo_server):
    open_app(page, demo_server.url + "/motesfrekvens?lang=en")
    expect(title(page)).to_have_text(t("en", "page_frequency"))
    expect(page.get_by_role("link", name=t("en", "page_coverage"))).to_be_visible()

    open_app(page, demo_server.url + "/motesfrekvens")
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    expect(title(page)).to_have_text(t("en", "page_frequency"))
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("lang") == ["en"])
    assert_no_error(page)


def activity_log() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Aktiviteter"
    for row in (["Datum", "Organisation", "Sektor", "Kommun"],
                ["2025-03-04", "Webbtestets förening", "Civilsamhälle", "Umeå"],
                ["2025-03-11", "Webbtestets förening", "Civilsamhälle", "Kiruna"]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_log_uploaded_through_the_import_page_lands_in_the_store(page, demo_server):
    engine = open_store(demo_server.database_url)
    before, batch = summary(engine)["activities"], list_batches(engine)["id"].max() + 1
    open_app(page, demo_server.url + "/importera")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files=[{
        "name": "logg.xlsx", "buffer": activity_log(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    expect(page.get_by_role("heading", name=t("sv", "preview_heading", file="logg.xlsx"))).to_be_visible()
    violations = accessibility_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name=t("sv", "confirm", count=2)).click()
    expect(page.get_by_text(t("sv", "imported", batch=batch))).to_be_visible()
    assert_no_error(page)
    assert summary(engine)["activities"] == before + 2
    engine.dispose()


def test_no_page_asks_anything_of_another_machine(page, demo_server, empty_server):
    """No CDN, no web fonts, no map tiles, no usage statistics: every request goes to this machine."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    visits = [(demo_server.url + path, charts) for path, _, charts in [*DEMO_PAGES, ("/tackning?vy=tiles", "", 2)]]
    for url, charts in [*visits, *((empty_server.url + path, charts) for path, _, charts in EMPTY_PAGES)]:
        open_app(page, url)
        page.wait_for_function(CHARTS_DRAWN, arg=charts)
    outside = sorted({url for url in requests if not url.startswith(("data:", "blob:"))
                      and urlparse(url).hostname not in LOCAL_HOSTS})
    assert requests and not outside
    for server in (demo_server, empty_server):  # nor does the server look up its address outside
        assert "External URL" not in server.log.read_text() and "external IP" not in server.log.read_text()


def test_tables_and_charts_download_only_through_the_recorded_buttons(page, demo_server):
    """Streamlit's table toolbar and plotly's camera would export data past the audit log."""
    open_app(page, demo_server.url + "/motesfrekvens")
    page.wait_for_function(CHARTS_DRAWN, arg=3)
    page.locator('[data-testid="stPlotlyChart"]').first.hover()
    expect(page.locator(".modebar-btn").first).to_be_attached()
    expect(page.locator('.modebar-btn[data-title^="Download plot"]')).to_have_count(0)
    page.locator('[data-testid="stExpander"] summary').first.click()
    table = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first
    table.hover()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(page.locator('[data-testid="stExpander"] [data-testid="stDownloadButton"]').first).to_be_visible()


@pytest.fixture
def laptop(browser) -> Page:
    """A page as large as the region's laptops: 1440 × 900."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="sv-SE")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_every_column_of_the_avtal_tables_is_seen_on_a_laptop(laptop, demo_server):
    """Streamlit's grid lists in its table for screen readers only the columns it draws: all of them, beside the
    open sidebar."""
    open_app(laptop, demo_server.url + "/avtal")
    grids = laptop.locator('[data-testid="stDataFrame"] [role="grid"]')
    # late and soon-due commitments, the agreements, how they go, what they changed, every commitment
    expect(grids).to_have_count(5)
    for grid in grids.all():
        expect(grid.locator("th")).to_have_count(int(grid.get_attribute("aria-colcount")))
    agreements = grids.filter(has=laptop.locator("th", has_text=t("sv", "registration_number")))
    assert agreements.locator("th").all_text_contents()[-1] == t("sv", "responsible")
    assert_no_error(laptop)


@pytest.mark.parametrize("path", ["/avtal", "/organisationer", "/importera"])
def test_no_english_words_of_streamlits_own_where_a_choice_is_made(laptop, demo_server, path):
    open_app(laptop, demo_server.url + path)
    open_list(laptop, laptop.locator(".st-key-sektor [role='combobox']"),
              laptop.get_by_role("option", name=sector_name("sv", "civil_society")))  # the sidebar's list, open
    for english in ("Choose an option", "Choose options", "Select all", "No options"):
        expect(laptop.get_by_text(english)).to_have_count(0)


URL_NAMED, WWW_NAMED, MAIL_NAMED = "https://evil.example/login", "Besök www.evil.example", "support@evil.example"
HOSTILE_FILE = ":red[R]![i](http://127.0.0.1:9/fn.png)[x](https://evil.example/a) $$x^2$$.xlsx"
# what a typed name must never become: a link or an image pointing where it says, LaTeX, a colour
FROM_TYPED_TEXT = ('a[href*="evil"], a[href*="127.0.0.1:9"], a:has-text("evil"), img[src*="127.0.0.1:9"], '
                   '.katex, [data-testid="stMarkdownContainer"] span[style*="color"]')


def as_shown(text: str) -> re.Pattern:
    """`text` as the page shows it: with word joiners (U+2060, invisible) where an address would begin."""
    return re.compile(r"\u2060?".join(re.escape(character).replace("/", r"\/") for character in text))


def hostile_log(*rows, extra_headers=()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Aktiviteter"
    workbook.active.append(["Datum", "Organisation", "Sektor", "Kommun", *extra_headers])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The dashboard on a store whose partners a hostile user named as a web address, a www address and an
    e-mail address."""
    from civsam.importing import import_file
    folder = tmp_path_factory.mktemp("hostile")
    database_url = f"sqlite:///{folder / 'civsam.db'}"
    engine = open_store(database_url)
    named = [URL_NAMED] * 3 + [WWW_NAMED] * 2 + [MAIL_NAMED]
    import_file(engine, hostile_log(*[[f"2025-03-{day:02}", name, "Civilsamhälle", "Umeå"]
                                      for day, name in enumerate(named, start=1)]), "logg.xlsx")
    engine.dispose()
    with streamlit_server(database_url, folder) as server:
        yield server


def test_no_typed_name_becomes_a_link_an_image_latex_or_a_colour(page, hostile_server):
    """Not for anonymous visitors either: headings, text alternatives, the slide and the import preview of a file
    whose very name is Markdown show the text as typed, and the browser fetches nothing it names."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, hostile_server.url + "/motesfrekvens?fran=2025-01-01&till=2025-12-31")
    page.wait_for_function(CHARTS_DRAWN, arg=3)
    expect(page.get_by_role("heading", name=as_shown(URL_NAMED))).to_be_visible()
    expect(page.locator(FROM_TYPED_TEXT)).to_have_count(0)
    open_app(page, hostile_server.url + "/bildspel?bild=8&fran=2025-01-01&till=2025-12-31")
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    expect(title(page)).to_contain_text(as_shown(URL_NAMED))
    expect(page.locator(FROM_TYPED_TEXT)).to_have_count(0)
    open_app(page, hostile_server.url + "/importera")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files=[{
        "name": HOSTILE_FILE, "mimeType": "application/octet-stream", "buffer": hostile_log(
            ["2025-03-04", "Samforma", "Civilsamhälle", "Umeå", "", ""], extra_headers=(WWW_NAMED, ":red[x]"))}])
    expect(page.get_by_role("heading", name=as_shown(t("sv", "preview_heading", file=HOSTILE_FILE)))).to_be_visible()
    expect(page.get_by_text(as_shown(t("sv", "ignored", columns=f"{WWW_NAMED}, :red[x]")))).to_be_visible()
    expect(page.locator(FROM_TYPED_TEXT)).to_have_count(0)
    assert_no_error(page)
    assert not [url for url in requests if "evil" in url or urlparse(url).port == 9]
