"""One way to write a number on every page, so that a banner and a box never disagree.

Probabilities are whole percentages (:func:`percent`), accuracies have one decimal (:func:`accuracy_percent`), and
a change between two shown values is worked out from the values as shown (:func:`change`): "98.4%" to "92.4%" is
"−6.0 points", whatever the unrounded values were, so that a reader who does the sum gets the same answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ACCURACY_DECIMALS", "MINUS", "percent", "accuracy_percent", "share", "Change", "change", "percent_total"]

ACCURACY_DECIMALS = 1  # an accuracy is a share of up to thousands of recordings: "98.4%"
MINUS = "−"  # the minus sign of every number on a page


def _check_decimals(decimals) -> int:
    if decimals not in (0, 1, 2) or isinstance(decimals, bool):
        raise ValueError(f"decimals must be 0, 1 or 2, got {decimals!r}")
    return int(decimals)


def _tenths(probability: float, decimals: int) -> tuple[int, int, int]:
    """What :func:`percent` shows, in steps of ``10 ** -decimals`` percent: ``(low, high, whole)``, the range a
    reader takes the shown text to mean ("40%": 40 to 40; "<1%": 0 to 1; ">99%": 99 to 100) and 100 %."""
    p = float(probability)
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
    whole = 100 * 10**decimals
    rounded = math.floor(p * whole + 0.5)  # half up, as the charts' tooltips round
    if rounded == 0 and p > 0:
        return 0, 1, whole
    if rounded == whole and p < 1:
        return whole - 1, whole, whole
    return rounded, rounded, whole


def _number(steps: int, decimals: int) -> str:
    """``steps`` of ``10 ** -decimals`` as text, without sign: 924 at one decimal is "92.4"."""
    return f"{abs(steps) / 10**decimals:.{decimals}f}"


def percent(probability: float, decimals: int = 0) -> str:
    """A probability (0 to 1) as a percentage with ``decimals`` decimals (whole by default: "40%"); one that is not
    exactly 0 or 1 but would round to it reads "<1%" or ">99%" ("<0.1%", ">99.9%" with one decimal), so "100%"
    always means certain.

    Raises
    ------
    ValueError
        For a value outside 0 to 1 or NaN, or ``decimals`` other than 0, 1 or 2.
    """
    decimals = _check_decimals(decimals)
    low, high, whole = _tenths(probability, decimals)
    if low == high:
        return f"{_number(low, decimals)}%"
    return f"<{_number(high, decimals)}%" if low == 0 else f">{_number(low, decimals)}%"


def accuracy_percent(accuracy: float) -> str:
    """An accuracy (the share of recordings named right, 0 to 1) as every page shows it: "98.4%", "100.0%"
    (:func:`percent` with :data:`ACCURACY_DECIMALS` decimals)."""
    return percent(accuracy, ACCURACY_DECIMALS)


def share(part: int, whole: int) -> str:
    """A count out of a total with its share, e.g. "364 of 370 (98.4%)": one decimal, since totals reach
    thousands (:func:`accuracy_percent`)."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError(f"part must be from 0 to whole (> 0), got {part!r} of {whole!r}")
    return f"{part} of {whole} ({accuracy_percent(part / whole)})"


def _points(steps: int, decimals: int) -> str:
    """ "6.0 points", "1 point" (a whole 1 only), "0 points"."""
    number = _number(steps, decimals)
    return f"{number} point{'' if number == '1' else 's'}"


