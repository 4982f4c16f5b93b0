"""Charts of the resource gap: what the region devotes to civil society against the business sector,
per year, as a ratio and a difference, and what parity would take."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from civsam.charts.base import SECTOR_COLOURS, Chart, apply_layout
from civsam.formatting import format_number
from civsam.i18n import sector_name, t

MEASURES = ("fte", "budget_sek", "hours", "activities", "organisations", "municipalities")
MEASURE_LABELS = {"fte": "fte", "budget_sek": "budget", "hours": "hours", "activities": "activities",
                  "organisations": "organisations", "municipalities": "municipalities"}
RATIO_COLOURS = {"fte": "#D55E00", "budget_sek": "#E69F00", "hours": "#0072B2", "activities": "#009E73"}


def gap_table(years: pd.DataFrame) -> pd.DataFrame:
    """One row per year: each measure for civil society and business, their ratio (business ÷ civil
    society; empty where civil society has none) and difference (business − civil society)."""
    wide = years.pivot(index="year", columns="sector", values=list(MEASURES))
    table = pd.DataFrame(index=wide.index)
    for measure in MEASURES:
        civil, business = wide[(measure, "civil_society")], wide[(measure, "business")]
        table[f"{measure}_civil_society"] = civil
        table[f"{measure}_business"] = business
        table[f"{measure}_ratio"] = business / civil.replace(0, np.nan)
        table[f"{measure}_difference"] = business - civil
    return table.reset_index()


def staff_gap(years: pd.DataFrame, lang: str) -> Chart:
    """Dedicated staff (årsarbetskrafter) per year, civil society beside business."""
    table = gap_table(years)
    figure = go.Figure()
    for sector in ("civil_society", "business"):
        figure.add_bar(x=table["year"].astype(str), y=table[f"fte_{sector}"], name=sector_name(lang, sector),
                       marker_color=SECTOR_COLOURS[sector],
                       text=[format_number(v, 1) for v in table[f"fte_{sector}"]], textposition="outside",
                       hovertemplate=f"{sector_name(lang, sector)} %{{x}}: %{{y:,.1f}}<extra></extra>")
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category")
    figure.update_yaxes(title=t(lang, "fte"))
    known = table.dropna(subset=["fte_ratio"])
    if known.empty:
        title = t(lang, "gap_title_none")
    else:
        last = known.iloc[-1]
        title = t(lang, "gap_title_fte", ratio=format_number(last["fte_ratio"], 1), year=int(last["year"]))
    civil, business = sector_name(lang, "civil_society"), sector_name(lang, "business")
    parts = "; ".join(f"{int(row.year)}: {civil} {format_number(row.fte_civil_society, 1)}, "
                      f"{business} {format_number(row.fte_business, 1)}" for row in table.itertuples())
    return Chart("staff_gap", title, apply_layout(figure, height=380), readable_gap_table(table, lang),
                 t(lang, "gap_alt", parts=parts))


def ratio_trend(years: pd.DataFrame, lang: str) -> Chart:
    """The gap's trend: business ÷ civil society per year for staff, budget, hours and activities."""
    table = gap_table(years)
    figure = go.Figure()
    for measure, colour in RATIO_COLOURS.items():
        figure.add_scatter(x=table["year"].astype(str), y=table[f"{measure}_ratio"], mode="lines+markers",
                           name=t(lang, MEASURE_LABELS[measure]), line={"color": colour, "width": 3},
                           hovertemplate=f"{t(lang, MEASURE_LABELS[measure])} %{{x}}: %{{y:,.1f}}<extra></extra>")
    figure.add_hline(y=1, line={"color": "#1B1F24", "dash": "dot"})
    figure.update_xaxes(type="category")
    ticks = [0.5, 1, 2, 5, 10, 20, 50, 100]
    figure.update_yaxes(title=t(lang, "ratio"), type="log",  # ratios from 1 to 50 side by side
                        tickvals=ticks, ticktext=[format_number(tick, 1 if tick < 1 else 0) for tick in ticks])
    hours = table[table["hours_ratio"] > 0]
    last = hours.iloc[-1] if len(hours) else None
    title = (t(lang, "ratio_trend_title", ratio=format_number(last["hours_ratio"], 1), year=int(last["year"]))
             if last is not None else t(lang, "gap_title_none"))
    parts = "; ".join(f"{int(row.year)}: " + ", ".join(
        f"{t(lang, MEASURE_LABELS[m])} {format_number(getattr(row, f'{m}_ratio'), 1)}" for m in RATIO_COLOURS)
        for row in table.itertuples())
    return Chart("ratio_trend", title, apply_layout(figure, height=380), readable_gap_table(table, lang),
                 t(lang, "ratio_alt", parts=parts))


def parity(years: pd.DataFrame, lang: str) -> str:
    """What parity would take in the latest year with resources: more staff and budget for civil society."""
    table = gap_table(years).dropna(subset=["fte_ratio"])
    if table.empty:
        return t(lang, "gap_title_none")
    last = table.iloc[-1]
    return t(lang, "parity_title", year=int(last["year"]), fte=format_number(max(last["fte_difference"], 0), 1),
             budget=format_number(max(last["budget_sek_difference"], 0)))


def readable_gap_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap table with the interface's column names, for 'Visa data' and downloads."""
    civil, business = sector_name(lang, "civil_society"), sector_name(lang, "business")
    columns = {"year": t(lang, "year")}
    for measure in MEASURES:
        label = t(lang, MEASURE_LABELS[measure])
        columns |= {f"{measure}_civil_society": f"{label}: {civil}", f"{measure}_business": f"{label}: {business}",
                    f"{measure}_ratio": f"{label}: {t(lang, 'ratio').lower()}",
                    f"{measure}_difference": f"{label}: {t(lang, 'difference').lower()}"}
    return table[list(columns)].rename(columns=columns).round(2)
