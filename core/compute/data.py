"""Sequences and labels: splits, data sets, the UEA/UCR ``.ts`` reader and the check of one sequence.

A data set is a training and a test :class:`Split` of raw ``(channels, T)``
arrays with labels 1 to C, and a :class:`DatasetInfo` that names its classes
and channels. The shipped data sets are listed in :mod:`core.compute.datasets`.
Values are kept exactly as they stand in the files: no padding, no resampling,
no normalisation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .checks import bound_text, counted, real_array

__all__ = [
    "N_FEATURES",
    "N_CLASSES",
    "MAX_RECORDED_VALUE",
    "Split",
    "DatasetInfo",
    "Dataset",
    "parse_ts",
    "validate_sequence",
    "class_counts",
    "split_fingerprint",
    "dataset_fingerprint",
]

N_FEATURES = 12  # channels of the default data set, Japanese Vowels
N_CLASSES = 9  # its classes (speakers)
MAX_RECORDED_VALUE = 1e30  # a data set's values, in any unit: 32-bit floats reach 3.4e38, and sums need room


@dataclass(frozen=True)
class Split:
    """One split of the data set.

    Attributes
    ----------
    sequences : list of ndarray, each of shape (channels, T)
        Raw values, one array per recording (Japanese Vowels: 12 channels, T from 7 to 29).
    labels : ndarray of shape (n,), int
        Class of each recording, 1 to C.
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
class DatasetInfo:
    """What is known about a data set besides its numbers.

    Attributes
    ----------
    key : str
        Its name in links (``?data=...``) and on the command line.
    title : str
        Its name for people.
    class_word : str
        What a class is ("speaker", "activity"; "class" where nothing better is known).
    class_names : tuple of str, length C
        Label 1 to C, as people should read them.
    channel_names : tuple of str
        One per channel (feature), in the files' order.
    source, licence : str
        Where the data come from, and on what terms (cited in the README).
    """

    key: str
    title: str
    class_word: str
    class_names: tuple[str, ...]
    channel_names: tuple[str, ...]
    source: str
    licence: str

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_channels(self) -> int:
        return len(self.channel_names)

    @property
    def a_class_word(self) -> str:
        """The class word with its article: "a speaker", "an activity", "a class"."""
        return f"{'an' if self.class_word[:1].lower() in 'aeiou' else 'a'} {self.class_word}"

    @property
    def class_word_plural(self) -> str:
        """The class word for more than one: "speakers", "activities", "classes"."""
        word = self.class_word
        if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
            return word[:-1] + "ies"
        return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


@dataclass(frozen=True)
class Dataset:
    """The training and test splits, and what they are: the one value that names a data set everywhere.

    Attributes
    ----------
    train, test : Split
    info : DatasetInfo
    shipped : bool
        True for a data set that ships with the app (:mod:`core.compute.datasets`, whose results may be written
        to the disk cache), False for one read from a user's files (kept in memory only).
    """

    train: Split
    test: Split
    info: DatasetInfo
    shipped: bool = False

    @property
    def key(self) -> str:
        """Its name in links and on the command line (``info.key``)."""
        return self.info.key

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of both splits' contents (:func:`dataset_fingerprint`): its identity in cache keys."""
        return dataset_fingerprint(self)

    def split(self, name: str) -> Split:
        """Return the split called ``"train"`` or ``"test"``."""
        if name not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {name!r}")
        return self.train if name == "train" else self.test


