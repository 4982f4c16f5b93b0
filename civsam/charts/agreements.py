"""The activities filed under each agreement, quarter by quarter: how much work stands behind each one."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.activity import TYPE_COLOURS, period_counts
from civsam.charts.base import NEUTRAL, Chart, apply_layout, plotly_text, wrapped
from civsam.formatting import format_number
from civsam.i18n import t
from civsam.periods import format_periods


def agreement_activity(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> Chart:
    """Activities per quarter of start..end under each agreement, side by side, the most active first, from
    agreements.agreement_daily_counts."""
    table = period_counts(daily, "quarter", start, end)
    totals = table.sum().sort_values(ascending=False, kind="stable")
    names = list(totals.index)
    quarters = format_periods(table.index.date, "quarter", lang)
    figure = go.Figure()
    for position, name in enumerate(names):
        figure.add_bar(x=quarters, y=table[name], name=wrapped(plotly_text(name)),
                       marker_color=TYPE_COLOURS[position % len(TYPE_COLOURS)],
                       hovertemplate="%{fullData.name}, %{x}: %{y:,.0f}<extra></extra>")
    if not names:  # no agreement has activity in the period: the quarters still show, at zero
        figure.add_bar(x=quarters, y=[0] * len(quarters), name=t(lang, "activities"), marker_color=NEUTRAL,
                       hoverinfo="skip")
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category")
    figure.update_yaxes(title=t(lang, "activities"), rangemode="tozero")
    data = table[names].rename_axis(columns=None).reset_index(drop=True)
    data.insert(0, t(lang, "period"), quarters)
    data.insert(1, t(lang, "period_from"), table.index.date)  # sorts the quarters in time
    parts = ", ".join(f"{name} {format_number(total)}" for name, total in totals.items())
    title = (t(lang, "agreement_chart_title", name=names[0], count=totals.iloc[0])
             if names and totals.iloc[0] else t(lang, "agreement_chart_none"))
    return Chart("agreement_activity", title, apply_layout(figure, height=380, legend=bool(names)), data,
                 t(lang, "agreement_chart_alt", parts=parts or "–"))
