"""One rounding rule for every probability on screen."""

import pytest

from core.presentation.numbers import percent, share


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


@pytest.mark.parametrize("bad", [-0.1, 1.01, float("nan")])
def test_percent_refuses_what_is_not_a_probability(bad):
    with pytest.raises(ValueError, match="probability must be between 0 and 1"):
        percent(bad)


def test_share():
    assert share(364, 370) == "364 of 370 (98.4%)"
    with pytest.raises(ValueError, match="part must be from 0 to whole"):
        share(3, 2)
