"""Baselines: resampling against hand-computed values, distances and the 1-nearest-neighbour rule against loops
written out here, the majority class by hand, and the bad calls."""

import math

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

from core.analyses import baselines as b
from core.compute.data import Split


def random_split(rng, n, n_channels=3, lengths=(2, 12), n_classes=3):
    """``n`` random recordings of ``n_channels`` channels and random lengths, labels 1 to ``n_classes``."""
    sequences = [rng.standard_normal((n_channels, int(rng.integers(*lengths)))) for _ in range(n)]
    return Split(sequences, rng.integers(1, n_classes + 1, n))


def reference_distance(a, c, length):
    """Both recordings resampled by a loop over channels and steps, then the Euclidean distance."""

    def stretched(x):
        t = x.shape[1]
        out = np.empty((x.shape[0], length))
        for j in range(length):
            position = j * (t - 1) / (length - 1) if length > 1 else 0.0
            low = int(np.floor(position))
            high = min(low + 1, t - 1)
            out[:, j] = x[:, low] + (position - low) * (x[:, high] - x[:, low])
        return out

    return float(np.sqrt(((stretched(a) - stretched(c)) ** 2).sum()))


def test_resample_by_hand():
    x = np.array([[0.0, 10.0, 20.0], [1.0, 1.0, 4.0]])
    assert_allclose(b.resample(x, 5), [[0, 5, 10, 15, 20], [1, 1, 1, 2.5, 4]])
    assert_allclose(b.resample(x, 2), [[0, 20], [1, 4]])
    assert_allclose(b.resample(x, 3), x)
    assert_allclose(b.resample(x, 1), [[0], [1]])
    assert_allclose(b.resample([[7.0]], 3), [[7, 7, 7]])


def test_distances_by_hand_and_against_a_loop():
    # [0, 3] stretched to 3 steps is [0, 1.5, 3]; [1, 1, 1] minus it is [1, -0.5, -2]
    assert_allclose(b.distances([[[0.0, 3.0]]], [[[1.0, 1.0, 1.0]]], length=3), [[np.sqrt(1 + 0.25 + 4)]])
    rng = np.random.default_rng(1)
    queries, references = random_split(rng, 7).sequences, random_split(rng, 9).sequences
    for length in (1, 5, 11):
        expected = [[reference_distance(q, r, length) for r in references] for q in queries]
        assert_allclose(b.distances(queries, references, length=length), expected, rtol=1e-9, atol=1e-9)


def test_common_length_is_the_longest_training_recording_at_most_the_cap(dataset):
    assert b.common_length(dataset.train) == int(dataset.train.lengths.max()) == 26
    long = Split([np.zeros((2, 5)), np.zeros((2, 400))], np.array([1, 2]))
    assert b.common_length(long) == b.MAX_COMMON_LENGTH == 100


def test_nearest_neighbour_against_a_loop():
    rng = np.random.default_rng(2)
    training, test = random_split(rng, 20), random_split(rng, 15)
    length = b.common_length(training)
    expected = []
    for q in test.sequences:
        d = [reference_distance(q, r, length) for r in training.sequences]
        expected.append(training.labels[int(np.argmin(d))])
    assert_array_equal(b.nearest_neighbour_predictions(training, test), expected)
    assert b.nearest_neighbour_accuracy(training, test) == pytest.approx(np.mean(np.array(expected) == test.labels))


def test_nearest_neighbour_ties_go_to_the_earlier_training_recording():
    same = np.array([[1.0, 2.0, 3.0]])
    training = Split([same * 5, same, same.copy()], np.array([1, 3, 2]))
    test = Split([same, same * 4.9], np.array([2, 1]))
    assert_array_equal(b.nearest_neighbour_predictions(training, test), [3, 1])
    assert b.nearest_neighbour_accuracy(training, test) == 0.5


def test_nearest_neighbour_on_japanese_vowels(dataset):
    """A slice of the test split against a loop over the whole training split."""
    test = Split(dataset.test.sequences[:40], dataset.test.labels[:40])
    length = b.common_length(dataset.train)
    expected = [
        dataset.train.labels[int(np.argmin([reference_distance(q, r, length) for r in dataset.train.sequences]))]
        for q in test.sequences
    ]
    assert_array_equal(b.nearest_neighbour_predictions(dataset.train, test), expected)


def test_majority_class_and_accuracy():
    training = Split([np.zeros((1, 2))] * 6, np.array([3, 1, 3, 2, 1, 2]))  # 1, 2 and 3 twice each
    assert b.majority_class(training) == 1
    training = Split([np.zeros((1, 2))] * 5, np.array([3, 1, 3, 2, 1]))  # 1 and 3 twice each
    assert b.majority_class(training) == 1
    training = Split([np.zeros((1, 2))] * 4, np.array([3, 3, 2, 1]))
    test = Split([np.zeros((1, 2))] * 5, np.array([3, 1, 3, 3, 2]))
    assert b.majority_class(training) == 3
    assert b.majority_accuracy(training, test) == pytest.approx(3 / 5)


@pytest.fixture(scope="module")
def api():
    rng = np.random.default_rng(3)
    return {"train": random_split(rng, 4), "test": random_split(rng, 3), "empty": Split([], np.zeros(0, int))}


