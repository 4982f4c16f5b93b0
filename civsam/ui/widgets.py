"""Drawing a chart, a table or a key figure the same way on every page.

Every chart gets its finding as a heading, the plotly figure with a text
alternative for screen readers, and a "Visa data" section with the table
behind it and the chart itself to download (CSV, Excel, PNG, SVG). Every
download is recorded in the audit log when it is made.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from civsam import auth, images, queries, stratsys, tables
from civsam.audit import record
from civsam.charts.base import Chart, with_title
from civsam.db import write_transaction
from civsam.exports import csv_bytes, xlsx_bytes
from civsam.filters import Filters
from civsam.formatting import format_change, format_number, rounded
from civsam.i18n import t
from civsam.import_report import ImportReport, Rejection
from civsam.narrative import describe_filters, key_figure_label, percent
from civsam.typed_text import without_control_characters
from civsam.ui import account, drill, state

# Plotly's script, the largest of Streamlit's (4,7 MB); its name carries the hash of Streamlit's build (None if a
# later Streamlit names it otherwise: tests/browser/test_pages.py would say so).
PLOTLY_SCRIPT = next((path.name for path in (Path(st.__file__).parent / "static" / "static" / "js").glob(
    "PlotlyChart.*.js")), None)
# The element that holds charts_ahead's script: the only HTML element whose content is a script.
AHEAD_ELEMENT = '[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script)'
# Our own file, sent inline: a Material or emoji icon makes the browser fetch it from Google's or another CDN.
PAGE_ICON = Path(__file__).with_name("icon.svg")
# The marks that make links, images, emphasis, code, HTML, icons (:material/…:), colours (:red[…]) and LaTeX.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$/])")
# A change's colour and arrow by its sign, as Streamlit's "normal" delta_color draws them.
DELTA_STYLES = {1: ("green", "up"), -1: ("red", "down"), 0: ("gray", "off")}
# Streamlit wraps a table's text only in rows taller than 4rem (64 pixels); this fits three lines.
WRAPPING_ROW_HEIGHT = 68
# More rejected cells than this are easier to work through in the downloaded list than on the page.
SHOWN_REJECTIONS = 50
# Streamlit's Markdown (remark-gfm) makes links of bare addresses (http://…, www.…, name@host) in the text its
# escapes leave, and emoji, icons and colours of :words:. A word joiner (U+2060: invisible, not read out) goes where
# each would begin: after a colon before a word, between www and its dot, before an @.
LINK_STARTS = re.compile(r"(?<=:)(?=\S)|(?i:(?<=www))(?=\.)|(?=@)")
WORD_JOINER = "\u2060"
# No plotly logo or link to plotly's site; images download through "Visa data", which the audit log records.
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendDataToCloud", "select2d", "lasso2d", "toImage"]}


def plain(text: str) -> str:
    """Text that carries what people typed or files held, safe to show as Markdown (headings, captions, messages):
    an organisation called '[klick](http://…)', 'www.evil.example', 'support@evil.example', ':red[…]' or '$$x$$'
    is shown as typed, never as a link, an image, a colour, an icon or LaTeX; control characters are left out."""
    return LINK_STARTS.sub(WORD_JOINER, MARKDOWN_SPECIAL.sub(r"\\\1", without_control_characters(text)))


def charts_ahead() -> None:
    """Have the browser load plotly's script as a page with charts opens, so that it is evaluated while the page's
    queries run, not when the first chart arrives: evaluating it then held a first render up to a second after
    the data had come. The frame calls this before the page; a tab loads the script once (pages change without
    reloading it). Pages without charts leave it out: it held the presentation's first slide back by 0,5 s. The
    element hides itself: its own style rule leaves no gap in the layout."""
    if PLOTLY_SCRIPT is None:
        return
    st.html(f'<style>{AHEAD_ELEMENT} {{display: none}}</style>'
            f'<script>import("./static/js/{PLOTLY_SCRIPT}")</script>', unsafe_allow_javascript=True)


def chart(item: Chart, lang: str) -> None:
    """A chart with its finding as heading and its text alternative; one whose bars, areas or tiles open the
    activity list when clicked (item.click_hint) says so under it, and offers the same under "Visa data"."""
    st.subheader(plain(item.title), anchor=False)
    options = {"key": f"chart_{item.key}", "config": PLOT_CONFIG, "alt": item.alt_text, "theme": None}
    if item.click_hint:
        drill.clickable_chart(item, state.context().filters, state.page(), **options)
        st.caption(item.click_hint)
    else:
        st.plotly_chart(item.figure, **options)
    st.caption(plain(f"{t(lang, 'text_alternative')}: {item.alt_text}"))
    data_section(item, lang)


def data_section(item: Chart, lang: str) -> None:
    """The table behind a chart, folded away, with the table and the chart to download, and the list of the
    activities behind a part of the chart to open from the keyboard. Built only once opened (opening reruns the
    page): Streamlit mounts a data grid in the browser even while it is folded, and Mötesfrekvens's three held its
    first render back by about 0,25 s."""
    section = folded(t(lang, "show_data"), data_key(item.key))
    if section is None:
        return
    with section:
        table(item.data)
        downloads(item.data, item.key, lang)
        image_downloads(item, lang)
        if item.narrowings:
            drill.chooser(item, state.context().filters, state.page(), lang)


def folded(label: str, key: str):
    """A folded section whose content is built only while it is open (opening it reruns the page): the container
    then, None while it is folded. Streamlit draws a plain expander's content even while it is folded."""
    section = st.expander(label, key=key, on_change="rerun")
    return section if section.open else None


