"""The tables that charts draw and users download."""

import numpy as np
import pytest

from core.presentation import frames


def test_heatmap_long_rejects_mismatched_units():
    with pytest.raises(ValueError, match=r"shape \(T, 3\)"):
        frames.heatmap_long(np.zeros((2, 2)), [1, 2, 3])


def test_predictions_frame():
    probs = np.array([[0.6, 0.4], [0.3, 0.7]])
    table = frames.predictions_frame(probs)
    assert table["predicted speaker"].tolist() == [1, 2]
    assert table["probability"].tolist() == [0.6, 0.7]


def test_history_long_has_one_row_per_epoch_and_measure():
    history = [
        {"epoch": 1, "loss": 2.0, "train_accuracy": 0.2, "test_accuracy": 0.1, "seconds": 0.3},
        {"epoch": 2, "loss": 1.0, "train_accuracy": 0.6, "test_accuracy": 0.5, "seconds": 0.2},
    ]
    table = frames.history_long(history)
    assert table.to_dict("records") == [
        {"epoch": 1, "measure": "training loss", "value": 2.0},
        {"epoch": 2, "measure": "training loss", "value": 1.0},
        {"epoch": 1, "measure": "training accuracy", "value": 0.2},
        {"epoch": 2, "measure": "training accuracy", "value": 0.6},
        {"epoch": 1, "measure": "test accuracy", "value": 0.1},
        {"epoch": 2, "measure": "test accuracy", "value": 0.5},
    ]
