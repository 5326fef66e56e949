"""One rounding rule for every probability on screen, and changes a reader can check from the shown values."""

import re

import numpy as np
import pytest

from core.presentation.numbers import Change, accuracy_percent, change, percent, percent_total, share


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0, "0%"),
        (0.004, "<1%"),
        (0.0049, "<1%"),
        (0.005, "1%"),
        (0.4, "40%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (1.0, "100%"),
    ],
)
def test_percent_never_says_certain_when_it_is_not(p, text):
    assert percent(p) == text


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0, "0.0%"), (0.0004, "<0.1%"), (364 / 370, "98.4%"), (342 / 370, "92.4%"), (0.9996, ">99.9%"), (1, "100.0%")],
)
def test_percent_with_one_decimal(p, text):
    assert percent(p, 1) == text


def test_accuracies_have_one_decimal():
    shown = [accuracy_percent(a) for a in (364 / 370, 70 / 150, 74 / 150, 40 / 40)]
    assert shown == ["98.4%", "46.7%", "49.3%", "100.0%"]


@pytest.mark.parametrize("bad", [-0.1, 1.01, float("nan")])
def test_percent_refuses_what_is_not_a_probability(bad):
    with pytest.raises(ValueError, match="probability must be between 0 and 1"):
        percent(bad)
    with pytest.raises(ValueError, match="probability must be between 0 and 1"):
        change(0.5, bad)


@pytest.mark.parametrize("bad", [3, -1, 0.5, True])
def test_percent_refuses_other_decimals(bad):
    with pytest.raises(ValueError, match="decimals must be 0, 1 or 2"):
        percent(0.5, bad)


def test_share():
    assert share(364, 370) == "364 of 370 (98.4%)"
    with pytest.raises(ValueError, match="part must be from 0 to whole"):
        share(3, 2)


def _shown(text: str) -> float:
    return float(text.strip("%<>"))


@pytest.mark.parametrize(
    ("before", "after", "decimals", "signed", "arrow", "verb"),
    [
        # the walk-through's Silence units: 98.4% to 92.4% is 6.0 points, though the unrounded change is 5.9
        (364 / 370, 342 / 370, 1, "−6.0 points", "down", "lowers it by 6.0 points"),
        (0.98, 0.01, 0, "−97 points", "down", "lowers it by 97 points"),
        (0.40, 0.42, 0, "+2 points", "up", "raises it by 2 points"),
        (0.40, 0.41, 0, "+1 point", "up", "raises it by 1 point"),
        (0.981, 0.979, 0, "0 points", "off", "leaves it as it is"),
        (0.98, 0.003, 0, "−97 to −98 points", "down", "lowers it by 97 to 98 points"),
        (0.999, 0.99, 0, "under 1 point", "down", "lowers it by under 1 point"),
        (0.003, 0.001, 0, "under 1 point", "down", "lowers it by under 1 point"),  # both "<1%": the sign is told
        (0.9991, 0.9991, 0, "0 points", "off", "leaves it as it is"),  # the same value, though shown as ">99%"
    ],
)
def test_a_change_is_worked_out_from_the_values_as_shown(before, after, decimals, signed, arrow, verb):
    moved = change(before, after, decimals)
    assert (moved.signed, moved.arrow, moved.verb()) == (signed, arrow, verb)


def test_an_exact_change_equals_the_difference_of_the_shown_values():
    rng = np.random.default_rng(0)
    for before, after in rng.uniform(0.01, 0.99, size=(200, 2)):
        for decimals in (0, 1):
            moved = change(before, after, decimals)
            number = float(re.sub("[^0-9.]", "", moved.size))
            expected = _shown(percent(after, decimals)) - _shown(percent(before, decimals))
            assert moved.low == moved.high
            assert number == pytest.approx(abs(expected))
            assert moved.arrow == ("up" if expected > 0 else "down" if expected < 0 else "off")


def test_a_change_says_its_direction_by_its_sign_and_its_arrow_alike():
    assert change(0.5, 0.6).signed.startswith("+") and change(0.6, 0.5).signed.startswith("−")
    assert Change(low=-3, high=-3, decimals=0).size == "3 points"
    assert Change(low=-1, high=1, decimals=0).verb() == "changes it by under 1 point"  # no direction known
    assert [change(0.5, after).colour for after in (0.6, 0.4, 0.5)] == ["green", "red", "gray"]


def test_a_total_adds_the_shown_shares():
    assert percent_total([0.264, 0.114]) == "37%"  # 26% + 11%, though the unrounded sum rounds to 38%
    assert percent_total([0.003, 0.04]) == "4 to 5%"
    with pytest.raises(ValueError, match="at least one share"):
        percent_total([])
