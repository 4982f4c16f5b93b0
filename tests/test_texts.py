"""Texts, numbers and summaries as a Swedish reader sees them."""

import ast
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from civsam import i18n
from civsam.filters import Filters
from civsam.formatting import format_change, format_date, format_number
from civsam.i18n import TEXTS, t
from civsam.narrative import (
    comparison_caption,
    describe_filters,
    key_figure_label,
    municipality_total,
    overview_summary,
    percent,
)
from civsam.periods import format_period, format_periods


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    assert TEXTS["sv"].keys() == TEXTS["en"].keys()
    for key in TEXTS["sv"]:
        assert placeholders(TEXTS["sv"][key]) == placeholders(TEXTS["en"][key]), key


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.5, 1, "1\u00a0234,5"), (0, 0, "0"), (1_000_000, 0, "1\u00a0000\u00a0000"), (-2.25, 1, "−2,3"),
    (None, 0, "–"), (0.05, 1, "0,1"), (float("inf"), 1, "–"),
    # half away from zero, from the number as written (0.35 is stored as 0.34999…), and no negative zero
    (2.5, 0, "3"), (3.5, 0, "4"), (-2.5, 0, "−3"), (0.35, 1, "0,4"), (1234.5, 0, "1\u00a0235"), (-0.04, 1, "0,0"),
    (-0.4, 0, "0"), (-0.0, 1, "0,0"), (np.float64(0.35), 1, "0,4"), (np.int64(-59), 1, "−59,0"),
])
def test_numbers_are_written_the_swedish_way(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("change, decimals, expected", [
    (12, 0, "+12"), (-59.0, 1, "−59,0"), (0, 0, "0"), (0.04, 1, "0,0"), (-0.04, 1, "0,0"), (0.05, 1, "+0,1"),
])
def test_a_change_carries_the_sign_of_the_number_shown(change, decimals, expected):
    assert format_change(change, decimals) == expected


@pytest.mark.parametrize("share, expected", [(0.145, "15\u00a0%"), (0.225, "23\u00a0%"), (0.004, "0\u00a0%"),
                                             (None, "–")])
def test_percentages_round_half_away_from_zero(share, expected):
    assert percent(share) == expected


def test_dates_are_iso():
    assert format_date(dt.date(2025, 3, 4)) == "2025-03-04"
    assert format_date(dt.datetime(2025, 3, 4, 9, 5)) == "2025-03-04 09:05"


@pytest.mark.parametrize("first_day, unit, lang, expected", [
    (dt.date(2026, 3, 30), "week", "sv", "v. 14"), (dt.date(2026, 3, 30), "week", "en", "wk 14"),
    (dt.date(2026, 1, 1), "month", "sv", "jan 2026"), (dt.date(2026, 5, 1), "month", "sv", "maj 2026"),
    (dt.date(2026, 10, 1), "month", "sv", "okt 2026"), (dt.date(2026, 1, 1), "month", "en", "Jan 2026"),
    (dt.date(2026, 4, 1), "quarter", "sv", "kv. 2 2026"), (dt.date(2026, 4, 1), "quarter", "en", "Q2 2026"),
    (dt.date(2026, 12, 28), "week", "sv", "v. 53"),  # 2026 has 53 ISO weeks
])
def test_periods_are_named_as_readers_name_them(first_day, unit, lang, expected):
    assert format_period(first_day, unit, lang) == expected


@pytest.mark.parametrize("mondays, expected", [
    ([(2025, 12, 29), (2026, 1, 5)], ["v. 1", "v. 2"]),  # the week from 29 December is ISO week 1 of 2026
    ([(2025, 12, 22), (2025, 12, 29), (2026, 1, 5)], ["v. 52 2025", "v. 1 2026", "v. 2 2026"]),
    ([(2026, 12, 28), (2027, 1, 4)], ["v. 53 2026", "v. 1 2027"]),
])
def test_weeks_on_both_sides_of_a_new_year_carry_their_iso_year(mondays, expected):
    assert format_periods([dt.date(*day) for day in mondays], "week", "sv") == expected


def test_months_and_quarters_always_carry_their_year():
    assert format_periods([dt.date(2025, 12, 1), dt.date(2026, 1, 1)], "month", "sv") == ["dec 2025", "jan 2026"]


def figures(activities, organisations=0, municipalities=0, youth=None):
    return {"activities": activities, "organisations": organisations, "municipalities": municipalities,
            "hours": 0.0, "youth_share": youth}


def test_the_summary_of_a_calendar_year():
    summary = overview_summary(Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), figures(212, 40, 17, 0.25),
                               figures(424), figures(200), "sv")
    assert summary == ("Under 2025 hade regionen 212 kontakter med civilsamhället i 17 av 29 kommuner, med 40 "
                       "organisationer. Med näringslivet var kontakterna 424, 2,0 gånger så många. Barn och unga var "
                       "delaktiga i 25\u00a0% av kontakterna med civilsamhället. Det är 12 fler kontakter med "
                       "civilsamhället än perioden före.")


