"""Thin Streamlit caches over ``core``: everything a page shows is loaded through here.

``st.cache_resource`` holds objects shared by every session (the data, the
models, whole-split traces); they are read-only (NumPy arrays are flagged so,
models have gradients off and are never mutated). Per-session state lives in
``st.session_state`` (see ``ui.state``), never in these objects.
"""

from __future__ import annotations

import gc
import logging
import os
import threading

import numpy as np
import streamlit as st
import torch

import core
from core.analyses.lab import LabResult, LabSettings, train_variant

__all__ = [
    "dataset",
    "shipped_model",
    "shipped_meta",
    "lab_variant",
    "split_traces",
    "sequence_trace",
    "attribution",
    "explanation",
    "selectivity",
    "unit_stats",
    "hidden_pca",
    "projected_split",
    "ablation_predictions",
    "whatif_sweep",
    "lab_training_slot",
]

log = logging.getLogger(__name__)
# Each session's script runs in its own thread; one torch thread per call keeps
# concurrent sessions from oversubscribing the two cores (see benchmarks/).
torch.set_num_threads(int(os.environ.get("LSTM_EXPLORER_TORCH_THREADS", "1")))
# Streamlit collects garbage after every script run (runner.postScriptGC). With torch, Altair and pandas loaded,
# a full collection scans about 260,000 objects and holds the interpreter lock for about 100 ms, which every slider
# move would wait for (README, Performance). What is imported at this point lives as long as the process: frozen,
# it is left out of every collection, which then scans only what sessions make afterwards.
gc.freeze()


@st.cache_resource(show_spinner="Loading the data set…")
def dataset(key: str = core.DEFAULT_DATASET) -> core.Dataset:
    """The shipped data set ``key`` (one of ``core.DATASETS``); an uploaded one lives in its session
    (``ui.state``)."""
    return core.load_dataset(key)


@st.cache_resource(show_spinner="Loading the pretrained network…")
def _shipped(key: str) -> tuple[core.LSTMClassifier, dict]:
    return core.load_checkpoint(core.checkpoint_path(key))


def shipped_model(key: str = core.DEFAULT_DATASET) -> core.LSTMClassifier:
    """The pretrained classifier of the shipped data set ``key`` (raises ``core.CheckpointError`` naming the file
    if it is damaged)."""
    return _shipped(key)[0]


def shipped_meta(key: str = core.DEFAULT_DATASET) -> dict:
    """The ``train_config`` and ``history`` of the shipped data set ``key``'s checkpoint."""
    return _shipped(key)[1]


def _source(data: core.Dataset) -> core.Dataset | str:
    """How ``core`` is given ``data``: a shipped data set by its key (its results are disk-cached), an upload as
    it is (computed in memory, never written)."""
    return data.info.key if data.info.key in core.DATASETS else data


@st.cache_resource(max_entries=8, show_spinner=False)
def lab_variant(settings: LabSettings, dataset_key: str, _data: core.Dataset) -> LabResult:
    """A model-lab variant (model and history) trained on ``_data`` (named ``dataset_key`` for the cache), from
    the disk cache or trained now."""
    return train_variant(settings, dataset=_data)


@st.cache_resource(max_entries=3, show_spinner="Running the network over the whole split…")
def split_traces(_model: core.LSTMClassifier, network_key: str, split: str, _data: core.Dataset) -> core.BatchTrace:
    """Traces of every sequence of a split of ``_data``; ``network_key`` names ``_model`` and ``_data`` for the
    cache; read-only."""
    batch = core.split_traces(_model, split, dataset=_source(_data))
    for array in (batch.hidden, batch.cell, batch.gates, batch.probs, batch.lengths):
        array.flags.writeable = False  # fresh traces are; a disk-cache hit is unpickled writable
    return batch


@st.cache_data(max_entries=32, show_spinner=False)
def sequence_trace(_model: core.LSTMClassifier, network_key: str, x: np.ndarray) -> core.Trace:
    """Trace of one sequence that is not in the data set (an upload, an edited recording)."""
    return core.run_sequence(_model, x)


@st.cache_data(max_entries=64, show_spinner="Working out what the network paid attention to…")
def attribution(
    _model: core.LSTMClassifier, network_key: str, x: np.ndarray, baseline: str, target: int
) -> core.analyses.attribution.Attribution:
    """Integrated gradients of one sequence ``x`` (channels, T) for class ``target``, from ``baseline``."""
    return core.analyses.attribution.integrated_gradients(_model, x, target=target, baseline=baseline)


