"""Charts of one recording inside the network: the heatmap, the trajectory, and the pair of heatmaps of Compare two."""

import numpy as np
import pandas as pd
import pytest
from chart_specs import spec_table_with

from core.presentation import charts, frames


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


def test_trajectory_chart_carries_every_probability():
    probs = np.full((4, 9), 1 / 9)
    spec = charts.trajectory_chart(probs, step=2, true_label=3).to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert len(rows) == 36
    assert sum(r["true speaker"] for r in rows) == 4


@pytest.mark.parametrize("quantity, domain", [("hidden", [-1, 1]), ("cell", [-3.0, 3.0])])
def test_heatmap_pair_charts_share_one_colour_scale(quantity, domain):
    values_a = np.array([[0.5, -0.2], [1.5, 0.0]])  # (T=2, U=2)
    values_b = np.array([[-3.0, 0.1], [0.2, 0.3], [0.0, 0.0]])  # (T=3, U=2)
    left, right = charts.heatmap_pair_charts(values_a, values_b, [4, 5], quantity=quantity)
    for chart, values in ((left, values_a), (right, values_b)):
        assert chart.to_dict()["encoding"]["color"]["scale"]["domain"] == domain
        pd.testing.assert_frame_equal(
            spec_table_with(chart, "unit", "step", "value"), frames.heatmap_long(values, [4, 5]), check_dtype=False
        )
