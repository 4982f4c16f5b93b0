"""Plain-language summaries written from the figures, for the overview and for pasting into reports, and each
agreement's follow-up in words.

"Under 2025 hade regionen 212 kontakter med civilsamhället i 17 av 29 kommuner …"
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from civsam.effect import TOO_EARLY, TOO_EARLY_DAYS, Effect
from civsam.filters import Filters
from civsam.formatting import format_number
from civsam.i18n import kind_in_sentence, sector_name, t
from civsam.periods import YEAR_EARLIER
from civsam.reference import DONE, DUE_SOON_DAYS, MUNICIPALITIES, MUNICIPALITY_BY_CODE


def period_phrase_is_year(filters: Filters) -> bool:
    return filters.start == dt.date(filters.start.year, 1, 1) and filters.end == dt.date(filters.start.year, 12, 31)


def percent(share: float | None) -> str:
    """0.145 → '15 %': the share times 100 in decimal, so that float noise (14.4999…) cannot round it down."""
    return "–" if share is None else f"{format_number(Decimal(str(share)) * 100)}\u00a0%"


def municipality_total(filters: Filters) -> int:
    """How many municipalities the filters leave: the chosen ones, the chosen county's, or all 29."""
    return sum(1 for m in MUNICIPALITIES if filters.county in (None, m.county)
               and (not filters.municipalities or m.code in filters.municipalities))


def key_figure_label(lang: str, key: str, filters: Filters) -> str:
    """A key figure's name: 'Kommuner av 14' with Norrbotten chosen."""
    return t(lang, f"kpi_{key}", total=municipality_total(filters))


def overview_summary(filters: Filters, civil: dict, business: dict, civil_before: dict, lang: str) -> str:
    """Civil society's figures for the period, against the business sector and the period it is compared with
    (filters.comparison). Each dict is what queries.key_figures returns for that sector and period."""
    counts = {"activities": format_number(civil["activities"]), "organisations": format_number(civil["organisations"]),
              "municipalities": civil["municipalities"], "total": municipality_total(filters)}
    if period_phrase_is_year(filters):
        sentences = [t(lang, "summary_year", year=filters.start.year, **counts)]
    else:
        sentences = [t(lang, "summary_period", start=filters.start.isoformat(), end=filters.end.isoformat(), **counts)]
    if civil["activities"] and business["activities"] > civil["activities"]:
        ratio = t(lang, "summary_ratio_more", ratio=format_number(business["activities"] / civil["activities"], 1))
        sentences.append(t(lang, "summary_business", business=format_number(business["activities"]), ratio=ratio))
    elif business["activities"] < civil["activities"]:
        sentences.append(t(lang, "summary_business", business=format_number(business["activities"]),
                           ratio=t(lang, "summary_ratio_fewer")))
    if civil["activities"]:
        sentences.append(t(lang, "summary_youth", share=percent(civil["youth_share"])))
    change = civil["activities"] - civil_before["activities"]
    trend = "summary_trend_up" if change > 0 else "summary_trend_down" if change < 0 else "summary_trend_same"
    if filters.comparison == YEAR_EARLIER:
        trend += "_year"
    sentences.append(t(lang, trend, change=format_number(abs(change))))
    return " ".join(sentences)


def comparison_caption(filters: Filters, lang: str) -> str:
    """What the key figures are set against: 'jämfört med samma period i fjol (2025-05-01 – 2025-08-31)'."""
    compared = filters.compared()
    versus = "versus_year_earlier" if filters.comparison == YEAR_EARLIER else "versus_previous"
    return t(lang, versus, start=compared.start.isoformat(), end=compared.end.isoformat())


def describe_filters(filters: Filters, lang: str) -> str:
    """The filters in words, for a slide or a report: 'Norrbotten · Luleå · Civilsamhälle · Möte · SESIN'."""
    parts = [filters.county or t(lang, "both_counties")]
    if filters.municipalities:
        parts.append(", ".join(MUNICIPALITY_BY_CODE[code].name for code in filters.municipalities))
    parts.append(", ".join(sector_name(lang, s) for s in filters.sectors) or t(lang, "all_sectors"))
    if filters.types:
        parts.append(", ".join(filters.types))
    if filters.projects:
        parts.append(", ".join(filters.projects))
    return " · ".join(parts)


# --- an agreement's follow-up in words ----------------------------------------------------------

