"""Every chart shows its labels whole at a desktop's (1440 × 900), a projector's (1280 × 720) and a phone's
(390 × 844) size, on every page and every slide of the presentation: each text plotly draws (tick labels, axis
titles, legend entries, bar labels, the heat map's and the tiles' numbers, colour bars) lies inside its chart,
no tick label is hidden for want of room, no axis title lies on its tick labels, and the map and the tile grid
show every municipality whole."""

import itertools

from civsam.i18n import t

from .test_pages import CHARTS_DRAWN, assert_no_error, open_app

SIZES = {"desktop": (1440, 900), "projector": (1280, 720), "phone": (390, 844)}
PAGES = [  # url path, how many charts it draws: each kind of chart and each kind of axis label at least once
    ("/", 1),
    ("/motesfrekvens", 3),  # months, sectors in the legend
    ("/motesfrekvens?per=week&uppdelning=type", 3),  # weeks, activity types in the legend
    ("/tackning", 2),  # the map
    ("/tackning?vy=tiles&skala=per_10k", 2),  # the tile grid, with decimals
    ("/resursgap", 2),
    ("/avtal", 1),  # quarters, agreement names in the legend
    ("/natverk", 1),  # names beside the nodes, sectors and kinds of node and tie in the legend
    ("/partnernas-bild", 1),  # percentages both ways from the middle, principles and years, "för få svar"
    ("/organisation?org=Samforma&fran=2024-01-01&till=2026-06-30", 1),  # quarters, a signing's line
]

# Boxes as the browser lays them out, one pixel of rounding allowed. A text counts when it is drawn: plotly sets
# display: none on a tick label that would run past the chart, and that is reported as hidden.
LABELS_NOT_WHOLE = """() => {
    const drawn = text => text.textContent.trim() !== '' && text.checkVisibility({visibilityProperty: true});
    const box = element => element.getBoundingClientRect();
    const inside = (inner, outer) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1
        && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
    const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
        && b.top < a.bottom - 1;
    const problems = [];
    document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach((plot, index) => {
        const chart = `chart ${index + 1}`;
        const frame = box(plot.querySelector('svg.main-svg'));
        const texts = [...plot.querySelectorAll('svg.main-svg text')].filter(text => !text.closest('.hoverlayer'));
        for (const text of texts.filter(text => !drawn(text) && text.closest('.xtick, .ytick'))) {
            if (text.textContent.trim()) problems.push(`${chart}: tick label "${text.textContent}" hidden`);
        }
        const shown = texts.filter(drawn);
        if (!shown.length) problems.push(`${chart}: no text drawn`);
        for (const text of shown.filter(text => !inside(box(text), frame))) {
            problems.push(`${chart}: "${text.textContent}" cut off`);
        }
        for (const axis of ['x', 'y']) {
            const ticks = [...plot.querySelectorAll(`.${axis}axislayer-above .${axis}tick text`)].filter(drawn);
            for (const title of [...plot.querySelectorAll(`.g-${axis}title text`)].filter(drawn)) {
                for (const tick of ticks.filter(tick => overlap(box(title), box(tick)))) {
                    problems.push(`${chart}: axis title "${title.textContent}" on tick label "${tick.textContent}"`);
                }
            }
        }
        const plotArea = plot.querySelector('.nsewdrag');  // the map's municipalities are shapes in the plot area
        for (const area of plot.querySelectorAll('.shapelayer path')) {
            if (plotArea && !inside(box(area), box(plotArea))) problems.push(`${chart}: a municipality cut off`);
        }
    });
    return problems;
}"""


# Streamlit draws a chart as wide as its column: after a resize, wait until plotly has laid it out anew.
CHARTS_AT_WIDTH = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart =>
    Math.abs(chart.getBoundingClientRect().width - chart.querySelector('.js-plotly-plot')._fullLayout.width) < 1)"""


def resize(page, size: str) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(CHARTS_AT_WIDTH)


def labels_not_whole(page, where: str) -> list[str]:
    """What LABELS_NOT_WHOLE finds on the page as drawn at each size; the page is left at the desktop's size."""
    problems = []
    for size, (width, height) in SIZES.items():
        resize(page, size)
        problems += [f"{where} at {size} ({width} × {height}): {problem}"
                     for problem in page.evaluate(LABELS_NOT_WHOLE)]
    resize(page, "desktop")
    return problems


def test_every_chart_shows_its_labels_whole_at_every_size(page, demo_server):
    """Each page is opened once, at the desktop's size, and measured after resizing the window to each size (as
    wide as a fresh load there: Streamlit lays out its columns by the width): a third of the time."""
    next_slide = page.get_by_role("button", name=t("sv", "next_slide"))
    problems = []
    page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
    for path, charts in PAGES:
        open_app(page, demo_server.url + path)
        page.wait_for_function(CHARTS_DRAWN, arg=charts)
        assert_no_error(page)
        problems += labels_not_whole(page, path)
    open_app(page, demo_server.url + "/bildspel?bild=2")  # the key figures first, without a chart
    for number in itertools.count(2):
        page.wait_for_url(lambda url, number=number: f"bild={number}" in url)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        page.wait_for_function(CHARTS_DRAWN, arg=1)
        assert_no_error(page)
        problems += labels_not_whole(page, f"slide {number}")
        if not next_slide.is_enabled():
            break
        next_slide.click()
    assert number >= 7  # the story's main charts, each a slide after the key figures
    assert not problems, "\n".join(problems)
