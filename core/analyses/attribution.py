"""Why did it decide? Integrated gradients over channels and time steps, from a chosen starting point.

Integrated gradients (Sundararajan, Taly and Yan, 2017) share out the change of one class score between a
*baseline* (the starting point) ``b`` and the real input ``x`` among the input values: for every channel ``f``
and step ``t``,

    value[f, t] = (x[f, t] - b[f, t]) * integral_0^1 dF/dx[f, t](b + a (x - b)) da

where ``F`` is the class score (the logit, the number before the softmax). The values add up to
``F(x) - F(b)`` ("completeness") as far as the integral is computed exactly.

The integral. A scouting pass (scores only, no gradients) scores the path at 257 evenly spread points; the
path is cut into panels holding equal shares of the score change (half of every share spread evenly, so flat
stretches are sampled too), with 8 Gauss-Legendre points each.

Switches. On the way from the starting point to the recording an LSTM's state can flip from one stable pattern
to another, and the score then jumps within a stretch of the path as narrow as 1e-10 (BasicMotions test
recording 7 from the average recording: 5.6 of its 5.8 change within 1e-9 of the path). Evenly spread points
step over such a jump, and in 32-bit numbers it is below the resolution of the input, so the shares missed up
to 95 % of the change. A scouting cell that holds at least 5 % of the path's score change and 4 times more than
each neighbour is therefore zoomed into in 64-bit arithmetic (16 sub-cells at a time, into the one holding most
of the change, until the change is spread over several), and panels graded geometrically towards the jump,
8 points each, integrate it in 64 bits. 64-bit gradients are slow, so at most ``MAX_SWITCHES`` switches are
integrated so, within a work budget (``_SWITCH_WORK``: fewer points for longer recordings and larger networks).
A switch left out (over the budget, or a step even in 64 bits: still within one sub-cell after 10 zoom levels)
is counted in ``Attribution.switches_left`` and shows in the completeness error.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..compute.checks import check_type, is_int
from ..compute.data import Split, validate_sequence
from ..compute.model import LSTMClassifier

__all__ = [
    "BASELINES",
    "MAX_STEPS",
    "PANEL_POINTS",
    "MAX_SWITCHES",
    "LITTLE_CHANGE",
    "COMPLETENESS_TOLERANCE",
    "StartingPoint",
    "Attribution",
    "class_average",
    "starting_point",
    "network_scores",
    "integrated_gradients",
    "little_to_explain",
]

BASELINES = ("others", "zero", "mean")  # the starting points the page offers; "others" first, the default
MAX_STEPS = 1024
PANEL_POINTS = 8  # Gauss-Legendre points per panel; ``steps`` must be a multiple of it
MAX_SWITCHES = 2  # switches integrated in 64 bits, at most
# |score(recording) - score(starting point)| below this: the shares add up to almost nothing (see little_to_explain).
LITTLE_CHANGE = 1.0
# The shares count as adding up to the change when they miss it by at most this share of max(|change|, LITTLE_CHANGE).
COMPLETENESS_TOLERANCE = 0.01
_SCOUT_CELLS = 256  # resolution of the scouting pass
_EVEN_SHARE = 0.5  # half the points are spread evenly over the path, half follow the score change
_SWITCH_SHARE = 0.05  # a scouting cell holding this share of the path's total score change ...
_SWITCH_CONTRAST = 4.0  # ... and this many times each neighbour's change holds a switch
_ZOOM_CELLS = 16  # sub-cells per zoom level
_MAX_ZOOMS = 10  # zoom levels, at most: a cell of 1/256 of the path down to about 1e-14
_WINDOW_PANELS = 3  # panels on the innermost zoom level, where the change is spread
_ZOOM_COST = (_ZOOM_CELLS + 1) / 3  # a zoom level, in gradient evaluations (a forward pass costs about a third)
_MIN_SWITCH_PANELS = 2 + _WINDOW_PANELS  # the fewest panels of a switch (one zoom level)
# 64-bit work allowed for switches, in multiply-adds of the LSTM per step: about 0.8 s at 1 torch thread.
_SWITCH_WORK = 1.5e9
_CHUNK_VALUES = 4_000_000  # gate values (points x steps x 4 H x layers) per batch, to bound memory


@dataclass(frozen=True)
class StartingPoint:
    """The recording the comparison starts from (the baseline).

    Attributes
    ----------
    kind : {"others", "zero", "mean"}
        ``"others"``: a training average of classes other than the explained one (see :func:`starting_point`);
        ``"zero"``: every number zero; ``"mean"``: every channel at its training average (the network's own
        normalisation mean).
    values : ndarray of shape (F, T_raw)
        Raw values, the recording's shape.
    time_aligned : bool
        True when ``values`` is an average step by step (every training recording averaged has the recording's
        length); False when every step holds each channel's average over all steps (or zeros).
    classes : tuple of int
        For ``"others"``, the classes (1-based) whose training recordings were averaged; empty otherwise.
    recordings : int
        For ``"others"``, how many training recordings were averaged; 0 otherwise.
    all_others : bool
        For ``"others"``: True when ``classes`` are all the classes but the explained one; False when the
        network took their average for the explained class, and ``classes`` is the one other class whose average
        it gives the explained class the lowest probability.
    """

    kind: str
    values: np.ndarray
    time_aligned: bool
    classes: tuple[int, ...] = ()
    recordings: int = 0
    all_others: bool = False


@dataclass(frozen=True)
class Attribution:
    """How much each input value moved one class score away from the starting point's.

    Attributes
    ----------
    values : ndarray of shape (F, T)
        Share of ``score_input - score_baseline`` given to each channel at each step the network reads;
        positive values pushed towards ``target``, negative ones away from it.
    target : int
        The class (1-based) being explained.
    inputs : ndarray of shape (F, T)
        What the network reads of the recording (:meth:`LSTMClassifier.network_input`).
    baseline : ndarray of shape (F, T)
        What the network reads of the starting point: the path starts there.
    logits_input : ndarray of shape (C,)
        Every class's score (logit, before the softmax) for the recording.
    logits_baseline : ndarray of shape (C,)
        Every class's score for the starting point.
    switches : int
        Switches (jumps of the score along the path) integrated in 64 bits.
    switches_left : int
        Switches found but not integrated so: more than ``MAX_SWITCHES``, over the work budget, or a step even in
        64-bit numbers. Their jumps are missing from ``values``.
    """

    values: np.ndarray
    target: int
    inputs: np.ndarray
    baseline: np.ndarray
    logits_input: np.ndarray
    logits_baseline: np.ndarray
    switches: int = 0
    switches_left: int = 0

    @property
    def score_input(self) -> float:
        """The target's score (logit) for the recording."""
        return float(self.logits_input[self.target - 1])

    @property
    def score_baseline(self) -> float:
        """The target's score (logit) for the starting point."""
        return float(self.logits_baseline[self.target - 1])

    @property
    def change(self) -> float:
        """``score_input - score_baseline``: what the shares add up to."""
        return self.score_input - self.score_baseline

    @property
    def probs_input(self) -> np.ndarray:
        """Every class's probability (C,) for the recording: the softmax of ``logits_input``."""
        return _softmax(self.logits_input)

    @property
    def probs_baseline(self) -> np.ndarray:
        """Every class's probability (C,) for the starting point."""
        return _softmax(self.logits_baseline)

    @property
    def gap(self) -> float:
        """``|values.sum() - change|``: how much of the change the shares miss (or add)."""
        return abs(float(self.values.sum()) - self.change)

    @property
    def approximate(self) -> bool:
        """True when ``gap`` exceeds ``COMPLETENESS_TOLERANCE`` times ``max(|change|, LITTLE_CHANGE)``: the shares
        do not add up to the change, so the colours are approximate."""
        return self.gap > COMPLETENESS_TOLERANCE * max(abs(self.change), LITTLE_CHANGE)

    @property
    def completeness_error(self) -> float:
        """How far ``values.sum()`` is from ``change``, relative to that change.

        The bare gap is returned if the score does not change at all.
        """
        return self.gap / abs(self.change) if self.change else self.gap


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) - np.max(logits)  # (C,)
    return np.exp(z) / np.exp(z).sum()


