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
    "attribution_chart",
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


def _time_axis(n_steps: int) -> alt.X:
    """A quantitative time axis from step 1 to ``n_steps`` with whole-number ticks."""
    return alt.X("step:Q", title="Time step", scale=alt.Scale(domain=[1, n_steps], zero=False),
                 axis=alt.Axis(tickMinStep=1, format="d"))


def _step_rule(step: int | None, n_steps: int) -> alt.Chart | None:
    """A dashed vertical rule at a 1-based step on :func:`_time_axis`."""
    if step is None:
        return None
    return (alt.Chart(pd.DataFrame({"step": [step]})).mark_rule(color=MARKER_COLOUR, strokeWidth=2, strokeDash=[4, 3])
            .encode(x=_time_axis(n_steps)))


def _step_outline(step: int | None) -> alt.Chart | None:
    """An outlined column at a 1-based step on an ordinal (heatmap) time axis."""
    if step is None:
        return None
    return (alt.Chart(pd.DataFrame({"step": [step]})).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3)
            .encode(x=alt.X("step:O")))


def _as_channel(channel: type, condition: dict):
    """What ``alt.condition`` returned, as the channel class ``channel`` (e.g. ``alt.OpacityValue``).

    Altair turns a plain dict, or a shorthand string such as ``"unit:O"``, into a channel by matching it against
    every class of the Vega-Lite schema, about 5 ms a time: named classes (here and in every encoding of this
    module) make a chart three times faster to build.
    """
    return channel(**condition)


def _layer(base: alt.Chart, *others) -> alt.Chart:
    others = [o for o in others if o is not None]
    return alt.layer(base, *others) if others else base


def features_chart(x: np.ndarray, *, title: str = "", step: int | None = None, legend_columns: int = 2) -> alt.Chart:
    """MATLAB's "Test Observation 1" plot: the 12 features over time, legend Feature 1..12.

    Parameters
    ----------
    x : ndarray of shape (12, T)
    step : int, optional
        1-based time step to mark with a vertical rule.
    legend_columns : int
        Two by default: in one, the 12 entries are taller than the default plot and the last ones are cut
        off. One suits a narrow, tall plot.
    """
    names = frames.feature_names(x.shape[0])
    lines = alt.Chart(frames.features_long(x), title=title).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=_time_axis(x.shape[1]),
        y=alt.Y("value:Q", title="Value (LPC cepstrum coefficient)"),
        color=alt.Color("feature:N", sort=names, title="Feature", scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(columns=legend_columns)),
        tooltip=[alt.Tooltip("feature:N"), alt.Tooltip("step:Q"), alt.Tooltip("value:Q", format=".3f")],
    )
    return _layer(lines, _step_rule(step, x.shape[1])).properties(height=360)


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
        tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("split:N"), alt.Tooltip("size:Q", title="utterances")],
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
        tooltip=[alt.Tooltip("length:O"), alt.Tooltip("split:N"), alt.Tooltip("size:Q", title="utterances")],
    ).properties(height=260)


def training_curve_chart(history: list[dict]) -> alt.Chart:
    """Loss and accuracy after every epoch of training, in two panels, one above the other."""
    data = frames.history_long(history)
    base = alt.Chart(data).mark_line(point=False).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("measure:N", title=""),
        tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("measure:N"), alt.Tooltip("value:Q", format=".4f")],
    )
    loss = base.transform_filter(alt.datum.measure == "training loss").encode(
        y=alt.Y("value:Q", title="Loss (lower is better)", scale=alt.Scale(type="symlog")))
    acc = base.transform_filter(alt.datum.measure != "training loss").encode(
        y=alt.Y("value:Q", title="Accuracy", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    # Stacked rather than side by side, so the pair fits a half-width column and a phone.
    return alt.vconcat(loss.properties(height=180), acc.properties(height=180)).resolve_scale(color="independent")


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
        opacity=_as_channel(alt.OpacityValue, alt.condition("datum.kind == 'wrong'", alt.value(0.9), alt.value(0.55))),
        tooltip=[alt.Tooltip("true:O", title="true speaker"), alt.Tooltip("predicted:O", title="predicted speaker"),
                 alt.Tooltip("count:Q")],
    )
    if selectable:
        cells = cells.add_params(alt.selection_point(name="cell", fields=["true", "predicted"], on="click"))
    text = base.mark_text(fontSize=13).encode(
        text=_as_channel(alt.TextValue, alt.condition("datum.count > 0", "count:Q", alt.value(""))))
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
        tooltip=[alt.Tooltip("unit:O"), alt.Tooltip("step:O"), alt.Tooltip("value:Q", format=".3f")],
    )
    marks = [_step_outline(step)]
    if highlight_units is not None and len(highlight_units):
        highlighted = pd.DataFrame({"unit": [int(u) for u in highlight_units if int(u) in order]})
        marks.append(alt.Chart(highlighted).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=2).encode(y=y))
    # Streamlit sizes the whole chart (title, axes, legend) to this height: room for those plus 18 px a row.
    height = min(150 + 18 * len(order), 1500)
    return _layer(rects, *marks).properties(height=height)


