"""Charts of the What if? page: how an edit moves the final answer and the hidden state, and a sweep's curve."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ...analyses.flip import Parting
from ...analyses.whatif import Sweep
from ..describe import class_name
from .activations import heatmap_chart
from .common import MARKER_COLOUR, class_colours, columns_legend, layered, legend_room, percent_expr, percent_tooltip

__all__ = ["answer_change_chart", "difference_heatmap_chart", "sweep_chart", "parting_chart"]

_UP, _DOWN = "#59a14f", "#e15759"  # green: the edit raised a probability; red: it lowered one (both themes)


def answer_change_chart(
    original, edited, *, class_word: str = "speaker", class_names: Sequence[str] | None = None
) -> alt.Chart:
    """Each class's final probability, edited minus original, as bars.

    Parameters
    ----------
    original, edited : array-like of shape (C,)
        Probabilities after the last step of the original and the edited recording.
    class_word, class_names
        How classes are named (see :func:`core.presentation.describe.class_name`).

    Returns
    -------
    alt.Chart
        Its table has columns ``class``, ``original``, ``edited``, ``change`` (edited - original), ``direction``.
    """
    original, edited = np.asarray(original, dtype=float), np.asarray(edited, dtype=float)
    if original.ndim != 1 or original.shape != edited.shape:
        raise ValueError(f"original and edited must have the same shape (C,), got {original.shape} and {edited.shape}")
    names = [class_name(k, class_word, class_names) for k in range(1, len(original) + 1)]
    change = edited - original  # (C,)
    data = pd.DataFrame(
        {
            "class": names,
            "original": original,
            "edited": edited,
            "change": change,
            "direction": np.where(change >= 0, "up", "down"),
        }
    )
    bound = max(float(np.abs(change).max()), 0.05)
    return (
        alt.Chart(data, title="Final probabilities: edited minus original")
        .mark_bar()
        .transform_calculate(**{"original text": percent_expr("original"), "edited text": percent_expr("edited")})
        .encode(
            x=alt.X("class:N", title=class_word.capitalize(), sort=names, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "change:Q",
                title="Change in probability",
                scale=alt.Scale(domain=[-bound, bound]),
                axis=alt.Axis(format="+%"),
            ),
            color=alt.Color("direction:N", scale=alt.Scale(domain=["up", "down"], range=[_UP, _DOWN]), legend=None),
            tooltip=[
                alt.Tooltip("class:N", title=class_word.capitalize()),
                alt.Tooltip("original text:N", title="original"),
                alt.Tooltip("edited text:N", title="edited"),
                alt.Tooltip("change:Q", format="+.1%"),
            ],
        )
        .properties(height=260)
    )


def difference_heatmap_chart(difference, units, *, title: str = "Edited minus original") -> alt.Chart:
    """The hidden state of the edited recording minus the original's, unit by unit and step by step.

    Parameters
    ----------
    difference : ndarray of shape (T, U)
        Both recordings have T steps; hidden states lie in [-1, 1], so differences in [-2, 2].
    units : sequence of int, length U
        1-based unit numbers.

    Returns
    -------
    alt.Chart
        A :func:`core.presentation.charts.heatmap_chart` on a red-blue scale symmetric around 0, fitted to the
        largest difference (at least 0.1, so that tiny differences stay pale).
    """
    difference = np.asarray(difference, dtype=float)
    if difference.ndim != 2:
        raise ValueError(f"difference must have shape (T, U), got {difference.shape}")
    bound = max(float(np.abs(difference).max()) if difference.size else 0.0, 0.1)
    scale = alt.Scale(domain=[-bound, bound], scheme="redblue", reverse=True, clamp=True)
    return heatmap_chart(difference, units, quantity="difference", scale=scale, title=title)


def sweep_chart(
    result: Sweep, *, strength_title: str, class_word: str = "speaker", class_names: Sequence[str] | None = None
) -> alt.Chart:
    """The probability of the original answer against an edit's strength; dashed rules where the answer flips.

    Parameters
    ----------
    result : Sweep
        S strengths and the final answer at each.
    strength_title : str
        The strength axis's title, e.g. "Noise strength".
    class_word, class_names
        How classes are named (see :func:`core.presentation.describe.class_name`).

    Returns
    -------
    alt.Chart
        Tables: ``strength``, ``probability``, ``answer`` (the class named at each strength); and ``strength``
        of each flip.
    """
    if not isinstance(result, Sweep):
        raise TypeError(f"result must be a Sweep, got {type(result).__name__}")
    names = [class_name(int(k), class_word, class_names) for k in result.predictions]
    data = pd.DataFrame(
        {"strength": result.strengths.astype(float), "probability": result.answer_probs.astype(float), "answer": names}
    )
    kept = class_name(result.answer, class_word, class_names)
    named = sorted({int(k) for k in result.predictions})  # the classes answered somewhere, 1-based
    answers = [class_name(k, class_word, class_names) for k in named]
    answer_scale = alt.Scale(domain=answers, range=[class_colours(max(named))[k - 1] for k in named])
    x = alt.X("strength:Q", title=strength_title, scale=alt.Scale(zero=False))
    line = (
        alt.Chart(data, title=f"Probability of the original answer ({kept})")
        .mark_line(color="#888888")
        .encode(
            x=x,
            y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        )
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=60)
        .transform_calculate(percent=percent_expr("probability"))
        .encode(
            x=x,
            y=alt.Y("probability:Q"),
            color=alt.Color("answer:N", title="Answer", scale=answer_scale, legend=columns_legend(answers, "Answer")),
            tooltip=[
                alt.Tooltip("strength:Q", format=".3g"),
                percent_tooltip(),
                alt.Tooltip("answer:N"),
            ],
        )
    )
    flips = pd.DataFrame({"strength": result.strengths[result.flips].astype(float)})
    rules = (
        alt.Chart(flips).mark_rule(color=MARKER_COLOUR, strokeWidth=2, strokeDash=[4, 3]).encode(x=x)
        if len(flips)
        else None
    )
    return layered(line, points, rules).properties(height=300 + legend_room(answers))


def parting_chart(parting: Parting) -> alt.LayerChart:
    """How far apart the hidden states of the original and the edited recording are after every step.

    Parameters
    ----------
    parting : Parting
        ``distance`` (T,), ``threshold``, ``step`` (1-based or None).

    Returns
    -------
    alt.LayerChart
        A line of ``distance`` by ``step``; a dashed rule at the threshold (its table: ``threshold``); where the
        paths part, an amber rule at that step (its table: ``parting step``).
    """
    if not isinstance(parting, Parting):
        raise TypeError(f"parting must be a Parting, got {type(parting).__name__}")
    distance = np.asarray(parting.distance, dtype=float)  # (T,)
    data = pd.DataFrame({"step": np.arange(1, len(distance) + 1), "distance": distance})
    line = (
        alt.Chart(data)
        .mark_line(point=len(distance) <= 60)
        .encode(
            x=alt.X("step:Q", title="Time step", scale=alt.Scale(domain=[1, max(len(distance), 2)])),
            y=alt.Y("distance:Q", title="How far apart"),
            tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("distance:Q", format=".2f")],
        )
    )
    threshold = (
        alt.Chart(pd.DataFrame({"threshold": [float(parting.threshold)]}))
        .mark_rule(strokeDash=[4, 4], color="gray")
        .encode(y=alt.Y("threshold:Q"))
    )
    parts = None
    if parting.step is not None:
        parts = (
            alt.Chart(pd.DataFrame({"parting step": [int(parting.step)]}))
            .mark_rule(color=MARKER_COLOUR, strokeWidth=2)
            .encode(x=alt.X("parting step:Q"))
        )
    title = "Where the two memories part"
    return layered(line, threshold, parts).properties(title=title, height=260)
