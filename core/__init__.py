"""LSTM Activation Explorer core, in three layers; imports no Streamlit.

- :mod:`core.compute`: the data, the model, the stepper, training, whole-split traces and the disk cache;
- :mod:`core.analyses`: what the app finds out with them (units, patterns, projection, attribution, ablation,
  misclassified recordings, the model lab, edited recordings (what if?), the smallest change that flips the
  answer, baselines a network should beat, two networks side by side);
- :mod:`core.presentation`: how it is shown (charts by subject, tables, glossary, plain-word descriptions).

Use it from the app, a notebook or a script::

    import core
    data = core.load_dataset()
    model = core.load_model()
    trace = core.run_sequence(model, data.test.sequences[0])   # trace.hidden: (T, 100)
    core.analyses.units.selectivity(core.split_traces(model, "test"), data.test.labels)
"""

import os

# Torch's OpenMP threads busy-wait by default; on a small shared machine under load, busy-waiting makes 2-thread
# training 5-7x slower (on a quiet one spinning is faster: README, Performance). Set before torch is first
# imported; a value set by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from . import analyses, compute, presentation
from .compute.cache import CACHE_DIR, DiskCache, code_version, default_cache
from .compute.data import (
    N_CLASSES,
    N_FEATURES,
    Dataset,
    DatasetInfo,
    Split,
    class_counts,
    dataset_fingerprint,
    split_fingerprint,
    validate_sequence,
)
from .compute.datasets import (
    DATASETS,
    DEFAULT_DATASET,
    SHIPPED_CHECKPOINT,
    checkpoint_path,
    dataset_info,
    describe_dataset,
    load_dataset,
    load_model,
    shipped_networks,
)
from .compute.evaluate import (
    SplitScore,
    accuracy,
    confusion_matrix,
    layer_table,
    parameter_count,
    score_split,
    settling_step,
    split_traces,
)
from .compute.model import (
    CheckpointError,
    LSTMClassifier,
    ModelConfig,
    load_checkpoint,
    model_fingerprint,
    save_checkpoint,
)
from .compute.stepper import (
    GATE_NAMES,
    BatchTrace,
    LSTMState,
    StepOutput,
    Trace,
    run_batch,
    run_sequence,
    step,
)
from .compute.training import EpochReport, TrainConfig, TrainingPlan, TrainingResult, plan_training, train_model

__all__ = [
    "analyses",
    "compute",
    "presentation",
    "CACHE_DIR",
    "DiskCache",
    "code_version",
    "default_cache",
    "N_CLASSES",
    "N_FEATURES",
    "Dataset",
    "DatasetInfo",
    "Split",
    "class_counts",
    "dataset_fingerprint",
    "split_fingerprint",
    "validate_sequence",
    "DATASETS",
    "DEFAULT_DATASET",
    "checkpoint_path",
    "dataset_info",
    "shipped_networks",
    "describe_dataset",
    "load_dataset",
    "SplitScore",
    "accuracy",
    "confusion_matrix",
    "layer_table",
    "parameter_count",
    "score_split",
    "settling_step",
    "split_traces",
    "SHIPPED_CHECKPOINT",
    "CheckpointError",
    "LSTMClassifier",
    "ModelConfig",
    "load_checkpoint",
    "load_model",
    "model_fingerprint",
    "save_checkpoint",
    "GATE_NAMES",
    "BatchTrace",
    "LSTMState",
    "StepOutput",
    "Trace",
    "run_batch",
    "run_sequence",
    "step",
    "EpochReport",
    "TrainConfig",
    "TrainingPlan",
    "TrainingResult",
    "plan_training",
    "train_model",
]
