"""Shortening: averages of blocks of k recorded steps, against a loop written out by hand."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.compute.shortening import block_size, shorten, shortened_length


def test_block_means_against_a_hand_written_loop():
    x = np.arange(2 * 7, dtype=float).reshape(2, 7)  # steps 0..6
    expected = np.stack(
        [[np.mean(row[0:3]), np.mean(row[3:6]), np.mean(row[6:7])] for row in x]
    )  # blocks of 3: steps 0-2, 3-5, and the one left over
    assert_allclose(shorten(x, 3), expected)
    assert shorten(x, 3).shape == (2, shortened_length(7, 3)) == (2, 3)


def test_a_block_of_one_is_the_recording_itself():
    x = np.ones((3, 5))
    assert shorten(x, 1) is x


def test_a_block_longer_than_the_recording_leaves_one_step():
    x = np.array([[1.0, 2.0, 6.0]])
    assert_array_equal(shorten(x, 10), [[3.0]])


@pytest.mark.parametrize(("longest", "max_steps", "k"), [(1460, 200, 8), (200, 200, 1), (201, 200, 2), (29, 50, 1)])
def test_block_size_leaves_at_most_max_steps(longest, max_steps, k):
    assert block_size(longest, max_steps) == k
    assert shortened_length(longest, k) <= max_steps
    if k > 1:
        assert shortened_length(longest, k - 1) > max_steps, "k is the smallest block that fits"


def test_shortened_lengths_of_many_recordings():
    assert_array_equal(shortened_length(np.array([1, 8, 9, 16]), 8), [1, 1, 2, 2])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: shorten(np.ones((1, 3)), 0), "k must be an integer from 1"),
        (lambda: block_size(0, 5), "longest must be an integer from 1"),
    ],
)
def test_bad_calls_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_network_of_blocks_reads_the_block_means():
    torch.manual_seed(0)
    blocked = core.LSTMClassifier(core.ModelConfig(n_features=2, hidden_size=4, n_classes=3, step_block=4)).eval()
    plain = core.LSTMClassifier(core.ModelConfig(n_features=2, hidden_size=4, n_classes=3)).eval()
    plain.load_state_dict(blocked.state_dict())
    x = np.random.default_rng(1).standard_normal((2, 10))
    trace = core.run_sequence(blocked, x)
    assert len(trace) == 3  # steps 1-4, 5-8, 9-10
    assert_allclose(trace.probs, core.run_sequence(plain, shorten(x, 4)).probs, rtol=1e-6)
    batch = core.run_batch(blocked, [x, x[:, :5]])
    assert_array_equal(batch.lengths, [3, 2])
    assert_allclose(batch[1].probs, core.run_sequence(plain, shorten(x[:, :5], 4)).probs, rtol=1e-6)
