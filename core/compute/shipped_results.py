"""Results computed when a network is trained and shipped beside its checkpoint (``NAME.results.json``).

A freshly started host has an empty disk cache (Streamlit Community Cloud wipes
its disk on every wake-up), so a result that takes seconds to compute would be
computed at a visitor's first visit. The few such results for the shipped
network are written by ``python -m core.train`` next to the checkpoint. Each
is stored with the fingerprints of the model and of the split it was computed
on, and is served only where both match, so retrained weights or changed data
never get a stale answer. A file that cannot be read, or is not what this
module writes, is ignored (with one warning) and the result is computed.

File layout (JSON)::

    {"format": 1, "model": "<sha256>", "split": "<sha256>", "single_unit_costs": [int, ...]}  # (H,)
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from .atomic import atomic_write_bytes
from .datasets import DATASETS, checkpoint_path

__all__ = ["RESULT_NAMES", "results_path", "shipped_result", "write_shipped_results"]

RESULTS_FORMAT = 1
RESULT_NAMES = ("single_unit_costs",)  # what a results file holds, each an (H,) list of int
log = logging.getLogger(__name__)
_read_cache: dict[Path, tuple[tuple[int, int], dict | None]] = {}  # path -> ((mtime_ns, size), contents)


def results_path(checkpoint: str | Path) -> Path:
    """Where the results of ``checkpoint`` are shipped: ``NAME.results.json`` beside ``NAME.pt``."""
    return Path(checkpoint).with_suffix(".results.json")


def write_shipped_results(
    path: str | Path, model_fingerprint: str, split_fingerprint: str, *, single_unit_costs
) -> Path:
    """Write a results file atomically.

    Parameters
    ----------
    path : path of the file to write.
    model_fingerprint, split_fingerprint : str
        :func:`core.compute.model.model_fingerprint` and :func:`core.compute.data.split_fingerprint`
        of what the results were computed from.
    single_unit_costs : array-like of int, shape (H,)
        :func:`core.analyses.ablation.single_unit_costs` on that split.

    Returns
    -------
    Path
    """
    costs = np.asarray(single_unit_costs)
    if costs.ndim != 1 or not np.issubdtype(costs.dtype, np.integer):
        raise ValueError(f"single_unit_costs must be a 1-D array of int, got shape {costs.shape} of {costs.dtype}")
    payload = {
        "format": RESULTS_FORMAT,
        "model": model_fingerprint,
        "split": split_fingerprint,
        "single_unit_costs": [int(c) for c in costs],
    }
    path = Path(path)
    atomic_write_bytes(path, (json.dumps(payload, indent=1) + "\n").encode("utf-8"))
    return path


def _valid(payload) -> bool:
    return (
        isinstance(payload, dict)
        and payload.get("format") == RESULTS_FORMAT
        and isinstance(payload.get("model"), str)
        and isinstance(payload.get("split"), str)
        and all(
            isinstance(payload.get(name), list)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in payload[name])
            for name in RESULT_NAMES
        )
    )


def _read(path: Path) -> dict | None:
    """The file's contents if it is a valid results file; read again only when it changes."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _read_cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        payload = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        log.warning("ignoring the shipped results %s (%s); they will be computed", path, exc)
        payload = None
    if payload is not None and not _valid(payload):
        log.warning(
            "ignoring the shipped results %s (not a format-%d results file); they will be computed",
            path,
            RESULTS_FORMAT,
        )
        payload = None
    _read_cache[path] = (stamp, payload)
    return payload


def shipped_result(
    name: str, model_fingerprint: str, split_fingerprint: str, *, path: str | Path | None = None
) -> np.ndarray | None:
    """A shipped result for this model and split, or None when there is none that matches.

    Parameters
    ----------
    name : one of :data:`RESULT_NAMES`.
    model_fingerprint, split_fingerprint : str
    path : the results file (default: those of every shipped data set's network).

    Returns
    -------
    ndarray of shape (H,), int, or None
    """
    if name not in RESULT_NAMES:
        raise ValueError(f"unknown result {name!r}; choose from {', '.join(RESULT_NAMES)}")
    paths = [Path(path)] if path is not None else [results_path(checkpoint_path(key)) for key in DATASETS]
    for candidate in paths:
        payload = _read(candidate)
        if payload is not None and payload["model"] == model_fingerprint and payload["split"] == split_fingerprint:
            return np.array(payload[name], dtype=np.int64)
    return None
