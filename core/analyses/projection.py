"""Hidden-state trajectories in 2-D: a principal component analysis written with NumPy's SVD.

The projection is fitted once on every hidden state of the training split, so
that any sequence (a test recording or an uploaded one) is drawn in the same
plane and trajectories can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.cache import DiskCache, default_cache
from ..compute.checks import check_layer, check_type, real_array
from ..compute.data import Dataset
from ..compute.datasets import load_dataset
from ..compute.evaluate import split_traces
from ..compute.model import LSTMClassifier, model_fingerprint
from ..compute.stepper import BatchTrace

__all__ = ["PCA", "fit_pca", "project", "hidden_states", "fit_hidden_pca", "endings", "endings_grouped"]


@dataclass(frozen=True)
class PCA:
    """A fitted principal component analysis.

    Attributes
    ----------
    mean : ndarray of shape (H,)
    components : ndarray of shape (k, H)
        Orthonormal rows, by decreasing variance; each row's largest-magnitude entry is positive.
    explained_variance_ratio : ndarray of shape (k,)
        Share of the total variance along each component.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray


def fit_pca(states, n_components: int = 2) -> PCA:
    """Fit a PCA with a deterministic sign.

    Parameters
    ----------
    states : array-like of shape (M, H)
        One state per row; M >= 2.
    n_components : int
        Between 1 and min(M, H).

    Returns
    -------
    PCA
    """
    if states is None:  # np.asarray(None) would be a 0-d NaN
        raise ValueError("states must have shape (M, H) with M >= 2, got None")
    states = real_array(states, "states", finite=False, not_numbers=ValueError)
    if states.ndim != 2 or states.shape[0] < 2:
        raise ValueError(f"states must have shape (M, H) with M >= 2, got {states.shape}")
    if not np.isfinite(states).all():
        raise ValueError("states contain NaN or infinite values")
    if not isinstance(n_components, (int, np.integer)) or not 1 <= n_components <= min(states.shape):
        raise ValueError(f"n_components must be between 1 and {min(states.shape)}, got {n_components!r}")
    mean = states.mean(axis=0)  # (H,)
    _, singular_values, vt = np.linalg.svd(states - mean, full_matrices=False)  # vt: (min(M, H), H)
    variance = singular_values**2  # proportional to the variance along each direction
    if variance.sum() == 0:
        raise ValueError("states have no variance: every state is the same")
    components = vt[:n_components]  # (k, H)
    # SVD leaves each sign arbitrary; fix it so plots do not flip between runs or machines.
    largest = components[np.arange(n_components), np.abs(components).argmax(axis=1)]  # (k,)
    components = components * np.where(largest < 0, -1.0, 1.0)[:, None]
    return PCA(mean, components, variance[:n_components] / variance.sum())


def project(pca: PCA, states) -> np.ndarray:
    """Coordinates of states along the components.

    Parameters
    ----------
    pca : PCA
    states : array-like of shape (..., H)

    Returns
    -------
    ndarray of shape (..., k)
    """
    check_type(pca, PCA, "pca")
    states = real_array(states, "states", finite=False)
    if states.ndim == 0 or states.shape[-1] != pca.mean.shape[0]:
        raise ValueError(f"states must have shape (..., {pca.mean.shape[0]}), got {states.shape}")
    if not np.isfinite(states).all():
        raise ValueError("states contain NaN or infinite values")
    return (states - pca.mean) @ pca.components.T


def hidden_states(batch: BatchTrace) -> np.ndarray:
    """Every valid (non-padded) hidden state of a batch, sequence after sequence.

    Parameters
    ----------
    batch : BatchTrace
        ``hidden`` (N, T_max, H), ``lengths`` (N,).

    Returns
    -------
    ndarray of shape (sum(lengths), H)
    """
    check_type(batch, BatchTrace, "batch")
    valid = np.arange(batch.hidden.shape[1]) < np.asarray(batch.lengths)[:, None]  # (N, T_max)
    return batch.hidden[valid]


