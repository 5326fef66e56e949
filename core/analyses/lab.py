"""Model lab: train a variant of the classifier with another size, length or seed, on a shipped or uploaded
data set.

Variants are cached on disk, keyed by the whole training recipe and a
fingerprint of the training data, so asking twice for the same variant trains
once. The cached value is plain data (config, weights as NumPy arrays,
history); the model is rebuilt from it on load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ..compute.cache import DiskCache, default_cache
from ..compute.checks import check_type
from ..compute.data import Dataset
from ..compute.datasets import load_dataset
from ..compute.model import LSTMClassifier, ModelConfig
from ..compute.training import EpochReport, TrainConfig, TrainingResult, train_model

__all__ = [
    "LAB_NAMESPACE",
    "SETTING_RANGES",
    "EPOCH_CHOICES",
    "LabSettings",
    "LabResult",
    "train_variant",
    "variant_label",
    "variant_key",
]

LAB_NAMESPACE = "lab_variants"
SETTING_RANGES = {"hidden_size": (10, 200), "epochs": (0, 3000), "seed": (0, 10_000), "num_layers": (1, 3)}
EPOCH_CHOICES = (0, 10, 20, 50, 100, 200, 500, 1000, 2000)  # what the lab offers; 0: automatic
_PAYLOAD_FORMAT = 2  # part of the cache key: a new layout of the cached value never meets an old one


@dataclass(frozen=True)
class LabSettings:
    """What the lab lets you change; everything else is the default recipe (:class:`TrainConfig`).

    Attributes
    ----------
    hidden_size : int
        Hidden units of the LSTM, 10 to 200.
    epochs : int
        Passes over the training data, 1 to 3,000, or 0 for the recipe's own count (about 6,000 updates);
        either way within the recipe's work cap (:func:`core.compute.training.plan_training`).
    seed : int
        Seed of the initial weights, the held-out part and the batch order, 0 to 10 000.
    num_layers : int
        Stacked LSTM layers, 1 to 3; each reads the hidden states of the one below.
    """

    hidden_size: int = 100
    epochs: int = 0
    seed: int = 0
    num_layers: int = 1

    def __post_init__(self):
        for name, (low, high) in SETTING_RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
                raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
            object.__setattr__(self, name, int(value))  # plain int: a NumPy int would change the cache key's repr

    def to_train_config(self, dataset: Dataset | None = None) -> TrainConfig:
        """The default recipe for ``dataset`` (Japanese Vowels by default) with this hidden size, epoch count,
        seed and layer count."""
        dataset = dataset or load_dataset()
        return TrainConfig(
            dataset=dataset.info.key,
            hidden_size=self.hidden_size,
            epochs=self.epochs,
            seed=self.seed,
            num_layers=self.num_layers,
        )


@dataclass(frozen=True)
class LabResult:
    """A trained variant.

    Attributes
    ----------
    model : LSTMClassifier
        In eval mode, gradients off.
    history : list of dict
        One :class:`core.compute.training.EpochReport` as a dict per reported epoch of the kept candidate.
    summary : dict
        :meth:`core.compute.training.TrainingResult.summary`: the plan, the candidate and epoch kept, their
        validation and test accuracy.
    from_cache : bool
        True if the variant was loaded rather than trained.
    settings : LabSettings
    """

    model: LSTMClassifier
    history: list[dict]
    summary: dict
    from_cache: bool
    settings: LabSettings

    @property
    def test_accuracy(self) -> float:
        """The kept weights' accuracy on the test split, 0 to 1."""
        return float(self.summary["test_accuracy"])


def _to_payload(trained: TrainingResult) -> dict:
    return {
        "config": asdict(trained.model.config),
        "state_dict": {name: t.detach().cpu().numpy().copy() for name, t in trained.model.state_dict().items()},
        "history": [dict(row) for row in trained.history],
        "summary": trained.summary(),
    }


def _from_payload(payload: dict, settings: LabSettings) -> LabResult:
    model = LSTMClassifier(ModelConfig(**payload["config"]))
    model.load_state_dict({name: torch.tensor(array) for name, array in payload["state_dict"].items()})
    model.eval()
    model.requires_grad_(False)
    return LabResult(model, payload["history"], payload["summary"], from_cache=True, settings=settings)


def train_variant(
    settings: LabSettings,
    callback: Callable[[EpochReport], None] | None = None,
    cache: DiskCache | None = None,
    dataset: Dataset | None = None,
) -> LabResult:
    """Train the variant described by ``settings`` on ``dataset``, or load it from the disk cache.

    Training uses ``TrainConfig.threads`` torch threads and restores torch's
    thread count afterwards.

    Parameters
    ----------
    settings : LabSettings
    callback : callable, optional
        Called with an :class:`EpochReport` after every epoch; never called on a cache hit.
    cache : DiskCache, optional
        Defaults to :func:`core.compute.cache.default_cache`; entries live in ``LAB_NAMESPACE``.
    dataset : Dataset, optional
        A shipped or uploaded data set; Japanese Vowels by default. Trained with the default recipe. A
        network trained on an upload is neither looked up in nor written to the disk cache.

    Returns
    -------
    LabResult
    """
    if not isinstance(settings, LabSettings):
        raise TypeError(f"settings must be LabSettings, got {type(settings).__name__}")
    if dataset is None:
        dataset = load_dataset()
    check_type(dataset, Dataset, "dataset")
    config = settings.to_train_config(dataset)
    if not dataset.shipped:  # an upload: its network is never written to disk
        trained = train_model(config, dataset=dataset, callback=callback)
        return LabResult(trained.model, trained.history, trained.summary(), from_cache=False, settings=settings)
    cache = cache or default_cache()
    key = (_PAYLOAD_FORMAT, tuple(sorted(asdict(config).items())), dataset.fingerprint)
    hit, payload = cache.load(LAB_NAMESPACE, key, code=train_model)
    if hit:
        return _from_payload(payload, settings)
    trained = train_model(config, dataset=dataset, callback=callback)
    cache.store(LAB_NAMESPACE, key, _to_payload(trained), code=train_model)
    return LabResult(trained.model, trained.history, trained.summary(), from_cache=False, settings=settings)


def variant_key(settings: LabSettings) -> str:
    """A short stable id such as ``"lab-h100-s0"`` (automatic epochs) or ``"lab-h20-e30-s1"``, ending ``"-l2"`` for
    2 layers (``"-l3"`` for 3)."""
    check_type(settings, LabSettings, "settings")
    epochs = f"-e{settings.epochs}" if settings.epochs else ""
    layers = f"-l{settings.num_layers}" if settings.num_layers > 1 else ""
    return f"lab-h{settings.hidden_size}{epochs}-s{settings.seed}{layers}"


def variant_label(settings: LabSettings) -> str:
    """A display name such as ``"Lab: 100 units, seed 0"`` (automatic epochs), ``"Lab: 20 units, 30 epochs, seed
    1"`` or, stacked, ``"Lab: 2 layers of 20 units, 30 epochs, seed 1"`` (it names the network in links too)."""
    check_type(settings, LabSettings, "settings")
    units = f"{settings.hidden_size} units"
    if settings.num_layers > 1:
        units = f"{settings.num_layers} layers of {units}"
    epochs = "" if not settings.epochs else " 1 epoch," if settings.epochs == 1 else f" {settings.epochs} epochs,"
    return f"Lab: {units},{epochs} seed {settings.seed}"
