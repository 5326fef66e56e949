"""A pure stepper: MATLAB's ``classifyAndUpdateState``, with the state held by the caller.

The LSTM equations are written out here (rather than calling ``nn.LSTM``) so
that every intermediate quantity is exposed: the four gates, the cell state
and the hidden state after every step. PyTorch's gate order is kept:

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      input gate
    f = sigmoid(W_if x + b_if + W_hf h + b_hf)      forget gate
    g = tanh   (W_ig x + b_ig + W_hg h + b_hg)      cell candidate
    o = sigmoid(W_io x + b_io + W_ho h + b_ho)      output gate
    c' = f * c + i * g
    h' = o * tanh(c')

In a stack of layers, layer ``l`` > 0 reads the hidden state of layer ``l - 1``
in place of ``x``; the fully connected layer reads the top layer. A trace holds
the top layer's states as ``hidden``, ``cell`` and ``gates``, the layers below
in ``lower_layers``; ``trace.layer(l)`` is the same trace seen from layer ``l``.

Every run (a batch, one sequence, one :func:`step`, plain or with units
silenced) goes through one loop: one matrix product and a few in-place
operations per step, with tanh taken as 1 - 2 sigmoid(-2 a). Its numbers agree
with ``nn.LSTM``'s to float32 rounding.

Nothing here changes the model or the state objects it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, pairwise

import numpy as np
import torch

from .checks import check_layer, check_type
from .data import validate_sequence
from .model import LSTMClassifier

__all__ = [
    "GATE_NAMES",
    "LayerStates",
    "LSTMState",
    "StepOutput",
    "Trace",
    "BatchTrace",
    "step",
    "run_sequence",
    "run_batch",
]

GATE_NAMES = ("input", "forget", "cell candidate", "output")


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _layer_states(trace, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hidden, cell and gates of layer ``index`` (0-based, bottom first; negative counts from the top)."""
    layers = [*trace.lower_layers, LayerStates(trace.hidden, trace.cell, trace.gates)]
    if not isinstance(index, (int, np.integer)) or not -len(layers) <= index < len(layers):
        raise ValueError(f"layer must be from 0 to {len(layers) - 1} (or -1 for the top), got {index!r}")
    chosen = layers[index]
    return chosen.hidden, chosen.cell, chosen.gates


@dataclass(frozen=True)
class LSTMState:
    """The network's memory between two steps: hidden ``h`` (L, H) and cell ``c`` (L, H), one row per layer."""

    h: np.ndarray
    c: np.ndarray

    @classmethod
    def zeros(cls, hidden_size: int, num_layers: int = 1) -> LSTMState:
        shape = (num_layers, hidden_size)
        return cls(_readonly(np.zeros(shape, np.float32)), _readonly(np.zeros(shape, np.float32)))


@dataclass(frozen=True)
class StepOutput:
    """What one step produces, per layer (bottom first): hidden (L, H), cell (L, H), gates (L, 4, H); and
    probs (C,)."""

    hidden: np.ndarray
    cell: np.ndarray
    gates: np.ndarray
    probs: np.ndarray


@dataclass(frozen=True)
class LayerStates:
    """One lower layer's states in a trace: hidden (..., H), cell (..., H), gates (..., 4, H), with the leading
    axes of the trace that holds it ((T,) for a :class:`Trace`, (N, T_max) for a :class:`BatchTrace`)."""

    hidden: np.ndarray
    cell: np.ndarray
    gates: np.ndarray