def little_to_explain(attr: Attribution) -> bool:
    """True when the starting point scores the target about as high as the recording.

    The rule: ``|score_input - score_baseline| < LITTLE_CHANGE`` (1.0). The shares add up to that change, so
    they are all near zero and no cell is strong evidence of anything: the map has little to explain from this
    starting point.
    """
    return abs(attr.change) < LITTLE_CHANGE


def class_average(
    sequences: Sequence[np.ndarray], labels, classes: Sequence[int], length: int
) -> tuple[np.ndarray, bool, int]:
    """The training recordings of ``classes``, averaged into one recording of ``length`` steps.

    Parameters
    ----------
    sequences : sequence of ndarray, each of shape (F, T_i)
        Raw training recordings.
    labels : array-like of shape (N,)
        Their classes, 1 to C.
    classes : sequence of int
        The classes (1-based) averaged.
    length : int
        Steps of the recording to explain.

    Returns
    -------
    values : ndarray of shape (F, length)
        If every recording of ``classes`` has ``length`` steps, their average step by step; otherwise every step
        holds each channel's average over all steps of those recordings (each recorded step counts once).
    time_aligned : bool
        Which of the two it is.
    recordings : int
        How many recordings were averaged.
    """
    labels = np.asarray(labels)
    if len(labels) != len(sequences):
        raise ValueError(f"labels must name the {len(sequences)} sequences, got {len(labels)}")
    if not (is_int(length) and length >= 1):
        raise ValueError(f"length must be a whole number of steps, at least 1, got {length!r}")
    chosen = [np.asarray(s, dtype=np.float64) for s, label in zip(sequences, labels, strict=True) if label in classes]
    if not chosen:
        raise ValueError(f"there is no training recording of the classes {sorted(classes)}")
    if all(s.shape[1] == length for s in chosen):
        return np.mean(chosen, axis=0), True, len(chosen)  # (F, length)
    channel_mean = np.concatenate(chosen, axis=1).mean(axis=1)  # (F,)
    return np.repeat(channel_mean[:, None], length, axis=1), False, len(chosen)


