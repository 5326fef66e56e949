"""Thin Streamlit caches over ``core``: everything a page shows is loaded through here.

``st.cache_resource`` holds objects shared by every session (the data, the models, whole-split traces); they are
read-only (NumPy arrays are flagged so, models have gradients off and are never mutated). Per-session state lives
in ``st.session_state`` (``ui.state``), never in these objects. Caches are keyed by content: a data set by its
fingerprint (``core.Dataset.fingerprint``), a network by :func:`network_id` (its weights' fingerprint), so an
upload and a shipped data set, or two networks, never share an entry.
"""

from __future__ import annotations

import gc
import os
import threading
import weakref

import numpy as np
import streamlit as st
import torch

import core

__all__ = [
    "dataset",
    "shipped_network",
    "network_id",
    "split_traces",
    "sequence_trace",
    "explanation",
    "selectivity",
    "unit_stats",
    "hidden_pca",
    "projected_split",
    "ablation_predictions",
    "whatif_sweep",
    "lab_training_slot",
    "nearest_neighbour_accuracy",
    "smallest_flip",
]

# Each session's script runs in its own thread; one torch thread per call keeps concurrent sessions from
# oversubscribing the two cores (see benchmarks/). Training keeps to it too.
torch.set_num_threads(int(os.environ.get("LSTM_EXPLORER_TORCH_THREADS", "1")))
# Streamlit collects garbage after every script run (runner.postScriptGC). With torch, Altair and pandas loaded,
# a full collection scans about 260,000 objects and holds the interpreter lock for about 100 ms, which every slider
# move would wait for (README, Performance). What is imported at this point lives as long as the process: frozen,
# it is left out of every collection, which then scans only what sessions make afterwards.
gc.freeze()

_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # network -> its fingerprint, computed once


def network_id(model: core.LSTMClassifier) -> str:
    """The fingerprint of ``model``'s architecture and weights (``core.model_fingerprint``), computed once per
    network object: its identity in every cache."""
    if model not in _IDS:
        _IDS[model] = core.model_fingerprint(model)
    return _IDS[model]


@st.cache_resource(show_spinner="Loading the data set…")
def dataset(key: str = core.DEFAULT_DATASET) -> core.Dataset:
    """The shipped data set ``key`` (one of ``core.DATASETS``); an uploaded one lives in its session."""
    return core.load_dataset(key)


@st.cache_resource(show_spinner="Loading the network…")
def shipped_network(data_key: str, network: str) -> tuple[core.LSTMClassifier, dict]:
    """Shipped network ``network`` of data set ``data_key`` and its ``train_config`` and ``history`` (raises
    ``core.CheckpointError`` naming the file if it is damaged)."""
    return core.load_checkpoint(core.checkpoint_path(data_key, network))


@st.cache_resource(max_entries=8, show_spinner="Running the network over the whole split…")
def split_traces(_model: core.LSTMClassifier, model_id: str, _data: core.Dataset, data_id: str, split: str):
    """Traces (``core.BatchTrace``) of every recording of a split of ``_data``; read-only."""
    batch = core.split_traces(_model, split, dataset=_data)
    for array in (batch.hidden, batch.cell, batch.gates, batch.probs, batch.lengths):
        array.flags.writeable = False  # fresh traces are; a disk-cache hit is unpickled writable
    return batch


@st.cache_data(max_entries=32, show_spinner=False)
def sequence_trace(_model: core.LSTMClassifier, model_id: str, x: np.ndarray) -> core.Trace:
    """Trace of one recording ``x`` (channels, T) that is not in the data set (an upload, an edited recording)."""
    return core.run_sequence(_model, x)


@st.cache_data(max_entries=32, show_spinner="Working out what the network paid attention to, and checking it…")
def explanation(
    _model: core.LSTMClassifier, model_id: str, x: np.ndarray, kind: str, target: int, _data: core.Dataset, data_id: str
) -> core.analyses.attribution_checks.Explanation:
    """Integrated gradients of one recording ``x`` (channels, T) for class ``target`` from starting point ``kind``,
    with the deletion and randomisation checks (the starting point is made from ``_data``'s training split)."""
    return core.analyses.attribution_checks.explain(_model, x, target, kind, _data.train)


@st.cache_data(max_entries=8, show_spinner=False)
def selectivity(_model, model_id: str, _data: core.Dataset, data_id: str, split: str, layer: int):
    """How strongly each hidden unit of ``layer`` (0-based) singles out each class over a split (hidden state)."""
    batch = split_traces(_model, model_id, _data, data_id, split).layer(layer)
    return core.analyses.units.selectivity(batch, _data.split(split).labels, n_classes=_data.info.n_classes)


