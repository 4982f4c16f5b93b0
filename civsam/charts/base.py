"""What every chart shares: the Chart record, one colour per sector, and a common layout.

The sector colours come from the Okabe–Ito palette, which stays distinguishable
with every common colour-vision deficiency; each sits at 3:1 or more against white.
"""

import html
import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

SECTOR_COLOURS = {
    "civil_society": "#0072B2",  # blue
    "business": "#D55E00",  # vermilion
    "public": "#009E73",  # bluish green
    "academia": "#CC79A7",  # reddish purple
}
NEUTRAL = "#5A6470"
EMPTY = "#F2F4F7"
SEQUENTIAL = [[0.0, "#E8F1FA"], [0.5, "#5B9BD5"], [1.0, "#08306B"]]
FONT = "Source Sans Pro, Arial, sans-serif"
MARGIN = 10  # px around the plot; automargin widens it for tick labels, axis titles, the legend and colour bars
WRAP = 24  # characters a line of a legend entry or a category name may hold: it then fits a phone in projector type
CHARACTER_WIDTH = 0.6  # of the font size: a generous average width of a digit or a space
COLOUR_BAR_LENGTH = 280  # px: fits the plot on the narrowest phone


@dataclass
class Chart:
    """A chart ready to show or export."""

    key: str  # stable name, for file names and tests
    title: str  # states the finding, e.g. "Näringslivet hade dubbelt så många möten som civilsamhället"
    figure: go.Figure
    data: pd.DataFrame  # the table behind the chart, with readable column names
    alt_text: str  # the finding in words, for screen readers and speaker notes
    # what a click opens, said under the chart; None: a click opens nothing (civsam.drilldown)
    click_hint: str | None = None
    # the narrowings a click can open, by label, to open them from the keyboard too; empty with no click_hint
    narrowings: dict[str, dict] = field(default_factory=dict)


def plotly_text(text: str) -> str:
    """Typed text for a plotly title, tick, legend or hover: plotly reads <a href=…>, <b>, <br> in each as markup,
    so an organisation named '<a href="…">' would be a link in the chart and its SVG; as entities (&lt;) it is
    shown as typed."""
    return html.escape(text, quote=False)


def apply_layout(figure: go.Figure, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Swedish number separators (1 234,5), the product's font, no plotly title (the page shows the title as a
    heading, so screen readers meet it first), and room for every label at any width, a phone's too: the
    margins grow to fit tick labels and axis titles (automargin), the legend wraps above the plot, and the
    numbers beside the bars are drawn whole past the plot area."""
    figure.update_layout(
        separators=", ",
        font={"family": FONT, "size": 14, "color": "#1B1F24"},
        height=height,
        margin={"l": MARGIN, "r": MARGIN, "t": 30, "b": MARGIN},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    figure.update_xaxes(gridcolor="#E5E8EC", zeroline=False, automargin=True)
    figure.update_yaxes(gridcolor="#E5E8EC", zeroline=False, automargin=True)
    figure.update_traces(cliponaxis=False, selector={"type": "bar", "textposition": "outside"})
    return fit_bar_labels(figure)


def fit_bar_labels(figure: go.Figure) -> go.Figure:
    """A right margin wide enough for the numbers written beside horizontal bars, at the figure's font size:
    plotly widens its margins for tick labels but not for these, and on a phone the longest was cut off."""
    size = figure.layout.font.size or 14
    widest = max((len(str(text)) for trace in figure.data
                  if trace.type == "bar" and trace.orientation == "h" and trace.textposition == "outside"
                  for text in trace.text or ()), default=0)
    if widest:
        figure.update_layout(margin_r=max(MARGIN, math.ceil(widest * CHARACTER_WIDTH * size) + 6))
    return figure


def wrapped(text: str, width: int = WRAP) -> str:
    """`text` in lines of at most `width` characters, broken at spaces: plotly never wraps a legend entry or a
    tick label by itself, and a long agreement or organisation name would run past a phone's screen."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def colour_bar(title: str) -> dict:
    """A colour bar lying under the plot: standing beside it, it took a third of a phone's width."""
    return {"title": {"text": title, "side": "top"}, "orientation": "h", "x": 0, "xanchor": "left",
            "lenmode": "pixels", "len": COLOUR_BAR_LENGTH, "y": -0.02, "yanchor": "top", "thickness": 14}


def with_title(figure: go.Figure, title: str) -> go.Figure:
    """A copy carrying its finding as a title and room for every label: an image stands on its own."""
    titled = go.Figure(figure)
    titled.update_layout(title={"text": plotly_text(title), "x": 0.01, "xanchor": "left", "font": {"size": 20}},
                         margin={"l": 20, "r": 20, "t": 110, "b": 20})
    return fit_bar_labels(titled)