@dataclass(frozen=True)
class Trace:
    """Every step of one sequence.

    Attributes
    ----------
    hidden : ndarray of shape (T, H)
    cell : ndarray of shape (T, H)
    gates : ndarray of shape (T, 4, H)
        Input, forget, cell candidate, output (see ``GATE_NAMES``).
    probs : ndarray of shape (T, C)
        Class probabilities after each step.
    lower_layers : tuple of LayerStates
        The layers below the top one (bottom first), each (T, H), (T, H), (T, 4, H); empty for one layer.

    ``hidden``, ``cell`` and ``gates`` are the top layer's, the one the fully
    connected layer reads.
    """

    hidden: np.ndarray
    cell: np.ndarray
    gates: np.ndarray
    probs: np.ndarray
    lower_layers: tuple[LayerStates, ...] = ()

    def __len__(self) -> int:
        return self.hidden.shape[0]

    @property
    def num_layers(self) -> int:
        return len(self.lower_layers) + 1

    def layer(self, index: int) -> Trace:
        """This trace seen from layer ``index`` (0-based, bottom first; -1 is the top): that layer's hidden,
        cell and gates, the network's probs, no lower layers."""
        return Trace(*_layer_states(self, index), self.probs)

    @property
    def predictions(self) -> np.ndarray:
        """Predicted class (1-based) after each step, shape (T,)."""
        return self.probs.argmax(axis=1) + 1


@dataclass(frozen=True)
class BatchTrace:
    """Traces of many sequences, zero-padded after each one's end.

    Attributes
    ----------
    hidden : ndarray of shape (N, T_max, H)
    cell : ndarray of shape (N, T_max, H)
    gates : ndarray of shape (N, T_max, 4, H)
    probs : ndarray of shape (N, T_max, C)
    lengths : ndarray of shape (N,)
    lower_layers : tuple of LayerStates
        The layers below the top (bottom first), each (N, T_max, H), (N, T_max, H), (N, T_max, 4, H).

    ``hidden``, ``cell`` and ``gates`` are the top layer's. The arrays are read-only and, for sequences of equal
    length, views of step-major (T_max, N, ...) arrays rather than copies.
    """

    hidden: np.ndarray
    cell: np.ndarray
    gates: np.ndarray
    probs: np.ndarray
    lengths: np.ndarray
    lower_layers: tuple[LayerStates, ...] = ()

    def __len__(self) -> int:
        return len(self.lengths)

    def __setstate__(self, state: dict) -> None:
        # Arrays unpickled (from the disk cache) come back writable; a trace is read-only wherever it came from.
        for name, value in state.items():
            if name == "lower_layers":
                value = tuple(LayerStates(*(_readonly(a) for a in (lay.hidden, lay.cell, lay.gates))) for lay in value)
            else:
                value = _readonly(value)
            object.__setattr__(self, name, value)

    def __getitem__(self, i: int) -> Trace:
        n = int(self.lengths[i])
        lower = tuple(LayerStates(lay.hidden[i, :n], lay.cell[i, :n], lay.gates[i, :n]) for lay in self.lower_layers)
        return Trace(self.hidden[i, :n], self.cell[i, :n], self.gates[i, :n], self.probs[i, :n], lower)

    @property
    def num_layers(self) -> int:
        return len(self.lower_layers) + 1

    def layer(self, index: int) -> BatchTrace:
        """These traces seen from layer ``index`` (0-based, bottom first; -1 is the top): that layer's hidden,
        cell and gates, the network's probs and lengths, no lower layers."""
        return BatchTrace(*_layer_states(self, index), self.probs, self.lengths)

    @property
    def final_probs(self) -> np.ndarray:
        """Class probabilities after each sequence's last step, shape (N, C)."""
        return self.probs[np.arange(len(self)), self.lengths - 1]

    @property
    def final_predictions(self) -> np.ndarray:
        """Predicted class (1-based) of each whole sequence, shape (N,)."""
        return self.final_probs.argmax(axis=1) + 1