def values_at_step_chart(values: np.ndarray, units, *, quantity: str = "hidden",
                         scale: alt.Scale | None = None) -> alt.Chart:
    """The shown units' values at the chosen time step, as bars.

    Parameters
    ----------
    values : ndarray of shape (U,)
    units : sequence of int, length U
        1-based unit numbers, in the order the bars are drawn.
    quantity : str
        Picks the colour scale (see :func:`scale_for`) when ``scale`` is not given.
    scale : alt.Scale, optional
        The heatmap's colour scale, so that both charts agree and the bars' axis stays put from step to step;
        by default :func:`scale_for` fitted to ``values``.

    The step is not in the title: a chart whose spec stays the same is updated in place by the browser when
    the step slider moves (see ``ui/display.py``), and the slider above it shows the step.
    """
    scale = scale or scale_for(quantity, values)
    data = pd.DataFrame({"unit": [int(u) for u in units], "value": np.asarray(values, dtype=float)})
    return alt.Chart(data, title="Values at the chosen time step").mark_bar(stroke="#888888", strokeWidth=0.5).encode(
        x=alt.X("unit:O", sort=[int(u) for u in units], title="Hidden unit", axis=alt.Axis(labelOverlap=True,
                                                                                             labelAngle=0)),
        y=alt.Y("value:Q", title="Value", scale=alt.Scale(domain=scale.domain)),
        color=alt.Color("value:Q", scale=scale, legend=None),
        tooltip=[alt.Tooltip("unit:O"), alt.Tooltip("value:Q", format=".3f")],
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
        x=_time_axis(probs.shape[0]),
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("speaker:N", title="Speaker", scale=_speaker_scale(probs.shape[1])),
        strokeWidth=_as_channel(alt.StrokeWidthValue,
                                alt.condition("datum['true speaker']", alt.value(4), alt.value(1.5))),
        tooltip=[alt.Tooltip("speaker:N"), alt.Tooltip("step:Q"), alt.Tooltip("probability:Q", format=".1%")],
    )
    return _layer(lines, _step_rule(step, probs.shape[0])).properties(height=360)


def probs_at_step_chart(probs: np.ndarray, step: int | None, *, true_label: int | None = None) -> alt.Chart:
    """Each speaker's probability at one time step, as bars.

    ``step`` (1-based) goes in the title; ``None`` titles it "after the chosen time step", for a chart under a
    step slider: its spec then stays the same as the slider moves, and the browser updates it in place.
    """
    data = pd.DataFrame({"speaker": np.arange(1, len(probs) + 1), "probability": np.asarray(probs, dtype=float)})
    data["true speaker"] = np.where(data["speaker"] == true_label, "true speaker", "")
    title = f"Probabilities after time step {step}" if step is not None else "Probabilities after the chosen time step"
    return alt.Chart(data, title=title).mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("speaker:N", scale=_speaker_scale(len(probs)), legend=None),
        stroke=_as_channel(alt.StrokeValue, alt.condition("datum['true speaker'] != ''", alt.value(MARKER_COLOUR),
                                                          alt.value(None))),
        strokeWidth=alt.StrokeWidthValue(3),
        tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("probability:Q", format=".1%"), alt.Tooltip("true speaker:N")],
    ).properties(height=220)


# --- "Why did it decide?" (pages/why.py) -------------------------------------------------------------------------

