"""The "Why did it decide?" chart: the attributions it carries and its colour scale."""

import numpy as np
import pandas as pd
import pytest

import core
from core.presentation import charts


def chart_rows(chart) -> pd.DataFrame:
    spec = chart.to_dict()
    (rows,) = spec["datasets"].values()
    return pd.DataFrame(rows)


def test_attribution_chart_carries_every_value_by_feature_and_step():
    values = np.arange(12 * 4, dtype=float).reshape(12, 4) - 20  # (12, T=4)
    x = values / 10 + 3
    rows = chart_rows(charts.attribution_chart(values, x, target=5))
    assert set(rows.columns) == {"step", "feature", "contribution", "feature value"}
    assert len(rows) == values.size
    feature = rows["feature"].str.removeprefix("Feature ").astype(int)
    grid = np.full(values.shape, np.nan)
    grid[feature - 1, rows["step"] - 1] = rows["contribution"]
    np.testing.assert_allclose(grid, values)
    inputs = np.full(values.shape, np.nan)
    inputs[feature - 1, rows["step"] - 1] = rows["feature value"]
    np.testing.assert_allclose(inputs, x)


def test_attribution_colour_scale_is_diverging_and_symmetric_around_zero():
    values = np.zeros((12, 3))
    values[2, 1], values[5, 0] = 0.4, -1.5
    spec = charts.attribution_chart(values, target=3).to_dict()
    color = spec["encoding"]["color"]
    assert color["scale"]["domain"] == [-1.5, 1.5]
    assert color["scale"]["scheme"] == "purplegreen"
    assert any("towards speaker 3" in line for line in color["title"])
    assert spec["encoding"]["y"]["sort"] == [f"Feature {i}" for i in range(1, 13)]
    assert spec["encoding"]["x"]["title"] == "Time step"


def test_attribution_chart_of_all_zeros_still_has_a_scale():
    spec = charts.attribution_chart(np.zeros((12, 2)), target=1).to_dict()
    low, high = spec["encoding"]["color"]["scale"]["domain"]
    assert low == -high and high > 0


def test_attribution_chart_of_a_real_sequence(model, dataset):
    x = dataset.test.sequences[0]
    attr = core.analyses.attribution.integrated_gradients(model, x, baseline="mean")
    rows = chart_rows(charts.attribution_chart(attr.values, x, target=attr.target))
    pivot = rows.pivot(index="feature", columns="step", values="contribution")
    pivot = pivot.loc[[f"Feature {i}" for i in range(1, 13)]].to_numpy()
    np.testing.assert_allclose(pivot, attr.values)


@pytest.mark.parametrize(
    "values, x, match",
    [
        (np.zeros(12), None, r"values must have shape \(F, T\) with T >= 1"),
        (np.zeros((12, 0)), None, r"values must have shape \(F, T\) with T >= 1"),
        (np.zeros((12, 3)), np.zeros((12, 4)), r"x must have the shape of values \(12, 3\)"),
    ],
)
def test_attribution_chart_names_bad_shapes(values, x, match):
    with pytest.raises(ValueError, match=match):
        charts.attribution_chart(values, x, target=1)


def test_basicmotions_attribution_chart_names_its_channels_and_activity(bm_model, bm_dataset):
    info = bm_dataset.info
    x = bm_dataset.test.sequences[0]  # (6, T)
    attr = core.analyses.attribution.integrated_gradients(bm_model, x)
    chart = charts.attribution_chart(attr.values, x, target=attr.target, info=info)
    rows = chart_rows(chart)
    channel = rows["feature"].map({name: i for i, name in enumerate(info.channel_names)})
    grid = np.full(attr.values.shape, np.nan)
    grid[channel, rows["step"] - 1] = rows["contribution"]
    np.testing.assert_allclose(grid, attr.values)
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["sort"] == list(info.channel_names)
    assert spec["encoding"]["color"]["title"][1] == f"green: towards {info.class_names[attr.target - 1]}"
    with pytest.raises(ValueError, match="target must be a class from 1 to 4, got 5"):
        charts.attribution_chart(attr.values, target=5, info=info)
