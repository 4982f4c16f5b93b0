"""Each chart of the dashboard, asked of the store and drawn by one function that the pages, the presentation,
the deck and the report all call, so a chart is wired once.

A builder takes `query(question, *args)`, which answers `question(engine, *args)`: the dashboard's cached
civsam.ui.state.query or the deck's and the report's civsam.presentation.direct_query. Options are keyword-only.
"""

from collections.abc import Callable
from dataclasses import replace

from civsam import agreements, network, profile, queries, survey
from civsam.charts import activity, coverage, resources
from civsam.charts import agreements as agreement_charts
from civsam.charts import organisation as organisation_charts
from civsam.charts import survey as survey_charts
from civsam.charts.base import Chart
from civsam.charts.network import network_chart
from civsam.filters import Filters

Query = Callable[..., object]
TOP_PARTNERS = 10  # the partners met most often that the chart shows


def frequency(query: Query, filters: Filters, lang: str, *, unit: str = "month", by: str = "sector") -> Chart:
    return activity.frequency(query(queries.daily_counts, filters, by), query(queries.daily_totals, filters),
                              query(queries.daily_totals, filters.year_earlier()), filters.start, filters.end, lang,
                              unit=unit, by=by)


def sector_comparison(query: Query, filters: Filters, lang: str) -> Chart:
    figures = query(queries.period_figures, replace(filters, sectors=()))  # the overview's, shared
    return activity.sector_comparison(figures.sector_table(filters.sectors), figures.key_figures(filters.sectors),
                                      lang)


def top_partners(query: Query, filters: Filters, lang: str) -> Chart:
    return activity.top_partners(query(queries.top_partners, filters, TOP_PARTNERS), lang)


def weekday_heatmap(query: Query, filters: Filters, lang: str) -> Chart:
    return activity.weekday_heatmap(query(queries.daily_totals, filters), lang)


def municipality_coverage(query: Query, filters: Filters, lang: str, *, measure: str = "activities",
                          per_capita: bool = False, view: str = "map") -> Chart:
    return coverage.municipality_coverage(query(queries.coverage, filters), lang, measure=measure,
                                          per_capita=per_capita, view=view)


def county_comparison(query: Query, filters: Filters, lang: str) -> Chart:
    return coverage.county_comparison(query(queries.coverage, filters),
                                      query(queries.county_wide_activities, filters), lang)


def staff_gap(query: Query, filters: Filters, lang: str) -> Chart:
    return resources.staff_gap(query(queries.resource_years, filters), lang)


def ratio_trend(query: Query, filters: Filters, lang: str) -> Chart:
    return resources.ratio_trend(query(queries.resource_years, filters), lang)


def agreement_activity(query: Query, filters: Filters, lang: str) -> Chart:
    return agreement_charts.agreement_activity(query(agreements.agreement_daily_counts, filters), filters.start,
                                               filters.end, lang)


def partner_network(query: Query, filters: Filters, lang: str, *, size: int = network.DEFAULT_SIZE) -> Chart:
    return network_chart(query(network.partner_network, filters, size), lang)


def survey_principles(query: Query, filters: Filters, lang: str) -> Chart:
    return survey_charts.principle_distribution(query(survey.principle_figures), lang, until=filters.end.year)


def organisation_activity(query: Query, filters: Filters, lang: str, *, organisation_id: int, name: str) -> Chart:
    return organisation_charts.organisation_activity(query(profile.daily_counts, organisation_id, filters),
                                                     query(profile.agreements, organisation_id), filters.start,
                                                     filters.end, name, lang)
