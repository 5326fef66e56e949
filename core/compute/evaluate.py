"""Whole-split results: traces of every sequence, accuracy, confusion, when a decision settles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cache import DiskCache, default_cache
from .checks import check_type, real_array
from .data import Dataset
from .datasets import load_dataset
from .model import LSTMClassifier, model_fingerprint
from .stepper import GATE_NAMES, BatchTrace, run_batch

__all__ = [
    "SplitScore",
    "score_split",
    "parameter_count",
    "split_traces",
    "accuracy",
    "confusion_matrix",
    "settling_step",
    "layer_table",
]


def split_traces(
    model: LSTMClassifier,
    split: str,
    *,
    dataset: Dataset | None = None,
    cache: DiskCache | None = None,
) -> BatchTrace:
    """Traces of every sequence of a split, from the disk cache when it has them.

    Parameters
    ----------
    model : LSTMClassifier
        Reads the data set's channels (``config.n_features``).
    split : {"train", "test"}
    dataset : Dataset, optional
        Japanese Vowels by default. A shipped data set's traces are disk-cached under the model's and the data's
        fingerprints and the split; an uploaded one's (``dataset.shipped`` False) are computed and never written.
    cache : DiskCache, optional
        Defaults to :func:`core.compute.cache.default_cache`.

    Returns
    -------
    BatchTrace
        hidden (N, T_max, H), cell, gates (N, T_max, 4, H), probs (N, T_max, C), lengths (N,).
    """
    dataset = load_dataset() if dataset is None else dataset
    check_type(dataset, Dataset, "dataset")
    sequences = dataset.split(split).sequences
    if not dataset.shipped:
        return run_batch(model, sequences)
    cache = cache or default_cache()
    return cache.get_or_compute(
        "split_traces",
        (model_fingerprint(model), dataset.fingerprint, split),
        lambda: run_batch(model, sequences),
        code=run_batch,
    )


def _classes(values, name: str, n_classes: int) -> np.ndarray:
    """``values`` as an int array of classes 1 to ``n_classes``, or a ValueError naming ``name``.

    Whole-number floats are accepted (labels read from a table often are); 1.7 or NaN is not a class, and
    truncating it would count it as another class.
    """
    if values is None:
        raise ValueError(f"{name} must be an array of classes, got None")
    arr = real_array(values, name, not_numbers=ValueError)
    if arr.size and (np.any(arr != np.round(arr)) or arr.min() < 1 or arr.max() > n_classes):
        raise ValueError(
            f"{name} must hold whole-number classes between 1 and {n_classes}, got values from "
            f"{arr.min():g} to {arr.max():g}"
        )
    return arr.astype(int)


def accuracy(predicted, labels, n_classes: int) -> float:
    """Fraction of ``predicted`` equal to ``labels``.

    Parameters
    ----------
    predicted, labels : array-like of shape (n,), int
        Classes 1 to ``n_classes``.
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``).

    Returns
    -------
    float
    """
    predicted, labels = _classes(predicted, "predicted", n_classes), _classes(labels, "labels", n_classes)
    if predicted.shape != labels.shape or predicted.size == 0:
        raise ValueError(
            f"predicted and labels must have the same non-empty shape, got {predicted.shape} and {labels.shape}"
        )
    return float(np.mean(predicted == labels))


def confusion_matrix(predicted, labels, n_classes: int) -> np.ndarray:
    """Counts of (true class, predicted class).

    Parameters
    ----------
    predicted, labels : array-like of shape (n,), int
        Classes 1 to ``n_classes``.
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``).

    Returns
    -------
    ndarray of shape (C, C), int
        Row ``i`` is true class ``i + 1``, column ``j`` predicted class ``j + 1``.
    """
    predicted, labels = _classes(predicted, "predicted", n_classes), _classes(labels, "labels", n_classes)
    if predicted.shape != labels.shape:
        raise ValueError(f"predicted and labels must have the same shape, got {predicted.shape} and {labels.shape}")
    counts = np.zeros((n_classes, n_classes), int)
    np.add.at(counts, (labels - 1, predicted - 1), 1)
    return counts


def settling_step(predictions) -> int:
    """The first step (1-based) from which the prediction never changes again.

    Parameters
    ----------
    predictions : array-like of shape (T,)
        Predicted class after each step.

    Returns
    -------
    int
        1 if the first prediction is already the final one, T if it changes at the very end.
    """
    predictions = np.asarray(predictions)
    if predictions.ndim != 1 or predictions.size == 0:
        raise ValueError(f"predictions must be a non-empty 1-D array, got shape {predictions.shape}")
    changed = np.flatnonzero(predictions != predictions[-1])
    return int(changed[-1]) + 2 if changed.size else 1


@dataclass(frozen=True)
class SplitScore:
    """How a model does on one split.

    Attributes
    ----------
    predicted : ndarray of shape (n,)
        Predicted class of each sequence (after its last step).
    accuracy : float
    n_wrong : int
    confusion : ndarray of shape (C, C)
        See :func:`confusion_matrix`.
    """

    predicted: np.ndarray
    accuracy: float
    n_wrong: int
    confusion: np.ndarray


def score_split(batch: BatchTrace, labels) -> SplitScore:
    """Score the final predictions of ``batch`` (a whole split) against ``labels``.

    Parameters
    ----------
    batch : BatchTrace
        probs (n, T_max, C): the class count C comes from the network's outputs.
    labels : array-like of shape (n,), int
        Classes 1 to C.

    Returns
    -------
    SplitScore
        ``confusion`` of shape (C, C).
    """
    check_type(batch, BatchTrace, "batch")
    n_classes = batch.probs.shape[-1]
    predicted = batch.final_predictions  # (n,)
    labels = np.asarray(labels)
    return SplitScore(
        predicted,
        accuracy(predicted, labels, n_classes),
        int(np.sum(predicted != labels)),
        confusion_matrix(predicted, labels, n_classes),
    )


def parameter_count(model: LSTMClassifier) -> int:
    """Number of learnable numbers in the model (46,509 for 100 hidden units: PyTorch keeps two LSTM biases)."""
    check_type(model, LSTMClassifier, "model")
    return int(sum(p.numel() for p in model.parameters()))


def layer_table(model: LSTMClassifier, class_word: str = "speaker") -> list[dict]:
    """The layers as MATLAB's ``net.Layers`` lists them.

    Parameters
    ----------
    model : LSTMClassifier
    class_word : str
        What a class is (:attr:`core.compute.data.DatasetInfo.class_word`), for the output layer's description.

    Returns
    -------
    list of dict
        Keys ``name``, ``type``, ``description``, ``output size``, ``learnables``
        (a short text of the learnable shapes) and ``parameters`` (a count).
    """
    check_type(model, LSTMClassifier, "model")
    cfg = model.config
    fc_params = sum(p.numel() for p in model.fc.parameters())
    H, F, C, L = cfg.hidden_size, cfg.n_features, cfg.n_classes, cfg.num_layers
    gates = ", ".join(GATE_NAMES)
    lstm_rows = []
    for layer in range(L):  # layer 0 reads the F inputs, each layer above the H hidden states below it
        inputs = F if layer == 0 else H
        params = sum(
            getattr(model.lstm, f"{kind}_l{layer}").numel() for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )
        reads = "" if layer == 0 else f"; reads the hidden states of lstm_{layer}"
        lstm_rows.append(
            dict(
                name="lstm" if L == 1 else f"lstm_{layer + 1}",
                type="LSTM",
                description=f"LSTM with {H} hidden units ({gates} gates){reads}"
                + ("; the last step's output is used" if layer == L - 1 else ""),
                **{
                    "output size": f"{H}",
                    "learnables": f"InputWeights {4 * H}x{inputs}, RecurrentWeights {4 * H}x{H}, Bias {4 * H}x1 "
                    f"(two PyTorch bias vectors of {4 * H})",
                    "parameters": int(params),
                },
            )
        )
    return [
        dict(
            name="sequenceinput",
            type="Sequence Input",
            description=f"Sequence input with {F} dimensions, normalised with the training mean and standard deviation",
            **{"output size": f"{F} x T", "learnables": "-", "parameters": 0},
        ),
        *lstm_rows,
        dict(
            name="fc",
            type="Fully Connected",
            description=f"fully connected layer: {C} scores, one per class",
            **{"output size": f"{C}", "learnables": f"Weights {C}x{H}, Bias {C}x1", "parameters": int(fc_params)},
        ),
        dict(
            name="softmax",
            type="Softmax",
            description=f"softmax: turns the {C} scores into probabilities",
            **{"output size": f"{C}", "learnables": "-", "parameters": 0},
        ),
        dict(
            name="classoutput",
            type="Classification Output",
            description=f"the {class_word} with the highest probability (1 to {C})",
            **{"output size": "1", "learnables": "-", "parameters": 0},
        ),
    ]
