"""Plain-words descriptions of hidden units, generated from their statistics, and of a network's layout.

A description reads, for example::

    Unit 37 is on for walking: its average there is 0.42 above the other activities' (strength 2.50, a strong
    difference),
    mostly in the first third of the recording. Silencing it alone lowers the probability of walking by 12
    points on its recordings and costs 4 right answers on the 40 test recordings.

Which class a unit singles out, and whether it is on or off for it, is
:func:`core.analyses.units.class_units`: the one meaning of "a unit for class X" that the units table, its
search, the Silence units page and the tour share. A description says a unit carries its class only as far as
silencing the unit (:func:`core.analyses.ablation.single_unit_effects`) lowers that class's probability;
otherwise it says the unit has no effect of its own (or, when silencing it raises that probability by
:data:`NO_EFFECT` or more, by how much it rises). Strength words come from the contrast (see
:data:`STRENGTHS`), timing words from :func:`core.analyses.units.activity_timing`.

:func:`describe_network` says how a network's layers compare with those of
MATLAB's example network (12 channels, one LSTM layer of 100 hidden units, 9
speakers: :class:`~core.compute.model.ModelConfig`'s defaults).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from ..analyses.ablation import single_unit_effects
from ..analyses.units import MIN_CONTRAST, MIN_GAP, activity_timing, class_units, selectivity
from ..compute.cache import DiskCache
from ..compute.checks import check_type, counted
from ..compute.data import Dataset, DatasetInfo, Split
from ..compute.datasets import load_dataset
from ..compute.evaluate import split_traces
from ..compute.model import LSTMClassifier, ModelConfig
from ..compute.stepper import BatchTrace, run_batch
from .frames import words
from .numbers import MINUS, accuracy_percent, percent

__all__ = [
    "STRENGTHS",
    "TIMING_PHRASES",
    "NO_EFFECT",
    "UnitStats",
    "class_name",
    "role_words",
    "effect_words",
    "class_change_words",
    "answers_change_words",
    "silencing_summary",
    "describe_unit",
    "describe_network",
    "colour_words",
    "unit_stats",
    "unit_table",
]

# (lowest contrast, word), highest first. A unit that is 1 for one class of nine and 0 otherwise scores about 3.
STRENGTHS = ((2.0, "strong"), (1.5, "moderate"), (1.0, "weak"))
TIMING_PHRASES = {
    "start": "mostly in the first third of the recording",
    "middle": "mostly in the middle of the recording",
    "end": "mostly in the last third of the recording",
    "throughout": "throughout the recording",
}
NO_EFFECT = 0.01  # silencing a unit that lowers its class's probability by less than this has no effect of its own


@dataclass(frozen=True)
class UnitStats:
    """What is known about one hidden unit, enough to describe it.

    Attributes
    ----------
    unit : int
        1-based, as shown to users.
    klass : int
        The class (1-based) the unit singles out (:class:`core.analyses.units.ClassUnits`); 0 for none.
    sign : int
        +1 on for it, -1 off for it, 0 for none.
    strength : float
        Its contrast for that class, in spreads (0 up to about 3).
    gap : float
        Its average for that class minus the other classes', in hidden-state units.
    timing : str
        One of :data:`core.analyses.units.TIMINGS`.
    cost : int
        Right answers lost when the unit alone is silenced (negative: gained).
    class_drop : float
        How far its class's probability falls on that class's recordings when it is silenced (0 for none).
    n_sequences : int
        Recordings of the split the effects were measured on.
    split_name : str
        ``"test"``, ``"train"`` or ``""`` for a split without a name.
    """

    unit: int
    klass: int
    sign: int
    strength: float
    gap: float
    timing: str
    cost: int
    class_drop: float
    n_sequences: int
    split_name: str = "test"

    @property
    def carries_its_class(self) -> bool:
        """True when the unit singles out a class and silencing it lowers that class's probability by at least
        :data:`NO_EFFECT`."""
        return self.klass > 0 and self.class_drop >= NO_EFFECT


def _strength(contrast: float) -> str | None:
    return next((word for threshold, word in STRENGTHS if contrast >= threshold), None)


def class_name(k: int, class_word: str = "speaker", class_names=None) -> str:
    """How people read class ``k`` (1-based): its name when names are given, else "<class word> k".

    Parameters
    ----------
    k : int
        1 to C.
    class_word : str
        What a class is (:attr:`core.compute.data.DatasetInfo.class_word`).
    class_names : sequence of str, length C, optional
        :attr:`core.compute.data.DatasetInfo.class_names`.

    Returns
    -------
    str
        "speaker 3" by default.
    """
    if class_names is None:
        return f"{class_word} {k}"
    if not 1 <= k <= len(class_names):
        raise ValueError(f"class {k} has no name: class_names has {len(class_names)}")
    return str(class_names[k - 1])


def role_words(stats: UnitStats, info: DatasetInfo) -> str:
    """The unit's class and direction in two or three words: "on for walking", "off for speaker 3" or
    "no class"."""
    if stats.klass == 0:
        return "no class"
    return f"{'on' if stats.sign > 0 else 'off'} for {class_name(stats.klass, info.class_word, info.class_names)}"


def answers_change_words(lost: int) -> str:
    """A change in the number of right answers, ``lost`` of them (negative: gained), in words: "4 fewer right",
    "2 more right", "as many right"."""
    if lost > 0:
        return f"{lost} fewer right"
    return f"{-lost} more right" if lost < 0 else "as many right"


def class_change_words(stats: UnitStats) -> str:
    """What silencing the unit alone does to its class's probability, in the form its description uses:
    "−12 points" (it falls), "+3 points" (it rises), "under 1 point" (neither by :data:`NO_EFFECT`) or "no
    class"."""
    if stats.klass == 0:
        return "no class"
    if stats.carries_its_class:
        return f"{MINUS}{_points(stats.class_drop)}"
    if stats.class_drop <= -NO_EFFECT:
        return f"+{_points(-stats.class_drop)}"
    return "under 1 point"


