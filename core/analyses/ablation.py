"""What the network loses when hidden units are silenced (their output forced to zero)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.cache import DiskCache, default_cache
from ..compute.checks import check_layer, check_type
from ..compute.data import Split, split_fingerprint
from ..compute.model import LSTMClassifier, model_fingerprint
from ..compute.shipped_results import shipped_result
from ..compute.stepper import Trace, run_batch, run_sequence

__all__ = [
    "UnitEffects",
    "compare_trajectories",
    "single_unit_effects",
]


def _check_inputs(model, split) -> Split:
    check_type(model, LSTMClassifier, "model")
    if not isinstance(split, Split):
        raise TypeError(
            f"split must be a core.compute.data.Split (e.g. load_dataset().test), got {type(split).__name__}"
        )
    return split


def compare_trajectories(
    model: LSTMClassifier, x, silenced, silence_from: int = 0, *, silenced_layer: int = -1
) -> tuple[Trace, Trace]:
    """One sequence run plainly and with some units of one layer silenced.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T)
    silenced : array-like of int or bool mask (H,)
    silence_from : int
    silenced_layer : int
        The layer (0-based, bottom first; -1 is the top) whose units ``silenced`` are.

    Returns
    -------
    before, after : Trace
        Each with the top layer's hidden (T, H), cell (T, H), gates (T, 4, H), probs (T, C).
    """
    after = run_sequence(model, x, silenced=silenced, silence_from=silence_from, silenced_layer=silenced_layer)
    return run_sequence(model, x), after


@dataclass(frozen=True)
class UnitEffects:
    """What silencing each unit of one layer alone, from the first step, does over a split.

    Attributes
    ----------
    cost : ndarray of shape (H,), int
        Recordings the network gets right minus those it gets right with the unit silenced: right answers
        lost (negative: gained).
    class_drop : ndarray of shape (H, C)
        For each class, the mean over that class's recordings of how far its probability after the last step
        falls when the unit is silenced (negative: rises); 0 for a class without recordings in the split.
    """

    cost: np.ndarray
    class_drop: np.ndarray


def _compute_single_unit_effects(model: LSTMClassifier, split: Split, layer: int = -1) -> UnitEffects:
    labels = np.asarray(split.labels)
    C = model.config.n_classes
    of_class = labels[:, None] == np.arange(1, C + 1)[None, :]  # (N, C)
    counts = np.maximum(of_class.sum(axis=0), 1)  # (C,)

    def final(silenced):
        batch = run_batch(model, split.sequences, silenced=silenced, silenced_layer=layer)
        return batch.final_probs, batch.final_predictions  # (N, C), (N,)

    plain_probs, plain_predictions = final(None)
    right = int(np.sum(plain_predictions == labels))
    cost, drop = [], []
    for unit in range(model.config.hidden_size):
        probs, predictions = final([unit])
        cost.append(right - int(np.sum(predictions == labels)))
        fall = (plain_probs - probs)[np.arange(len(labels)), labels - 1]  # (N,): each recording's own class
        drop.append((fall[:, None] * of_class).sum(axis=0) / counts)  # (C,)
    return UnitEffects(np.array(cost, dtype=np.int64), np.array(drop))


def single_unit_effects(
    model: LSTMClassifier, split: Split, *, layer: int = -1, cache: DiskCache | None = None
) -> UnitEffects:
    """What silencing each unit of one layer alone, from the first step, does to the answers over a split:
    right answers lost, and how far each class's probability falls on its own recordings.

    The shipped networks' effects on the test split are read from the file shipped beside their checkpoints
    (:mod:`core.compute.shipped_results`); others are kept in the disk cache under the model's fingerprint and
    the split's contents.

    Parameters
    ----------
    model : LSTMClassifier
    split : Split
    layer : int
        The layer whose units are silenced (0-based, bottom first; -1 is the top, the only one of a one-layer
        network).
    cache : DiskCache, optional
        Defaults to :func:`core.compute.cache.default_cache`.

    Returns
    -------
    UnitEffects
        ``cost`` (H,), ``class_drop`` (H, C).
    """
    split = _check_inputs(model, split)
    index = check_layer(layer, "layer", model.config.num_layers)
    cache = cache or default_cache()
    fingerprints = (model_fingerprint(model), split_fingerprint(split))
    H, C = model.config.hidden_size, model.config.n_classes
    if index == model.config.num_layers - 1:  # the shipped file holds the top layer's effects
        shipped = shipped_result(*fingerprints)
        if shipped is not None:
            effects = UnitEffects(shipped["single_unit_costs"], shipped["class_probability_drop"])
            if effects.cost.shape == (H,) and effects.class_drop.shape == (H, C):
                return effects
    return cache.get_or_compute(
        "single_unit_effects",
        (*fingerprints, index),
        lambda: _compute_single_unit_effects(model, split, index),
        code=_compute_single_unit_effects,
    )
