"""The chart of which inputs a decision rests on (Why did it decide?)."""

from __future__ import annotations

import altair as alt
import numpy as np

from ...compute.data import DatasetInfo
from .. import frames

__all__ = ["attribution_chart"]


def attribution_chart(
    values: np.ndarray,
    x: np.ndarray | None = None,
    *,
    target: int,
    title: str = "",
    info: DatasetInfo | None = None,
) -> alt.Chart:
    """An attribution map: how much each feature at each time step pushed the score of ``target``.

    Rows are the channels (features) in order, top to bottom, columns the time steps, as in
    :func:`features_chart`. The colour scale diverges around 0 and is
    symmetric (``[-m, m]`` with ``m`` the largest absolute value): green
    pushed towards ``target``, purple away from it, white hardly mattered.

    Parameters
    ----------
    values : ndarray of shape (F, T)
        E.g. ``core.analyses.attribution.Attribution.values``.
    x : ndarray of shape (F, T), optional
        The raw features, shown in the tooltip as ``feature value``.
    target : int
        The class (1-based) the values explain; names the legend ("speaker 5" without ``info``).
    info : DatasetInfo, optional
        Names the rows by the data set's channels and the target by its class name.

    Returns
    -------
    alt.Chart
        Its data has columns ``step`` (1-based), ``feature`` ("Feature 1"...),
        ``contribution`` and, with ``x``, ``feature value``.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] < 1:
        raise ValueError(f"values must have shape (F, T) with T >= 1, got {values.shape}")
    data = frames.features_long(values, info=info).rename(columns={"value": "contribution"})
    tooltip = [alt.Tooltip("feature:N"), alt.Tooltip("step:O"), alt.Tooltip("contribution:Q", format="+.3f")]
    if x is not None:
        x = np.asarray(x, dtype=float)
        if x.shape != values.shape:
            raise ValueError(f"x must have the shape of values {values.shape}, got {x.shape}")
        data["feature value"] = frames.features_long(x, info=info)["value"].to_numpy()
        tooltip.append(alt.Tooltip("feature value:Q", format=".3f"))
    bound = max(float(np.abs(values).max()), 1e-6)
    names = frames.feature_names(values.shape[0], info=info)
    if info is not None and not 1 <= target <= info.n_classes:
        raise ValueError(f"target must be a class from 1 to {info.n_classes}, got {target!r}")
    towards = f"speaker {target}" if info is None else info.class_names[target - 1]
    return (
        alt.Chart(data, title=title)
        .mark_rect()
        .encode(
            x=alt.X("step:O", title="Time step", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("feature:N", title=None, sort=names),
            color=alt.Color(
                "contribution:Q",
                title=["Push on the score", f"green: towards {towards}", "purple: away from it"],
                scale=alt.Scale(domain=[-bound, bound], scheme="purplegreen", clamp=True),
                legend=alt.Legend(orient="right", gradientLength=200, titleLimit=400),
            ),
            tooltip=tooltip,
        )
        .properties(height=440)
    )
