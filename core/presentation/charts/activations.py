"""Charts of one recording inside the network: hidden-state heatmaps and the class trajectory.

Used by Activations, Class trajectory and Compare two.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames
from .common import (
    AXIS_FONT_PX,
    MARKER_COLOUR,
    as_channel,
    class_axis,
    class_legend,
    class_legend_room,
    class_name_expr,
    class_scale,
    colour_bar,
    columns_legend,
    layered,
    legend_room,
    percent_expr,
    percent_tooltip,
    scale_for,
    step_outline,
    step_rule,
    time_axis,
)

__all__ = [
    "heatmap_chart",
    "values_at_step_chart",
    "trajectory_chart",
    "trajectory_pair_chart",
    "probs_at_step_chart",
    "heatmap_pair_charts",
]


def heatmap_chart(
    values: np.ndarray,
    units,
    *,
    quantity: str = "hidden",
    step: int | None = None,
    scale: alt.Scale | None = None,
    highlight_units=None,
    title: str = "",
) -> alt.Chart:
    """MATLAB's activation heatmap: units (rows) over time steps (columns).

    Parameters
    ----------
    values : ndarray of shape (T, U)
    units : sequence of int, length U
        1-based unit numbers, in the order the rows are drawn (top first).
    quantity : str
        Picks the colour scale (see :func:`scale_for`) unless ``scale`` is given.
    step : int, optional
        1-based time step outlined on the map.
    highlight_units : sequence of int, optional
        1-based units marked with a dot at the left, e.g. a pattern selection.
    """
    data = frames.heatmap_long(values, units)
    order = [int(u) for u in units]
    # every row labelled with its unit while rows are as tall as the labels; every other one on taller maps
    rows_labelled = f"height / {max(len(order), 1)} >= {AXIS_FONT_PX + 1} ? false : 'parity'"
    y = alt.Y(
        "unit:O",
        title="Hidden unit",
        sort=order,
        axis=alt.Axis(labelOverlap=alt.ExprRef(expr=rows_labelled), labelFlush=False),  # each label on its row
    )
    scale = scale or scale_for(quantity, values)
    rects = (
        alt.Chart(data, title=title)
        .mark_rect()
        .encode(
            x=alt.X("step:O", title="Time step", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=y,
            color=alt.Color(
                "value:Q",
                scale=scale,
                title=quantity.capitalize() if quantity != "hidden" else "Activation",
                legend=colour_bar(scale),
            ),
            tooltip=[alt.Tooltip("unit:O"), alt.Tooltip("step:O"), alt.Tooltip("value:Q", format=".3f")],
        )
    )
    marks = [step_outline(step)]
    if highlight_units is not None and len(highlight_units):
        highlighted = pd.DataFrame({"unit": [int(u) for u in highlight_units if int(u) in order]})
        marks.append(alt.Chart(highlighted).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=2).encode(y=y))
    # Streamlit sizes the whole chart (title, axes, legend) to this height: room for those plus 18 px a row.
    height = min(150 + 18 * len(order), 1500)
    return layered(rects, *marks).properties(height=height)


def values_at_step_chart(
    values: np.ndarray, units, *, quantity: str = "hidden", scale: alt.Scale | None = None
) -> alt.Chart:
    """The shown units' values at the chosen time step, as bars.

    Parameters
    ----------
    values : ndarray of shape (U,)
    units : sequence of int, length U
        1-based unit numbers, in the order the bars are drawn.
    quantity : str
        Picks the colour scale (see :func:`scale_for`) when ``scale`` is not given.
    scale : alt.Scale, optional
        The heatmap's colour scale, so that both charts agree and the bars' axis stays put from step to step;
        by default :func:`scale_for` fitted to ``values``.

    The step is not in the title: a chart whose spec stays the same is updated in place by the browser when
    the step slider moves (see ``ui/display.py``), and the slider above it shows the step.
    """
    scale = scale or scale_for(quantity, values)
    data = pd.DataFrame({"unit": [int(u) for u in units], "value": np.asarray(values, dtype=float)})
    return (
        alt.Chart(data, title="Values at the chosen time step")
        .mark_bar(stroke="#888888", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "unit:O",
                sort=[int(u) for u in units],
                title="Hidden unit",
                axis=alt.Axis(labelOverlap=True, labelAngle=0),
            ),
            y=alt.Y("value:Q", title="Value", scale=alt.Scale(domain=scale.domain)),
            color=alt.Color("value:Q", scale=scale, legend=None),
            tooltip=[alt.Tooltip("unit:O"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=220)
    )


def _probability_axis() -> alt.Y:
    """The y axis of a class trajectory: probability from 0 to 100 %."""
    return alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))


def _class_colour(info: DatasetInfo) -> alt.Color:
    """A colour per class, the legend naming each class of ``info``."""
    return alt.Color(
        field=info.class_word,
        type="nominal",
        scale=class_scale(info.n_classes),
        legend=class_legend(info, info.class_word.capitalize()),
    )


def trajectory_chart(
    probs: np.ndarray,
    *,
    step: int | None = None,
    true_label: int | None = None,
    title: str = "",
    height: int = 360,
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """The class trajectory: each class's probability after every time step.

    Parameters
    ----------
    probs : ndarray of shape (T, C)
    step : int, optional
        1-based step marked with a vertical rule.
    true_label : int, optional
        Drawn with a thicker line.
    height : int
        Pixels for the title, the plot, its axes and one row of the legend above it; the chart is taller by
        the legend's further rows on a phone (:func:`core.presentation.charts.common.class_legend_room`).
    info : DatasetInfo, optional
        The data set, with C classes: names the legend and the class column. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``step``, the class word (``speaker``, ``activity``, ...: the 1-based class),
        ``probability`` and ``true <class word>`` (bool).
    """
    info = frames.words(info)
    word = info.class_word
    data = frames.probs_long(probs, info=info)
    data[f"true {word}"] = data[word] == true_label
    lines = (
        alt.Chart(data, title=title)
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .transform_calculate(name=class_name_expr(word, info), percent=percent_expr("probability"))
        .encode(
            x=time_axis(probs.shape[0]),
            y=_probability_axis(),
            color=_class_colour(info),
            strokeWidth=as_channel(
                alt.StrokeWidthValue, alt.condition(f"datum['true {word}']", alt.value(4), alt.value(1.5))
            ),
            tooltip=[
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("step:Q"),
                percent_tooltip(),
            ],
        )
    )
    return layered(lines, step_rule(step, probs.shape[0])).properties(height=height + class_legend_room(info))


def trajectory_pair_chart(
    probs_a: np.ndarray,
    probs_b: np.ndarray,
    *,
    names: tuple[str, str],
    true_label: int | None = None,
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """Two networks' class trajectories on one recording, on one chart: a colour per class, a solid line for
    network A and a dashed one for B.

    Parameters
    ----------
    probs_a, probs_b : ndarray of shape (T, C)
        Each network's probabilities after every step of the same recording.
    names : (str, str)
        What the two networks are called, in the legend.
    true_label : int, optional
        The true class (1-based), drawn thicker.
    info : DatasetInfo, optional
        The data set, with C classes. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``step``, the class word (the 1-based class), ``probability``, ``true <class word>`` (bool)
        and ``network`` (one of ``names``).
    """
    if np.shape(probs_a) != np.shape(probs_b):
        raise ValueError(
            f"both networks need the same steps and classes, got {np.shape(probs_a)} and {np.shape(probs_b)}"
        )
    info = frames.words(info)
    word = info.class_word
    parts = []
    for name, probs in zip(names, (probs_a, probs_b), strict=True):
        part = frames.probs_long(probs, info=info)
        part["network"] = name
        parts.append(part)
    data = pd.concat(parts, ignore_index=True)
    data[f"true {word}"] = data[word] == true_label
    return (
        alt.Chart(data)
        .mark_line()
        .transform_calculate(name=class_name_expr(word, info), percent=percent_expr("probability"))
        .encode(
            x=time_axis(np.shape(probs_a)[0]),
            y=_probability_axis(),
            color=_class_colour(info),
            strokeDash=alt.StrokeDash(
                field="network",
                type="nominal",
                title="Network",
                sort=list(names),
                scale=alt.Scale(domain=list(names), range=[[1, 0], [6, 3]]),
                legend=columns_legend(names, "Network", orient="bottom", symbolStrokeColor="#888888"),
            ),
            detail=alt.Detail(field="network", type="nominal"),
            strokeWidth=as_channel(
                alt.StrokeWidthValue, alt.condition(f"datum['true {word}']", alt.value(3.5), alt.value(1.5))
            ),
            tooltip=[
                alt.Tooltip("network:N"),
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("step:Q"),
                percent_tooltip(),
            ],
        )
        .properties(height=420 + class_legend_room(info) + legend_room(names))
    )


def probs_at_step_chart(
    probs: np.ndarray, step: int | None, *, true_label: int | None = None, info: DatasetInfo | None = None
) -> alt.Chart:
    """Each class's probability at one time step, as bars.

    ``step`` (1-based) goes in the title; ``None`` titles it "after the chosen time step", for a chart under a
    step slider: its spec then stays the same as the slider moves, and the browser updates it in place.

    Parameters
    ----------
    probs : ndarray of shape (C,)
    step : int or None
    true_label : int, optional
        The true class (1-based), outlined.
    info : DatasetInfo, optional
        The data set, with C classes: names the bars. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns the class word (the 1-based class), ``probability`` and ``true <class word>``
        (``"true <class word>"`` or ``""``).
    """
    info = frames.words(info)
    word = info.class_word
    probs = np.asarray(probs, dtype=float)
    if probs.shape != (info.n_classes,):
        raise ValueError(f"probs must have shape ({info.n_classes},), one per {word}, got {probs.shape}")
    data = pd.DataFrame({word: np.arange(1, len(probs) + 1), "probability": probs})
    data[f"true {word}"] = np.where(data[word] == true_label, f"true {word}", "")
    title = f"Probabilities after time step {step}" if step is not None else "Probabilities after the chosen time step"
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .transform_calculate(name=class_name_expr(word, info), percent=percent_expr("probability"))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                axis=class_axis(info),
            ),
            y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color(field=word, type="nominal", scale=class_scale(info.n_classes), legend=None),
            stroke=as_channel(
                alt.StrokeValue,
                alt.condition(f"datum['true {word}'] != ''", alt.value(MARKER_COLOUR), alt.value(None)),
            ),
            strokeWidth=alt.StrokeWidthValue(3),
            tooltip=[
                alt.Tooltip("name:N", title=word),
                percent_tooltip(),
                alt.Tooltip(field=f"true {word}", type="nominal"),
            ],
        )
        .properties(height=220)
    )


def heatmap_pair_charts(
    values_a: np.ndarray, values_b: np.ndarray, units, *, quantity: str = "hidden", titles: tuple[str, str] = ("", "")
) -> tuple[alt.Chart, alt.Chart]:
    """Two :func:`heatmap_chart` maps of the same units on one shared colour scale.

    The hidden state and the gates keep their fixed scales; the cell state's
    symmetric scale is fitted to the values of both maps together.

    Parameters
    ----------
    values_a, values_b : ndarray of shape (T_a, U) and (T_b, U)
    units : sequence of int, length U
        1-based unit numbers.
    quantity : str
        As in :func:`scale_for`.

    Returns
    -------
    (alt.Chart, alt.Chart)
    """
    values_a, values_b = np.asarray(values_a), np.asarray(values_b)
    scale = scale_for(quantity, np.concatenate([values_a.ravel(), values_b.ravel()]))
    return tuple(
        heatmap_chart(v, units, quantity=quantity, scale=scale, title=title)
        for v, title in zip((values_a, values_b), titles, strict=True)
    )