def effect_words(stats: UnitStats) -> str:
    """What silencing the unit alone does to the right answers (:func:`answers_change_words` of its cost)."""
    return answers_change_words(stats.cost)


def silencing_summary(n_units: int, from_step: int, broken: int, mended: int, accuracy: tuple[float, float]) -> str:
    """What silencing ``n_units`` units from time step ``from_step`` does on the test set, in one sentence:
    ``broken`` recordings go from right to wrong, ``mended`` from wrong to right, and the accuracy from
    ``accuracy[0]`` to ``accuracy[1]``."""
    which = "this unit" if n_units == 1 else f"these {n_units} units"

    def turned(n: int, was: str, now: str) -> str:
        if n == 1:
            return f"1 recording that was {was} is now {now}"
        return f"{n or 'no'} recordings that were {was} are now {now}"

    net = broken - mended
    if net > 0:
        verdict = f"costs {net} right answer{'s' * (net != 1)}"
    elif net < 0:
        verdict = f"gains {-net} right answer{'s' * (net != -1)}"
    else:
        verdict = "leaves the number of right answers as it is"
    return (
        f"Silencing {which} from time step {from_step} **{verdict}**: {turned(broken, 'named right', 'wrong')}, "
        f"and {turned(mended, 'wrong', 'right')}. The network's accuracy goes from {accuracy_percent(accuracy[0])} "
        f"to {accuracy_percent(accuracy[1])}."
    )


