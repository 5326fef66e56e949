"""What the network loses when hidden units are silenced (their output forced to zero)."""

from __future__ import annotations

import numpy as np

from ..compute.cache import DiskCache, default_cache
from ..compute.checks import check_layer, check_type
from ..compute.data import Split, split_fingerprint
from ..compute.model import LSTMClassifier, model_fingerprint
from ..compute.shipped_results import shipped_result
from ..compute.stepper import Trace, run_batch, run_sequence

__all__ = [
    "compare_trajectories",
    "single_unit_costs",
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


def _correct_count(model: LSTMClassifier, split: Split, silenced, layer: int) -> int:
    predictions = run_batch(model, split.sequences, silenced=silenced, silenced_layer=layer).final_predictions
    return int(np.sum(predictions == split.labels))


def _compute_single_unit_costs(model: LSTMClassifier, split: Split, layer: int = -1) -> np.ndarray:
    plain = _correct_count(model, split, None, layer)
    # right -> wrong minus wrong -> right is simply the drop in the number right.
    return np.array([plain - _correct_count(model, split, [unit], layer) for unit in range(model.config.hidden_size)])


def single_unit_costs(
    model: LSTMClassifier, split: Split, *, layer: int = -1, cache: DiskCache | None = None
) -> np.ndarray:
    """Net sequences lost when each unit of one layer alone is silenced from the first step.

    A unit's cost is the number of sequences that go from right to wrong when
    it is silenced, minus the number that go from wrong to right. It is
    negative for a unit whose silencing helps. The shipped network's costs on
    the test split are read from the file shipped beside its checkpoint
    (:mod:`core.compute.shipped_results`); others are kept in the disk cache under the
    model's fingerprint and the split's contents.

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
    ndarray of shape (H,), int
    """
    split = _check_inputs(model, split)
    index = check_layer(layer, "layer", model.config.num_layers)
    cache = cache or default_cache()
    fingerprints = (model_fingerprint(model), split_fingerprint(split))
    if index == model.config.num_layers - 1:  # the shipped file holds the top layer's costs
        shipped = shipped_result("single_unit_costs", *fingerprints)
        if shipped is not None and shipped.shape == (model.config.hidden_size,):
            return shipped
    return cache.get_or_compute(
        "single_unit_costs",
        (*fingerprints, index),
        lambda: _compute_single_unit_costs(model, split, index),
        code=_compute_single_unit_costs,
    )
