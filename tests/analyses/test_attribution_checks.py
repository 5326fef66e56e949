"""The checks of an attribution map: the deletion check on a network built by hand whose answer depends on one
known cell, the verdict rules, the shuffled network and Spearman's rank correlation against hand computation."""

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose

import core
from core.analyses import attribution_checks as checks
from core.analyses.attribution import integrated_gradients, starting_point
from core.analyses.attribution_checks import (
    DeletionCheck,
    RandomisationCheck,
    deletion_check,
    explain,
    randomisation_check,
    shuffled_copy,
    spearman,
)

STEPS = 50  # the hand-made network's recordings: 2 channels x 50 steps, 100 cells


def last_cell_network() -> core.LSTMClassifier:
    """An LSTM of one unit whose answer depends on one cell only: channel 1 at the last step.

    The input, output and forget gates are pinned by their biases (open, open, shut: the memory is wiped at
    every step), the cell candidate is tanh(channel 1), the unit does not feed itself back, so the last hidden
    state is tanh(tanh(x[0, T - 1])) and the scores are +5 and -5 times it.
    """
    model = core.LSTMClassifier(core.ModelConfig(n_features=2, hidden_size=1, n_classes=2))
    with torch.no_grad():
        lstm = model.lstm
        for tensor in (lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0):
            tensor.zero_()
        lstm.bias_ih_l0.copy_(torch.tensor([30.0, -30.0, 0.0, 30.0]))  # gates: input, forget, cell, output
        lstm.weight_ih_l0[2, 0] = 1.0  # the cell candidate reads channel 1
        model.fc.weight.copy_(torch.tensor([[5.0], [-5.0]]))
        model.fc.bias.zero_()
    return model.eval().requires_grad_(False)


def recording(seed: int = 0) -> np.ndarray:
    """Random values, channel 1 at the last step 2.0: the network says class 1 (99.9 %)."""
    x = np.random.default_rng(seed).normal(size=(2, STEPS))
    x[0, -1] = 2.0
    return x


def probability_of_class_1(model, x) -> float:
    with torch.no_grad():
        scores = model(*core.compute.model.pad_sequences([x]))[0]
    return float(torch.softmax(scores.double(), 0)[0])


def test_the_hand_made_network_depends_on_its_last_cell_only():
    model, x = last_cell_network(), recording()
    other = recording(seed=1)  # every other cell different
    assert_allclose(probability_of_class_1(model, other), probability_of_class_1(model, x), atol=1e-7)
    cut = x.copy()
    cut[0, -1] = 0.0
    assert_allclose(probability_of_class_1(model, cut), 0.5, atol=1e-7)
    expected = 1 / (1 + np.exp(-10 * np.tanh(np.tanh(2.0))))  # by hand: softmax of +-5 tanh(tanh(2))
    assert_allclose(probability_of_class_1(model, x), expected, rtol=1e-5)


def test_the_deletion_check_finds_the_one_cell_that_matters():
    model, x = last_cell_network(), recording()
    attr = integrated_gradients(model, x, target=1, baseline="zero")
    assert_allclose(attr.values[0, -1], attr.change, rtol=1e-3)  # the map gives it all the credit
    check = deletion_check(model, attr, draws=10, seed=0)
    assert check.cells == min(10, int((attr.values > 0).sum()))  # 10 % of 100 cells, those that pushed towards 1
    assert tuple(check.top[0]) == (0, STEPS - 1)
    before = probability_of_class_1(model, x)
    cut = x.copy()
    cut[0, -1] = 0.0  # the starting point's value
    assert_allclose(check.prob_before, before, atol=1e-6)
    assert_allclose(check.prob_top, probability_of_class_1(model, cut), atol=1e-6)
    assert check.drop_top > 0.49
    # a random draw either holds the one cell (the full fall) or not (no fall at all)
    hit = np.isclose(check.probs_random, check.prob_top, atol=1e-6)
    missed = np.isclose(check.probs_random, check.prob_before, atol=1e-6)
    assert np.all(hit | missed) and len(check.probs_random) == 10
    assert_allclose(check.drop_random, hit.mean() * check.drop_top, atol=1e-6)
    assert check.drop_random < 0.5 * check.drop_top
    assert check.verdict == "points"