def describe_unit(stats: UnitStats, *, info: DatasetInfo | None = None) -> str:
    """Two sentences: which class the unit singles out and how (on or off, how strongly, when), and what silencing
    it alone does, checked: its class's probability falls (by how much), rises (by how much) or does neither by
    :data:`NO_EFFECT` (no effect of its own); and the right answers it costs or gains.

    Parameters
    ----------
    stats : UnitStats
    info : DatasetInfo, optional
        The data set's words; Japanese Vowels by default.

    Returns
    -------
    str
    """
    info = words(info)
    if not 0 <= stats.klass <= info.n_classes:
        raise ValueError(f"unit {stats.unit} singles out class {stats.klass}, but {info.title} has {info.n_classes}")
    if stats.timing not in TIMING_PHRASES:
        raise ValueError(f"timing must be one of {', '.join(TIMING_PHRASES)}; got {stats.timing!r}")
    busy = f"It is busiest {TIMING_PHRASES[stats.timing].removeprefix('mostly ')}."
    of_split = " ".join(filter(None, (str(stats.n_sequences), stats.split_name, "recordings")))
    plural = "s" if abs(stats.cost) != 1 else ""
    if stats.cost > 0:
        answers = f"costs {stats.cost} right answer{plural} in all"
    elif stats.cost < 0:
        answers = f"gains {-stats.cost} right answer{plural} in all"
    else:
        answers = "leaves the number of right answers as it is"
    answers = f"Over the {of_split} it {answers}."
    if stats.klass == 0:
        if abs(stats.gap) < MIN_GAP:  # however steady the difference, it is too small to matter
            apart = (
                f"its average on each {info.class_word}'s recordings is within {abs(stats.gap):.2f} of its average on "
                f"the others' (strength {stats.strength:.2f}), too little to matter"
            )
        else:
            apart = (
                f"its averages differ between {info.class_word_plural}, but by no clear margin (strength "
                f"{stats.strength:.2f}; a weak difference starts at {MIN_CONTRAST:.2f})"
            )
        return f"Unit {stats.unit} singles out no {info.class_word}: {apart}. {busy} {answers}"
    name = class_name(stats.klass, info.class_word, info.class_names)
    side = "above" if stats.sign > 0 else "below"
    others = f"other {info.class_word}'s" if info.n_classes == 2 else f"other {info.class_word_plural}'"
    role = (
        f"Unit {stats.unit} is {'on' if stats.sign > 0 else 'off'} for {name}: its average on {name}'s recordings is "
        f"{abs(stats.gap):.2f} {side} its average on the {others} (strength {stats.strength:.2f}, a "
        f"{_strength(stats.strength)} difference)."
    )
    if stats.carries_its_class:
        effect = f"Silencing it alone lowers the probability of {name} by {_points(stats.class_drop)} on average."
    elif stats.class_drop <= -NO_EFFECT:
        effect = f"Silencing it alone raises the probability of {name} by {_points(-stats.class_drop)} on average."
    else:
        effect = f"Silencing it alone has no effect of its own on {name} (under 1 point)."
    return f"{role} {busy} {effect} {answers}"


def _points(change: float) -> str:
    """A change of probability (0 to 1) in percentage points: "1 point", "12 points"."""
    number = percent(change).rstrip("%")
    return f"{number} point{'s' * (number != '1')}"


def colour_words(quantity: str, scale: alt.Scale) -> str:
    """What the colours of a heatmap of ``quantity`` mean, read from its colour ``scale``
    (:func:`core.presentation.charts.scale_for`): the range of values and which colour is which.

    Parameters
    ----------
    quantity : str
        "hidden", "cell", "cell candidate" or a gate ("input", "forget", "output").
    scale : altair.Scale
        With a two-number ``domain`` and the ``scheme`` "redblue" (reversed: red high) or "viridis".

    Returns
    -------
    str
        e.g. "Each value lies between −1 and 1: red means strongly positive, blue strongly negative, white near
        zero."

    Raises
    ------
    ValueError
        For a scale of another colour scheme, which no words here describe.
    """
    spec = scale.to_dict()
    low, high = (float(v) for v in spec["domain"])
    between = f"between {_signed(low)} and {_signed(high)}"
    if spec.get("scheme") == "redblue" and spec.get("reverse"):
        colours = "red means strongly positive, blue strongly negative, white near zero"
        if quantity == "cell":
            return (
                f"The cell state has no fixed range: here the colours run {between}, the largest size it reaches in "
                f"any unit in this recording; {colours}."
            )
        return f"Each value lies {between}: {colours}."
    if spec.get("scheme") == "viridis":
        return f"Each value lies {between}, from closed to open: dark purple means nearly closed, yellow wide open."
    raise ValueError(f"no words for the colour scheme {spec.get('scheme')!r} of {quantity!r}")


def _signed(value: float) -> str:
    """ "−1", "0", "4.9": a scale's end as a page writes it (whole numbers without decimals)."""
    text = f"{abs(value):g}" if float(value).is_integer() else f"{abs(value):.1f}"
    return f"{MINUS}{text}" if value < 0 else text


def _resolve_split(split: Split | str, dataset: Dataset) -> tuple[Split, str]:
    if isinstance(split, str):
        return dataset.split(split), split
    if isinstance(split, Split):
        return split, ""
    raise TypeError(f"split must be 'train', 'test' or a Split, got {type(split).__name__}")


