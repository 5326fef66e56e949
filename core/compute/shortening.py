"""How a long recording becomes the network's time steps: each step the network reads is the average of a block
of ``k`` consecutive recorded steps (the last block may be shorter).

An LSTM learns long recordings poorly: its gradient has to pass through every step. A network trained with
blocks of ``k`` (``ModelConfig.step_block``) reads ``ceil(T / k)`` steps of a recording of ``T``; every trace,
attribution and chart of it is over those steps, and the app says so ("each step here is 8 steps of the
recording"). ``k = 1`` leaves a recording as it is.
"""

from __future__ import annotations

import numpy as np

from .checks import check_int

__all__ = ["block_size", "shortened_length", "shorten"]


def block_size(longest: int, max_steps: int) -> int:
    """The smallest ``k`` that leaves at most ``max_steps`` steps of a recording of ``longest`` steps.

    Parameters
    ----------
    longest : int
        Steps of the longest recording, at least 1.
    max_steps : int
        At least 1.

    Returns
    -------
    int
        ``ceil(longest / max_steps)``, at least 1.
    """
    longest = check_int(longest, "longest", 1, 10**9)
    max_steps = check_int(max_steps, "max_steps", 1, 10**9)
    return -(-longest // max_steps)


def shortened_length(length, k: int):
    """Steps left of a recording of ``length`` steps (an int or an int array) in blocks of ``k``:
    ``ceil(length / k)``."""
    k = check_int(k, "k", 1, 10**9)
    return -(-np.asarray(length) // k) if np.ndim(length) else -(-int(length) // k)


def shorten(x: np.ndarray, k: int) -> np.ndarray:
    """Average blocks of ``k`` consecutive steps of one recording.

    Parameters
    ----------
    x : ndarray of shape (F, T)
        Raw values, one column per recorded step.
    k : int
        Steps per block, at least 1.

    Returns
    -------
    ndarray of shape (F, ceil(T / k))
        Column ``j`` is the mean of recorded steps ``j k`` to ``min((j + 1) k, T) - 1``. For ``k = 1``, ``x``
        itself (no copy).
    """
    k = check_int(k, "k", 1, 10**9)
    if k == 1:
        return x
    x = np.asarray(x, dtype=np.float64)
    F, T = x.shape
    n = -(-T // k)
    padded = np.zeros((F, n * k))
    padded[:, :T] = x
    counts = np.full(n, float(k))
    counts[-1] = T - (n - 1) * k  # the last block holds what is left
    return padded.reshape(F, n, k).sum(axis=2) / counts  # (F, n)