def data_key(chart_key: str) -> str:
    """The session key of a chart's "Visa data" section: True while it is open."""
    return f"data_{chart_key}"


def image_downloads(item: Chart, lang: str) -> None:
    """PNG and SVG of the chart, drawn only when asked for; where no browser can draw them, the buttons
    say why."""
    usable = images.available()
    for column, image_format in zip(st.columns(2), ("png", "svg"), strict=True):
        column.download_button(
            t(lang, f"download_{image_format}"),
            recorded(lambda fmt=image_format: images.image(with_title(item.figure, item.title), fmt),
                     f"{item.key}.{image_format}"),
            file_name=f"{item.key}.{image_format}", mime="image/png" if image_format == "png" else "image/svg+xml",
            key=f"{image_format}_{item.key}", on_click="ignore", disabled=not usable,
            help=None if usable else images.UNAVAILABLE)


def downloads(data: pd.DataFrame | Callable[[], pd.DataFrame], name: str, lang: str) -> None:
    """CSV and Excel downloads of a table, or of the table a function reads when the file is asked for (a long
    list); typed text never becomes a formula."""
    read = data if callable(data) else lambda: data
    left, right = st.columns(2)
    left.download_button(t(lang, "download_csv"), recorded(lambda: csv_bytes(read()), f"{name}.csv"),
                         file_name=f"{name}.csv", mime="text/csv", key=f"csv_{name}", on_click="ignore")
    right.download_button(t(lang, "download_xlsx"), recorded(lambda: xlsx_bytes({name: read()}), f"{name}.xlsx"),
                          file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{name}", on_click="ignore")


def recorded(build: Callable[[], bytes], file_name: str, filters: Filters | None = None) -> Callable[[], bytes]:
    """`build` as a download button's data, recorded in the audit log with who and what when it runs: the
    `filters` it was made for, by default the page's.

    Streamlit calls a callable given as data only when the user clicks, on another thread without this run's
    session, so who, the filters and the store are taken now. A download that cannot be recorded fails.
    """
    engine, who, filters = state.engine(), account.access().who, filters or state.context().filters
    detail = f"{file_name} (webben): {filters.start} – {filters.end}, {describe_filters(filters, 'sv')}"

    def build_and_record() -> bytes:
        content = build()
        with write_transaction(engine) as connection:
            record(connection, "export", who, detail)
        return content
    return build_and_record


def stratsys_download(filters: Filters, lang: str) -> None:
    """The measure file for Stratsys for the period and county of `filters`, made when asked for; or, when the
    Stratsys settings are wrong, what to fix."""
    try:
        chosen = stratsys.load_settings()
    except stratsys.StratsysError as error:
        st.warning(plain(str(error)), icon=":material/error:")
        return
    engine, period = state.engine(), stratsys.measure_filters(filters)
    name = f"stratsys_{period.end.isoformat()}.txt"
    st.download_button(
        t(lang, "download_stratsys"),
        recorded(lambda: stratsys.measure_file(stratsys.measure_values(engine, period), chosen, period.end), name,
                 period),
        file_name=name, mime="text/plain", key="stratsys", on_click="ignore",
        help=t(lang, "download_stratsys_help", unit=chosen.unit, day=period.end.isoformat()))


def table(data: pd.DataFrame, widths: dict[str, int] | None = None, **options):
    """A table with Swedish number formats (1 234,5); sorting still uses the numbers. With `widths` (pixels by
    column name) the columns get those widths and rows are tall enough for text to wrap onto three lines. Returns
    what st.dataframe does: with `on_select`, the selection."""
    text_columns = data.select_dtypes(include=["object", "string"]).columns
    shown = data.assign(**{column: data[column].fillna("–") for column in text_columns})  # no "None" shown
    styled = shown.style.format(decimal=",", thousands="\u00a0", precision=1, na_rep="–")
    if widths:  # Streamlit's default height counts one-line rows: ten tall rows at most, as ten short ones
        options |= {"row_height": WRAPPING_ROW_HEIGHT,
                    "height": "content" if len(data) <= 10 else 10 * WRAPPING_ROW_HEIGHT,
                    "column_config": {column: st.column_config.Column(width=width) for column, width in widths.items()
                                      if column in data}}
    return st.dataframe(styled, hide_index=True, **options)


def linked_table(data: pd.DataFrame, column: str, lang: str) -> None:
    """A table whose `column` holds profile links (civsam.tables.profile_link), shown as the names, and says that
    a click opens the profile."""
    table(data, column_config={column: st.column_config.LinkColumn(display_text=tables.PROFILE_NAME)})
    st.caption(t(lang, "profile_link_help"))


def rejections(report: ImportReport, lang: str) -> None:
    """Each rejected cell as a list item, where it is and its value, then the whole message on how to fix it, so
    that it wraps at any width (a table cuts long text off): the first SHOWN_REJECTIONS, how many more there are,
    and the whole list to download. All of it comes from the file, so it is escaped and shows as typed."""
    st.markdown("\n".join(_rejection(rejection, lang) for rejection in report.rejected[:SHOWN_REJECTIONS]))
    if len(report.rejected) > SHOWN_REJECTIONS:
        st.caption(t(lang, "rejected_more", shown=SHOWN_REJECTIONS, count=len(report.rejected)))
    downloads(tables.rejections(report, lang), "avvisade_rader", lang)


def _rejection(rejection: Rejection, lang: str) -> str:
    where = t(lang, "rejected_where", sheet=rejection.sheet, row=rejection.row, column=rejection.column)
    value = f"”{rejection.value}”" if rejection.value else t(lang, "rejected_empty")
    return f"- **{plain(where)}** {plain(value)}  \n  {plain(rejection.message)}"


def key_figures(now: dict, before: dict | None, filters: Filters, lang: str) -> None:
    """The five key figures in a row, each with its change against the period before when given."""
    columns = st.columns(5)
    for column, key, decimals in zip(columns, ("activities", "organisations", "municipalities", "hours"),
                                     (0, 0, 0, 1), strict=False):
        key_figure(column, key_figure_label(lang, key, filters), now[key], before[key] if before else None, decimals)
    columns[4].metric(t(lang, "kpi_youth"), percent(now["youth_share"]), delta_description=t(lang, "kpi_youth_base"),
                      border=True)


def key_figure(column, label: str, value: float | None, before: float | None, decimals: int = 0) -> None:
    """A key figure with its change against the period before. Streamlit takes the arrow's direction from a
    leading "-" of the change's text, which the Swedish minus (−) is not: the arrow and its colour are given
    from the sign of the change as rounded on screen."""
    if value is None or before is None:
        column.metric(label, format_number(value, decimals), border=True)
        return
    change = value - before
    colour, arrow = DELTA_STYLES[int(rounded(change, decimals).compare(0))]
    column.metric(label, format_number(value, decimals), delta=format_change(change, decimals), delta_color=colour,
                  delta_arrow=arrow, border=True)


def demo_note(lang: str) -> None:
    if state.query(queries.source_facts)["demo"]:
        st.info(t(lang, "demo_note"), icon=":material/info:")


def editing_note(lang: str, action: str) -> None:
    """Said where the store can be changed: that anyone may while no sign-in is set up, or, to one who may not
    `action`, that it needs the coordinator role and how to sign in."""
    access = account.access()
    if access.source == auth.OPEN:
        st.warning(t(lang, "editing_open"), icon=":material/lock_open:")
    elif not access.may(action):
        st.info(t(lang, "needs_coordinator_role" if access.user else f"needs_sign_in_{access.source}"),
                icon=":material/lock:")
