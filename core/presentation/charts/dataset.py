"""Charts of the recordings themselves: features over time, class balance and lengths.

Used by Dataset and Compare two.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames
from .common import class_labels_expr, class_name_expr, layered, step_rule

__all__ = ["features_chart", "class_balance_chart", "length_histogram_chart", "features_pair_charts"]


def features_chart(
    x: np.ndarray,
    *,
    title: str = "",
    step: int | None = None,
    first_step: int = 1,
    legend_columns: int = 2,
    legend_below: bool = False,
    y_domain: tuple[float, float] | None = None,
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """MATLAB's "Test Observation 1" plot: the channels over time, one line each, named in the legend.

    A recording of more than :data:`core.presentation.frames.MAX_COLUMNS` steps is drawn in blocks of
    :func:`core.presentation.frames.column_block` steps: a line through each block's mean and a band from its
    lowest to its highest value (:func:`core.presentation.frames.features_envelope`), and the title says so.

    Parameters
    ----------
    x : ndarray of shape (F, T)
    step : int, optional
        Time step (numbered from ``first_step``) to mark with a vertical rule.
    first_step : int
        The number of ``x``'s first step, for a window of a longer recording.
    legend_columns : int
        Two by default: in one, a dozen entries (Japanese Vowels's) are taller than the default plot and the last
        ones are cut off. One suits a narrow, tall plot.
    legend_below : bool
        The legend under the plot, three entries to a row (for a plot of half the page's width).
    y_domain : (low, high), optional
        The value axis's range (to share it with another plot); fitted to ``x`` by default.
    info : DatasetInfo, optional
        Names the lines by the data set's channels (see :func:`core.presentation.frames.feature_names`).
    """
    F, T = np.shape(x)
    names = frames.feature_names(F, info=info)
    legend = (
        alt.Legend(orient="bottom", columns=3, symbolLimit=0)
        if legend_below
        else alt.Legend(columns=legend_columns, symbolLimit=0)
    )
    colour = alt.Color("channel:N", sort=names, title="Channel", scale=alt.Scale(scheme="tableau20"), legend=legend)
    value_scale = alt.Scale(domain=list(y_domain)) if y_domain is not None else alt.Undefined
    last = first_step + T - 1
    x_axis = alt.X(
        "step:Q",
        title="Time step",
        scale=alt.Scale(domain=[first_step, max(last, first_step + 1)], zero=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    k = frames.column_block(T)
    if k == 1:
        lines = (
            alt.Chart(frames.features_long(x, first_step=first_step, info=info), title=title)
            .mark_line(point=alt.OverlayMarkDef(size=18) if T <= 60 else False)
            .encode(
                x=x_axis,
                y=alt.Y("value:Q", title="Value", scale=value_scale),
                color=colour,
                tooltip=[
                    alt.Tooltip("channel:N", title="channel"),
                    alt.Tooltip("step:Q"),
                    alt.Tooltip("value:Q", format=".3f"),
                ],
            )
        )
    else:
        envelope = frames.features_envelope(x, first_step=first_step, info=info)
        base = alt.Chart(envelope, title=f"{title} (each point: {k} steps)" if title else f"Each point: {k} steps")
        tooltip = [
            alt.Tooltip("channel:N", title="channel"),
            alt.Tooltip("step:Q", title="from step"),
            alt.Tooltip("last step:Q", title="to step"),
            alt.Tooltip("mean:Q", format=".3f"),
            alt.Tooltip("low:Q", format=".3f", title="lowest"),
            alt.Tooltip("high:Q", format=".3f", title="highest"),
        ]
        band = base.mark_area(opacity=0.25).encode(
            x=x_axis,
            y=alt.Y("low:Q", title="Value", scale=value_scale),
            y2=alt.Y2("high:Q"),
            color=colour,
            tooltip=tooltip,
        )
        lines = alt.layer(band, base.mark_line().encode(x=x_axis, y=alt.Y("mean:Q"), color=colour, tooltip=tooltip))
    return layered(lines, step_rule(step, last)).properties(height=360)


def class_balance_chart(train_labels, test_labels, *, info: DatasetInfo | None = None) -> alt.Chart:
    """Number of recordings of each class in each split, side by side.

    Parameters
    ----------
    train_labels, test_labels : array-like of int
        1-based classes of the recordings of each split.
    info : DatasetInfo, optional
        The data set: names the classes. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns the class word (``speaker``, ``activity``, ...: the 1-based class), ``split``
        (``"training"`` or ``"test"``) and ``size`` (recordings).
    """
    info = frames.words(info)
    word = info.class_word
    for labels in (train_labels, test_labels):
        labels = np.asarray(labels)
        if labels.size and (labels.min() < 1 or labels.max() > info.n_classes):
            raise ValueError(f"labels must be {word} numbers 1 to {info.n_classes}")
    data = (
        pd.concat(
            [
                pd.DataFrame({word: np.asarray(labels), "split": name})
                for name, labels in (("training", train_labels), ("test", test_labels))
            ]
        )
        .groupby([word, "split"], as_index=False)
        .size()
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                scale=alt.Scale(domain=list(range(1, info.n_classes + 1))),
                axis=alt.Axis(labelAngle=0, labelExpr=class_labels_expr(info)),
            ),
            xOffset=alt.XOffset("split:N", sort=["training", "test"]),
            y=alt.Y("size:Q", title="Recordings", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("split:N", sort=["training", "test"], title="Split"),
            tooltip=[
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("split:N"),
                alt.Tooltip("size:Q", title="recordings"),
            ],
        )
        .properties(height=260)
    )


def length_histogram_chart(train_lengths, test_lengths) -> alt.Chart:
    """How many recordings have each number of time steps, per split."""
    data = (
        pd.concat(
            [
                pd.DataFrame({"length": np.asarray(lengths), "split": name})
                for name, lengths in (("training", train_lengths), ("test", test_lengths))
            ]
        )
        .groupby(["length", "split"], as_index=False)
        .size()
    )
    return (
        alt.Chart(data)
        .mark_bar(opacity=0.8)
        .encode(
            x=alt.X("length:O", title="Time steps in the recording", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("size:Q", title="Recordings", stack=True, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("split:N", sort=["training", "test"], title="Split"),
            tooltip=[alt.Tooltip("length:O"), alt.Tooltip("split:N"), alt.Tooltip("size:Q", title="recordings")],
        )
        .properties(height=260)
    )


def features_pair_charts(
    x_a: np.ndarray, x_b: np.ndarray, *, titles: tuple[str, str] = ("", ""), info: DatasetInfo | None = None
) -> tuple[alt.Chart, alt.Chart]:
    """Two :func:`features_chart` plots on one value axis, so that two recordings can be compared side by side.

    Parameters
    ----------
    x_a, x_b : ndarray of shape (F, T_a) and (F, T_b)
    info : DatasetInfo, optional
        Names the lines by the data set's channels.

    Returns
    -------
    (alt.Chart, alt.Chart)
        Both with the y domain ``[min, max]`` over the values of both recordings.
    """
    low = float(min(np.min(x_a), np.min(x_b)))
    high = float(max(np.max(x_a), np.max(x_b)))
    # Half-width plots: the legend goes underneath, three to a row; Streamlit gives the whole chart this height, room
    # for the title and up to four rows (12 channels).
    return tuple(
        features_chart(x, title=title, legend_below=True, y_domain=(low, high), info=info).properties(height=500)
        for x, title in zip((x_a, x_b), titles, strict=True)
    )
