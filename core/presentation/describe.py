"""Plain-words descriptions of hidden units, generated from their statistics, and of a network's layout.

A description reads, for example::

    Unit 37 is strongly on for walking and off for the others, mostly in the
    first third of the recording; silencing it costs 4 of 40 test sequences.

The classes are named by the data set's :class:`~core.compute.data.DatasetInfo`
(here BasicMotions's activities; "speaker 3" for Japanese Vowels). The
selectivity phrase follows whichever direction stands out more: a unit whose
mean for one class sits further *below* the rest (``off_score``) than any
class's sits above (``score``) is described as "off for <class> and on for
the others". Strength words come from that larger score (see
:data:`STRENGTHS`); timing words from :func:`core.analyses.units.activity_timing`;
the cost from :func:`core.analyses.ablation.single_unit_costs`.

:func:`describe_network` says how a network's layers compare with those of
MATLAB's example network (12 channels, one LSTM layer of 100 hidden units, 9
speakers: :class:`~core.compute.model.ModelConfig`'s defaults).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..analyses.ablation import single_unit_costs
from ..analyses.units import activity_timing, selectivity
from ..compute.cache import DiskCache
from ..compute.checks import check_type, counted
from ..compute.data import Dataset, DatasetInfo, Split
from ..compute.datasets import DEFAULT_DATASET, load_dataset
from ..compute.evaluate import split_traces
from ..compute.model import LSTMClassifier, ModelConfig
from ..compute.stepper import BatchTrace, run_batch
from .frames import words

__all__ = [
    "STRENGTHS",
    "TIMING_PHRASES",
    "UnitStats",
    "class_name",
    "describe_unit",
    "describe_network",
    "unit_stats",
    "unit_table",
]

# (lowest score, word), highest first. A unit that is 1 for one class of nine and 0 otherwise scores about 3.
STRENGTHS = ((2.0, "strongly"), (1.5, "moderately"), (1.0, "weakly"))
TIMING_PHRASES = {
    "start": "mostly in the first third of the recording",
    "middle": "mostly in the middle of the recording",
    "end": "mostly in the last third of the recording",
    "throughout": "throughout the recording",
}


@dataclass(frozen=True)
class UnitStats:
    """What is known about one hidden unit, enough to describe it.

    Attributes
    ----------
    unit : int
        1-based, as shown to users.
    best_speaker, worst_speaker : int
        1-based classes the unit stands furthest above and below the rest for.
    score, off_score : float
        How far, in spreads (see :func:`core.analyses.units.selectivity`).
    timing : str
        One of :data:`core.analyses.units.TIMINGS`.
    cost : int
        Net sequences lost when the unit alone is silenced (negative: gained).
    n_sequences : int
        Sequences in the split the cost was counted on.
    split_name : str
        ``"test"``, ``"train"`` or ``""`` for a split without a name.
    """

    unit: int
    best_speaker: int
    worst_speaker: int
    score: float
    off_score: float
    timing: str
    cost: int
    n_sequences: int
    split_name: str = "test"

    @property
    def is_off_unit(self) -> bool:
        """True when the unit stands out more by being off for one class than on for one."""
        return self.off_score > self.score

    @property
    def speaker(self) -> int:
        """The class (1-based) the unit singles out: its worst for an off unit, else its best."""
        return self.worst_speaker if self.is_off_unit else self.best_speaker

    @property
    def selectivity(self) -> float:
        """The larger of the two scores, negative for an off unit."""
        return -self.off_score if self.is_off_unit else self.score


def _strength(score: float) -> str | None:
    return next((word for threshold, word in STRENGTHS if score >= threshold), None)


def class_name(k: int, class_word: str = "speaker", class_names: Sequence[str] | None = None) -> str:
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


def _selectivity_phrase(stats: UnitStats, class_word: str, class_names: Sequence[str] | None) -> str:
    strength = _strength(abs(stats.selectivity))
    if strength is None:
        return f"responds about equally to every {class_word}"
    state, others = ("off", "on") if stats.is_off_unit else ("on", "off")
    return f"is {strength} {state} for {class_name(stats.speaker, class_word, class_names)} and {others} for the others"


def _cost_phrase(stats: UnitStats) -> str:
    of_split = " ".join(filter(None, (str(stats.n_sequences), stats.split_name, "sequences")))  # no name: no word
    if stats.cost > 0:
        return f"costs {stats.cost} of {of_split}"
    if stats.cost < 0:
        return f"gains {-stats.cost} of {of_split}"
    return f"costs none of the {of_split}"


def describe_unit(stats: UnitStats, *, info: DatasetInfo | None = None) -> str:
    """One sentence saying what a unit responds to, when, and what silencing it costs.

    Strength: a score of at least 2.0 is "strongly", 1.5 "moderately", 1.0
    "weakly" (see :data:`STRENGTHS`); below 1.0 the unit "responds about
    equally to every <class word>". The cost is net: "costs N", "gains N" when
    silencing helps, "costs none" when as many sequences are gained as lost.

    Parameters
    ----------
    stats : UnitStats
    info : DatasetInfo, optional
        The data set: its class word (as in "every activity") and class names (as in "on for walking").
        Japanese Vowels by default ("every speaker", "on for speaker 3").

    Returns
    -------
    str
    """
    info = words(info)
    if not 1 <= stats.speaker <= info.n_classes:
        raise ValueError(f"unit {stats.unit} singles out class {stats.speaker}, but {info.title} has {info.n_classes}")
    if stats.timing not in TIMING_PHRASES:
        raise ValueError(f"timing must be one of {', '.join(TIMING_PHRASES)}; got {stats.timing!r}")
    return (
        f"Unit {stats.unit} {_selectivity_phrase(stats, info.class_word, info.class_names)}, "
        f"{TIMING_PHRASES[stats.timing]}; "
        f"silencing it {_cost_phrase(stats)}."
    )


def _resolve_split(split: Split | str, dataset: Dataset | str) -> tuple[Split, str]:
    if isinstance(split, str):
        return (dataset if isinstance(dataset, Dataset) else load_dataset(dataset)).split(split), split
    if isinstance(split, Split):
        return split, ""
    raise TypeError(f"split must be 'train', 'test' or a Split, got {type(split).__name__}")


def unit_stats(
    model: LSTMClassifier,
    split: Split | str,
    batch: BatchTrace | None = None,
    *,
    layer: int = -1,
    dataset: Dataset | str = DEFAULT_DATASET,
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
    dataset : str or Dataset
        The data set a split name refers to: a shipped one's key (:data:`core.compute.datasets.DATASETS`;
        Japanese Vowels by default) or a ``Dataset`` in memory (an upload).
    cache : DiskCache, optional
        For the traces and the ablation costs; defaults to the project cache.

    Returns
    -------
    list of UnitStats, length H
        In unit order.
    """
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
    sel = selectivity(batch, split_data.labels, n_classes=model.config.n_classes)
    timing = activity_timing(batch)  # (H,)
    costs = single_unit_costs(model, split_data, layer=layer, cache=cache)  # (H,)
    return [
        UnitStats(
            unit=u + 1,
            best_speaker=int(sel.best_speaker[u]),
            worst_speaker=int(sel.worst_speaker[u]),
            score=float(sel.score[u]),
            off_score=float(sel.off_score[u]),
            timing=str(timing[u]),
            cost=int(costs[u]),
            n_sequences=len(split_data),
            split_name=split_name,
        )
        for u in range(len(costs))
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
    DataFrame of shape (len(stats), 6)
        Columns ``unit``; ``best <class word>`` (``best speaker``), the 1-based
        class the unit singles out (:attr:`UnitStats.speaker`); ``selectivity``,
        negative when the unit is off for that class (:attr:`UnitStats.selectivity`);
        ``when active`` (the timing); ``cost``; ``description``.
    """
    info = words(info)
    return pd.DataFrame(
        {
            "unit": [s.unit for s in stats],
            f"best {info.class_word}": [s.speaker for s in stats],
            "selectivity": [s.selectivity for s in stats],
            "when active": [s.timing for s in stats],
            "cost": [s.cost for s in stats],
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
