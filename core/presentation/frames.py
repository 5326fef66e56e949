"""Arrays turned into the pandas tables that charts draw and users download.

One function per table, so that a chart and its CSV download always show the
same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..compute.checks import counted
from ..compute.data import N_FEATURES, DatasetInfo
from ..compute.datasets import DEFAULT_DATASET, dataset_info
from ..compute.evaluate import layer_table
from ..compute.model import LSTMClassifier

__all__ = [
    "words",
    "feature_names",
    "features_frame",
    "features_long",
    "MAX_COLUMNS",
    "column_block",
    "features_envelope",
    "heatmap_long",
    "probs_long",
    "history_long",
    "predictions_frame",
    "changed_units_frame",
    "layers_frame",
]


def words(info: DatasetInfo | None = None) -> DatasetInfo:
    """``info``, or the default data set's (Japanese Vowels) when it is None: the words a table or chart uses."""
    return dataset_info(DEFAULT_DATASET) if info is None else info


def _check_classes(n_classes: int, info: DatasetInfo) -> None:
    if n_classes != info.n_classes:
        raise ValueError(f"{info.title} has {info.n_classes} classes, but the probabilities have {n_classes}")


def feature_names(n: int | None = None, *, info: DatasetInfo | None = None) -> list[str]:
    """The names of a data set's channels (features), in order.

    Parameters
    ----------
    n : int, optional
        F, the number of channels; by default the data set's, or 12 without one.
    info : DatasetInfo, optional
        The data set; its ``channel_names`` are the names. Without it the names are
        ``["channel 1", ..., "channel n"]``.

    Returns
    -------
    list of str, length F
    """
    if info is None:
        return [f"channel {i}" for i in range(1, (N_FEATURES if n is None else n) + 1)]
    names = list(info.channel_names)
    if n is not None and n != len(names):
        raise ValueError(f"{info.title} has {len(names)} channels, not {n}")
    return names


def features_frame(x: np.ndarray, *, info: DatasetInfo | None = None) -> pd.DataFrame:
    """A raw sequence as a table: one row per time step, one column per feature.

    Parameters
    ----------
    x : ndarray of shape (F, T)
    info : DatasetInfo, optional
        Names the columns (see :func:`feature_names`).

    Returns
    -------
    DataFrame with columns ``step`` (1-based) and the F channel names (``channel 1`` .. ``channel 12``
    without ``info``).
    """
    frame = pd.DataFrame(np.asarray(x).T, columns=feature_names(x.shape[0], info=info))
    frame.insert(0, "step", np.arange(1, x.shape[1] + 1))
    return frame


def features_long(x: np.ndarray, *, first_step: int = 1, info: DatasetInfo | None = None) -> pd.DataFrame:
    """Long form of :func:`features_frame`: columns ``step`` (from ``first_step``), ``channel``, ``value``
    (F * T rows)."""
    frame = features_frame(x, info=info).melt(id_vars="step", var_name="channel", value_name="value")
    frame["step"] += first_step - 1
    return frame


MAX_COLUMNS = 300  # a recording longer than this is drawn in blocks of steps: more would be a solid block


