"""Checks of an attribution map: does it point at what matters, and does it depend on what the network learned?

Deletion check: the cells the map marks strongest (largest positive shares) are replaced by the starting
point's values, and the fall of the class's probability is compared with the fall when as many cells picked
at random are replaced (the mean of seeded draws). A map that points at what matters makes the first fall
much larger.

Model-randomisation check (Adebayo et al., 2018, "Sanity Checks for Saliency Maps"): the same map for a copy
of the network whose weights are shuffled (every learnable tensor's entries permuted, seeded), compared by the
Spearman rank correlation of the absolute shares. A map that stays the same for a network that learned
nothing says little about this network.

:func:`explain` bundles the starting point, the map and both checks, as the page *Why did it decide?* shows
them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch

from ..compute.checks import check_type, is_int
from ..compute.data import Split
from ..compute.model import LSTMClassifier
from .attribution import (
    Attribution,
    StartingPoint,
    integrated_gradients,
    little_to_explain,
    network_scores,
    starting_point,
)

__all__ = [
    "DELETE_FRACTION",
    "RANDOM_DRAWS",
    "CLEAR_MARGIN",
    "NO_BETTER",
    "TOO_SMALL",
    "HIGH_AGREEMENT",
    "LOW_AGREEMENT",
    "RANDOMISED_STEPS",
    "DeletionCheck",
    "RandomisationCheck",
    "Explanation",
    "deletion_check",
    "shuffled_copy",
    "spearman",
    "randomisation_check",
    "explain",
]

DELETE_FRACTION = 0.1  # share of the map's cells replaced
RANDOM_DRAWS = 10  # seeded draws of random cells
# The deletion check's verdict, on probabilities (0 to 1); see DeletionCheck.verdict.
CLEAR_MARGIN = 0.10  # the map's cells lower the probability at least this much more than random cells ...
NO_BETTER = 0.05  # ... less than this much more: no better than chance
TOO_SMALL = 0.05  # both falls smaller than this: the check cannot tell
# The randomisation check's agreement (Spearman's rho of the absolute shares); see RandomisationCheck.level.
HIGH_AGREEMENT = 0.5
LOW_AGREEMENT = 0.2
RANDOMISED_STEPS = 64  # gradient evaluations for the shuffled network's map: only its ranks are compared


@dataclass(frozen=True)
class DeletionCheck:
    """What replacing the map's strongest cells, and random cells, does to the class's probability.

    Attributes
    ----------
    cells : int
        Cells replaced in each case: ``DELETE_FRACTION`` of the map's cells, at most as many as hold a positive
        share (0 when none does).
    top : ndarray of shape (cells, 2)
        The replaced strongest cells as (channel, step), 0-based, strongest first.
    prob_before : float
        The class's probability for the recording, 0 to 1.
    prob_top : float
        Its probability with the strongest cells replaced.
    probs_random : ndarray of shape (draws,)
        Its probability with ``cells`` random cells replaced, one per seeded draw.
    """

    cells: int
    top: np.ndarray
    prob_before: float
    prob_top: float
    probs_random: np.ndarray

    @property
    def prob_random(self) -> float:
        """The mean probability over the random draws."""
        return float(np.mean(self.probs_random))

    @property
    def drop_top(self) -> float:
        """How far the probability falls with the strongest cells replaced (negative: it rises)."""
        return self.prob_before - self.prob_top

    @property
    def drop_random(self) -> float:
        """How far it falls, on average, with random cells replaced."""
        return self.prob_before - self.prob_random

    @property
    def verdict(self) -> str:
        """``"nothing"``: no cell holds a positive share. ``"cannot tell"``: both falls are below ``TOO_SMALL``.
        ``"points"``: the strongest cells' fall is at least ``CLEAR_MARGIN`` larger than the random one and at
        least twice it. ``"chance"``: it is less than ``NO_BETTER`` larger. ``"partly"``: in between."""
        if self.cells == 0:
            return "nothing"
        if max(self.drop_top, self.drop_random) < TOO_SMALL:
            return "cannot tell"
        if self.drop_top - self.drop_random >= CLEAR_MARGIN and self.drop_top >= 2 * self.drop_random:
            return "points"
        if self.drop_top - self.drop_random < NO_BETTER:
            return "chance"
        return "partly"


@dataclass(frozen=True)
class RandomisationCheck:
    """The same map for a network with shuffled weights, and how much the two agree.

    Attributes
    ----------
    values : ndarray of shape (F, T)
        The shuffled network's shares.
    agreement : float
        Spearman's rank correlation of the absolute shares of the two maps, -1 to 1; NaN when either map is
        the same in every cell.
    """

    values: np.ndarray
    agreement: float

    @property
    def level(self) -> str:
        """``"high"`` (``agreement >= HIGH_AGREEMENT``), ``"some"`` (``>= LOW_AGREEMENT``), ``"low"`` or, for NaN,
        ``"none"``."""
        if np.isnan(self.agreement):
            return "none"
        if self.agreement >= HIGH_AGREEMENT:
            return "high"
        return "some" if self.agreement >= LOW_AGREEMENT else "low"


def deletion_check(
    model: LSTMClassifier,
    attr: Attribution,
    fraction: float = DELETE_FRACTION,
    draws: int = RANDOM_DRAWS,
    seed: int = 0,
) -> DeletionCheck:
    """Replace the map's strongest cells, and random cells, by the starting point's values.

    Parameters
    ----------
    model : LSTMClassifier
        The network ``attr`` explains.
    attr : Attribution
        Its ``inputs`` and ``baseline`` (F, T) are what the network reads of the recording and of the starting
        point; cells are (channel, step) of those.
    fraction : float
        Share of the cells replaced, above 0 and at most 1; at least one cell.
    draws : int
        Random draws, 1 to 1000.
    seed : int
        Seed of the random draws.

    Returns
    -------
    DeletionCheck
    """
    check_type(model, LSTMClassifier, "model")
    check_type(attr, Attribution, "attr")
    if not (isinstance(fraction, (int, float)) and not isinstance(fraction, bool) and 0 < fraction <= 1):
        raise ValueError(f"fraction must be a number above 0 and at most 1, got {fraction!r}")
    if not (is_int(draws) and 1 <= draws <= 1000):
        raise ValueError(f"draws must be a whole number from 1 to 1000, got {draws!r}")
    values = attr.values  # (F, T)
    flat = values.ravel()  # (F T,)
    wanted = max(1, int(round(fraction * flat.size)))
    order = np.argsort(-flat, kind="stable")  # strongest first
    top = order[: min(wanted, int((flat > 0).sum()))]  # (cells,)
    rng = np.random.default_rng(seed)
    chosen = [top] + [rng.choice(flat.size, size=len(top), replace=False) for _ in range(draws)]
    inputs = np.repeat(attr.inputs.ravel()[None], 1 + len(chosen), axis=0)  # (1 + 1 + draws, F T)
    for row, cells in enumerate(chosen, start=1):
        inputs[row, cells] = attr.baseline.ravel()[cells]
    batch = torch.tensor(inputs.reshape(-1, *values.shape).transpose(0, 2, 1), dtype=torch.float32)  # (B, T, F)
    with torch.no_grad():
        probs = torch.softmax(network_scores(model, batch).double(), dim=1)[:, attr.target - 1].numpy()  # (B,)
    return DeletionCheck(
        cells=len(top),
        top=np.stack(np.unravel_index(top, values.shape), axis=1),
        prob_before=float(probs[0]),
        prob_top=float(probs[1]),
        probs_random=probs[2:],
    )


def shuffled_copy(model: LSTMClassifier, seed: int = 0) -> LSTMClassifier:
    """A copy of ``model`` whose every learnable tensor (weights and biases) has its entries permuted.

    The copy has the same layout and the same numbers, in random places: a network that learned nothing. The
    input normalisation (a property of the data, not learned) is kept. ``model`` is not changed.
    """
    check_type(model, LSTMClassifier, "model")
    shuffled = copy.deepcopy(model)
    generator = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for parameter in shuffled.parameters():
            flat = parameter.reshape(-1)
            parameter.copy_(flat[torch.randperm(flat.numel(), generator=generator)].reshape(parameter.shape))
    return shuffled


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``values`` (n,), ties given their mean rank."""
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])  # (U,): 0-based rank of each value's first copy
    return (first + (counts + 1) / 2)[inverse]


