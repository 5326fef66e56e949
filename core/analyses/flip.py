"""The smallest change that flips the answer: a counterfactual in the spirit of Native Guide (E. Delaney,
D. Greene and M. T. Keane (2021), "Instance-based counterfactual explanations for time series classification",
ICCBR 2021, LNCS 12877, 32-47).

For a recording x and a class c that the network does not answer, :func:`smallest_flip` takes the training
recording of class c nearest to x (its *nearest unlike neighbour*, by :func:`core.analyses.baselines.distances`)
and finds the shortest stretch of it that, copied into x over the same steps (x's steps a to b replaced by the
neighbour's steps a to b), makes the network answer c. It then compares the network's top-layer hidden states
on x and on the edited recording (:func:`parting`): the step from which the two paths stay apart, and the units
whose state after the last step changed most; and the step from which the edited recording's answer is c.

The search, in the network's steps (for a network that reads averages of blocks of k recorded steps,
``config.step_block``, only stretches of whole blocks are tried, and a block counts as one step):

1. Exact: every stretch of 1 step (at every start), then of 2 steps, and so on, many stretches per
   :func:`core.compute.stepper.run_batch` call; the first that flips the answer, shortest first and then
   earliest, is the answer. If every stretch up to the whole overlap of the two recordings has been tried,
   none flips it.
2. Bounded: each stretch tried runs the whole edited recording through the network, so the search may run at
   most ``max_work`` network steps (:data:`MAX_WORK`). The exact search covers only the lengths 1 to L whose
   stretches all fit in that budget, after setting aside what step 3 may need. If none of them flips the
   answer and L is shorter than the whole overlap, step 3 follows.
3. Narrowing: if the whole overlap flips the answer, it is narrowed down by bisection on the length: at each
   length, up to five stretches lying inside the current one, evenly spaced, are tried, and the first that
   flips the answer becomes the current one. That stretch flips the answer, but a shorter one may exist.

On Japanese Vowels (at most 29 steps) the search is always exact: every stretch of a recording is at most 435
recordings of 29 steps. On BasicMotions (100 steps) it is exact up to stretches of about 90 steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from ..compute.checks import check_int, check_type, real_array
from ..compute.data import Split, validate_sequence
from ..compute.evaluate import settling_step
from ..compute.model import LSTMClassifier
from ..compute.shortening import shortened_length
from ..compute.stepper import run_batch, run_sequence
from .baselines import common_length, distances
from .whatif import Edit, splice

__all__ = ["MAX_WORK", "PARTING_FRACTION", "N_UNITS", "OUTCOMES", "Parting", "Flip", "parting", "smallest_flip"]

MAX_WORK = 500_000  # network steps the search may run: about 2 s for 100 units at 1 torch thread
PARTING_FRACTION = 1.0  # paths are apart when further apart than this many typical steps of the original
N_UNITS = 5  # changed units reported
# How a search ended: "shortest" (exact), "narrowed" (a flipping stretch, shorter ones may exist), "none" (every
# stretch was tried and none flips), "not found" (the work cap was hit and the whole overlap does not flip).
OUTCOMES = ("shortest", "narrowed", "none", "not found")
_BATCH_VALUES = 2_000_000  # network steps x hidden units per run_batch call: its traces take about 50 MB
_NARROW_STARTS = 5  # stretches tried per length while narrowing


@dataclass(frozen=True)
class Parting:
    """How the network's top-layer hidden states on an edited recording differ from those on the original.

    Attributes
    ----------
    distance : ndarray of shape (T,)
        Euclidean distance between the two hidden states after each network step.
    typical_step : float
        How far the original's hidden state typically moves in one step: the median, over steps 1 to T, of the
        distance between its states after step t - 1 and after step t (before step 1: the zero start state).
    threshold : float
        :data:`PARTING_FRACTION` times ``typical_step``.
    step : int or None
        Where the paths part: the first network step (1-based) from which, to the last step, the two hidden
        states are further apart than ``threshold``. None if they are not after the last step.
    units : ndarray of shape (n,), int
        0-based hidden units whose state after the last step (the one the answer is read from) changed most,
        by absolute change, largest first (of equal changes, the lower unit first).
    before, after : ndarray of shape (n,)
        Those units' states after the last step, on the original and on the edited recording.
    """

    distance: np.ndarray
    typical_step: float
    threshold: float
    step: int | None
    units: np.ndarray
    before: np.ndarray
    after: np.ndarray

    @property
    def change(self) -> np.ndarray:
        """``after - before``, shape (n,)."""
        return self.after - self.before


@dataclass(frozen=True)
class Flip:
    """What :func:`smallest_flip` found.

    Attributes
    ----------
    target : int
        The class (1-based) asked for.
    answer : int
        The network's answer (1-based) on the recording as it is.
    neighbour : int
        0-based index, in the training split, of the nearest training recording of class ``target``
        (:attr:`neighbour_number` for people).
    neighbour_distance : float
        Its distance to the recording (:func:`core.analyses.baselines.distances`).
    neighbour_answer : int
        The network's answer (1-based) on the neighbour itself.
    overlap : int
        Recorded steps both recordings have (the shorter one's length): a stretch lies within steps 1 to
        ``overlap``.
    step_block : int
        Recorded steps per network step (``config.step_block``); stretches are made of whole blocks.
    outcome : str
        One of :data:`OUTCOMES`: ``"shortest"`` (``edit`` is the shortest stretch that flips the answer, the
        earliest of that length), ``"narrowed"`` (``edit`` flips the answer; no stretch of at most
        ``searched_steps`` network steps does, but one shorter than ``edit``'s may), ``"none"`` (every stretch
        was tried, up to the whole overlap, and none flips the answer), ``"not found"`` (no stretch of at most
        ``searched_steps`` network steps flips it, nor does the whole overlap; the lengths in between were not
        all tried).
    edit : Edit or None
        The splice (from the training split: ``apply_edits(x, [edit], training=training.sequences)`` reproduces
        the edited recording); None unless found.
    searched_steps : int
        Every stretch of at most this many network steps was tried.
    tried : int
        Stretches run through the network.
    probs_before : ndarray of shape (C,)
        Class probabilities after the last step of the recording as it is.
    probs_after : ndarray of shape (C,) or None
        The same for the edited recording; None unless found.
    parting : Parting or None
        The two hidden-state paths compared; None unless found.
    answer_step : int or None
        The network step (1-based) from which the edited recording's answer is ``target`` to the end
        (:func:`core.compute.evaluate.settling_step`); None unless found.
    """

    target: int
    answer: int
    neighbour: int
    neighbour_distance: float
    neighbour_answer: int
    overlap: int
    step_block: int
    outcome: str
    edit: Edit | None
    searched_steps: int
    tried: int
    probs_before: np.ndarray
    probs_after: np.ndarray | None
    parting: Parting | None
    answer_step: int | None

    @property
    def found(self) -> bool:
        """True if :attr:`edit` flips the answer to :attr:`target`."""
        return self.edit is not None

    @property
    def capped(self) -> bool:
        """True if the search stopped at its work cap: a ``"narrowed"`` or ``"not found"`` outcome."""
        return self.outcome in ("narrowed", "not found")

    @property
    def neighbour_number(self) -> int:
        """The neighbour as people count the training split's recordings, from 1."""
        return self.neighbour + 1

    @property
    def first(self) -> int | None:
        """The stretch's first recorded step (1-based); None unless found."""
        return self.edit.first if self.edit else None

    @property
    def last(self) -> int | None:
        """The stretch's last recorded step (1-based, included); None unless found."""
        return self.edit.last if self.edit else None

    @property
    def network_steps(self) -> tuple[int, int] | None:
        """The stretch's first and last network steps (1-based, included); None unless found. The recorded
        steps themselves for ``step_block`` 1."""
        if self.edit is None:
            return None
        return (self.edit.first - 1) // self.step_block + 1, (self.edit.last - 1) // self.step_block + 1

    @property
    def target_prob_before(self) -> float:
        """The probability of :attr:`target` after the last step of the recording as it is."""
        return float(self.probs_before[self.target - 1])

    @property
    def target_prob_after(self) -> float | None:
        """The probability of :attr:`target` after the last step of the edited recording; None unless found."""
        return None if self.probs_after is None else float(self.probs_after[self.target - 1])


def parting(original, edited, *, n_units: int = N_UNITS) -> Parting:
    """Where two hidden-state paths part, and which units differ most at the end.

    Parameters
    ----------
    original, edited : array-like of shape (T, H)
        Hidden states after each network step (``Trace.hidden``) of the original recording and of an edited one
        of as many steps.
    n_units : int
        How many units to report, at least 1 (all H if H is fewer).

    Returns
    -------
    Parting
        ``step`` is the first step from which ``|edited[t] - original[t]|`` exceeds :data:`PARTING_FRACTION`
        times the median of ``|original[t] - original[t - 1]|`` (``original[-1]`` being the zero start state)
        at every step to the end: in plain words, from that step on the network's state on the edited
        recording stays further from its state on the original than that state moves in a typical step.
    """
    original = real_array(original, "original")
    edited = real_array(edited, "edited")
    if original.ndim != 2 or original.shape[0] == 0:
        raise ValueError(f"original must have shape (T, H) with T >= 1, got {original.shape}")
    if edited.shape != original.shape:
        raise ValueError(f"edited must have the shape of original {original.shape}, got {edited.shape}")
    n_units = check_int(n_units, "n_units", 1, 10**6)
    distance = np.linalg.norm(edited - original, axis=1)  # (T,)
    path = np.vstack([np.zeros(original.shape[1]), original])  # (T + 1, H): the zero start state first
    typical = float(np.median(np.linalg.norm(np.diff(path, axis=0), axis=1)))
    threshold = PARTING_FRACTION * typical
    together = np.flatnonzero(distance <= threshold)  # 0-based steps where the paths are not (yet, or again) apart
    if together.size == 0:
        step = 1
    elif together[-1] == len(distance) - 1:
        step = None
    else:
        step = int(together[-1]) + 2  # the step after the last one together, 1-based
    change = edited[-1] - original[-1]  # (H,)
    units = np.argsort(-np.abs(change), kind="stable")[:n_units]
    return Parting(
        distance=distance,
        typical_step=typical,
        threshold=threshold,
        step=step,
        units=units,
        before=original[-1, units].copy(),
        after=edited[-1, units].copy(),
    )


def _in_order(n_blocks: int, longest: int) -> Iterator[tuple[int, int]]:
    """Every stretch of at most ``longest`` of ``n_blocks`` blocks as (length, 0-based start): shortest first,
    then earliest."""
    for length in range(1, longest + 1):
        for start in range(n_blocks - length + 1):
            yield length, start


class _Splicer:
    """Stretches of blocks of ``neighbour`` copied into ``x``, and whether the network then answers ``target``."""

    def __init__(self, model: LSTMClassifier, x: np.ndarray, neighbour: np.ndarray, target: int, overlap: int):
        self.model, self.x, self.neighbour, self.target, self.overlap = model, x, neighbour, target, overlap
        self.k = model.config.step_block
        self.cost = int(shortened_length(x.shape[1], self.k))  # network steps of one edited recording
        self.tried = 0

    def stretch(self, length: int, start: int) -> tuple[int, int]:
        """Blocks ``start`` to ``start + length - 1`` (0-based) as recorded steps, 1-based, both included."""
        return start * self.k + 1, min((start + length) * self.k, self.overlap)

    def edited(self, length: int, start: int) -> np.ndarray:
        """``x`` with that stretch replaced by the neighbour's, (F, T)."""
        first, last = self.stretch(length, start)
        out = self.x.copy()
        out[:, first - 1 : last] = self.neighbour[:, first - 1 : last]
        return out

    def flips(self, stretches: list[tuple[int, int]]) -> np.ndarray:
        """Whether each (length, start) makes the network answer ``target``, (n,) bool; one run_batch call."""
        self.tried += len(stretches)
        batch = run_batch(self.model, [self.edited(length, start) for length, start in stretches])
        return batch.final_predictions == self.target


def _search(splicer: _Splicer, n_blocks: int, max_work: int, per_call: int) -> tuple[str, tuple | None, int]:
    """The search of the module's docstring: (outcome, (length, start) or None, lengths searched in full)."""
    reserve = 1 + _NARROW_STARTS * n_blocks.bit_length()  # stretches narrowing may try
    budget = max(0, max_work // splicer.cost - reserve)  # stretches the exhaustive search may try
    lengths = np.arange(1, n_blocks + 1)
    done = int(np.searchsorted(np.cumsum(n_blocks - lengths + 1), budget, side="right"))  # whole lengths it affords
    queue, size = _in_order(n_blocks, done), n_blocks
    while chunk := list(islice(queue, min(size, per_call))):
        hits = np.flatnonzero(splicer.flips(chunk))
        if hits.size:
            return "shortest", chunk[hits[0]], chunk[hits[0]][0] - 1
        size *= 2  # length 1 in the first call, then twice as many stretches each call
    if done == n_blocks:
        return "none", None, done
    if not splicer.flips([(n_blocks, 0)])[0]:
        return "not found", None, done
    low, high, best = done, n_blocks, 0  # no stretch of `low` blocks flips it; `high` from `best` does
    while high - low > 1:
        middle = (low + high) // 2
        starts = np.unique(np.round(np.linspace(best, best + high - middle, _NARROW_STARTS)).astype(int))
        hits = np.flatnonzero(splicer.flips([(middle, int(s)) for s in starts]))
        if hits.size:
            high, best = middle, int(starts[hits[0]])
        else:
            low = middle
    return "narrowed", (high, best), done


def smallest_flip(
    model: LSTMClassifier, x, target: int, training: Split, *, n_units: int = N_UNITS, max_work: int = MAX_WORK
) -> Flip:
    """The shortest stretch of the nearest training recording of class ``target`` that, spliced into ``x``,
    makes the network answer ``target``.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T)
        The raw recording, T >= 2; F is ``model.config.n_features``.
    target : int
        A class (1-based) other than the network's answer on ``x``.
    training : Split
        The training split: ``sequences`` (F, T_i), ``labels`` 1 to C; it holds at least one recording of
        class ``target`` other than ``x`` itself (a copy of ``x`` is never its neighbour).
    n_units : int
        How many changed units :attr:`Flip.parting` reports, at least 1 (all if the network has fewer).
    max_work : int
        Network steps the search may run (see the module's docstring): each stretch tried costs the edited
        recording's network steps, ``ceil(T / k)``; ``1 + 5 * bit_length(n)`` stretches are set aside for the
        narrowing, n being the overlap's network steps, and run even when they alone exceed ``max_work``.

    Returns
    -------
    Flip

    Raises
    ------
    ValueError
        If ``target`` is not a class, is the network's answer, or has no training recording.
    """
    check_type(model, LSTMClassifier, "model")
    check_type(training, Split, "training")
    n_features, n_classes = model.config.n_features, model.config.n_classes
    x = validate_sequence(x, n_channels=n_features)  # (F, T)
    if x.shape[1] < 2:
        raise ValueError(f"x must have at least 2 steps, got {x.shape[1]}")
    target = check_int(target, "target", 1, n_classes)
    max_work = check_int(max_work, "max_work", 1, 10**12)
    n_units = check_int(n_units, "n_units", 1, 10**6)
    labels = np.asarray(training.labels)
    if labels.shape != (len(training),):
        raise ValueError(f"training has {len(training)} recordings but labels of shape {labels.shape}")
    original = run_sequence(model, x)
    answer = int(original.probs[-1].argmax()) + 1
    if target == answer:
        raise ValueError(f"target must be a class other than the network's answer on x, {answer}")
    candidates = [
        i for i in np.flatnonzero(labels == target) if not np.array_equal(training.sequences[i], x)
    ]  # a copy of x itself changes nothing
    if not candidates:
        raise ValueError(f"the training split has no recording of class {target} other than x itself")
    near = distances([x], [training.sequences[i] for i in candidates], length=common_length(training))[0]
    index = int(candidates[int(near.argmin())])
    neighbour = validate_sequence(
        training.sequences[index], name=f"training recording {index + 1}", n_channels=n_features
    )
    overlap = min(x.shape[1], neighbour.shape[1])
    splicer = _Splicer(model, x, neighbour, target, overlap)
    n_blocks = int(shortened_length(overlap, splicer.k))
    per_call = max(1, _BATCH_VALUES // (splicer.cost * model.config.hidden_size))
    outcome, found, searched = _search(splicer, n_blocks, max_work, per_call)
    edit = probs_after = part = answer_step = None
    if found is not None:
        edit = splice(index + 1, *splicer.stretch(*found), from_training=True)
        trace = run_sequence(model, splicer.edited(*found))
        probs_after = trace.probs[-1].copy()
        part = parting(original.hidden, trace.hidden, n_units=n_units)
        answer_step = settling_step(trace.predictions)
    return Flip(
        target=target,
        answer=answer,
        neighbour=index,
        neighbour_distance=float(near.min()),
        neighbour_answer=int(run_sequence(model, neighbour).probs[-1].argmax()) + 1,
        overlap=overlap,
        step_block=splicer.k,
        outcome=outcome,
        edit=edit,
        searched_steps=searched,
        tried=splicer.tried,
        probs_before=original.probs[-1].copy(),
        probs_after=probs_after,
        parting=part,
        answer_step=answer_step,
    )