@dataclass(frozen=True)
class Change:
    """A change from one shown percentage to another, in percentage points, as a reader works it out from the
    two values as shown: exact when both are ("98.4%" to "92.4%": −6.0), a range when one reads "<1%" or ">99%"
    ("98%" to "<1%": −97 to −98).

    Attributes
    ----------
    low, high : int
        The smallest and largest change (after minus before) the shown values allow, in steps of
        ``10 ** -decimals`` points; equal when both values are exact.
    decimals : int
        As the values were shown.
    sign : int
        The sign of the unrounded change (1, 0 or -1): its direction where the shown values leave it open
        ("<1%" to "<1%").
    """

    low: int
    high: int
    decimals: int
    sign: int = 0

    @property
    def arrow(self) -> str:
        """ "up", "down", or "off" when nothing changed (as ``st.metric``'s ``delta_arrow`` takes it)."""
        if self.low >= 0 and self.high > 0 or self.low < 0 < self.high and self.sign > 0:
            return "up"
        if self.high <= 0 and self.low < 0 or self.low < 0 < self.high and self.sign < 0:
            return "down"
        return "off"

    @property
    def colour(self) -> str:
        """ "green" up, "red" down, "gray" otherwise (as ``st.metric``'s ``delta_color`` takes it), for a value
        that is better higher, such as an accuracy."""
        return {"up": "green", "down": "red", "off": "gray"}[self.arrow]

    @property
    def size(self) -> str:
        """How large the change is, without its direction: "6.0 points", "1 point", "0 points", "97 to 98
        points", "under 1 point"."""
        low, high = sorted((abs(self.low), abs(self.high)))
        if self.low == self.high:
            return _points(high, self.decimals)
        if self.low < 0 < self.high or low == 0:
            return f"under {_points(high, self.decimals)}"
        return f"{_number(low, self.decimals)} to {_points(high, self.decimals)}"

    @property
    def signed(self) -> str:
        """The change with its direction, for a box beside the new value: "+2 points", "−6.0 points", "0 points",
        "−97 to −98 points"; "under 1 point" says its direction by :attr:`arrow` alone."""
        size = self.size
        if size.startswith("under") or self.arrow == "off":
            return size
        sign = "+" if self.arrow == "up" else MINUS
        return sign + size.replace(" to ", f" to {sign}")

    def verb(self, subject: str = "it") -> str:
        """The change as a verb phrase about ``subject``: "lowers it by 6.0 points", "raises it by 2 points",
        "leaves it as it is", "changes it by under 1 point"."""
        if self.low == self.high == 0:
            return f"leaves {subject} as it is"
        verb = {"up": "raises", "down": "lowers", "off": "changes"}[self.arrow]
        return f"{verb} {subject} by {self.size}"


def change(before: float, after: float, decimals: int = 0) -> Change:
    """The change from probability ``before`` to ``after`` (0 to 1 each), worked out from the two as
    :func:`percent` shows them with ``decimals`` decimals; two equal values make no change, even where their
    shown text ("<1%", ">99%") alone would leave it open.

    Raises
    ------
    ValueError
        As :func:`percent`.
    """
    decimals = _check_decimals(decimals)
    b_low, b_high, _ = _tenths(before, decimals)
    a_low, a_high, _ = _tenths(after, decimals)
    if float(before) == float(after):  # two equal values, even ones shown as ">99%", did not change
        return Change(low=0, high=0, decimals=decimals)
    sign = 1 if after > before else -1
    return Change(low=a_low - b_high, high=a_high - b_low, decimals=decimals, sign=sign)


def percent_total(probabilities, decimals: int = 0) -> str:
    """The sum of shares (0 to 1 each, at most 1 in all) as a reader adds them from their shown :func:`percent`:
    "26%" and "11%" make "37%", whatever the unrounded sum; "<1%" and "4%" make "4 to 5%".

    Raises
    ------
    ValueError
        As :func:`percent`, or for an empty list.
    """
    decimals = _check_decimals(decimals)
    shown = [_tenths(p, decimals) for p in probabilities]
    if not shown:
        raise ValueError("probabilities must hold at least one share")
    low, high = sum(s[0] for s in shown), sum(s[1] for s in shown)
    if low == high:
        return f"{_number(low, decimals)}%"
    return f"{_number(low, decimals)} to {_number(high, decimals)}%"