BAD_CALLS = [
    ("resample/1-D", lambda a: b.resample(np.zeros(4), 3), ValueError, r"x must have shape \(channels, T\)"),
    ("resample/empty", lambda a: b.resample(np.zeros((2, 0)), 3), ValueError, "with T >= 1"),
    ("resample/length", lambda a: b.resample(np.zeros((2, 4)), 0), ValueError, "length must be an integer from 1"),
    ("resample/text", lambda a: b.resample("ab", 3), TypeError, "x must be a numeric array"),
    ("resample/nan", lambda a: b.resample([[np.nan, 1.0]], 3), ValueError, "x contains NaN"),
    (
        "distances/channels",
        lambda a: b.distances([np.zeros((2, 3))], [np.zeros((3, 3))], length=4),
        ValueError,
        "queries have 2 channels and references 3",
    ),
    (
        "distances/mixed channels",
        lambda a: b.distances([np.zeros((2, 3)), np.zeros((3, 3))], [np.zeros((2, 3))], length=4),
        ValueError,
        "queries: every recording must have the same number of channels",
    ),
    (
        "distances/one recording",
        lambda a: b.distances(np.zeros((2, 3)), [np.zeros((2, 3))], length=4),
        ValueError,
        r"queries must be a list of \(F, T\) recordings",
    ),
    ("distances/empty", lambda a: b.distances([], [np.zeros((2, 3))], length=4), ValueError, "queries is empty"),
    (
        "distances/bad recording",
        lambda a: b.distances([np.zeros((2, 3))], [np.zeros((2, 3)), np.zeros(3)], length=4),
        ValueError,
        r"references\[1\]: x must have shape",
    ),
    ("distances/length", lambda a: b.distances([[[1.0]]], [[[1.0]]], length=1.5), ValueError, "length must be"),
    ("common_length/type", lambda a: b.common_length([np.zeros((2, 3))]), TypeError, "training must be a Split"),
    ("common_length/empty", lambda a: b.common_length(a["empty"]), ValueError, "training has no recordings"),
    ("nn/test type", lambda a: b.nearest_neighbour_predictions(a["train"], None), TypeError, "test must be a Split"),
    ("nn/empty test", lambda a: b.nearest_neighbour_accuracy(a["train"], a["empty"]), ValueError, "test has no"),
    (
        "nn/labels",
        lambda a: b.nearest_neighbour_predictions(Split(a["train"].sequences, np.array([1])), a["test"]),
        ValueError,
        "training has 4 recordings but 1 labels",
    ),
    ("majority/empty", lambda a: b.majority_class(a["empty"]), ValueError, "training has no recordings"),
    ("majority/test", lambda a: b.majority_accuracy(a["train"], "test"), TypeError, "test must be a Split"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)


@pytest.mark.parametrize(("k", "n", "p"), [(0, 5, 0.3), (3, 5, 0.3), (5, 5, 0.3), (7, 10, 0.5), (2, 3, 0.9)])
def test_the_binomial_tail_against_a_sum_written_out(k, n, p):
    expected = sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))
    assert b.chance_of_at_least(k, n, p) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("n_right", "n_test", "majority", "little"),
    [
        (70, 150, 0.49, True),  # GunPoint's lab default before: 46.7 %, below always answering one class
        (90, 150, 0.49, False),  # 60 %: p < 0.01 and more than a fifth of the way to 100 %
        (80, 150, 0.49, True),  # 53 %: could be luck (p about 0.2)
        (540, 1029, 0.5, True),  # 52.5 % of a large test set: not luck, but hardly better
        (364, 370, 0.08, False),  # the shipped Japanese Vowels network
        (3, 4, 0.5, True),  # too few test recordings to tell
    ],
)
def test_learned_little(n_right, n_test, majority, little):
    assert b.learned_little(n_right, n_test, majority) is little


@pytest.mark.parametrize(
    "n_right, n_test, majority, too_few",
    [
        (4, 4, 0.5, True),  # all right, but a coin names 4 of 4 right once in 16 times
        (3, 4, 0.5, True),  # ahead by 25 points, and no score on 4 recordings could beat a coin's luck
        (40, 40, 0.5, False),  # as many right by luck: 1 in 2**40, so it has learned
        (2, 4, 0.5, False),  # not ahead: it has learned little, and more recordings would not change that
        (7, 10, 0.5, True),  # ahead by 20 points, but a coin names 7 or more of 10 right about once in 6 times
        (10, 10, 0.5, False),  # a coin names 10 of 10 right once in 1,024 times: it has learned
        (5, 6, 1 / 3, True),  # 5 of 6 against a third: luck about once in 56 times
        (6, 6, 1 / 3, False),  # 6 of 6 against a third: once in 729 times
        (7, 10, 0.7, False),  # not ahead of a rule that names 70% right
        (5, 6, 0.6, True),  # a rule that names 60% right gets 5 or more of 6 about once in 4 times
    ],
)
def test_too_few_to_tell_is_ahead_of_the_rule_on_a_split_where_no_score_beats_luck(n_right, n_test, majority, too_few):
    assert b.too_few_to_tell(n_right, n_test, majority) is too_few
    if too_few:  # it is one of the reasons a network is said to have learned little, never the other way round
        assert b.learned_little(n_right, n_test, majority)
    assert math.isclose(b.chance_of_at_least(4, 4, 0.5), 1 / 16)


def test_learned_little_names_bad_counts():
    with pytest.raises(ValueError, match="n_right must be an integer from 0 to 10"):
        b.learned_little(11, 10, 0.5)
