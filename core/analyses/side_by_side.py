"""Two networks side by side on one split: each one's accuracy and confusion, and the recordings on which their
final answers disagree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.checks import check_type
from ..compute.data import Split
from ..compute.evaluate import SplitScore, score_split
from ..compute.model import LSTMClassifier
from ..compute.stepper import BatchTrace, run_batch

__all__ = ["NetworkComparison", "compare_networks", "compare_models"]


@dataclass(frozen=True)
class NetworkComparison:
    """How two networks do on the same recordings.

    Attributes
    ----------
    a, b : SplitScore
        Each network's predictions (n,), accuracy, number wrong and confusion (C, C).
    labels : ndarray of shape (n,), int
        The true classes, 1 to C.
    disagree : ndarray of shape (k,), int
        0-based indices, ascending, of the recordings whose final answers differ.
    """

    a: SplitScore
    b: SplitScore
    labels: np.ndarray
    disagree: np.ndarray

    @property
    def only_a_right(self) -> np.ndarray:
        """Indices (k_a,) among :attr:`disagree` where network a is right (and so b is wrong)."""
        return self.disagree[self.a.predicted[self.disagree] == self.labels[self.disagree]]

    @property
    def only_b_right(self) -> np.ndarray:
        """Indices (k_b,) among :attr:`disagree` where network b is right (and so a is wrong)."""
        return self.disagree[self.b.predicted[self.disagree] == self.labels[self.disagree]]


def compare_networks(batch_a: BatchTrace, batch_b: BatchTrace, labels) -> NetworkComparison:
    """Score two networks' traces of the same recordings and find where their final answers differ.

    Parameters
    ----------
    batch_a, batch_b : BatchTrace
        Traces of the same n recordings, in the same order, by two networks with the same C classes.
    labels : array-like of shape (n,), int
        True classes, 1 to C.

    Returns
    -------
    NetworkComparison
    """
    check_type(batch_a, BatchTrace, "batch_a")
    check_type(batch_b, BatchTrace, "batch_b")
    if len(batch_a) != len(batch_b) or not np.array_equal(batch_a.lengths, batch_b.lengths):
        raise ValueError(
            f"batch_a and batch_b must trace the same recordings: got {len(batch_a)} and {len(batch_b)} recordings"
            + (" of different lengths" if len(batch_a) == len(batch_b) else "")
        )
    if batch_a.probs.shape[-1] != batch_b.probs.shape[-1]:
        raise ValueError(
            f"the two networks must have the same classes: {batch_a.probs.shape[-1]} and {batch_b.probs.shape[-1]}"
        )
    score_a, score_b = score_split(batch_a, labels), score_split(batch_b, labels)
    disagree = np.flatnonzero(score_a.predicted != score_b.predicted)  # (k,)
    return NetworkComparison(score_a, score_b, np.asarray(labels).astype(int), disagree)


def compare_models(model_a: LSTMClassifier, model_b: LSTMClassifier, split: Split) -> NetworkComparison:
    """:func:`compare_networks` of two networks run over every recording of ``split``.

    Parameters
    ----------
    model_a, model_b : LSTMClassifier
        With the split's channels and classes.
    split : Split
        Sequences (F, T_i) and labels (n,).

    Returns
    -------
    NetworkComparison
    """
    check_type(model_a, LSTMClassifier, "model_a")
    check_type(model_b, LSTMClassifier, "model_b")
    check_type(split, Split, "split")
    return compare_networks(run_batch(model_a, split.sequences), run_batch(model_b, split.sequences), split.labels)
