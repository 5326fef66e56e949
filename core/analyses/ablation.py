"""What the network loses when hidden units are silenced (their output forced to zero)."""

from __future__ import annotations

import numpy as np

from ..compute.cache import DiskCache, default_cache
from ..compute.checks import check_type
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


def compare_trajectories(model: LSTMClassifier, x, silenced, silence_from: int = 0) -> tuple[Trace, Trace]:
    """One sequence run plainly and with some units silenced.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (12, T)
    silenced : array-like of int or bool mask (H,)
    silence_from : int

    Returns
    -------
    before, after : Trace
        Each with hidden (T, H), cell (T, H), gates (T, 4, H), probs (T, C).
    """
    return run_sequence(model, x), run_sequence(model, x, silenced=silenced, silence_from=silence_from)


def _correct_count(model: LSTMClassifier, split: Split, silenced) -> int:
    return int(np.sum(run_batch(model, split.sequences, silenced=silenced).final_predictions == split.labels))


def _compute_single_unit_costs(model: LSTMClassifier, split: Split) -> np.ndarray:
    plain = _correct_count(model, split, None)
    # right -> wrong minus wrong -> right is simply the drop in the number right.
    return np.array([plain - _correct_count(model, split, [unit]) for unit in range(model.config.hidden_size)])


def single_unit_costs(model: LSTMClassifier, split: Split, *, cache: DiskCache | None = None) -> np.ndarray:
    """Net sequences lost when each unit alone is silenced from the first step.

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
    cache : DiskCache, optional
        Defaults to :func:`core.compute.cache.default_cache`.

    Returns
    -------
    ndarray of shape (H,), int
    """
    split = _check_inputs(model, split)
    cache = cache or default_cache()
    key = (model_fingerprint(model), split_fingerprint(split))
    shipped = shipped_result("single_unit_costs", *key)
    if shipped is not None and shipped.shape == (model.config.hidden_size,):
        return shipped
    return cache.get_or_compute("single_unit_costs", key, lambda: _compute_single_unit_costs(model, split))
