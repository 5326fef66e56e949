"""Charts are checked through their Vega-Lite specs: the data they carry and the scales they use."""

import numpy as np
import pytest

from core.presentation import charts, frames


def datasets(chart):
    return list(chart.to_dict()["datasets"].values())


def test_features_chart_has_every_value_and_legend_in_order(dataset):
    x = dataset.test.sequences[0]
    spec = charts.features_chart(x, title="Test Observation 1", step=3).to_dict()
    values = [row for data in spec["datasets"].values() for row in data if "feature" in row]
    assert len(values) == x.size
    assert values[0] == {"step": 1, "feature": "Feature 1", "value": pytest.approx(x[0, 0])}
    color = spec["layer"][0]["encoding"]["color"]
    assert color["sort"] == [f"Feature {i}" for i in range(1, 13)]
    assert any(row == {"step": 3} for data in spec["datasets"].values() for row in data)
    assert color["legend"]["columns"] == 2  # all 12 names fit beside a plot of the default height
    narrow = charts.features_chart(x, legend_columns=1).to_dict()
    assert narrow["encoding"]["color"]["legend"]["columns"] == 1


def test_heatmap_data_scale_and_marker():
    values = np.array([[0.5, -0.25], [0.0, 1.0], [-1.0, 0.75]])  # (T=3, U=2)
    spec = charts.heatmap_chart(values, [4, 9], step=2, highlight_units=[9]).to_dict()
    rects = spec["layer"][0]
    scale = rects["encoding"]["color"]["scale"]
    assert scale["domain"] == [-1, 1] and scale["scheme"] == "redblue"
    rows = spec["datasets"][rects["data"]["name"]]
    assert len(rows) == 6
    assert {"unit": 9, "step": 3, "value": 0.75} in rows
    assert rects["encoding"]["y"]["sort"] == [4, 9]
    assert any({"step": 2} in data for data in spec["datasets"].values())
    assert any({"unit": 9} in data for data in spec["datasets"].values())


@pytest.mark.parametrize("quantity, domain", [
    ("hidden", [-1, 1]), ("cell candidate", [-1, 1]), ("input", [0, 1]), ("forget", [0, 1]), ("output", [0, 1]),
])
def test_fixed_scales_fit_the_quantity(quantity, domain):
    assert charts.scale_for(quantity).domain == domain


def test_cell_scale_is_symmetric_and_fitted():
    assert charts.scale_for("cell", np.array([[-0.5, 2.5]])).domain == [-2.5, 2.5]
    with pytest.raises(ValueError, match="unknown quantity"):
        charts.scale_for("weights")


def test_trajectory_chart_carries_every_probability():
    probs = np.full((4, 9), 1 / 9)
    spec = charts.trajectory_chart(probs, step=2, true_label=3).to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert len(rows) == 36
    assert sum(r["true speaker"] for r in rows) == 4


def test_confusion_chart_offers_a_cell_selection():
    counts = np.diag(np.arange(1, 10))
    spec = charts.confusion_chart(counts, selectable=True).to_dict()
    (param,) = spec["params"]  # Altair lifts a layer's selection to the top level
    assert param["name"] == "cell" and param["views"] == [spec["layer"][0]["name"]]
    assert param["select"]["fields"] == ["true", "predicted"]
    assert "params" not in charts.confusion_chart(counts).to_dict()


def test_heatmap_long_rejects_mismatched_units():
    with pytest.raises(ValueError, match=r"shape \(T, 3\)"):
        frames.heatmap_long(np.zeros((2, 2)), [1, 2, 3])


def test_predictions_frame():
    probs = np.array([[0.6, 0.4], [0.3, 0.7]])
    table = frames.predictions_frame(probs)
    assert table["predicted speaker"].tolist() == [1, 2]
    assert table["probability"].tolist() == [0.6, 0.7]


def test_training_curve_and_balance_charts_render(dataset):
    history = [{"epoch": 1, "loss": 2.0, "train_accuracy": 0.2, "test_accuracy": 0.1},
               {"epoch": 2, "loss": 1.0, "train_accuracy": 0.6, "test_accuracy": 0.5}]
    assert len(frames.history_long(history)) == 6
    charts.training_curve_chart(history).to_dict()
    balance = charts.class_balance_chart(dataset.train.labels, dataset.test.labels).to_dict()
    rows = datasets(charts.class_balance_chart(dataset.train.labels, dataset.test.labels))[0]
    assert {"speaker": 1, "split": "training", "size": 30} in rows
    assert balance["encoding"]["xOffset"]["field"] == "split"
