"""LSTM Activation Explorer core: data, model, stepper, training and analyses.

Imports no Streamlit; use it from the app, a notebook or a script::

    import core
    data = core.load_dataset()
    model = core.load_model()
    trace = core.run_sequence(model, data.test.sequences[0])   # trace.hidden: (T, 100)
"""

from .cache import CACHE_DIR, DiskCache, default_cache
from .data import N_CLASSES, N_FEATURES, Dataset, Split, load_dataset, validate_sequence
from .evaluate import accuracy, confusion_matrix, layer_table, settling_step, split_traces
from .model import (SHIPPED_CHECKPOINT, CheckpointError, LSTMClassifier, ModelConfig, load_checkpoint, load_model,
                    model_fingerprint, save_checkpoint)
from .stepper import GATE_NAMES, BatchTrace, LSTMState, StepOutput, Trace, run_batch, run_sequence, step
from .trainer import EpochReport, TrainConfig, train_model

__all__ = [
    "CACHE_DIR", "DiskCache", "default_cache",
    "N_CLASSES", "N_FEATURES", "Dataset", "Split", "load_dataset", "validate_sequence",
    "accuracy", "confusion_matrix", "layer_table", "settling_step", "split_traces",
    "SHIPPED_CHECKPOINT", "CheckpointError", "LSTMClassifier", "ModelConfig", "load_checkpoint", "load_model",
    "model_fingerprint", "save_checkpoint",
    "GATE_NAMES", "BatchTrace", "LSTMState", "StepOutput", "Trace", "run_batch", "run_sequence", "step",
    "EpochReport", "TrainConfig", "train_model",
]