@st.cache_data(max_entries=8, show_spinner="Measuring what every hidden unit does (once per network)…")
def unit_stats(_model, model_id: str, _data: core.Dataset, data_id: str, split: str, layer: int) -> list:
    """Every hidden unit's statistics over a split, of ``layer`` (0-based)."""
    batch = split_traces(_model, model_id, _data, data_id, split).layer(layer)
    return core.presentation.describe.unit_stats(_model, split, batch, layer=layer, dataset=_data)


@st.cache_resource(max_entries=3, show_spinner="Laying the hidden states out on a flat map…")
def hidden_pca(_model, model_id: str, _data: core.Dataset, data_id: str, layer: int):
    """The 2-D PCA of every training hidden state of ``layer`` (0-based); read-only."""
    pca = core.analyses.projection.fit_hidden_pca(_model, "train", layer=layer, dataset=_data)
    for array in (pca.mean, pca.components, pca.explained_variance_ratio):
        array.flags.writeable = False
    return pca


@st.cache_resource(max_entries=6, show_spinner=False)
def projected_split(_model, model_id: str, _data: core.Dataset, data_id: str, split: str, layer: int) -> np.ndarray:
    """Every hidden state of ``layer`` over a split on the :func:`hidden_pca` plane, shape (N, T_max, 2),
    read-only."""
    coords = core.analyses.projection.project(
        hidden_pca(_model, model_id, _data, data_id, layer),
        split_traces(_model, model_id, _data, data_id, split).layer(layer).hidden,
    )
    coords.flags.writeable = False
    return coords


@st.cache_data(max_entries=64, show_spinner="Running the test recordings with those units silenced…")
def ablation_predictions(
    _model, model_id: str, _data: core.Dataset, data_id: str, silenced: tuple[int, ...], silence_from: int, layer: int
) -> np.ndarray:
    """Final predicted class of every test recording, shape (N,), with 0-based units ``silenced`` of ``layer``
    silenced from network step ``silence_from`` (0-based) on."""
    return core.run_batch(
        _model, _data.test.sequences, silenced=list(silenced) or None, silence_from=silence_from, silenced_layer=layer
    ).final_predictions


@st.cache_resource
def lab_training_slot():
    """A ``threading.Lock``: one model-lab training at a time across all sessions, so the shared cores stay
    responsive."""
    return threading.Lock()


@st.cache_data(max_entries=32, show_spinner="Trying the edit at 50 strengths…")
def whatif_sweep(_model, model_id: str, x: np.ndarray, kind: str, channel: int, seed: int, limit: float):
    """The network's final answer on ``x`` (F, T) with one edit of ``kind`` at the page's strengths
    (:func:`core.analyses.whatif.sweep_strengths`); ``channel`` for a channel's factor, ``seed`` for noise,
    ``limit`` the values' bound (:func:`edit_limit`)."""
    strengths = core.analyses.whatif.sweep_strengths(kind, x.shape[1])
    return core.analyses.whatif.sweep(_model, x, kind, strengths, channel=channel, seed=seed, limit=limit)


@st.cache_data(max_entries=8, show_spinner=False)
def edit_limit(_data: core.Dataset, data_id: str) -> float:
    """How far from 0 What if?'s edits and an own sequence may take a recording's values on this data set
    (``core.analyses.whatif.value_limit`` of all its recordings, so that each of them may be edited)."""
    return core.analyses.whatif.value_limit(_data.train.sequences + _data.test.sequences)


@st.cache_data(max_entries=8, show_spinner="Trying the simplest rule: the nearest training recording…")
def nearest_neighbour_accuracy(_data: core.Dataset, data_id: str) -> float:
    """The share of test recordings whose nearest training recording has their class (1-NN, Euclidean)."""
    return core.analyses.baselines.nearest_neighbour_accuracy(_data.train, _data.test)


@st.cache_data(max_entries=32, show_spinner="Looking for the smallest change that flips the answer…")
def smallest_flip(_model, model_id: str, x: np.ndarray, target: int, _data: core.Dataset, data_id: str):
    """The shortest stretch of the nearest training recording of class ``target`` that, spliced into ``x``
    (channels, T), makes the network answer ``target`` (``core.analyses.flip.Flip``)."""
    return core.analyses.flip.smallest_flip(_model, x, target, _data.train)
