"""The training loop and its recipe.

The loop knows nothing of any UI: it reports every epoch through a callback,
which the command line (``python -m core.train``) prints and the app turns
into a progress bar.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from .data import Dataset, Split
from .datasets import DEFAULT_DATASET, load_dataset
from .model import LSTMClassifier, ModelConfig, pad_sequences

__all__ = ["TrainConfig", "EpochReport", "train_model", "evaluate_accuracy", "history_csv"]


@dataclass(frozen=True)
class TrainConfig:
    """The training recipe; saved inside the checkpoint.

    ``sort_by_length`` builds mini-batches from length-sorted sequences, as
    MATLAB's example does; ``shuffle_batches`` then shuffles the order of those
    batches each epoch. ``noise_std`` adds Gaussian noise (in normalised units)
    to the training inputs, a mild augmentation.
    """

    dataset: str = DEFAULT_DATASET  # a key of core.compute.datasets.DATASETS, or an upload's "upload-<hash>"
    hidden_size: int = 100
    num_layers: int = 1
    epochs: int = 100
    batch_size: int = 27
    learning_rate: float = 0.01
    weight_decay: float = 1e-3
    grad_clip: float = 1.0
    noise_std: float = 0.3
    sort_by_length: bool = True
    shuffle_batches: bool = True
    seed: int = 0
    threads: int = 2


@dataclass(frozen=True)
class EpochReport:
    """Progress after one epoch, given to the callback and kept in the history."""

    epoch: int
    epochs: int
    loss: float
    train_accuracy: float
    test_accuracy: float
    seconds: float


def evaluate_accuracy(model: LSTMClassifier, split: Split) -> float:
    """Fraction of ``split`` whose whole-sequence prediction is right."""
    x, lengths = pad_sequences(split.sequences)
    with torch.no_grad():
        pred = model(x, lengths).argmax(dim=1).numpy() + 1
    return float(np.mean(pred == split.labels))


def _batches(lengths: np.ndarray, config: TrainConfig, rng: np.random.Generator) -> list[np.ndarray]:
    """Index batches: contiguous runs of length-sorted sequences, or a random split."""
    n = len(lengths)
    order = np.argsort(lengths, kind="stable") if config.sort_by_length else rng.permutation(n)
    batches = [order[i : i + config.batch_size] for i in range(0, n, config.batch_size)]
    if config.shuffle_batches:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def train_model(
    config: TrainConfig = TrainConfig(),
    dataset: Dataset | None = None,
    callback: Callable[[EpochReport], None] | None = None,
) -> tuple[LSTMClassifier, list[dict]]:
    """Train a fresh classifier from ``config.seed``.

    Parameters
    ----------
    config : TrainConfig
    dataset : Dataset, optional
        Defaults to the shipped data set ``config.dataset``.
    callback : callable, optional
        Called with an :class:`EpochReport` after every epoch.

    Returns
    -------
    model : LSTMClassifier
        In eval mode with gradients off.
    history : list of dict
        One :class:`EpochReport` as a dict per epoch.
    """
    dataset = dataset or load_dataset(config.dataset)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        return _train(config, dataset, callback)
    finally:
        torch.set_num_threads(previous_threads)


def _train(config, dataset, callback):
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    model = LSTMClassifier(
        ModelConfig(
            n_features=dataset.info.n_channels,
            hidden_size=config.hidden_size,
            n_classes=dataset.info.n_classes,
            num_layers=config.num_layers,
        )
    )
    stacked = np.concatenate(dataset.train.sequences, axis=1)  # (F, sum T)
    model.feature_mean.copy_(torch.from_numpy(stacked.mean(axis=1)))
    model.feature_std.copy_(torch.from_numpy(stacked.std(axis=1)))
    x_all, len_all = pad_sequences(dataset.train.sequences)  # (N, T, F), (N,)
    y_all = torch.from_numpy(dataset.train.labels - 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    loss_fn = nn.CrossEntropyLoss()
    std = model.feature_std
    history = []
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        model.train()
        total, seen = 0.0, 0
        for idx in _batches(len_all.numpy(), config, rng):
            idx = torch.from_numpy(idx)
            lengths = len_all[idx]
            x = x_all[idx, : int(lengths.max())]
            if config.noise_std:
                valid = (torch.arange(x.shape[1])[None, :] < lengths[:, None])[..., None]  # (B, T, 1)
                x = x + torch.randn_like(x) * config.noise_std * std * valid
            loss = loss_fn(model(x, lengths), y_all[idx])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        scheduler.step()
        model.eval()
        report = EpochReport(
            epoch,
            config.epochs,
            total / seen,
            evaluate_accuracy(model, dataset.train),
            evaluate_accuracy(model, dataset.test),
            time.perf_counter() - start,
        )
        history.append(asdict(report))
        if callback is not None:
            callback(report)
    model.eval()
    model.requires_grad_(False)
    return model, history


def history_csv(history: list[dict]) -> str:
    """The training history as CSV text, one row per epoch."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EpochReport.__dataclass_fields__))
    writer.writeheader()
    writer.writerows(history)
    return out.getvalue()