def attribution_chart(values: np.ndarray, x: np.ndarray | None = None, *, target: int, title: str = "") -> alt.Chart:
    """An attribution map: how much each feature at each time step pushed the score of ``target``.

    Rows are Feature 1..12 (top to bottom), columns the time steps, as in
    :func:`features_chart`. The colour scale diverges around 0 and is
    symmetric (``[-m, m]`` with ``m`` the largest absolute value): green
    pushed towards ``target``, purple away from it, white hardly mattered.

    Parameters
    ----------
    values : ndarray of shape (12, T)
        E.g. ``core.attribution.Attribution.values``.
    x : ndarray of shape (12, T), optional
        The raw features, shown in the tooltip as ``feature value``.
    target : int
        The speaker (1-based) the values explain; names the legend.

    Returns
    -------
    alt.Chart
        Its data has columns ``step`` (1-based), ``feature`` ("Feature 1"...),
        ``contribution`` and, with ``x``, ``feature value``.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] < 1:
        raise ValueError(f"values must have shape (12, T) with T >= 1, got {values.shape}")
    data = frames.features_long(values).rename(columns={"value": "contribution"})
    tooltip = [alt.Tooltip("feature:N"), alt.Tooltip("step:O"), alt.Tooltip("contribution:Q", format="+.3f")]
    if x is not None:
        x = np.asarray(x, dtype=float)
        if x.shape != values.shape:
            raise ValueError(f"x must have the shape of values {values.shape}, got {x.shape}")
        data["feature value"] = frames.features_long(x)["value"].to_numpy()
        tooltip.append(alt.Tooltip("feature value:Q", format=".3f"))
    bound = max(float(np.abs(values).max()), 1e-6)
    names = frames.feature_names(values.shape[0])
    return alt.Chart(data, title=title).mark_rect().encode(
        x=alt.X("step:O", title="Time step", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("feature:N", title=None, sort=names),
        color=alt.Color("contribution:Q", title=["Push on the score", f"green: towards speaker {target}",
                                                 "purple: away from it"],
                        scale=alt.Scale(domain=[-bound, bound], scheme="purplegreen", clamp=True),
                        legend=alt.Legend(orient="right", gradientLength=200, titleLimit=400)),
        tooltip=tooltip,
    ).properties(height=440)


# --- Across the data set: pattern search, hidden-state paths, mistakes (pages/patterns.py, paths.py, mistakes.py) --

def window_heatmap_chart(values: np.ndarray, units, start: int, end: int, *, highlight_units=None,
                         scale: alt.Scale | None = None, height: int | None = None, title: str = "") -> alt.Chart:
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
    outline = alt.Chart(window).mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3, strokeDash=[6, 3]).encode(
        x=alt.X("start:O", bandPosition=0, title="Time step"), x2=alt.X2("end", bandPosition=1),
        tooltip=[alt.Tooltip("start:O", title="from step"), alt.Tooltip("end:O", title="to step")])
    return alt.layer(base, outline)


def speaker_counts_chart(counts, *, highlight: int | None = None, count_title: str = "Matches",
                         title: str = "") -> alt.Chart:
    """How many items (e.g. pattern matches) belong to each speaker, as bars.

    Parameters
    ----------
    counts : array-like of shape (C,), int
        Entry ``j`` is speaker ``j + 1``'s count.
    highlight : int, optional
        A speaker (1-based) whose bar is outlined, e.g. the chosen observation's.
    count_title : str
        The y axis title.

    Returns
    -------
    alt.Chart
        Data columns ``speaker`` (1-based), ``count``, ``chosen`` ("yes" or "").
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array, one per speaker, got shape {counts.shape}")
    speakers = np.arange(1, counts.size + 1)
    data = pd.DataFrame({"speaker": speakers, "count": counts.astype(int),
                         "chosen": np.where(speakers == highlight, "yes", "")})
    return alt.Chart(data, title=title).mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("speaker:N", scale=_speaker_scale(counts.size), legend=None),
        stroke=_as_channel(alt.StrokeValue, alt.condition("datum.chosen == 'yes'", alt.value(MARKER_COLOUR),
                                                          alt.value(None))),
        strokeWidth=alt.StrokeWidthValue(3),
        tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("count:Q", title=count_title.lower())],
    ).properties(height=220)


def _pc_title(k: int, explained) -> str:
    if explained is None:
        return f"PC {k}"
    return f"PC {k} ({float(explained[k - 1]):.0%} of the variation)"


