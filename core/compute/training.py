"""The training loop and its recipe.

The default recipe learns any time-series classification set of the app's size (it was measured on the eight
classification sets of the UEA & UCR archive that aeon 1.6.0 carries; see ``benchmarks/panel_bench.py``):

1. **Shorten.** ``k = ceil(longest training recording / max_steps)``; the network reads the means of blocks of
   ``k`` recorded steps (:mod:`core.compute.shortening`; ``ModelConfig.step_block``).
2. **Standardise** each channel with the mean and spread of the raw training values.
3. **Hold out** a stratified ``validation_share`` of the *training* split to choose between the candidates. The
   test split is only reported, never used to choose anything.
4. **Two candidates** from the same starting weights and batches: ``plain`` (no weight decay, no input noise)
   and ``regularised`` (``weight_decay``, Gaussian input ``noise_std``). Each keeps the weights of its last
   epoch with its highest validation accuracy; the candidate with the higher one is chosen (a tie: regularised).
5. **Final training** (``refit``): the chosen candidate is trained again from the same start on every training
   recording, the held-out ones too, with the batches and epochs this step's own plan gives, and its last epoch
   is kept. On a small set the held-out part is a fifth of what there is to learn from, and a choice of epoch by
   a handful of recordings is mostly luck (aeon's ArrowHead, 7 held out: 58.9 % without it, 71.4 % with it).
6. **Class-mixed mini-batches** (the recordings shuffled every epoch) of ``clip(round(n / 8), 8, 64)``; Adam with
   a linear warm-up over the first ``warmup_share`` of the epochs, then cosine decay to 0; gradients clipped.
   About ``updates`` optimiser steps, within ``max_epochs`` and a work cap that keeps training near a minute.
7. **Block phase**: every time a recording is drawn its blocks start at a random offset ``0 .. k - 1``, so the
   network never sees the same block boundaries twice.

The shipped networks were trained before this recipe, with MATLAB's example's (length-sorted batches, no
validation part, no shortening): :data:`core.compute.datasets.MATLAB_RECIPE` pins those fields.

The loop knows nothing of any UI: it reports through a callback, which the command line
(``python -m core.train``) prints and the app turns into a progress bar.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from .data import Dataset, Split
from .datasets import DEFAULT_DATASET, load_dataset
from .model import LSTMClassifier, ModelConfig, pad_sequences
from .shortening import block_size, shorten

__all__ = [
    "PLAIN",
    "REGULARISED",
    "TrainConfig",
    "TrainingPlan",
    "EpochReport",
    "TrainingResult",
    "plan_training",
    "validation_split",
    "train_model",
    "evaluate_accuracy",
    "history_csv",
]

PLAIN, REGULARISED = "plain", "regularised"  # the two candidates' names


@dataclass(frozen=True)
class TrainConfig:
    """The training recipe; saved inside the checkpoint. Zero means "automatic" where a comment says so."""

    dataset: str = DEFAULT_DATASET  # a key of core.compute.datasets.DATASETS, or an upload's "upload-<hash>"
    hidden_size: int = 100
    num_layers: int = 1
    max_steps: int = 60  # blocks of k steps leave at most this many; 0: never shorten
    validation_share: float = 0.2  # of each class's training recordings, to choose the epoch; 0: the last epoch
    epochs: int = 0  # 0: about `updates` optimiser steps, within max_epochs and work_cap
    updates: int = 6000
    max_epochs: int = 3000
    work_cap: float = 8e6  # recording-steps per candidate, at 100 units in one layer
    batch_size: int = 0  # 0: clip(round(fitting recordings / 8), 8, 64)
    learning_rate: float = 0.01
    warmup_share: float = 0.05  # share of the epochs with a linearly rising learning rate
    weight_decay: float = 1e-3  # of the regularised candidate
    noise_std: float = 0.1  # of the regularised candidate, in standard deviations of each channel
    plain_candidate: bool = True  # also train one without weight decay and noise; choose the better on validation
    refit: bool = True  # then train the chosen one again on every training recording and keep its last epoch
    phase_jitter: bool = True  # a random block phase each time a recording is drawn
    grad_clip: float = 1.0
    sort_by_length: bool = False  # batches of length-sorted recordings (MATLAB's example) instead of mixed ones
    shuffle_batches: bool = True  # the order of the batches, each epoch
    seed: int = 0
    threads: int = 1  # torch threads while training (process-wide: the app serves at one)


@dataclass(frozen=True)
class TrainingPlan:
    """What a recipe does with one training split, known before training.

    Attributes
    ----------
    step_block : int
        Recorded steps per network step (``k``).
    steps : int
        Network steps of the longest training recording.
    fitting, validation : int
        Training recordings the candidates learn from, and held out to choose between them and their epoch (0:
        the last epoch is kept).
    batch_size, epochs : int
        The candidates'.
    candidates : tuple of str
        ``("plain", "regularised")``, or ``("regularised",)`` without a validation part or the plain candidate.
    epochs_capped : bool
        True when the work cap allowed fewer epochs than asked for (or than ``updates`` would take).
    final_batch_size, final_epochs : int
        The final training's, on all ``fitting + validation`` recordings; 0 without one (no ``refit``, or
        nothing held out).
    """

    step_block: int
    steps: int
    fitting: int
    validation: int
    batch_size: int
    epochs: int
    candidates: tuple[str, ...]
    epochs_capped: bool
    final_batch_size: int = 0
    final_epochs: int = 0


@dataclass(frozen=True)
class EpochReport:
    """Progress after one reported epoch, given to the callback and kept in the history.

    ``train_accuracy`` is over the recordings learnt from; ``validation_accuracy`` over the held-out part of
    the training split (nan without one); ``test_accuracy`` is reported only, never used to choose. The stages
    are the candidates, then the final training (``final``) when there is one.
    """

    candidate: str
    candidate_number: int  # 1-based stage: the candidates, then the final training
    candidates: int  # stages
    epoch: int
    epochs: int
    loss: float
    train_accuracy: float
    validation_accuracy: float
    test_accuracy: float
    seconds: float
    final: bool = False  # the final training of the chosen candidate on every training recording


@dataclass(frozen=True)
class TrainingResult:
    """A trained network, its training's history and how it was chosen.

    Attributes
    ----------
    model : LSTMClassifier
        In eval mode with gradients off; the weights of ``kept_epoch``.
    history : list of dict
        One :class:`EpochReport` as a dict per reported epoch of the network kept: the final training's, or
        the chosen candidate's without one.
    plan : TrainingPlan
    kept : str
        The candidate chosen.
    kept_epoch : int
        The epoch whose weights were kept: the final training's last, or the chosen candidate's ``chosen_epoch``.
    chosen_epoch : int
        The chosen candidate's epoch with its best validation accuracy (its last without a validation part).
    validation_accuracy : float
        The chosen candidate's accuracy on the validation part at ``chosen_epoch`` (nan without one).
    test_accuracy : float
        The kept weights' accuracy on the test split.
    seconds : float
    """

    model: LSTMClassifier
    history: list[dict]
    plan: TrainingPlan
    kept: str
    kept_epoch: int
    chosen_epoch: int
    validation_accuracy: float
    test_accuracy: float
    seconds: float

    def summary(self) -> dict:
        """Everything but the model and the history, as plain data (for a cache or a checkpoint)."""
        return {
            "plan": asdict(self.plan),
            "kept": self.kept,
            "kept_epoch": self.kept_epoch,
            "chosen_epoch": self.chosen_epoch,
            "validation_accuracy": self.validation_accuracy,
            "test_accuracy": self.test_accuracy,
            "seconds": self.seconds,
        }


def evaluate_accuracy(model: LSTMClassifier, split: Split) -> float:
    """Fraction of ``split`` whose whole-recording prediction is right."""
    return _accuracy(model, _network_batch(model.config.step_block, split))


def _network_batch(k: int, split: Split):
    """What the network reads of ``split``: padded block means (B, T, F), their lengths (B,), labels 0-based."""
    x, lengths = pad_sequences([shorten(s, k) for s in split.sequences])
    return x, lengths, torch.from_numpy(np.asarray(split.labels, dtype=np.int64) - 1)


def _accuracy(model: LSTMClassifier, batch) -> float:
    x, lengths, y = batch
    if not len(y):
        return float("nan")
    with torch.no_grad():
        return float((model(x, lengths).argmax(dim=1) == y).float().mean())


def validation_split(labels: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the recordings learnt from and of those held out, drawn per class with ``seed``.

    ``round(share * n_c)`` recordings of a class of ``n_c`` are held out, at least one when the class has three or
    more, none when it has fewer (it would be left with one or none to learn from).

    Parameters
    ----------
    labels : ndarray of shape (N,)
    share : float
        0 to 1; 0 holds out none.
    seed : int

    Returns
    -------
    fitting, validation : ndarray of int, sorted
    """
    rng = np.random.default_rng(seed)
    fitting, validation = [], []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_val = 0 if share <= 0 or len(members) < 3 else max(1, int(round(share * len(members))))
        validation.extend(members[:n_val])
        fitting.extend(members[n_val:])
    return np.sort(np.array(fitting, dtype=np.int64)), np.sort(np.array(validation, dtype=np.int64))


