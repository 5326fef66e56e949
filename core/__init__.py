"""LSTM Activation Explorer core: data, model, stepper, training and analyses.

Imports no Streamlit; use it from the app, a notebook or a script::

    import core
    data = core.load_dataset()
    model = core.load_model()
    trace = core.run_sequence(model, data.test.sequences[0])   # trace.hidden: (T, 100)
"""

import os

# Torch's OpenMP threads busy-wait by default; on a small shared machine under load that made 2-thread training
# 5-7x slower (on a quiet one spinning is faster: README, Performance). Set before torch is first imported; a
# value set by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .cache import CACHE_DIR, DiskCache, core_source_fingerprint, default_cache
from .data import (N_CLASSES, N_FEATURES, Dataset, Split, dataset_fingerprint, load_dataset, split_fingerprint,
                   validate_sequence)
from .evaluate import (SplitScore, accuracy, confusion_matrix, layer_table, parameter_count, score_split,
                       settling_step, split_traces)
from .model import (SHIPPED_CHECKPOINT, CheckpointError, LSTMClassifier, ModelConfig, load_checkpoint, load_model,
                    model_fingerprint, save_checkpoint)
from .stepper import GATE_NAMES, BatchTrace, LSTMState, StepOutput, Trace, run_batch, run_sequence, step
from .trainer import EpochReport, TrainConfig, train_model
from . import ablation, attribution, charts, describe, errors, frames, glossary, lab, patterns, projection, summary, \
    units, upload

__all__ = [
    "CACHE_DIR", "DiskCache", "core_source_fingerprint", "default_cache",
    "N_CLASSES", "N_FEATURES", "Dataset", "Split", "dataset_fingerprint", "load_dataset", "split_fingerprint",
    "validate_sequence",
    "SplitScore", "accuracy", "confusion_matrix", "layer_table", "parameter_count", "score_split", "settling_step",
    "split_traces",
    "SHIPPED_CHECKPOINT", "CheckpointError", "LSTMClassifier", "ModelConfig", "load_checkpoint", "load_model",
    "model_fingerprint", "save_checkpoint",
    "GATE_NAMES", "BatchTrace", "LSTMState", "StepOutput", "Trace", "run_batch", "run_sequence", "step",
    "EpochReport", "TrainConfig", "train_model",
    # Analyses, one module each: core.units.selectivity(...), core.patterns.find_matches(...), ...
    "ablation", "attribution", "charts", "describe", "errors", "frames", "glossary", "lab", "patterns", "projection",
    "summary", "units", "upload",
]