def test_the_summary_of_another_period_in_english():
    summary = overview_summary(Filters(dt.date(2025, 3, 1), dt.date(2025, 5, 31)), figures(10, 4, 3, 0.0),
                               figures(5), figures(12), "en")
    assert summary.startswith("From 2025-03-01 to 2025-05-31 the region had 10 contacts with civil society in 3 of "
                              "29 municipalities")
    assert "With the business sector it had 5, fewer." in summary
    assert summary.endswith("That is 2 fewer contacts with civil society than the period before.")


@pytest.mark.parametrize("county, municipalities, total", [
    (None, (), 29), ("Norrbotten", (), 14), ("Västerbotten", (), 15), (None, ("2480", "2584"), 2),
    ("Västerbotten", ("2480",), 1),
])
def test_the_municipalities_counted_against_are_those_the_filters_leave(county, municipalities, total):
    filters = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), county=county, municipalities=municipalities)
    assert municipality_total(filters) == total
    assert key_figure_label("sv", "municipalities", filters) == f"Kommuner av {total}"
    summary = overview_summary(filters, figures(10, 4, 1), figures(5), figures(12), "sv")
    assert f"i 1 av {total} kommuner" in summary


def test_the_summary_against_the_same_period_last_year_says_so():
    tertial = Filters(dt.date(2025, 5, 1), dt.date(2025, 8, 31), comparison="fjol")
    assert overview_summary(tertial, figures(10), figures(5), figures(7), "sv").endswith(
        "Det är 3 fler kontakter med civilsamhället än samma period i fjol.")
    assert overview_summary(tertial, figures(10), figures(5), figures(10), "en").endswith(
        "That is as many contacts with civil society as the same period last year.")


@pytest.mark.parametrize("comparison, caption", [
    ("fjol", "jämfört med samma period i fjol (2025-05-01 – 2025-08-31)"),
    ("fore", "jämfört med perioden före (2026-01-01 – 2026-04-30)"),
])
def test_the_caption_says_what_the_key_figures_are_compared_with(comparison, caption):
    assert comparison_caption(Filters(dt.date(2026, 5, 1), dt.date(2026, 8, 31), comparison=comparison),
                              "sv") == caption


def test_the_filters_in_words_name_the_activity_types():
    filters = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), sectors=("civil_society",), types=("Möte",))
    assert describe_filters(filters, "sv") == "Båda länen · Civilsamhälle · Möte"


def test_t_fills_placeholders():
    assert t("sv", "register_count", count=3) == "3 organisationer"


def test_swedish_order_puts_a_ring_a_umlaut_and_o_umlaut_after_z():
    from civsam.reference import swedish_order
    assert sorted(["Älvsbyn", "Åsele", "Överkalix", "Umeå", "Arjeplog"], key=swedish_order) == [
        "Arjeplog", "Umeå", "Åsele", "Älvsbyn", "Överkalix"]


@pytest.mark.parametrize("lang, key, values, expected", [
    ("sv", "register_count", {"count": 1}, "1 organisation"),
    ("sv", "register_count", {"count": 2}, "2 organisationer"),
    ("sv", "register_count", {"count": 1234}, "1\u00a0234 organisationer"),
    ("en", "confirm", {"count": 1}, "Store 1 row"),
    ("sv", "dormant_title", {"count": 1, "months": 6}, "1 organisation utan kontakt på 6 månader"),
    ("sv", "followup_commitment_noun", {"count": 1}, "åtagande"),
    ("en", "followup_due_soon_count", {"count": 3}, "3 commitments fall due"),
])
def test_one_is_singular_and_a_count_is_written_as_a_number(lang, key, values, expected):
    assert t(lang, key, **values) == expected


def test_a_count_is_the_number_itself():
    """One way to a plural: t chooses the form and writes the number, so a count written beforehand is refused."""
    with pytest.raises(TypeError):
        t("sv", "register_count", count="1")


def test_no_text_key_is_written_twice_in_one_language():
    """A key written twice in a dict literal silently keeps the later text: two branches that each add a key of the
    same name would lose one text without an error."""
    source = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    repeated = [key.value for node in ast.walk(source) if isinstance(node, ast.Dict)
                for index, key in enumerate(node.keys)
                if isinstance(key, ast.Constant) and key.value in [k.value for k in node.keys[:index]
                                                                   if isinstance(k, ast.Constant)]]
    assert repeated == []
