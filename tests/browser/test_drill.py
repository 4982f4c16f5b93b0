"""Drill-down in a real browser: a click on a bar or a municipality opens the activity list narrowed to it, the
narrowing in the link, and "Tillbaka till diagrammet" brings the chart back as it was."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from civsam.i18n import t

from .test_pages import CHARTS_DRAWN, assert_no_error, open_app, title

# The centre of the first chart's bar, tile or area with this index among those plotly drew, in page pixels.
MARK_CENTRE = """([selector, index]) => {
    const mark = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot')
        .querySelectorAll(selector)[index];
    const box = mark.getBoundingClientRect();
    return [box.x + box.width / 2, box.y + box.height / 2];
}"""


def click_mark(page: Page, selector: str, index: int) -> None:
    """Click a bar or tile as a mouse does: plotly answers the pointer's position, not the element under it."""
    x, y = page.evaluate(MARK_CENTRE, [selector, index])
    page.mouse.move(x, y)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .hoverlayer .hovertext')
    page.mouse.click(x, y)


def first_month(sidebar):
    """The month of the sidebar's first day, as the date field gives it to a screen reader."""
    return sidebar.get_by_role("spinbutton", name=f"month, {t('sv', 'period_from')}")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_click_on_a_month_opens_its_activities_and_the_chart_comes_back(page, demo_server):
    open_app(page, demo_server.url + "/motesfrekvens?period=2025")
    page.wait_for_function(CHARTS_DRAWN, arg=3)
    expect(page.get_by_text(t("sv", "click_bar_hint")).first).to_be_visible()
    click_mark(page, ".barlayer .trace:first-child .point path", 2)  # March 2025's civil-society part

    expect(title(page)).to_have_text(t("sv", "page_activities"))
    assert urlparse(page.url).path == "/aktiviteter"
    assert query(page) == {"fran": ["2025-03-01"], "till": ["2025-03-31"], "sektor": ["civil_society"]}
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(first_month(sidebar)).to_have_attribute("aria-valuenow", "3")
    page.screenshot(path="/tmp/drill_list.png")

    page.get_by_role("button", name=t("sv", "drill_back")).click()
    expect(title(page)).to_have_text(t("sv", "page_frequency"))
    assert urlparse(page.url).path == "/motesfrekvens"
    assert query(page) == {"period": ["2025"]}
    expect(first_month(sidebar)).to_have_attribute("aria-valuenow", "1")
    expect(page.get_by_role("button", name=t("sv", "drill_back"))).to_have_count(0)
    assert_no_error(page)


def test_a_click_on_a_tile_opens_that_municipalitys_activities(page, demo_server):
    open_app(page, demo_server.url + "/tackning?vy=tiles&lan=Norrbotten&period=12m")
    page.wait_for_function(CHARTS_DRAWN, arg=2)
    expect(page.get_by_text(t("sv", "click_municipality_hint"))).to_be_visible()
    tiles = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .textpoint')
    kiruna = next(index for index, text in enumerate(tiles.all_text_contents()) if text.startswith("Kiruna"))
    click_mark(page, ".scatterlayer .point", kiruna)

    expect(title(page)).to_have_text(t("sv", "page_activities"))
    assert urlparse(page.url).path == "/aktiviteter"
    assert query(page) == {"period": ["12m"], "lan": ["Norrbotten"], "kommun": ["2584"]}
    page.screenshot(path="/tmp/drill_tile.png")
    assert_no_error(page)


def test_a_click_on_the_map_opens_that_municipalitys_activities(page, demo_server):
    open_app(page, demo_server.url + "/tackning?lan=Norrbotten&period=12m")
    page.wait_for_function(CHARTS_DRAWN, arg=2)
    pointers = page.evaluate("() => document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')"
                             "._fullData[0].hovertext")
    in_kiruna = [index for index, text in enumerate(pointers) if text.startswith("Kiruna:")]
    click_mark(page, ".scatterlayer .point", in_kiruna[len(in_kiruna) // 2])  # inside Kiruna, away from borders
    expect(title(page)).to_have_text(t("sv", "page_activities"))
    assert query(page) == {"period": ["12m"], "lan": ["Norrbotten"], "kommun": ["2584"]}
    assert_no_error(page)


# The centre of the network's most active organisation, in page pixels, and its name; the chart is scrolled into
# the middle of the window first.
LARGEST_ORGANISATION = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    plot.scrollIntoView({block: 'center'});
    const layout = plot._fullLayout, box = plot.getBoundingClientRect();
    const points = plot._fullData.filter(trace => trace.customdata && trace.mode === 'markers').flatMap(trace =>
        Array.from(trace.x, (x, i) => ({x, y: trace.y[i], size: trace.marker.size[i], data: trace.customdata[i]})))
        .filter(point => point.data.at(-1).organisation);
    const largest = points.reduce((a, b) => b.size > a.size ? b : a);
    return [box.left + layout.xaxis._offset + layout.xaxis.l2p(largest.x),
            box.top + layout.yaxis._offset + layout.yaxis.l2p(largest.y), largest.data.at(-1).organisation];
}"""


def test_a_click_on_an_organisation_in_the_network_opens_its_profile(page, demo_server):
    open_app(page, demo_server.url + "/natverk")
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    x, y, name = page.evaluate(LARGEST_ORGANISATION)
    page.mouse.move(x, y)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .hoverlayer .hovertext')
    page.mouse.click(x, y)

    expect(title(page)).to_have_text(name)
    assert urlparse(page.url).path == "/organisation"
    assert query(page)["org"] == [name]
    assert_no_error(page)
