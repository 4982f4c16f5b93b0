"""What every chart shares: the Chart record, one colour per sector, and a common layout.

The sector colours come from the Okabe–Ito palette, which stays distinguishable
with every common colour-vision deficiency; each sits at 3:1 or more against white.
"""

import html
from dataclasses import dataclass

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


@dataclass
class Chart:
    """A chart ready to show or export."""

    key: str  # stable name, for file names and tests
    title: str  # states the finding, e.g. "Näringslivet hade dubbelt så många möten som civilsamhället"
    figure: go.Figure
    data: pd.DataFrame  # the table behind the chart, with readable column names
    alt_text: str  # the finding in words, for screen readers and speaker notes


def plotly_text(text: str) -> str:
    """Typed text for a plotly title, tick, legend or hover: plotly reads <a href=…>, <b>, <br> in each as markup,
    so an organisation named '<a href="…">' would be a link in the chart and its SVG; as entities (&lt;) it is
    shown as typed."""
    return html.escape(text, quote=False)


def apply_layout(figure: go.Figure, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Swedish number separators (1 234,5), the product's font, room for the legend, no plotly title
    (the page shows the title as a heading, so screen readers meet it first)."""
    figure.update_layout(
        separators=", ",
        font={"family": FONT, "size": 14, "color": "#1B1F24"},
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    figure.update_xaxes(gridcolor="#E5E8EC", zeroline=False)
    figure.update_yaxes(gridcolor="#E5E8EC", zeroline=False)
    return figure


def with_title(figure: go.Figure, title: str) -> go.Figure:
    """A copy carrying its finding as a title and room for every label: an image stands on its own."""
    titled = go.Figure(figure)
    titled.update_layout(title={"text": plotly_text(title), "x": 0.01, "xanchor": "left", "font": {"size": 20}},
                         margin={"l": 20, "r": 20, "t": 110, "b": 20})
    titled.update_xaxes(automargin=True)
    titled.update_yaxes(automargin=True)
    return titled