@st.cache_data(max_entries=32, show_spinner="Working out what the network paid attention to, and checking it…")
def explanation(
    _model: core.LSTMClassifier, network_key: str, x: np.ndarray, kind: str, target: int, _train: core.Split
) -> core.analyses.attribution_checks.Explanation:
    """Integrated gradients of one recording ``x`` (channels, T) for class ``target`` from starting point ``kind``,
    with the deletion and randomisation checks; ``_train`` is the training split of ``network_key``'s data set."""
    return core.analyses.attribution_checks.explain(_model, x, target, kind, _train)


@st.cache_data(max_entries=8, show_spinner=False)
def selectivity(
    _model: core.LSTMClassifier, network_key: str, split: str, layer: int, _data: core.Dataset
) -> core.analyses.units.Selectivity:
    """How strongly each hidden unit of ``layer`` (0-based) singles out each class over a whole split (hidden
    state)."""
    batch = split_traces(_model, network_key, split, _data).layer(layer)
    return core.analyses.units.selectivity(batch, _data.split(split).labels, n_classes=_data.info.n_classes)


@st.cache_data(max_entries=8, show_spinner="Measuring what every hidden unit does (once per network)…")
def unit_stats(
    _model: core.LSTMClassifier, network_key: str, split: str, layer: int, _data: core.Dataset
) -> list[core.presentation.describe.UnitStats]:
    """Every hidden unit's statistics over a split, of ``layer`` (0-based), for
    ``core.presentation.describe.describe_unit``."""
    batch = split_traces(_model, network_key, split, _data).layer(layer)
    return core.presentation.describe.unit_stats(_model, split, batch, layer=layer, dataset=_source(_data))


# --- Hidden-state paths (pages/paths.py) -------------------------------------------------------------------------


@st.cache_resource(max_entries=3, show_spinner="Laying the hidden states out on a flat map…")
def hidden_pca(
    _model: core.LSTMClassifier, network_key: str, layer: int, _data: core.Dataset
) -> core.analyses.projection.PCA:
    """The 2-D PCA of every training hidden state of ``layer`` (0-based) of ``_model`` on ``_data`` (named
    ``network_key`` for the cache); read-only."""
    pca = core.analyses.projection.fit_hidden_pca(_model, "train", layer=layer, dataset=_source(_data))
    for array in (pca.mean, pca.components, pca.explained_variance_ratio):
        array.flags.writeable = False
    return pca


@st.cache_resource(max_entries=6, show_spinner=False)
def projected_split(
    _model: core.LSTMClassifier, network_key: str, split: str, layer: int, _data: core.Dataset
) -> np.ndarray:
    """Every hidden state of ``layer`` (0-based) over a split on the :func:`hidden_pca` plane, shape
    (N, T_max, 2), read-only."""
    coords = core.analyses.projection.project(
        hidden_pca(_model, network_key, layer, _data),
        split_traces(_model, network_key, split, _data).layer(layer).hidden,
    )
    coords.flags.writeable = False
    return coords


# --- Silence units and the model lab (pages/ablation.py, pages/lab.py) -------------------------------------------


@st.cache_data(max_entries=64, show_spinner="Running the test recordings with those units silenced…")
def ablation_predictions(
    _model: core.LSTMClassifier,
    network_key: str,
    silenced: tuple[int, ...],
    silence_from: int,
    layer: int,
    _data: core.Dataset,
) -> np.ndarray:
    """Final predicted class of every test sequence, shape (N,), with 0-based units ``silenced`` of ``layer``
    (0-based) from step ``silence_from`` (0-based) on."""
    return core.run_batch(
        _model, _data.test.sequences, silenced=list(silenced) or None, silence_from=silence_from, silenced_layer=layer
    ).final_predictions


@st.cache_resource
def lab_training_slot():
    """A ``threading.Lock``: one model-lab training at a time across all sessions, so the shared cores stay
    responsive."""
    return threading.Lock()


# --- What if? (pages/whatif.py) ------------------------------------------------------------------------------------


@st.cache_data(max_entries=32, show_spinner="Trying the edit at 50 strengths…")
def whatif_sweep(
    _model: core.LSTMClassifier, network_key: str, x: np.ndarray, kind: str, channel: int, seed: int
) -> core.analyses.whatif.Sweep:
    """The network's final answer on ``x`` (F, T) with one edit of ``kind`` at the page's strengths
    (:func:`core.analyses.whatif.sweep_strengths`); ``channel`` for a channel's factor, ``seed`` for noise."""
    strengths = core.analyses.whatif.sweep_strengths(kind, x.shape[1])
    return core.analyses.whatif.sweep(_model, x, kind, strengths, channel=channel, seed=seed)
