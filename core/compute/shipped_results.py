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

    {"format": 2, "model": "<sha256>", "split": "<sha256>",
     "single_unit_costs": [int, ...],                    # (H,): right answers lost when each unit is silenced
     "class_probability_drop": [[float, ...], ...]}      # (H, C): how far each class's probability falls
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from .atomic import atomic_write_bytes
from .datasets import DATASETS, checkpoint_path, shipped_networks

__all__ = ["RESULT_NAMES", "results_path", "shipped_result", "write_shipped_results"]

RESULTS_FORMAT = 2
RESULT_NAMES = ("single_unit_costs", "class_probability_drop")  # what a results file holds
log = logging.getLogger(__name__)
_read_cache: dict[Path, tuple[tuple[int, int], dict | None]] = {}  # path -> ((mtime_ns, size), contents)


def results_path(checkpoint: str | Path) -> Path:
    """Where the results of ``checkpoint`` are shipped: ``NAME.results.json`` beside ``NAME.pt``."""
    return Path(checkpoint).with_suffix(".results.json")


def write_shipped_results(
    path: str | Path, model_fingerprint: str, split_fingerprint: str, *, single_unit_costs, class_probability_drop
) -> Path:
    """Write a results file atomically.

    Parameters
    ----------
    path : path of the file to write.
    model_fingerprint, split_fingerprint : str
        :func:`core.compute.model.model_fingerprint` and :func:`core.compute.data.split_fingerprint`
        of what the results were computed from.
    single_unit_costs : array-like of int, shape (H,)
    class_probability_drop : array-like of float, shape (H, C)
        :func:`core.analyses.ablation.single_unit_effects` on that split (``cost``, ``class_drop``).

    Returns
    -------
    Path
    """
    costs = np.asarray(single_unit_costs)
    if costs.ndim != 1 or not np.issubdtype(costs.dtype, np.integer):
        raise ValueError(f"single_unit_costs must be a 1-D array of int, got shape {costs.shape} of {costs.dtype}")
    drop = np.asarray(class_probability_drop, dtype=float)
    if drop.ndim != 2 or drop.shape[0] != costs.shape[0] or drop.shape[1] < 1 or not _probability_changes(drop):
        raise ValueError(
            f"class_probability_drop must be a finite ({costs.shape[0]}, C) array, C >= 1, of values from -1 to 1; "
            f"got shape {drop.shape}"
        )
    payload = {
        "format": RESULTS_FORMAT,
        "model": model_fingerprint,
        "split": split_fingerprint,
        "single_unit_costs": [int(c) for c in costs],
        "class_probability_drop": [[float(v) for v in row] for row in drop],
    }
    path = Path(path)
    atomic_write_bytes(path, (json.dumps(payload, indent=1) + "\n").encode("utf-8"))
    return path


def _probability_changes(values: np.ndarray) -> bool:
    """True when every value is a finite change of a probability, -1 to 1."""
    return bool(np.all(np.isfinite(values) & (np.abs(values) <= 1.0)))


def _is_probability_change(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and _probability_changes(np.asarray(v, float))


def _valid(payload) -> bool:
    if not (
        isinstance(payload, dict)
        and payload.get("format") == RESULTS_FORMAT
        and isinstance(payload.get("model"), str)
        and isinstance(payload.get("split"), str)
    ):
        return False
    costs, drop = payload.get("single_unit_costs"), payload.get("class_probability_drop")
    return (
        isinstance(costs, list)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in costs)
        and isinstance(drop, list)
        and len(drop) == len(costs)
        and all(isinstance(row, list) and row and all(_is_probability_change(v) for v in row) for row in drop)
        and len({len(row) for row in drop}) <= 1
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
    model_fingerprint: str, split_fingerprint: str, *, path: str | Path | None = None
) -> dict[str, np.ndarray] | None:
    """The shipped results for this model and split, or None when there are none that match.

    Parameters
    ----------
    model_fingerprint, split_fingerprint : str
    path : the results file (default: those of every shipped network of every shipped data set).

    Returns
    -------
    dict or None
        ``"single_unit_costs"``: ndarray (H,) of int; ``"class_probability_drop"``: ndarray (H, C).
    """
    if path is not None:
        paths = [Path(path)]
    else:
        paths = [results_path(checkpoint_path(key, n.key)) for key in DATASETS for n in shipped_networks(key)]
    for candidate in paths:
        payload = _read(candidate)
        if payload is not None and payload["model"] == model_fingerprint and payload["split"] == split_fingerprint:
            return {
                "single_unit_costs": np.array(payload["single_unit_costs"], dtype=np.int64),
                "class_probability_drop": np.array(payload["class_probability_drop"], dtype=float),
            }
    return None
