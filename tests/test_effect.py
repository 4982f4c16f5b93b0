"""What an agreement changed: the windows around the signing, partners' members counted once, the exact interval
against published reference values, each verdict, the JSON of `python -m civsam agreements` and the sentence."""

import datetime as dt

import pytest
from conftest import workbook_bytes

from civsam import effect
from civsam.effect import Effect, agreement_effects, compare, rate_ratio_interval
from civsam.importing import import_file
from civsam.narrative import effect_sentence, interval_text

SIGNED = dt.date(2025, 3, 1)
TODAY = dt.date(2025, 6, 1)  # 92 days after the signing
L = 92


def day(offset: int) -> str:
    return (SIGNED + dt.timedelta(days=offset)).isoformat()


# Samforma signs an agreement; Rädda Barnen is its member, Bilda Nord is not: an activity with Samforma and
# Rädda Barnen together counts once.
STORE = {
    "Organisationer": [["Organisation", "Sektor"], ["Samforma", "Civilsamhälle"],
                       ["Rädda Barnen Västerbotten", "Civilsamhälle"], ["Bilda Nord", "Civilsamhälle"]],
    "Avtal": [["Namn", "Typ", "Part", "Undertecknat"],
              ["Avsiktsförklaring Samforma", "Avsiktsförklaring", "Samforma", SIGNED.isoformat()],
              ["Avtal i morgon", "Avtal", "Bilda Nord", (TODAY + dt.timedelta(days=1)).isoformat()]],
    "Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun"],
                    [day(-L - 1), "Samforma", "", "Umeå"],  # one day before the before window: in neither
                    [day(-L), "Samforma", "", "Umeå"],  # the before window's first day
                    [day(-1), "Rädda Barnen Västerbotten", "", "Umeå"],  # a member, the day before the signing
                    [day(0), "Samforma; Rädda Barnen Västerbotten", "", "Umeå"],  # the signing day, once
                    [day(L - 1), "Samforma", "", "Umeå"],  # the after window's last day (today − 1)
                    [day(L), "Samforma", "", "Umeå"],  # L days after: today, in neither
                    [day(10), "Bilda Nord", "", "Umeå"]],  # not a partner nor a member
}


def add_membership(engine, member: str, umbrella: str) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO organisation_memberships (member_id, umbrella_id) SELECT m.id, u.id FROM organisations m, "
            f"organisations u WHERE m.name = '{member}' AND u.name = '{umbrella}'")


@pytest.fixture
def store(engine):
    report = import_file(engine, workbook_bytes(STORE), "avtal.xlsx")
    assert report.rejected == []
    add_membership(engine, "Rädda Barnen Västerbotten", "Samforma")
    return engine


def effects_by_name(engine, today=TODAY) -> dict[str, Effect]:
    from civsam.queries import read_frame

    names = dict(read_frame(engine, "SELECT id, name FROM agreements").itertuples(index=False))
    return {names[agreement_id]: each for agreement_id, each in agreement_effects(engine, today).items()}


def test_the_windows_are_as_long_as_the_time_since_the_signing_and_count_each_activity_once(store):
    samforma = effects_by_name(store)["Avsiktsförklaring Samforma"]
    # before: day −L and the member's day −1; after: the signing day (two partners, one activity) and day L − 1
    assert (samforma.window_days, samforma.before, samforma.after, samforma.members) == (L, 2, 2, 1)
    assert samforma.rate_ratio == 1.0 and samforma.verdict == "unclear"


def test_without_the_membership_the_members_activities_do_not_count(engine):
    import_file(engine, workbook_bytes(STORE), "avtal.xlsx")
    samforma = effects_by_name(engine)["Avsiktsförklaring Samforma"]
    assert (samforma.before, samforma.after, samforma.members) == (1, 2, 0)


@pytest.mark.parametrize(("signed", "today", "days"), [
    (SIGNED, SIGNED + dt.timedelta(days=1), 1),  # signed yesterday: the signing day against the day before
    (SIGNED, SIGNED, 0),  # signed today: nothing yet
    (SIGNED, SIGNED - dt.timedelta(days=5), 0),  # signed in the future
    (SIGNED, SIGNED + dt.timedelta(days=730), 730),
    (SIGNED, SIGNED + dt.timedelta(days=731), 730),  # at most two years each way
])
def test_the_window_length(signed, today, days):
    assert effect.window_days(signed, today) == days
    start, cutoff, end = effect.windows(signed, today)
    assert (cutoff - start).days == (end - cutoff).days == days and cutoff == signed


def test_an_agreement_signed_yesterday_compares_the_signing_day_with_the_day_before(store):
    samforma = effects_by_name(store, SIGNED + dt.timedelta(days=1))["Avsiktsförklaring Samforma"]
    assert (samforma.window_days, samforma.before, samforma.after, samforma.verdict) == (1, 1, 1, "too_early")


def test_an_agreement_signed_in_the_future_is_too_early_to_judge(store):
    tomorrow = effects_by_name(store)["Avtal i morgon"]
    assert (tomorrow.days_since, tomorrow.window_days, tomorrow.before, tomorrow.after) == (-1, 0, 0, 0)
    assert (tomorrow.rate_ratio, tomorrow.ci95, tomorrow.verdict) == (None, None, "too_early")


