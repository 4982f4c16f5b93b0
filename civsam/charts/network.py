"""The network of partners, projects and agreements (civsam.network) as a plotly chart, with its table as text
alternative.

Organisations are circles sized by their activities and coloured by sector; projects are squares and agreements
diamonds, each in a colour of its own and named in the legend, so that no kind is told by colour alone. The ties
are lines: solid to a project, dotted to an agreement, dashed from a member to its umbrella organisation.
"""

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.base import SECTOR_COLOURS, Chart, apply_layout, plotly_text, wrapped
from civsam.formatting import format_number
from civsam.i18n import sector_name, t
from civsam.network import AGREEMENT, MEMBER, ORGANISATION, PROJECT, Network
from civsam.reference import SECTORS

NAMED = 5  # the largest organisations named in the chart; the others on hover and in the table
NAMED_TIES = 8  # the projects and agreements with the most organisations named in the chart
LABEL_WRAP = 18  # characters a line of a name in the chart holds: two names side by side fit a phone
SMALLEST, LARGEST = 10, 32  # px: a marker's diameter, for the least and the most active organisation shown
TIE_STYLES = {  # a tie's node: marker symbol, colour (unused by the sectors, 3:1 or more against white), size in px
    PROJECT: ("square", "#9A6B00", 16),  # Okabe–Ito's orange darkened from 2.3:1 to 4.7:1
    AGREEMENT: ("diamond", "#1B1F24", 16),  # near black
}
EDGE_STYLES = {PROJECT: "solid", AGREEMENT: "dot", MEMBER: "dash"}
SIDE = 0.3  # a node further than this from the middle, left or right, has its name toward the middle
HEIGHT = 700  # px: on a phone the legend takes a third of it, and a hundred organisations still need the rest
# a white halo round each name, so that it reads over the lines and the circles it crosses
LABEL_FONT = {"size": 12, "shadow": "0 0 3px #fff, 0 0 2px #fff, 0 0 1px #fff"}
# the axes reach past the outermost nodes, so that their markers and names are drawn whole: names beside a node
# across, a name of up to three lines above or below a project or an agreement upward and downward
ROOM_ACROSS, ROOM_UP_AND_DOWN = 1.12, 1.3


def network_chart(network: Network, lang: str) -> Chart:
    """The network drawn: the edges beneath, then the organisations by sector, then the projects and agreements,
    and the names above them all; a click on an organisation opens the activity list narrowed to it
    (civsam.drilldown)."""
    nodes = network.nodes.set_index("key")
    organisations = nodes[nodes["kind"] == ORGANISATION]
    ties = nodes[nodes["kind"] != ORGANISATION]
    largest = organisations["activities"].max()
    nodes["size"] = [SMALLEST + (LARGEST - SMALLEST) * (count / largest) ** 0.5 if kind == ORGANISATION
                     else TIE_STYLES[kind][2] for kind, count in zip(nodes["kind"], nodes["activities"], strict=True)]
    figure = go.Figure()
    for kind in (PROJECT, AGREEMENT, MEMBER):
        _add_edges(figure, network.edges[network.edges["kind"] == kind], nodes, kind, lang)
    for sector in SECTORS:
        _add_organisations(figure, nodes[(nodes["kind"] == ORGANISATION) & (nodes["sector"] == sector)], lang)
    for kind in (PROJECT, AGREEMENT):
        _add_ties(figure, nodes[nodes["kind"] == kind], lang)
    most_tied = organisations.sort_values("ties", ascending=False, kind="stable").iloc[0]
    named = [*dict.fromkeys([*organisations.nlargest(NAMED, "activities", keep="first").index, most_tied.name]),
             *ties.sort_values("ties", ascending=False, kind="stable").head(NAMED_TIES).index]  # the title's too
    _add_names(figure, nodes.loc[named])
    figure.update_xaxes(visible=False, range=[-ROOM_ACROSS, ROOM_ACROSS])
    figure.update_yaxes(visible=False, range=[-ROOM_UP_AND_DOWN, ROOM_UP_AND_DOWN])
    figure.update_layout(hovermode="closest")
    return Chart("network", _title(most_tied, lang), apply_layout(figure, height=HEIGHT),
                 network_table(network, lang), _alt_text(network, organisations, ties, lang),
                 t(lang, "click_partner_hint"), {name: {"organisation": name} for name in organisations["name"]})


def network_table(network: Network, lang: str) -> pd.DataFrame:
    """Each organisation shown with its sector, activities, and the projects and agreements it is tied to."""
    nodes = network.nodes.set_index("key")
    organisations = nodes[nodes["kind"] == ORGANISATION]
    edges = network.edges.assign(name=network.edges["target"].map(nodes["name"]))

    def named(kind: str) -> pd.Series:
        chosen = edges[edges["kind"] == kind]
        return organisations.index.map(chosen.groupby("source")["name"].agg(lambda names: "; ".join(sorted(names))))

    return pd.DataFrame({t(lang, "organisation"): organisations["name"].to_numpy(),
                         t(lang, "sector"): [sector_name(lang, s) for s in organisations["sector"]],
                         t(lang, "activities"): organisations["activities"].to_numpy(),
                         t(lang, "network_projects"): named(PROJECT), t(lang, "network_agreements"): named(AGREEMENT)})