def test_the_deletion_check_of_a_map_that_points_elsewhere_is_no_better_than_its_random_cells():
    """The same network, and a map that marks the first steps instead: taking them away changes nothing."""
    model, x = last_cell_network(), recording()
    attr = integrated_gradients(model, x, target=1, baseline="zero")
    wrong = np.zeros_like(attr.values)
    wrong[:, :5] = 1.0  # the 10 cells of the first 5 steps
    check = deletion_check(model, type(attr)(**{**attr.__dict__, "values": wrong}), seed=0)
    assert check.cells == 10 and set(map(tuple, check.top)) == {(f, t) for f in (0, 1) for t in range(5)}
    assert_allclose(check.prob_top, check.prob_before, atol=1e-6)
    assert check.drop_top <= check.drop_random + 1e-9
    assert check.verdict in ("chance", "cannot tell")


def test_no_positive_share_means_nothing_to_take_away():
    model, x = last_cell_network(), recording()
    attr = integrated_gradients(model, x, target=2, baseline="zero")  # everything spoke against class 2
    assert attr.values.max() <= 1e-6
    attr = type(attr)(**{**attr.__dict__, "values": np.minimum(attr.values, 0.0)})
    check = deletion_check(model, attr)
    assert check.cells == 0 and check.verdict == "nothing" and check.top.shape == (0, 2)


def deletion(before, top, random):
    return DeletionCheck(cells=5, top=np.zeros((5, 2), int), prob_before=before, prob_top=top, probs_random=random)


@pytest.mark.parametrize(
    "before, top, random, verdict",
    [
        (0.99, 0.10, [0.98, 0.96], "points"),  # 89 points against 2: far more, more than twice
        (0.99, 0.80, [0.99, 0.97], "points"),  # 19 against 1
        (0.99, 0.60, [0.80, 0.78], "partly"),  # 39 against 20: 19 points more, but less than twice
        (0.99, 0.85, [0.98, 0.96], "points"),  # 14 against 2: 12 points more, 7 times as much
        (0.99, 0.90, [0.98, 0.98], "partly"),  # 9 against 1: 8 points more, less than 10
        (0.99, 0.80, [0.84, 0.82], "chance"),  # 19 against 16: 3 points more
        (0.99, 0.95, [0.90, 0.90], "chance"),  # 4 against 9: less than random
        (0.99, 0.97, [0.98, 0.96], "cannot tell"),  # both below 5 points
    ],
)
def test_the_deletion_verdict_follows_its_rule(before, top, random, verdict):
    assert deletion(before, top, np.array(random)).verdict == verdict


@pytest.mark.parametrize(
    "agreement, level", [(0.93, "high"), (0.5, "high"), (0.49, "some"), (0.2, "some"), (0.19, "low"), (-0.4, "low")]
)
def test_the_agreement_level_follows_its_rule(agreement, level):
    assert RandomisationCheck(np.zeros((1, 2)), agreement).level == level
    assert RandomisationCheck(np.zeros((1, 2)), float("nan")).level == "none"


def test_spearman_with_ties_against_hand_computation():
    # ranks of a: 1, 2, 3, 4; of b: 1, 4, 2.5, 2.5 (the two 2s share ranks 2 and 3). Centred on 2.5:
    # a: -1.5, -0.5, 0.5, 1.5; b: -1.5, 1.5, 0, 0. Sum of products 1.5, sums of squares 5 and 4.5.
    assert_allclose(spearman([10, 20, 30, 40], [1, 3, 2, 2]), 1.5 / np.sqrt(5 * 4.5))
    assert_allclose(spearman([3, 1, 2], [30, 10, 20]), 1.0)
    assert_allclose(spearman([3, 1, 2], [-30, -10, -20]), -1.0)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))


def test_spearman_without_ties_against_the_textbook_formula():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=40), rng.normal(size=40)
    d = np.argsort(np.argsort(a)) - np.argsort(np.argsort(b))  # rank differences
    assert_allclose(spearman(a, b), 1 - 6 * (d**2).sum() / (40 * (40**2 - 1)))
    assert_allclose(spearman(a.reshape(5, 8), b.reshape(5, 8)), spearman(a, b))