# R 4.x: binom.test(9, 24) prints "95 percent confidence interval: 0.1879929 0.5940636"; binom.test(c(682, 243),
# p = 3/4), the example in R's help for binom.test (Conover 1971, p. 97), prints 0.7076683 0.7654066. Both are
# Clopper–Pearson intervals; here as intervals of after / before (p / (1 − p)) with before = n − after.
@pytest.mark.parametrize(("before", "after", "low", "high"), [
    (15, 9, 0.1879929, 0.5940636),
    (243, 682, 0.7076683, 0.7654066),
])
def test_the_interval_is_the_exact_clopper_pearson_interval_as_a_ratio(before, after, low, high):
    interval = rate_ratio_interval(before, after)
    assert interval == pytest.approx((low / (1 - low), high / (1 - high)), rel=1e-6)


def test_the_issues_example():
    samforma = compare(63, 123, dt.date(2024, 3, 7), dt.date(2025, 3, 7))
    assert samforma.rate_ratio == pytest.approx(1.952381, rel=1e-6)
    assert samforma.ci95 == pytest.approx((1.4297, 2.6890), abs=1e-4) and samforma.verdict == "more"


@pytest.mark.parametrize(("before", "after", "days", "verdict", "ratio", "interval"), [
    (63, 123, 365, "more", 123 / 63, "both"),
    (123, 63, 365, "fewer", 63 / 123, "both"),
    (63, 70, 365, "unclear", 70 / 63, "both"),
    (63, 123, 89, "too_early", 123 / 63, "both"),  # a clear rise, but under 90 days
    (0, 9, 365, "more", None, "no upper bound"),  # nothing before: no ratio, and no upper bound
    (0, 2, 365, "unclear", None, "no upper bound"),
    (9, 0, 365, "fewer", 0.0, "both"),
    (0, 0, 365, "unclear", None, "none"),  # nothing to compare
])
def test_each_verdict(before, after, days, verdict, ratio, interval):
    result = compare(before, after, SIGNED, SIGNED + dt.timedelta(days=days))
    assert (result.verdict, result.rate_ratio) == (verdict, ratio)
    shape = ("none" if result.ci95 is None else "no upper bound" if result.ci95[1] is None else "both")
    assert shape == interval
    if result.ci95 and result.rate_ratio is not None:
        assert result.ci95[0] <= result.rate_ratio <= (result.ci95[1] or float("inf"))


# --- the JSON of python -m civsam agreements ---------------------------------------------------------

def test_the_json_has_the_effect_of_the_issue(store, monkeypatch, capsys):
    import json

    from civsam.cli import main

    monkeypatch.setattr("civsam.periods.today", lambda: TODAY)
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(store.url))
    capsys.readouterr()
    assert main(["agreements", "--json"]) == 0
    printed = {each["name"]: each["effect"] for each in json.loads(capsys.readouterr().out)["agreements"]}
    samforma = printed["Avsiktsförklaring Samforma"]
    assert list(samforma) == ["window_days", "before", "after", "rate_ratio", "ci95", "verdict"]
    low, high = rate_ratio_interval(2, 2)
    assert samforma == {"window_days": L, "before": 2, "after": 2, "rate_ratio": 1.0, "ci95": [low, high],
                        "verdict": "unclear"}  # unrounded
    assert printed["Avtal i morgon"] == {"window_days": 0, "before": 0, "after": 0, "rate_ratio": None,
                                         "ci95": None, "verdict": "too_early"}
    assert compare(0, 9, SIGNED, TODAY).as_json()["ci95"][1] is None  # printed as null


def test_the_command_line_says_the_effect_in_words(store, monkeypatch, capsys):
    from civsam.cli import main

    monkeypatch.setattr("civsam.periods.today", lambda: TODAY)
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(store.url))
    capsys.readouterr()
    assert main(["agreements"]) == 0
    assert ("  med parterna och deras medlemmar 92 dagar före och efter undertecknandet: 2 och 2 aktiviteter, kvot "
            "1,00 (95 % KI 0,07–13,80): ingen säker skillnad") in capsys.readouterr().out


def test_the_pages_table_of_effects(store):
    from civsam import tables
    from civsam.agreements import EVERYTHING, agreement_overview

    overview = agreement_overview(store, EVERYTHING, TODAY)
    table = tables.agreement_effects(overview, agreement_effects(store, TODAY), "sv")
    assert table.to_dict("records")[0] == {
        "Avtal": "Avsiktsförklaring Samforma", "Dagar före och efter": L, "Före": 2, "Efter": 2, "Kvot": "1,00",
        "95\u00a0% KI": "0,07–13,80",  # binom.test(2, 4): 0.0676–0.9324, as ratios
        "Bedömning": "Ingen säker skillnad"}
    assert table.to_dict("records")[1] == {
        "Avtal": "Avtal i morgon", "Dagar före och efter": 0, "Före": 0, "Efter": 0, "Kvot": "–", "95\u00a0% KI": "–",
        "Bedömning": "För tidigt att säga"}
    assert interval_text(compare(0, 1, SIGNED, TODAY).ci95, "sv") == "från 0,03"


