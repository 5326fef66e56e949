"""What if? Edit a recording (cut it, stretch it, change a channel, add noise, splice in another one) and see
what the network answers; sweep one edit's strength and find where the answer flips.

An edit is an :class:`Edit` record of one of :data:`KINDS`; :func:`apply_edits` applies a list of them in order
to a raw ``(F, T)`` recording and never changes its input. Edits have a short text form for links
(``cut_start:3,noise:0.5:seed7``): :func:`edits_to_text` writes it, :func:`edits_from_text` reads it back. A splice
takes its stretch from a recording of the same split as the edited one (``splice:17:3-8``, ``other=``) or of the
training split (``splice:train17:3-8``, ``training=``).
:func:`sweep` runs one edit kind at many strengths through :func:`core.compute.stepper.run_batch`, in one call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..compute.checks import bound_text, check_type, is_int, real_array
from ..compute.data import MAX_RECORDED_VALUE
from ..compute.model import LSTMClassifier
from ..compute.stepper import run_batch
from ..compute.upload import MAX_ABS_VALUE, MAX_STEPS, MIN_STEPS

__all__ = [
    "KINDS",
    "SWEEP_KINDS",
    "SPEED_RANGE",
    "MAX_FACTOR",
    "Edit",
    "cut_start",
    "cut_end",
    "keep",
    "speed",
    "scale",
    "flat",
    "noise",
    "splice",
    "apply_edit",
    "apply_edits",
    "value_limit",
    "edits_to_text",
    "edits_from_text",
    "Sweep",
    "sweep_strengths",
    "sweep",
]

# Every kind of edit, in the order a page offers them.
KINDS = ("cut_start", "cut_end", "keep", "speed", "scale", "flat", "noise", "splice")
SWEEP_KINDS = ("noise", "cut_start", "cut_end", "scale", "speed")  # the kinds with one strength to sweep
SPEED_RANGE = (0.2, 5.0)  # playing speeds allowed: 5 times slower to 5 times faster
MAX_FACTOR = 10.0  # a channel is made at most 10 times louder
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_STRETCH = r"(\d+)-(\d+)"
# kind -> the text form of its parameters (after "kind:"), read by edits_from_text
_TEXT_FORMS = {
    "cut_start": (r"(\d+)", "cut_start:N (N steps, e.g. cut_start:3)"),
    "cut_end": (r"(\d+)", "cut_end:N (N steps, e.g. cut_end:3)"),
    "keep": (_STRETCH, "keep:A-B (steps A to B, e.g. keep:3-10)"),
    "speed": (rf"({_NUMBER})", "speed:F (F times as fast, e.g. speed:1.5)"),
    "scale": (rf"(\d+):({_NUMBER})", "scale:CHANNEL:F (channel times F, e.g. scale:2:0.5)"),
    "flat": (r"(\d+)", "flat:CHANNEL (e.g. flat:2)"),
    "noise": (rf"({_NUMBER}):seed(\d+)", "noise:STRENGTH:seedN (e.g. noise:0.5:seed7)"),
    "splice": (
        rf"(train)?(\d+):{_STRETCH}",
        "splice:RECORDING:A-B (e.g. splice:17:3-8), or splice:trainRECORDING:A-B from the training split",
    ),
}


@dataclass(frozen=True)
class Edit:
    """One change to a recording; build it with :func:`cut_start`, :func:`keep`, :func:`noise`... which check
    their arguments.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    amount : float
        Steps cut (``cut_start``, ``cut_end``), speed factor (``speed``), channel factor (``scale``) or noise
        strength (``noise``, the noise's standard deviation in the recording's own units); 0 otherwise.
    channel : int
        1-based channel of ``scale`` and ``flat``; 0 otherwise.
    first, last : int
        1-based steps, both included, of the stretch ``keep`` keeps and ``splice`` replaces; 0 otherwise.
    seed : int
        The noise's random seed (``noise``); 0 otherwise.
    source : int
        1-based recording whose steps ``splice`` takes; 0 otherwise.
    from_training : bool
        For ``splice``: True if ``source`` counts recordings of the training split, False if of the edited
        recording's own split; False otherwise.
    """

    kind: str
    amount: float = 0.0
    channel: int = 0
    first: int = 0
    last: int = 0
    seed: int = 0
    source: int = 0
    from_training: bool = False


def _whole(value, name: str, low: int) -> int:
    if not (is_int(value) and value >= low):
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return int(value)


def _real(value, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    if not (np.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _stretch(first, last) -> tuple[int, int]:
    first, last = _whole(first, "first", 1), _whole(last, "last", 1)
    if last < first:
        raise ValueError(f"the stretch must not end before it starts: steps {first} to {last}")
    return first, last


def cut_start(steps: int) -> Edit:
    """Cut the first ``steps`` steps (at least 1)."""
    return Edit("cut_start", amount=float(_whole(steps, "steps", 1)))


def cut_end(steps: int) -> Edit:
    """Cut the last ``steps`` steps (at least 1)."""
    return Edit("cut_end", amount=float(_whole(steps, "steps", 1)))


def keep(first: int, last: int) -> Edit:
    """Keep only steps ``first`` to ``last`` (1-based, both included)."""
    first, last = _stretch(first, last)
    return Edit("keep", first=first, last=last)


def speed(factor: float) -> Edit:
    """Play ``factor`` times as fast (2: half as many steps; 0.5: twice as many), within :data:`SPEED_RANGE`."""
    return Edit("speed", amount=_real(factor, "the speed factor", *SPEED_RANGE))


def scale(channel: int, factor: float) -> Edit:
    """Multiply channel ``channel`` (1-based) by ``factor``, from 0 (silent) to :data:`MAX_FACTOR`."""
    return Edit(
        "scale", amount=_real(factor, "the channel factor", 0.0, MAX_FACTOR), channel=_whole(channel, "channel", 1)
    )


def flat(channel: int) -> Edit:
    """Make channel ``channel`` (1-based) flat: every step takes the channel's mean over the recording."""
    return Edit("flat", channel=_whole(channel, "channel", 1))


