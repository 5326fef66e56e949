"""Computation: the data, the model, the stepper, training, whole-split traces, uploads and the disk cache.

Everything a cached result depends on lives here or in :mod:`core.analyses`; the
disk cache's code fingerprint covers these two packages only.
"""

from . import (
    atomic,
    cache,
    checks,
    data,
    dataset_upload,
    datasets,
    evaluate,
    model,
    shipped_results,
    shortening,
    stepper,
    training,
    upload,
)

__all__ = [
    "atomic",
    "cache",
    "checks",
    "data",
    "dataset_upload",
    "datasets",
    "evaluate",
    "model",
    "shipped_results",
    "shortening",
    "stepper",
    "training",
    "upload",
]