def _add_edges(figure: go.Figure, edges: pd.DataFrame, nodes: pd.DataFrame, kind: str, lang: str) -> None:
    """The edges of one kind as one line trace, each edge a segment (None between them); no hover, no click."""
    if edges.empty:
        return
    xs, ys = [], []
    for source, target in zip(edges["source"], edges["target"], strict=True):
        xs += [nodes.at[source, "x"], nodes.at[target, "x"], None]
        ys += [nodes.at[source, "y"], nodes.at[target, "y"], None]
    figure.add_scatter(x=xs, y=ys, mode="lines", name=t(lang, f"network_edge_{kind}"), hoverinfo="skip",
                       line={"color": "#8A939E", "width": 1, "dash": EDGE_STYLES[kind]})


def _add_organisations(figure: go.Figure, organisations: pd.DataFrame, lang: str) -> None:
    if organisations.empty:
        return
    sector = organisations["sector"].iloc[0]
    figure.add_scatter(
        x=organisations["x"], y=organisations["y"], mode="markers", name=sector_name(lang, sector),
        marker={"size": organisations["size"], "color": SECTOR_COLOURS[sector], "symbol": "circle",
                "line": {"color": "white", "width": 1}, "opacity": 0.9},  # a circle under another still shows
        customdata=[[plotly_text(name), sector_name(lang, sector),
                     t(lang, "network_hover_organisation", count=count, ties=ties), {"organisation": name}]
                    for name, count, ties in zip(organisations["name"], organisations["activities"],
                                                 organisations["ties"], strict=True)],
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{customdata[2]}<extra></extra>")


def _add_ties(figure: go.Figure, ties: pd.DataFrame, lang: str) -> None:
    if ties.empty:
        return
    kind = ties["kind"].iloc[0]
    symbol, colour, _ = TIE_STYLES[kind]
    figure.add_scatter(
        x=ties["x"], y=ties["y"], mode="markers", name=t(lang, kind),
        marker={"size": ties["size"], "color": colour, "symbol": symbol, "line": {"color": "white", "width": 1},
                "opacity": 1},  # plotly fades markers sized one by one (bubbles) unless told
        customdata=[[plotly_text(name), t(lang, f"network_hover_{kind}", count=count)]
                    for name, count in zip(ties["name"], ties["ties"], strict=True)],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>")


def _add_names(figure: go.Figure, named: pd.DataFrame) -> None:
    """The names of the largest nodes, drawn last so that no circle covers one, each beside its node: invisible
    markers of the node's size keep the name clear of it, and let a hover or a click reach the node beneath."""
    figure.add_scatter(
        x=named["x"], y=named["y"], mode="markers+text", showlegend=False, hoverinfo="skip",
        marker={"size": named["size"], "color": "rgba(0, 0, 0, 0)", "line": {"width": 0}},
        text=[wrapped(plotly_text(name), LABEL_WRAP) for name in named["name"]], textfont=LABEL_FONT,
        textposition=[_beside(x) if kind == ORGANISATION else _outside(x, y)
                      for kind, x, y in zip(named["kind"], named["x"], named["y"], strict=True)])


def _beside(x: float) -> str:
    """A name toward the middle of the chart, never past its nearer edge: left of a node in the right half."""
    return "middle left" if x > 0 else "middle right"


def _outside(x: float, y: float) -> str:
    """A project's or an agreement's name, standing on the ring round the organisations: above it in the upper
    half and below it in the lower, away from the organisations, and toward the middle near the sides, never past
    the nearer edge."""
    across = "right" if x < -SIDE else "left" if x > SIDE else "center"
    return f"{'top' if y >= 0 else 'bottom'} {across}"


def _title(most: pd.Series, lang: str) -> str:
    """The organisation with the most projects and agreements, the first of the most active when several have as
    many."""
    if not most["ties"]:
        return t(lang, "network_title_none")
    return t(lang, "network_title", name=most["name"], count=int(most["ties"]))


def _alt_text(network: Network, organisations: pd.DataFrame, ties: pd.DataFrame, lang: str) -> str:
    largest = organisations.iloc[0]
    return t(lang, "network_alt", shown=format_number(len(organisations)), total=format_number(network.organisations),
             projects=format_number((ties["kind"] == PROJECT).sum()),
             agreements=format_number((ties["kind"] == AGREEMENT).sum()), name=largest["name"],
             count=int(largest["activities"]))