def noise(strength: float, seed: int = 0) -> Edit:
    """Add random noise of standard deviation ``strength`` (in the recording's own units, at most
    :data:`MAX_FACTOR`), drawn from ``seed``: the same seed gives the same noise, so a stronger noise of one seed
    is the same pattern, louder."""
    return Edit("noise", amount=_real(strength, "the noise strength", 0.0, MAX_FACTOR), seed=_whole(seed, "seed", 0))


def splice(source: int, first: int, last: int, *, from_training: bool = False) -> Edit:
    """Replace steps ``first`` to ``last`` (1-based, both included) with the same steps of recording ``source``
    (1-based) of the same split, or of the training split if ``from_training``."""
    first, last = _stretch(first, last)
    if not isinstance(from_training, (bool, np.bool_)):
        raise TypeError(f"from_training must be True or False, got {from_training!r}")
    return Edit("splice", first=first, last=last, source=_whole(source, "source", 1), from_training=bool(from_training))


def _check_channel(edit: Edit, n_channels: int) -> int:
    if not 1 <= edit.channel <= n_channels:
        raise ValueError(f"channel {edit.channel} does not exist: the recording has channels 1 to {n_channels}")
    return edit.channel - 1


def _check_stretch(edit: Edit, n_steps: int, whose: str) -> slice:
    if edit.last > n_steps:
        raise ValueError(f"steps {edit.first} to {edit.last} do not fit: {whose} has {n_steps} steps")
    return slice(edit.first - 1, edit.last)


def _resample(x: np.ndarray, factor: float) -> np.ndarray:
    """``x`` (F, T) played ``factor`` times as fast: round(T / factor) steps, at least 1, spread evenly from the
    first step to the last, each channel linearly interpolated between the two nearest steps; (F, T')."""
    n_steps = x.shape[1]
    new_steps = max(1, round(n_steps / factor))
    positions = np.linspace(0, n_steps - 1, new_steps) if new_steps > 1 else np.zeros(1)  # (T',), 0-based
    return np.stack([np.interp(positions, np.arange(n_steps), row) for row in x])


