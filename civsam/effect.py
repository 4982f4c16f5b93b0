"""What an agreement changed: the region's activities with its partners and their member organisations in two
equally long windows around the signing, how many times as many came after, and a verdict that claims no more
than the figures allow.

The windows: L is the number of days from the signing to today, at most MAX_WINDOW_DAYS; before is the L days
before the signing day, after is the signing day and the L − 1 days after it (signed yesterday: L = 1, the
signing day against the day before). An activity counts once however many partners and members it names.

The interval: of the before + after activities in both windows, `after` is binomial with p = r / (1 + r), where r
is the rate after divided by the rate before (the windows are equally long). The exact Clopper–Pearson interval
for p, turned into p / (1 − p), is the exact interval for r that R's poisson.test gives. scipy computes the beta
quantiles; it is imported only when an interval is computed, so the command line starts without it.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from civsam.periods import today as todays_date
from civsam.queries import read_frame

MAX_WINDOW_DAYS = 730  # two years each way: older activity says little about what the agreement changed
TOO_EARLY_DAYS = 90  # under a quarter after the signing, a rise or a fall is mostly chance and season
CONFIDENCE = 0.95
TOO_EARLY, MORE, FEWER, UNCLEAR = "too_early", "more", "fewer", "unclear"
VERDICTS = (TOO_EARLY, MORE, FEWER, UNCLEAR)


@dataclass(frozen=True)
class Effect:
    """Activities with an agreement's partners (and their members) before and after its signing."""

    days_since: int  # today − the signing day; negative when the agreement is signed in the future
    window_days: int  # L: each window's length
    before: int
    after: int
    rate_ratio: float | None  # after / before; None when before is 0
    ci95: tuple[float, float | None] | None  # None when both are 0; the high end None when it has no bound
    verdict: str  # one of VERDICTS
    members: int = 0  # member organisations of the partners counted beside them

    def as_json(self) -> dict:
        """The `effect` of `python -m civsam agreements --json`, numbers unrounded."""
        return {"window_days": self.window_days, "before": self.before, "after": self.after,
                "rate_ratio": self.rate_ratio, "ci95": list(self.ci95) if self.ci95 else None,
                "verdict": self.verdict}


def window_days(signed: dt.date, today: dt.date) -> int:
    """L: the days from the signing to today, at most MAX_WINDOW_DAYS; 0 when signed today or later."""
    return min(max((today - signed).days, 0), MAX_WINDOW_DAYS)


def windows(signed: dt.date, today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(first day before, the signing day, the day after the last day after): before is [first, signing), after
    is [signing, end)."""
    days = dt.timedelta(days=window_days(signed, today))
    return signed - days, signed, signed + days


def rate_ratio_interval(before: int, after: int) -> tuple[float, float | None] | None:
    """The exact 95 % interval of after / before: Clopper–Pearson for after / (before + after), as a ratio.
    None when both are 0 (nothing to compare); the high end None when after is all there is (no upper bound)."""
    if before + after == 0:
        return None
    from scipy.stats import binomtest  # heavy: only here (the server imports it at start)

    share = binomtest(after, before + after).proportion_ci(confidence_level=CONFIDENCE, method="exact")
    return share.low / (1 - share.low), (share.high / (1 - share.high) if share.high < 1 else None)


def verdict(days: int, interval: tuple[float, float | None] | None) -> str:
    """Too early under TOO_EARLY_DAYS; more or fewer when the whole interval lies above or below 1; else unclear."""
    if days < TOO_EARLY_DAYS:
        return TOO_EARLY
    if interval is None:
        return UNCLEAR
    low, high = interval
    if low > 1:
        return MORE
    return FEWER if high is not None and high < 1 else UNCLEAR


def compare(before: int, after: int, signed: dt.date, today: dt.date, members: int = 0) -> Effect:
    """The effect of counts in the two windows of an agreement signed on `signed`, as of `today`."""
    interval = rate_ratio_interval(before, after)
    days = window_days(signed, today)
    return Effect((today - signed).days, days, before, after, after / before if before else None, interval,
                  verdict(days, interval), members)


def agreement_effects(engine: Engine, today: dt.date | None = None) -> dict[int, Effect]:
    """Every agreement's effect as of `today` (default: civsam.periods.today), by agreement id. All activities
    count, whatever a page's filters: the windows are the agreement's own."""
    today = today or todays_date()
    agreements = read_frame(engine, "SELECT id, signed FROM agreements ORDER BY id", dates=("signed",))
    named = read_frame(engine, """
        SELECT ao.agreement_id, ao.organisation_id, 0 AS member FROM agreement_organisations ao
        UNION
        SELECT ao.agreement_id, m.member_id, 1 FROM agreement_organisations ao
        JOIN organisation_memberships m ON m.umbrella_id = ao.organisation_id
    """)
    effects = {}
    for agreement_id, signed in zip(agreements["id"], agreements["signed"], strict=True):
        mine = named[named["agreement_id"] == agreement_id]
        partners = set(mine.loc[mine["member"] == 0, "organisation_id"])
        organisations = sorted({int(organisation) for organisation in mine["organisation_id"]})
        start, cutoff, end = windows(signed, today)
        # an activity has one date, so its day's distinct activities count it once: a day's set is small, where
        # one DISTINCT over two years of links took twice as long (0,08 s for an agreement at a million activities)
        counts = read_frame(engine, """
            SELECT COALESCE(SUM(CASE WHEN date < :cutoff THEN activities END), 0) AS before,
                   COALESCE(SUM(CASE WHEN date >= :cutoff THEN activities END), 0) AS after
            FROM (SELECT date, COUNT(DISTINCT activity_id) AS activities FROM activity_organisations
                  WHERE organisation_id IN :organisations AND date >= :start AND date < :end GROUP BY date) daily
        """, {"organisations": organisations, "start": start, "cutoff": cutoff, "end": end}).iloc[0]
        effects[int(agreement_id)] = compare(int(counts["before"]), int(counts["after"]), signed, today,
                                             len(set(organisations) - partners))
    return effects
