"""Charts of where the region has contact: each of the 29 municipalities (on a map or a tile grid,
absolute or per 10 000 inhabitants, white spots standing out) and the two counties compared."""

from collections import Counter

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.base import Chart, apply_layout
from civsam.charts.maps import coverage_map, tile_grid
from civsam.formatting import format_number
from civsam.i18n import t
from civsam.reference import MUNICIPALITIES

COUNTY_COLOURS = {"Västerbotten": "#0072B2", "Norrbotten": "#009E73"}
MUNICIPALITY_COUNT = Counter(m.county for m in MUNICIPALITIES)


def per_10k(count: pd.Series, population: pd.Series) -> pd.Series:
    return count / population * 10_000


def coverage_values(coverage: pd.DataFrame, lang: str, *, measure: str, per_capita: bool) -> pd.DataFrame:
    """code, name, value, hover for the map and the tile grid, from queries.coverage."""
    value = per_10k(coverage[measure], coverage["population"]) if per_capita else coverage[measure].astype(float)
    hover = [f"{name}: {format_number(a)} {t(lang, 'coverage_activities')}, {format_number(p)} "
             f"{t(lang, 'coverage_partners')}, {format_number(per_10k_value, 1)} {t(lang, 'per_10k')}"
             for name, a, p, per_10k_value in zip(coverage["municipality"], coverage["activities"],
                                                  coverage["partners"],
                                                  per_10k(coverage["activities"], coverage["population"]),
                                                  strict=True)]
    return pd.DataFrame({"code": coverage["code"], "name": coverage["municipality"], "value": value, "hover": hover})


def municipality_coverage(coverage: pd.DataFrame, lang: str, *, measure: str = "activities", per_capita: bool = False,
                          view: str = "map") -> Chart:
    """The municipalities coloured by activities or partners; those without contact stand out."""
    values = coverage_values(coverage, lang, measure=measure, per_capita=per_capita)
    label = f"{t(lang, 'coverage_' + measure)} {t(lang, 'per_10k') if per_capita else ''}".strip().capitalize()
    draw = coverage_map if view == "map" else tile_grid
    figure = draw(values, value_label=label, empty_label=t(lang, "white_spots"))
    blank = coverage.loc[coverage["activities"] == 0, "municipality"].tolist()
    total = len(coverage)
    title = (t(lang, "coverage_title_full", total=total) if not blank else
             t(lang, "coverage_title", reached=total - len(blank), total=total, blank=len(blank)))
    top = values.nlargest(3, "value")
    top_text = ", ".join(f"{name} {format_number(v, 1 if per_capita else 0)}"
                         for name, v in zip(top["name"], top["value"], strict=True))
    alt = t(lang, "coverage_alt", blank=", ".join(blank) or "–", measure=label.lower(), top=top_text)
    return Chart(f"coverage_{view}", title, figure, coverage_table(coverage, lang), alt,
                 t(lang, "click_municipality_hint"),
                 {name: {"municipality": code} for name, code in zip(values["name"], values["code"], strict=True)})


def coverage_table(coverage: pd.DataFrame, lang: str) -> pd.DataFrame:
    per_10k_label = t(lang, "per_10k")
    return pd.DataFrame({
        t(lang, "municipality"): coverage["municipality"],
        t(lang, "county"): coverage["county"],
        "SCB": coverage["code"],
        t(lang, "activities"): coverage["activities"],
        f"{t(lang, 'activities')} {per_10k_label}": per_10k(coverage["activities"], coverage["population"]).round(1),
        t(lang, "organisations"): coverage["partners"],
        f"{t(lang, 'organisations')} {per_10k_label}": per_10k(coverage["partners"], coverage["population"]).round(1),
    })


def county_comparison(coverage: pd.DataFrame, county_wide: pd.DataFrame, lang: str) -> Chart:
    """Activities per 10 000 inhabitants and municipalities reached, per county. County-wide activities
    (a Län but no municipality) count toward their county."""
    counties = coverage.groupby("county", sort=False).agg(
        population=("population", "sum"), activities=("activities", "sum"),
        reached=("activities", lambda a: int((a > 0).sum())), municipalities=("code", "count")).reset_index()
    wide = county_wide.set_index("county")["activities"] if len(county_wide) else pd.Series(dtype=int)
    counties["county_wide"] = counties["county"].map(wide).fillna(0).astype(int)
    counties["per_10k"] = per_10k(counties["activities"] + counties["county_wide"], counties["population"])
    figure = go.Figure(go.Bar(
        x=counties["county"], y=counties["per_10k"], marker_color=[COUNTY_COLOURS[c] for c in counties["county"]],
        text=[format_number(v, 1) for v in counties["per_10k"]], textposition="outside",
        customdata=[[reached, total, {"county": county}] for county, reached, total
                    in counties[["county", "reached", "municipalities"]].itertuples(index=False)],
        hovertemplate="%{x}: %{y:,.1f} (%{customdata[0]}/%{customdata[1]})<extra></extra>"))
    figure.update_yaxes(title=f"{t(lang, 'activities')} {t(lang, 'per_10k')}")
    parts = ", ".join(t(lang, "county_alt_part", county=c, value=format_number(v, 1), reached=r, total=m)
                      for c, v, r, m in counties[["county", "per_10k", "reached", "municipalities"]].itertuples(
                          index=False))
    data = pd.DataFrame({
        t(lang, "county"): counties["county"],
        t(lang, "activities"): counties["activities"],
        t(lang, "county_wide"): counties["county_wide"],
        f"{t(lang, 'activities')} {t(lang, 'per_10k')}": counties["per_10k"].round(1),
        t(lang, "municipalities_reached"): counties["reached"],
    })
    return Chart("county_comparison", county_title(counties, lang), apply_layout(figure, height=340, legend=False),
                 data, t(lang, "county_alt", parts=parts), t(lang, "click_bar_hint"),
                 {county: {"county": county} for county in counties["county"]})


def county_title(counties: pd.DataFrame, lang: str) -> str:
    """The finding about the counties shown: the one ahead of two, or the one a county filter leaves; "the chosen
    municipalities in Norrbotten" when a municipality filter leaves only some of its municipalities."""
    if len(counties) == 2 and not counties["per_10k"].sum():
        return t(lang, "county_title_none")
    leader = counties.loc[counties["per_10k"].idxmax()]
    place = (leader["county"] if leader["municipalities"] == MUNICIPALITY_COUNT[leader["county"]]
             else t(lang, "chosen_in_county", county=leader["county"]))
    return t(lang, "county_title" if len(counties) == 2 else "county_title_single", leader=place,
             value=format_number(leader["per_10k"], 1))
