"""The "Why did it decide?" charts: the shares they carry, their columns of several steps, one channel as bars
under the recording, and the colour scale."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import core
from core.presentation import charts
from core.presentation.charts.attribution import attribution_frame, column_block


def chart_rows(spec: dict, index: int = 0) -> pd.DataFrame:
    """The ``index``-th data set of a chart's spec."""
    return pd.DataFrame(list(spec["datasets"].values())[index])


def grid_of(rows: pd.DataFrame, column: str, names: list[str], n_columns: int) -> np.ndarray:
    """``column`` of the map's rows as (F, N), channels in the order of ``names``."""
    grid = np.full((len(names), n_columns), np.nan)
    channel = rows["channel"].map({name: i for i, name in enumerate(names)})
    grid[channel, np.searchsorted(np.sort(rows["step"].unique()), rows["step"])] = rows[column]
    return grid


FEATURES = [f"channel {i}" for i in range(1, 13)]


def test_attribution_chart_carries_every_value_by_feature_and_step():
    values = np.arange(12 * 4, dtype=float).reshape(12, 4) - 20  # (12, T=4)
    x = values / 10 + 3
    spec = charts.attribution_chart(values, x, target=5).to_dict()
    rows = chart_rows(spec)
    assert set(rows.columns) == {"step", "last step", "channel", "contribution", "channel value", "from", "to"}
    assert len(rows) == values.size
    assert_allclose(grid_of(rows, "contribution", FEATURES, 4), values)
    assert_allclose(grid_of(rows, "channel value", FEATURES, 4), x)
    assert (rows["step"] == rows["last step"]).all()
    assert_allclose(rows["from"], rows["step"] - 0.5)
    assert_allclose(rows["to"], rows["step"] + 0.5)
    assert spec["mark"]["type"] == "rect" and spec["height"] == 440
    assert spec["encoding"]["x"]["field"] == "from" and spec["encoding"]["x2"]["field"] == "to"
    assert spec["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}  # no tick between two steps


def test_a_long_map_adds_up_the_shares_of_blocks_of_steps():
    values = np.random.default_rng(0).normal(size=(3, 1460))  # (F, T)
    x = np.random.default_rng(1).normal(size=(3, 1460))
    assert column_block(1460) == 5 and column_block(300) == 1 and column_block(301) == 2
    rows = attribution_frame(values, x)
    assert len(rows) == 3 * 292
    first = rows[rows["channel"] == "channel 2"].iloc[0]
    assert (first["step"], first["last step"], first["from"], first["to"]) == (1, 5, 0.5, 5.5)
    assert_allclose(first["contribution"], values[1, :5].sum())
    assert_allclose(first["channel value"], x[1, :5].mean())
    assert_allclose(rows["contribution"].sum(), values.sum())  # the shares are kept, only grouped
    ragged = attribution_frame(np.ones((1, 7)), max_columns=3)  # blocks of 3: steps 1-3, 4-6 and 7
    assert ragged["step"].tolist() == [1, 4, 7] and ragged["last step"].tolist() == [3, 6, 7]
    assert ragged["contribution"].tolist() == [3.0, 3.0, 1.0]
    spec = charts.attribution_chart(values, x, target=1).to_dict()
    assert any(t.get("field") == "last step" for t in spec["encoding"]["tooltip"])


def test_one_channel_is_drawn_as_bars_under_the_recording_on_one_time_axis(toy_info):
    values = np.array([[0.5, -0.25, 0.0, 1.0]])  # (1, 4)
    x = np.array([[2.0, 3.0, 1.0, 0.5]])
    one = replace(toy_info, channel_names=("left",))
    spec = charts.attribution_chart(values, x, target=2, title="What pushed", info=one).to_dict()
    line, bars = spec["vconcat"]
    assert spec["resolve"]["scale"]["x"] == "shared" and spec["title"] == "What pushed"
    recording = pd.DataFrame(spec["datasets"][line["data"]["name"]])
    assert_allclose(recording["value"], x[0])
    assert recording["step"].tolist() == [1, 2, 3, 4]
    assert line["encoding"]["y"]["title"] == "left"
    shares = pd.DataFrame(spec["datasets"][bars["data"]["name"]])
    assert_allclose(shares["contribution"], values[0])
    assert bars["encoding"]["y"]["field"] == "contribution" and bars["encoding"]["y2"]["datum"] == 0
    assert bars["encoding"]["color"]["scale"]["domain"] == [-1.0, 1.0]
    assert bars["height"] >= 200  # not a stretched band of one row
    for chart in (line, bars):
        assert chart["encoding"]["x"]["scale"]["domain"] == [0.5, 4.5]
        assert chart["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}  # ticks at steps only
    alone = charts.attribution_chart(values, target=2, info=one).to_dict()
    assert alone["mark"]["type"] == "rect" and alone["encoding"]["y"]["field"] == "contribution"


def test_attribution_colour_scale_is_diverging_and_symmetric_around_zero():
    values = np.zeros((12, 3))
    values[2, 1], values[5, 0] = 0.4, -1.5
    spec = charts.attribution_chart(values, target=3).to_dict()
    color = spec["encoding"]["color"]
    assert color["scale"]["domain"] == [-1.5, 1.5]
    assert color["scale"]["scheme"] == "purplegreen"
    assert any("towards speaker 3" in line for line in color["title"])
    assert spec["encoding"]["y"]["sort"] == FEATURES
    assert spec["encoding"]["x"]["title"] == "Time step"


def test_the_colour_scale_of_a_long_map_spans_its_columns():
    values = np.full((2, 600), 0.1)  # blocks of 2 steps: every column 0.2
    spec = charts.attribution_chart(values, target=1).to_dict()
    assert_allclose(spec["encoding"]["color"]["scale"]["domain"], [-0.2, 0.2])


def test_attribution_chart_of_all_zeros_still_has_a_scale():
    spec = charts.attribution_chart(np.zeros((12, 2)), target=1).to_dict()
    low, high = spec["encoding"]["color"]["scale"]["domain"]
    assert low == -high and high > 0


def test_attribution_chart_of_a_real_sequence(model, dataset):
    x = dataset.test.sequences[0]
    attr = core.analyses.attribution.integrated_gradients(model, x, baseline="mean")
    rows = chart_rows(charts.attribution_chart(attr.values, attr.inputs, target=attr.target).to_dict())
    assert_allclose(grid_of(rows, "contribution", FEATURES, x.shape[1]), attr.values)


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
    with pytest.raises(ValueError, match="n_steps and max_columns must be at least 1"):
        column_block(0)


def test_basicmotions_attribution_chart_names_its_channels_and_activity(bm_model, bm_dataset):
    info = bm_dataset.info
    x = bm_dataset.test.sequences[0]  # (6, T)
    attr = core.analyses.attribution.integrated_gradients(bm_model, x)
    spec = charts.attribution_chart(attr.values, x, target=attr.target, info=info).to_dict()
    assert_allclose(grid_of(chart_rows(spec), "contribution", list(info.channel_names), x.shape[1]), attr.values)
    assert spec["encoding"]["y"]["sort"] == list(info.channel_names)
    assert spec["encoding"]["color"]["title"][1] == f"green: towards {info.class_names[attr.target - 1]}"
    with pytest.raises(ValueError, match="target must be a class from 1 to 4, got 5"):
        charts.attribution_chart(attr.values, target=5, info=info)
