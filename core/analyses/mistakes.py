"""Which sequences the classifier gets wrong, optionally for one cell of the confusion matrix, and which it is least
sure about."""

from __future__ import annotations

import numpy as np

from ..compute.data import N_CLASSES

__all__ = ["misclassified", "least_sure"]


def _check_class(value, name: str, n_classes: int) -> None:
    if value is not None and not (isinstance(value, (int, np.integer)) and 1 <= value <= n_classes):
        raise ValueError(f"{name} must be a class between 1 and {n_classes} or None, got {value!r}")


def misclassified(
    predicted, labels, true_class: int | None = None, predicted_class: int | None = None, n_classes: int = N_CLASSES
) -> np.ndarray:
    """Indices of the sequences whose prediction is not their label.

    Parameters
    ----------
    predicted : array-like of shape (N,), int
        Predicted class of each sequence, 1-based.
    labels : array-like of shape (N,), int
        True class of each sequence, 1-based.
    true_class, predicted_class : int, optional
        Keep only this confusion-matrix cell (row, column; 1-based). A cell on
        the diagonal holds no errors, so it gives an empty result.
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``); 9 for Japanese Vowels.

    Returns
    -------
    ndarray of shape (k,), int
        0-based sequence indices, ascending.
    """
    predicted, labels = np.asarray(predicted), np.asarray(labels)
    if predicted.ndim != 1 or predicted.shape != labels.shape:
        raise ValueError(
            f"predicted and labels must be 1-D with the same shape, got {predicted.shape} and {labels.shape}"
        )
    _check_class(true_class, "true_class", n_classes)
    _check_class(predicted_class, "predicted_class", n_classes)
    wrong = predicted != labels  # (N,)
    if true_class is not None:
        wrong &= labels == true_class
    if predicted_class is not None:
        wrong &= predicted == predicted_class
    return np.flatnonzero(wrong)


def least_sure(probs, k: int) -> np.ndarray:
    """The ``k`` sequences whose final answer the classifier was least sure of: its closest calls.

    Parameters
    ----------
    probs : array-like of shape (N, C)
        Final probabilities of each sequence.
    k : int
        How many to return (all N when there are fewer).

    Returns
    -------
    ndarray of shape (min(k, N),), int
        0-based sequence indices, the least sure first (the lower index first among equals).
    """
    probs = np.asarray(probs)
    if probs.ndim != 2 or probs.shape[1] == 0:
        raise ValueError(f"probs must have shape (N, C) with C >= 1, got {probs.shape}")
    if not (isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= 1):
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return np.argsort(probs.max(axis=1), kind="stable")[:k]
