"""Two networks side by side: scores and disagreements against a loop over single recordings, and the bad calls."""

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_array_equal

import core
from core.analyses import side_by_side


@pytest.fixture(scope="module")
def two(model, dataset):
    """The shipped network and a copy with its output bias nudged towards speaker 1."""
    other = core.LSTMClassifier(model.config)
    other.load_state_dict(model.state_dict())
    with torch.no_grad():
        other.fc.bias[0] += 3.0
    return model, other.eval(), dataset.test


def loop_score(predicted, labels, n_classes):
    """Accuracy, number wrong and confusion (rows true class, columns predicted), counted one recording at a time."""
    confusion = np.zeros((n_classes, n_classes), int)
    for true, guess in zip(labels, predicted, strict=True):
        confusion[true - 1, guess - 1] += 1
    wrong = sum(true != guess for true, guess in zip(labels, predicted, strict=True))
    return (len(labels) - wrong) / len(labels), wrong, confusion


def test_scores_and_disagreements_against_a_loop(two):
    model_a, model_b, split = two
    result = side_by_side.compare_models(model_a, model_b, split)
    pred_a = [int(core.run_sequence(model_a, x).probs[-1].argmax()) + 1 for x in split.sequences]
    pred_b = [int(core.run_sequence(model_b, x).probs[-1].argmax()) + 1 for x in split.sequences]
    for score, predicted in ((result.a, pred_a), (result.b, pred_b)):
        accuracy, wrong, confusion = loop_score(predicted, split.labels, 9)
        assert score.predicted.tolist() == predicted
        assert score.accuracy == pytest.approx(accuracy) and score.n_wrong == wrong
        assert_array_equal(score.confusion, confusion)
    assert result.a.n_wrong != result.b.n_wrong, "the nudged network's scores differ, so a mix-up of a and b shows"
    disagree = [i for i in range(len(split)) if pred_a[i] != pred_b[i]]
    assert disagree and result.disagree.tolist() == disagree
    assert all(pred_b[i] == 1 for i in disagree), "the nudged network only moves answers to speaker 1"
    right_a = [i for i in disagree if pred_a[i] == split.labels[i]]
    right_b = [i for i in disagree if pred_b[i] == split.labels[i]]
    assert result.only_a_right.tolist() == right_a and result.only_b_right.tolist() == right_b
    assert result.a.n_wrong - result.b.n_wrong == len(right_b) - len(right_a)


def answering(answers, n_classes=3, steps=2):
    """Hand-built traces of len(answers) recordings of ``steps`` steps whose final answers are ``answers``."""
    probs = np.zeros((len(answers), steps, n_classes))  # (N, T, C)
    probs[np.arange(len(answers)), -1, np.array(answers) - 1] = 1.0
    n = len(answers)
    return core.BatchTrace(
        hidden=np.zeros((n, steps, 2)),
        cell=np.zeros((n, steps, 2)),
        gates=np.zeros((n, steps, 4, 2)),
        probs=probs,
        lengths=np.full(n, steps),
    )


def test_who_is_right_where_the_answers_differ_on_hand_built_answers():
    """Six recordings: both right (0), only a right (1, 4), only b right (2), both wrong the same way (3), both
    wrong in different ways (5)."""
    labels = [1, 2, 3, 1, 2, 3]
    result = side_by_side.compare_networks(answering([1, 2, 1, 2, 2, 1]), answering([1, 3, 3, 2, 1, 2]), labels)
    assert result.disagree.tolist() == [1, 2, 4, 5]
    assert result.only_a_right.tolist() == [1, 4]
    assert result.only_b_right.tolist() == [2]
    assert (result.a.n_wrong, result.b.n_wrong) == (3, 4)


def test_a_network_against_itself_never_disagrees(model, dataset):
    batch = core.split_traces(model, "test")
    result = side_by_side.compare_networks(batch, batch, dataset.test.labels)
    assert result.disagree.size == 0 and result.a.accuracy == result.b.accuracy
    assert_array_equal(result.labels, dataset.test.labels)


@pytest.fixture(scope="module")
def api(model, dataset, bm_model, bm_dataset):
    return {
        "m": model,
        "B": core.split_traces(model, "test"),
        "B3": core.run_batch(model, dataset.test.sequences[:3]),
        "BM": core.run_batch(bm_model, bm_dataset.test.sequences[:3]),
        "A3": answering([1, 2, 3], n_classes=3),
        "A4": answering([1, 2, 3], n_classes=4),
        "L": dataset.test.labels,
        "split": dataset.test,
    }


BAD_CALLS = [
    ("compare_networks/None", lambda a: side_by_side.compare_networks(None, a["B"], a["L"]), TypeError, "batch_a"),
    (
        "compare_networks/sizes",
        lambda a: side_by_side.compare_networks(a["B"], a["B3"], a["L"]),
        ValueError,
        "must trace the same recordings: got 370 and 3",
    ),
    (
        "compare_networks/lengths",
        lambda a: side_by_side.compare_networks(a["B3"], a["BM"], a["L"][:3]),
        ValueError,
        "of different lengths",
    ),
    (
        "compare_networks/labels",
        lambda a: side_by_side.compare_networks(a["B"], a["B"], a["L"][:5]),
        ValueError,
        "same",
    ),
    (
        "compare_networks/classes",
        lambda a: side_by_side.compare_networks(a["A3"], a["A4"], [1, 2, 3]),
        ValueError,
        "the two networks must have the same classes: 3 and 4",
    ),
    ("compare_models/split", lambda a: side_by_side.compare_models(a["m"], a["m"], "test"), TypeError, "split must be"),
    ("compare_models/model", lambda a: side_by_side.compare_models(a["m"], None, a["split"]), TypeError, "model_b"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
