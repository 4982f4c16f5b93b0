"""Who works with whom: the organisations met in the period and the projects and agreements that tie them, laid
out as a network for the Nätverk page.

Nodes are organisations (with their activities under the filters), projects and agreements; an organisation is
tied to a project it had activities in during the period, to an agreement it is a party of that is in force during
the period, and to its umbrella organisation (organisation_memberships) when both are shown. Only the `size` most
active organisations are kept, so a register of hundreds stays readable. The layout is networkx's spring layout
with a fixed seed: the same store and filters always draw the same picture.
"""

import math
from dataclasses import dataclass

import networkx as nx
import pandas as pd
from sqlalchemy import Engine

from civsam.filters import LINKS, Filters, activity_conditions
from civsam.queries import read_frame
from civsam.reference import swedish_order

DEFAULT_SIZE = 30  # organisations shown unless the page asks for more or fewer: labels still fit on a phone
SMALLEST_SIZE, LARGEST_SIZE = 5, 100
# networkx lays out up to 499 nodes with numpy alone (more needs scipy): the LARGEST_SIZE organisations and at
# most this many projects and agreements, those tied to the most of them, stay well below
MOST_TIES = 150
SEED = 7  # the spring layout's: the same picture every time
# the distance the spring layout keeps between nodes, the ring of projects and agreements being 1 from the centre:
# networkx's default (1 / √nodes) let organisations tied to every project pile up in the middle
SPACING = 0.6
ORGANISATION, PROJECT, AGREEMENT, MEMBER = "organisation", "project", "agreement", "member"


@dataclass(frozen=True)
class Network:
    # key ("o12", "pSESIN", "a3"), kind (ORGANISATION, PROJECT, AGREEMENT), name, sector (organisations; None
    # otherwise), activities (the organisation's in the period; 0 for the others), ties (an organisation's projects
    # and agreements, a project's or an agreement's organisations), x and y (the layout, within -1..1)
    nodes: pd.DataFrame
    # source (an organisation's key), target (a project's, an agreement's or an umbrella's key), kind (PROJECT,
    # AGREEMENT, MEMBER), activities (the organisation's in the project; 0 for the others)
    edges: pd.DataFrame
    organisations: int  # organisations with activities in the period: how many the shown ones were chosen from


def partner_network(engine: Engine, filters: Filters, size: int = DEFAULT_SIZE) -> Network:
    """The network of the `size` organisations with the most activities under `filters` (ties broken by name),
    with the projects and agreements they share and their umbrella memberships among them, laid out."""
    active = _active_organisations(engine, filters)
    shown = active.head(size)
    keys = {organisation_id: f"o{organisation_id}" for organisation_id in shown["id"]}
    edges = pd.concat([_project_edges(engine, filters, keys), _agreement_edges(engine, filters, keys),
                       _member_edges(engine, keys)], ignore_index=True)
    edges = _most_tied(edges)
    organisations = pd.DataFrame({"key": shown["id"].map(keys), "kind": ORGANISATION, "name": shown["name"],
                                  "sector": shown["sector"], "activities": shown["activities"]})
    tied = edges[edges["kind"] != MEMBER]
    ties = (tied.groupby(["target", "kind"], as_index=False, sort=False)
            .agg(name=("name", "first"), ties=("source", "size")).rename(columns={"target": "key"}))
    organisations["ties"] = organisations["key"].map(tied["source"].value_counts()).fillna(0)
    nodes = pd.concat([organisations, ties.assign(sector=None, activities=0)], ignore_index=True)
    nodes = nodes.astype({"activities": int, "ties": int})
    positions = layout(nodes["key"].tolist(), edges)
    nodes["x"] = [positions[key][0] for key in nodes["key"]]
    nodes["y"] = [positions[key][1] for key in nodes["key"]]
    return Network(nodes, edges[["source", "target", "kind", "activities"]], len(active))


