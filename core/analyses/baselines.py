"""What a network should beat: the nearest training recording's class (1-nearest-neighbour) and the most common
class; and the distance between two recordings they use.

Two recordings of different lengths are compared by stretching or squeezing both to one common length, each
channel linearly interpolated (:func:`resample`), and taking the Euclidean distance of all their values, in the
recordings' own units (:func:`distances`). The common length is the training split's longest recording, at most
:data:`MAX_COMMON_LENGTH` steps (:func:`common_length`), so that every comparison with one training split uses
the same rule: the 1-nearest-neighbour baseline and the nearest unlike neighbour of :mod:`core.analyses.flip`
agree on which training recording is nearest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..compute.checks import check_int, check_type, real_array
from ..compute.data import Split

__all__ = [
    "MAX_COMMON_LENGTH",
    "common_length",
    "resample",
    "distances",
    "nearest_neighbour_predictions",
    "nearest_neighbour_accuracy",
    "majority_class",
    "majority_accuracy",
    "SKILL_LEVEL",
    "SKILL_SHARE",
    "chance_of_at_least",
    "learned_little",
    "too_few_to_tell",
]

MAX_COMMON_LENGTH = 100  # steps every recording is resampled to, at most: 100 x channels values per recording
SKILL_LEVEL = 0.01  # a network has learned when always answering the most common class this rarely does as well
SKILL_SHARE = 0.2  # ... and it closes at least this share of the gap between that rule and a perfect score
_CHUNK_VALUES = 4_000_000  # queries x references distances computed at once (32 MB)


def common_length(training: Split) -> int:
    """The length every recording is resampled to before it is compared with those of ``training``.

    Parameters
    ----------
    training : Split

    Returns
    -------
    int
        The longest training recording's steps, at most :data:`MAX_COMMON_LENGTH`.
    """
    check_type(training, Split, "training")
    if len(training) == 0:
        raise ValueError("training has no recordings")
    return int(min(training.lengths.max(), MAX_COMMON_LENGTH))


def resample(x, length: int) -> np.ndarray:
    """One recording stretched or squeezed to ``length`` steps.

    Parameters
    ----------
    x : array-like of shape (F, T)
        Raw values, T >= 1.
    length : int
        Steps wanted, at least 1.

    Returns
    -------
    ndarray of shape (F, length), float64
        Step ``j`` (0-based) is ``x`` at position ``j (T - 1) / (length - 1)``, each channel linearly interpolated
        between its two nearest recorded steps; the first and last steps are kept. One recorded step is repeated;
        ``length`` 1 keeps the first step.
    """
    x = real_array(x, "x")
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (channels, T) with T >= 1, got {x.shape}")
    length = check_int(length, "length", 1, 10**6)
    n_steps = x.shape[1]
    positions = np.linspace(0, n_steps - 1, length) if length > 1 else np.zeros(1)  # (length,), 0-based
    return np.stack([np.interp(positions, np.arange(n_steps), row) for row in x])


def _flattened(recordings: Sequence, length: int, name: str) -> np.ndarray:
    """Each recording resampled to ``length`` steps and flattened, (N, F * length)."""
    if isinstance(recordings, np.ndarray) and recordings.ndim == 2:
        raise ValueError(f"{name} must be a list of (F, T) recordings, not one recording")
    rows = []
    for i, x in enumerate(recordings):
        try:
            rows.append(resample(x, length).ravel())
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{name}[{i}]: {exc}") from exc
    if not rows:
        raise ValueError(f"{name} is empty")
    if len({r.size for r in rows}) != 1:
        raise ValueError(f"{name}: every recording must have the same number of channels")
    return np.stack(rows)


def distances(queries: Sequence, references: Sequence, *, length: int) -> np.ndarray:
    """The Euclidean distance between every query and every reference, both resampled to ``length`` steps.

    Parameters
    ----------
    queries : sequence of array-like, each (F, T_i)
    references : sequence of array-like, each (F, T_j)
        The same channels as the queries.
    length : int
        The common length (:func:`common_length` of the training split the references come from).

    Returns
    -------
    ndarray of shape (Q, N)
        ``sqrt(sum((resample(q) - resample(r)) ** 2))`` over all channels and steps.
    """
    length = check_int(length, "length", 1, 10**6)
    q = _flattened(queries, length, "queries")  # (Q, D)
    r = _flattened(references, length, "references")  # (N, D)
    if q.shape[1] != r.shape[1]:
        raise ValueError(
            f"queries have {q.shape[1] // length} channels and references {r.shape[1] // length}: they must agree"
        )
    q_sq, r_sq = (q**2).sum(axis=1), (r**2).sum(axis=1)  # (Q,), (N,)
    out = np.empty((len(q), len(r)))
    chunk = max(1, _CHUNK_VALUES // len(r))
    for start in range(0, len(q), chunk):
        part = slice(start, start + chunk)
        squared = q_sq[part, None] + r_sq[None, :] - 2.0 * (q[part] @ r.T)  # (chunk, N)
        out[part] = np.sqrt(np.maximum(squared, 0.0))
    return out


def _check_splits(training: Split, test: Split) -> None:
    check_type(training, Split, "training")
    check_type(test, Split, "test")
    for name, split in (("training", training), ("test", test)):
        if len(split) == 0:
            raise ValueError(f"{name} has no recordings")
        if len(split.labels) != len(split):
            raise ValueError(f"{name} has {len(split)} recordings but {len(split.labels)} labels")


def nearest_neighbour_predictions(training: Split, test: Split) -> np.ndarray:
    """Each test recording's answer by the 1-nearest-neighbour rule: the class of the nearest training recording.

    Parameters
    ----------
    training, test : Split
        Recordings of the same channels; labels 1 to C.

    Returns
    -------
    ndarray of shape (N_test,), int
        The label of the training recording at the smallest :func:`distances` (resampled to
        :func:`common_length` of ``training``); of two at the same distance, the earlier one.
    """
    _check_splits(training, test)
    d = distances(test.sequences, training.sequences, length=common_length(training))  # (N_test, N_train)
    return np.asarray(training.labels, dtype=int)[d.argmin(axis=1)]


def nearest_neighbour_accuracy(training: Split, test: Split) -> float:
    """The share (0 to 1) of test recordings whose nearest training recording has their class
    (:func:`nearest_neighbour_predictions`)."""
    predictions = nearest_neighbour_predictions(training, test)
    return float(np.mean(predictions == np.asarray(test.labels)))


def majority_class(training: Split) -> int:
    """The most common label (1-based) of ``training``; of two equally common, the smaller."""
    check_type(training, Split, "training")
    labels = np.asarray(training.labels, dtype=int)
    if labels.size == 0:
        raise ValueError("training has no recordings")
    values, counts = np.unique(labels, return_counts=True)
    return int(values[counts.argmax()])


def majority_accuracy(training: Split, test: Split) -> float:
    """The share (0 to 1) of test recordings whose class is :func:`majority_class` of ``training``: what
    answering that class every time scores."""
    _check_splits(training, test)
    return float(np.mean(np.asarray(test.labels) == majority_class(training)))


def chance_of_at_least(k: int, n: int, p: float) -> float:
    """The probability of ``k`` or more successes in ``n`` independent tries that each succeed with probability
    ``p`` (the upper tail of the binomial distribution), computed exactly in log space.

    Parameters
    ----------
    k, n : int
        0 <= k <= n.
    p : float
        0 to 1.

    Returns
    -------
    float
    """
    n = check_int(n, "n", 0, 10**9)
    k = check_int(k, "k", 0, n)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be between 0 and 1, got {p!r}")
    if p in (0.0, 1.0):
        return float(k == 0 or p == 1.0)
    i = np.arange(k, n + 1)
    log_terms = (
        np.array([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in i])
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
    )
    top = log_terms.max()
    return float(min(1.0, math.exp(top) * np.exp(log_terms - top).sum()))


def learned_little(n_right: int, n_test: int, majority: float) -> bool:
    """True when a network that names ``n_right`` of ``n_test`` test recordings right is not clearly better than
    always answering the training set's most common class, which names a share ``majority`` of them right.

    Clearly better means both: such a rule would get as many right by luck with a probability below
    :data:`SKILL_LEVEL` (:func:`chance_of_at_least`), and the network closes at least :data:`SKILL_SHARE` of the
    gap between that rule and a perfect score (a two-class set answered 50 % by the rule needs 60 %).
    """
    ahead, beyond_luck = _ahead_and_beyond_luck(n_right, n_test, majority)
    return not (ahead and beyond_luck)


def too_few_to_tell(n_right: int, n_test: int, majority: float) -> bool:
    """True when a network is ahead of always answering the most common class (which names a share ``majority``
    right) but the test split is too small to tell it from luck: its ``n_right`` right close at least
    :data:`SKILL_SHARE` of the gap between that rule and a perfect score, yet the rule would get as many right by
    luck with a probability of :data:`SKILL_LEVEL` or more (5 of 6 against a rule that names a third right: about
    1 in 56; 4 of 4 against one that names half: 1 in 16). :func:`learned_little` then holds only for want of
    recordings: more of them could show either."""
    ahead, beyond_luck = _ahead_and_beyond_luck(n_right, n_test, majority)
    return ahead and not beyond_luck


def _ahead_and_beyond_luck(n_right: int, n_test: int, majority: float) -> tuple[bool, bool]:
    """Whether ``n_right`` of ``n_test`` close :data:`SKILL_SHARE` of the gap between a rule that names a share
    ``majority`` right and a perfect score, and whether that rule gets as many right by luck less often than
    :data:`SKILL_LEVEL`."""
    n_test = check_int(n_test, "n_test", 1, 10**9)
    n_right = check_int(n_right, "n_right", 0, n_test)
    ahead = n_right / n_test >= majority + SKILL_SHARE * (1.0 - majority)
    return ahead, chance_of_at_least(n_right, n_test, majority) < SKILL_LEVEL
