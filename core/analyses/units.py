"""What each hidden unit responds to over a whole split: which class, and when in the recording.

Every statistic starts from a unit's *sequence mean*, its average value over
one sequence's real steps (padding is never counted), so long and short
recordings weigh the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.checks import check_int, check_type, is_int, real_array
from ..compute.data import N_CLASSES
from ..compute.stepper import GATE_NAMES, BatchTrace, Trace

__all__ = [
    "QUANTITIES",
    "TIMINGS",
    "TIMING_SHARE",
    "Selectivity",
    "MIN_CONTRAST",
    "MIN_GAP",
    "ClassUnits",
    "class_units",
    "quantity_values",
    "sequence_means",
    "class_means",
    "selectivity",
    "rank_units",
    "third_shares",
    "activity_timing",
    "shown_units",
]

QUANTITIES = ("hidden", "cell") + GATE_NAMES
TIMINGS = ("start", "middle", "end", "throughout")
TIMING_SHARE = 0.45  # a third "holds clearly more" than the others above this share (an even spread gives 1/3)
MIN_CONTRAST = 1.0  # a unit singles out a class when its contrast for it is at least this (in spreads)...
MIN_GAP = 0.05  # ... and its average for the class differs from the others' by at least this (hidden states: -1..1)
_TIE = 1e-9  # on and off contrasts this close (in spreads) are a tie: a two-class set's differ only by rounding
_EPS = 1e-8


def quantity_values(trace_or_batch: Trace | BatchTrace, quantity: str) -> np.ndarray:
    """One quantity of a trace, per step and unit.

    Parameters
    ----------
    trace_or_batch : Trace or BatchTrace
    quantity : str
        One of :data:`QUANTITIES`: ``"hidden"``, ``"cell"`` or a gate name.

    Returns
    -------
    ndarray of shape (T, H) for a Trace, (N, T_max, H) for a BatchTrace
    """
    if not isinstance(trace_or_batch, (Trace, BatchTrace)):
        raise TypeError(f"expected a Trace or BatchTrace, got {type(trace_or_batch).__name__}")
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(QUANTITIES)}; got {quantity!r}")
    if quantity in GATE_NAMES:
        return trace_or_batch.gates[..., GATE_NAMES.index(quantity), :]
    return getattr(trace_or_batch, quantity)


def _valid_steps(batch: BatchTrace) -> np.ndarray:
    """Which padded steps are real, shape (N, T_max)."""
    return np.arange(batch.hidden.shape[1])[None, :] < np.asarray(batch.lengths)[:, None]


def sequence_means(batch: BatchTrace, quantity: str = "hidden") -> np.ndarray:
    """Each unit's mean over each sequence's real steps.

    Parameters
    ----------
    batch : BatchTrace
    quantity : str
        One of :data:`QUANTITIES`.

    Returns
    -------
    ndarray of shape (N, H)
    """
    check_type(batch, BatchTrace, "batch")
    values = quantity_values(batch, quantity)  # (N, T_max, H)
    valid = _valid_steps(batch)[..., None]  # (N, T_max, 1)
    return np.where(valid, values, 0.0).sum(axis=1) / np.asarray(batch.lengths)[:, None]


def _check_labels(batch: BatchTrace, labels, n_classes) -> np.ndarray:
    if not (is_int(n_classes) and n_classes >= 1):
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    labels = np.asarray(labels)
    if labels.shape != (len(batch),):
        raise ValueError(f"labels must have shape ({len(batch)},), one per sequence; got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 1 or labels.max() > n_classes:
        raise ValueError(f"labels must be class numbers 1 to {n_classes}")
    missing = sorted(set(range(1, n_classes + 1)) - set(labels.tolist()))
    if missing:
        raise ValueError(f"every class needs at least one sequence; none for class(es) {missing}")
    return labels


def _class_means_of(seq_means: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(N, H) sequence means and (N,) labels -> (C, H) per-class means."""
    return np.stack([seq_means[labels == s].mean(axis=0) for s in range(1, n_classes + 1)])


def class_means(batch: BatchTrace, labels, quantity: str = "hidden", *, n_classes: int = N_CLASSES) -> np.ndarray:
    """Each unit's mean of sequence means, per class (speaker for Japanese Vowels).

    Parameters
    ----------
    batch : BatchTrace
    labels : array-like of shape (N,)
        Class of each sequence, 1 to ``n_classes``; every class must occur.
    quantity : str
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``); 9 for Japanese Vowels.

    Returns
    -------
    ndarray of shape (C, H)
        Row ``s - 1`` is class ``s``.
    """
    labels = _check_labels(batch, labels, n_classes)
    return _class_means_of(sequence_means(batch, quantity), labels, n_classes)


