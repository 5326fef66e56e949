"""The shipped data sets, listed once: what each is, where its files and its network are, and its loader.

Each data set is a pair of UEA/UCR ``.ts`` files in ``data/<folder>/`` (from the
UEA & UCR time-series classification archive, as shipped in the ``aeon``
package) and its networks ``models/<key>_<network>.pt`` (the pretrained one, ``lstm``, and a small one)
written by ``python -m core.train --dataset KEY --network NETWORK``. Nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .checks import counted
from .data import Dataset, DatasetInfo, parse_ts
from .model import LSTMClassifier, load_checkpoint

__all__ = [
    "DEFAULT_DATASET",
    "DATASETS",
    "MATLAB_RECIPE",
    "ShippedNetwork",
    "ShippedDataset",
    "dataset_info",
    "load_dataset",
    "checkpoint_path",
    "shipped_networks",
    "SHIPPED_CHECKPOINT",
    "load_model",
    "training_recipe",
    "describe_dataset",
]

_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ShippedNetwork:
    """A trained network that ships with a data set: ``models/<data set key>_<key>.pt``."""

    key: str  # its name among the data set's networks: "lstm" (the pretrained one)
    title: str  # its name for people, before its size: "Pretrained"
    recipe: dict = field(default_factory=dict)  # what its training changes from its data set's recipe


# MATLAB's example's recipe, which the shipped networks were trained with (TrainConfig field -> value): batches of
# 27 length-sorted recordings, 100 epochs, no shortening, no validation part, one candidate with input noise.
MATLAB_RECIPE = {
    "max_steps": 0,
    "validation_share": 0.0,
    "epochs": 100,
    "batch_size": 27,
    "warmup_share": 0.0,
    "noise_std": 0.3,
    "plain_candidate": False,
    "phase_jitter": False,
    "sort_by_length": True,
    "threads": 2,
}
PRETRAINED = ShippedNetwork("lstm", "Pretrained")
SMALL = ShippedNetwork("small", "Small", {"hidden_size": 20})  # the same training, a fifth of the units


@dataclass(frozen=True)
class ShippedDataset:
    """A data set that ships with the app: its description, its files, the class labels the files use, what its
    training recipe changes from :class:`core.compute.training.TrainConfig`'s defaults, and its networks."""

    info: DatasetInfo
    folder: str  # under data/
    file_stem: str  # <stem>_TRAIN.ts and <stem>_TEST.ts
    file_labels: tuple[str, ...]  # the files' @classLabel list; label k+1 is file_labels[k]
    about: str  # what the recordings are, in plain words, for the app's pages
    recipe: dict = field(default_factory=lambda: dict(MATLAB_RECIPE))  # TrainConfig field -> value
    networks: tuple[ShippedNetwork, ...] = (PRETRAINED, SMALL)  # the first opens first


DATASETS: dict[str, ShippedDataset] = {
    "japanese_vowels": ShippedDataset(
        DatasetInfo(
            key="japanese_vowels",
            title="Japanese Vowels",
            class_word="speaker",
            class_names=tuple(f"speaker {k}" for k in range(1, 10)),
            channel_names=tuple(f"coefficient {k}" for k in range(1, 13)),  # LPC cepstrum coefficients 1 to 12
            source="M. Kudo, J. Toyama and M. Shimbo, UCI Machine Learning Repository, https://doi.org/10.24432/C5NS47",
            licence="CC BY 4.0",
        ),
        folder="japanese_vowels",
        file_stem="JapaneseVowels",
        file_labels=tuple(str(k) for k in range(1, 10)),
        about="Nine Japanese men each said the two vowels “a” and “e”, one after the other, many times. Each "
        "recording is cut into short time steps, and 12 numbers describe the shape of the voice at each step: "
        "LPC cepstrum coefficients, worked out from how the mouth and throat colour the sound.",
    ),
    "basicmotions": ShippedDataset(
        DatasetInfo(
            key="basicmotions",
            title="BasicMotions",
            class_word="activity",
            class_names=("standing", "running", "walking", "badminton"),
            channel_names=(
                "accelerometer x",
                "accelerometer y",
                "accelerometer z",
                "gyroscope x",
                "gyroscope y",
                "gyroscope z",
            ),
            source="J. Clements, UEA & UCR Time Series Classification Repository, "
            "https://timeseriesclassification.com/description.php?Dataset=BasicMotions",
            licence="as distributed by the UEA & UCR archive for research use (see the README)",
        ),
        folder="basic_motions",
        file_stem="BasicMotions",
        file_labels=("Standing", "Running", "Walking", "Badminton"),
        about="Four students wore a smartwatch while standing, walking, running and playing badminton. The "
        "watch measured its movement (accelerometer) and its turning (gyroscope), each along three axes, ten "
        "times a second for ten seconds.",
        recipe={**MATLAB_RECIPE, "batch_size": 8, "noise_std": 0.1},
    ),  # 40 recordings: smaller batches, milder noise
}
DEFAULT_DATASET = "japanese_vowels"


def dataset_info(key: str = DEFAULT_DATASET) -> DatasetInfo:
    """The description of the shipped data set ``key`` (one of :data:`DATASETS`)."""
    return _shipped(key).info


