"""Which sequences the classifier gets wrong, optionally for one cell of the confusion matrix."""

from __future__ import annotations

import numpy as np

from ..compute.data import N_CLASSES

__all__ = ["misclassified"]


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