def hidden_paths_chart(coords: np.ndarray, lengths, labels, *, focus: np.ndarray | None = None,
                       focus_label: int | None = None, step: int | None = None, explained=None,
                       title: str = "") -> alt.Chart:
    """Every sequence's path through hidden space, flattened to two principal components.

    Background paths are thin, faint lines coloured by speaker; ``focus`` is
    drawn on top as a thick line with its steps as dots, ``step`` as a large
    amber dot, and its first and last steps labelled "start" and "end".

    Parameters
    ----------
    coords : ndarray of shape (N, T_max, 2)
        Projected hidden states (``core.projection.project``); padding is ignored.
    lengths : array-like of shape (N,), int
    labels : array-like of shape (N,), int
        Speaker (1-based) of every sequence.
    focus : ndarray of shape (T, 2), optional
        The chosen sequence's projected path.
    focus_label : int, optional
        Its speaker (colours the line); ``None`` draws it grey.
    step : int, optional
        1-based step of ``focus`` to mark.
    explained : array-like of shape (2,), optional
        Share of the variation along each component, for the axis titles.

    Returns
    -------
    alt.Chart
        Tables: background (``observation``, ``speaker``, ``step``, ``pc1``, ``pc2``; one row per
        real step), focus (``step``, ``pc1``, ``pc2``), its ends (the same plus ``label``: "start",
        "end") and the marker (``step``, ``pc1``, ``pc2``; one row).
    """
    coords, lengths, labels = np.asarray(coords, dtype=float), np.asarray(lengths), np.asarray(labels)
    if coords.ndim != 3 or coords.shape[2] != 2 or lengths.shape != (coords.shape[0],) \
            or labels.shape != lengths.shape:
        raise ValueError(f"coords must be (N, T_max, 2) with lengths and labels of shape (N,), got {coords.shape}, "
                         f"{lengths.shape} and {labels.shape}")
    seq, t = np.nonzero(np.arange(coords.shape[1])[None, :] < lengths[:, None])  # (M,) each
    background = pd.DataFrame({"observation": seq + 1, "speaker": labels[seq].astype(int), "step": t + 1,
                               "pc1": coords[seq, t, 0], "pc2": coords[seq, t, 1]})
    x = alt.X("pc1:Q", title=_pc_title(1, explained), axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("pc2:Q", title=_pc_title(2, explained), axis=alt.Axis(labels=False, ticks=False))
    lines = alt.Chart(background, title=title).mark_line(strokeWidth=1, opacity=0.2).encode(
        x=x, y=y, detail=alt.Detail("observation:N"), order=alt.Order("step:Q"),
        color=alt.Color("speaker:N", title="Speaker", scale=_speaker_scale(9),
                        legend=alt.Legend(symbolOpacity=1, symbolStrokeWidth=3)),
        tooltip=[alt.Tooltip("observation:Q"), alt.Tooltip("speaker:N")],
    )
    layers = [lines]
    if focus is not None:
        focus = np.asarray(focus, dtype=float)
        if focus.ndim != 2 or focus.shape[1] != 2 or focus.shape[0] == 0:
            raise ValueError(f"focus must have shape (T, 2) with T >= 1, got {focus.shape}")
        colour = SPEAKER_COLOURS[focus_label - 1] if focus_label is not None else "#8a8a8a"
        path = pd.DataFrame({"step": np.arange(1, focus.shape[0] + 1), "pc1": focus[:, 0], "pc2": focus[:, 1]})
        layers.append(alt.Chart(path).mark_line(color=colour, strokeWidth=4, point=alt.OverlayMarkDef(
            color=colour, size=50, filled=True)).encode(
            x=x, y=y, order=alt.Order("step:Q"), tooltip=[alt.Tooltip("step:Q")]))
        ends = path.iloc[[0, -1]].assign(label=["start", "end"]) if len(path) > 1 else path.assign(label="start")
        layers.append(alt.Chart(ends).mark_text(dy=-14, fontSize=13, fontWeight="bold", color=colour).encode(
            x=x, y=y, text=alt.Text("label:N")))
        if step is not None:
            if not 1 <= step <= focus.shape[0]:
                raise ValueError(f"step must be between 1 and {focus.shape[0]}, got {step!r}")
            marker = path.iloc[[step - 1]].reset_index(drop=True)
            layers.append(alt.Chart(marker).mark_point(shape="circle", size=420, filled=True, fill=MARKER_COLOUR,
                                                       stroke="#222222", strokeWidth=2, opacity=1).encode(
                x=x, y=y, tooltip=[alt.Tooltip("step:Q")]))
    return alt.layer(*layers).properties(height=520)


def final_probs_chart(probs: np.ndarray, observations, labels, *, title: str = "") -> alt.Chart:
    """The final probabilities of a few sequences, one row each, with the true speaker's square outlined.

    Parameters
    ----------
    probs : ndarray of shape (k, C)
        Probabilities after each sequence's last step.
    observations : sequence of int, length k
        1-based observation numbers, the rows' names (top first).
    labels : sequence of int, length k
        True speaker (1-based) of each row.

    Returns
    -------
    alt.Chart
        Data columns ``observation``, ``speaker``, ``probability``, ``true speaker`` (bool).
    """
    probs = np.asarray(probs, dtype=float)
    observations, labels = np.asarray(observations, dtype=int), np.asarray(labels, dtype=int)
    if probs.ndim != 2 or probs.shape[0] != observations.size or labels.shape != observations.shape:
        raise ValueError(f"probs must be (k, C) with k observations and labels, got {probs.shape}, "
                         f"{observations.shape} and {labels.shape}")
    k, C = probs.shape
    data = pd.DataFrame({"observation": np.repeat(observations, C), "speaker": np.tile(np.arange(1, C + 1), k),
                         "probability": probs.ravel()})
    data["true speaker"] = data["speaker"] == np.repeat(labels, C)
    order = [int(o) for o in observations]
    base = alt.Chart(data, title=title).encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("observation:O", title="Observation", sort=order),
    )
    cells = base.mark_rect(stroke="#888888", strokeWidth=0.5).encode(
        color=alt.Color("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        legend=None),  # every square is labelled with its percentage
        tooltip=[alt.Tooltip("observation:O"), alt.Tooltip("speaker:O"), alt.Tooltip("probability:Q", format=".1%"),
                 alt.Tooltip("true speaker:N")],
    )
    text = base.mark_text(fontSize=12).encode(
        text=_as_channel(alt.TextValue, alt.condition("datum.probability >= 0.005",
                                                      alt.Text("probability:Q", format=".0%"), alt.value(""))),
        color=_as_channel(alt.ColorValue,
                          alt.condition("datum.probability > 0.55", alt.value("white"), alt.value("black"))),
    )
    truth = base.transform_filter("datum['true speaker']").mark_rect(fill=None, stroke=MARKER_COLOUR, strokeWidth=3)
    return alt.layer(cells, text, truth).properties(height=150 + 34 * k)  # the title and top axis take ~140 px


def confusion_choice_chart(counts: np.ndarray, chosen: tuple[int, int] | None = None) -> alt.Chart:
    """:func:`confusion_chart` with its ``cell`` click selection and the ``chosen`` cell outlined in amber.

    Parameters
    ----------
    counts : ndarray of shape (C, C)
    chosen : (true, predicted), optional
        1-based speakers of the cell to outline.

    Returns
    -------
    alt.Chart
        The confusion chart's layers, then (with ``chosen``) a one-row table ``true``, ``predicted``.
    """
    chart = confusion_chart(counts, selectable=True)
    if chosen is None:
        return chart
    true, predicted = (int(v) for v in chosen)
    if not (1 <= true <= counts.shape[0] and 1 <= predicted <= counts.shape[1]):
        raise ValueError(f"chosen must be a cell of the {counts.shape[0]}x{counts.shape[1]} matrix, got {chosen!r}")
    outline = alt.Chart(pd.DataFrame({"true": [true], "predicted": [predicted]})).mark_rect(
        fill=None, stroke=MARKER_COLOUR, strokeWidth=4).encode(
        x=alt.X("predicted:O", title="Predicted speaker", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("true:O", title="True speaker"))
    return alt.layer(chart, outline)


def features_pair_charts(x_a: np.ndarray, x_b: np.ndarray, *, titles: tuple[str, str] = ("", "")
                         ) -> tuple[alt.Chart, alt.Chart]:
    """Two :func:`features_chart` plots on one value axis, so that two recordings can be compared side by side.

    Parameters
    ----------
    x_a, x_b : ndarray of shape (12, T_a) and (12, T_b)

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
    colour = alt.Color("feature:N", sort=frames.feature_names(np.shape(x_a)[0]), title="Feature",
                       scale=alt.Scale(scheme="tableau20"), legend=alt.Legend(orient="bottom", columns=3))
    return tuple(features_chart(x, title=title).encode(y=y, color=colour).properties(height=500)
                 for x, title in zip((x_a, x_b), titles))


def heatmap_pair_charts(values_a: np.ndarray, values_b: np.ndarray, units, *, quantity: str = "hidden",
                        titles: tuple[str, str] = ("", "")) -> tuple[alt.Chart, alt.Chart]:
    """Two :func:`heatmap_chart` maps of the same units on one shared colour scale.

    The hidden state and the gates keep their fixed scales; the cell state's
    symmetric scale is fitted to the values of both maps together.

    Parameters
    ----------
    values_a, values_b : ndarray of shape (T_a, U) and (T_b, U)
    units : sequence of int, length U
        1-based unit numbers.
    quantity : str
        As in :func:`scale_for`.

    Returns
    -------
    (alt.Chart, alt.Chart)
    """
    values_a, values_b = np.asarray(values_a), np.asarray(values_b)
    scale = scale_for(quantity, np.concatenate([values_a.ravel(), values_b.ravel()]))
    return tuple(heatmap_chart(v, units, quantity=quantity, scale=scale, title=title)
                 for v, title in zip((values_a, values_b), titles))


__all__ += ["window_heatmap_chart", "speaker_counts_chart", "hidden_paths_chart", "final_probs_chart",
            "confusion_choice_chart", "features_pair_charts", "heatmap_pair_charts"]


# --- What a unit responds to (pages/units.py) and silencing units (pages/ablation.py) ---

ABLATION_COLOURS = {"as trained": "#8c8c8c", "with units silenced": "#e15759"}  # grey / red: both themes


def unit_lines_chart(values: np.ndarray, lengths, labels, *, unit: int, highlight: int | None = None,
                     title: str = "") -> alt.Chart:
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
        raise ValueError(f"values must be (N, T_max) with N lengths and N labels; got {values.shape}, "
                         f"{lengths.shape} and {labels.shape}")
    if lengths.min() < 1 or lengths.max() > values.shape[1]:
        raise ValueError(f"lengths must lie between 1 and T_max = {values.shape[1]}")
    seq, step = np.nonzero(np.arange(values.shape[1])[None, :] < lengths[:, None])  # real steps, by sequence
    data = pd.DataFrame({"observation": seq + 1, "speaker": labels[seq], "step": step + 1,
                         "activation": values[seq, step]})
    pick = alt.selection_point(name="speaker_pick", fields=["speaker"], bind="legend")
    x = _time_axis(int(lengths.max()))
    y = alt.Y("activation:Q", title=f"Unit {unit} activation", scale=alt.Scale(domain=[-1, 1]))
    colour = alt.Color("speaker:N", scale=_speaker_scale(),  # one row above the plot: nine entries never clip
                       legend=alt.Legend(title="Speaker", orient="top", direction="horizontal", titleOrient="left"))
    lines = alt.Chart(data, title=title).mark_line(strokeWidth=1).encode(
        x=x, y=y, color=colour, detail=alt.Detail("observation:N"),
        opacity=_as_channel(alt.OpacityValue, alt.condition(pick, alt.value(0.35), alt.value(0.03))),
        tooltip=[alt.Tooltip("observation:Q"), alt.Tooltip("speaker:N"), alt.Tooltip("step:Q"),
                 alt.Tooltip("activation:Q", format=".3f")],
    ).add_params(pick)
    chosen = None
    if highlight is not None:
        rows = data[data["observation"] == int(highlight) + 1][["step", "activation", "speaker"]]
        chosen = alt.Chart(rows).mark_line(strokeWidth=3.5, point=alt.OverlayMarkDef(size=40, filled=True)).encode(
            x=x, y=y, color=colour, tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("activation:Q", format=".3f")])
    return _layer(lines, chosen).properties(height=400)


def speaker_means_chart(means, *, unit: int) -> alt.Chart:
    """A unit's average activation for each speaker, as bars in the speakers' colours.

    Parameters
    ----------
    means : array-like of shape (9,)
        Row ``unit - 1`` of :func:`core.units.speaker_means` transposed: one mean per speaker.
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
    return alt.Chart(data, title=f"Unit {unit}: average for each speaker").mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("mean activation:Q", title="Average activation"),
        color=alt.Color("speaker:N", scale=_speaker_scale(len(means)), legend=None),
        tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("mean activation:Q", format=".3f")],
    ).properties(height=400)


