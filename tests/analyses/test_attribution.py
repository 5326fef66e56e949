"""Integrated gradients against the model's own scores and a brute-force reference; starting points against
hand-computed averages; the rule for a starting point that already gets the answer."""

import numpy as np
import pytest
import torch
from attribution_helpers import constructed
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose

import core
from core.analyses import attribution
from core.analyses.attribution import (
    class_average,
    integrated_gradients,
    little_to_explain,
    network_scores,
    starting_point,
)
from core.compute.data import Split
from core.compute.model import pad_sequences

# 4, 7 and 10 have sharp switches on the path from the zero input that plain 64-point quadrature misses.
SEQUENCES = [0, 4, 7, 10, 100, 250, 369]


def logits(model, x):
    """Reference logits (C,) of one raw sequence through the model's own forward."""
    with torch.no_grad():
        return model(*pad_sequences([x]))[0].double().numpy()


def brute_force_ig(model, x, baseline, target, points=4001):
    """Trapezoid rule on a fine uniform grid, in chunks; values (F, T)."""
    alphas = np.linspace(0.0, 1.0, points)
    grads = []
    for chunk in np.array_split(alphas, 8):
        path = torch.tensor(
            baseline.T[None] + chunk[:, None, None] * (x - baseline).T[None], dtype=torch.float32, requires_grad=True
        )
        out = model(path, torch.full((len(chunk),), x.shape[1]))[:, target - 1].sum()
        grads.append(torch.autograd.grad(out, path)[0].double().numpy())
    mean_grad = np.trapezoid(np.concatenate(grads), alphas, axis=0)  # (T, F)
    return (x - baseline) * mean_grad.T


@pytest.mark.parametrize("baseline", ["zero", "mean"])
def test_completeness_on_real_test_sequences(model, dataset, baseline):
    for i in SEQUENCES:
        attr = integrated_gradients(model, dataset.test.sequences[i], baseline=baseline)
        assert_allclose(attr.values.sum(), attr.score_input - attr.score_baseline, rtol=0.01, err_msg=f"sequence {i}")
        assert attr.completeness_error < 0.01 and not attr.approximate


@pytest.mark.parametrize("baseline", ["zero", "mean"])
def test_scores_baseline_and_default_target(model, dataset, baseline):
    x = dataset.test.sequences[3]
    attr = integrated_gradients(model, x, baseline=baseline)
    mean = model.feature_mean.numpy()[:, None]  # (F, 1)
    expected_baseline = np.zeros_like(x) if baseline == "zero" else np.tile(mean, x.shape[1])
    assert_allclose(attr.baseline, expected_baseline, rtol=1e-6)
    assert_allclose(attr.inputs, x)
    assert attr.target == int(logits(model, x).argmax()) + 1
    assert_allclose(attr.logits_input, logits(model, x), rtol=1e-5, atol=1e-6)
    assert_allclose(attr.logits_baseline, logits(model, expected_baseline), rtol=1e-5, atol=1e-6)
    assert attr.score_input == attr.logits_input[attr.target - 1]
    assert attr.change == attr.score_input - attr.score_baseline
    expected_probs = np.exp(attr.logits_baseline) / np.exp(attr.logits_baseline).sum()
    assert_allclose(attr.probs_baseline, expected_probs, rtol=1e-12)
    assert attr.values.shape == x.shape


def test_a_given_baseline_array_is_the_same_as_its_name(model, dataset):
    x = dataset.test.sequences[5]
    named = integrated_gradients(model, x, target=2, baseline="mean")
    given = integrated_gradients(model, x, target=2, baseline=starting_point(model, x, "mean").values)
    assert_allclose(given.values, named.values)