def _silence_mask(hidden_size: int, silenced) -> torch.Tensor | None:
    """Turn unit indices (0-based) or a boolean mask into a float keep-mask (H,)."""
    if silenced is None:
        return None
    try:
        idx = np.asarray(silenced)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"silenced must be unit indices or a boolean mask, got {silenced!r}") from exc
    if idx.dtype == bool:
        if idx.shape != (hidden_size,):
            raise ValueError(f"a boolean silenced mask must have shape ({hidden_size},), got {idx.shape}")
        idx = np.flatnonzero(idx)
    elif idx.size == 0:  # [] is read as floats
        idx = np.zeros(0, int)
    elif idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
        # A fractional unit would be truncated to another unit, a nested list flattened: both silence the wrong units.
        raise ValueError(f"silenced must be a 1-D list of unit indices (integers) or a boolean mask, got {silenced!r}")
    if idx.size and (idx.min() < 0 or idx.max() >= hidden_size):
        raise ValueError(f"silenced units must be between 0 and {hidden_size - 1}")
    keep = torch.ones(hidden_size)
    keep[torch.from_numpy(idx.astype(np.int64))] = 0.0
    return keep


def _layer_weights(lstm: torch.nn.LSTM, layer: int):
    """Layer ``layer``'s input weights transposed (F_in, 4H), recurrent weights transposed (H, 4H) and bias (4H,),
    with the cell-candidate columns times -2: tanh(a) = 1 - 2 sigmoid(-2a) lets one sigmoid serve all four
    gates (and torch's CPU tanh costs several sigmoids)."""
    H = lstm.hidden_size
    scale = torch.ones(4 * H, 1)
    scale[2 * H : 3 * H] = -2.0
    w_ih_t = (getattr(lstm, f"weight_ih_l{layer}") * scale).T
    w_hh_t = (getattr(lstm, f"weight_hh_l{layer}") * scale).T.contiguous()
    bias = (getattr(lstm, f"bias_ih_l{layer}") + getattr(lstm, f"bias_hh_l{layer}")) * scale[:, 0]
    return w_ih_t, w_hh_t, bias


def _empty(*shape: int) -> torch.Tensor:
    """A float32 tensor in NumPy-allocated memory: NumPy asks the kernel for huge pages for large arrays, and the
    first writes to torch's own large allocations fault 4 KB page by page (tens of ms for the gates of 100
    recordings of 1,460 steps)."""
    return torch.from_numpy(np.empty(shape, np.float32))


def _padded(packed: torch.Tensor, B: int, T: int, where: torch.Tensor | None) -> torch.Tensor:
    """Packed rows (N, ...) as (B, T, ...) in the original order, zero past each sequence's end.

    ``where`` (N,) holds each packed row's row of the (B * T) result; ``None`` when every sequence runs all T
    steps, so that the packed rows are (T, B): then the result is a view.
    """
    if where is None:
        return packed.view(T, B, *packed.shape[1:]).transpose(0, 1)
    padded = torch.from_numpy(np.zeros((B * T, *packed.shape[1:]), np.float32))
    return padded.index_copy_(0, where, packed).view(B, T, *packed.shape[1:])


_CHUNK_BYTES = 1 << 20  # a chunk of steps' gates, cell and hidden rows: about one core's L2 cache here (1 MB)


def _chunks(batch_sizes: list[int], floats_per_row: int) -> list[tuple[int, int, slice]]:
    """Runs of consecutive steps whose packed rows fill about ``_CHUNK_BYTES``: (first step, end step, their rows).

    A step whose rows alone exceed it is a chunk of its own. The loop computes a chunk's input share just before
    its steps and turns s into g just after, while the chunk is still in the CPU's cache.
    """
    row_start = np.concatenate([[0], np.cumsum(batch_sizes)])  # (T + 1,)
    bucket = row_start[:-1] * floats_per_row * 4 // _CHUNK_BYTES  # (T,): which chunk-sized stretch each step starts in
    starts = [0, *(np.flatnonzero(np.diff(bucket)) + 1).tolist(), len(batch_sizes)]
    return [(a, b, slice(int(row_start[a]), int(row_start[b]))) for a, b in pairwise(starts)]


