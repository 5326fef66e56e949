"""Pattern selection and match search over hidden states, after LSTMVis (Strobelt et al. 2018).

A unit is *on* over a window of steps when its hidden value is above a threshold
(strictly) at every step of the window. The user selects a window of one
sequence; the units on over it are the *pattern*. A *match* is a window, in any
sequence, over which many of those units are on and few others are.

Window lengths and the one-window-per-region rule of :func:`find_matches`:

1. For every sequence and start step, every window of at least ``length``
   steps that ends inside the sequence is scored: ``overlap`` = selected units
   on over it, ``extra`` = other units on over it. The start's candidate is the
   best of these by (most overlap, fewest extra, longest). Units only switch
   off as a window grows, so this is the longest window over which the most
   selected units stay on: a maximal run, never shorter than ``length``.
2. Candidates are ranked by overlap (desc), extra (asc), length (desc), then
   sequence index and start (asc), and kept best first, skipping any that
   overlaps a window already kept in the same sequence (or the excluded
   range). So each region of a sequence yields one match, not a stack of
   shifted copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.checks import check_type, is_int
from ..compute.data import N_CLASSES
from ..compute.stepper import BatchTrace

__all__ = ["Match", "select_units", "default_threshold", "find_matches", "class_summary"]


@dataclass(frozen=True)
class Match:
    """One window of one sequence, scored against the selected units.

    Attributes
    ----------
    seq_index : int
        0-based index of the sequence in the batch.
    start, end : int
        0-based steps, both included.
    overlap : int
        Selected units on over the whole window.
    extra : int
        Units on over the whole window that were not selected.
    length : int
        ``end - start + 1``.
    """

    seq_index: int
    start: int
    end: int
    overlap: int
    extra: int
    length: int


def _check_threshold(threshold) -> float:
    if not isinstance(threshold, (int, float, np.integer, np.floating)) or not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    return float(threshold)


def _check_range(start, end, n_steps: int, what: str = "the range") -> None:
    if not (is_int(start) and is_int(end) and 0 <= start <= end < n_steps):
        raise ValueError(f"{what} [{start!r}, {end!r}] must be integers with 0 <= start <= end < {n_steps}")


def _check_positive_int(value, name: str) -> int:
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _unit_mask(units, n_units: int) -> np.ndarray:
    """Turn 0-based unit indices into a boolean mask (H,)."""
    idx = np.asarray(units)
    if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"units must be a non-empty 1-D array of unit indices, got {units!r}")
    if idx.min() < 0 or idx.max() >= n_units:
        raise ValueError(f"units must be between 0 and {n_units - 1}, got {idx.min()} to {idx.max()}")
    mask = np.zeros(n_units, bool)
    mask[idx] = True
    return mask


def select_units(hidden, start: int, end: int, threshold: float) -> np.ndarray:
    """Units above ``threshold`` at every step of ``[start, end]``: the selected pattern.

    Parameters
    ----------
    hidden : array-like of shape (T, H)
        Hidden states of one sequence.
    start, end : int
        0-based steps, both included.
    threshold : float
        A unit is on at a step when its value is strictly greater.

    Returns
    -------
    ndarray of shape (k,), int
        0-based unit indices, ascending.
    """
    hidden = np.asarray(hidden)
    if hidden.ndim != 2 or hidden.shape[0] == 0:
        raise ValueError(f"hidden must have shape (T, H) with T >= 1, got {hidden.shape}")
    if not np.all(np.isfinite(hidden)):  # NaN is above no threshold: the selection would be empty, silently
        raise ValueError("hidden contains NaN or infinite values")
    _check_range(start, end, hidden.shape[0])
    above = hidden[start : end + 1] > _check_threshold(threshold)  # (end - start + 1, H)
    return np.flatnonzero(above.all(axis=0))


def default_threshold(
    hidden, start: int, end: int, *, highest: float = 0.3, step: float = 0.05, min_units: int = 3
) -> float:
    """The level a pattern search starts at: the highest on a grid at which a stretch holds a pattern.

    A network whose hidden units stay small (BasicMotions's in the first steps, for example) has no unit above
    a fixed level such as 0.3, so the level goes down the grid until ``min_units`` units are on together.

    Parameters
    ----------
    hidden : array-like of shape (T, H)
        Hidden states of one sequence.
    start, end : int
        0-based steps, both included.
    highest : float
        The level tried first; a multiple of ``step``.
    step : float
        The grid's spacing (the app's slider step).
    min_units : int
        How many units must be on (:func:`select_units`) for a level to be chosen.

    Returns
    -------
    float
        ``highest`` or a lower level of the grid, down to 0.0 (returned too when no level holds ``min_units``).
    """
    _check_positive_int(min_units, "min_units")
    if _check_threshold(step) <= 0:
        raise ValueError(f"step must be positive, got {step!r}")
    n_levels = int(round(_check_threshold(highest) / step))
    for k in range(n_levels, 0, -1):
        level = round(k * step, 10)
        if select_units(hidden, start, end, level).size >= min_units:
            return level
    return 0.0


def _best_window_per_start(above: np.ndarray, selected: np.ndarray, min_length: int):
    """Score every window and keep each start's best (rule 1 of the module docstring).

    Parameters
    ----------
    above : ndarray of shape (N, T, H), bool
        Unit above threshold at a step; False past each sequence's end.
    selected : ndarray of shape (H,), bool
    min_length : int

    Returns
    -------
    overlap, extra, length : ndarray of shape (N, T), int
        Of each start's best window; ``overlap`` 0 where no window qualifies.
    """
    n_seq, n_steps, _ = above.shape
    overlap, extra, length = (np.zeros((n_seq, n_steps), int) for _ in range(3))
    on = above  # (N, S, H): units on over the window of the current length starting at each of S steps
    for window in range(1, n_steps + 1):
        if window > 1:
            on = on[:, :-1] & above[:, window - 1 :]  # windows starting past T - window would run off the end
        if not on.any():  # nothing stays on this long, so nothing longer either
            break
        if window < min_length:
            continue
        n_starts = on.shape[1]
        win_overlap = np.count_nonzero(on[..., selected], axis=2)  # (N, S)
        win_extra = np.count_nonzero(on, axis=2) - win_overlap
        old_overlap, old_extra = overlap[:, :n_starts], extra[:, :n_starts]
        # Ties on (overlap, extra) go to the current window, which is longer than any seen before.
        better = (win_overlap > old_overlap) | ((win_overlap == old_overlap) & (win_extra <= old_extra))
        better &= win_overlap > 0
        old_overlap[better], old_extra[better] = win_overlap[better], win_extra[better]
        length[:, :n_starts][better] = window
    return overlap, extra, length


def find_matches(
    batch: BatchTrace,
    units,
    threshold: float,
    *,
    length: int | None = None,
    exclude: tuple[int, int, int] | None = None,
    max_results: int = 20,
) -> list[Match]:
    """Windows of all sequences where the selected units are on, best first.

    Parameters
    ----------
    batch : BatchTrace
        ``hidden`` (N, T_max, H) and ``lengths`` (N,); padding never matches.
    units : array-like of shape (k,), int
        0-based indices of the selected units, e.g. from :func:`select_units`.
    threshold : float
        A unit is on at a step when its hidden value is strictly greater.
    length : int, optional
        Shortest window considered (default 1); the selection's length is the
        natural choice. Longer maximal runs are found too (module docstring).
    exclude : (seq_index, start, end), optional
        A 0-based inclusive range, normally the selection itself: no match
        overlaps it.
    max_results : int

    Returns
    -------
    list of Match
        At most ``max_results``, ranked by overlap (desc), extra (asc), length
        (desc), seq_index, start; windows of one sequence never overlap.
    """
    check_type(batch, BatchTrace, "batch")
    n_seq, n_steps, n_units = batch.hidden.shape
    selected = _unit_mask(units, n_units)  # (H,)
    min_length = 1 if length is None else _check_positive_int(length, "length")
    max_results = _check_positive_int(max_results, "max_results")
    lengths = np.asarray(batch.lengths)  # (N,)
    taken = np.zeros((n_seq, n_steps), bool)  # steps covered by a kept match or the excluded range
    if exclude is not None:
        if (
            not isinstance(exclude, (tuple, list))
            or len(exclude) != 3
            or not is_int(exclude[0])
            or not 0 <= exclude[0] < n_seq
        ):
            raise ValueError(f"exclude must be (seq_index, start, end) with 0 <= seq_index < {n_seq}, got {exclude!r}")
        seq, start, end = exclude
        _check_range(start, end, int(lengths[seq]), what=f"exclude's range in sequence {seq}")
        taken[seq, start : end + 1] = True

    valid = np.arange(n_steps) < lengths[:, None]  # (N, T)
    above = (batch.hidden > _check_threshold(threshold)) & valid[..., None]  # (N, T, H)
    overlap, extra, win_length = _best_window_per_start(above, selected, min_length)  # each (N, T)

    seqs, starts = np.nonzero(overlap)  # (c,) candidates, one per start that has a window
    ov, ex, ln = overlap[seqs, starts], extra[seqs, starts], win_length[seqs, starts]
    order = np.lexsort((starts, seqs, -ln, ex, -ov))  # the last key sorts first
    matches: list[Match] = []
    for c in order:
        seq, start, end = int(seqs[c]), int(starts[c]), int(starts[c] + ln[c] - 1)
        if taken[seq, start : end + 1].any():
            continue
        taken[seq, start : end + 1] = True
        matches.append(Match(seq, start, end, int(ov[c]), int(ex[c]), int(ln[c])))
        if len(matches) == max_results:
            break
    return matches


def class_summary(matches, labels, n_classes: int = N_CLASSES) -> np.ndarray:
    """How many matches fall in sequences of each class (speaker for Japanese Vowels).

    Parameters
    ----------
    matches : list of Match
    labels : array-like of shape (N,), int
        Class (1-based) of every sequence of the batch searched.
    n_classes : int
        C, the number of classes (the model's ``config.n_classes``); 9 for Japanese Vowels.

    Returns
    -------
    ndarray of shape (C,), int
        Entry ``j`` counts matches in sequences of class ``j + 1``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got shape {labels.shape} and dtype {labels.dtype}")
    if not all(isinstance(m, Match) for m in matches):
        raise TypeError(f"matches must be a list of Match, got {[type(m).__name__ for m in matches][:3]}...")
    seq_index = np.array([m.seq_index for m in matches], dtype=int)  # (m,)
    if seq_index.size and seq_index.max() >= labels.size:
        raise ValueError(f"a match is in sequence {seq_index.max()} but labels has only {labels.size} entries")
    classes = labels[seq_index]  # (m,)
    if classes.size and (classes.min() < 1 or classes.max() > n_classes):
        raise ValueError(f"labels of matched sequences must be between 1 and {n_classes}")
    return np.bincount(classes - 1, minlength=n_classes)