def test_network_scores_equal_the_models_forward(model, dataset):
    x = dataset.test.sequences[0]  # (12, T)
    batch = torch.tensor(np.stack([x.T, 0.5 * x.T, np.zeros_like(x.T)]), dtype=torch.float32)  # (3, T, 12)
    with torch.no_grad():
        expected = model(batch, torch.full((3,), x.shape[1])).numpy()
        assert_allclose(network_scores(model, batch).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_values_match_a_brute_force_integral(model, dataset):
    x = dataset.test.sequences[7]
    attr = integrated_gradients(model, x, target=2, baseline="zero")
    reference = brute_force_ig(model, x, np.zeros_like(x), target=2)
    assert attr.target == 2
    assert_allclose(attr.values, reference, atol=0.01 * np.abs(reference).max())


def test_a_switch_on_the_path_is_integrated_in_64_bits(bm_model, bm_dataset):
    """BasicMotions test recording 7 from the average recording: the score jumps by 5.6 of its 5.8 change within
    1e-9 of the path. 32-bit points alone miss the jump; zoomed in 64 bits, the shares add up."""
    x = bm_dataset.test.sequences[6]
    alone = integrated_gradients(bm_model, x, target=1, baseline="mean", switches=0)
    assert alone.completeness_error > 0.5 and alone.approximate
    assert (alone.switches, alone.switches_left) == (0, 1)
    attr = integrated_gradients(bm_model, x, target=1, baseline="mean")
    assert (attr.switches, attr.switches_left) == (1, 0)
    assert_allclose(attr.values.sum(), attr.change, rtol=0.01)
    assert not attr.approximate


def test_a_switch_over_the_work_budget_is_left_and_counted(bm_model, bm_dataset, monkeypatch):
    monkeypatch.setattr(attribution, "_SWITCH_WORK", 0.0)
    attr = integrated_gradients(bm_model, bm_dataset.test.sequences[6], target=1, baseline="mean")
    assert (attr.switches, attr.switches_left) == (0, 1)
    assert attr.approximate


def test_a_network_that_reads_blocks_of_steps_is_explained_over_its_own_steps(model, dataset):
    """With ``step_block`` 2 the network reads averages of pairs of steps: the map has ceil(T / 2) columns."""
    blocked = core.LSTMClassifier(core.ModelConfig(step_block=2))
    blocked.load_state_dict(model.state_dict())
    blocked.eval().requires_grad_(False)
    x = dataset.test.sequences[0]  # (12, 19)
    start = starting_point(blocked, x, "others", target=1, train=dataset.train)
    attr = integrated_gradients(blocked, x, target=1, baseline=start.values)
    assert attr.values.shape == (12, 10)
    assert_allclose(attr.inputs, core.compute.shortening.shorten(x, 2))
    assert_allclose(attr.baseline, core.compute.shortening.shorten(start.values, 2))
    assert_allclose(attr.values.sum(), attr.change, rtol=0.01)


def test_model_is_left_unchanged(model, dataset):
    before = core.model_fingerprint(model)
    with torch.no_grad():  # as a caller might be
        integrated_gradients(model, dataset.test.sequences[0], baseline="mean")
    assert core.model_fingerprint(model) == before
    assert not model.training
    assert all(not p.requires_grad and p.grad is None for p in model.parameters())


def test_class_average_step_by_step_when_every_length_matches():
    sequences = [
        np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 6.0]]),  # class 1
        np.array([[3.0, 4.0, 5.0], [2.0, 2.0, 0.0]]),  # class 2
        np.array([[100.0, 100.0, 100.0], [100.0, 100.0, 100.0]]),  # class 3: left out
        np.array([[5.0, 0.0, 1.0], [1.0, 4.0, 3.0]]),  # class 1
    ]
    values, aligned, recordings = class_average(sequences, [1, 2, 3, 1], classes=(1, 2), length=3)
    # by hand: the mean of recordings 1, 2 and 4, step by step
    assert_allclose(values, [[3.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    assert aligned and recordings == 3


def test_class_average_per_channel_when_lengths_differ():
    sequences = [
        np.array([[1.0, 3.0], [2.0, 2.0]]),  # class 1, 2 steps
        np.array([[2.0, 2.0, 8.0], [0.0, 0.0, 4.0]]),  # class 2, 3 steps
        np.array([[50.0], [50.0]]),  # class 3: left out
    ]
    values, aligned, recordings = class_average(sequences, [1, 2, 3], classes=(1, 2), length=4)
    # by hand: channel 1 over all 5 recorded steps (1 + 3 + 2 + 2 + 8) / 5 = 3.2, channel 2 (2 + 2 + 0 + 0 + 4) / 5
    assert_allclose(values, [[3.2] * 4, [1.6] * 4])
    assert not aligned and recordings == 2
    same_length, aligned, _ = class_average(sequences, [1, 2, 3], classes=(1, 2), length=2)
    assert not aligned and same_length.shape == (2, 2), "one recording of 3 steps: no step-by-step average"


def test_the_others_starting_point_of_basicmotions_is_its_step_by_step_training_average(bm_model, bm_dataset):
    x = bm_dataset.test.sequences[6]  # (6, 100); every training recording has 100 steps
    start = starting_point(bm_model, x, "others", target=1, train=bm_dataset.train)
    chosen = [s for s, label in zip(bm_dataset.train.sequences, bm_dataset.train.labels, strict=True) if label != 1]
    assert start.kind == "others" and start.time_aligned and start.recordings == len(chosen) == 30
    assert start.all_others and start.classes == (2, 3, 4)
    assert_allclose(start.values, sum(chosen) / len(chosen))


def test_starting_point_kinds(model, dataset):
    x = dataset.test.sequences[0]  # (12, 19); training recordings differ in length
    zero = starting_point(model, x, "zero")
    assert_allclose(zero.values, np.zeros_like(x))
    assert not zero.time_aligned and zero.recordings == 0
    mean = starting_point(model, x, "mean")
    assert_allclose(mean.values, np.tile(model.feature_mean.numpy()[:, None], (1, 19)), rtol=1e-6)
    others = starting_point(model, x, "others", target=4, train=dataset.train)
    assert not others.time_aligned and others.all_others and others.classes == (1, 2, 3, 5, 6, 7, 8, 9)
    assert others.recordings == int((dataset.train.labels != 4).sum())
    assert others.values.shape == x.shape and np.ptp(others.values, axis=1).max() == 0  # the same at every step


def test_the_others_starting_point_is_never_taken_for_the_explained_class(model, dataset):
    """The average of the other speakers is taken for the explained one on 52 of the 370 test recordings; then
    the starting point is the average of the one other speaker that gives it the lowest probability."""
    train = dataset.train
    fallbacks = 0
    for i in range(0, 370, 3):
        x = dataset.test.sequences[i]
        target = int(logits(model, x).argmax()) + 1
        start = starting_point(model, x, "others", target=target, train=train)
        assert int(logits(model, start.values).argmax()) + 1 != target, f"recording {i + 1}"
        others = tuple(c for c in range(1, 10) if c != target)
        if start.all_others:
            assert start.classes == others
            continue
        fallbacks += 1
        assert (
            int(logits(model, class_average(train.sequences, train.labels, others, x.shape[1])[0]).argmax()) + 1
            == target
        )
        (alone,) = start.classes
        probs = {
            c: softmax(logits(model, class_average(train.sequences, train.labels, (c,), x.shape[1])[0])) for c in others
        }
        assert min(others, key=lambda c: probs[c][target - 1]) == alone
        assert start.recordings == int((train.labels == alone).sum())
    assert fallbacks > 0


def softmax(z):
    return np.exp(z - z.max()) / np.exp(z - z.max()).sum()


@pytest.mark.parametrize(
    "score_input, score_baseline, little",
    [(4.83, 4.82, True), (5.0, 4.01, True), (5.0, 3.99, False), (3.0, 5.5, False), (2.0, 2.9, True)],
)
def test_little_to_explain_when_the_score_changes_by_less_than_one(score_input, score_baseline, little):
    attr = constructed(
        np.full((2, 3), (score_input - score_baseline) / 6), score_input=score_input, score_baseline=score_baseline
    )
    assert little_to_explain(attr) is little


def test_a_starting_point_that_already_gets_the_answer_leaves_little_to_explain(bm_model, bm_dataset):
    """BasicMotions test recording 7: all zeros already gets "standing" (score 4.82 against 4.83)."""
    x = bm_dataset.test.sequences[6]
    zero = integrated_gradients(bm_model, x, target=1, baseline="zero")
    assert zero.probs_baseline.argmax() == 0 and abs(zero.change) < 0.05
    assert little_to_explain(zero)
    others = starting_point(bm_model, x, "others", target=1, train=bm_dataset.train)
    assert not little_to_explain(integrated_gradients(bm_model, x, target=1, baseline=others.values))


@pytest.mark.parametrize(
    "total, change, approximate",
    [
        (8.0, 8.0, False),
        (7.93, 8.0, False),
        (7.9, 8.0, True),
        (0.5, 0.5, False),
        (0.505, 0.5, False),
        (0.52, 0.5, True),
    ],
)
def test_approximate_when_the_shares_miss_more_than_one_percent(total, change, approximate):
    """One percent of the change, or of 1 when the change is smaller."""
    attr = constructed(np.full((1, 4), total / 4), score_input=change)
    assert attr.approximate is approximate
    assert_allclose(attr.gap, abs(total - change), atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(baseline="noise"), ValueError, "baseline must be 'zero', 'mean' or an array"),
        (dict(baseline=np.zeros((12, 3))), ValueError, r"baseline must have the recording's shape \(12, 19\)"),
        (dict(target=0), ValueError, "target must be a class from 1 to 9"),
        (dict(target=10), ValueError, "target must be a class from 1 to 9"),
        (dict(steps=60), ValueError, "steps must be a multiple of 8"),
        (dict(steps=0), ValueError, "steps must be a multiple of 8"),
        (dict(switches=3), ValueError, "switches must be from 0 to 2"),
    ],
)
def test_argument_errors(model, dataset, kwargs, error, match):
    with pytest.raises(error, match=match):
        integrated_gradients(model, dataset.test.sequences[0], **kwargs)


def test_input_is_validated(model):
    with pytest.raises(ValueError, match=r"x must have shape \(12, T\)"):
        integrated_gradients(model, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="x contains NaN"):
        integrated_gradients(model, np.full((12, 5), np.nan))
    with pytest.raises(TypeError, match="model must be an LSTMClassifier"):
        integrated_gradients("model", np.zeros((12, 5)))


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: the model, a real sequence and the training split."""
    return dict(m=model, x=dataset.test.sequences[0], train=dataset.train)


NAN = np.full((12, 5), np.nan)  # a (12, T) sequence of NaN
TWO = [np.zeros((1, 2)), np.ones((1, 2))]  # two one-channel recordings


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    (
        "attribution.integrated_gradients/x None",
        lambda a: attribution.integrated_gradients(a["m"], None),
        TypeError,
        "x must be a numeric array",
    ),
    (
        "attribution.integrated_gradients/x shape",
        lambda a: attribution.integrated_gradients(a["m"], np.zeros((11, 3))),
        ValueError,
        r"x must have shape \(12, T\)",
    ),
    (
        "attribution.integrated_gradients/x NaN",
        lambda a: attribution.integrated_gradients(a["m"], NAN),
        ValueError,
        "x contains NaN",
    ),
    (
        "attribution.integrated_gradients/x empty",
        lambda a: attribution.integrated_gradients(a["m"], np.zeros((12, 0))),
        ValueError,
        "empty sequence",
    ),
    (
        "attribution.integrated_gradients/target text",
        lambda a: attribution.integrated_gradients(a["m"], a["x"], target="1"),
        ValueError,
        "target must be",
    ),
    (
        "attribution.integrated_gradients/baseline",
        lambda a: attribution.integrated_gradients(a["m"], a["x"], baseline=None),
        ValueError,
        "baseline must be",
    ),
    (
        "attribution.integrated_gradients/baseline NaN",
        lambda a: attribution.integrated_gradients(a["m"], np.ones((12, 5)), baseline=NAN),
        ValueError,
        "baseline contains NaN",
    ),
    (
        "attribution.integrated_gradients/steps huge",
        lambda a: attribution.integrated_gradients(a["m"], a["x"], steps=10**9),
        ValueError,
        "steps must be",
    ),
    (
        "attribution.integrated_gradients/model",
        lambda a: attribution.integrated_gradients(None, a["x"]),
        TypeError,
        "model must be",
    ),
    (
        "attribution.starting_point/kind",
        lambda a: attribution.starting_point(a["m"], a["x"], "blank"),
        ValueError,
        "kind must be one of",
    ),
    (
        "attribution.starting_point/others without target",
        lambda a: attribution.starting_point(a["m"], a["x"], "others", train=a["train"]),
        ValueError,
        "target must be a class from 1 to 9, got None",
    ),
    (
        "attribution.starting_point/others without train",
        lambda a: attribution.starting_point(a["m"], a["x"], "others", target=1),
        TypeError,
        "train must be a Split",
    ),
    (
        "attribution.class_average/labels",
        lambda a: attribution.class_average(TWO, [1], (1,), 2),
        ValueError,
        "labels must name the 2 sequences, got 1",
    ),
    (
        "attribution.class_average/length",
        lambda a: attribution.class_average(TWO, [1, 2], (1,), 0),
        ValueError,
        "length must be a whole number of steps",
    ),
    (
        "attribution.class_average/no recording",
        lambda a: attribution.class_average(TWO, [1, 1], (2, 3), 2),
        ValueError,
        r"no training recording of the classes \[2, 3\]",
    ),
    (
        "attribution.starting_point/no other class",
        lambda a: attribution.starting_point(a["m"], a["x"], "others", target=1, train=Split([a["x"]], np.array([1]))),
        ValueError,
        "no training recording of a class other than 1",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