def fit_hidden_pca(
    model: LSTMClassifier,
    split: str = "train",
    *,
    n_components: int = 2,
    layer: int = -1,
    dataset: Dataset | None = None,
    cache: DiskCache | None = None,
) -> PCA:
    """The PCA of every hidden state of one layer over a split of a data set, from the disk cache when it has it
    (shipped data sets only).

    Parameters
    ----------
    model : LSTMClassifier
    split : {"train", "test"}
    n_components : int
    layer : int
        The layer whose hidden states are laid out (0-based, bottom first; -1 is the top).
    dataset : Dataset, optional
        Japanese Vowels by default. A shipped data set's PCA is disk-cached; an uploaded one's (``dataset.shipped``
        False) is computed and never written.
    cache : DiskCache, optional
        Defaults to :func:`core.compute.cache.default_cache`; namespace ``"hidden_pca"``.

    Returns
    -------
    PCA
        ``mean`` (H,), ``components`` (n_components, H).
    """
    check_type(model, LSTMClassifier, "model")
    index = check_layer(layer, "layer", model.config.num_layers)
    dataset = load_dataset() if dataset is None else dataset
    check_type(dataset, Dataset, "dataset")

    def fit() -> PCA:
        return fit_pca(
            hidden_states(split_traces(model, split, dataset=dataset, cache=cache).layer(index)), n_components
        )

    if not dataset.shipped:
        return fit()
    cache = cache or default_cache()
    key = (model_fingerprint(model), dataset.fingerprint, split, int(n_components), index)
    return cache.get_or_compute("hidden_pca", key, fit, code=fit_pca)


def endings(points, lengths) -> np.ndarray:
    """Where each recording's path ends: its point after its last step.

    Parameters
    ----------
    points : array-like of shape (N, T_max, 2)
        Paths on the map, zero-padded after each recording's end.
    lengths : array-like of shape (N,)
        Steps of each path, at least 1.

    Returns
    -------
    ndarray of shape (N, 2)
    """
    points = real_array(points, "points")
    if points.ndim != 3 or points.shape[2] != 2:
        raise ValueError(f"points must have shape (N, T_max, 2), got {points.shape}")
    lengths = np.asarray(lengths)
    if lengths.shape != (points.shape[0],) or np.any(lengths < 1) or np.any(lengths > points.shape[1]):
        raise ValueError(f"lengths must hold one length from 1 to {points.shape[1]} per path, got {lengths!r}")
    return points[np.arange(len(lengths)), lengths - 1]


def endings_grouped(train_ends, train_labels, test_ends, test_labels) -> float:
    """The share of test recordings whose path ends nearer the centre of their own class's training endings than
    any other class's centre: how far the map groups the recordings of a class where the network decides.

    Parameters
    ----------
    train_ends : array-like of shape (N, 2)
        :func:`endings` of the training recordings; their centres per class are the reference.
    train_labels : array-like of shape (N,)
        Classes 1 to C.
    test_ends : array-like of shape (M, 2)
    test_labels : array-like of shape (M,)

    Returns
    -------
    float
        0 to 1. A class without training recordings has no centre, so its test recordings count as not grouped.
    """
    train_ends, test_ends = real_array(train_ends, "train_ends"), real_array(test_ends, "test_ends")
    train_labels, test_labels = np.asarray(train_labels), np.asarray(test_labels)
    for name, ends, labels in (("train", train_ends, train_labels), ("test", test_ends, test_labels)):
        if ends.ndim != 2 or ends.shape[1] != 2 or labels.shape != (len(ends),) or not len(ends):
            raise ValueError(
                f"{name}_ends must have shape (N, 2) with one label each, got {ends.shape} and {labels.shape}"
            )
    classes = np.unique(train_labels)
    centres = np.stack([train_ends[train_labels == c].mean(axis=0) for c in classes])  # (C, 2)
    distance = np.linalg.norm(test_ends[:, None, :] - centres[None, :, :], axis=2)  # (M, C)
    return float(np.mean(classes[distance.argmin(axis=1)] == test_labels))
