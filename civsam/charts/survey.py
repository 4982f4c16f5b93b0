"""The partners' own view: per principle and year, the answers as diverging stacked bars (those who do not agree to
the left of the middle, those who agree to the right, "delvis" split across it), with the share who agree, n and
the change since the year before in the table behind it. A group of fewer than five shows "för få svar" and no
bar (civsam.survey leaves its shares out)."""

import pandas as pd
import plotly.graph_objects as go

from civsam.charts.base import Chart, apply_layout, wrapped
from civsam.formatting import format_change, format_number
from civsam.i18n import t
from civsam.narrative import percent
from civsam.survey_questions import FEWEST, PRINCIPLES

# Okabe–Ito: vermilion and orange for not agreeing, a neutral grey for "delvis", sky blue and blue for agreeing
STEP_COLOURS = {1: "#D55E00", 2: "#E69F00", 3: "#BBBBBB", 4: "#56B4E9", 5: "#0072B2"}
SHOWN_YEARS = 2  # the latest survey and the one before, beside each other
ROW_HEIGHT = 44  # px per bar: room for a principle's name on two lines


def principle_label(lang: str, principle: str) -> str:
    return t(lang, f"principle_{principle.replace(' ', '_')}")


def shown_years(figures: pd.DataFrame, until: int) -> list[int]:
    """The latest SHOWN_YEARS survey years up to `until`."""
    return sorted(int(year) for year in figures["year"].unique() if year <= until)[-SHOWN_YEARS:]


def principle_distribution(figures: pd.DataFrame, lang: str, *, until: int) -> Chart:
    """survey.principle_figures drawn for the latest survey years up to `until`: one bar per principle and year."""
    years = shown_years(figures, until)
    # each principle's years beside each other, in the order of the survey; plotly draws the first at the bottom
    shown = figures[figures["year"].isin(years)].sort_values(["principle", "year"], key=_survey_order,
                                                             ascending=False)
    labels = [wrapped(f"{principle_label(lang, row.principle)} {row.year}") for row in shown.itertuples()]
    figure = go.Figure()
    halves = [(3, -0.5), (2, -1), (1, -1), (3, 0.5), (4, 1), (5, 1)]  # outwards from the middle on each side
    for step, side in halves:
        shares = shown[f"share_{step}"].astype(float) * abs(side)
        figure.add_bar(y=labels, x=(shares * 100 * (1 if side > 0 else -1)).round(1), orientation="h",
                       name=t(lang, f"survey_step_{step}"), legendgroup=str(step), legendrank=step,
                       showlegend=side != -0.5,
                       marker={"color": STEP_COLOURS[step], "line": {"color": "white", "width": 1}},
                       customdata=(shown[f"share_{step}"].astype(float) * 100).round(0),
                       hovertemplate=f"%{{y}}: {t(lang, f'survey_step_{step}')} %{{customdata:.0f}} %<extra></extra>")
    for label, row in zip(labels, shown.itertuples(), strict=True):
        if row.n < FEWEST:
            figure.add_annotation(x=0, y=label, text=t(lang, "survey_too_few"), showarrow=False,
                                  font={"color": "#1B1F24"})
    figure.update_layout(barmode="relative", legend_traceorder="normal")
    ticks = [-50, 0, 50]  # a label at ±100 % would run past the plot's edge
    # no axis title: on a projector slide at a phone's width it had no room, and the legend says what the bars are
    figure.update_xaxes(range=[-100, 100], tickvals=ticks, ticktext=[f"{abs(tick)}\u00a0%" for tick in ticks])
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=labels)
    figure.add_vline(x=0, line={"color": "#1B1F24", "width": 1})
    data = readable_table(figures[figures["year"].isin(years)], lang)
    figure = apply_layout(figure, height=120 + ROW_HEIGHT * len(labels))
    return Chart("survey_principles", _title(figures, years, lang), figure, data,
                 _alt_text(figures[figures["year"].isin(years)], lang))


def _survey_order(column: pd.Series) -> pd.Series:
    return column.map(PRINCIPLES.index) if column.name == "principle" else column


def _title(figures: pd.DataFrame, years: list[int], lang: str) -> str:
    if not years:
        return t(lang, "survey_title_none")
    latest = figures[(figures["year"] == years[-1])].dropna(subset=["agree_share"])
    if latest.empty:
        return t(lang, "survey_title_too_few", year=years[-1])
    best = latest.loc[latest["agree_share"].idxmax()]
    worst = latest.loc[latest["agree_share"].idxmin()]
    return t(lang, "survey_title", year=years[-1], best=principle_label(lang, best["principle"]).lower(),
             best_share=percent(best["agree_share"]), worst=principle_label(lang, worst["principle"]).lower(),
             worst_share=percent(worst["agree_share"]))


def _agree(lang: str, row) -> str:
    return t(lang, "survey_too_few") if pd.isna(row.agree_share) else percent(row.agree_share)


def _alt_text(figures: pd.DataFrame, lang: str) -> str:
    parts = "; ".join(f"{principle_label(lang, row.principle)} {row.year}: {_agree(lang, row)} (n = {row.n})"
                      for row in figures.itertuples())
    return t(lang, "survey_alt", parts=parts or "–")


def readable_table(figures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per year and principle: n, the share who agree, the mean, the change since the year before and each step's
    share, written out; "för få svar" where fewer than five answered. The year is text: a number would be written
    2 024 in the deck's notes."""
    too_few = t(lang, "survey_too_few")
    rows = []
    for row in figures.itertuples():
        suppressed = pd.isna(row.agree_share)
        rows.append({
            t(lang, "year"): str(row.year), t(lang, "survey_principle"): principle_label(lang, row.principle),
            t(lang, "survey_n"): int(row.n), t(lang, "survey_agree_share"): _agree(lang, row),
            t(lang, "survey_mean"): too_few if suppressed else format_number(row.mean, 1),
            t(lang, "survey_change"): "" if pd.isna(row.change) else t(
                lang, "survey_change_points", change=format_change(100 * row.change)),
            **{t(lang, f"survey_step_{step}"): "" if suppressed else percent(getattr(row, f"share_{step}"))
               for step in (5, 4, 3, 2, 1)}})
    return pd.DataFrame(rows)


def meeting_table(groups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """survey.meeting_groups written out: the group, n, the share who agree and the mean."""
    return pd.DataFrame({t(lang, "survey_group"): [t(lang, f"survey_group_{group}") for group in groups["group"]],
                         t(lang, "survey_n"): groups["n"].tolist(),
                         t(lang, "survey_agree_share"): [percent(share) for share in groups["agree_share"]],
                         t(lang, "survey_mean"): [format_number(mean, 1) for mean in groups["mean"]]})
