"""Charts across the whole data set: pattern matches, hidden-state paths and final answers.

Used by Pattern search, Hidden-state paths and Compare two.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames
from .activations import heatmap_chart
from .common import (
    MARKER_COLOUR,
    as_channel,
    class_axis,
    class_colours,
    class_legend,
    class_legend_room,
    class_name_expr,
    class_scale,
    percent_expr,
    percent_tooltip,
)

__all__ = ["window_heatmap_chart", "class_counts_chart", "hidden_paths_chart", "final_probs_chart"]


def window_heatmap_chart(
    values: np.ndarray,
    units,
    start: int,
    end: int,
    *,
    highlight_units=None,
    scale: alt.Scale | None = None,
    height: int | None = None,
    title: str = "",
) -> alt.Chart:
    """A hidden-state heatmap (see :func:`heatmap_chart`) with the steps ``start`` to ``end`` outlined.

    Used for a pattern's selection and for the windows that match it.

    Parameters
    ----------
    values : ndarray of shape (T, U)
    units : sequence of int, length U
        1-based unit numbers, top row first.
    start, end : int
        1-based steps, both included, with ``1 <= start <= end <= T``.
    highlight_units : sequence of int, optional
        1-based units outlined as rows.
    scale : alt.Scale, optional
        Defaults to the hidden state's fixed [-1, 1] scale.
    height : int, optional
        Pixels; by default 16 per unit (see :func:`heatmap_chart`).

    Returns
    -------
    alt.Chart
        The heatmap's table (``unit``, ``step``, ``value``) and a one-row table ``start``, ``end``.
    """
    values = np.asarray(values)
    if values.ndim != 2 or not 1 <= start <= end <= values.shape[0]:
        raise ValueError(f"the window {start}-{end} must lie within steps 1-{values.shape[0] if values.ndim else 0}")
    base = heatmap_chart(values, units, quantity="hidden", scale=scale, highlight_units=highlight_units, title=title)
    if height is not None:
        base = base.properties(height=height)
    window = pd.DataFrame({"start": [int(start)], "end": [int(end)]})
    outline = (
        alt.Chart(window)
        .mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3, strokeDash=[6, 3])
        .encode(
            x=alt.X("start:O", bandPosition=0, title="Time step"),
            x2=alt.X2("end", bandPosition=1),
            tooltip=[alt.Tooltip("start:O", title="from step"), alt.Tooltip("end:O", title="to step")],
        )
    )
    return alt.layer(base, outline)


def class_counts_chart(
    counts,
    *,
    highlight: int | None = None,
    count_title: str = "Matches",
    title: str = "",
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """How many items (e.g. pattern matches) belong to each class, as bars.

    Parameters
    ----------
    counts : array-like of shape (C,), int
        Entry ``j`` is class ``j + 1``'s count.
    highlight : int, optional
        A class (1-based) whose bar is outlined, e.g. the chosen observation's.
    count_title : str
        The y axis title.
    info : DatasetInfo, optional
        The data set, with C classes: names the bars. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns the class word (``speaker``, ``activity``, ...: the 1-based class), ``count``,
        ``chosen`` ("yes" or "").
    """
    info = frames.words(info)
    word = info.class_word
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size != info.n_classes:
        raise ValueError(
            f"counts must be a 1-D array of {info.n_classes} counts, one per {word}, got shape {counts.shape}"
        )
    classes = np.arange(1, counts.size + 1)
    data = pd.DataFrame(
        {word: classes, "count": counts.astype(int), "chosen": np.where(classes == highlight, "yes", "")}
    )
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                axis=class_axis(info),
            ),
            y=alt.Y("count:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(field=word, type="nominal", scale=class_scale(counts.size), legend=None),
            stroke=as_channel(
                alt.StrokeValue, alt.condition("datum.chosen == 'yes'", alt.value(MARKER_COLOUR), alt.value(None))
            ),
            strokeWidth=alt.StrokeWidthValue(3),
            tooltip=[alt.Tooltip("name:N", title=word), alt.Tooltip("count:Q", title=count_title.lower())],
        )
        .properties(height=220)
    )


def _pc_title(k: int, explained) -> str:
    if explained is None:
        return f"PC {k}"
    return f"PC {k} ({float(explained[k - 1]):.0%} of the variation)"


def hidden_paths_chart(
    coords: np.ndarray,
    lengths,
    labels,
    *,
    focus: np.ndarray | None = None,
    focus_label: int | None = None,
    step: int | None = None,
    explained=None,
    title: str = "",
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """Every sequence's path through hidden space, flattened to two principal components.

    Background paths are thin, faint lines coloured by class; ``focus`` is
    drawn on top as a thick line with its steps as dots, ``step`` as a large
    amber dot, and its first and last steps labelled "start" and "end".

    Parameters
    ----------
    coords : ndarray of shape (N, T_max, 2)
        Projected hidden states (``core.analyses.projection.project``); padding is ignored.
    lengths : array-like of shape (N,), int
    labels : array-like of shape (N,), int
        Class (1-based) of every sequence.
    focus : ndarray of shape (T, 2), optional
        The chosen sequence's projected path.
    focus_label : int, optional
        Its class (colours the line); ``None`` draws it grey.
    step : int, optional
        1-based step of ``focus`` to mark.
    explained : array-like of shape (2,), optional
        Share of the variation along each component, for the axis titles.
    info : DatasetInfo, optional
        The data set: names the classes in the legend. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Tables: background (``recording``, the class word (``speaker``, ``activity``, ...), ``step``,
        ``pc1``, ``pc2``; one row per real step), focus (``step``, ``pc1``, ``pc2``), its ends (the same plus
        ``label``: "start", "end") and the marker (``step``, ``pc1``, ``pc2``; one row).
    """
    info = frames.words(info)
    word = info.class_word
    coords, lengths, labels = np.asarray(coords, dtype=float), np.asarray(lengths), np.asarray(labels)
    if coords.ndim != 3 or coords.shape[2] != 2 or lengths.shape != (coords.shape[0],) or labels.shape != lengths.shape:
        raise ValueError(
            f"coords must be (N, T_max, 2) with lengths and labels of shape (N,), got {coords.shape}, "
            f"{lengths.shape} and {labels.shape}"
        )
    if labels.size and (labels.min() < 1 or labels.max() > info.n_classes):
        raise ValueError(f"labels must be {word} numbers 1 to {info.n_classes}")
    seq, t = np.nonzero(np.arange(coords.shape[1])[None, :] < lengths[:, None])  # (M,) each
    background = pd.DataFrame(
        {
            "recording": seq + 1,
            word: labels[seq].astype(int),
            "step": t + 1,
            "pc1": coords[seq, t, 0],
            "pc2": coords[seq, t, 1],
        }
    )
    x = alt.X("pc1:Q", title=_pc_title(1, explained), axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("pc2:Q", title=_pc_title(2, explained), axis=alt.Axis(labels=False, ticks=False))
    lines = (
        alt.Chart(background, title=title)
        .mark_line(strokeWidth=1, opacity=0.2)
        .transform_calculate(name=class_name_expr(word, info))
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("recording:N"),
            order=alt.Order("step:Q"),
            color=alt.Color(
                field=word,
                type="nominal",
                scale=class_scale(info.n_classes),
                legend=class_legend(info, word.capitalize(), symbolOpacity=1, symbolStrokeWidth=3),
            ),
            tooltip=[alt.Tooltip("recording:Q"), alt.Tooltip("name:N", title=word)],
        )
    )
    layers = [lines]
    if focus is not None:
        focus = np.asarray(focus, dtype=float)
        if focus.ndim != 2 or focus.shape[1] != 2 or focus.shape[0] == 0:
            raise ValueError(f"focus must have shape (T, 2) with T >= 1, got {focus.shape}")
        colour = class_colours(info.n_classes)[focus_label - 1] if focus_label is not None else "#8a8a8a"
        path = pd.DataFrame({"step": np.arange(1, focus.shape[0] + 1), "pc1": focus[:, 0], "pc2": focus[:, 1]})
        layers.append(
            alt.Chart(path)
            .mark_line(color=colour, strokeWidth=4, point=alt.OverlayMarkDef(color=colour, size=50, filled=True))
            .encode(x=x, y=y, order=alt.Order("step:Q"), tooltip=[alt.Tooltip("step:Q")])
        )
        ends = path.iloc[[0, -1]].assign(label=["start", "end"]) if len(path) > 1 else path.assign(label="start")
        layers.append(
            alt.Chart(ends)
            .mark_text(dy=-14, fontSize=13, fontWeight="bold", color=colour)
            .encode(x=x, y=y, text=alt.Text("label:N"))
        )
        if step is not None:
            if not 1 <= step <= focus.shape[0]:
                raise ValueError(f"step must be between 1 and {focus.shape[0]}, got {step!r}")
            marker = path.iloc[[step - 1]].reset_index(drop=True)
            layers.append(
                alt.Chart(marker)
                .mark_point(
                    shape="circle",
                    size=420,
                    filled=True,
                    fill=MARKER_COLOUR,
                    stroke="#222222",
                    strokeWidth=2,
                    opacity=1,
                )
                .encode(x=x, y=y, tooltip=[alt.Tooltip("step:Q")])
            )
    return alt.layer(*layers).properties(height=520 + class_legend_room(info))


def final_probs_chart(
    probs: np.ndarray, recordings, labels, *, title: str = "", info: DatasetInfo | None = None
) -> alt.Chart:
    """The final probabilities of a few sequences, one row each, with the true class's square outlined.

    Parameters
    ----------
    probs : ndarray of shape (k, C)
        Probabilities after each sequence's last step.
    recordings : sequence of int, length k
        1-based recording numbers, the rows' names (top first).
    labels : sequence of int, length k
        True class (1-based) of each row.
    info : DatasetInfo, optional
        The data set, with C classes: names the columns. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``recording``, the class word (``speaker``, ``activity``, ...: the 1-based class),
        ``probability``, ``true <class word>`` (bool).
    """
    info = frames.words(info)
    word = info.class_word
    probs = np.asarray(probs, dtype=float)
    recordings, labels = np.asarray(recordings, dtype=int), np.asarray(labels, dtype=int)
    if probs.ndim != 2 or probs.shape[0] != recordings.size or labels.shape != recordings.shape:
        raise ValueError(
            f"probs must be (k, C) with k recordings and labels, got {probs.shape}, "
            f"{recordings.shape} and {labels.shape}"
        )
    k, C = probs.shape
    if C != info.n_classes:
        raise ValueError(f"probs must have one column per {word} ({info.n_classes}), got {C}")
    truth_field = f"true {word}"
    data = pd.DataFrame(
        {
            "recording": np.repeat(recordings, C),
            word: np.tile(np.arange(1, C + 1), k),
            "probability": probs.ravel(),
        }
    )
    data[truth_field] = data[word] == np.repeat(labels, C)
    order = [int(o) for o in recordings]
    base = (
        alt.Chart(data, title=title)
        .transform_calculate(name=class_name_expr(word, info), percent=percent_expr("probability"))
        .encode(
            x=alt.X(
                field=word,
                type="ordinal",
                title=word.capitalize(),
                axis=class_axis(info, orient="top"),
            ),
            y=alt.Y("recording:O", title="Recording", sort=order),
        )
    )  # every layer reads the class's name and the probability in words
    cells = base.mark_rect(stroke="#888888", strokeWidth=0.5).encode(
        color=alt.Color(
            "probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1], scheme="blues"), legend=None
        ),  # every square is labelled with its percentage
        tooltip=[
            alt.Tooltip("recording:O"),
            alt.Tooltip("name:N", title=word),
            percent_tooltip(),
            alt.Tooltip(field=truth_field, type="nominal"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=as_channel(
            alt.TextValue,
            alt.condition("datum.probability >= 0.005", alt.Text("percent:N"), alt.value("")),
        ),
        color=as_channel(
            alt.ColorValue, alt.condition("datum.probability > 0.55", alt.value("white"), alt.value("black"))
        ),
    )
    truth = base.transform_filter(f"datum['{truth_field}']").mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3)
    return alt.layer(cells, text, truth).properties(height=150 + 34 * k)  # the title and top axis take ~140 px