def apply_edit(x, edit: Edit, *, other: Sequence | None = None, training: Sequence | None = None) -> np.ndarray:
    """One edit applied to one recording.

    Parameters
    ----------
    x : array-like of shape (F, T)
        Raw values; not changed.
    edit : Edit
    other : sequence of array-like, each (F, T_i), optional
        The recordings of ``x``'s split, which a ``splice`` takes from (``edit.source`` is 1-based into it).
    training : sequence of array-like, each (F, T_i), optional
        The recordings of the training split, which a ``splice`` with ``edit.from_training`` takes from.

    Returns
    -------
    ndarray of shape (F, T'), float64
        A new array; T' differs from T for ``cut_start``, ``cut_end``, ``keep`` and ``speed``.

    Raises
    ------
    ValueError
        Saying why the edit does not fit the recording (a cut longer than it, a channel it lacks...).
    """
    check_type(edit, Edit, "edit")
    x = real_array(x, "x")
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (channels, T) with T >= 1, got {x.shape}")
    n_channels, n_steps = x.shape
    out = x.copy()  # (F, T)
    if edit.kind in ("cut_start", "cut_end"):
        steps = int(edit.amount)
        if steps > n_steps - MIN_STEPS:
            raise ValueError(
                f"cannot cut {steps} steps from a recording of {n_steps}: at least {MIN_STEPS} steps must remain"
            )
        return out[:, steps:] if edit.kind == "cut_start" else out[:, : n_steps - steps]
    if edit.kind == "keep":
        return out[:, _check_stretch(edit, n_steps, "the recording")]
    if edit.kind == "speed":
        return _resample(out, edit.amount)
    if edit.kind == "scale":
        out[_check_channel(edit, n_channels)] *= edit.amount
        return out
    if edit.kind == "flat":
        channel = _check_channel(edit, n_channels)
        out[channel] = out[channel].mean()
        return out
    if edit.kind == "noise":
        return out + edit.amount * np.random.default_rng(edit.seed).standard_normal(out.shape)
    if edit.kind == "splice":
        recordings, split, name = (
            (training, "the training split", f"training recording {edit.source}")
            if edit.from_training
            else (other, "the split", f"recording {edit.source}")
        )
        if recordings is None:
            needed = "training=" if edit.from_training else "other="
            raise ValueError(f"a splice needs the recordings to take from: pass {needed}")
        if not 1 <= edit.source <= len(recordings):
            raise ValueError(f"{name} does not exist: {split} has recordings 1 to {len(recordings)}")
        source = real_array(recordings[edit.source - 1], name)
        if source.shape[0] != n_channels:
            raise ValueError(f"{name} has {source.shape[0]} channels; this one has {n_channels}")
        stretch = _check_stretch(edit, n_steps, "this recording")
        _check_stretch(edit, source.shape[1], name)
        out[:, stretch] = source[:, stretch]
        return out
    raise ValueError(f"unknown edit kind {edit.kind!r}; the kinds are {', '.join(KINDS)}")


def value_limit(recordings) -> float:
    """How far from 0 an edit (or an own sequence) may take the values of a recording of a data set whose
    recordings are ``recordings`` (each (F, T_i)): ±``MAX_ABS_VALUE``, or ``MAX_FACTOR`` times their largest value
    where that is more (a data set recorded in large units, such as counts in the thousands), rounded up to two
    significant figures (so that a message states it exactly: 15,234.6 becomes 16,000) and at most
    ``MAX_RECORDED_VALUE``."""
    largest = max(float(np.abs(real_array(r, "recordings")).max()) for r in recordings)
    wanted = max(MAX_ABS_VALUE, MAX_FACTOR * largest)
    unit = 10.0 ** (int(np.floor(np.log10(wanted))) - 1)  # the second significant figure's
    return min(MAX_RECORDED_VALUE, float(np.ceil(wanted / unit)) * unit)


def apply_edits(
    x,
    edits: Sequence[Edit],
    *,
    other: Sequence | None = None,
    training: Sequence | None = None,
    limit: float = MAX_ABS_VALUE,
) -> np.ndarray:
    """Edits applied one after the other, each to what the ones before it left.

    Parameters
    ----------
    x : array-like of shape (F, T)
        Raw values; not changed.
    edits : sequence of Edit
        In order; none gives a copy of ``x``.
    other : sequence of array-like, each (F, T_i), optional
        The recordings a ``splice`` takes from: those of ``x``'s split.
    training : sequence of array-like, each (F, T_i), optional
        The recordings a ``splice`` with ``from_training`` takes from: those of the training split.

    Returns
    -------
    ndarray of shape (F, T'), float64
        At least 2 steps and at most 500 (an own sequence's limits) or T if ``x`` is longer; values within
        ±``limit`` (:func:`value_limit` of the data set's recordings; ±1000 by default).

    Raises
    ------
    ValueError
        Naming the edit (1-based) that does not fit, and why.
    """
    edited = real_array(x, "x")
    if edited.ndim != 2 or edited.shape[1] < MIN_STEPS:
        raise ValueError(f"x must have shape (channels, T) with T >= {MIN_STEPS}, got {edited.shape}")
    edited = edited.copy()
    longest = MAX_STEPS  # an edit may not make a recording longer than any recording may be
    for number, edit in enumerate(edits, start=1):
        try:
            edited = apply_edit(edited, edit, other=other, training=training)
        except (ValueError, TypeError) as exc:
            shown = edits_to_text([edit]) if isinstance(edit, Edit) and edit.kind in KINDS else repr(edit)
            raise type(exc)(f"edit {number} ({shown}): {exc}") from exc
        if edited.shape[1] > longest:
            raise ValueError(
                f"edit {number} ({edits_to_text([edit])}): the recording would have {edited.shape[1]} steps; "
                f"the limit is {longest}"
            )
        if edited.shape[1] < MIN_STEPS:
            raise ValueError(
                f"edit {number} ({edits_to_text([edit])}): it leaves {edited.shape[1]} step; "
                f"at least {MIN_STEPS} must remain"
            )
        if np.abs(edited).max() > limit:
            raise ValueError(
                f"edit {number} ({edits_to_text([edit])}): values would go beyond ±{bound_text(limit)}, "
                "too far from any real recording"
            )
    return edited