def _answers(model: LSTMClassifier, recordings: Sequence[np.ndarray]) -> np.ndarray:
    """Every class's probability (B, C) for raw recordings of one length, each (F, T_raw)."""
    batch = np.stack([model.network_input(r).T for r in recordings])  # (B, T, F)
    with torch.no_grad():
        return torch.softmax(network_scores(model, torch.tensor(batch, dtype=torch.float32)).double(), 1).numpy()


def starting_point(
    model: LSTMClassifier, x, kind: str = "others", *, target: int | None = None, train: Split | None = None
) -> StartingPoint:
    """The starting point ``kind`` for explaining class ``target`` on recording ``x``.

    ``"others"`` is the training average (:func:`class_average`) of every class but ``target``, whose answer
    should not be ``target``. When the network takes that average for ``target`` all the same, it is the average
    of the one other class whose average the network gives ``target`` the lowest probability (if there are two
    or more other classes; with one, the network's answer for its average is shown as it is).

    Parameters
    ----------
    model : LSTMClassifier
        Its ``feature_mean`` is the training average of ``"mean"``; it answers the ``"others"`` candidates.
    x : array-like of shape (F, T_raw)
        The recording.
    kind : {"others", "zero", "mean"}
    target : int, optional
        The class explained (1-based); needed for ``"others"``.
    train : Split, optional
        The training split; needed for ``"others"``.

    Returns
    -------
    StartingPoint
    """
    check_type(model, LSTMClassifier, "model")
    x = validate_sequence(x, n_channels=model.config.n_features)  # (F, T_raw)
    if kind == "zero":
        return StartingPoint(kind, np.zeros_like(x), False)
    if kind == "mean":
        mean = model.feature_mean.detach().numpy().astype(np.float64)  # (F,)
        return StartingPoint(kind, np.repeat(mean[:, None], x.shape[1], axis=1), False)
    if kind != "others":
        raise ValueError(f"kind must be one of {BASELINES}, got {kind!r}")
    _check_target(model, target, required=True)
    check_type(train, Split, "train")
    target = int(target)
    present = sorted({int(c) for c in np.unique(train.labels)} - {target})  # the other classes of the training split
    if not present:
        raise ValueError(f"there is no training recording of a class other than {target}")
    candidates = [tuple(present)] + [(c,) for c in present if len(present) > 1]  # all the others, then each alone
    averages = [class_average(train.sequences, train.labels, classes, x.shape[1]) for classes in candidates]
    probs = _answers(model, [values for values, _, _ in averages])  # (1 + K, C)
    chosen = 0  # all the others, unless the network takes their average for the target
    if probs[0].argmax() + 1 == target and len(candidates) > 1:
        chosen = 1 + int(np.argmin(probs[1:, target - 1]))
    values, aligned, recordings = averages[chosen]
    return StartingPoint(kind, values, aligned, candidates[chosen], recordings, all_others=chosen == 0)


