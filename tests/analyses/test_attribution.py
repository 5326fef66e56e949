"""Integrated gradients against the model's own scores and a brute-force reference."""

import re

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose

import core
from core.analyses import attribution
from core.analyses.attribution import Attribution, evidence_sentence, integrated_gradients
from core.compute.model import pad_sequences

# 4, 7 and 10 have sharp switches on the path from the zero input that plain 64-point quadrature misses.
SEQUENCES = [0, 4, 7, 10, 100, 250, 369]


def logits(model, x):
    """Reference logits (9,) of one raw sequence through the model's own forward."""
    with torch.no_grad():
        return model(*pad_sequences([x]))[0].double().numpy()


def brute_force_ig(model, x, baseline, target, points=4001):
    """Trapezoid rule on a fine uniform grid, in chunks; values (12, T)."""
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
        assert attr.completeness_error < 0.01


@pytest.mark.parametrize("baseline", ["zero", "mean"])
def test_scores_baseline_and_default_target(model, dataset, baseline):
    x = dataset.test.sequences[3]
    attr = integrated_gradients(model, x, baseline=baseline)
    mean = model.feature_mean.numpy()[:, None]  # (F, 1)
    expected_baseline = np.zeros_like(x) if baseline == "zero" else np.tile(mean, x.shape[1])
    assert_allclose(attr.baseline, expected_baseline, rtol=1e-6)
    assert attr.target == int(logits(model, x).argmax()) + 1
    assert_allclose(attr.score_input, logits(model, x)[attr.target - 1], rtol=1e-5)
    assert_allclose(attr.score_baseline, logits(model, expected_baseline)[attr.target - 1], rtol=1e-5, atol=1e-6)
    assert attr.values.shape == x.shape


def test_values_match_a_brute_force_integral(model, dataset):
    x = dataset.test.sequences[7]
    attr = integrated_gradients(model, x, target=2, baseline="zero")
    reference = brute_force_ig(model, x, np.zeros_like(x), target=2)
    assert attr.target == 2
    assert_allclose(attr.values, reference, atol=0.01 * np.abs(reference).max())


def test_model_is_left_unchanged(model, dataset):
    before = core.model_fingerprint(model)
    with torch.no_grad():  # as a caller might be
        integrated_gradients(model, dataset.test.sequences[0], baseline="mean")
    assert core.model_fingerprint(model) == before
    assert not model.training
    assert all(not p.requires_grad and p.grad is None for p in model.parameters())


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(baseline="noise"), ValueError, "baseline must be one of"),
        (dict(target=0), ValueError, "target must be a class from 1 to 9"),
        (dict(target=10), ValueError, "target must be a class from 1 to 9"),
        (dict(steps=60), ValueError, "steps must be a multiple of 8"),
        (dict(steps=0), ValueError, "steps must be a multiple of 8"),
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


def constructed(values):
    values = np.asarray(values, dtype=float)
    return Attribution(
        values=values, target=3, score_input=float(values.sum()), score_baseline=0.0, baseline=np.zeros_like(values)
    )


def example_values():
    """Feature 2 is strong at steps 4-6 (peak at 5), feature 7 negative at step 12."""
    values = np.zeros((12, 14))
    values[1, 2:7] = [0.1, 0.6, 1.0, 0.7, 0.2]  # steps 3-7: only 4-6 are at least half the peak
    values[6, 11] = -0.4
    values[0, 0] = -0.05  # too weak to be named
    return values


def test_evidence_sentence_wording():
    assert evidence_sentence(constructed(example_values())) == (
        "The strongest evidence for speaker 3 is feature 2 around steps 4-6; feature 7 at step 12 pointed away from it."
    )
    only_for = np.clip(example_values(), 0, None)
    only_for[1, [3, 5]] = 0.0
    assert evidence_sentence(constructed(only_for)) == (
        "The strongest evidence for speaker 3 is feature 2 at step 5; nothing pointed clearly away from it."
    )
    assert evidence_sentence(constructed(-np.abs(example_values()))) == (
        "Nothing in this sequence pointed towards speaker 3; feature 2 at step 5 pointed most strongly away from it."
    )
    assert evidence_sentence(constructed(np.zeros((12, 3)))) == "No feature at any step moved the score for speaker 3."


def test_evidence_on_a_real_attribution_names_its_strongest_cell(model, dataset):
    attr = integrated_gradients(model, dataset.test.sequences[0])
    feature, step = np.unravel_index(np.argmax(attr.values), attr.values.shape)  # 0-based, of the largest value
    sentence = evidence_sentence(attr)
    found = re.fullmatch(
        rf"The strongest evidence for speaker {attr.target} is feature (\d+) "
        r"(?:at step (\d+)|around steps (\d+)-(\d+)); .*\.",
        sentence,
    )
    assert found and int(found[1]) == feature + 1, sentence
    first, last = (int(found[2]), int(found[2])) if found[2] else (int(found[3]), int(found[4]))
    assert first <= step + 1 <= last, sentence
    assert evidence_sentence(attr).startswith(f"The strongest evidence for speaker {attr.target} is feature ")


def test_evidence_on_basicmotions_names_its_activity_and_channel(bm_model, bm_dataset):
    info = bm_dataset.info
    attr = integrated_gradients(bm_model, bm_dataset.test.sequences[0])
    assert attr.values.shape == bm_dataset.test.sequences[0].shape  # (6, T)
    channel, step = np.unravel_index(np.argmax(attr.values), attr.values.shape)
    sentence = evidence_sentence(
        attr, class_word=info.class_word, class_names=info.class_names, channel_names=info.channel_names
    )
    assert sentence.startswith(
        f"The strongest evidence for {info.class_names[attr.target - 1]} is {info.channel_names[channel]} "
    ), sentence
    assert "speaker" not in sentence and "feature" not in sentence


def test_evidence_sentence_with_names():
    attr = constructed(example_values())
    names = [f"channel {chr(ord('a') + i)}" for i in range(12)]
    assert evidence_sentence(attr, class_names=["x", "y", "walking"], channel_names=names) == (
        "The strongest evidence for walking is channel b around steps 4-6; channel g at step 12 pointed away from it."
    )
    assert evidence_sentence(attr, class_word="class").startswith("The strongest evidence for class 3 is feature 2 ")
    with pytest.raises(ValueError, match="class 3 has no name: class_names has 2"):
        evidence_sentence(attr, class_names=["x", "y"])
    with pytest.raises(ValueError, match="channel_names must name the 12 channels, got 6"):
        evidence_sentence(attr, channel_names=names[:6])


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: the model and a real sequence."""
    return dict(m=model, x=dataset.test.sequences[0])


NAN = np.full((12, 5), np.nan)  # a (12, T) sequence of NaN


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
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
