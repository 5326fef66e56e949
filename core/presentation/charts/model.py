"""Charts of the network as a whole: its training curve and confusion matrices.

Used by Model and Where it goes wrong.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...compute.data import DatasetInfo
from .. import frames
from ..training import kept_before_last
from .common import AXIS_LABEL_PX, MARKER_COLOUR, as_channel, class_axis, class_labels_expr

__all__ = ["training_curve_chart", "confusion_chart", "confusion_choice_chart"]


def training_curve_chart(history: list[dict], kept_epoch: int | None = None) -> alt.Chart:
    """Loss and accuracy after every reported epoch of training, in two panels, one above the other; a dashed
    line at ``kept_epoch``, the epoch whose network was kept, when it is not the last (:func:`kept_before_last`)."""
    data = frames.history_long(history)
    base = (
        alt.Chart(data)
        .mark_line(point=False)
        .encode(
            x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("measure:N", title=""),
            tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("measure:N"), alt.Tooltip("value:Q", format=".4f")],
        )
    )
    loss = base.transform_filter(alt.datum.measure == "training loss").encode(
        y=alt.Y("value:Q", title="Loss (lower is better)", scale=alt.Scale(type="symlog"))
    )
    acc = base.transform_filter(alt.datum.measure != "training loss").encode(
        y=alt.Y("value:Q", title="Accuracy", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    )
    if kept_before_last(history, kept_epoch):
        kept = (
            alt.Chart(pd.DataFrame({"epoch": [kept_epoch], "kept": [f"kept: epoch {kept_epoch}"]}))
            .mark_rule(strokeDash=[4, 3], color=MARKER_COLOUR, size=2)
            .encode(x=alt.X("epoch:Q"), tooltip=[alt.Tooltip("kept:N", title="")])
        )
        loss, acc = loss + kept, acc + kept
    # Stacked rather than side by side, so the pair fits a half-width column and a phone.
    return alt.vconcat(loss.properties(height=180), acc.properties(height=180)).resolve_scale(color="independent")


def _axes(info: DatasetInfo) -> tuple[alt.X, alt.Y]:
    """The predicted class along the top, the true class down the side, labelled with the class names."""
    return (
        alt.X("predicted:O", title=f"Predicted {info.class_word}", axis=class_axis(info, orient="top")),
        alt.Y(
            "true:O",
            title=f"True {info.class_word}",
            axis=alt.Axis(
                labelExpr=class_labels_expr(info), labelOverlap=False, labelFlush=False, labelLimit=AXIS_LABEL_PX
            ),
        ),
    )


def confusion_chart(counts: np.ndarray, *, selectable: bool = False, info: DatasetInfo | None = None) -> alt.Chart:
    """The confusion matrix: true class (rows) against predicted class (columns).

    Parameters
    ----------
    counts : ndarray of shape (C, C)
    selectable : bool
        Add a point selection named ``cell`` over ``true`` and ``predicted``,
        for ``st.altair_chart(on_select="rerun")``.
    info : DatasetInfo, optional
        The data set, with C classes: names the rows and columns. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        Data columns ``true``, ``predicted`` (1-based classes), ``count``, ``kind`` (``"right"`` or ``"wrong"``).
    """
    info = frames.words(info)
    counts = np.asarray(counts)
    if counts.shape != (info.n_classes, info.n_classes):
        raise ValueError(
            f"counts must have shape ({info.n_classes}, {info.n_classes}), one row and column per "
            f"{info.class_word}, got {counts.shape}"
        )
    C = counts.shape[0]
    true, predicted = np.meshgrid(np.arange(1, C + 1), np.arange(1, C + 1), indexing="ij")
    data = pd.DataFrame({"true": true.ravel(), "predicted": predicted.ravel(), "count": counts.ravel()})
    data["kind"] = np.where(data["true"] == data["predicted"], "right", "wrong")
    x, y = _axes(info)
    base = alt.Chart(data).encode(x=x, y=y)
    cells = base.mark_rect(stroke="#888888", strokeWidth=0.5).encode(
        color=alt.condition(
            "datum.count == 0",
            alt.value("transparent"),
            alt.Color("kind:N", scale=alt.Scale(domain=["right", "wrong"], range=["#59a14f", "#e15759"]), title=""),
        ),
        opacity=as_channel(alt.OpacityValue, alt.condition("datum.kind == 'wrong'", alt.value(0.9), alt.value(0.55))),
        tooltip=[
            alt.Tooltip("true:O", title=f"true {info.class_word}"),
            alt.Tooltip("predicted:O", title=f"predicted {info.class_word}"),
            alt.Tooltip("count:Q"),
        ],
    )
    if selectable:
        cells = cells.add_params(alt.selection_point(name="cell", fields=["true", "predicted"], on="click"))
    text = base.mark_text(fontSize=13).encode(
        # a class never named right shows its 0 on the diagonal; elsewhere an empty cell is a mistake never made
        text=as_channel(
            alt.TextValue, alt.condition("datum.count > 0 || datum.kind == 'right'", "count:Q", alt.value(""))
        )
    )
    size = max(330, 120 + 14 * C)  # room for the labels, then at least 14 px a row and a column
    return alt.layer(cells, text).properties(height=size, width=size)


def confusion_choice_chart(
    counts: np.ndarray, chosen: tuple[int, int] | None = None, *, info: DatasetInfo | None = None
) -> alt.Chart:
    """:func:`confusion_chart` with its ``cell`` click selection and the ``chosen`` cell outlined in amber.

    Parameters
    ----------
    counts : ndarray of shape (C, C)
    chosen : (true, predicted), optional
        1-based classes of the cell to outline.
    info : DatasetInfo, optional
        The data set, with C classes: names the rows and columns. Japanese Vowels by default.

    Returns
    -------
    alt.Chart
        The confusion chart's layers, then (with ``chosen``) a one-row table ``true``, ``predicted``.
    """
    info = frames.words(info)
    chart = confusion_chart(counts, selectable=True, info=info)
    if chosen is None:
        return chart
    true, predicted = (int(v) for v in chosen)
    if not (1 <= true <= counts.shape[0] and 1 <= predicted <= counts.shape[1]):
        raise ValueError(f"chosen must be a cell of the {counts.shape[0]}x{counts.shape[1]} matrix, got {chosen!r}")
    x, y = _axes(info)
    outline = (
        alt.Chart(pd.DataFrame({"true": [true], "predicted": [predicted]}))
        .mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=4)
        .encode(x=x, y=y)
    )
    return alt.layer(chart, outline)
