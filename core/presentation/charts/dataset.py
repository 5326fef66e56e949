"""Charts of the recordings themselves: features over time, class balance and lengths.

Used by Dataset and Compare two.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames
from .common import layered, step_rule, time_axis

__all__ = ["features_chart", "class_balance_chart", "length_histogram_chart", "features_pair_charts"]


def features_chart(
    x: np.ndarray,
    *,
    title: str = "",
    step: int | None = None,
    legend_columns: int = 2,
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """MATLAB's "Test Observation 1" plot: the features over time, legend Feature 1..12 (or the channel names).

    Parameters
    ----------
    x : ndarray of shape (F, T)
    step : int, optional
        1-based time step to mark with a vertical rule.
    legend_columns : int
        Two by default: in one, the 12 entries are taller than the default plot and the last ones are cut
        off. One suits a narrow, tall plot.
    info : DatasetInfo, optional
        Names the lines by the data set's channels (see :func:`core.presentation.frames.feature_names`).
    """
    names = frames.feature_names(x.shape[0], info=info)
    lines = (
        alt.Chart(frames.features_long(x, info=info), title=title)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=time_axis(x.shape[1]),
            y=alt.Y("value:Q", title="Value (LPC cepstrum coefficient)"),
            color=alt.Color(
                "feature:N",
                sort=names,
                title="Feature",
                scale=alt.Scale(scheme="tableau20"),
                legend=alt.Legend(columns=legend_columns),
            ),
            tooltip=[alt.Tooltip("feature:N"), alt.Tooltip("step:Q"), alt.Tooltip("value:Q", format=".3f")],
        )
    )
    return layered(lines, step_rule(step, x.shape[1])).properties(height=360)


def class_balance_chart(train_labels, test_labels) -> alt.Chart:
    """Number of utterances per speaker in each split, side by side."""
    data = (
        pd.concat(
            [
                pd.DataFrame({"speaker": np.asarray(labels), "split": name})
                for name, labels in (("training", train_labels), ("test", test_labels))
            ]
        )
        .groupby(["speaker", "split"], as_index=False)
        .size()
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("split:N", sort=["training", "test"]),
            y=alt.Y("size:Q", title="Utterances"),
            color=alt.Color("split:N", sort=["training", "test"], title="Split"),
            tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("split:N"), alt.Tooltip("size:Q", title="utterances")],
        )
        .properties(height=260)
    )


def length_histogram_chart(train_lengths, test_lengths) -> alt.Chart:
    """How many utterances have each number of time steps, per split."""
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
            x=alt.X("length:O", title="Time steps in the utterance", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("size:Q", title="Utterances", stack=True),
            color=alt.Color("split:N", sort=["training", "test"], title="Split"),
            tooltip=[alt.Tooltip("length:O"), alt.Tooltip("split:N"), alt.Tooltip("size:Q", title="utterances")],
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
    y = alt.Y("value:Q", title="Value (LPC cepstrum coefficient)", scale=alt.Scale(domain=[low, high]))
    # Half-width plots: the 12-entry legend goes underneath, three to a row (four are cut off at half width);
    # Streamlit gives the whole chart this height, so it includes the legend's four rows and the title.
    colour = alt.Color(
        "feature:N",
        sort=frames.feature_names(np.shape(x_a)[0], info=info),
        title="Feature",
        scale=alt.Scale(scheme="tableau20"),
        legend=alt.Legend(orient="bottom", columns=3),
    )
    return tuple(
        features_chart(x, title=title, info=info).encode(y=y, color=colour).properties(height=500)
        for x, title in zip((x_a, x_b), titles, strict=True)
    )