def parse_ts(text: str) -> tuple[Split, tuple[str, ...]]:
    """Parse a multivariate ``.ts`` file of the UEA/UCR archive, of equal or unequal lengths.

    Parameters
    ----------
    text : str
        The whole file. The header's ``@classLabel true A B ...`` lists the
        classes; each data line holds the same number of colon-separated
        channels of comma-separated values, then the class label.

    Returns
    -------
    split : Split
        Sequences of shape (channels, T); labels 1 to C, in the order of ``@classLabel``.
    class_labels : tuple of str, length C
        The labels as the file writes them.

    Raises
    ------
    ValueError
        Naming the line, for a missing header or data section, a file of
        numbers to predict (``@targetLabel true``: regression or forecasting)
        rather than classes, a last line that ends early (a file cut off), a
        label not declared, channels of different counts or lengths, or a
        value that is not a finite number or lies beyond ±``MAX_RECORDED_VALUE``.
    """
    lines = text.splitlines()
    last_line = max((k for k, line in enumerate(lines, start=1) if line.strip()), default=0)
    sequences, labels, declared, class_label_line, targets = [], [], None, None, False
    in_data = False
    for line_no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            words = line.split()
            keyword = words[0].lower()
            if keyword == "@classlabel":
                class_label_line = line_no
                declared = tuple(words[2:]) if len(words) >= 3 and words[1].lower() == "true" else None
            elif keyword == "@targetlabel":
                targets = len(words) > 1 and words[1].lower() == "true"
            in_data = line.lower() == "@data"
            continue
        if declared is None:
            raise ValueError(_no_classes(class_label_line, targets))
        n_channels = sequences[0].shape[0] if sequences else None
        if line_no == last_line and (short := _ends_early(line, n_channels, declared)):
            raise ValueError(
                f"line {line_no} ends early ({short}): the file seems cut off there; upload the whole file again"
            )
        *dims, label = line.split(":")
        if n_channels is not None and len(dims) != n_channels:
            raise ValueError(
                f"line {line_no}: expected {counted(n_channels, 'channel')} as on the lines before it, "
                f"found {len(dims)}"
            )
        try:
            rows = [np.array(d.split(","), dtype=np.float64) for d in dims]
        except ValueError as exc:  # "?" (a missing value) or text
            raise ValueError(f"line {line_no}: a value is not a number ({exc})") from exc
        if not all(np.isfinite(r).all() for r in rows):
            raise ValueError(f"line {line_no}: NaN or infinite values; every value must be finite")
        if any(np.abs(r).max(initial=0.0) > MAX_RECORDED_VALUE for r in rows):
            raise ValueError(
                f"line {line_no}: a value lies beyond ±{bound_text(MAX_RECORDED_VALUE)}, too large for the "
                "network's 32-bit arithmetic to handle safely"
            )
        if not rows:
            raise ValueError(f"line {line_no}: no ':' between the values and the class label")
        if len({len(r) for r in rows}) != 1:
            raise ValueError(f"line {line_no}: channels have different lengths")
        if label.strip() not in declared:
            raise ValueError(
                f"line {line_no}: class {label.strip()!r} is not one of @classLabel's {', '.join(declared)}"
            )
        sequences.append(np.stack(rows))  # (channels, T)
        labels.append(declared.index(label.strip()) + 1)
    if not sequences:
        if in_data and declared is None:
            raise ValueError(_no_classes(class_label_line, targets))
        raise ValueError("no @data section or no sequences in the file")
    return Split(sequences=sequences, labels=np.array(labels, dtype=int)), declared


def _no_classes(class_label_line: int | None, targets: bool) -> str:
    """Why a ``.ts`` header lists no classes: numbers to predict (``@targetLabel true``), or a bad or no
    ``@classLabel`` line."""
    if targets:
        return (
            "each recording comes with a number to predict, not a class (the header says @targetLabel true: "
            "a regression or forecasting problem); this app trains classifiers, which sort recordings into "
            "classes, so it cannot use these recordings. A classification file lists its classes in a header "
            "line '@classLabel true A B …'"
        )
    if class_label_line is not None:
        return f"line {class_label_line}: @classLabel must be 'true' followed by the class labels"
    return "the header has no @classLabel line listing the classes"


def _ends_early(line: str, n_channels: int | None, declared: tuple[str, ...]) -> str | None:
    """How a data line looks cut short, or None. A cut line has lost its end, and so its class label: it has no
    ':' at all, fewer channels than the lines before it and no declared label, an empty label, values where
    the label goes, or the start of a declared label."""
    if ":" not in line:
        return "it has values but no ':' and class label after them"
    *dims, label = line.split(":")
    label = label.strip()
    if n_channels is not None and len(dims) < n_channels and label not in declared:
        return f"{counted(len(dims), 'channel')} of the {n_channels} that the lines before it have, and no class label"
    if not label:
        return "its class label is missing"
    if "," in label:  # values, where the label should be
        return "it ends in values with no class label after them"
    if label not in declared and any(name.startswith(label) for name in declared):
        return f"its class label {label!r} is the start of a longer one"
    return None


def validate_sequence(x, *, name: str = "x", n_channels: int = N_FEATURES) -> np.ndarray:
    """Check one raw sequence and return it as a float64 array.

    Parameters
    ----------
    x : array-like of shape (n_channels, T)
        Raw values, one column per time step.
    name : str
        How the argument is called in error messages.
    n_channels : int
        Channels (features) the sequence must have.

    Returns
    -------
    ndarray of shape (n_channels, T)

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If the shape is not (n_channels, T) with T >= 1, or a value is NaN or infinite.
    """
    arr = real_array(x, name, finite=False)
    if arr.ndim != 2 or arr.shape[0] != n_channels:
        raise ValueError(f"{name} must have shape ({n_channels}, T), got {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} is an empty sequence: it has no time steps")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def class_counts(labels, n_classes: int) -> np.ndarray:
    """Recordings of each class.

    Parameters
    ----------
    labels : array-like of shape (n,), int
        Classes 1 to ``n_classes``.
    n_classes : int

    Returns
    -------
    ndarray of shape (n_classes,), int
        Entry ``k - 1`` counts class ``k``.
    """
    labels = np.asarray(labels, dtype=int)
    if labels.size and (labels.min() < 1 or labels.max() > n_classes):
        raise ValueError(f"labels must be classes from 1 to {n_classes}, got {labels.min()} to {labels.max()}")
    return np.bincount(labels - 1, minlength=n_classes)


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