def _unroll(
    model: LSTMClassifier,
    z: torch.Tensor,
    lengths: np.ndarray,
    h: torch.Tensor,
    c: torch.Tensor,
    keep: torch.Tensor | None,
    silence_from: int,
    silenced_layer: int,
):
    """Run the LSTM equations over a batch, layer by layer, step by step, computing only the rows still running.

    The steps are packed as ``nn.LSTM`` packs them: sequences longest first, step after step, so that the rows of
    step t are contiguous and continue the first rows of step t - 1. Each step is one matrix product and six in-place
    elementwise operations, written straight into the outputs. The input's share of the gates is computed a chunk
    of steps at a time, just before the chunk (:func:`_chunks`). Plain, silenced and single-step runs all go
    through this loop: silencing only multiplies the silenced layer's hidden state by ``keep`` (exactly 1 for the
    units that run).

    Parameters
    ----------
    z : Tensor (sum of lengths, F)
        Normalised input: the sequences' steps, one sequence after another.
    lengths : ndarray (B,)
        Steps of each sequence, at least 1.
    h, c : Tensor (L, B, H)
        Each layer's state of each sequence before its first step.
    keep : Tensor (H,) or None
        1 for a unit of layer ``silenced_layer`` that runs, 0 for one silenced from step ``silence_from`` on.

    Returns
    -------
    layers : list of (hidden, cell, gates), one per layer, bottom first
        Tensors (B, T, H), (B, T, H), (B, T, 4, H).
    probs : Tensor (B, T, C)
    In the original order; entries past a sequence's end are zero. When every sequence has T steps these are
    views of the step-major (T, B, ...) results, not copies.
    """
    lstm, fc = model.lstm, model.fc
    B, T, H, L = len(lengths), int(lengths.max()), lstm.hidden_size, lstm.num_layers
    order = np.argsort(-lengths, kind="stable")  # order[r]: the sequence in sorted row r
    running = np.arange(T)[:, None] < lengths[order][None, :]  # (T, B): sorted row r runs at step t
    batch_sizes = running.sum(axis=1).tolist()  # rows running at each step
    N = sum(batch_sizes)
    first_step = np.cumsum(lengths) - lengths  # where each sequence starts in z
    inputs = z[torch.from_numpy((first_step[order][None, :] + np.arange(T)[:, None])[running])]  # (N, F) packed
    rows = torch.from_numpy(order)
    minus_two = torch.tensor(-2.0)  # a tensor, not a Python float, which every step would wrap into one
    layers = []
    one = torch.ones(())
    chunks = _chunks(batch_sizes, 6 * H)
    for layer in range(L):
        w_ih_t, w_hh_t, bias = _layer_weights(lstm, layer)
        gates, cell, hidden = _empty(N, 4 * H), _empty(N, H), _empty(N, H)
        quarters = gates.view(N, 4, H).unbind(1)  # i, f, s, o: (N, H) each
        per_step = zip(batch_sizes, *(a.split(batch_sizes) for a in (gates, *quarters, cell, hidden)), strict=True)
        h_prev, c_prev, running_before = h[layer][rows], c[layer][rows], B  # (B, H), sorted like the rows
        silence_at = silence_from if keep is not None and layer == silenced_layer else T
        for first, end, chunk_rows in chunks:
            torch.addmm(bias, inputs[chunk_rows], w_ih_t, out=gates[chunk_rows])  # (rows, 4H): the input's share
            for t, (n, g_t, i, f, s, o, c_t, h_t) in enumerate(islice(per_step, end - first), start=first):
                if n < running_before:  # some sequences have ended
                    h_prev, c_prev, running_before = h_prev[:n], c_prev[:n], n
                g_t.addmm_(h_prev, w_hh_t).sigmoid_()  # i, f, o; and s = sigmoid(-2 a_g), so that g = 1 - 2 s
                torch.addcmul(i, f, c_prev, out=c_t).addcmul_(i, s, value=-2.0)  # c' = f c + i g = i + f c - 2 i s
                torch.addcmul(o, o, torch.mul(c_t, minus_two, out=h_t).sigmoid_(), value=-2.0, out=h_t)  # o tanh(c')
                if t >= silence_at:
                    h_t.mul_(keep)
                h_prev, c_prev = h_t, c_t
            g_share = quarters[2][chunk_rows]
            torch.add(one, g_share, alpha=-2.0, out=g_share)  # s -> g = 1 - 2 s = tanh(a_g)
        layers.append((hidden, cell, gates.view(N, 4, H)))
        inputs = hidden  # the next layer reads these states
    # Softmax with the classes along the first axis: its reductions run across steps, vectorised.
    logits = torch.addmm(fc.bias[:, None], fc.weight, layers[-1][0].T)  # (C, N)
    e = logits.sub_(logits.amax(0)).exp_()
    probs = e.div_(e.sum(0)).T  # (N, C)
    # None when every sequence runs every step: the packed rows are then (T, B) in the original order.
    where = None if N == B * T else torch.from_numpy((order[None, :] * T + np.arange(T)[:, None])[running])
    return [tuple(_padded(a, B, T, where) for a in states) for states in layers], _padded(probs, B, T, where)