def column_block(n_steps: int) -> int:
    """Steps per drawn column so that a recording of ``n_steps`` takes at most :data:`MAX_COLUMNS` columns:
    ``ceil(n_steps / MAX_COLUMNS)`` (1 up to 300 steps)."""
    return max(1, -(-int(n_steps) // MAX_COLUMNS))


def features_envelope(x: np.ndarray, *, first_step: int = 1, info: DatasetInfo | None = None) -> pd.DataFrame:
    """A long recording summarised block by block for drawing: each channel's mean, lowest and highest value
    over every :func:`column_block` steps.

    Parameters
    ----------
    x : ndarray of shape (F, T)
    first_step : int
        The number of ``x``'s first step (a window of a longer recording starts later).
    info : DatasetInfo, optional
        Names the channels (see :func:`feature_names`).

    Returns
    -------
    DataFrame
        Columns ``step`` (the block's first step), ``last step``, ``channel`` (its name), ``mean``,
        ``low``, ``high``; one row per block and channel, at most :data:`MAX_COLUMNS` blocks.
    """
    x = np.asarray(x, dtype=float)
    F, T = x.shape
    k = column_block(T)
    n = -(-T // k)
    starts = np.arange(n) * k  # (n,) 0-based
    sizes = np.minimum(starts + k, T) - starts  # (n,) the last block may be shorter
    return pd.DataFrame(
        {
            "step": np.tile(starts + first_step, F),
            "last step": np.tile(starts + sizes + first_step - 1, F),
            "channel": np.repeat(feature_names(F, info=info), n),
            "mean": (np.add.reduceat(x, starts, axis=1) / sizes).ravel(),  # (F, n) -> (F n,), channel by channel
            "low": np.minimum.reduceat(x, starts, axis=1).ravel(),
            "high": np.maximum.reduceat(x, starts, axis=1).ravel(),
        }
    )


def heatmap_long(values: np.ndarray, units, *, first_step: int = 1) -> pd.DataFrame:
    """Unit x step values in long form.

    Parameters
    ----------
    values : ndarray of shape (T, U)
        One column per unit shown.
    units : sequence of int, length U
        The units' numbers, 1-based.
    first_step : int
        Number of the first row's time step.

    Returns
    -------
    DataFrame with columns ``unit``, ``step``, ``value`` (T * U rows).
    """
    values = np.asarray(values)
    units = np.asarray(units)
    if values.ndim != 2 or values.shape[1] != len(units):
        raise ValueError(f"values must have shape (T, {len(units)}), got {values.shape}")
    T = values.shape[0]
    return pd.DataFrame(
        {
            "unit": np.tile(units, T),
            "step": np.repeat(np.arange(first_step, first_step + T), len(units)),
            "value": values.ravel(),
        }
    )


def probs_long(probs: np.ndarray, *, info: DatasetInfo | None = None) -> pd.DataFrame:
    """Class probabilities after each step in long form.

    Parameters
    ----------
    probs : ndarray of shape (T, C)
    info : DatasetInfo, optional
        The data set, with C classes; its class word names the class column. Japanese Vowels by default.

    Returns
    -------
    DataFrame with columns ``step`` (1-based), the class word (``speaker``, ``activity``, ...; the 1-based
    class), ``probability``.
    """
    info = words(info)
    T, C = probs.shape
    _check_classes(C, info)
    return pd.DataFrame(
        {
            "step": np.repeat(np.arange(1, T + 1), C),
            info.class_word: np.tile(np.arange(1, C + 1), T),
            "probability": np.asarray(probs).ravel(),
        }
    )


def history_long(history: list[dict]) -> pd.DataFrame:
    """Training history (one dict per reported epoch) in long form: ``epoch``, ``measure``, ``value``; the
    held-out accuracy only when the training held some recordings out."""
    frame = pd.DataFrame(history)
    names = {
        "loss": "training loss",
        "train_accuracy": "training accuracy",
        "validation_accuracy": "held-out accuracy",
        "test_accuracy": "test accuracy",
    }
    names = {column: name for column, name in names.items() if column in frame and frame[column].notna().any()}
    return frame[["epoch", *names]].rename(columns=names).melt(id_vars="epoch", var_name="measure", value_name="value")


def predictions_frame(probs: np.ndarray, *, info: DatasetInfo | None = None) -> pd.DataFrame:
    """The decision after each step: ``step``, ``predicted <class word>`` (its name), ``probability`` of it.

    Parameters
    ----------
    probs : ndarray of shape (T, C)
    info : DatasetInfo, optional
        The data set, with C classes: its class word and class names. Japanese Vowels by default.

    Returns
    -------
    DataFrame of shape (T, 3)
        E.g. columns ``step``, ``predicted activity`` ("running", ...), ``probability``.
    """
    info = words(info)
    _check_classes(np.shape(probs)[1], info)
    best = np.asarray(probs).argmax(axis=1)  # (T,)
    return pd.DataFrame(
        {
            "step": np.arange(1, len(best) + 1),
            f"predicted {info.class_word}": [info.class_names[b] for b in best],
            "probability": np.asarray(probs)[np.arange(len(best)), best],
        }
    )


def changed_units_frame(parting) -> pd.DataFrame:
    """The hidden units that changed most between an original and an edited recording, after the last step.

    Parameters
    ----------
    parting : core.analyses.flip.Parting
        ``units`` (n,) 0-based, ``before``, ``after`` (n,).

    Returns
    -------
    DataFrame of shape (n, 4)
        Columns ``unit`` (1-based), ``original``, ``edited``, ``change`` (edited - original).
    """
    return pd.DataFrame(
        {
            "unit": np.asarray(parting.units, dtype=int) + 1,
            "original": parting.before,
            "edited": parting.after,
            "change": parting.change,
        }
    )


def layers_frame(model: LSTMClassifier, *, info: DatasetInfo | None = None) -> pd.DataFrame:
    """The network's layers in plain words, in the order a time step's numbers pass through them (the rows of
    :func:`core.compute.evaluate.layer_table`, MATLAB's ``net.Layers``).

    Parameters
    ----------
    model : LSTMClassifier
    info : DatasetInfo, optional
        Its data set, for the class word; Japanese Vowels by default.

    Returns
    -------
    DataFrame of shape (L + 4, 4)
        Columns ``layer``, ``what it does``, ``numbers out`` (text: "12 per time step", "9") and ``learnt numbers``
        (the layer's parameters), for the input, the L LSTM layers, the fully connected layer, the softmax and
        the answer.
    """
    info = words(info)
    rows = layer_table(model, class_word=info.class_word)  # input, L LSTM layers, fc, softmax, answer
    cfg = model.config
    F, H, C, L = cfg.n_features, cfg.hidden_size, cfg.n_classes, cfg.num_layers
    lstm = []
    for layer in range(L):
        reads = "the recording" if layer == 0 else f"the hidden units of LSTM layer {layer}"
        passes = "; after the last step its memory goes to the next layer" if layer == L - 1 else ""
        lstm.append(
            (
                "LSTM" if L == 1 else f"LSTM layer {layer + 1}",
                f"Reads {reads} step by step and keeps a running memory in {counted(H, 'hidden unit')}, each with "
                f"input, forget, cell candidate and output gates{passes}",
                f"{H} per time step",
            )
        )
    plain = [
        (
            "Input",
            f"Takes the {counted(F, 'channel')} of each time step, {'each ' * (F > 1)}scaled by the mean and spread "
            "of the training recordings",
            f"{F} per time step",
        ),
        *lstm,
        (
            "Fully connected",
            f"Turns the memory after the last step into {counted(C, 'score')}, one per {info.class_word}",
            f"{C}",
        ),
        ("Softmax", f"Turns the {C} scores into probabilities that add up to 100%", f"{C}"),
        ("Answer", f"Names the {info.class_word} with the highest probability", "1"),
    ]
    return pd.DataFrame(
        {
            "layer": [p[0] for p in plain],
            "what it does": [p[1] for p in plain],
            "numbers out": [p[2] for p in plain],
            "learnt numbers": [int(row["parameters"]) for row in rows],
        }
    )
