"""The partners' own view: the yearly survey's answers per principle and year, and whether partners the region
meets often answer differently from those it seldom meets.

Per principle and year: `n`, the respondents who answered at least one of its statements with 1–5;
`agree_share`, the share of those answers (both statements pooled) that are 4 or 5; `mean`, their mean; and
the share of answers at each step of the scale. A group of fewer than five respondents (FEWEST) gets no share,
mean or distribution, here where every output takes them from: a share could point to one respondent.
"""

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from civsam.keys import name_key
from civsam.queries import read_frame
from civsam.survey_questions import AGREE, FEWEST, PRINCIPLES

STEPS = (1, 2, 3, 4, 5)


def survey_years(engine: Engine) -> list[int]:
    return read_frame(engine, "SELECT DISTINCT year FROM survey_responses ORDER BY year")["year"].tolist()


def _answers(engine: Engine) -> pd.DataFrame:
    return read_frame(engine, """
        SELECT r.year, r.id AS response_id, a.principle, a.value
        FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
    """)


def principle_figures(engine: Engine) -> pd.DataFrame:
    """One row per survey year and principle (in the order of PRINCIPLES): year, principle, n, agree_share,
    mean, share_1 … share_5 and change (agree_share against the year before, in shares; empty unless both years
    have five respondents or more)."""
    return summarise(_answers(engine), survey_years(engine))


def summarise(answers: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """The figures of principle_figures from answers (year, response_id, principle, value)."""
    grid = pd.MultiIndex.from_product([sorted(years), PRINCIPLES], names=["year", "principle"])
    grouped = answers.groupby(["year", "principle"])
    figures = pd.DataFrame({"n": grouped["response_id"].nunique(),
                            "agree_share": grouped["value"].apply(lambda values: (values >= AGREE).mean()),
                            "mean": grouped["value"].mean()}).reindex(grid)
    figures["n"] = figures["n"].fillna(0).astype(int)
    counts = answers.groupby(["year", "principle", "value"]).size().unstack("value").reindex(columns=STEPS)
    shares = counts.div(counts.sum(axis=1), axis=0).reindex(grid).fillna(0.0)
    for step in STEPS:
        figures[f"share_{step}"] = shares[step]
    too_few = figures["n"] < FEWEST
    figures.loc[too_few, ["agree_share", "mean", *(f"share_{step}" for step in STEPS)]] = None
    figures = figures.reset_index()
    before = figures.assign(year=figures["year"] + 1).set_index(["year", "principle"])["agree_share"]
    figures["change"] = figures["agree_share"] - before.reindex(
        pd.MultiIndex.from_frame(figures[["year", "principle"]])).to_numpy()
    return figures


def survey_json(engine: Engine, year: int | None = None) -> dict:
    """`python -m civsam survey --json`: per year the responses and, per principle, n, agree_share and mean
    (null below five respondents)."""
    responses = read_frame(engine, "SELECT year, COUNT(*) AS responses FROM survey_responses GROUP BY year")
    counts = {int(row.year): int(row.responses) for row in responses.itertuples()}
    figures = principle_figures(engine)
    if year is not None:
        figures = figures[figures["year"] == year]
    years = {}
    for survey_year, rows in figures.groupby("year"):
        years[str(survey_year)] = {"responses": counts[survey_year], "principles": {
            row.principle: {"n": int(row.n), "agree_share": _number(row.agree_share, 4), "mean": _number(row.mean, 2)}
            for row in rows.itertuples()}}
    return {"years": years}


def _number(value, decimals: int) -> float | None:
    return None if pd.isna(value) else round(float(value), decimals)


def comments(engine: Engine) -> pd.DataFrame:
    """The free-text answers (Övriga synpunkter), newest year first: for coordinators only, as they may name
    people."""
    return read_frame(engine, """
        SELECT year, comment FROM survey_responses WHERE comment IS NOT NULL ORDER BY year DESC, completed, id
    """)


def meeting_groups(engine: Engine, year: int) -> pd.DataFrame:
    """Respondents who gave an organisation, in two groups by how often the region met it in `year`, split at the
    median respondent's organisation (_often_or_seldom; an organisation not in the register was met never). Per
    group: n, agree_share and mean over every statement. Empty unless both groups have FEWEST respondents or
    more."""
    answers = read_frame(engine, """
        SELECT r.id AS response_id, r.organisation, a.value
        FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
        WHERE r.year = :year AND r.organisation IS NOT NULL
    """, {"year": int(year)})
    # a key names one organisation (a merged spelling's key names the one it was merged into), whose links each
    # name another activity: the links counted per organisation, along their index, are its activities
    met = read_frame(engine, """
        SELECT keys.name_key, counts.activities
        FROM (SELECT l.organisation_id, COUNT(*) AS activities FROM activity_organisations l
              WHERE l.date >= :start AND l.date <= :end GROUP BY l.organisation_id) counts
        JOIN (SELECT name_key, id AS organisation_id FROM organisations
              UNION SELECT name_key, organisation_id FROM organisation_aliases) keys
          ON keys.organisation_id = counts.organisation_id
    """, {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)})
    meetings = dict(zip(met["name_key"], met["activities"], strict=True))
    answers["meetings"] = [meetings.get(name_key(name), 0) for name in answers["organisation"]]
    answers["group"] = _often_or_seldom(answers.drop_duplicates("response_id")["meetings"]).reindex(
        answers["meetings"]).to_numpy()
    grouped = answers.groupby("group")
    groups = pd.DataFrame({"n": grouped["response_id"].nunique(),
                           "agree_share": grouped["value"].apply(lambda values: (values >= AGREE).mean()),
                           "mean": grouped["value"].mean()}).reindex(["often", "seldom"])
    if groups["n"].isna().any() or (groups["n"] < FEWEST).any():
        return groups.iloc[0:0].reset_index(names="group")
    return groups.reset_index(names="group").astype({"n": int})


def _often_or_seldom(meetings: pd.Series) -> pd.Series:
    """"often" or "seldom" for each count of meetings: above the median is often, below it seldom, and those at
    the median go to whichever side leaves the two groups the nearest in size (many partners are met equally often,
    and a split that puts all of them on one side would leave the other too small to show)."""
    median = meetings.median()
    above, at = int((meetings > median).sum()), int((meetings == median).sum())
    at_median_often = abs(2 * (above + at) - len(meetings)) < abs(2 * above - len(meetings))
    counts = sorted(set(meetings))
    return pd.Series(["often" if count > median or (count == median and at_median_often) else "seldom"
                      for count in counts], index=counts, dtype=object)