@dataclass(frozen=True)
class Selectivity:
    """How much each unit prefers (or avoids) one class; see :func:`selectivity`.

    Attributes
    ----------
    score : ndarray of shape (H,)
        ``contrast`` of the best class: how far the unit stands above the rest for it.
    off_score : ndarray of shape (H,)
        Minus ``contrast`` of the worst class: how far the unit sits below the rest for it.
    best_speaker, worst_speaker : ndarray of shape (H,), int
        1-based classes with the highest and the lowest contrast.
    speaker_means : ndarray of shape (C, H)
    contrast : ndarray of shape (C, H)
        For every class, (its mean - mean of the other classes' sequences) / spread.
    gap : ndarray of shape (C, H)
        For every class, its mean - mean of the other classes' sequences, in the quantity's own units.
    """

    score: np.ndarray
    off_score: np.ndarray
    best_speaker: np.ndarray
    worst_speaker: np.ndarray
    speaker_means: np.ndarray
    contrast: np.ndarray
    gap: np.ndarray


def selectivity(batch: BatchTrace, labels, quantity: str = "hidden", *, n_classes: int = N_CLASSES) -> Selectivity:
    """Score how strongly each unit singles out one class.

    In plain words: take each unit's average value over every sequence. For a
    class, compare the unit's average over that class's sequences with its
    average over all the other sequences, and measure the gap in units of
    how much the sequence averages vary overall (their standard deviation).
    A unit's best class is the one with the largest gap, and its score is
    that gap: 0 means the class does not stand out, 3 is about as high as it
    goes (a unit that is 1 for one class of nine and 0 for the rest scores
    about 3). The worst class and ``off_score`` are the same for the
    class the unit sits furthest *below* the rest for.

    Parameters
    ----------
    batch : BatchTrace
    labels : array-like of shape (N,)
        Classes 1 to ``n_classes``; every class must occur.
    quantity : str
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``); 9 for Japanese Vowels.

    Returns
    -------
    Selectivity
        ``score`` (H,), ``off_score`` (H,), ``best_speaker`` (H,), ``worst_speaker`` (H,),
        ``speaker_means`` (C, H), ``contrast`` (C, H).
    """
    check_type(batch, BatchTrace, "batch")
    labels = _check_labels(batch, labels, n_classes)
    seq_means = sequence_means(batch, quantity)  # (N, H)
    means = _class_means_of(seq_means, labels, n_classes)  # (C, H)
    is_class = labels[None, :] == np.arange(1, n_classes + 1)[:, None]  # (C, N)
    rest = (~is_class).astype(float) @ seq_means / (~is_class).sum(axis=1)[:, None]  # (C, H)
    gap = means - rest  # (C, H)
    contrast = gap / (seq_means.std(axis=0) + _EPS)  # (C, H)
    best, worst = contrast.argmax(axis=0), contrast.argmin(axis=0)  # (H,)
    units = np.arange(contrast.shape[1])
    return Selectivity(
        score=contrast[best, units],
        off_score=-contrast[worst, units],
        best_speaker=best + 1,
        worst_speaker=worst + 1,
        speaker_means=means,
        contrast=contrast,
        gap=gap,
    )


def rank_units(score) -> np.ndarray:
    """Units from the highest score to the lowest; equal scores keep their order.

    Parameters
    ----------
    score : array-like of shape (H,)

    Returns
    -------
    ndarray of shape (H,), int
        0-based unit indices.
    """
    score = real_array(score, "score", not_numbers=ValueError)  # text in a score is a bad value, as NaN is
    if score.ndim != 1:
        raise ValueError(f"score must be 1-D (one value per unit), got shape {score.shape}")
    return np.argsort(-score, kind="stable")


@dataclass(frozen=True)
class ClassUnits:
    """The one meaning of "a unit for class X" in the app: the class each unit singles out, and how.

    A unit singles out the class its average stands furthest from the other classes' (the largest
    ``|contrast|``; on a tie, the class it is *on* for), when that contrast is at least :data:`MIN_CONTRAST`
    spreads and the averages differ by at least :data:`MIN_GAP`. It is *on* for the class when its average
    there is above the others', *off* when below.

    Attributes
    ----------
    klass : ndarray of shape (H,), int
        The class (1-based) each unit singles out; 0 for a unit that singles out none.
    sign : ndarray of shape (H,), int
        +1 on, -1 off, 0 for none.
    strength : ndarray of shape (H,)
        ``|contrast|`` of the class it stands furthest from the others for (whether or not it singles it out).
    gap : ndarray of shape (H,)
        That class's average minus the other classes', in hidden-state units (negative for off).
    """

    klass: np.ndarray
    sign: np.ndarray
    strength: np.ndarray
    gap: np.ndarray

    def ranking(self) -> np.ndarray:
        """Every unit (0-based), the units that single out a class first, each group strongest first (ties in
        unit order)."""
        return np.lexsort((-self.strength, self.klass == 0))

    def for_class(self, k: int) -> np.ndarray:
        """The units (0-based) that single out class ``k`` (1-based), on or off, strongest first."""
        k = check_int(k, "k", 1, 10**6)
        return np.array([u for u in self.ranking() if self.klass[u] == k], dtype=int)


