"""What the pages compute from the sidebar's :class:`~ui.selection.Selection`: traces and analyses of the chosen
network on the chosen data set, through the content-keyed caches of :mod:`ui.loaders` (the chosen layer's view)."""

from __future__ import annotations

import numpy as np

import core
from ui import loaders
from ui.selection import Selection

__all__ = [
    "trace",
    "sequence_trace",
    "split_traces",
    "selectivity",
    "unit_stats",
    "hidden_pca",
    "projected_split",
    "ablation_predictions",
]


def _cached(sel: Selection, loader, *args):
    return loader(sel.model, sel.model_id, sel.dataset, sel.dataset.fingerprint, *args)


def trace(sel: Selection) -> core.Trace:
    """Hidden state, cell state and gates of the chosen layer, and probabilities, after every step of the chosen
    recording."""
    return sequence_trace(sel, sel.x) if sel.split == "upload" else split_traces(sel, sel.split)[sel.index]


def sequence_trace(sel: Selection, x: np.ndarray) -> core.Trace:
    """The chosen layer's trace of a recording ``x`` (channels, T_raw) that is not in the data set."""
    return loaders.sequence_trace(sel.model, sel.model_id, x).layer(sel.layer)


def split_traces(sel: Selection, split: str) -> core.BatchTrace:
    """Every recording of ``split`` seen from the chosen layer; read-only."""
    return _cached(sel, loaders.split_traces, split).layer(sel.layer)


def selectivity(sel: Selection, split: str = "test") -> core.analyses.units.Selectivity:
    """How strongly each hidden unit of the chosen layer singles out each class over ``split``."""
    return _cached(sel, loaders.selectivity, split, sel.layer)


def unit_stats(sel: Selection, split: str = "test") -> list:
    """Every hidden unit's statistics (``core.presentation.describe.UnitStats``) of the chosen layer."""
    return _cached(sel, loaders.unit_stats, split, sel.layer)


def hidden_pca(sel: Selection) -> core.analyses.projection.PCA:
    """The flat map (2-D PCA) of the chosen layer's training hidden states."""
    return _cached(sel, loaders.hidden_pca, sel.layer)


def projected_split(sel: Selection, split: str) -> np.ndarray:
    """Every hidden state of ``split`` on :func:`hidden_pca`'s map, (N, T_max, 2)."""
    return _cached(sel, loaders.projected_split, split, sel.layer)


def ablation_predictions(sel: Selection, silenced: tuple[int, ...], silence_from: int) -> np.ndarray:
    """Final class of every test recording (N,) with units ``silenced`` (0-based) of the chosen layer off from
    network step ``silence_from`` (0-based) on."""
    return _cached(sel, loaders.ablation_predictions, silenced, silence_from, sel.layer)
