"""Charts of single hidden units and of silencing them.

Used by What a unit responds to and Silence units.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...analyses.units import ClassUnits
from ...compute.data import DatasetInfo
from .. import frames
from .common import (
    MARKER_COLOUR,
    NO_CLASS_COLOUR,
    as_channel,
    class_axis,
    class_colours,
    class_legend,
    class_legend_room,
    class_name_expr,
    class_scale,
    columns_legend,
    layered,
    legend_room,
    time_axis,
)

__all__ = [
    "ABLATION_COLOURS",
    "unit_lines_chart",
    "class_means_chart",
    "selectivity_ranking_chart",
    "ablation_classes_chart",
]


ABLATION_COLOURS = {"as trained": "#8c8c8c", "with units silenced": "#e15759"}  # grey / red: both themes


def _check_classes(labels: np.ndarray, info: DatasetInfo, name: str) -> None:
    if labels.size and (labels.min() < 1 or labels.max() > info.n_classes):
        raise ValueError(f"{name} must be {info.class_word} numbers 1 to {info.n_classes}")


def unit_lines_chart(
    values: np.ndarray,
    lengths,
    labels,
    *,
    unit: int,
    highlight: int | None = None,
    title: str = "",
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """One unit's activation over time in every sequence of a split: one thin line per sequence, coloured by class.

    Clicking a class in the legend brings out that class's lines (a selection named ``class_pick``, bound to the
    legend).

    Parameters
    ----------
    values : ndarray of shape (N, T_max)
        The unit's value at every padded step of every sequence; steps past a sequence's length are left out.
    lengths : array-like of shape (N,)
        Real steps of each sequence, 1 to T_max.
    labels : array-like of shape (N,)
        Class of each sequence, 1 to C.
    unit : int
        1-based unit number, for the axis title.
    highlight : int, optional
        0-based recording drawn thick with dots (the chosen one).
    info : DatasetInfo, optional
        The data set, with C classes: names the legend and the class column. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``recording`` (1-based), the class word (``speaker``, ``activity``, ...: the 1-based
        class), ``step`` (1-based), ``activation``; the highlighted sequence, if any, in a second table with
        ``step``, ``activation`` and the class word.
    """
    info = frames.words(info)
    word = info.class_word
    values = np.asarray(values, dtype=float)
    lengths, labels = np.asarray(lengths, dtype=int), np.asarray(labels, dtype=int)
    if values.ndim != 2 or lengths.shape != (values.shape[0],) or labels.shape != (values.shape[0],):
        raise ValueError(
            f"values must be (N, T_max) with N lengths and N labels; got {values.shape}, "
            f"{lengths.shape} and {labels.shape}"
        )
    if lengths.min() < 1 or lengths.max() > values.shape[1]:
        raise ValueError(f"lengths must lie between 1 and T_max = {values.shape[1]}")
    _check_classes(labels, info, "labels")
    seq, step = np.nonzero(np.arange(values.shape[1])[None, :] < lengths[:, None])  # real steps, by sequence
    data = pd.DataFrame({"recording": seq + 1, word: labels[seq], "step": step + 1, "activation": values[seq, step]})
    pick = alt.selection_point(name="class_pick", fields=[word], bind="legend")
    x = time_axis(int(lengths.max()))
    y = alt.Y("activation:Q", title=f"Unit {unit} activation", scale=alt.Scale(domain=[-1, 1]))
    colour = alt.Color(
        field=word, type="nominal", scale=class_scale(info.n_classes), legend=class_legend(info, word.capitalize())
    )
    lines = (
        alt.Chart(data, title=title)
        .mark_line(strokeWidth=1)
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=x,
            y=y,
            color=colour,
            detail=alt.Detail("recording:N"),
            opacity=as_channel(alt.OpacityValue, alt.condition(pick, alt.value(0.35), alt.value(0.03))),
            tooltip=[
                alt.Tooltip("recording:Q"),
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("step:Q"),
                alt.Tooltip("activation:Q", format=".3f"),
            ],
        )
        .add_params(pick)
    )
    chosen = None
    if highlight is not None:
        rows = data[data["recording"] == int(highlight) + 1][["step", "activation", word]]
        chosen = (
            alt.Chart(rows)
            .mark_line(strokeWidth=3.5, point=alt.OverlayMarkDef(size=40, filled=True))
            .encode(x=x, y=y, color=colour, tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("activation:Q", format=".3f")])
        )
    return layered(lines, chosen).properties(height=400 + class_legend_room(info))


def class_means_chart(means, *, unit: int, info: DatasetInfo | None = None) -> alt.Chart:
    """A unit's average activation for each class, as bars in the classes' colours.

    Parameters
    ----------
    means : array-like of shape (C,)
        Column ``unit - 1`` of :func:`core.analyses.units.class_means`: one mean per class.
    unit : int
        1-based, for the title.
    info : DatasetInfo, optional
        The data set, with C classes: names the bars. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns the class word (``speaker``, ``activity``, ...: the 1-based class) and ``mean activation``.
    """
    info = frames.words(info)
    word = info.class_word
    means = np.asarray(means, dtype=float)
    if means.shape != (info.n_classes,):
        raise ValueError(f"means must have shape ({info.n_classes},), one value per {word}, got {means.shape}")
    data = pd.DataFrame({word: np.arange(1, len(means) + 1), "mean activation": means})
    return (
        alt.Chart(data, title=f"Unit {unit}: average for each {word}")
        .mark_bar()
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                axis=class_axis(info),
            ),
            y=alt.Y("mean activation:Q", title="Average activation"),
            color=alt.Color(field=word, type="nominal", scale=class_scale(len(means)), legend=None),
            tooltip=[alt.Tooltip("name:N", title=word), alt.Tooltip("mean activation:Q", format=".3f")],
        )
        .properties(height=400)
    )


def selectivity_ranking_chart(classes: ClassUnits, *, unit: int | None = None, info: DatasetInfo | None = None):
    """Every unit as a bar, the units that single out a class first and strongest first, coloured by that class;
    clickable.

    Parameters
    ----------
    classes : ClassUnits
        :func:`core.analyses.units.class_units`: ``klass`` (H,) 1-based or 0, ``sign`` (H,), ``strength`` (H,).
        Bars are as tall as ``strength`` and ordered by :meth:`ClassUnits.ranking`.
    unit : int, optional
        1-based unit marked with a rule (the one on show).
    info : DatasetInfo, optional
        The data set, with C classes: names the legend. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``rank``, ``unit``, ``strength``, the class word (``speaker``, ``activity``, ...: the
        1-based class, 0 for none), ``singles out`` (words: "on for walking"); a point selection named ``pick``
        over ``unit``, for ``st.vega_lite_chart(on_select=...)``.
    """
    info = frames.words(info)
    word = info.class_word
    if not isinstance(classes, ClassUnits):
        raise TypeError(f"classes must be a ClassUnits, got {type(classes).__name__}")
    if classes.klass.size and classes.klass.max() > info.n_classes:
        raise ValueError(f"classes single out {word} numbers up to {classes.klass.max()}; there are {info.n_classes}")
    order = classes.ranking()  # (H,) 0-based
    names = list(info.class_names)
    data = pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "unit": order + 1,
            "strength": classes.strength[order],
            word: classes.klass[order],
            "singles out": [
                "no class" if k == 0 else f"{'on' if g > 0 else 'off'} for {names[k - 1]}"
                for k, g in zip(classes.klass[order], classes.sign[order], strict=True)
            ],
        }
    )
    x = alt.X(
        "unit:O",
        sort=[int(u) for u in order + 1],
        title="Hidden unit (strongest first)",
        axis=alt.Axis(labelOverlap=True, labelAngle=0),
    )
    title = ""
    if unit is not None:
        if not 1 <= int(unit) <= len(order):
            raise ValueError(f"unit must be from 1 to {len(order)}, got {unit!r}")
        rank = int(np.flatnonzero(order == int(unit) - 1)[0]) + 1
        title = f"Unit {int(unit)} (dashed line) is number {rank} of {len(order)}"
    scale = alt.Scale(
        domain=[0, *range(1, info.n_classes + 1)], range=[NO_CLASS_COLOUR, *class_colours(info.n_classes)]
    )
    legend = class_legend(info, f"Singles out {word}", no_class="no class")
    bars = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("strength:Q", title="Strength (how clearly it singles out)"),
            color=alt.Color(field=word, type="nominal", scale=scale, legend=legend),
            tooltip=[
                alt.Tooltip("unit:O"),
                alt.Tooltip("rank:Q"),
                alt.Tooltip("singles out:N"),
                alt.Tooltip("strength:Q", format=".2f"),
            ],
        )
        .add_params(alt.selection_point(name="pick", fields=["unit"], on="click"))
    )
    marker = None
    if unit is not None:
        marker = (
            alt.Chart(pd.DataFrame({"unit": [int(unit)]}))
            .mark_rule(color=MARKER_COLOUR, strokeWidth=3, strokeDash=[4, 3])
            .encode(x=x)
        )
    return layered(bars, marker).properties(height=280 + class_legend_room(info, no_class="no class"))


def ablation_classes_chart(right_before, right_after, totals, *, info: DatasetInfo | None = None) -> alt.Chart:
    """For each class, the share of recordings named right as trained and with units silenced.

    Parameters
    ----------
    right_before, right_after : array-like of shape (C,)
        Recordings of each class named right (e.g. the diagonal of :func:`core.confusion_matrix`).
    totals : array-like of shape (C,)
        Recordings of each class.
    info : DatasetInfo, optional
        The data set, with C classes: names the bars. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns the class word (``speaker``, ``activity``, ...: the 1-based class), ``network``
        (``"as trained"`` or ``"with units silenced"``), ``right``, ``recordings`` and ``share``
        (``right / recordings``).
    """
    info = frames.words(info)
    word = info.class_word
    right_before, right_after, totals = (np.asarray(a, dtype=int) for a in (right_before, right_after, totals))
    if not right_before.shape == right_after.shape == totals.shape == (info.n_classes,):
        raise ValueError(f"right_before, right_after and totals must have the same shape ({info.n_classes},)")
    if (totals < 1).any() or (right_before > totals).any() or (right_after > totals).any():
        raise ValueError(f"every {word} needs recordings, and no more right answers than recordings")
    classes = np.arange(1, len(totals) + 1)
    networks = list(ABLATION_COLOURS)
    data = pd.concat(
        [
            pd.DataFrame(
                {word: classes, "network": name, "right": right, "recordings": totals, "share": right / totals}
            )
            for name, right in zip(networks, (right_before, right_after), strict=True)
        ],
        ignore_index=True,
    )
    return (
        alt.Chart(data, title=f"Test recordings named right, per {word}")  # short: a phone cuts a title
        .mark_bar()
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                axis=class_axis(info),
            ),
            xOffset=alt.XOffset("network:N", sort=networks),
            y=alt.Y("share:Q", title="Named right", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color(
                "network:N",
                sort=networks,
                title="Network",
                scale=alt.Scale(domain=networks, range=list(ABLATION_COLOURS.values())),
                legend=columns_legend(networks, "Network"),  # above: beside the bars it squeezes them on a phone
            ),
            tooltip=[
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("network:N"),
                alt.Tooltip("right:Q"),
                alt.Tooltip("recordings:Q"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(height=260 + legend_room(networks))
    )