def test_the_shuffled_copy_holds_the_same_numbers_elsewhere_and_leaves_the_model_alone(model):
    before = core.model_fingerprint(model)
    shuffled = shuffled_copy(model, seed=3)
    assert core.model_fingerprint(model) == before
    for (name, mine), (_, theirs) in zip(model.named_parameters(), shuffled.named_parameters(), strict=True):
        assert_allclose(np.sort(theirs.numpy().ravel()), np.sort(mine.numpy().ravel()), err_msg=name)
        assert not np.array_equal(theirs.numpy(), mine.numpy()), name
    assert_allclose(shuffled.feature_mean.numpy(), model.feature_mean.numpy())  # the normalisation is kept
    again = shuffled_copy(model, seed=3)
    assert core.model_fingerprint(again) == core.model_fingerprint(shuffled) != before
    assert core.model_fingerprint(shuffled_copy(model, seed=4)) != core.model_fingerprint(shuffled)


def test_the_randomisation_check_compares_the_map_with_the_shuffled_networks(model, dataset):
    x = dataset.test.sequences[10]
    start = starting_point(model, x, "zero")
    attr = integrated_gradients(model, x, baseline=start.values)
    check = randomisation_check(model, x, start, attr, seed=0)
    reference = integrated_gradients(shuffled_copy(model, 0), x, attr.target, start.values, steps=64, switches=0)
    assert_allclose(check.values, reference.values)
    a, b = np.abs(attr.values).ravel(), np.abs(reference.values).ravel()
    d = np.argsort(np.argsort(a)) - np.argsort(np.argsort(b))  # no ties among these sizes
    assert_allclose(check.agreement, 1 - 6 * (d**2).sum() / (a.size * (a.size**2 - 1)))


def test_explain_bundles_the_starting_point_the_map_and_both_checks(bm_model, bm_dataset):
    before = core.model_fingerprint(bm_model)
    x = bm_dataset.test.sequences[6]
    found = explain(bm_model, x, 1, "others", bm_dataset.train)
    assert core.model_fingerprint(bm_model) == before
    start = starting_point(bm_model, x, "others", target=1, train=bm_dataset.train)
    assert_allclose(found.start.values, start.values)
    attr = integrated_gradients(bm_model, x, 1, start.values)
    assert_allclose(found.attribution.values, attr.values)
    assert_allclose(found.deletion.probs_random, deletion_check(bm_model, attr).probs_random)
    assert_allclose(found.randomisation.agreement, randomisation_check(bm_model, x, start, attr).agreement)
    assert not found.little_to_explain and found.deletion.verdict == "points"
    assert explain(bm_model, x, 1, "zero").little_to_explain


@pytest.fixture(scope="module")
def api():
    model, x = last_cell_network(), recording()
    attr = integrated_gradients(model, x, target=1, baseline="zero")
    return dict(m=model, x=x, attr=attr, start=starting_point(model, x, "zero"))


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("deletion_check/model", lambda a: checks.deletion_check(None, a["attr"]), TypeError, "model must be"),
    ("deletion_check/attr", lambda a: checks.deletion_check(a["m"], "map"), TypeError, "attr must be an Attribution"),
    (
        "deletion_check/fraction",
        lambda a: checks.deletion_check(a["m"], a["attr"], fraction=0),
        ValueError,
        "fraction must be a number above 0 and at most 1",
    ),
    (
        "deletion_check/draws",
        lambda a: checks.deletion_check(a["m"], a["attr"], draws=0),
        ValueError,
        "draws must be a whole number from 1 to 1000",
    ),
    ("shuffled_copy/model", lambda a: checks.shuffled_copy("model"), TypeError, "model must be"),
    (
        "spearman/lengths",
        lambda a: checks.spearman([1, 2, 3], [1, 2]),
        ValueError,
        "a and b must hold the same number of values, at least 2, got 3 and 2",
    ),
    (
        "randomisation_check/start",
        lambda a: checks.randomisation_check(a["m"], a["x"], "zero", a["attr"]),
        TypeError,
        "start must be a StartingPoint",
    ),
    (
        "explain/kind",
        lambda a: checks.explain(a["m"], a["x"], 1, "blank"),
        ValueError,
        "kind must be one of",
    ),
    (
        "explain/others without train",
        lambda a: checks.explain(a["m"], a["x"], 1, "others"),
        TypeError,
        "train must be a Split",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
