"""The Excel report sent on to the committee: `python -m civsam export xlsx` and the presentation page.

One sheet per chart of the story (civsam.presentation) with the table behind
it, a sheet of key figures, and a first sheet saying which filters were used,
when it was exported and where the data comes from. Numbers keep Swedish
formats, headers stay frozen, and typed text is written as text (civsam.exports).
"""

import datetime as dt

import pandas as pd

from civsam.exports import xlsx_bytes
from civsam.formatting import format_date
from civsam.i18n import t
from civsam.narrative import describe_filters, key_figure_label
from civsam.periods import YEAR_EARLIER
from civsam.presentation import Story

KEY_FIGURES = ("activities", "organisations", "municipalities", "hours", "youth_share")


def report_bytes(story: Story, source: dict, exported: dt.datetime | None = None) -> bytes:
    lang = story.lang
    sheets = {t(lang, "report_about"): about_sheet(story, source, exported or dt.datetime.now()),
              t(lang, "report_key_figures"): key_figures_sheet(story)}
    for chart in story.charts:
        sheets[sheet_name(lang, chart.key)] = chart.data
    return xlsx_bytes(sheets | story.tables)


def about_sheet(story: Story, source: dict, exported: dt.datetime) -> pd.DataFrame:
    lang = story.lang
    rows = [
        (t(lang, "period"), f"{story.filters.start.isoformat()} – {story.filters.end.isoformat()}"),
        (t(lang, "report_filters"), describe_filters(story.filters, lang)),
        (t(lang, "compare_with"), _compared_period(story)),
        (t(lang, "report_exported"), format_date(exported)),
        (t(lang, "report_source"), t(lang, "deck_source", activities=source["activities"],
                                      imports=t(lang, "imports_in_effect", count=source["imports"]),
                                      exported=exported.date().isoformat())),
        ("", story.overview.summary),
    ]
    if source["demo"]:
        rows.append(("", t(lang, "deck_demo")))
    rows += [(sheet_name(lang, chart.key), chart.title) for chart in story.charts]  # each sheet's finding
    return pd.DataFrame(rows, columns=[t(lang, "report_about"), ""])


def key_figures_sheet(story: Story) -> pd.DataFrame:
    lang, figures, before = story.lang, story.overview.figures, story.overview.before
    labels = [key_figure_label(lang, key, story.filters) for key in KEY_FIGURES]
    compared = t(lang, "compare_fjol") if story.filters.comparison == YEAR_EARLIER else t(lang, "report_before")
    return pd.DataFrame({"": labels, t(lang, "report_now"): [figures[key] for key in KEY_FIGURES],
                         compared: [before[key] for key in KEY_FIGURES]})


def _compared_period(story: Story) -> str:
    """'Samma period i fjol (2024-05-01 – 2024-08-31)'."""
    compared = story.filters.compared()
    return (f"{t(story.lang, f'compare_{story.filters.comparison}')} "
            f"({compared.start.isoformat()} – {compared.end.isoformat()})")


def sheet_name(lang: str, chart_key: str) -> str:
    return t(lang, f"sheet_{chart_key}")