def layout(keys: list[str], edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Each node's place, within -1..1. The projects and agreements stand evenly on a circle, in the order of the edges,
    so that no two of them meet however many organisations they share; the organisations find their places among
    them by a spring layout with a fixed seed, each pulled toward its ties, the harder the more activities they
    share. The same network is drawn alike on every run."""
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_weighted_edges_from((source, target, 1 + activities ** 0.5) for source, target, activities
                                  in zip(edges["source"], edges["target"], edges["activities"], strict=True))
    ties = list(dict.fromkeys(edges.loc[edges["kind"] != MEMBER, "target"]))
    if len(keys) <= 1:  # nothing to lay out, or one node: the centre
        return dict.fromkeys(keys, (0.0, 0.0))
    if len(ties) < 2:  # one tie or none: nothing to spread
        return _within_unit_box(nx.spring_layout(graph, seed=SEED, iterations=100))
    ring = {key: (math.cos(2 * math.pi * index / len(ties)), math.sin(2 * math.pi * index / len(ties)))
            for index, key in enumerate(ties)}
    return _within_unit_box(nx.spring_layout(graph, k=SPACING, pos=ring, fixed=ties, seed=SEED, iterations=100))


def _within_unit_box(positions: dict) -> dict[str, tuple[float, float]]:
    """The positions moved and scaled, keeping their proportions, to fill -1..1 on their longer side."""
    xs, ys = zip(*positions.values(), strict=True)
    middle = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1
    return {key: (float((x - middle[0]) / half), float((y - middle[1]) / half)) for key, (x, y) in positions.items()}


def _active_organisations(engine: Engine, filters: Filters) -> pd.DataFrame:
    """Every organisation with activities under the filters (with a sector filter, only its sectors' ones), the
    most active first and those with as many in Swedish alphabetical order: id, name, sector, activities."""
    where, params = activity_conditions(filters, LINKS, sector_column="ao.sector")
    frame = read_frame(engine, f"""
        SELECT o.id, o.name, o.sector, counts.activities
        FROM (SELECT ao.organisation_id, COUNT(*) AS activities FROM activity_organisations ao
              WHERE {where} GROUP BY ao.organisation_id) counts
        JOIN organisations o ON o.id = counts.organisation_id
    """, params)
    frame = frame.astype({"activities": int}).assign(order=frame["name"].map(swedish_order))
    return frame.sort_values(["activities", "order"], ascending=[False, True]).drop(columns="order")


def _project_edges(engine: Engine, filters: Filters, keys: dict[int, str]) -> pd.DataFrame:
    """An edge from each shown organisation to each project it had activities in under the filters."""
    where, params = activity_conditions(filters, LINKS, sector_column="ao.sector")
    # grouped by project, then organisation: in the order of the links' project index (migration 0014), which SQLite
    # reads pair by pair without a sort (0.05 s for a year of a million activities); grouped by organisation first,
    # it looked every link of the period up in the table through the organisations' index (1.5 s)
    frame = read_frame(engine, f"""
        SELECT ao.organisation_id, ao.project AS name, COUNT(*) AS activities FROM activity_organisations ao
        WHERE {where} AND ao.project IS NOT NULL
        GROUP BY ao.project, ao.organisation_id
    """, params)
    frame = frame[frame["organisation_id"].isin(list(keys))]
    return pd.DataFrame({"source": frame["organisation_id"].map(keys), "target": "p" + frame["name"],
                         "kind": PROJECT, "name": frame["name"], "activities": frame["activities"].astype(int)})


def _agreement_edges(engine: Engine, filters: Filters, keys: dict[int, str]) -> pd.DataFrame:
    """An edge from each shown organisation to each agreement it is a party of that is in force some day of the
    period (signed by its end, valid until its start or later)."""
    frame = read_frame(engine, """
        SELECT ao.organisation_id, a.id, a.name FROM agreement_organisations ao
        JOIN agreements a ON a.id = ao.agreement_id
        WHERE a.signed <= :end AND (a.valid_until IS NULL OR a.valid_until >= :start)
    """, {"start": filters.start, "end": filters.end})
    frame = frame[frame["organisation_id"].isin(list(keys))]
    return pd.DataFrame({"source": frame["organisation_id"].map(keys), "target": "a" + frame["id"].astype(str),
                         "kind": AGREEMENT, "name": frame["name"], "activities": 0})


def _member_edges(engine: Engine, keys: dict[int, str]) -> pd.DataFrame:
    """An edge from each shown organisation to each of its umbrella organisations that is shown too."""
    frame = read_frame(engine, "SELECT member_id, umbrella_id FROM organisation_memberships")
    frame = frame[frame["member_id"].isin(list(keys)) & frame["umbrella_id"].isin(list(keys))]
    return pd.DataFrame({"source": frame["member_id"].map(keys), "target": frame["umbrella_id"].map(keys),
                         "kind": MEMBER, "name": None, "activities": 0})


def _most_tied(edges: pd.DataFrame) -> pd.DataFrame:
    """The edges, sorted so that every run lays them out alike, of at most MOST_TIES projects and agreements:
    those with the most organisations, then the most activities, then by name."""
    ties = edges[edges["kind"] != MEMBER]
    ranked = (ties.groupby("target", as_index=False)
              .agg(organisations=("source", "size"), activities=("activities", "sum"), name=("name", "first")))
    ranked = ranked.assign(order=ranked["name"].map(swedish_order)).sort_values(
        ["organisations", "activities", "order"], ascending=[False, False, True])
    kept = set(ranked["target"].head(MOST_TIES)) | set(edges.loc[edges["kind"] == MEMBER, "target"])
    return edges[edges["target"].isin(kept)].sort_values(["kind", "target", "source"], ignore_index=True)