@torch.no_grad()
def step(
    model: LSTMClassifier, x_t, state: LSTMState | None = None, *, silenced=None, silenced_layer: int = -1
) -> tuple[LSTMState, StepOutput]:
    """Feed one raw time step and return the new state and what the network shows.

    Parameters
    ----------
    model : LSTMClassifier
    x_t : array-like of shape (F,)
        Raw features (channels) of one network step; F is ``model.config.n_features``. For a network with
        ``config.step_block`` k > 1, one network step is the mean of k recorded steps.
    state : LSTMState, optional
        The state before this step, h and c of shape (L, H); ``None`` means zeros. It is not changed.
    silenced : array-like of int or bool mask (H,), optional
        Hidden units of layer ``silenced_layer`` whose output is forced to zero at this step.
    silenced_layer : int
        0-based, bottom first; -1 (the default) is the top layer.

    Returns
    -------
    new_state : LSTMState
        h and c of shape (L, H).
    out : StepOutput
        ``hidden`` (L, H), ``cell`` (L, H), ``gates`` (L, 4, H), ``probs`` (C,).
    """
    check_type(model, LSTMClassifier, "model")
    F = model.config.n_features
    if np.shape(x_t) != (F,):
        raise ValueError(f"x_t must have shape ({F},), got {np.shape(x_t)}")
    x = validate_sequence(np.asarray(x_t)[:, None], name="x_t", n_channels=F)  # (F, 1)
    H, L = model.config.hidden_size, model.config.num_layers
    if state is None:
        state = LSTMState.zeros(H, L)
    if not isinstance(state, LSTMState) or np.shape(state.h) != (L, H) or np.shape(state.c) != (L, H):
        raise ValueError(f"state must be an LSTMState with h and c of shape ({L}, {H}) (layers, units)")
    layer = check_layer(silenced_layer, "silenced_layer", model.config.num_layers)
    z = torch.from_numpy(model.normalize(x).T.astype(np.float32))  # (1, F)
    h0 = torch.from_numpy(np.array(state.h, dtype=np.float32))[:, None]  # (L, 1, H)
    c0 = torch.from_numpy(np.array(state.c, dtype=np.float32))[:, None]
    layers, probs = _unroll(model, z, np.array([1]), h0, c0, _silence_mask(H, silenced), 0, layer)
    h1 = np.stack([hidden[0, 0].numpy() for hidden, _, _ in layers])  # (L, H)
    c1 = np.stack([cell[0, 0].numpy() for _, cell, _ in layers])  # (L, H)
    gates = np.stack([g[0, 0].numpy() for _, _, g in layers])  # (L, 4, H)
    out = StepOutput(_readonly(h1.copy()), _readonly(c1.copy()), _readonly(gates), _readonly(probs[0, 0].numpy()))
    return LSTMState(_readonly(h1), _readonly(c1)), out


