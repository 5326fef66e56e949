"""The charts of which inputs a decision rests on (Why did it decide?)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames

__all__ = ["MAX_COLUMNS", "column_block", "attribution_frame", "attribution_chart"]

MAX_COLUMNS = 300  # a longer map adds up the shares of blocks of neighbouring steps
_ROW_HEIGHT = 440  # the map beside the recording's chart, with room for a dozen channels


def column_block(n_steps: int, max_columns: int = MAX_COLUMNS) -> int:
    """Steps per column of a map of ``n_steps`` steps: ``ceil(n_steps / max_columns)``, 1 for a short one."""
    if n_steps < 1 or max_columns < 1:
        raise ValueError(f"n_steps and max_columns must be at least 1, got {n_steps} and {max_columns}")
    return -(-n_steps // max_columns)


def attribution_frame(
    values: np.ndarray, x: np.ndarray | None = None, *, info: DatasetInfo | None = None, max_columns: int = MAX_COLUMNS
) -> pd.DataFrame:
    """The map as the chart draws it: one row per channel and column, columns of ``column_block`` steps.

    Parameters
    ----------
    values : ndarray of shape (F, T)
        The shares.
    x : ndarray of shape (F, T), optional
        The values the network read, shown as ``channel value``.
    info : DatasetInfo, optional
        Names the channels (see :func:`core.presentation.frames.feature_names`).
    max_columns : int
        Columns at most.

    Returns
    -------
    DataFrame
        Columns ``channel``, ``step`` and ``last step`` (1-based, the column's first and last step),
        ``contribution`` (the sum of the column's shares), with ``x`` also ``channel value`` (their mean);
        ``from`` and ``to``, the column's edges on the time axis (``step - 0.5``, ``last step + 0.5``).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] < 1:
        raise ValueError(f"values must have shape (F, T) with T >= 1, got {values.shape}")
    n_channels, n_steps = values.shape
    block = column_block(n_steps, max_columns)
    firsts = np.arange(0, n_steps, block)  # (N,), 0-based first step of each column
    lasts = np.minimum(firsts + block, n_steps) - 1  # (N,)
    names = frames.feature_names(n_channels, info=info)
    data = pd.DataFrame(
        {
            "channel": np.repeat(names, len(firsts)),
            "step": np.tile(firsts + 1, n_channels),
            "last step": np.tile(lasts + 1, n_channels),
            "contribution": np.add.reduceat(values, firsts, axis=1).ravel(),  # (F N,)
        }
    )
    if x is not None:
        x = np.asarray(x, dtype=float)
        if x.shape != values.shape:
            raise ValueError(f"x must have the shape of values {values.shape}, got {x.shape}")
        data["channel value"] = (np.add.reduceat(x, firsts, axis=1) / (lasts - firsts + 1)).ravel()
    data["from"], data["to"] = data["step"] - 0.5, data["last step"] + 0.5
    return data


def attribution_chart(
    values: np.ndarray,
    x: np.ndarray | None = None,
    *,
    target: int,
    title: str = "",
    info: DatasetInfo | None = None,
    max_columns: int = MAX_COLUMNS,
) -> alt.Chart | alt.VConcatChart:
    """An attribution map: how much each channel at each time step pushed the score of ``target``.

    Several channels: a heatmap, channels as rows top to bottom in order, time steps as columns. One channel:
    the recording (with ``x``) as a line above the shares as bars, on one time axis. More than
    ``max_columns`` steps: each column adds up the shares of :func:`column_block` neighbouring steps. The
    colour scale diverges around 0 and is symmetric (``[-m, m]``, ``m`` the largest absolute column share):
    green pushed towards ``target``, purple away from it, white hardly mattered.

    Parameters
    ----------
    values : ndarray of shape (F, T)
        E.g. ``core.analyses.attribution.Attribution.values``.
    x : ndarray of shape (F, T), optional
        The values the network read, in the tooltip as ``channel value`` (and drawn, for one channel).
    target : int
        The class (1-based) the values explain; names the legend ("speaker 5" without ``info``).
    info : DatasetInfo, optional
        Names the rows by the data set's channels and the target by its class name.
    max_columns : int
        Columns at most.

    Returns
    -------
    alt.Chart or alt.VConcatChart
        The map's data is :func:`attribution_frame`.
    """
    data = attribution_frame(values, x, info=info, max_columns=max_columns)
    if info is not None and not 1 <= target <= info.n_classes:
        raise ValueError(f"target must be a class from 1 to {info.n_classes}, got {target!r}")
    towards = f"speaker {target}" if info is None else info.class_names[target - 1]
    n_channels, n_steps = np.shape(values)
    bound = max(float(data["contribution"].abs().max()), 1e-6)
    block = column_block(n_steps, max_columns)
    shares = "Share of the score" if block == 1 else f"Share of the score, {block} steps added up"
    tooltip = [
        alt.Tooltip("channel:N", title="channel"),
        alt.Tooltip("step:Q", title="first step" if block > 1 else "step"),
        *([alt.Tooltip("last step:Q")] if block > 1 else []),
        alt.Tooltip("contribution:Q", format="+.3f", title="share"),
        *([alt.Tooltip("channel value:Q", format=".3f")] if x is not None else []),
    ]
    steps = alt.Scale(domain=[0.5, n_steps + 0.5], nice=False, zero=False)
    whole = alt.Axis(tickMinStep=1, format="d")  # ticks at steps, not between them (a 2-step map read 0.5 ... 2.5)
    time = alt.X("from:Q", title="Time step", scale=steps, axis=whole)
    color = alt.Color(
        "contribution:Q",
        title=["Push on the score", f"green: towards {towards}", "purple: away from it"],
        scale=alt.Scale(domain=[-bound, bound], scheme="purplegreen", clamp=True),
        legend=alt.Legend(orient="right", gradientLength=160, titleLimit=400),
    )
    if n_channels > 1:
        names = frames.feature_names(n_channels, info=info)
        return (
            alt.Chart(data, title=title)
            .mark_rect()
            .encode(
                x=time, x2=alt.X2("to:Q"), y=alt.Y("channel:N", title=None, sort=names), color=color, tooltip=tooltip
            )
            .properties(height=_ROW_HEIGHT)
        )
    bars = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=time,
            x2=alt.X2("to:Q"),
            y=alt.Y("contribution:Q", title=shares),
            y2=alt.Y2(datum=0),
            color=color,
            tooltip=tooltip,
        )
        .properties(height=200)
    )
    if x is None:
        return bars.properties(title=title)
    recording = pd.DataFrame({"step": np.arange(1, n_steps + 1), "value": np.asarray(x, dtype=float)[0]})
    line = (
        alt.Chart(recording)
        .mark_line()
        .encode(
            x=alt.X("step:Q", title=None, scale=steps, axis=whole),
            y=alt.Y("value:Q", title=frames.feature_names(1, info=info)[0]),
            tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=160)
    )
    return alt.vconcat(line, bars, title=title).resolve_scale(x="shared")
