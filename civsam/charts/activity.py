"""Charts of how often the region meets whom: sectors side by side, meetings over time, the most frequent
partners, a weekday × month heatmap and the partners nobody has met for a while."""

import datetime as dt
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.base import (
    NEUTRAL,
    SECTOR_COLOURS,
    SEQUENTIAL,
    Chart,
    apply_layout,
    colour_bar,
    plotly_text,
    wrapped,
)
from civsam.formatting import format_date, format_number
from civsam.i18n import MONTH_NAMES, MONTHS, WEEKDAYS, sector_name, t
from civsam.periods import format_periods
from civsam.queries import SEVERAL_SECTORS
from civsam.reference import SECTORS

PERIOD_FREQUENCIES = {"week": "W-SUN", "month": "M", "quarter": "Q"}  # weeks run Monday to Sunday
ROLLING_PERIODS = {"week": 4, "month": 3, "quarter": 2}
TYPE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#5A6470")


def sector_comparison(sectors: pd.DataFrame, totals: dict, lang: str) -> Chart:
    """Activities per sector, side by side, from queries.sector_figures, and below the table their total from
    queries.key_figures. An activity with organisations of several sectors is a bar in each, so the bars may
    add up to more than the activities: the chart says so under the bars, and the total counts each once."""
    names = [sector_name(lang, s) for s in sectors["sector"]]
    figure = go.Figure(go.Bar(
        x=names, y=sectors["activities"], marker_color=[SECTOR_COLOURS[s] for s in sectors["sector"]],
        text=[format_number(v) for v in sectors["activities"]], textposition="outside",
        customdata=[[{"sector": sector}] for sector in sectors["sector"]],
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    leader = sectors.loc[sectors["activities"].idxmax()]
    parts = ", ".join(f"{n} {format_number(v)}" for n, v in zip(names, sectors["activities"], strict=True))
    alt = t(lang, "sector_compare_alt", parts=parts)
    if (bars := int(sectors["activities"].sum())) > totals["activities"]:
        overlap = t(lang, "sector_overlap", bars=format_number(bars), activities=format_number(totals["activities"]))
        figure.update_xaxes(title=wrapped(overlap), automargin=True)  # under the bars, whole on a phone too
        alt = f"{alt} {overlap}"
    data = pd.DataFrame({t(lang, "sector"): [*names, t(lang, "sector_total")],
                         **{t(lang, figure_key): [*sectors[figure_key], totals[figure_key]]
                            for figure_key in ("activities", "organisations", "municipalities", "hours")}})
    return Chart("sector_comparison",
                 t(lang, "sector_compare_title", leader=sector_name(lang, leader["sector"]),
                   count=leader["activities"]),
                 apply_layout(figure, height=360, legend=False), data, alt, t(lang, "click_bar_hint"),
                 {name: {"sector": sector} for name, sector in zip(names, sectors["sector"], strict=True)})


def period_counts(daily: pd.DataFrame, unit: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Daily counts (date, group, activities) summed per week, month or quarter; every period of
    start..end present, labelled by its first day."""
    index = pd.period_range(start, end, freq=PERIOD_FREQUENCIES[unit])
    if daily.empty:
        return pd.DataFrame(index=index.start_time)
    periods = daily["date"].dt.to_period(PERIOD_FREQUENCIES[unit])
    table = daily.assign(period=periods).pivot_table(index="period", columns="group", values="activities",
                                                     aggfunc="sum")
    table = table.reindex(index, fill_value=0).fillna(0).astype(int)
    table.index = table.index.start_time
    return table


def frequency(daily: pd.DataFrame, totals: pd.DataFrame, totals_year_earlier: pd.DataFrame, start: dt.date,
              end: dt.date, lang: str, *, unit: str = "month", by: str = "sector") -> Chart:
    """Activities per period, stacked by sector (an activity with partners of several sectors in a stack of
    its own) or by type, with a rolling average of the total and the total of the same periods a year
    earlier, from daily counts and daily totals."""
    table = period_counts(daily, unit, start, end)
    total = _total(totals, unit, start, end)
    periods = format_periods(table.index.date, unit, lang)
    if by == "sector":
        groups = [s for s in (*SECTORS, SEVERAL_SECTORS) if s in table.columns]
        label = partial(_group_name, lang)
    else:
        groups, label = sorted(table.columns), str
    spans = period_spans(table.index, unit)
    figure = go.Figure()
    for position, group in enumerate(groups):
        colour = (SECTOR_COLOURS.get(group, NEUTRAL) if by == "sector"
                  else TYPE_COLOURS[position % len(TYPE_COLOURS)])
        narrowing = {} if group == SEVERAL_SECTORS else {by: group}  # no filter picks out "several sectors"
        figure.add_bar(x=periods, y=table[group], name=wrapped(plotly_text(label(group))), marker_color=colour,
                       customdata=[[plotly_text(label(group)), span | narrowing]  # a typed type is no template
                                   for span in spans],
                       hovertemplate="%{customdata[0]}, %{x}: %{y:,.0f}<extra></extra>")
    rolling = total.rolling(ROLLING_PERIODS[unit], min_periods=1).mean()
    figure.add_scatter(x=periods, y=rolling, name=t(lang, "rolling_average"), mode="lines",
                       line={"color": "#1B1F24", "width": 3},
                       hovertemplate=f"{t(lang, 'rolling_average')}, %{{x}}: %{{y:,.1f}}<extra></extra>")
    earlier = _total(totals_year_earlier, unit, _year_before(start), _year_before(end))
    if len(earlier) == len(total):
        figure.add_scatter(x=periods, y=earlier.to_numpy(), name=t(lang, "year_earlier"), mode="lines",
                           line={"color": NEUTRAL, "width": 2, "dash": "dash"},
                           hovertemplate=f"{t(lang, 'year_earlier')}, %{{x}}: %{{y:,.0f}}<extra></extra>")
    figure.update_layout(barmode="stack")
    figure.update_xaxes(type="category")  # the period labels as written, never read as dates
    unit_text = t(lang, unit)
    alt = t(lang, "frequency_alt", unit=unit_text, peak_count=format_number(total.max() if len(total) else 0),
            peak_period=periods[total.argmax()] if total.sum() else "–",
            comparison=t(lang, "year_earlier_compare", count=int(earlier.sum())))
    data = table.rename(columns=label).rename_axis(columns=None).reset_index(drop=True)
    data.insert(0, t(lang, "period"), periods)
    data.insert(1, t(lang, "period_from"), table.index.date)  # sorts the periods in time, and reads as a date
    data[t(lang, "total")] = total.to_numpy()
    data[t(lang, "rolling_average")] = rolling.round(1).to_numpy()
    title = t(lang, "frequency_title", count=int(total.sum()),
              average=format_number(total.mean() if len(total) else 0, 1), unit=unit_text)
    return Chart("frequency", title, apply_layout(figure), data, alt, t(lang, "click_bar_hint"),
                 dict(zip(periods, spans, strict=True)))


def period_spans(first_days: pd.DatetimeIndex, unit: str) -> list[dict]:
    """Each period's first and last day, as a bar's narrowing (civsam.drilldown)."""
    index = pd.PeriodIndex(first_days, freq=PERIOD_FREQUENCIES[unit])
    return [{"start": first.date().isoformat(), "end": last.date().isoformat()}
            for first, last in zip(index.start_time, index.end_time, strict=True)]


def _group_name(lang: str, group: str) -> str:
    return t(lang, "several_sectors") if group == SEVERAL_SECTORS else sector_name(lang, group)


def _total(totals: pd.DataFrame, unit: str, start: dt.date, end: dt.date) -> pd.Series:
    table = period_counts(totals.assign(group="total"), unit, start, end)
    return table["total"] if "total" in table else pd.Series(0, index=table.index)


def _year_before(day: dt.date) -> dt.date:
    return (pd.Timestamp(day) - pd.DateOffset(years=1)).date()


def top_partners(partners: pd.DataFrame, lang: str) -> Chart:
    """The most frequent partners as horizontal bars coloured by sector, from queries.top_partners."""
    ordered = partners.iloc[::-1]
    figure = go.Figure(go.Bar(
        x=ordered["activities"], y=[wrapped(plotly_text(name)) for name in ordered["organisation"]], orientation="h",
        marker_color=[SECTOR_COLOURS[s] for s in ordered["sector"]],
        text=[format_number(v) for v in ordered["activities"]], textposition="outside",
        customdata=[[plotly_text(name), sector_name(lang, sector), {"organisation": name}]
                    for name, sector in zip(ordered["organisation"], ordered["sector"], strict=True)],
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{x:,.0f}<extra></extra>"))
    data = pd.DataFrame({t(lang, "organisation"): partners["organisation"],
                         t(lang, "sector"): [sector_name(lang, s) for s in partners["sector"]],
                         t(lang, "activities"): partners["activities"]})
    parts = ", ".join(f"{n} {format_number(v)}" for n, v in zip(partners["organisation"], partners["activities"],
                                                                strict=True))
    most = partners["activities"].iloc[0]
    leaders = partners.loc[partners["activities"] == most, "organisation"].tolist()
    title = (t(lang, "partners_title", name=leaders[0], count=most) if len(leaders) == 1 else
             t(lang, "partners_title_tied", count=len(leaders), activities=format_number(most)))
    return Chart("top_partners", title,
                 apply_layout(figure, height=max(300, 34 * len(partners) + 80), legend=False), data,
                 t(lang, "partners_alt", parts=parts), t(lang, "click_partner_hint"),
                 {name: {"organisation": name} for name in partners["organisation"]})


def weekday_heatmap(totals: pd.DataFrame, lang: str) -> Chart:
    """Activities per weekday (rows) and month (columns), summed over the period, from daily totals."""
    frame = totals.set_index("date")[["activities"]]
    frame = frame.assign(weekday=frame.index.day_of_week, month=frame.index.month)
    grid = frame.pivot_table(index="weekday", columns="month", values="activities", aggfunc="sum")
    grid = grid.reindex(index=range(7), columns=range(1, 13)).fillna(0).astype(int)
    weekdays, months = WEEKDAYS[lang], MONTHS[lang]
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(months), y=list(weekdays), colorscale=SEQUENTIAL,
        text=grid.to_numpy(), texttemplate="%{text}", hovertemplate="%{y}, %{x}: %{z}<extra></extra>",
        colorbar=colour_bar(t(lang, "activities"))))
    figure.update_xaxes(side="top")  # the colour bar lies underneath
    figure.update_yaxes(autorange="reversed")
    weekday_index, month_index = divmod(int(grid.to_numpy().argmax()), 12)
    data = grid.rename(index=dict(enumerate(weekdays)), columns=dict(enumerate(months, start=1)))
    data = data.rename_axis(index=t(lang, "weekday"), columns=None).reset_index()
    peak = {"weekday": weekdays[weekday_index], "month_name": MONTH_NAMES[lang][month_index]}
    return Chart("weekday_heatmap", t(lang, "heatmap_title", **peak), apply_layout(figure, height=380, legend=False),
                 data, t(lang, "heatmap_alt", count=grid.to_numpy().max(), **peak))


def dormant_partners(contacts: pd.DataFrame, months: int, end: dt.date, lang: str,
                     narrowed: bool = False) -> tuple[str, pd.DataFrame]:
    """Organisations with no contact for `months` months before `end`: a title and the table. With the contacts
    `narrowed` to a place or a project, one without any there may well have met the region elsewhere: it is
    "none in the selection", not "never"."""
    cutoff = pd.Timestamp(end) - pd.DateOffset(months=months)
    dormant = contacts[contacts["last_contact"].isna() | (contacts["last_contact"] < cutoff)]
    no_contact = t(lang, "none_in_selection" if narrowed else "never")
    table = pd.DataFrame({
        t(lang, "organisation"): dormant["organisation"],
        t(lang, "sector"): [sector_name(lang, s) for s in dormant["sector"]],
        t(lang, "last_contact"): [format_date(d.date()) if pd.notna(d) else no_contact
                                  for d in dormant["last_contact"]],
    })
    title = (t(lang, "dormant_title", count=len(dormant), months=months) if len(dormant)
             else t(lang, "dormant_none", months=months))
    return title, table.reset_index(drop=True)