def run_sequence(model: LSTMClassifier, x, *, silenced=None, silence_from: int = 0, silenced_layer: int = -1) -> Trace:
    """Step through one raw sequence from a zero state.

    Parameters
    ----------
    model : LSTMClassifier
    x : array-like of shape (F, T)
        Raw features; F is ``model.config.n_features``.
    silenced : array-like of int or bool mask (H,), optional
        Hidden units of layer ``silenced_layer`` whose output is zeroed from step ``silence_from`` (0-based) on.
    silence_from : int
    silenced_layer : int
        0-based, bottom first; -1 (the default) is the top layer.

    Returns
    -------
    Trace
        ``hidden`` (T, H), ``cell`` (T, H), ``gates`` (T, 4, H) of the top layer, ``probs`` (T, C), and the
        layers below in ``lower_layers``; T counts network steps (``ceil(T / k)`` for ``config.step_block`` k).
    """
    check_type(model, LSTMClassifier, "model")
    x = validate_sequence(x, n_channels=model.config.n_features)  # here, so that an error names ``x``
    return run_batch(model, [x], silenced=silenced, silence_from=silence_from, silenced_layer=silenced_layer)[0]


@torch.no_grad()
def run_batch(
    model: LSTMClassifier, sequences, *, silenced=None, silence_from: int = 0, silenced_layer: int = -1
) -> BatchTrace:
    """Step through many raw sequences at once; same values as :func:`run_sequence`.

    Parameters
    ----------
    model : LSTMClassifier
    sequences : list of array-like, each of shape (F, T_i)
    silenced, silence_from, silenced_layer
        As in :func:`run_sequence`, applied to every sequence.

    Returns
    -------
    BatchTrace
        Padded arrays in the order of ``sequences``, with ``lengths`` (N,); the top layer's states and the
        layers below in ``lower_layers``. One row per network step: for a network with ``config.step_block``
        k > 1, ``ceil(T_i / k)`` steps of a recording of ``T_i`` (:meth:`LSTMClassifier.network_input`).
    """
    check_type(model, LSTMClassifier, "model")
    F = model.config.n_features
    if isinstance(sequences, np.ndarray) and sequences.ndim == 2:
        raise ValueError(f"sequences must be a list of ({F}, T) arrays; for one sequence use run_sequence")
    sequences = list(sequences)
    if not sequences:
        raise ValueError("sequences is empty")
    for i, x in enumerate(sequences):
        if np.ndim(x) != 2 or np.shape(x)[0] != F or np.asarray(x).dtype.kind not in "biuf":
            validate_sequence(x, name=f"sequences[{i}]", n_channels=F)  # raises the precise error
    if not isinstance(silence_from, (int, np.integer)) or silence_from < 0:
        raise ValueError(f"silence_from must be a non-negative int, got {silence_from!r}")
    layer = check_layer(silenced_layer, "silenced_layer", model.config.num_layers)
    lengths = np.array([np.shape(x)[1] for x in sequences])
    if lengths.min() == 0:
        empty = int(np.argmin(lengths))
        validate_sequence(sequences[empty], name=f"sequences[{empty}]", n_channels=F)
    sequences = [model.network_input(np.asarray(x, dtype=np.float64)) for x in sequences]  # each (F, T_i / k)
    lengths = np.array([x.shape[1] for x in sequences])
    concatenated = np.concatenate(sequences, axis=1)  # (F, sum of lengths)
    mean, std = model.feature_mean.numpy(), model.feature_std.numpy()
    z = ((concatenated.T - mean) / std).astype(np.float32)  # (sum of lengths, F)
    if not np.isfinite(z).all():  # one check for the whole batch, then name the culprit
        for i, x in enumerate(sequences):
            validate_sequence(x, name=f"sequences[{i}]", n_channels=F)
    H, L = model.config.hidden_size, model.config.num_layers
    h0 = torch.zeros(L, len(sequences), H)
    layers, probs = _unroll(
        model, torch.from_numpy(z), lengths, h0, h0.clone(), _silence_mask(H, silenced), int(silence_from), layer
    )
    lower = tuple(LayerStates(*(_readonly(a.numpy()) for a in states)) for states in layers[:-1])
    hidden, cell, gates = (_readonly(a.numpy()) for a in layers[-1])
    return BatchTrace(hidden, cell, gates, _readonly(probs.numpy()), _readonly(lengths), lower)
