"""Colours, scales, axes and markers that every chart shares."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "MARKER_COLOUR",
    "SPEAKER_COLOURS",
    "scale_for",
    "speaker_scale",
    "time_axis",
    "step_rule",
    "step_outline",
    "as_channel",
    "layered",
]


MARKER_COLOUR = "#ffa600"  # amber: visible on red, blue, white cells and on both themes


SPEAKER_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
]  # Tableau 10, one per speaker


def speaker_scale(n: int = 9) -> alt.Scale:
    """The colour scale of speakers 1 to ``n``, one colour each."""
    return alt.Scale(domain=list(range(1, n + 1)), range=SPEAKER_COLOURS[:n])


def scale_for(quantity: str, values: np.ndarray | None = None) -> alt.Scale:
    """A colour scale that fits the quantity.

    Hidden state and cell candidate lie in [-1, 1] (diverging, fixed); the
    gates lie in [0, 1] (sequential, fixed); the cell state is unbounded, so
    its diverging scale is symmetric around 0 and fitted to ``values``.
    """
    if quantity in ("hidden", "cell candidate"):
        return alt.Scale(domain=[-1, 1], scheme="redblue", reverse=True, clamp=True)
    if quantity in ("input", "forget", "output"):
        return alt.Scale(domain=[0, 1], scheme="viridis", clamp=True)
    if quantity == "cell":
        bound = float(np.abs(values).max()) if values is not None and np.size(values) else 1.0
        bound = max(bound, 1e-6)
        return alt.Scale(domain=[-bound, bound], scheme="redblue", reverse=True, clamp=True)
    raise ValueError(f"unknown quantity {quantity!r}")


def time_axis(n_steps: int) -> alt.X:
    """A quantitative time axis from step 1 to ``n_steps`` with whole-number ticks."""
    return alt.X(
        "step:Q",
        title="Time step",
        scale=alt.Scale(domain=[1, n_steps], zero=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )


def step_rule(step: int | None, n_steps: int) -> alt.Chart | None:
    """A dashed vertical rule at a 1-based step on :func:`time_axis`."""
    if step is None:
        return None
    return (
        alt.Chart(pd.DataFrame({"step": [step]}))
        .mark_rule(color=MARKER_COLOUR, strokeWidth=2, strokeDash=[4, 3])
        .encode(x=time_axis(n_steps))
    )


def step_outline(step: int | None) -> alt.Chart | None:
    """An outlined column at a 1-based step on an ordinal (heatmap) time axis."""
    if step is None:
        return None
    return (
        alt.Chart(pd.DataFrame({"step": [step]}))
        .mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3)
        .encode(x=alt.X("step:O"))
    )


def as_channel(channel: type, condition: dict):
    """What ``alt.condition`` returned, as the channel class ``channel`` (e.g. ``alt.OpacityValue``).

    Altair turns a plain dict, or a shorthand string such as ``"unit:O"``, into a channel by matching it against
    every class of the Vega-Lite schema, about 5 ms a time: named classes (here and in every encoding of this
    module) make a chart three times faster to build.
    """
    return channel(**condition)


def layered(base: alt.Chart, *others) -> alt.Chart:
    """``base`` with the charts of ``others`` that are not None layered on top (``base`` alone if none are)."""
    others = [o for o in others if o is not None]
    return alt.layer(base, *others) if others else base
