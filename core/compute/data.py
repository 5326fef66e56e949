"""The Japanese Vowels data set, read from the ``.ts`` files shipped in ``data/``.

Nine male speakers said the Japanese vowels "a" and "e" in succession; each
utterance was reduced to 12 LPC cepstrum coefficients per analysis frame.
The loader returns the values exactly as they stand in the files: no padding,
no resampling, no normalisation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .checks import real_array

__all__ = [
    "N_FEATURES",
    "N_CLASSES",
    "DATA_DIR",
    "Split",
    "Dataset",
    "load_dataset",
    "parse_ts",
    "validate_sequence",
    "split_fingerprint",
    "dataset_fingerprint",
]

N_FEATURES = 12
N_CLASSES = 9
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "japanese_vowels"


@dataclass(frozen=True)
class Split:
    """One split of the data set.

    Attributes
    ----------
    sequences : list of ndarray, each of shape (12, T)
        Raw feature values, one array per utterance; T varies from 7 to 29.
    labels : ndarray of shape (n,), int
        Speaker of each utterance, 1 to 9.
    """

    sequences: list[np.ndarray]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.sequences)

    @property
    def lengths(self) -> np.ndarray:
        """Number of time steps of each sequence, shape (n,)."""
        return np.array([s.shape[1] for s in self.sequences], dtype=int)


@dataclass(frozen=True)
class Dataset:
    """The training and test splits."""

    train: Split
    test: Split

    def split(self, name: str) -> Split:
        """Return the split called ``"train"`` or ``"test"``."""
        if name not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {name!r}")
        return self.train if name == "train" else self.test


def parse_ts(text: str) -> Split:
    """Parse a multivariate, unequal-length ``.ts`` file of the UEA/UCR archive.

    Parameters
    ----------
    text : str
        The whole file. Each data line holds 12 colon-separated dimensions of
        comma-separated values, then the class label.

    Returns
    -------
    Split
    """
    sequences, labels = [], []
    in_data = False
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *dims, label = line.split(":")
        if len(dims) != N_FEATURES:
            raise ValueError(f"line {line_no}: expected {N_FEATURES} dimensions, found {len(dims)}")
        rows = [np.array(d.split(","), dtype=np.float64) for d in dims]
        if len({len(r) for r in rows}) != 1:
            raise ValueError(f"line {line_no}: dimensions have different lengths")
        sequences.append(np.stack(rows))  # (12, T)
        labels.append(int(label))
    if not sequences:
        raise ValueError("no @data section or no sequences in the file")
    return Split(sequences=sequences, labels=np.array(labels, dtype=int))


@lru_cache(maxsize=1)
def load_dataset(data_dir: str | Path = DATA_DIR) -> Dataset:
    """Load the Japanese Vowels training (270) and test (370) splits.

    Returns
    -------
    Dataset
        ``.train`` and ``.test``, each a :class:`Split` of raw ``(12, T)`` arrays
        with labels 1 to 9. The arrays are shared between callers: treat them as
        read-only.
    """
    data_dir = Path(data_dir)
    splits = {}
    for name in ("TRAIN", "TEST"):
        path = data_dir / f"JapaneseVowels_{name}.ts"
        split = parse_ts(path.read_text(encoding="utf-8"))
        for seq in split.sequences:
            seq.flags.writeable = False
        split.labels.flags.writeable = False
        splits[name] = split
    return Dataset(train=splits["TRAIN"], test=splits["TEST"])


def validate_sequence(x, *, name: str = "x") -> np.ndarray:
    """Check one raw sequence and return it as a float64 array.

    Parameters
    ----------
    x : array-like of shape (12, T)
        Raw features, one column per time step.
    name : str
        How the argument is called in error messages.

    Returns
    -------
    ndarray of shape (12, T)

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If the shape is not (12, T) with T >= 1, or a value is NaN or infinite.
    """
    arr = real_array(x, name, finite=False)
    if arr.ndim != 2 or arr.shape[0] != N_FEATURES:
        raise ValueError(f"{name} must have shape (12, T), got {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} is an empty sequence: it has no time steps")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def split_fingerprint(split: Split) -> str:
    """SHA-256 of a split's sequences (shapes and values) and labels: its identity in cache keys."""
    digest = hashlib.sha256(np.ascontiguousarray(split.labels, dtype=np.int64).tobytes())
    for x in split.sequences:
        digest.update(repr(np.shape(x)).encode())
        digest.update(np.ascontiguousarray(x, dtype=np.float64).tobytes())
    return digest.hexdigest()


def dataset_fingerprint(dataset: Dataset) -> str:
    """SHA-256 of both splits' fingerprints."""
    return hashlib.sha256((split_fingerprint(dataset.train) + split_fingerprint(dataset.test)).encode()).hexdigest()