def test_the_readme_names_every_key_and_verdict_of_the_effect():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for key in [*compare(1, 2, SIGNED, TODAY).as_json(), *effect.VERDICTS]:
        assert f"`{key}`" in readme, key
    assert "ingen säker skillnad" in readme


# --- the sentence -------------------------------------------------------------------------------------------

ISSUE = dt.date(2024, 3, 7)


@pytest.mark.parametrize(("partners", "kind", "figures", "lang", "expected"), [
    (["Samforma"], "avsiktsförklaring", (63, 123, 365, 4), "sv",
     "Sedan avsiktsförklaringen undertecknades 2024-03-07 har regionen haft 123 kontakter med Samforma och dess "
     "medlemsorganisationer, mot 63 under lika lång tid före (1,95 gånger så många; 95\u00a0% konfidensintervall "
     "1,43–2,69)."),
    (["Samforma"], "avsiktsförklaring", (63, 123, 365, 4), "en",
     "Since the declaration of intent was signed on 2024-03-07, the region has had 123 contacts with Samforma and "
     "its member organisations, against 63 in as long a time before (1,95 times as many; 95\u00a0% confidence "
     "interval 1,43–2,69)."),
    (["Region Norrbotten", "Coompanion Norrbotten"], "överenskommelse", (123, 63, 1000, 0), "sv",
     "Under de första 730 dagarna sedan överenskommelsen undertecknades 2024-03-07 har regionen haft 63 kontakter "
     "med Region Norrbotten och Coompanion Norrbotten, mot 123 under lika lång tid före: färre än före (0,51 gånger "
     "så många; 95\u00a0% konfidensintervall 0,37–0,70)."),
    (["Samforma"], "IOP", (63, 70, 365, 0), "sv",
     "Sedan det idéburna offentliga partnerskapet (IOP) undertecknades 2024-03-07 har regionen haft 70 kontakter "
     "med Samforma, mot 63 under lika lång tid före: ingen säker skillnad (1,11 gånger så många; 95\u00a0% "
     "konfidensintervall 0,78–1,59)."),
    (["Samforma"], "avtal", (0, 1, 365, 0), "sv",
     "Sedan avtalet undertecknades 2024-03-07 har regionen haft 1 kontakt med Samforma, mot 0 under lika lång tid "
     "före: ingen säker skillnad (95\u00a0% konfidensintervall från 0,03 och uppåt)."),
    (["Samforma"], "avtal", (0, 0, 365, 0), "sv",
     "Sedan avtalet undertecknades 2024-03-07 har regionen haft 0 kontakter med Samforma, mot 0 under lika lång tid "
     "före: ingen säker skillnad."),
    (["Samforma", "Bilda Nord"], "avsiktsförklaring", (63, 123, 60, 2), "sv",
     "Avsiktsförklaringen undertecknades 2024-03-07, för 60 dagar sedan: det är för tidigt att säga om kontakterna "
     "med Samforma, Bilda Nord och deras medlemsorganisationer har ökat eller minskat (det går att bedöma efter 90 "
     "dagar)."),
    (["Samforma"], "avsiktsförklaring", (0, 0, 1, 0), "en",
     "The declaration of intent was signed on 2024-03-07, 1 day ago: it is too early to tell whether contacts with "
     "Samforma have risen or fallen (that can be judged after 90 days)."),
    (["Samforma"], "IOP", (0, 0, -3, 0), "sv",
     "Det idéburna offentliga partnerskapet (IOP) undertecknas 2024-03-07: det är för tidigt att säga om "
     "kontakterna med Samforma har ökat eller minskat."),
], ids=["the issue's example", "in English", "fewer, capped at two years", "unclear", "no upper bound",
        "nothing either side", "too early", "too early, one day", "signed in the future"])
def test_the_sentence_claims_no_more_than_the_verdict(partners, kind, figures, lang, expected):
    before, after, days, members = figures
    result = compare(before, after, ISSUE, ISSUE + dt.timedelta(days=days), members)
    assert effect_sentence(partners, kind, ISSUE, result, lang) == expected


# --- the demo ---------------------------------------------------------------------------------------------------

def test_in_the_demo_activity_rises_after_one_agreement_and_not_after_another(tmp_path):
    from conftest import DEMO_TODAY

    from civsam.db import open_store
    from civsam.demo import DEFAULT_ACTIVITIES, seed_demo

    engine = open_store(f"sqlite:///{tmp_path / 'civsam.db'}")
    try:
        seed_demo(engine, DEFAULT_ACTIVITIES, today=DEMO_TODAY)
        verdicts = {name: each.verdict for name, each in effects_by_name(engine, DEMO_TODAY).items()}
    finally:
        engine.dispose()
    assert verdicts == {"Avsiktsförklaring Samforma (demo)": "more",  # Samforma is met more often after the signing
                        "Avsiktsförklaring Youth Up North (demo)": "unclear",
                        "Överenskommelse Norrbotten (demo)": "unclear"}
