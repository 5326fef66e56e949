"""Charts of the recordings themselves: features over time, class balance and lengths.

Used by Dataset and Compare two.
"""

from __future__ import annotations

import itertools

import altair as alt
import numpy as np
import pandas as pd

from ...compute.checks import counted
from ...compute.data import DatasetInfo
from .. import frames
from .common import LEGEND_ROW_PX, class_axis, class_name_expr, columns_legend, legend_room

__all__ = [
    "MAX_LENGTH_BARS",
    "MAX_LINE_CHANNELS",
    "SCALES_APART",
    "SPLIT_SETS",
    "scales_apart",
    "features_chart",
    "features_reading",
    "block_reading",
    "pair_reading",
    "class_balance_chart",
    "common_length",
    "length_bin_width",
    "length_histogram_chart",
    "length_caption",
    "features_pair_charts",
]

MAX_LENGTH_BARS = 60  # the most bars a histogram of lengths draws: one length each while that is enough
MAX_LINE_CHANNELS = 20  # more channels are drawn as rows of colour: tableau20 has 20 colours, and more lines tangle
SCALES_APART = 100  # channels whose ranges differ this many times over get a panel each, with its own value axis
PANEL_MIN_PX = 70  # the least height of one channel's panel
SPLIT_SETS = {"training": "training set", "test": "test set"}  # a split -> its name in a legend, as in the sidebar