def class_units(sel: Selectivity) -> ClassUnits:
    """Which class each unit singles out, and how (:class:`ClassUnits`), from its :func:`selectivity`.

    Parameters
    ----------
    sel : Selectivity
        ``contrast`` and ``gap`` of shape (C, H).

    Returns
    -------
    ClassUnits
    """
    check_type(sel, Selectivity, "sel")
    units = np.arange(sel.contrast.shape[1])
    best, worst = sel.contrast.argmax(axis=0), sel.contrast.argmin(axis=0)  # (H,)
    on = sel.contrast[best, units] >= -sel.contrast[worst, units] - _TIE  # (H,): a tie counts as on
    chosen = np.where(on, best, worst)  # (H,) 0-based
    strength = np.abs(sel.contrast[chosen, units])
    gap = sel.gap[chosen, units]
    singles = (strength >= MIN_CONTRAST) & (np.abs(gap) >= MIN_GAP)
    return ClassUnits(
        klass=np.where(singles, chosen + 1, 0),
        sign=np.where(singles, np.where(on, 1, -1), 0),
        strength=strength,
        gap=gap,
    )


def third_shares(batch: BatchTrace, quantity: str = "hidden") -> np.ndarray:
    """How each unit's absolute activity is shared between the thirds of the recording.

    Step ``t`` of a sequence of length ``T`` lies in third ``floor(3 (t + 0.5) / T)``.
    Each third's activity is the mean of ``|value|`` over all its steps in all
    sequences (a mean, not a sum, so a third with more steps does not win by
    size); the three means are then divided by their total.

    Parameters
    ----------
    batch : BatchTrace
    quantity : str

    Returns
    -------
    ndarray of shape (3, H)
        Start, middle, end; each column sums to 1 (or is all 0 for a unit that is always 0).
    """
    check_type(batch, BatchTrace, "batch")
    magnitude = np.abs(quantity_values(batch, quantity))  # (N, T_max, H)
    lengths = np.asarray(batch.lengths)[:, None]  # (N, 1)
    third = np.floor(3 * (np.arange(magnitude.shape[1])[None, :] + 0.5) / lengths).astype(int)  # (N, T_max)
    third = np.where(_valid_steps(batch), third, -1)  # padding is in no third
    in_third = third[None] == np.arange(3)[:, None, None]  # (3, N, T_max)
    sums = np.einsum("jnt,nth->jh", in_third, magnitude)  # (3, H)
    per_third = sums / np.maximum(in_third.sum(axis=(1, 2)), 1)[:, None]  # mean |value| per step of each third
    total = per_third.sum(axis=0)  # (H,)
    return np.divide(per_third, total, out=np.zeros_like(per_third), where=total > 0)


def activity_timing(batch: BatchTrace, quantity: str = "hidden") -> np.ndarray:
    """Where in the recording each unit is mostly active.

    The rule: a unit is ``"start"``, ``"middle"`` or ``"end"`` when that third
    holds more than :data:`TIMING_SHARE` (45 %) of its activity as measured by
    :func:`third_shares` (an even spread gives each third 33 %); otherwise it
    is ``"throughout"``.

    Parameters
    ----------
    batch : BatchTrace
    quantity : str

    Returns
    -------
    ndarray of shape (H,), str
        Each one of :data:`TIMINGS`.
    """
    shares = third_shares(batch, quantity)  # (3, H)
    top = shares.argmax(axis=0)  # (H,)
    return np.where(shares.max(axis=0) > TIMING_SHARE, np.array(TIMINGS[:3])[top], TIMINGS[3])


def shown_units(values: np.ndarray, first: int, last: int, *, by_activity: bool = False) -> np.ndarray:
    """The units one heatmap shows: positions ``first`` to ``last`` (1-based, inclusive).

    Parameters
    ----------
    values : ndarray of shape (T, H)
        One observation's values of one quantity.
    first, last : int
        By unit number, or by activity rank when ``by_activity``.
    by_activity : bool
        Rank units by their mean absolute value over the observation, most
        active first (ties keep unit order), so 1-10 are the ten busiest units.

    Returns
    -------
    ndarray of shape (last - first + 1,), int
        0-based unit indices, in the order the rows are drawn.
    """
    if not isinstance(values, np.ndarray):
        raise TypeError(f"values must be a NumPy array of shape (T, H), got {type(values).__name__}")
    if values.ndim != 2:
        raise ValueError(f"values must have shape (T, H), got {values.shape}")
    H = values.shape[1]
    if not (is_int(first) and is_int(last) and 1 <= first <= last <= H):
        raise ValueError(f"the unit range must satisfy 1 <= first <= last <= {H}, got {first}-{last}")
    order = np.argsort(-np.abs(values).mean(axis=0), kind="stable") if by_activity else np.arange(H)  # (H,)
    return order[first - 1 : last]
