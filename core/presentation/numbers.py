"""One way to write a number on every page, so that a banner and a box never disagree."""

from __future__ import annotations

import math

__all__ = ["percent", "share"]


def percent(probability: float) -> str:
    """A probability (0 to 1) as a whole percentage: "40%"; one that is not exactly 0 or 1 but would round to
    it reads "<1%" or ">99%", so "100%" always means certain.

    Raises
    ------
    ValueError
        For a value outside 0 to 1 or NaN.
    """
    p = float(probability)
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
    rounded = math.floor(p * 100 + 0.5)  # half up, as the charts' tooltips round
    if rounded == 0 and p > 0:
        return "<1%"
    if rounded == 100 and p < 1:
        return ">99%"
    return f"{rounded}%"


def share(part: int, whole: int) -> str:
    """A count out of a total with its share, e.g. "364 of 370 (98.4%)": one decimal, since totals reach
    thousands."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError(f"part must be from 0 to whole (> 0), got {part!r} of {whole!r}")
    return f"{part} of {whole} ({part / whole:.1%})"
