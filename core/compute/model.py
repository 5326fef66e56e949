"""The classifier: sequence input (12) -> LSTM (100) -> fully connected (9) -> softmax.

This mirrors MATLAB's JapaneseVowelsNet; ``num_layers`` stacks up to three LSTM
layers, each reading the hidden states of the one below, and ``step_block`` lets
a network of long recordings read averages of blocks of recorded steps
(:mod:`core.compute.shortening`). The checkpoint is a plain dict of
tensors and primitive values, so it loads with ``torch.load(weights_only=True)``
and a tampered file cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .atomic import atomic_write_bytes
from .checks import check_type
from .data import N_CLASSES, N_FEATURES
from .shortening import shorten

__all__ = [
    "MAX_LAYERS",
    "ModelConfig",
    "LSTMClassifier",
    "CheckpointError",
    "save_checkpoint",
    "load_checkpoint",
    "model_fingerprint",
    "pad_sequences",
]

CHECKPOINT_FORMAT = 1


class CheckpointError(RuntimeError):
    """A checkpoint file is missing, damaged or does not fit the model."""


MAX_LAYERS = 3


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of the classifier; saved inside every checkpoint."""

    n_features: int = N_FEATURES
    hidden_size: int = 100
    n_classes: int = N_CLASSES
    num_layers: int = 1  # stacked LSTM layers, 1 to MAX_LAYERS
    step_block: int = 1  # each step the LSTM reads averages this many recorded steps (1: the recording as it is)

    def __post_init__(self):
        if not 1 <= self.num_layers <= MAX_LAYERS:
            raise ValueError(f"num_layers must be from 1 to {MAX_LAYERS}, got {self.num_layers}")
        if self.step_block < 1:
            raise ValueError(f"step_block must be at least 1, got {self.step_block}")


class LSTMClassifier(nn.Module):
    """``num_layers`` stacked LSTM layers whose top layer's last hidden state feeds a linear layer.

    Submodules ``lstm`` (``nn.LSTM``, batch first, ``num_layers`` layers) and
    ``fc`` (``nn.Linear``) are the learnable layers; the buffers ``feature_mean`` and ``feature_std``
    hold the input normalisation learnt from the training split.
    """

    def __init__(self, config: ModelConfig = ModelConfig()):
        super().__init__()
        self.config = config
        self.lstm = nn.LSTM(config.n_features, config.hidden_size, num_layers=config.num_layers, batch_first=True)
        self.fc = nn.Linear(config.hidden_size, config.n_classes)
        self.register_buffer("feature_mean", torch.zeros(config.n_features))
        self.register_buffer("feature_std", torch.ones(config.n_features))

    def network_input(self, x) -> np.ndarray:
        """What the network reads of a raw recording: blocks of ``config.step_block`` steps averaged.

        Parameters
        ----------
        x : ndarray of shape (F, T)

        Returns
        -------
        ndarray of shape (F, ceil(T / step_block))
            ``x`` itself for ``step_block`` 1.
        """
        return shorten(x, self.config.step_block)

    def normalize(self, x) -> np.ndarray:
        """Map raw features to what the LSTM is fed.

        Parameters
        ----------
        x : array-like of shape (12, T) or (12,)

        Returns
        -------
        ndarray of the same shape, float64
        """
        x = np.asarray(x, dtype=np.float64)
        mean = self.feature_mean.detach().numpy().astype(np.float64)
        std = self.feature_std.detach().numpy().astype(np.float64)
        if x.ndim == 2:
            mean, std = mean[:, None], std[:, None]
        return (x - mean) / std

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Class scores after each sequence's last step.

        Parameters
        ----------
        x : Tensor of shape (B, T, 12)
            Raw features of the network's steps (:meth:`network_input` of each recording), zero-padded after
            each sequence's end.
        lengths : Tensor of shape (B,)
            Network steps of each sequence.

        Returns
        -------
        Tensor of shape (B, n_classes): logits, before the softmax.
        """
        z = (x - self.feature_mean) / self.feature_std  # (B, T, F)
        out, _ = self.lstm(z)  # (B, T, H): the top layer after every step
        # The LSTM reads forward only, so its state after a recording's last step never sees the padding after it
        # (the same as packing the batch, and several times faster on a CPU).
        return self.fc(out[torch.arange(len(lengths)), lengths - 1])  # (B, C)


def pad_sequences(sequences) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack raw ``(12, T)`` arrays into a zero-padded batch.

    Returns
    -------
    x : Tensor of shape (B, T_max, 12), float32
    lengths : Tensor of shape (B,), int64
    """
    lengths = torch.tensor([s.shape[1] for s in sequences], dtype=torch.int64)
    x = torch.zeros(len(sequences), int(lengths.max()), sequences[0].shape[0])
    for i, s in enumerate(sequences):
        x[i, : s.shape[1]] = torch.from_numpy(np.ascontiguousarray(s.T, dtype=np.float32))
    return x, lengths


def _reason(exc: BaseException, limit: int = 300) -> str:
    """A library's error message made fit for a screen: one line, no terminal colour codes, at most ``limit`` chars."""
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def model_fingerprint(model: LSTMClassifier) -> str:
    """SHA-256 of the architecture and every weight: a key for cached results."""
    check_type(model, LSTMClassifier, "model")
    digest = hashlib.sha256(repr(model.config).encode())
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def save_checkpoint(
    model: LSTMClassifier, path: str | Path, *, train_config: dict | None = None, history: list[dict] | None = None
) -> Path:
    """Write the config, weights, normalisation and training history atomically.

    The file is written to a temporary name in the same folder, then renamed,
    so a run killed half-way never leaves a half-written checkpoint.
    """
    check_type(model, LSTMClassifier, "model")
    payload = {
        "format": CHECKPOINT_FORMAT,
        "config": asdict(model.config),
        "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        "train_config": dict(train_config or {}),
        "history": [dict(row) for row in (history or [])],
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: str | Path) -> tuple[LSTMClassifier, dict]:
    """Load a checkpoint written by :func:`save_checkpoint`.

    Returns
    -------
    model : LSTMClassifier
        In eval mode, gradients off.
    meta : dict
        ``train_config`` and ``history`` (one dict per epoch).

    Raises
    ------
    CheckpointError
        Naming the file, if it is missing, not a checkpoint, or its weights do
        not fit its config.
    """
    path = Path(path)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError as exc:
        raise CheckpointError(f"checkpoint {path} does not exist") from exc
    except Exception as exc:  # torch raises many types for a damaged file
        if "Weights only load failed" in str(exc):  # torch refused a pickled object (it could run code)
            reason = "it holds Python objects other than tensors and plain values, which are never loaded"
        else:
            reason = _reason(exc)
        raise CheckpointError(f"checkpoint {path} is damaged or not a checkpoint: {reason}") from exc
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"checkpoint {path} is not a checkpoint of this app (format {CHECKPOINT_FORMAT})")
    try:
        known = {f.name for f in fields(ModelConfig)}
        config = ModelConfig(**{k: int(v) for k, v in payload["config"].items() if k in known})
        model = LSTMClassifier(config)
        model.load_state_dict(payload["state_dict"])
    except Exception as exc:
        raise CheckpointError(f"checkpoint {path} does not fit the model: {_reason(exc)}") from exc
    model.eval()
    model.requires_grad_(False)
    meta = {"train_config": payload.get("train_config", {}), "history": payload.get("history", [])}
    return model, meta