def unit_stats(
    model: LSTMClassifier,
    split: Split | str,
    batch: BatchTrace | None = None,
    *,
    layer: int = -1,
    dataset: Dataset | None = None,
    cache: DiskCache | None = None,
) -> list[UnitStats]:
    """Statistics of every hidden unit of one layer over a split (hidden-state values).

    Parameters
    ----------
    model : LSTMClassifier
    split : {"train", "test"} or Split
        A name loads that split of ``dataset`` and names it in the descriptions.
    batch : BatchTrace, optional
        The split's traces seen from ``layer`` (``BatchTrace.layer``), if already computed; else they are run
        (from the disk cache for a named split).
    layer : int
        The layer whose units are described (0-based, bottom first; -1 is the top).
    dataset : Dataset, optional
        The data set a split name refers to; Japanese Vowels by default.
    cache : DiskCache, optional
        For the traces and the ablation costs; defaults to the project cache.

    Returns
    -------
    list of UnitStats, length H
        In unit order.
    """
    dataset = load_dataset() if dataset is None else dataset
    split_data, split_name = _resolve_split(split, dataset)
    if batch is None:
        batch = (
            split_traces(model, split_name, dataset=dataset, cache=cache)
            if split_name
            else run_batch(model, split_data.sequences)
        )
        batch = batch.layer(layer)
    if len(batch) != len(split_data):
        raise ValueError(f"batch has {len(batch)} sequences but the split has {len(split_data)}")
    classes = class_units(selectivity(batch, split_data.labels, n_classes=model.config.n_classes))
    timing = activity_timing(batch)  # (H,)
    effects = single_unit_effects(model, split_data, layer=layer, cache=cache)  # cost (H,), class_drop (H, C)
    return [
        UnitStats(
            unit=u + 1,
            klass=int(classes.klass[u]),
            sign=int(classes.sign[u]),
            strength=float(classes.strength[u]),
            gap=float(classes.gap[u]),
            timing=str(timing[u]),
            cost=int(effects.cost[u]),
            class_drop=float(effects.class_drop[u, classes.klass[u] - 1]) if classes.klass[u] else 0.0,
            n_sequences=len(split_data),
            split_name=split_name,
        )
        for u in range(len(effects.cost))
    ]


def unit_table(stats: list[UnitStats], *, info: DatasetInfo | None = None) -> pd.DataFrame:
    """A searchable table of units, one row each, agreeing with its description.

    Parameters
    ----------
    stats : list of UnitStats
    info : DatasetInfo, optional
        As for :func:`describe_unit`.

    Returns
    -------
    DataFrame of shape (len(stats), 8)
        Columns ``unit``; ``class`` (1-based, 0 for none: what the unit singles out, for filtering); ``singles
        out`` (:func:`role_words`); ``strength`` (the contrast, unsigned); ``class if silenced`` (how its class's
        probability moves when it is silenced, :func:`class_change_words`); ``when active``; ``answers when
        silenced`` (:func:`effect_words`); ``description``.
    """
    info = words(info)
    return pd.DataFrame(
        {
            "unit": [s.unit for s in stats],
            "class": [s.klass for s in stats],
            "singles out": [role_words(s, info) for s in stats],
            "strength": [s.strength for s in stats],
            "class if silenced": [class_change_words(s) for s in stats],
            "when active": [s.timing for s in stats],
            "answers when silenced": [effect_words(s) for s in stats],
            "description": [describe_unit(s, info=info) for s in stats],
        }
    )


def describe_network(config: ModelConfig, *, info: DatasetInfo | None = None) -> str:
    """How the network's layers compare with MATLAB's example network, in one or two sentences.

    Parameters
    ----------
    config : ModelConfig
        The network's architecture (``model.config``).
    info : DatasetInfo, optional
        Its data set, for the class word ("speaker", "activity", "class"); by default "class".

    Returns
    -------
    str
        "This is the layout of MATLAB's example network, at its size: ..." for 12 channels, one LSTM layer of
        100 hidden units and 9 classes; otherwise the same kinds of layers at this network's size, and
        MATLAB's.
    """
    check_type(config, ModelConfig, "config")
    F, L, H, C = config.n_features, config.num_layers, config.hidden_size, config.n_classes
    matlab = ModelConfig()
    if (F, L, H, C) == (matlab.n_features, matlab.num_layers, matlab.hidden_size, matlab.n_classes):
        return (
            "This is the layout of MATLAB's example network, at its size: 12 channels in, one LSTM layer of 100 "
            "hidden units, 9 scores out."
        )
    word = "class" if info is None else info.class_word
    return (
        f"This network has the same kinds of layers as MATLAB's example network, at another size: it reads "
        f"{counted(F, 'channel')} with {counted(L, 'LSTM layer')} of {counted(H, 'hidden unit')} and gives "
        f"{counted(C, 'score')}, one per {word}; MATLAB's reads 12 channels with one LSTM layer of 100 hidden "
        "units and gives 9 scores."
    )
