"""Every chart of the app, built with Altair from arrays that other core functions compute.

The functions return ``alt.Chart`` objects and import no Streamlit, so they are
tested on their own and usable in a notebook. Colours are chosen to read on
both Streamlit's light and dark themes.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import frames

__all__ = [
    "MARKER_COLOUR",
    "SPEAKER_COLOURS",
    "scale_for",
    "features_chart",
    "class_balance_chart",
    "length_histogram_chart",
    "training_curve_chart",
    "confusion_chart",
    "heatmap_chart",
    "values_at_step_chart",
    "trajectory_chart",
    "probs_at_step_chart",
]

MARKER_COLOUR = "#ffa600"  # amber: visible on red, blue, white cells and on both themes
SPEAKER_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]  # Tableau 10, one per speaker


def _speaker_scale(n: int = 9) -> alt.Scale:
    return alt.Scale(domain=list(range(1, n + 1)), range=SPEAKER_COLOURS[:n])


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


def _step_rule(step: int | None) -> alt.Chart | None:
    """A dashed vertical rule at a 1-based step on a quantitative time axis."""
    if step is None:
        return None
    return (alt.Chart(pd.DataFrame({"step": [step]})).mark_rule(color=MARKER_COLOUR, strokeWidth=2, strokeDash=[4, 3])
            .encode(x="step:Q"))


def _step_outline(step: int | None) -> alt.Chart | None:
    """An outlined column at a 1-based step on an ordinal (heatmap) time axis."""
    if step is None:
        return None
    return (alt.Chart(pd.DataFrame({"step": [step]})).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3)
            .encode(x="step:O"))


def _layer(base: alt.Chart, *others) -> alt.Chart:
    others = [o for o in others if o is not None]
    return alt.layer(base, *others) if others else base


def features_chart(x: np.ndarray, *, title: str = "", step: int | None = None) -> alt.Chart:
    """MATLAB's "Test Observation 1" plot: the 12 features over time, legend Feature 1..12.

    Parameters
    ----------
    x : ndarray of shape (12, T)
    step : int, optional
        1-based time step to mark with a vertical rule.
    """
    names = frames.feature_names(x.shape[0])
    lines = alt.Chart(frames.features_long(x), title=title).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("step:Q", title="Time step", scale=alt.Scale(domain=[1, x.shape[1]]), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title="Value (LPC cepstrum coefficient)"),
        color=alt.Color("feature:N", sort=names, title="Feature", scale=alt.Scale(scheme="tableau20")),
        tooltip=["feature:N", "step:Q", alt.Tooltip("value:Q", format=".3f")],
    )
    return _layer(lines, _step_rule(step)).properties(height=320)


def class_balance_chart(train_labels, test_labels) -> alt.Chart:
    """Number of utterances per speaker in each split, side by side."""
    data = pd.concat([
        pd.DataFrame({"speaker": np.asarray(labels), "split": name})
        for name, labels in (("training", train_labels), ("test", test_labels))
    ]).groupby(["speaker", "split"], as_index=False).size()
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("split:N", sort=["training", "test"]),
        y=alt.Y("size:Q", title="Utterances"),
        color=alt.Color("split:N", sort=["training", "test"], title="Split"),
        tooltip=["speaker:O", "split:N", alt.Tooltip("size:Q", title="utterances")],
    ).properties(height=260)


def length_histogram_chart(train_lengths, test_lengths) -> alt.Chart:
    """How many utterances have each number of time steps, per split."""
    data = pd.concat([
        pd.DataFrame({"length": np.asarray(lengths), "split": name})
        for name, lengths in (("training", train_lengths), ("test", test_lengths))
    ]).groupby(["length", "split"], as_index=False).size()
    return alt.Chart(data).mark_bar(opacity=0.8).encode(
        x=alt.X("length:O", title="Time steps in the utterance", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("size:Q", title="Utterances", stack=True),
        color=alt.Color("split:N", sort=["training", "test"], title="Split"),
        tooltip=["length:O", "split:N", alt.Tooltip("size:Q", title="utterances")],
    ).properties(height=260)


def training_curve_chart(history: list[dict]) -> alt.Chart:
    """Loss and accuracy after every epoch of training, in two panels."""
    data = frames.history_long(history)
    base = alt.Chart(data).mark_line(point=False).encode(
        x=alt.X("epoch:Q", title="Epoch"),
        color=alt.Color("measure:N", title=""),
        tooltip=["epoch:Q", "measure:N", alt.Tooltip("value:Q", format=".4f")],
    )
    loss = base.transform_filter(alt.datum.measure == "training loss").encode(
        y=alt.Y("value:Q", title="Loss (lower is better)", scale=alt.Scale(type="symlog")))
    acc = base.transform_filter(alt.datum.measure != "training loss").encode(
        y=alt.Y("value:Q", title="Accuracy", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    return alt.hconcat(loss.properties(height=220, width=260), acc.properties(height=220, width=260)).resolve_scale(
        color="independent")


def confusion_chart(counts: np.ndarray, *, selectable: bool = False) -> alt.Chart:
    """The confusion matrix: true speaker (rows) against predicted speaker (columns).

    Parameters
    ----------
    counts : ndarray of shape (C, C)
    selectable : bool
        Add a point selection named ``cell`` over ``true`` and ``predicted``,
        for ``st.altair_chart(on_select="rerun")``.
    """
    C = counts.shape[0]
    true, predicted = np.meshgrid(np.arange(1, C + 1), np.arange(1, C + 1), indexing="ij")
    data = pd.DataFrame({"true": true.ravel(), "predicted": predicted.ravel(), "count": counts.ravel()})
    data["kind"] = np.where(data["true"] == data["predicted"], "right", "wrong")
    base = alt.Chart(data).encode(
        x=alt.X("predicted:O", title="Predicted speaker", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("true:O", title="True speaker"),
    )
    cells = base.mark_rect(stroke="#888888", strokeWidth=0.5).encode(
        color=alt.condition("datum.count == 0", alt.value("transparent"),
                            alt.Color("kind:N", scale=alt.Scale(domain=["right", "wrong"], range=["#59a14f", "#e15759"]),
                                      title="")),
        opacity=alt.condition("datum.kind == 'wrong'", alt.value(0.9), alt.value(0.55)),
        tooltip=[alt.Tooltip("true:O", title="true speaker"), alt.Tooltip("predicted:O", title="predicted speaker"),
                 "count:Q"],
    )
    if selectable:
        cells = cells.add_params(alt.selection_point(name="cell", fields=["true", "predicted"], on="click"))
    text = base.mark_text(fontSize=13).encode(text=alt.condition("datum.count > 0", "count:Q", alt.value("")))
    return alt.layer(cells, text).properties(height=330, width=330)


def heatmap_chart(values: np.ndarray, units, *, quantity: str = "hidden", step: int | None = None,
                  scale: alt.Scale | None = None, highlight_units=None, title: str = "") -> alt.Chart:
    """MATLAB's activation heatmap: units (rows) over time steps (columns).

    Parameters
    ----------
    values : ndarray of shape (T, U)
    units : sequence of int, length U
        1-based unit numbers, in the order the rows are drawn (top first).
    quantity : str
        Picks the colour scale (see :func:`scale_for`) unless ``scale`` is given.
    step : int, optional
        1-based time step outlined on the map.
    highlight_units : sequence of int, optional
        1-based units marked with a dot at the left, e.g. a pattern selection.
    """
    data = frames.heatmap_long(values, units)
    order = [int(u) for u in units]
    y = alt.Y("unit:O", title="Hidden unit", sort=order, axis=alt.Axis(labelOverlap=True))
    rects = alt.Chart(data, title=title).mark_rect().encode(
        x=alt.X("step:O", title="Time step", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=y,
        color=alt.Color("value:Q", scale=scale or scale_for(quantity, values), title=quantity.capitalize()
                        if quantity != "hidden" else "Activation", legend=alt.Legend(orient="right", gradientLength=160)),
        tooltip=["unit:O", "step:O", alt.Tooltip("value:Q", format=".3f")],
    )
    marks = [_step_outline(step)]
    if highlight_units is not None and len(highlight_units):
        highlighted = pd.DataFrame({"unit": [int(u) for u in highlight_units if int(u) in order]})
        marks.append(alt.Chart(highlighted).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=2).encode(y=y))
    height = max(120, min(16 * len(order), 900))
    return _layer(rects, *marks).properties(height=height)


def values_at_step_chart(values: np.ndarray, units, step: int, *, quantity: str = "hidden") -> alt.Chart:
    """The shown units' values at one time step, as bars."""
    data = pd.DataFrame({"unit": [int(u) for u in units], "value": np.asarray(values, dtype=float)})
    return alt.Chart(data, title=f"Values at time step {step}").mark_bar().encode(
        x=alt.X("unit:O", sort=[int(u) for u in units], title="Hidden unit", axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("value:Q", title="Value", scale=alt.Scale(domain=scale_for(quantity, values).domain)),
        color=alt.Color("value:Q", scale=scale_for(quantity, values), legend=None),
        tooltip=["unit:O", alt.Tooltip("value:Q", format=".3f")],
    ).properties(height=220)


def trajectory_chart(probs: np.ndarray, *, step: int | None = None, true_label: int | None = None,
                     title: str = "") -> alt.Chart:
    """The class trajectory: each speaker's probability after every time step.

    Parameters
    ----------
    probs : ndarray of shape (T, C)
    step : int, optional
        1-based step marked with a vertical rule.
    true_label : int, optional
        Drawn with a thicker line.
    """
    data = frames.probs_long(probs)
    data["true speaker"] = data["speaker"] == true_label
    lines = alt.Chart(data, title=title).mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        x=alt.X("step:Q", title="Time step", scale=alt.Scale(domain=[1, probs.shape[0]]), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("speaker:N", title="Speaker", scale=_speaker_scale(probs.shape[1])),
        strokeWidth=alt.condition("datum['true speaker']", alt.value(4), alt.value(1.5)),
        tooltip=["speaker:N", "step:Q", alt.Tooltip("probability:Q", format=".1%")],
    )
    return _layer(lines, _step_rule(step)).properties(height=300)


def probs_at_step_chart(probs: np.ndarray, step: int, *, true_label: int | None = None) -> alt.Chart:
    """Each speaker's probability at one time step, as bars."""
    data = pd.DataFrame({"speaker": np.arange(1, len(probs) + 1), "probability": np.asarray(probs, dtype=float)})
    data["true speaker"] = np.where(data["speaker"] == true_label, "true speaker", "")
    return alt.Chart(data, title=f"Probabilities after time step {step}").mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("speaker:N", scale=_speaker_scale(len(probs)), legend=None),
        stroke=alt.condition("datum['true speaker'] != ''", alt.value(MARKER_COLOUR), alt.value(None)),
        strokeWidth=alt.value(3),
        tooltip=["speaker:O", alt.Tooltip("probability:Q", format=".1%"), "true speaker:N"],
    ).properties(height=220)
