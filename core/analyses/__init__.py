"""Analyses: what the app finds out about a network with :mod:`core.compute`, as arrays and small records."""

from . import (
    ablation,
    attribution,
    attribution_checks,
    baselines,
    flip,
    lab,
    mistakes,
    patterns,
    projection,
    side_by_side,
    units,
    whatif,
)

__all__ = [
    "ablation",
    "attribution",
    "baselines",
    "flip",
    "attribution_checks",
    "lab",
    "mistakes",
    "patterns",
    "projection",
    "side_by_side",
    "units",
    "whatif",
]
