"""Thin Streamlit caches over ``core``: everything a page shows is loaded through here.

``st.cache_resource`` holds objects shared by every session (the data, the
models, whole-split traces); they are read-only (NumPy arrays are flagged so,
models have gradients off and are never mutated). Per-session state lives in
``st.session_state`` (see ``ui.state``), never in these objects.
"""

from __future__ import annotations

import logging

import numpy as np
import streamlit as st
import torch

import core
from core.lab import LabResult, LabSettings, train_variant

__all__ = ["dataset", "shipped_model", "shipped_meta", "lab_variant", "split_traces", "sequence_trace"]

log = logging.getLogger(__name__)
# Each session's script runs in its own thread; one torch thread per call keeps
# concurrent sessions from oversubscribing the two cores (see benchmarks/).
torch.set_num_threads(1)


@st.cache_resource(show_spinner="Loading the Japanese Vowels data…")
def dataset() -> core.Dataset:
    return core.load_dataset()


@st.cache_resource(show_spinner="Loading the pretrained network…")
def _shipped() -> tuple[core.LSTMClassifier, dict]:
    return core.load_checkpoint(core.SHIPPED_CHECKPOINT)


def shipped_model() -> core.LSTMClassifier:
    """The pretrained classifier (raises ``core.CheckpointError`` naming the file if it is damaged)."""
    return _shipped()[0]


def shipped_meta() -> dict:
    """The shipped checkpoint's ``train_config`` and ``history``."""
    return _shipped()[1]


@st.cache_resource(max_entries=8, show_spinner=False)
def lab_variant(settings: LabSettings) -> LabResult:
    """A model-lab variant (model and history), from the disk cache or trained now."""
    return train_variant(settings)


@st.cache_resource(max_entries=3, show_spinner="Running the network over the whole split…")
def split_traces(_model: core.LSTMClassifier, model_key: str, split: str) -> core.BatchTrace:
    """Traces of every sequence of a split; ``model_key`` names ``_model`` for the cache."""
    return core.split_traces(_model, split)


@st.cache_data(max_entries=32, show_spinner=False)
def sequence_trace(_model: core.LSTMClassifier, model_key: str, x: np.ndarray) -> core.Trace:
    """Trace of one sequence that is not in the data set (an upload)."""
    return core.run_sequence(_model, x)
