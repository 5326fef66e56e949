"""Colours, scales, axes and markers that every chart shares, and the words of a data set's classes."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo

__all__ = [
    "MARKER_COLOUR",
    "NO_CLASS_COLOUR",
    "CLASS_COLOURS",
    "LEGEND_ROW",
    "LEGEND_COLUMNS",
    "scale_for",
    "class_colours",
    "class_legend",
    "class_scale",
    "class_labels_expr",
    "class_name_expr",
    "percent_expr",
    "percent_tooltip",
    "time_axis",
    "step_rule",
    "step_outline",
    "as_channel",
    "layered",
]


MARKER_COLOUR = "#ffa600"  # amber: visible on red, blue, white cells and on both themes
NO_CLASS_COLOUR = "#c7c7c7"  # light grey: a unit that singles out no class
LEGEND_ROW = 80  # a legend whose names take up to this many characters fits in one row above a chart...
LEGEND_COLUMNS = 5  # ... a longer one is laid out in this many columns


CLASS_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#b6992d",
    "#499894",
    "#ff9d9a",
    "#79706e",
    "#d37295",
    "#d4a6c8",
    "#d7b5a6",
]  # Tableau 10, then the other shades of Tableau 20: one per class, for up to 20 classes


def class_colours(n: int) -> list[str]:
    """One colour for each of ``n`` classes: :data:`CLASS_COLOURS` in order, starting over after 20."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive number of classes, got {n!r}")
    return [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(n)]


def class_legend(info: DatasetInfo, title: str, **properties) -> alt.Legend:
    """A legend of the classes above the plot, naming them: in one row when their names are short enough
    (:data:`LEGEND_ROW` characters in all), else in :data:`LEGEND_COLUMNS` columns, so that no entry is cut off
    whatever the number of classes; ``properties`` go to ``alt.Legend``."""
    one_row = sum(len(name) + 3 for name in _shown_names(info)) <= LEGEND_ROW
    return alt.Legend(
        title=title,
        orient="top",
        direction="horizontal",
        titleOrient="left" if one_row else "top",
        columns=0 if one_row else LEGEND_COLUMNS,
        labelExpr=class_labels_expr(info),
        labelLimit=160,
        symbolLimit=0,
        **properties,
    )


def class_scale(n: int) -> alt.Scale:
    """The colour scale of classes 1 to ``n`` (1-based labels), one colour each."""
    return alt.Scale(domain=list(range(1, n + 1)), range=class_colours(n))


def _shown_names(info: DatasetInfo) -> list[str]:
    """The class names as labelled on an axis: just the numbers when the names are "<class word> k"."""
    if list(info.class_names) == [f"{info.class_word} {k}" for k in range(1, info.n_classes + 1)]:
        return [str(k) for k in range(1, info.n_classes + 1)]
    return list(info.class_names)


def class_labels_expr(info: DatasetInfo) -> str:
    """A Vega expression for an axis's or legend's ``labelExpr``: the class label ``datum.value`` (1-based) as
    its name (as its number for names such as "speaker 3", whose word is the axis title)."""
    return f"{json.dumps(_shown_names(info))}[datum.value - 1]"


def class_name_expr(field: str, info: DatasetInfo) -> str:
    """A Vega expression (for ``transform_calculate``) of the name of the class in the 1-based label ``field``."""
    return f"{json.dumps(list(info.class_names))}[datum[{json.dumps(field)}] - 1]"


def percent_expr(field: str) -> str:
    """A Vega expression (for ``transform_calculate``) that writes the probability in ``field`` as
    :func:`core.presentation.numbers.percent` does: whole percents, "<1%" and ">99%" for what is not quite 0 or 1."""
    v = f"datum[{json.dumps(field)}]"
    return f"{v} == 0 ? '0%' : {v} == 1 ? '100%' : {v} < 0.005 ? '<1%' : {v} >= 0.995 ? '>99%' : format({v}, '.0%')"


def percent_tooltip(title: str = "probability") -> alt.Tooltip:
    """The tooltip of the field ``percent`` that :func:`percent_expr` computes."""
    return alt.Tooltip("percent:N", title=title)


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