def _number_text(value: float) -> str:
    """``3`` for 3.0, ``0.5`` for 0.5: the shortest text that reads back as the same float."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def edits_to_text(edits: Sequence[Edit]) -> str:
    """The link text of ``edits``, e.g. ``"cut_start:3,noise:0.5:seed7"`` (``""`` for none); read back by
    :func:`edits_from_text`."""
    parts = []
    for edit in edits:
        check_type(edit, Edit, "each edit")
        params = {
            "cut_start": [_number_text(edit.amount)],
            "cut_end": [_number_text(edit.amount)],
            "keep": [f"{edit.first}-{edit.last}"],
            "speed": [_number_text(edit.amount)],
            "scale": [str(edit.channel), _number_text(edit.amount)],
            "flat": [str(edit.channel)],
            "noise": [_number_text(edit.amount), f"seed{edit.seed}"],
            "splice": [f"{'train' * edit.from_training}{edit.source}", f"{edit.first}-{edit.last}"],
        }
        if edit.kind not in params:
            raise ValueError(f"unknown edit kind {edit.kind!r}; the kinds are {', '.join(KINDS)}")
        parts.append(":".join([edit.kind, *params[edit.kind]]))
    return ",".join(parts)


def _edit_from_groups(kind: str, groups: tuple[str, ...]) -> Edit:
    """The edit of ``kind`` whose parameters are ``groups``, the text matched by its pattern in ``_TEXT_FORMS``."""
    if kind == "speed":
        return speed(float(groups[0]))
    if kind == "scale":
        return scale(int(groups[0]), float(groups[1]))
    if kind == "noise":
        return noise(float(groups[0]), int(groups[1]))
    if kind == "splice":
        training, source, first, last = groups
        return splice(int(source), int(first), int(last), from_training=training is not None)
    whole = [int(g) for g in groups]
    builders = {"cut_start": cut_start, "cut_end": cut_end, "keep": keep, "flat": flat}
    return builders[kind](*whole)


def edits_from_text(text: str) -> list[Edit]:
    """The edits of a link text written by :func:`edits_to_text` (``""`` or spaces: none).

    Raises
    ------
    ValueError
        Naming the part that is not an edit and what a good one looks like.
    """
    if not isinstance(text, str):
        raise ValueError(f"edits text must be a str, got {type(text).__name__}")
    if not text.strip():
        return []
    edits = []
    for number, part in enumerate(text.split(","), start=1):
        part = part.strip()
        kind, _, params = part.partition(":")
        if kind not in _TEXT_FORMS:
            raise ValueError(
                f"edit {number} {part[:40]!r} is not an edit: it must start with one of {', '.join(KINDS)}"
            )
        pattern, form = _TEXT_FORMS[kind]
        found = re.fullmatch(pattern, params, re.ASCII)
        if found is None:
            raise ValueError(f"edit {number} {part[:40]!r} is not {form}")
        try:
            edits.append(_edit_from_groups(kind, found.groups()))
        except ValueError as exc:
            raise ValueError(f"edit {number} {part[:40]!r}: {exc}") from exc
    return edits


@dataclass(frozen=True)
class Sweep:
    """One edit kind at many strengths, and the network's final answer at each.

    Attributes
    ----------
    kind : str
        One of :data:`SWEEP_KINDS`.
    strengths : ndarray of shape (S,)
    probs : ndarray of shape (S, C)
        Class probabilities after the last step of each edited recording.
    answer : int
        The class (1-based) the network answers for the unedited recording.
    answer_probs : ndarray of shape (S,)
        The probability of ``answer`` at each strength.
    predictions : ndarray of shape (S,)
        The answer (1-based) at each strength.
    """

    kind: str
    strengths: np.ndarray
    probs: np.ndarray
    answer: int
    answer_probs: np.ndarray
    predictions: np.ndarray

    @property
    def flips(self) -> np.ndarray:
        """Indices i (0-based, ascending) where the answer at strength i differs from the one at strength i - 1
        (for i = 0: from :attr:`answer`), shape (k,)."""
        before = np.concatenate([[self.answer], self.predictions[:-1]])  # (S,)
        return np.flatnonzero(self.predictions != before)

    @property
    def first_flip(self) -> float | None:
        """The smallest strength at which the answer is no longer :attr:`answer`; None if it never changes."""
        changed = np.flatnonzero(self.predictions != self.answer)
        return float(self.strengths[changed[0]]) if changed.size else None


def _sweep_edit(kind: str, strength: float, channel: int, seed: int) -> Edit:
    """The edit of ``kind`` at ``strength``."""
    if kind == "noise":
        return noise(strength, seed)
    if kind == "scale":
        return scale(channel, strength)
    if kind == "speed":
        return speed(strength)
    return (cut_start if kind == "cut_start" else cut_end)(int(strength))


def sweep_strengths(kind: str, n_steps: int, n: int = 50) -> np.ndarray:
    """The strengths a page sweeps for ``kind`` on a recording of ``n_steps`` steps.

    Parameters
    ----------
    kind : str
        One of :data:`SWEEP_KINDS`.
    n_steps : int
        T, the recording's length.
    n : int
        How many strengths (cuts have at most one per step).

    Returns
    -------
    ndarray of shape (S,)
        Noise: 0 to 2 (the recordings' values lie within about ±2); channel factor: 0 to 3; speed: 0.5 to 4,
        evenly spaced on a log scale; cuts: 0 to T - 2 steps, whole numbers, at most ``n`` of them.
    """
    if kind not in SWEEP_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SWEEP_KINDS)}, got {kind!r}")
    n_steps, n = _whole(n_steps, "n_steps", MIN_STEPS), _whole(n, "n", 2)
    if kind == "noise":
        return np.linspace(0.0, 2.0, n)
    if kind == "scale":
        return np.linspace(0.0, 3.0, n)
    if kind == "speed":
        return np.geomspace(0.5, 4.0, n)  # at most twice as slow: a sweep of 50 stays within 1 s on 2 threads
    return np.unique(np.round(np.linspace(0, n_steps - MIN_STEPS, min(n, n_steps - 1)))).astype(float)


def sweep(
    model: LSTMClassifier,
    x,
    kind: str,
    strengths,
    *,
    channel: int = 1,
    seed: int = 0,
    edits: Sequence[Edit] = (),
    limit: float = MAX_ABS_VALUE,
) -> Sweep:
    """The network's final answer as one edit grows: every strength's recording in one batched run.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T)
        The recording; F is ``model.config.n_features``.
    kind : str
        One of :data:`SWEEP_KINDS`: ``noise`` (strength: the noise's standard deviation), ``cut_start`` and
        ``cut_end`` (steps cut; 0 cuts none), ``scale`` (the factor of channel ``channel``), ``speed`` (the
        speed factor).
    strengths : array-like of shape (S,)
        At least one, each a valid strength of ``kind`` (0 is allowed for cuts: nothing is cut).
    channel : int
        1-based channel of ``scale``.
    seed : int
        The noise's seed: every strength adds the same noise pattern, scaled.
    edits : sequence of Edit
        Applied before the swept one (the other recordings a splice needs cannot be given: no splices here).
    limit : float
        How far from 0 the edited values may go (:func:`value_limit`).

    Returns
    -------
    Sweep
        ``answer`` is the network's answer on ``x`` with ``edits`` and no swept edit.
    """
    check_type(model, LSTMClassifier, "model")
    if kind not in SWEEP_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SWEEP_KINDS)}, got {kind!r}")
    strengths = real_array(strengths, "strengths", not_numbers=ValueError)
    if strengths.ndim != 1 or strengths.size == 0:
        raise ValueError(f"strengths must be a non-empty 1-D array, got shape {strengths.shape}")
    if kind in ("cut_start", "cut_end") and np.any(strengths != np.round(strengths)):
        raise ValueError(f"a cut's strengths must be whole numbers of steps, got {strengths.tolist()!r}")
    base = apply_edits(x, edits, limit=limit)  # (F, T)
    recordings = [base]  # the unedited one first: its answer is the one to keep
    for strength in strengths:
        if kind in ("cut_start", "cut_end") and strength == 0:
            recordings.append(base)
        else:
            edit = _sweep_edit(kind, float(strength), channel, seed)
            recordings.append(apply_edits(base, [edit], limit=limit))
    final = run_batch(model, recordings).final_probs  # (1 + S, C)
    answer = int(final[0].argmax()) + 1
    probs = final[1:]  # (S, C)
    return Sweep(kind, strengths.copy(), probs, answer, probs[:, answer - 1].copy(), probs.argmax(axis=1) + 1)