def _check_target(model: LSTMClassifier, target, *, required: bool = False) -> None:
    n_classes = model.config.n_classes
    if (target is None and required) or (target is not None and not (is_int(target) and 1 <= target <= n_classes)):
        raise ValueError(f"target must be a class from 1 to {n_classes}, got {target!r}")


def network_scores(model: torch.nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """Every class's score (B, C) for a batch of equally long inputs (B, T, F) of what the network reads.

    The same as ``model(inputs, lengths)`` with every length T, without packing the batch (packing makes
    64-bit gradients about 40 times slower). ``model`` may be a 64-bit copy of an :class:`LSTMClassifier`.
    """
    z = (inputs - model.feature_mean) / model.feature_std  # (B, T, F)
    _, (h_n, _) = model.lstm(z)  # h_n: (L, B, H)
    return model.fc(h_n[-1])  # (B, C), from the top layer


def _chunk(model: LSTMClassifier, n_steps: int) -> int:
    """Path points per batch: a bounded number of gate values held for the gradient."""
    config = model.config
    return max(1, _CHUNK_VALUES // (n_steps * 4 * config.hidden_size * config.num_layers))


class _Path:
    """The straight path from ``start`` to ``x`` (both (F, T), network steps) through one class's score."""

    def __init__(self, model: LSTMClassifier, start: np.ndarray, x: np.ndarray):
        self.models = {torch.float32: model}
        self.start, self.step = start.T, (x - start).T  # (T, F) each
        self.chunk = _chunk(model, x.shape[1])

    def model(self, dtype: torch.dtype) -> torch.nn.Module:
        if dtype not in self.models:  # a 64-bit copy: the shared model is never changed
            self.models[dtype] = copy.deepcopy(self.models[torch.float32]).to(dtype)
        return self.models[dtype]

    def inputs(self, alphas: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        """Points ``start + a (x - start)`` for every ``a`` in ``alphas`` (A,), shape (A, T, F)."""
        return torch.tensor(self.start[None] + alphas[:, None, None] * self.step[None], dtype=dtype)

    def scores(self, alphas: np.ndarray, dtype: torch.dtype = torch.float32) -> np.ndarray:
        """Every class's score (A, C) at ``alphas`` (A,)."""
        parts = []
        with torch.no_grad():
            for lo in range(0, len(alphas), self.chunk):
                parts.append(network_scores(self.model(dtype), self.inputs(alphas[lo : lo + self.chunk], dtype)))
        return torch.cat(parts).double().numpy()

    def mean_gradient(self, alphas: np.ndarray, weights: np.ndarray, target: int, dtype: torch.dtype) -> np.ndarray:
        """``sum_i weights[i] * dF_target/dinput`` at ``alphas`` (A,), shape (T, F)."""
        total = np.zeros_like(self.start)  # (T, F)
        for lo in range(0, len(alphas), self.chunk):
            inputs = self.inputs(alphas[lo : lo + self.chunk], dtype).requires_grad_(True)  # (a, T, F)
            with torch.enable_grad():  # the caller may be inside torch.no_grad()
                score = network_scores(self.model(dtype), inputs)[:, target - 1].sum()
                (grads,) = torch.autograd.grad(score, inputs)  # (a, T, F)
            total += np.tensordot(weights[lo : lo + self.chunk], grads.double().numpy(), axes=1)
        return total


def _gauss(lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``PANEL_POINTS`` Gauss-Legendre points and weights (P * PANEL_POINTS,) on each panel ``[lows[i], highs[i]]``
    (P,)."""
    nodes, weights = np.polynomial.legendre.leggauss(PANEL_POINTS)  # on [-1, 1]
    centre, half = (highs + lows) / 2, (highs - lows) / 2  # (P,)
    return (centre[:, None] + half[:, None] * nodes).ravel(), (half[:, None] * weights).ravel()


def _panel_edges(grid: np.ndarray, change: np.ndarray, panels: int, even: float) -> np.ndarray:
    """Edges (panels + 1,) on ``grid`` (S + 1,) holding equal shares of ``even`` spread evenly over the cells and
    ``1 - even`` spread as ``change`` (S,)."""
    share = even / len(change) + (1 - even) * change / max(change.sum(), np.finfo(float).tiny)  # (S,)
    cumulative = np.concatenate([[0.0], np.cumsum(share)])  # (S + 1,), strictly increasing
    return np.interp(np.linspace(0.0, cumulative[-1], panels + 1), cumulative, grid)


def _zoom(path: _Path, target: int, lo: float, hi: float) -> tuple[np.ndarray | None, int]:
    """Panel edges graded towards the switch inside the scouting cell ``[lo, hi]``, from ``lo`` to ``hi`` (None
    if the jump is still within one sub-cell after ``_MAX_ZOOMS`` levels: a step even in 64 bits), and the
    zoom levels scored."""
    edges = {lo, hi}
    for level in range(1, _MAX_ZOOMS + 1):
        grid = np.linspace(lo, hi, _ZOOM_CELLS + 1)  # (Z + 1,)
        change = np.abs(np.diff(path.scores(grid, torch.float64)[:, target - 1]))  # (Z,)
        i = int(change.argmax())
        if change[i] <= 0.5 * change.sum():  # spread over several sub-cells: resolved at this scale
            return np.array(sorted(edges | set(_panel_edges(grid, change, _WINDOW_PANELS, even=0.2)))), level
        lo, hi = grid[i], grid[i + 1]
        edges |= {lo, hi}
    return None, _MAX_ZOOMS


def _switch_cells(scout: np.ndarray) -> list[int]:
    """Scouting cells holding a switch, largest change first; ``scout`` (S + 1,) is the target's score."""
    change = np.abs(np.diff(scout))  # (S,)
    neighbour = np.maximum(np.concatenate([[0.0], change[:-1]]), np.concatenate([change[1:], [0.0]]))  # (S,)
    total = change.sum()
    return [
        int(i)
        for i in np.argsort(change)[::-1]
        if change[i] >= _SWITCH_SHARE * total and change[i] > _SWITCH_CONTRAST * neighbour[i] and total > 0
    ]


def _switch_budget(model: LSTMClassifier, n_steps: int) -> int:
    """64-bit gradient evaluations the switches may use on a recording of ``n_steps`` network steps."""
    c = model.config
    per_step = sum(
        4 * c.hidden_size * (c.hidden_size + (c.n_features if i == 0 else c.hidden_size)) for i in range(c.num_layers)
    )
    return int(_SWITCH_WORK // (n_steps * per_step))


def _check_arguments(model, target, steps) -> None:
    check_type(model, LSTMClassifier, "model")
    _check_target(model, target)
    if not (is_int(steps) and PANEL_POINTS <= steps <= MAX_STEPS and steps % PANEL_POINTS == 0):
        raise ValueError(
            f"steps must be a multiple of {PANEL_POINTS} from {PANEL_POINTS} to {MAX_STEPS}, got {steps!r}"
        )


def _raw_baseline(model: LSTMClassifier, x_raw: np.ndarray, baseline) -> np.ndarray:
    """The raw starting point (F, T_raw) named or given by ``baseline``."""
    if isinstance(baseline, str) and baseline in ("zero", "mean"):
        return starting_point(model, x_raw, baseline).values
    if isinstance(baseline, np.ndarray):
        values = validate_sequence(baseline, name="baseline", n_channels=model.config.n_features)
        if values.shape != x_raw.shape:
            raise ValueError(f"baseline must have the recording's shape {x_raw.shape}, got {values.shape}")
        return values
    raise ValueError(f"baseline must be 'zero', 'mean' or an array of the recording's shape, got {baseline!r}")


def integrated_gradients(
    model: LSTMClassifier,
    x,
    target: int | None = None,
    baseline="zero",
    steps: int = 128,
    switches: int = MAX_SWITCHES,
) -> Attribution:
    """Attribute one class score to every channel at every time step.

    A scouting pass without gradients scores the path on a fine grid (and gives both end scores); switches
    found there are integrated in 64 bits (see the module's notes); the rest of the path takes ``steps``
    gradient evaluations in 32 bits. Gradients are taken with respect to the input only, so the model is
    neither changed nor needs gradients switched on.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T_raw)
        Raw values of one recording; F is the model's ``config.n_features``. The attribution is over what the
        network reads of it (:meth:`~core.compute.model.LSTMClassifier.network_input`): T = T_raw, or
        ``ceil(T_raw / k)`` for a network with ``config.step_block`` k.
    target : int, optional
        Class (1-based) to explain; defaults to the class the model predicts for ``x``.
    baseline : {"zero", "mean"} or ndarray of shape (F, T_raw)
        The starting point: all zeros, the model's training mean (``feature_mean``) at every step, or raw values
        of the recording's shape (e.g. :func:`starting_point`'s ``values``).
    steps : int
        32-bit gradient evaluations, a multiple of ``PANEL_POINTS`` up to ``MAX_STEPS``.
    switches : int
        Switches to integrate in 64 bits, at most (0 to ``MAX_SWITCHES``).

    Returns
    -------
    Attribution
        ``values`` (F, T) in raw-input units, with ``values.sum()`` equal to ``score_input - score_baseline``
        up to the quadrature error (``completeness_error``).
    """
    _check_arguments(model, target, steps)
    if not (is_int(switches) and 0 <= switches <= MAX_SWITCHES):
        raise ValueError(f"switches must be from 0 to {MAX_SWITCHES}, got {switches!r}")
    x_raw = validate_sequence(x, n_channels=model.config.n_features)  # (F, T_raw)
    start = model.network_input(_raw_baseline(model, x_raw, baseline))  # (F, T): network steps
    x = model.network_input(x_raw)  # (F, T)
    path = _Path(model, start, x)
    grid = np.linspace(0.0, 1.0, _SCOUT_CELLS + 1)  # (S + 1,)
    scout = path.scores(grid)  # (S + 1, C): row 0 is the starting point, row -1 the recording
    target = int(scout[-1].argmax()) + 1 if target is None else int(target)
    cells = _switch_cells(scout[:, target - 1])
    budget = _switch_budget(model, x.shape[1])  # 64-bit gradient evaluations
    zoomed = {}  # scouting cell -> its graded panel edges
    for cell in cells[:switches]:
        if budget < _ZOOM_COST * _MAX_ZOOMS + _MIN_SWITCH_PANELS * PANEL_POINTS:
            break
        graded, levels = _zoom(path, target, grid[cell], grid[cell + 1])
        budget -= _ZOOM_COST * levels
        if graded is not None and (len(graded) - 1) * PANEL_POINTS <= budget:
            zoomed[cell] = graded
            budget -= (len(graded) - 1) * PANEL_POINTS
    change = np.abs(np.diff(scout[:, target - 1]))  # (S,)
    change[list(zoomed)] = 0.0  # a zoomed cell gets its own panels
    edges = _panel_edges(grid, change, steps // PANEL_POINTS, _EVEN_SHARE)  # (P + 1,)
    for cell in zoomed:  # cut the panels at the zoomed cell's ends
        lo, hi = grid[cell], grid[cell + 1]
        edges = np.union1d(edges[(edges <= lo) | (edges >= hi)], [lo, hi])
    lows, highs = edges[:-1], edges[1:]
    outside = ~np.isin(lows, [grid[cell] for cell in zoomed])  # the panels that are no zoomed cell
    alphas, weights = _gauss(lows[outside], highs[outside])
    mean_grad = path.mean_gradient(alphas, weights, target, torch.float32)  # (T, F)
    for graded in zoomed.values():
        alphas, weights = _gauss(graded[:-1], graded[1:])
        mean_grad += path.mean_gradient(alphas, weights, target, torch.float64)
    return Attribution(
        values=(x - start) * mean_grad.T,
        target=target,
        inputs=x,
        baseline=start,
        logits_input=scout[-1],
        logits_baseline=scout[0],
        switches=len(zoomed),
        switches_left=len(cells) - len(zoomed),
    )
