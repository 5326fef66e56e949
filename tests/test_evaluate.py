import numpy as np
import pytest
from numpy.testing import assert_array_equal

import core


@pytest.mark.parametrize("predictions, expected", [
    ([3, 3, 3, 3], 1),
    ([1, 2, 3, 3], 3),
    ([3, 1, 3, 3, 3], 3),
    ([2, 2, 2, 5], 4),
    ([7], 1),
])
def test_settling_step_on_constructed_trajectories(predictions, expected):
    assert core.settling_step(predictions) == expected


def test_settling_step_rejects_empty():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        core.settling_step([])


def test_confusion_matrix_and_accuracy():
    labels = np.array([1, 1, 2, 3, 3, 3])
    predicted = np.array([1, 2, 2, 3, 3, 1])
    counts = core.confusion_matrix(predicted, labels, n_classes=3)
    assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert core.accuracy(predicted, labels) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="same non-empty shape"):
        core.accuracy([1, 2], [1])
    with pytest.raises(ValueError, match="same shape"):
        core.confusion_matrix([1, 2], [1])


def test_score_split_on_the_shipped_model(model, dataset):
    batch = core.run_batch(model, dataset.test.sequences)
    score = core.score_split(batch, dataset.test.labels)
    assert score.confusion.sum() == 370 and np.trace(score.confusion) == 370 - score.n_wrong
    assert score.accuracy == pytest.approx((370 - score.n_wrong) / 370)
    assert_array_equal(score.predicted, batch.final_predictions)


def test_layer_table_counts_match_the_model(model):
    table = core.layer_table(model)
    assert [row["name"] for row in table] == ["sequenceinput", "lstm", "fc", "softmax", "classoutput"]
    assert sum(row["parameters"] for row in table) == core.parameter_count(model) == 46509
    lstm = next(row for row in table if row["name"] == "lstm")
    assert lstm["parameters"] == 4 * 100 * (12 + 100) + 2 * 4 * 100