def _network(key: str, network: str) -> ShippedNetwork:
    shipped = _shipped(key).networks
    if network not in (names := [n.key for n in shipped]):
        raise ValueError(f"{key} ships no network {network!r}; it ships {', '.join(names)}")
    return shipped[names.index(network)]


def checkpoint_path(key: str = DEFAULT_DATASET, network: str = PRETRAINED.key) -> Path:
    """Where network ``network`` (one of the data set's :class:`ShippedNetwork` keys; the pretrained one by
    default) of the shipped data set ``key`` lives: ``models/<key>_<network>.pt``."""
    return _ROOT / "models" / f"{key}_{_network(key, network).key}.pt"


def shipped_networks(key: str = DEFAULT_DATASET) -> tuple[ShippedNetwork, ...]:
    """The networks that ship with data set ``key``, the one that opens first first."""
    return _shipped(key).networks


def training_recipe(key: str = DEFAULT_DATASET, network: str = PRETRAINED.key) -> dict:
    """What the training of shipped network ``network`` of data set ``key`` changes from the default recipe
    (:class:`~core.compute.training.TrainConfig` field -> value): the data set's changes, then the network's."""
    return {**_shipped(key).recipe, **_network(key, network).recipe}


def describe_dataset(data: Dataset) -> str:
    """What a data set is, in two or three plain sentences: what its recordings are, how many there are, how
    long, and what the network names.

    Parameters
    ----------
    data : Dataset
        A shipped data set (its registry entry says what the recordings are) or an uploaded one (described
        from its names and numbers alone).

    Returns
    -------
    str
        Markdown, e.g. for BasicMotions "Four students wore a smartwatch ... 40 training and 40 test
        recordings of 100 time steps, each step 6 numbers (accelerometer x, ..., gyroscope z). The network
        names the activity: standing, running, walking or badminton."
    """
    info = data.info
    shortest = int(min(data.train.lengths.min(), data.test.lengths.min()))
    longest = int(max(data.train.lengths.max(), data.test.lengths.max()))
    steps = f"{shortest:,}" if shortest == longest else f"{shortest:,} to {longest:,}"  # "1,460", as every count
    channels = list(info.channel_names)
    listed = ", ".join(channels) if len(channels) <= 6 else f"{', '.join(channels[:2])}, …, {channels[-1]}"
    names = list(info.class_names)
    classes = ", ".join(names) if len(names) <= 6 else f"{', '.join(names[:2])}, …, {names[-1]}"
    about = (
        DATASETS[info.key].about
        if info.key in DATASETS
        else f"**{info.title}** is a data set of your own: recordings of {counted(info.n_channels, 'channel')}, "
        f"sorted into {counted(info.n_classes, info.class_word, info.class_word_plural)}."
    )
    return (
        f"{about} There are {len(data.train):,} training and {len(data.test):,} test recordings of {steps} time "
        f"steps, each step {counted(info.n_channels, 'number')} ({listed}). The network's job is to name the "
        f"{info.class_word} of a recording ({info.n_classes} {info.class_word_plural}: {classes})."
    )


def _shipped(key: str) -> ShippedDataset:
    if key not in DATASETS:
        raise ValueError(f"unknown data set {key!r}; choose from {', '.join(DATASETS)}")
    return DATASETS[key]


@lru_cache(maxsize=len(DATASETS))
def load_dataset(key: str = DEFAULT_DATASET) -> Dataset:
    """Load a shipped data set's training and test splits.

    Parameters
    ----------
    key : str
        One of :data:`DATASETS`; the default is Japanese Vowels (270 + 370
        recordings of 12 channels, 7 to 29 steps, 9 speakers).

    Returns
    -------
    Dataset
        ``.train`` and ``.test``, each a :class:`~core.compute.data.Split` of raw
        ``(channels, T)`` arrays with labels 1 to C, and ``.info``. The arrays
        are shared between callers: treat them as read-only.

    Raises
    ------
    ValueError
        For an unknown key, or files whose classes or channels are not the registry's.
    """
    shipped = _shipped(key)
    splits = {}
    for name in ("TRAIN", "TEST"):
        path = _ROOT / "data" / shipped.folder / f"{shipped.file_stem}_{name}.ts"
        split, labels = parse_ts(path.read_text(encoding="utf-8"))
        if labels != shipped.file_labels:
            raise ValueError(f"{path.name}: classes {labels} are not the registry's {shipped.file_labels}")
        if split.sequences[0].shape[0] != shipped.info.n_channels:
            raise ValueError(
                f"{path.name}: {split.sequences[0].shape[0]} channels, the registry names {shipped.info.n_channels}"
            )
        for seq in split.sequences:
            seq.flags.writeable = False
        split.labels.flags.writeable = False
        splits[name] = split
    return Dataset(train=splits["TRAIN"], test=splits["TEST"], info=shipped.info, shipped=True)


SHIPPED_CHECKPOINT = checkpoint_path(DEFAULT_DATASET)  # the network that opens first


def load_model(path: str | Path = SHIPPED_CHECKPOINT) -> LSTMClassifier:
    """Load the shipped pretrained classifier of Japanese Vowels (or the checkpoint at ``path``).

    Returns
    -------
    LSTMClassifier
        In eval mode; ``.lstm`` is ``nn.LSTM(12, 100)``, ``.fc`` is ``nn.Linear(100, 9)``.
    """
    return load_checkpoint(path)[0]
