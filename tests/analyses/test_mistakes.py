"""Misclassified sequences, checked on a constructed example and against the confusion matrix."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import core
from core.analyses.mistakes import least_sure, misclassified

LABELS = np.array([1, 1, 2, 2, 3, 3, 3, 9])
PREDICTED = np.array([1, 2, 2, 1, 2, 3, 2, 1])  # wrong at 1, 3, 4, 6, 7


def test_all_errors_and_one_cell():
    assert_array_equal(misclassified(PREDICTED, LABELS), [1, 3, 4, 6, 7])
    assert_array_equal(misclassified(PREDICTED, LABELS, true_class=3, predicted_class=2), [4, 6])
    assert_array_equal(misclassified(PREDICTED, LABELS, true_class=3), [4, 6])
    assert_array_equal(misclassified(PREDICTED, LABELS, predicted_class=1), [3, 7])
    assert_array_equal(misclassified(PREDICTED, LABELS, true_class=2, predicted_class=2), [])
    assert_array_equal(misclassified(PREDICTED, LABELS, true_class=5, predicted_class=4), [])


def test_cell_counts_equal_the_confusion_matrix(model, dataset):
    labels = dataset.test.labels
    predicted = core.split_traces(model, "test", dataset=dataset).final_predictions
    counts = core.confusion_matrix(predicted, labels, 9)
    for true_class, predicted_class in zip(*np.nonzero(counts), strict=True):
        expected = 0 if true_class == predicted_class else counts[true_class, predicted_class]
        assert misclassified(predicted, labels, int(true_class) + 1, int(predicted_class) + 1).size == expected
    assert misclassified(predicted, labels).size == counts.sum() - np.trace(counts)


def test_errors():
    with pytest.raises(ValueError, match="same shape"):
        misclassified(PREDICTED, LABELS[:-1])
    with pytest.raises(ValueError, match="true_class must be a class between 1 and 9"):
        misclassified(PREDICTED, LABELS, true_class=0)
    with pytest.raises(ValueError, match="predicted_class must be a class between 1 and 9"):
        misclassified(PREDICTED, LABELS, predicted_class=10)


def test_basicmotions_errors_per_cell_match_a_loop(bm_model, bm_dataset):
    labels = bm_dataset.test.labels
    predicted = core.run_batch(bm_model, bm_dataset.test.sequences).final_predictions
    n = bm_model.config.n_classes
    for true_class in range(1, n + 1):
        for predicted_class in range(1, n + 1):
            expected = [
                i
                for i, (p, t) in enumerate(zip(predicted, labels, strict=True))
                if p != t and (t, p) == (true_class, predicted_class)
            ]
            assert_array_equal(misclassified(predicted, labels, true_class, predicted_class, n_classes=n), expected)
    with pytest.raises(ValueError, match="true_class must be a class between 1 and 4"):
        misclassified(predicted, labels, true_class=5, n_classes=n)


def test_least_sure_lists_the_closest_calls_first():
    probs = np.array([[0.9, 0.1], [0.55, 0.45], [0.2, 0.8], [0.45, 0.55], [0.99, 0.01]])
    assert_array_equal(least_sure(probs, 3), [1, 3, 2])  # 0.55 twice: the lower index first
    assert_array_equal(least_sure(probs, 10), [1, 3, 2, 0, 4])


@pytest.mark.parametrize(
    "probs, k, match",
    [(np.ones(3), 1, r"probs must have shape \(N, C\)"), (np.ones((2, 2)), 0, "k must be a positive integer")],
)
def test_least_sure_refuses_bad_calls(probs, k, match):
    with pytest.raises(ValueError, match=match):
        least_sure(probs, k)
