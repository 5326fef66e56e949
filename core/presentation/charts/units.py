"""Charts of single hidden units and of silencing them.

Used by What a unit responds to and Silence units.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...analyses.units import rank_units
from .common import MARKER_COLOUR, as_channel, layered, speaker_scale, time_axis

__all__ = [
    "ABLATION_COLOURS",
    "unit_lines_chart",
    "speaker_means_chart",
    "selectivity_ranking_chart",
    "ablation_speakers_chart",
]


ABLATION_COLOURS = {"as trained": "#8c8c8c", "with units silenced": "#e15759"}  # grey / red: both themes


def unit_lines_chart(
    values: np.ndarray, lengths, labels, *, unit: int, highlight: int | None = None, title: str = ""
) -> alt.Chart:
    """One unit's activation over time in every sequence of a split: one thin line per sequence, coloured by speaker.

    Clicking a speaker in the legend brings out that speaker's lines (a selection bound to the legend).

    Parameters
    ----------
    values : ndarray of shape (N, T_max)
        The unit's value at every padded step of every sequence; steps past a sequence's length are left out.
    lengths : array-like of shape (N,)
        Real steps of each sequence, 1 to T_max.
    labels : array-like of shape (N,)
        Speaker of each sequence, 1 to 9.
    unit : int
        1-based unit number, for the axis title.
    highlight : int, optional
        0-based sequence drawn thick with dots (the chosen observation).

    Returns
    -------
    alt.Chart
        Data columns ``observation`` (1-based), ``speaker``, ``step`` (1-based), ``activation``; the highlighted
        sequence, if any, in a second table with ``step``, ``activation``, ``speaker``.
    """
    values = np.asarray(values, dtype=float)
    lengths, labels = np.asarray(lengths, dtype=int), np.asarray(labels, dtype=int)
    if values.ndim != 2 or lengths.shape != (values.shape[0],) or labels.shape != (values.shape[0],):
        raise ValueError(
            f"values must be (N, T_max) with N lengths and N labels; got {values.shape}, "
            f"{lengths.shape} and {labels.shape}"
        )
    if lengths.min() < 1 or lengths.max() > values.shape[1]:
        raise ValueError(f"lengths must lie between 1 and T_max = {values.shape[1]}")
    seq, step = np.nonzero(np.arange(values.shape[1])[None, :] < lengths[:, None])  # real steps, by sequence
    data = pd.DataFrame(
        {"observation": seq + 1, "speaker": labels[seq], "step": step + 1, "activation": values[seq, step]}
    )
    pick = alt.selection_point(name="speaker_pick", fields=["speaker"], bind="legend")
    x = time_axis(int(lengths.max()))
    y = alt.Y("activation:Q", title=f"Unit {unit} activation", scale=alt.Scale(domain=[-1, 1]))
    colour = alt.Color(
        "speaker:N",
        scale=speaker_scale(),  # one row above the plot: nine entries never clip
        legend=alt.Legend(title="Speaker", orient="top", direction="horizontal", titleOrient="left"),
    )
    lines = (
        alt.Chart(data, title=title)
        .mark_line(strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=colour,
            detail=alt.Detail("observation:N"),
            opacity=as_channel(alt.OpacityValue, alt.condition(pick, alt.value(0.35), alt.value(0.03))),
            tooltip=[
                alt.Tooltip("observation:Q"),
                alt.Tooltip("speaker:N"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("activation:Q", format=".3f"),
            ],
        )
        .add_params(pick)
    )
    chosen = None
    if highlight is not None:
        rows = data[data["observation"] == int(highlight) + 1][["step", "activation", "speaker"]]
        chosen = (
            alt.Chart(rows)
            .mark_line(strokeWidth=3.5, point=alt.OverlayMarkDef(size=40, filled=True))
            .encode(x=x, y=y, color=colour, tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("activation:Q", format=".3f")])
        )
    return layered(lines, chosen).properties(height=400)


def speaker_means_chart(means, *, unit: int) -> alt.Chart:
    """A unit's average activation for each speaker, as bars in the speakers' colours.

    Parameters
    ----------
    means : array-like of shape (9,)
        Row ``unit - 1`` of :func:`core.analyses.units.speaker_means` transposed: one mean per speaker.
    unit : int
        1-based, for the title.

    Returns
    -------
    alt.Chart
        Data columns ``speaker`` (1-based) and ``mean activation``.
    """
    means = np.asarray(means, dtype=float)
    if means.ndim != 1:
        raise ValueError(f"means must be 1-D (one value per speaker), got shape {means.shape}")
    data = pd.DataFrame({"speaker": np.arange(1, len(means) + 1), "mean activation": means})
    return (
        alt.Chart(data, title=f"Unit {unit}: average for each speaker")
        .mark_bar()
        .encode(
            x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("mean activation:Q", title="Average activation"),
            color=alt.Color("speaker:N", scale=speaker_scale(len(means)), legend=None),
            tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("mean activation:Q", format=".3f")],
        )
        .properties(height=400)
    )


def selectivity_ranking_chart(selectivity, speaker, *, unit: int | None = None) -> alt.Chart:
    """Every unit as a bar, most selective first, coloured by the speaker it singles out; clickable.

    Parameters
    ----------
    selectivity : array-like of shape (H,)
        :attr:`core.presentation.describe.UnitStats.selectivity` of each unit: negative for a unit that is *off*
        for its speaker.
        Bars are as tall as its absolute value and ordered by :func:`core.analyses.units.rank_units` of it.
    speaker : array-like of shape (H,)
        The speaker each unit singles out, 1 to 9.
    unit : int, optional
        1-based unit marked with a rule (the one on show).

    Returns
    -------
    alt.Chart
        Data columns ``rank``, ``unit``, ``strength``, ``speaker``, ``direction`` (``"on"`` or ``"off"``); a point
        selection named ``pick`` over ``unit``, for ``st.altair_chart(on_select="rerun")``.
    """

    selectivity, speaker = np.asarray(selectivity, dtype=float), np.asarray(speaker, dtype=int)
    if selectivity.ndim != 1 or speaker.shape != selectivity.shape:
        raise ValueError(
            f"selectivity and speaker must both have shape (H,); got {selectivity.shape} and {speaker.shape}"
        )
    order = rank_units(np.abs(selectivity))  # (H,) 0-based, most selective first
    data = pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "unit": order + 1,
            "strength": np.abs(selectivity[order]),
            "speaker": speaker[order],
            "direction": np.where(selectivity[order] < 0, "off", "on"),
        }
    )
    x = alt.X(
        "unit:O",
        sort=[int(u) for u in order + 1],
        title="Hidden unit, most selective first",
        axis=alt.Axis(labelOverlap=True, labelAngle=0),
    )
    title = ""
    if unit is not None:
        if not 1 <= int(unit) <= len(order):
            raise ValueError(f"unit must be from 1 to {len(order)}, got {unit!r}")
        rank = int(np.flatnonzero(order == int(unit) - 1)[0]) + 1
        title = f"Unit {int(unit)} (dashed line) is number {rank} of {len(order)}"
    bars = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("strength:Q", title="Selectivity"),
            color=alt.Color(
                "speaker:N",
                scale=speaker_scale(),
                legend=alt.Legend(
                    title="Singles out speaker", orient="top", direction="horizontal", titleOrient="left"
                ),
            ),
            tooltip=[
                alt.Tooltip("unit:O"),
                alt.Tooltip("rank:Q"),
                alt.Tooltip("strength:Q", title="selectivity", format=".2f"),
                alt.Tooltip("speaker:N", title="singles out speaker"),
                alt.Tooltip("direction:N", title="on or off for that speaker"),
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
    return layered(bars, marker).properties(height=280)


def ablation_speakers_chart(right_before, right_after, totals) -> alt.Chart:
    """For each speaker, the share of recordings named right as trained and with units silenced.

    Parameters
    ----------
    right_before, right_after : array-like of shape (C,)
        Recordings of each speaker named right (e.g. the diagonal of :func:`core.confusion_matrix`).
    totals : array-like of shape (C,)
        Recordings of each speaker.

    Returns
    -------
    alt.Chart
        Data columns ``speaker``, ``network`` (``"as trained"`` or ``"with units silenced"``), ``right``,
        ``recordings`` and ``share`` (``right / recordings``).
    """
    right_before, right_after, totals = (np.asarray(a, dtype=int) for a in (right_before, right_after, totals))
    if not right_before.shape == right_after.shape == totals.shape or right_before.ndim != 1:
        raise ValueError("right_before, right_after and totals must have the same shape (C,)")
    if (totals < 1).any() or (right_before > totals).any() or (right_after > totals).any():
        raise ValueError("every speaker needs recordings, and no more right answers than recordings")
    speakers = np.arange(1, len(totals) + 1)
    networks = list(ABLATION_COLOURS)
    data = pd.concat(
        [
            pd.DataFrame(
                {"speaker": speakers, "network": name, "right": right, "recordings": totals, "share": right / totals}
            )
            for name, right in zip(networks, (right_before, right_after), strict=True)
        ],
        ignore_index=True,
    )
    return (
        alt.Chart(data, title="Share of each speaker's test recordings named right")
        .mark_bar()
        .encode(
            x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("network:N", sort=networks),
            y=alt.Y("share:Q", title="Named right", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color(
                "network:N",
                sort=networks,
                title="Network",
                scale=alt.Scale(domain=networks, range=list(ABLATION_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("speaker:O"),
                alt.Tooltip("network:N"),
                alt.Tooltip("right:Q"),
                alt.Tooltip("recordings:Q"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(height=260)
    )