def spearman(a, b) -> float:
    """Spearman's rank correlation of two equally long arrays (flattened), ties given their mean rank.

    Returns
    -------
    float
        -1 to 1; NaN when either array holds one value only.
    """
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape or a.size < 2:
        raise ValueError(f"a and b must hold the same number of values, at least 2, got {a.size} and {b.size}")
    ra, rb = _ranks(a) - (a.size + 1) / 2, _ranks(b) - (b.size + 1) / 2  # centred ranks
    denominator = np.sqrt((ra**2).sum() * (rb**2).sum())
    return float((ra * rb).sum() / denominator) if denominator > 0 else float("nan")


def randomisation_check(
    model: LSTMClassifier, x, start: StartingPoint, attr: Attribution, seed: int = 0
) -> RandomisationCheck:
    """The map of ``attr`` again, for :func:`shuffled_copy` of ``model``, and how much the two agree.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T_raw)
        The recording ``attr`` explains.
    start : StartingPoint
        The starting point ``attr`` was computed from.
    attr : Attribution
        The map of ``model``; its ``target`` is explained again.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    RandomisationCheck
        ``values`` from ``RANDOMISED_STEPS`` gradient evaluations (no 64-bit switches: only ranks are compared).
    """
    check_type(start, StartingPoint, "start")
    check_type(attr, Attribution, "attr")
    shuffled = integrated_gradients(
        shuffled_copy(model, seed), x, attr.target, start.values, steps=RANDOMISED_STEPS, switches=0
    )
    return RandomisationCheck(shuffled.values, spearman(np.abs(attr.values), np.abs(shuffled.values)))


@dataclass(frozen=True)
class Explanation:
    """Everything *Why did it decide?* shows about one recording and one class.

    Attributes
    ----------
    start : StartingPoint
    attribution : Attribution
    deletion : DeletionCheck
    randomisation : RandomisationCheck
    """

    start: StartingPoint
    attribution: Attribution
    deletion: DeletionCheck
    randomisation: RandomisationCheck

    @property
    def little_to_explain(self) -> bool:
        """:func:`~core.analyses.attribution.little_to_explain` of the map."""
        return little_to_explain(self.attribution)


def explain(
    model: LSTMClassifier, x, target: int, kind: str = "others", train: Split | None = None, seed: int = 0
) -> Explanation:
    """The starting point ``kind``, the map of class ``target`` on recording ``x`` and both checks.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T_raw)
    target : int
        The class explained, 1-based.
    kind : {"others", "zero", "mean"}
        See :func:`~core.analyses.attribution.starting_point`.
    train : Split, optional
        The training split, needed for ``"others"``.
    seed : int
        Seed of the deletion check's random draws and of the shuffle.

    Returns
    -------
    Explanation
    """
    start = starting_point(model, x, kind, target=target, train=train)
    attr = integrated_gradients(model, x, target, start.values)
    return Explanation(
        start=start,
        attribution=attr,
        deletion=deletion_check(model, attr, seed=seed),
        randomisation=randomisation_check(model, x, start, attr, seed=seed),
    )