def features_chart(
    x: np.ndarray,
    *,
    title: str = "",
    first_step: int = 1,
    height: int = 400,
    y_domain: tuple[float, float] | None = None,
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """MATLAB's "Test Observation 1" plot: the channels over time, one line each, named in the legend below.

    A recording of more than :data:`core.presentation.frames.MAX_COLUMNS` steps is drawn in blocks of
    :func:`core.presentation.frames.column_block` steps: a line through each block's mean and a band from its
    lowest to its highest value (:func:`core.presentation.frames.features_envelope`), and the title says so.

    The legend lies under the plot, in as many columns as the plot's width holds
    (:func:`core.presentation.charts.common.columns_legend`): beside the plot it would take most of a phone's
    width, and of a plot half the page wide.

    Channels whose values differ in size by :data:`SCALES_APART` times or more (:func:`scales_apart`) are drawn
    one panel each, top to bottom, each with its own value axis named by the channel, and no legend.

    A recording of more than :data:`MAX_LINE_CHANNELS` channels is a heatmap instead: a row per channel, a column
    per step (or block of steps, coloured by their mean), the colour the value on a scale beside it, no legend of
    channels (:func:`features_reading` says how to read either).

    Parameters
    ----------
    x : ndarray of shape (F, T)
    first_step : int
        The number of ``x``'s first step, for a window of a longer recording.
    height : int
        Pixels for the title, the plot, its axes and one row of the legend; the chart is taller by the legend's
        further rows on a phone (:func:`core.presentation.charts.common.legend_room`). A heatmap is that tall.
    y_domain : (low, high), or one (low, high) per channel, optional
        The values' range (to share it with another plot): the value axis, or a heatmap's colour scale; fitted
        to ``x`` by default. One (low, high) per channel draws a panel per channel, each on its own range; with
        no ``y_domain``, channels whose scales are apart (:func:`scales_apart`) get panels fitted to each.
    info : DatasetInfo, optional
        Names the channels by the data set's (see :func:`core.presentation.frames.feature_names`).
    """
    F, T = np.shape(x)
    if F > MAX_LINE_CHANNELS:
        return _features_heatmap(x, title=title, first_step=first_step, height=height, y_domain=y_domain, info=info)
    names = frames.feature_names(F, info=info)
    last = first_step + T - 1
    x_axis = alt.X(
        "step:Q",
        title="Time step",
        scale=alt.Scale(domain=[first_step, max(last, first_step + 1)], zero=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    k = frames.column_block(T)
    data = (
        frames.features_long(x, first_step=first_step, info=info)
        if k == 1
        else frames.features_envelope(x, first_step=first_step, info=info)
    )
    if k > 1:
        title = f"{title} (each point: {k} steps)" if title else f"Each point: {k} steps"
    per_channel = y_domain is not None and np.ndim(y_domain) == 2  # a pair's caller chose panels for both
    if per_channel or (y_domain is None and scales_apart(x)):
        steps = (first_step, max(last, first_step + 1))
        domains = y_domain if per_channel else None
        return _features_panels(data, names, k, T, steps, title=title, height=height, y_domains=domains)
    colour = alt.Color(
        "channel:N",
        sort=names,
        title="Channel",
        scale=alt.Scale(scheme="tableau20"),
        legend=columns_legend(names, "Channel", orient="bottom"),
    )
    value_scale = alt.Scale(domain=list(y_domain)) if y_domain is not None else alt.Undefined
    lines = _channel_marks(alt.Chart(data, title=title), k, T, x_axis, dict(title="Value", scale=value_scale), colour)
    return lines.properties(height=height + legend_room(names))


def _channel_marks(base: alt.Chart, k: int, T: int, x_axis: alt.X, y: dict, colour) -> alt.Chart:
    """The marks of :func:`features_chart` over ``base``'s table: a line per channel through every step (``k``
    1), or through each block's mean with a band from its lowest to its highest value. ``y``: the value axis's
    title, scale (and axis); ``colour`` a channel's colour."""
    if k == 1:
        return base.mark_line(point=alt.OverlayMarkDef(size=18) if T <= 60 else False).encode(
            x=x_axis,
            y=alt.Y("value:Q", **y),
            color=colour,
            tooltip=[
                alt.Tooltip("channel:N", title="channel"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("value:Q", format=".3f"),
            ],
        )
    tooltip = [
        alt.Tooltip("channel:N", title="channel"),
        alt.Tooltip("step:Q", title="from step"),
        alt.Tooltip("last step:Q", title="to step"),
        alt.Tooltip("mean:Q", format=".3f"),
        alt.Tooltip("low:Q", format=".3f", title="lowest"),
        alt.Tooltip("high:Q", format=".3f", title="highest"),
    ]
    band = base.mark_area(opacity=0.25).encode(
        x=x_axis, y=alt.Y("low:Q", **y), y2=alt.Y2("high:Q"), color=colour, tooltip=tooltip
    )
    mean = alt.Y("mean:Q", title=y["title"])  # the band's title alone, not "Value, mean"
    return alt.layer(band, base.mark_line().encode(x=x_axis, y=mean, color=colour, tooltip=tooltip))


def scales_apart(*recordings: np.ndarray) -> bool:
    """True when the channels' ranges over ``recordings`` (each (F, T), F up to :data:`MAX_LINE_CHANNELS`)
    differ by :data:`SCALES_APART` times or more: on one value axis the smaller ones would look flat, so
    :func:`features_chart` gives each channel a panel of its own. Constant channels are left out."""
    stacked = np.concatenate([np.asarray(x, dtype=float) for x in recordings], axis=1)  # (F, sum of T)
    if stacked.shape[0] > MAX_LINE_CHANNELS:
        return False
    ranges = np.ptp(stacked, axis=1)  # (F,)
    ranges = ranges[ranges > 0]
    return ranges.size > 1 and bool(ranges.max() >= SCALES_APART * ranges.min())


def _features_panels(
    data: pd.DataFrame,
    names: list[str],
    k: int,
    T: int,
    steps: tuple[int, int],
    *,
    title: str,
    height: int,
    y_domains: list | None,
) -> alt.Chart:
    """:func:`features_chart` of channels whose scales are apart: one panel per channel, top to bottom, each with
    its own value axis named by the channel and the channel's colour; the time axis under the last one only.
    ``y_domains``: one (low, high) per channel (to share them with another plot), or fitted to each channel."""
    colours = alt.Scale(domain=names, scheme="tableau20")
    panel = max(PANEL_MIN_PX, (height - 40) // len(names))
    panels = []
    for c, name in enumerate(names):
        bottom = c == len(names) - 1
        time = alt.X(
            "step:Q",
            title="Time step" if bottom else None,
            scale=alt.Scale(domain=list(steps), zero=False),
            axis=alt.Axis(tickMinStep=1, format="d", labels=bottom, ticks=bottom),
        )
        scale = alt.Scale(domain=list(y_domains[c]), zero=False) if y_domains is not None else alt.Scale(zero=False)
        y = dict(title=name, scale=scale, axis=alt.Axis(tickCount=3, titleLimit=panel))
        base = alt.Chart(data[data["channel"] == name])
        colour = alt.Color("channel:N", scale=colours, legend=None)
        panels.append(_channel_marks(base, k, T, time, y, colour).properties(height=panel))
    return alt.vconcat(*panels, spacing=6, title=title or alt.Undefined).resolve_scale(y="independent")


def _features_heatmap(
    x: np.ndarray,
    *,
    title: str,
    first_step: int,
    height: int,
    y_domain: tuple[float, float] | None,
    info: DatasetInfo | None,
) -> alt.Chart:
    """:func:`features_chart` of many channels: rows of colour, one per channel; ``y_domain`` is the colour's."""
    F, T = np.shape(x)
    k = frames.column_block(T)
    data = frames.features_envelope(x, first_step=first_step, info=info)  # one row per channel and block
    data["from"], data["to"] = data["step"] - 0.5, data["last step"] + 0.5
    last = first_step + T - 1
    time = alt.X(
        "from:Q",
        title="Time step",
        scale=alt.Scale(domain=[first_step - 0.5, last + 0.5], nice=False, zero=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    tooltip = [
        alt.Tooltip("channel:N", title="channel"),
        *(
            [alt.Tooltip("step:Q"), alt.Tooltip("mean:Q", format=".3f", title="value")]
            if k == 1
            else [
                alt.Tooltip("step:Q", title="from step"),
                alt.Tooltip("last step:Q", title="to step"),
                alt.Tooltip("mean:Q", format=".3f"),
                alt.Tooltip("low:Q", format=".3f", title="lowest"),
                alt.Tooltip("high:Q", format=".3f", title="highest"),
            ]
        ),
    ]
    colour = alt.Color(
        "mean:Q",
        title="Value" if k == 1 else ["Value", f"(mean of {k} steps)"],
        scale=alt.Scale(scheme="viridis", domain=list(y_domain) if y_domain is not None else alt.Undefined),
        legend=alt.Legend(orient="right", gradientLength=160),
    )
    chart_title = title if k == 1 else (f"{title} (each column: {k} steps)" if title else f"Each column: {k} steps")
    return (
        alt.Chart(data, title=chart_title)
        .mark_rect()
        .encode(
            x=time,
            x2=alt.X2("to:Q"),
            y=alt.Y("channel:N", title=None, sort=frames.feature_names(F, info=info)),
            color=colour,
            tooltip=tooltip,
        )
        .properties(height=height)
    )


def features_reading(n_channels: int, *, apart: bool = False) -> str:
    """How to read :func:`features_chart` of a recording of ``n_channels`` channels: lines, a panel per channel
    when their scales are ``apart`` (:func:`scales_apart`), or rows of colour beyond :data:`MAX_LINE_CHANNELS`
    channels."""
    if apart and n_channels <= MAX_LINE_CHANNELS:
        return (
            f"Each panel is one channel ({n_channels} in all), with a value axis of its own: their values differ in "
            f"size by {SCALES_APART} times or more, and on one axis the smaller ones would look flat. Left to right "
            "is time."
        )
    if n_channels > MAX_LINE_CHANNELS:
        return (
            f"Each row is one channel ({counted(n_channels, 'channel')} in all, too many to draw as lines), left to "
            "right is time, and the colour is the value (its scale is on the right)."
        )
    return f"Each line is one channel ({counted(n_channels, 'channel')} in all); left to right is time."


def pair_reading(n_channels: int, *, apart: bool = False) -> str:
    """What :func:`features_pair_charts` of recordings of ``n_channels`` channels share; ``apart``: their scales
    are (:func:`scales_apart`), so each channel has a panel."""
    if apart and n_channels <= MAX_LINE_CHANNELS:
        return "Each channel has a panel of its own, on the same vertical scale in both plots."
    return f"Both plots share the same {'colour' if n_channels > MAX_LINE_CHANNELS else 'vertical'} scale."


def block_reading(n_channels: int, block: int) -> str:
    """How :func:`features_chart` sums up ``block`` steps of a recording of ``n_channels`` channels."""
    if n_channels > MAX_LINE_CHANNELS:
        return f"Each column sums up {counted(block, 'step')}: its colour is their average."
    return (
        f"Each point of the chart sums up {counted(block, 'step')}: the line is their average, the band their lowest "
        "to highest value."
    )


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
                axis=class_axis(info),
            ),
            xOffset=alt.XOffset("split:N", sort=["training", "test"]),
            y=alt.Y("size:Q", title="Recordings", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("split:N", sort=list(SPLIT_SETS), legend=_split_legend()),
            tooltip=[
                alt.Tooltip("name:N", title=word),
                alt.Tooltip("split:N"),
                alt.Tooltip("size:Q", title="recordings"),
            ],
        )
        .properties(height=260 + LEGEND_ROW_PX)  # the plot keeps 260 px; the legend row above it
    )


def _split_legend() -> alt.Legend:
    """The legend of a chart coloured by ``split``, naming :data:`SPLIT_SETS`, above the plot: beside it, it
    would take a third of a phone's width from the plot."""
    names = " : ".join(f"datum.label == '{split}' ? '{name}'" for split, name in SPLIT_SETS.items())
    return columns_legend(list(SPLIT_SETS.values()), None, labelExpr=f"{names} : datum.label")


def _lengths(train_lengths, test_lengths) -> tuple[np.ndarray, np.ndarray]:
    """Both splits' lengths as integer arrays, checked: positive whole numbers, at least one recording."""
    arrays = []
    for name, lengths in (("train_lengths", train_lengths), ("test_lengths", test_lengths)):
        lengths = np.asarray(lengths)
        if lengths.ndim != 1 or (lengths.size and (lengths.dtype.kind not in "iu" or lengths.min() < 1)):
            raise ValueError(f"{name} must be a 1-D array of whole numbers of time steps, at least 1")
        arrays.append(lengths.astype(int))
    if not arrays[0].size + arrays[1].size:
        raise ValueError("train_lengths and test_lengths hold no recording")
    return arrays[0], arrays[1]


def common_length(train_lengths, test_lengths) -> int | None:
    """The number of time steps of every recording of both splits when they all have the same, else None.

    Parameters
    ----------
    train_lengths, test_lengths : array-like of shape (N_train,) and (N_test,), int
    """
    train, test = _lengths(train_lengths, test_lengths)
    every = np.concatenate([train, test])  # (N,)
    return int(every[0]) if (every == every[0]).all() else None


def _span_start(lengths, width: int):
    """The first length of the span of ``width`` lengths (1 to ``width``, then ``width + 1`` to ``2 * width``, ...)
    that holds each of ``lengths``."""
    return (np.asarray(lengths) - 1) // width * width + 1


def length_bin_width(train_lengths, test_lengths) -> int:
    """How many lengths one bar of :func:`length_histogram_chart` counts: 1 while the lengths span at most
    :data:`MAX_LENGTH_BARS` values, else the smallest of 2, 5, 10, 20, 50, 100, ... that needs no more bars
    (a bar counts 1 to ``width`` time steps, the next ``width + 1`` to ``2 * width``, and so on).

    Parameters
    ----------
    train_lengths, test_lengths : array-like of shape (N_train,) and (N_test,), int
    """
    every = np.concatenate(_lengths(train_lengths, test_lengths))  # (N,)
    low, high = int(every.min()), int(every.max())
    for power in itertools.count():
        for first_digit in (1, 2, 5):
            width = first_digit * 10**power
            if _span_start(high, width) - _span_start(low, width) < MAX_LENGTH_BARS * width:
                return width
    raise AssertionError("unreachable: a width of at least high - low makes at most two bars")


def length_histogram_chart(train_lengths, test_lengths) -> alt.Chart:
    """How many recordings of each split have each number of time steps, as stacked bars (training below,
    test on top) along a time-step axis on which every length has its place, so that a length no recording has
    shows as a gap; bars count :func:`length_bin_width` lengths each (one while there are few).

    Parameters
    ----------
    train_lengths, test_lengths : array-like of shape (N_train,) and (N_test,), int

    Returns
    -------
    alt.Chart
        Data columns ``first``, ``last`` (the bar's lengths, both included), ``lengths`` (them in words, "7" or
        "20 to 29"), ``split`` ("training", "test"), ``recordings`` and ``low``, ``high`` (the stacked bar's
        ends); one row for each bar and split that has recordings.
    """
    train, test = _lengths(train_lengths, test_lengths)
    width = length_bin_width(train, test)
    counts = pd.DataFrame(
        {
            "first": _span_start(np.concatenate([train, test]), width),
            "split": ["training"] * train.size + ["test"] * test.size,
        }
    )
    table = counts.groupby(["first", "split"]).size().unstack(fill_value=0).reindex(columns=["training", "test"])
    table = table.fillna(0).astype(int)  # (bars, 2): recordings per bar and split
    high = table.cumsum(axis=1)  # training from 0, test on top of it
    data = pd.DataFrame(
        {
            "first": np.repeat(table.index.to_numpy(), 2),
            "split": ["training", "test"] * len(table),
            "recordings": table.to_numpy().ravel(),
            "high": high.to_numpy().ravel(),
        }
    )
    data["low"] = data["high"] - data["recordings"]
    data["last"] = data["first"] + width - 1
    data["lengths"] = [
        str(a) if width == 1 else f"{a} to {b}" for a, b in zip(data["first"], data["last"], strict=True)
    ]
    data = data[data["recordings"] > 0].reset_index(drop=True)
    gap = 0.05 * width  # between neighbouring bars
    data["left"], data["right"] = data["first"] - 0.5 + gap, data["last"] + 0.5 - gap  # a bar covers its lengths
    return (
        alt.Chart(data)
        .mark_bar(opacity=0.8)
        .encode(
            x=alt.X(
                "left:Q",
                title="Time steps in the recording",
                scale=alt.Scale(zero=False, nice=False, padding=4),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            x2=alt.X2("right"),
            y=alt.Y("low:Q", title="Recordings", axis=alt.Axis(tickMinStep=1, format="d")),
            y2=alt.Y2("high"),
            color=alt.Color("split:N", sort=list(SPLIT_SETS), legend=_split_legend()),
            tooltip=[
                alt.Tooltip("lengths:N", title="time steps"),
                alt.Tooltip("split:N"),
                alt.Tooltip("recordings:Q"),
            ],
        )
        .properties(height=260 + LEGEND_ROW_PX)  # the plot keeps 260 px; the legend row above it
    )


def length_caption(train_lengths, test_lengths) -> str:
    """What :func:`length_histogram_chart` shows, in one exact sentence; when every recording has the same
    length (:func:`common_length`), the sentence that says so instead of the chart.

    Parameters
    ----------
    train_lengths, test_lengths : array-like of shape (N_train,) and (N_test,), int
    """
    train, test = _lengths(train_lengths, test_lengths)
    same = common_length(train, test)
    if same is not None:
        return (
            f"Every recording has the same length, {counted(same, 'time step')}: all "
            f"{counted(train.size + test.size, 'recording')} ({train.size:,} training, {test.size:,} test)."
        )
    every = np.concatenate([train, test])  # (N,)
    low, high = int(every.min()), int(every.max())
    width = length_bin_width(train, test)
    if width == 1:
        missing = high - low + 1 - np.unique(every).size
        gaps = "; where there is no bar, no recording has that length" if missing else ""
        return (
            f"Each bar counts the recordings of exactly that many time steps, from {low} to {high}: training "
            f"below, test on top{gaps}."
        )
    first = int(_span_start(low, width))
    return (
        f"Each bar counts the recordings whose length lies in its span of {width} time steps ({first} to "
        f"{first + width - 1}, {first + width} to {first + 2 * width - 1} and so on): training below, test on top."
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
        Both with the value domain ``[min, max]`` over the values of both recordings (their y axis, or their
        colour beyond :data:`MAX_LINE_CHANNELS` channels: :func:`pair_reading`); each channel's own, when
        their scales are apart and each has a panel.
    """
    both = np.concatenate([np.asarray(x_a, dtype=float), np.asarray(x_b, dtype=float)], axis=1)  # (F, T_a + T_b)
    if scales_apart(x_a, x_b):  # a panel per channel: each channel's range over both
        low, high = both.min(axis=1), both.max(axis=1)
        domain = [
            (lo, hi) if lo < hi else (lo - 1.0, hi + 1.0) for lo, hi in zip(low.tolist(), high.tolist(), strict=True)
        ]
    else:
        low, high = float(both.min()), float(both.max())
        domain = (low, high) if low < high else (low - 1.0, high + 1.0)  # two constant recordings: not empty
    return tuple(
        features_chart(x, title=title, y_domain=domain, info=info) for x, title in zip((x_a, x_b), titles, strict=True)
    )
