"""One organisation's activities per quarter, its own and its members' stacked, with its agreements' signings."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.activity import TYPE_COLOURS, period_counts
from civsam.charts.base import NEUTRAL, Chart, apply_layout, plotly_text, wrapped
from civsam.formatting import format_number
from civsam.i18n import t
from civsam.periods import format_periods

GROUPS = ("own", "members")  # bottom to top: the organisation itself, then its members


def organisation_activity(daily: pd.DataFrame, agreements: pd.DataFrame, start: dt.date, end: dt.date, name: str,
                          lang: str) -> Chart:
    """Activities per quarter of start..end naming the organisation, and naming only its members, stacked, from
    profile.daily_counts; a dashed line at the quarter of each signing in the period, from profile.agreements."""
    table = period_counts(daily, "quarter", start, end).reindex(columns=list(GROUPS), fill_value=0)
    quarters = format_periods(table.index.date, "quarter", lang)
    labels = {"own": wrapped(plotly_text(name)), "members": t(lang, "profile_member_group")}
    figure = go.Figure()
    for position, group in enumerate(GROUPS):
        figure.add_bar(x=quarters, y=table[group], name=labels[group], marker_color=TYPE_COLOURS[position],
                       hovertemplate="%{fullData.name}, %{x}: %{y:,.0f}<extra></extra>")
    top = max(1, int(table.sum(axis=1).max()))
    signed = agreements[(agreements["signed"] >= start) & (agreements["signed"] <= end)]
    for position, (agreement, day) in enumerate(zip(signed["agreement"], signed["signed"], strict=True)):
        quarter = quarters[int((pd.Timestamp(day).to_period("Q") - pd.Timestamp(start).to_period("Q")).n)]
        figure.add_scatter(x=[quarter, quarter], y=[0, top], mode="lines", name=t(lang, "profile_signing"),
                           line={"color": NEUTRAL, "dash": "dash", "width": 2}, legendgroup="signed",
                           showlegend=position == 0, customdata=[plotly_text(agreement)] * 2,
                           hovertemplate=f"%{{customdata}}, {day.isoformat()}<extra></extra>")
    figure.update_layout(barmode="stack")
    figure.update_xaxes(type="category")
    figure.update_yaxes(title=t(lang, "activities"), rangemode="tozero")
    data = pd.DataFrame({t(lang, "period"): quarters, t(lang, "period_from"): table.index.date,
                         name: table["own"].to_numpy(), t(lang, "profile_member_group"): table["members"].to_numpy()})
    parts = ", ".join(f"{quarter} {format_number(own)} + {format_number(members)}" for quarter, own, members
                      in zip(quarters, table["own"], table["members"], strict=True) if own or members)
    signings = ", ".join(f"{agreement} {day.isoformat()}" for agreement, day
                         in zip(signed["agreement"], signed["signed"], strict=True))
    title = t(lang, "profile_chart_title", count=int(table.to_numpy().sum()), name=name)
    return Chart("organisation_activity", title, apply_layout(figure, height=380), data,
                 t(lang, "profile_chart_alt", parts=parts or "–", signings=signings or "–"))