def follow_up_text(agreement: Mapping, commitments: pd.DataFrame, filters: Filters, lang: str, *,
                   effect: Effect | None = None, survey: pd.DataFrame | None = None) -> str:
    """One agreement's follow-up in plain words, ready to paste into Stratsys or a committee report, from a row of
    civsam.agreements.agreement_overview and its rows of agreement_commitments: "Under 2025 genomfördes 14
    aktiviteter inom avsiktsförklaringen med Samforma; 3 av 5 åtaganden är genomförda, 1 är försenat: … 1 åtagande
    förfaller inom 60 dagar: … Senaste aktivitet: 2025-12-04." With its `effect` (civsam.effect), what the
    agreement changed follows (effect_sentence)."""
    period = (t(lang, "followup_year", year=filters.start.year) if period_phrase_is_year(filters) else
              t(lang, "followup_period", start=filters.start.isoformat(), end=filters.end.isoformat()))
    partners = _listing(list(agreement["partners"]), lang)
    activities = (t(lang, "followup_activity_count", count=agreement["activities"]) if agreement["activities"]
                  else t(lang, "activity_none"))
    text = t(lang, "followup_activities", period=period, activities=activities,
             agreement=t(lang, "followup_agreement", kind=kind_in_sentence(lang, agreement["kind"]), partners=partners))
    text += _commitments_part(commitments, lang)
    soon = commitments[commitments["due_soon"]]
    if len(soon):
        items = "; ".join(t(lang, "followup_soon_item", text=row.text, due=row.due.isoformat())
                          for row in soon.itertuples())
        text += t(lang, "followup_due_soon", state=t(lang, "followup_due_soon_count", count=len(soon)),
                  days=DUE_SOON_DAYS, items=items)
    last = agreement["last_activity"]
    text += t(lang, "followup_last", date=last.isoformat()) if last else t(lang, "followup_no_activity")
    if effect is not None:
        text += " " + effect_sentence(agreement['partners'], agreement['kind'], agreement['signed'], effect, lang)
    return text + (survey_sentence(survey, filters.end.year, lang) if survey is not None else "")


def survey_sentence(figures: pd.DataFrame, until: int, lang: str) -> str:
    """The partners' own view in the latest survey up to `until`, from civsam.survey.principle_figures: " I
    partnerenkäten 2025 instämde 76 % i dialog, mest av principerna, och 13 % i långsiktighet, minst." Only
    principles with five respondents or more are named; without any, nothing is said."""
    years = figures.loc[figures["year"] <= until, "year"]
    if years.empty:
        return ""
    latest = figures[(figures["year"] == years.max()) & figures["agree_share"].notna()]
    if latest.empty:
        return ""
    best, worst = latest.loc[latest["agree_share"].idxmax()], latest.loc[latest["agree_share"].idxmin()]
    if len(latest) == 1:
        return t(lang, "followup_survey_one", year=int(years.max()), principle=_principle(best, lang),
                 share=percent(best["agree_share"]))
    return t(lang, "followup_survey", year=int(years.max()), best=_principle(best, lang),
             best_share=percent(best["agree_share"]), worst=_principle(worst, lang),
             worst_share=percent(worst["agree_share"]))


def _principle(row: pd.Series, lang: str) -> str:
    return t(lang, f"principle_{row['principle'].replace(' ', '_')}").lower()


def _commitments_part(commitments: pd.DataFrame, lang: str) -> str:
    """"; 3 av 5 åtaganden är genomförda, 1 är försenat: X (skulle vara klart 2025-06-30)." """
    if commitments.empty:
        return t(lang, "followup_no_commitments")
    done, total = int((commitments["status"] == DONE).sum()), len(commitments)
    text = t(lang, "followup_commitments", done=done, total=total,
             noun=t(lang, "followup_commitment_noun", count=total),
             state=t(lang, "followup_done", count=1 if total == 1 else done))  # "0 av 1 åtagande är genomfört"
    late = commitments[commitments["late"]]
    if late.empty:
        return text + t(lang, "followup_none_late")
    items = "; ".join(t(lang, "followup_late_item", text=row.text, due=row.due.isoformat())
                      for row in late.itertuples())
    return text + t(lang, "followup_late", count=len(late), state=t(lang, "followup_late_state", count=len(late)),
                    items=items)