def plan_training(config: TrainConfig, train: Split) -> TrainingPlan:
    """What ``config`` does with the training split ``train``: block size, held-out part, batches, epochs."""
    return _plan(config, train, *validation_split(np.asarray(train.labels), config.validation_share, config.seed))


def _plan(config: TrainConfig, train: Split, fitting: np.ndarray, validation: np.ndarray) -> TrainingPlan:
    """:func:`plan_training` for the split of ``train`` into ``fitting`` and ``validation`` already drawn."""
    lengths = np.array([s.shape[1] for s in train.sequences])
    k = block_size(int(lengths.max()), config.max_steps) if config.max_steps else 1
    steps = -(-int(lengths.max()) // k)
    batch, epochs, capped = _schedule(config, len(fitting), steps)
    final_batch, final_epochs, final_capped = 0, 0, False
    if config.refit and len(validation):
        final_batch, final_epochs, final_capped = _schedule(config, len(fitting) + len(validation), steps)
    candidates = (PLAIN, REGULARISED) if config.plain_candidate and len(validation) else (REGULARISED,)
    return TrainingPlan(
        step_block=k,
        steps=steps,
        fitting=len(fitting),
        validation=len(validation),
        batch_size=batch,
        epochs=epochs,
        candidates=candidates,
        epochs_capped=capped or final_capped,
        final_batch_size=final_batch,
        final_epochs=final_epochs,
    )


def _schedule(config: TrainConfig, n: int, steps: int) -> tuple[int, int, bool]:
    """Batch size, epochs and whether the work cap cut them, for learning from ``n`` recordings of at most
    ``steps`` network steps."""
    batch = config.batch_size or int(np.clip(round(n / 8), 8, 64))
    per_epoch = math.ceil(n / batch)
    wanted = config.epochs or max(1, min(round(config.updates / per_epoch), config.max_epochs))
    cost = config.num_layers * max(1.0, config.hidden_size / 100) ** 2  # an LSTM step's cost grows with H²
    affordable = max(1, int(config.work_cap // (n * steps * cost)))
    return batch, min(wanted, affordable), wanted > affordable


def train_model(
    config: TrainConfig = TrainConfig(),
    dataset: Dataset | None = None,
    callback: Callable[[EpochReport], None] | None = None,
) -> TrainingResult:
    """Train a fresh classifier from ``config.seed``.

    Parameters
    ----------
    config : TrainConfig
    dataset : Dataset, optional
        Defaults to the shipped data set ``config.dataset``.
    callback : callable, optional
        Called with an :class:`EpochReport` after every reported epoch (about 150 per candidate at most).

    Returns
    -------
    TrainingResult
    """
    dataset = dataset or load_dataset(config.dataset)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        return _train(config, dataset, callback)
    finally:
        torch.set_num_threads(previous_threads)


class _BlockSampler:
    """Block means of the fitting recordings from any phase, a mini-batch at a time, from cumulative sums."""

    def __init__(self, sequences: list[np.ndarray], k: int):
        self.k = k
        self.lengths = torch.tensor([s.shape[1] for s in sequences])  # (N,)
        total = np.zeros((len(sequences), int(self.lengths.max()) + 1, sequences[0].shape[0]))  # (N, T + 1, F)
        for i, s in enumerate(sequences):
            total[i, 1 : s.shape[1] + 1] = np.cumsum(s.T, axis=0)
            total[i, s.shape[1] + 1 :] = total[i, s.shape[1]]
        self.cumulative = torch.from_numpy(total)
        self.phases = torch.clamp(torch.minimum(self.lengths - 1, torch.tensor(k)), min=1)  # (N,)

    def batch(self, idx: torch.Tensor, offsets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Recordings ``idx`` (B,), each from its ``offsets`` (B,): padded block means (B, L, F), lengths (B,)."""
        ends_at = self.lengths[idx]  # (B,)
        steps = -(-(ends_at - offsets) // self.k)  # (B,)
        j = torch.arange(int(steps.max()))  # (L,)
        start = torch.minimum(offsets[:, None] + j * self.k, ends_at[:, None])  # (B, L)
        end = torch.minimum(start + self.k, ends_at[:, None])
        sums = self.cumulative[idx[:, None], end] - self.cumulative[idx[:, None], start]  # (B, L, F)
        means = sums / (end - start).clamp(min=1)[..., None]
        return (means * (j[None, :] < steps[:, None])[..., None]).float(), steps


def _batches(lengths: np.ndarray, config: TrainConfig, batch_size: int, rng: np.random.Generator) -> list:
    """Index batches: contiguous runs of length-sorted recordings, or a random split of them."""
    n = len(lengths)
    order = np.argsort(lengths, kind="stable") if config.sort_by_length else rng.permutation(n)
    batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
    if config.shuffle_batches:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def _train(config: TrainConfig, dataset: Dataset, callback) -> TrainingResult:
    start = time.perf_counter()
    train = dataset.train
    fitting, validation = validation_split(np.asarray(train.labels), config.validation_share, config.seed)
    plan = _plan(config, train, fitting, validation)

    def part(indices) -> Split:
        return Split(sequences=[train.sequences[i] for i in indices], labels=np.asarray(train.labels)[indices])

    fit, held_out = part(fitting), part(validation)
    torch.manual_seed(config.seed)
    model = LSTMClassifier(
        ModelConfig(
            n_features=dataset.info.n_channels,
            hidden_size=config.hidden_size,
            n_classes=dataset.info.n_classes,
            num_layers=config.num_layers,
            step_block=plan.step_block,
        )
    )
    stacked = np.concatenate(train.sequences, axis=1)  # (F, sum T)
    spread = stacked.std(axis=1)
    model.feature_mean.copy_(torch.from_numpy(stacked.mean(axis=1)))
    model.feature_std.copy_(torch.from_numpy(np.where(spread > 0, spread, 1.0)))  # a constant channel stays put
    start_weights = {name: t.clone() for name, t in model.state_dict().items()}
    start_noise = torch.get_rng_state()  # every stage draws the same input noise, whichever ran before it
    batches = {
        "fit": _network_batch(plan.step_block, fit),
        "validation": _network_batch(plan.step_block, held_out) if len(held_out) else None,
        "test": _network_batch(plan.step_block, dataset.test),
    }
    sampler = _BlockSampler(fit.sequences, plan.step_block)  # one for every candidate
    stages = len(plan.candidates) + (1 if plan.final_epochs else 0)
    best = None  # (validation accuracy, name, epoch, weights, history)
    for number, name in enumerate(plan.candidates, 1):
        model.load_state_dict(start_weights)
        torch.set_rng_state(start_noise)
        stage = _Stage(name, number, stages, plan.batch_size, plan.epochs)
        outcome = _train_stage(model, config, stage, sampler, fit, batches, callback)
        if best is None or outcome[0] >= best[0] or math.isnan(outcome[0]):  # a tie: the later candidate
            best = (outcome[0], name, *outcome[1:])
    accuracy, kept, chosen_epoch, weights, history = best
    kept_epoch = chosen_epoch
    if plan.final_epochs:  # the chosen candidate again, from the same start, on every training recording
        model.load_state_dict(start_weights)
        torch.set_rng_state(start_noise)
        stage = _Stage(kept, stages, stages, plan.final_batch_size, plan.final_epochs, final=True)
        everything = {**batches, "fit": _network_batch(plan.step_block, train), "validation": None}
        _, kept_epoch, weights, history = _train_stage(
            model, config, stage, _BlockSampler(train.sequences, plan.step_block), train, everything, callback
        )
    model.load_state_dict(weights)
    model.eval()
    model.requires_grad_(False)
    return TrainingResult(
        model=model,
        history=history,
        plan=plan,
        kept=kept,
        kept_epoch=kept_epoch,
        chosen_epoch=chosen_epoch,
        validation_accuracy=accuracy,
        test_accuracy=_accuracy(model, batches["test"]),
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class _Stage:
    """One training run of :func:`_train`: a candidate (``number`` of ``of`` stages) or the final training."""

    candidate: str
    number: int
    of: int
    batch_size: int
    epochs: int
    final: bool = False


def _train_stage(model, config, stage: _Stage, sampler: _BlockSampler, fit: Split, batches, callback):
    """Train ``model`` in place on ``fit`` for ``stage``; return (best validation accuracy, its epoch, its weights,
    history)."""
    rng = np.random.default_rng(config.seed)  # the same batches and phases for every candidate
    decay, noise = (config.weight_decay, config.noise_std) if stage.candidate == REGULARISED else (0.0, 0.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, weight_decay=decay)
    warmup = int(config.warmup_share * stage.epochs)

    def rate(epoch: int) -> float:  # epoch 0-based: linear warm-up, then cosine decay to 0
        if epoch < warmup:
            return (epoch + 1) / warmup
        return 0.5 * (1.0 + math.cos(math.pi * (epoch - warmup) / max(1, stage.epochs - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    loss_fn = nn.CrossEntropyLoss()
    labels = torch.from_numpy(np.asarray(fit.labels, dtype=np.int64) - 1)  # (N,)
    lengths = np.array([s.shape[1] for s in fit.sequences])
    every = max(1, math.ceil(stage.epochs / 150))  # report at most about 150 epochs
    best_accuracy, best_epoch, best_weights, history = -1.0, stage.epochs, None, []

    def report(epoch: int, loss: float, validation: float, seconds: float) -> EpochReport:
        """The epoch's row, with the training and test accuracy of the model's weights now."""
        fitted, tested = _accuracy(model, batches["fit"]), _accuracy(model, batches["test"])
        return EpochReport(
            stage.candidate,
            stage.number,
            stage.of,
            epoch,
            stage.epochs,
            loss,
            fitted,
            validation,
            tested,
            seconds,
            stage.final,
        )

    for epoch in range(1, stage.epochs + 1):
        began = time.perf_counter()
        model.train()
        total = 0.0
        for idx in _batches(lengths, config, stage.batch_size, rng):
            offsets = np.zeros(len(idx), dtype=np.int64)
            if config.phase_jitter and sampler.k > 1:
                offsets = (rng.random(len(idx)) * sampler.phases[idx].numpy()).astype(np.int64)
            idx_t = torch.from_numpy(idx)
            x, steps = sampler.batch(idx_t, torch.from_numpy(offsets))  # (B, L, F), (B,)
            if noise:
                valid = (torch.arange(x.shape[1])[None, :] < steps[:, None])[..., None]  # (B, L, 1)
                x = x + torch.randn_like(x) * noise * model.feature_std * valid
            loss = loss_fn(model(x, steps), labels[idx_t])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            total += loss.item() * len(idx)
        scheduler.step()
        model.eval()
        validation = _accuracy(model, batches["validation"]) if batches["validation"] else float("nan")
        seconds = time.perf_counter() - began
        if not validation < best_accuracy:  # the latest of the best (nan: every epoch, so the last)
            best_accuracy, best_epoch, best_loss, best_seconds = validation, epoch, total / len(lengths), seconds
            best_weights = {name: t.clone() for name, t in model.state_dict().items()}
        if epoch % every == 0 or epoch == stage.epochs:
            row = report(epoch, total / len(lengths), validation, seconds)
            history.append(asdict(row))
            if callback is not None:
                callback(row)
    if best_epoch not in {row["epoch"] for row in history}:  # the kept epoch has its row too, for the chart
        model.load_state_dict(best_weights)
        history.append(asdict(report(best_epoch, best_loss, best_accuracy, best_seconds)))
        history.sort(key=lambda row: row["epoch"])
    return best_accuracy, best_epoch, best_weights, history


def history_csv(history: list[dict]) -> str:
    """The training history as CSV text, one row per reported epoch."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(history[0]) if history else list(EpochReport.__dataclass_fields__))
    writer.writeheader()
    writer.writerows(history)
    return out.getvalue()
