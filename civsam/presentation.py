"""The story told at Mötesplats Lycksele and to regionala utvecklingsnämnden: the key figures and the
main charts for a set of filters, in the order they are shown.

The presentation page, the PowerPoint deck (civsam.deck) and the Excel report
(civsam.report) all take their content from `build_story`, so what is shown
on the projector, taken home and sent on is the same. `query` lets the page
pass its cached queries; by default each query runs directly.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from civsam import agreements, builders, effect, periods, queries, survey, tables
from civsam.builders import Query
from civsam.charts.base import Chart, fit_bar_labels
from civsam.filters import Filters
from civsam.i18n import t
from civsam.narrative import effect_sentence, overview_summary

PROJECTOR_FONT_SIZE = 20
PROJECTOR_HEIGHT = 480  # with the title and the buttons, a slide fits a 1280 × 720 projector


@dataclass
class Overview:
    figures: dict  # queries.key_figures for the period
    before: dict  # … and for the period it is compared with (Filters.compared)
    by_sector: dict[str, dict]  # … for civil society and for the business sector
    summary: str  # in words, as the overview page writes it


@dataclass
class Story:
    filters: Filters
    lang: str
    overview: Overview
    charts: list[Chart]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # more to read, by sheet name: commitments
    effects: list[str] = field(default_factory=list)  # what each agreement changed, in words (effect_sentence)


def direct_query(engine: Engine) -> Query:
    """Questions (functions of civsam.queries and civsam.agreements) asked straight of the store, each asked once
    (the story asks some twice)."""
    return functools.cache(lambda question, *args: question(engine, *args))


def overview(filters: Filters, lang: str, query: Query) -> Overview:
    """The key figures against the period they are compared with (the one before or the same dates a year
    earlier, as the filters say), civil society beside business, and the summary: two scans of each period
    (queries.period_figures), shared with the sector chart."""
    now, before = (query(queries.period_figures, replace(period, sectors=()))
                   for period in (filters, filters.compared()))
    by_sector = {sector: now.key_figures((sector,)) for sector in ("civil_society", "business")}
    summary = overview_summary(filters, by_sector["civil_society"], by_sector["business"],
                               before.key_figures(("civil_society",)), lang)
    return Overview(now.key_figures(filters.sectors), before.key_figures(filters.sectors), by_sector, summary)


def chart_makers(filters: Filters, lang: str, query: Query) -> list[Callable[[], Chart]]:
    """The main charts in the order they are shown, each stating its finding, each made only when called:
    the presentation page draws the one slide on the screen (three small queries decide which slides
    there are)."""
    shown = [builders.frequency, builders.sector_comparison, builders.municipality_coverage,
             builders.county_comparison, builders.staff_gap, builders.ratio_trend]
    if len(query(queries.top_partners, filters, builders.TOP_PARTNERS)):
        shown.append(builders.top_partners)
    if len(query(queries.daily_totals, filters)):
        shown.append(builders.weekday_heatmap)
    if len(query(agreements.agreement_overview, filters)):
        shown.append(builders.agreement_activity)
    if any(year <= filters.end.year for year in query(survey.survey_years)):  # the partners' own view
        shown.append(builders.survey_principles)
    return [functools.partial(builder, query, filters, lang) for builder in shown]


def build_story(filters: Filters, lang: str, query: Query) -> Story:
    """Key figures, their summary and the main charts: what the deck and the report hold; with agreements, their
    commitments and what each changed (as of today, whatever the filters: civsam.effect)."""
    more, sentences = {}, []
    listed = query(agreements.agreement_overview, filters)
    if len(listed):
        more[t(lang, "sheet_commitments")] = tables.commitments(query(agreements.agreement_commitments), lang)
        effects = query(effect.agreement_effects, periods.today())
        sentences = [effect_sentence(row.partners, row.kind, row.signed, effects[row.id], lang)
                     for row in listed.itertuples(index=False)]
        more[t(lang, "sheet_agreement_effects")] = tables.agreement_effects(listed, effects, lang).assign(
            **{t(lang, "effect_in_words"): sentences})
    charts = [make() for make in chart_makers(filters, lang, query)]
    return Story(filters, lang, overview(filters, lang, query), charts, more, sentences)


def for_projector(figure: go.Figure) -> go.Figure:
    """A copy with type large enough to read from the back of a hall."""
    large = go.Figure(figure)
    large.update_layout(font_size=PROJECTOR_FONT_SIZE, legend_font_size=PROJECTOR_FONT_SIZE - 2,
                        height=PROJECTOR_HEIGHT)
    large.update_xaxes(tickfont_size=PROJECTOR_FONT_SIZE - 2)
    large.update_yaxes(tickfont_size=PROJECTOR_FONT_SIZE - 2)
    return fit_bar_labels(large)  # the labels beside bars are larger
