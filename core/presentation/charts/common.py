"""Colours, scales, axes and markers that every chart shares, and the words of a data set's classes."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo

__all__ = [
    "MARKER_COLOUR",
    "NO_CLASS_COLOUR",
    "CLASS_COLOURS",
    "LEGEND_CHAR_PX",
    "LEGEND_ENTRY_PX",
    "LEGEND_LABEL_PX",
    "LEGEND_ROW_PX",
    "AXIS_FONT_PX",
    "AXIS_CHAR_PX",
    "AXIS_LABEL_PX",
    "NARROWEST_PLOT_PX",
    "scale_for",
    "colour_bar",
    "class_colours",
    "legend_entry_px",
    "legend_rows",
    "legend_room",
    "columns_legend",
    "class_legend",
    "class_legend_room",
    "class_scale",
    "class_axis",
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
# A legend of many entries is laid out in as many columns as the plot's width holds (see columns_legend), from
# these estimates of Streamlit's legend font (14 px) and spacing: a legend never grows wider than its plot.
LEGEND_CHAR_PX = 7  # the widest a label's character is on average (digits and lower case take 6 to 8 px)
LEGEND_ENTRY_PX = 34  # what an entry takes besides its label: the symbol, the gap to the label, column padding
LEGEND_LABEL_PX = 200  # a label longer than this is cut short with an ellipsis
LEGEND_ROW_PX = 30  # the height of a row of entries
AXIS_FONT_PX = 12  # Streamlit's axis label font
AXIS_CHAR_PX = 7  # the widest a character of an axis label is on average
AXIS_LABEL_PX = 160  # a class's name on an axis longer than this is cut short (Streamlit's theme cuts at 100 px)
NARROWEST_PLOT_PX = 270  # the plot of a chart on a 390 px wide phone (358 px less the value axis and its title)


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


def legend_entry_px(labels) -> int:
    """The width in pixels that one entry of a legend of ``labels`` is given: room for the longest label (up to
    :data:`LEGEND_LABEL_PX`) and its symbol."""
    labels = [str(label) for label in labels]
    if not labels:
        raise ValueError("labels must name at least one legend entry")
    return LEGEND_ENTRY_PX + min(LEGEND_LABEL_PX, LEGEND_CHAR_PX * max(len(label) for label in labels))


def legend_rows(labels, width: int = NARROWEST_PLOT_PX) -> int:
    """How many rows :func:`columns_legend` of ``labels`` takes on a plot ``width`` pixels wide (by default a
    phone's), for a chart to make room for them."""
    labels = list(labels)
    columns = max(1, min(len(labels), int(width) // legend_entry_px(labels)))
    return math.ceil(len(labels) / columns)


def legend_room(labels) -> int:
    """The pixels a chart adds to its height for the rows of its :func:`columns_legend` of ``labels`` beyond the
    first on a phone, so that the plot keeps its height there (and grows a little on a wider screen)."""
    return LEGEND_ROW_PX * (legend_rows(labels) - 1)


def columns_legend(labels, title: str, *, orient: str = "top", **properties) -> alt.Legend:
    """A legend above (or, with ``orient="bottom"``, below) the plot that lists every entry of ``labels`` (the
    labels as shown) in as many columns as the plot's width holds: one row when they all fit, down to one column
    on a narrow phone, never wider than the plot, so that no entry is cut off. ``properties`` go to
    ``alt.Legend``."""
    labels = list(labels)
    if orient not in ("top", "bottom"):
        raise ValueError(f"orient must be 'top' or 'bottom', got {orient!r}")
    columns = f"max(1, min({len(labels)}, floor(width / {legend_entry_px(labels)})))"
    return alt.Legend(
        title=title,
        orient=orient,
        direction="horizontal",
        titleOrient="top",
        columns=alt.ExprRef(expr=columns),
        labelLimit=LEGEND_LABEL_PX,
        symbolLimit=0,
        **properties,
    )


def _class_legend_names(info: DatasetInfo, no_class: str | None) -> list[str]:
    """The entries of :func:`class_legend` as shown."""
    return _shown_names(info) if no_class is None else [no_class, *_shown_names(info)]


def class_legend(info: DatasetInfo, title: str, *, no_class: str | None = None, **properties) -> alt.Legend:
    """A :func:`columns_legend` of the classes of ``info``, naming them (by number for names such as "speaker
    3", whose word is the title); ``no_class`` labels an entry 0 that comes first (e.g. "no class");
    ``properties`` go to ``alt.Legend``."""
    labels = class_labels_expr(info)
    if no_class is not None:
        labels = f"datum.value == 0 ? {json.dumps(no_class)} : ({labels})"
    return columns_legend(_class_legend_names(info, no_class), title, labelExpr=labels, **properties)


def class_legend_room(info: DatasetInfo, *, no_class: str | None = None) -> int:
    """:func:`legend_room` of :func:`class_legend`: the pixels a chart adds to its height for its legend."""
    return legend_room(_class_legend_names(info, no_class))


def class_scale(n: int) -> alt.Scale:
    """The colour scale of classes 1 to ``n`` (1-based labels), one colour each."""
    return alt.Scale(domain=list(range(1, n + 1)), range=class_colours(n))


def class_axis(info: DatasetInfo, *, orient: str = "bottom", **properties) -> alt.Axis:
    """An x axis along which the classes of ``info`` lie side by side, one band each, every one labelled with
    its name (by number for names such as "speaker 3") and none hidden to avoid an overlap (as Streamlit's theme
    would): upright while a band is wide enough for the longest name, else slanted, else (a band narrower than
    1.5 :data:`AXIS_FONT_PX`) upright on its side in a font no larger than the band. ``orient`` is "bottom" or
    "top"; ``properties`` go to ``alt.Axis``."""
    if orient not in ("bottom", "top"):
        raise ValueError(f"orient must be 'bottom' or 'top', got {orient!r}")
    band = f"(width / {info.n_classes})"
    upright = f"{band} >= {AXIS_CHAR_PX * max(len(name) for name in _shown_names(info)) + 8}"
    slanted = f"{band} >= {1.5 * AXIS_FONT_PX}"
    end = "right" if orient == "bottom" else "left"  # the end of a turned label that touches its band
    return alt.Axis(
        orient=orient,
        labelExpr=class_labels_expr(info),
        labelOverlap=False,
        labelFlush=False,  # Streamlit's theme moves the first and last labels off their bands
        labelAngle=alt.ExprRef(expr=f"{upright} ? 0 : {slanted} ? -45 : -90"),
        labelAlign=alt.ExprRef(expr=f"{upright} ? 'center' : '{end}'"),
        labelBaseline=alt.ExprRef(
            expr=f"{upright} || {slanted} ? '{'top' if orient == 'bottom' else 'bottom'}' : 'middle'"
        ),
        labelFontSize=alt.ExprRef(expr=f"max(6, min({AXIS_FONT_PX}, {band}))"),
        labelLimit=AXIS_LABEL_PX,
        **properties,
    )


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


def colour_bar(scale: alt.Scale, *, longest: int = 160) -> alt.Legend:
    """The legend of a heatmap's colour ``scale``, to the right of the map: a bar no taller than the map
    (``longest`` pixels at most), labelled at both ends of the scale's domain and at its middle, every label shown.
    """
    low, high = (float(v) for v in scale.domain)
    return alt.Legend(
        orient="right",
        gradientLength=alt.ExprRef(expr=f"max(30, min({int(longest)}, height - 24))"),  # its title takes ~24 px
        values=[low, (low + high) / 2, high],
        format=".2~f",
        labelOverlap=False,
    )


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