def selectivity_ranking_chart(selectivity, speaker, *, unit: int | None = None) -> alt.Chart:
    """Every unit as a bar, most selective first, coloured by the speaker it singles out; clickable.

    Parameters
    ----------
    selectivity : array-like of shape (H,)
        :attr:`core.describe.UnitStats.selectivity` of each unit: negative for a unit that is *off* for its speaker.
        Bars are as tall as its absolute value and ordered by :func:`core.units.rank_units` of it.
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
    from .units import rank_units  # charts otherwise only needs frames

    selectivity, speaker = np.asarray(selectivity, dtype=float), np.asarray(speaker, dtype=int)
    if selectivity.ndim != 1 or speaker.shape != selectivity.shape:
        raise ValueError(f"selectivity and speaker must both have shape (H,); got {selectivity.shape} and "
                         f"{speaker.shape}")
    order = rank_units(np.abs(selectivity))  # (H,) 0-based, most selective first
    data = pd.DataFrame({"rank": np.arange(1, len(order) + 1), "unit": order + 1,
                         "strength": np.abs(selectivity[order]), "speaker": speaker[order],
                         "direction": np.where(selectivity[order] < 0, "off", "on")})
    x = alt.X("unit:O", sort=[int(u) for u in order + 1], title="Hidden unit, most selective first",
              axis=alt.Axis(labelOverlap=True, labelAngle=0))
    title = ""
    if unit is not None:
        if not 1 <= int(unit) <= len(order):
            raise ValueError(f"unit must be from 1 to {len(order)}, got {unit!r}")
        rank = int(np.flatnonzero(order == int(unit) - 1)[0]) + 1
        title = f"Unit {int(unit)} (dashed line) is number {rank} of {len(order)}"
    bars = alt.Chart(data, title=title).mark_bar().encode(
        x=x,
        y=alt.Y("strength:Q", title="Selectivity"),
        color=alt.Color("speaker:N", scale=_speaker_scale(),
                        legend=alt.Legend(title="Singles out speaker", orient="top", direction="horizontal",
                                          titleOrient="left")),
        tooltip=[alt.Tooltip("unit:O"), alt.Tooltip("rank:Q"),
                 alt.Tooltip("strength:Q", title="selectivity", format=".2f"),
                 alt.Tooltip("speaker:N", title="singles out speaker"),
                 alt.Tooltip("direction:N", title="on or off for that speaker")],
    ).add_params(alt.selection_point(name="pick", fields=["unit"], on="click"))
    marker = None
    if unit is not None:
        marker = alt.Chart(pd.DataFrame({"unit": [int(unit)]})).mark_rule(
            color=MARKER_COLOUR, strokeWidth=3, strokeDash=[4, 3]).encode(x=x)
    return _layer(bars, marker).properties(height=280)


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
    data = pd.concat([pd.DataFrame({"speaker": speakers, "network": name, "right": right, "recordings": totals,
                                    "share": right / totals})
                      for name, right in zip(networks, (right_before, right_after))], ignore_index=True)
    return alt.Chart(data, title="Share of each speaker's test recordings named right").mark_bar().encode(
        x=alt.X("speaker:O", title="Speaker", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("network:N", sort=networks),
        y=alt.Y("share:Q", title="Named right", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("network:N", sort=networks, title="Network",
                        scale=alt.Scale(domain=networks, range=list(ABLATION_COLOURS.values()))),
        tooltip=[alt.Tooltip("speaker:O"), alt.Tooltip("network:N"), alt.Tooltip("right:Q"),
                 alt.Tooltip("recordings:Q"), alt.Tooltip("share:Q", format=".0%")],
    ).properties(height=260)


__all__ += ["ABLATION_COLOURS", "unit_lines_chart", "speaker_means_chart", "selectivity_ranking_chart",
            "ablation_speakers_chart"]