# --- what an agreement changed in words ------------------------------------------------------------

def effect_sentence(partners: Sequence[str], kind: str, signed: dt.date, effect: Effect, lang: str) -> str:
    """What the agreement of `kind` with `partners`, signed on `signed`, changed, claiming no more than
    `effect.verdict` (civsam.effect): "Sedan avsiktsförklaringen undertecknades 2024-03-07 har regionen haft 123
    kontakter med Samforma och dess medlemsorganisationer, mot 63 under lika lång tid före (1,95 gånger så många;
    95 % konfidensintervall 1,43–2,69)." An interval that includes 1 reads "ingen säker skillnad"; under
    TOO_EARLY_DAYS it says it is too early to tell."""
    kind_words = kind_in_sentence(lang, kind)
    names = [*partners, t(lang, "effect_their_members" if len(partners) > 1 else "effect_its_members")]
    named = _listing(names if effect.members else list(partners), lang)
    if effect.days_since < 0:
        return t(lang, "effect_not_yet", kind=_capitalised(kind_words), signed=signed.isoformat(), partners=named)
    if effect.verdict == TOO_EARLY:
        return t(lang, "effect_too_early", kind=_capitalised(kind_words), signed=signed.isoformat(),
                 count=effect.days_since, partners=named, days=TOO_EARLY_DAYS)
    opening = t(lang, "effect_since" if effect.days_since == effect.window_days else "effect_first_days",
                kind=kind_words, signed=signed.isoformat(), days=effect.window_days)
    counts = t(lang, "effect_counts", opening=opening, after=t(lang, "effect_contacts", count=effect.after),
               partners=named, before=format_number(effect.before))
    if effect.ci95 is None:
        return t(lang, "effect_nothing", counts=counts)
    low, high = (format_number(end, 2) if end is not None else None for end in effect.ci95)
    figures = [t(lang, "effect_interval", low=low, high=high) if high else t(lang, "effect_interval_open", low=low)]
    if effect.rate_ratio is not None:
        figures.insert(0, t(lang, "effect_ratio", ratio=format_number(effect.rate_ratio, 2)))
    return t(lang, f"effect_{effect.verdict}", counts=counts, figures="; ".join(figures))


def interval_text(interval: tuple[float, float | None] | None, lang: str) -> str:
    """An effect's interval in a table: '1,43–2,69', 'från 0,19' without an upper bound, '–' without one at all."""
    if interval is None:
        return "–"
    low, high = interval
    if high is None:
        return t(lang, "effect_ci_open", low=format_number(low, 2))
    return f"{format_number(low, 2)}–{format_number(high, 2)}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listing(names: list[str], lang: str) -> str:
    """'A', 'A och B', 'A, B och C'."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t(lang, 'and')} {names[-1]}"


# --- an organisation's profile in words --------------------------------------------------------

def profile_story(name: str, figures: Mapping, members: pd.DataFrame, projects: pd.DataFrame,
                  effects: Sequence[str], lang: str) -> str:
    """One organisation's profile in plain words for the committee, from civsam.profile's key_figures, members and
    projects, and the sentences of what its agreements changed (effect_sentence): "Regionen har haft 123 kontakter
    med Samforma och dess medlemsorganisationer, varav 40 med Samforma själv. Regionen har mött 4 av 4
    medlemsorganisationer, bland andra Rädda Barnen Västerbotten. … Gemensamma projekt: SESIN." """
    if len(members):
        met = members[members["activities"] > 0]
        among = t(lang, "profile_story_among", name=met["member"].iloc[0]) if len(met) else ""
        sentences = [t(lang, "profile_story_with_members", name=name, own=format_number(figures["activities"]),
                       contacts=t(lang, "effect_contacts", count=figures["activities_with_members"])),
                     t(lang, "profile_story_met", met=format_number(len(met)), total=format_number(len(members)),
                       among=among)]
    else:
        sentences = [t(lang, "profile_story_alone", name=name, contacts=t(lang, "effect_contacts",
                                                                          count=figures["activities"]))]
    if figures["last_contact"] is not None:
        sentences.append(t(lang, "profile_story_last", date=figures["last_contact"].isoformat()))
    sentences.extend(effects)
    if len(projects):
        sentences.append(t(lang, "profile_story_projects", projects=", ".join(projects["project"])))
    return " ".join(sentences)
