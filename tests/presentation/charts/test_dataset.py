"""Charts of the data set: one recording's features, the pair of Compare two, classes per split."""

import json
from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd
import pytest
from chart_specs import JAPANESE_VOWELS_WORDS, missing_fields, spec_table_with, spec_text, vega_value
from numpy.testing import assert_allclose, assert_array_equal

from core.presentation import charts, frames
from core.presentation.charts.common import LEGEND_ROW_PX, NARROWEST_PLOT_PX, legend_room
from core.presentation.charts.dataset import SPLIT_SETS, length_bin_width


def test_features_chart_has_every_value_and_legend_in_order(dataset):
    x = dataset.test.sequences[0]
    spec = charts.features_chart(x, title="Test Observation 1").to_dict()
    values = [row for data in spec["datasets"].values() for row in data if "channel" in row]
    assert len(values) == x.size
    assert values[0] == {"step": 1, "channel": "channel 1", "value": pytest.approx(x[0, 0])}
    color = spec["encoding"]["color"]
    assert color["sort"] == [f"channel {i}" for i in range(1, 13)]
    legend = color["legend"]  # under the plot, in as many columns as fit: 2 on a phone, 7 at 800 px
    assert legend["orient"] == "bottom" and legend["title"] == "Channel"
    assert [vega_value(legend["columns"], width=w) for w in (NARROWEST_PLOT_PX, 800)] == [2, 7]
    assert spec["height"] == 400 + legend_room(frames.feature_names(12))  # 6 rows on a phone: 5 more than one
    assert charts.features_chart(x, height=440).to_dict()["height"] == 440 + legend_room(frames.feature_names(12))


def test_features_pair_charts_share_one_value_axis():
    x_a = np.linspace(-1, 1, 12 * 3).reshape(12, 3)
    x_b = np.linspace(0, 2.5, 12 * 5).reshape(12, 5)
    left, right = charts.features_pair_charts(x_a, x_b, titles=("A", "B"))
    for chart, x in ((left, x_a), (right, x_b)):
        spec = chart.to_dict()
        assert spec["encoding"]["y"]["scale"]["domain"] == [-1.0, 2.5]
        data = spec_table_with(chart, "step", "channel", "value")
        pd.testing.assert_frame_equal(data, frames.features_long(x), check_dtype=False)
    assert left.to_dict()["title"] == "A" and right.to_dict()["title"] == "B"
    flat, _ = charts.features_pair_charts(np.full((12, 3), 7.0), np.full((12, 4), 7.0))  # one value throughout
    assert flat.to_dict()["encoding"]["y"]["scale"]["domain"] == [6.0, 8.0]


def test_class_balance_chart_counts_every_speaker_per_split(dataset):
    chart = charts.class_balance_chart(dataset.train.labels, dataset.test.labels)
    rows = spec_table_with(chart, "speaker", "split", "size")
    assert {"speaker": 1, "split": "training", "size": 30} in rows.to_dict("records")
    assert rows.groupby("split")["size"].sum().to_dict() == {"training": 270, "test": 370}
    assert chart.to_dict()["encoding"]["xOffset"]["field"] == "split"
    assert chart.to_dict()["encoding"]["x"]["title"] == "Speaker"
    with pytest.raises(ValueError, match="labels must be speaker numbers 1 to 9"):
        charts.class_balance_chart([1, 10], [1])


def test_class_balance_chart_names_basicmotions_activities(bm_dataset, toy_info):
    info = bm_dataset.info
    chart = charts.class_balance_chart(bm_dataset.train.labels, bm_dataset.test.labels, info=info)
    rows = spec_table_with(chart, "activity", "split", "size")
    assert rows.groupby("split")["size"].sum().to_dict() == {"training": 40, "test": 40}
    spec = chart.to_dict()
    assert spec["encoding"]["x"]["title"] == "Activity"
    assert spec["encoding"]["x"]["scale"]["domain"] == [1, 2, 3, 4]
    text = spec_text(chart)
    assert "badminton" in text and "standing" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.class_balance_chart([1, 2, 2], [2], info=toy_info)
    assert spec_table_with(toy, "animal", "split", "size").to_dict("records") == [
        {"animal": 1, "split": "training", "size": 1},
        {"animal": 2, "split": "test", "size": 1},
        {"animal": 2, "split": "training", "size": 2},
    ]
    assert "dog" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match="labels must be animal numbers 1 to 2"):
        charts.class_balance_chart([1, 3], [1], info=toy_info)


def test_length_histogram_speaks_of_recordings():
    text = spec_text(charts.length_histogram_chart([3, 4, 4], [5]))
    assert "Time steps in the recording" in text and "Recordings" in text
    assert "tterance" not in text


def test_length_histogram_has_a_bar_for_each_length_and_split_stacked(dataset):
    train, test = dataset.train.lengths, dataset.test.lengths  # 7 to 29 steps; none has 8
    chart = charts.length_histogram_chart(train, test)
    data = spec_table_with(chart, "first", "last", "lengths", "split", "recordings", "low", "high", "left", "right")
    for split, lengths in (("training", train), ("test", test)):
        bars = data[data["split"] == split]
        counts = np.bincount(lengths)  # recordings of each length, by length
        assert_array_equal(bars["first"], np.flatnonzero(counts))
        assert_array_equal(bars["last"], bars["first"])
        assert_array_equal(bars["recordings"], counts[counts > 0])
    test_bars = data[data["split"] == "test"].set_index("first")
    train_bars = data[data["split"] == "training"].set_index("first")
    assert_array_equal(test_bars["low"], train_bars["recordings"].reindex(test_bars.index, fill_value=0))
    assert (data["high"] - data["low"] == data["recordings"]).all()
    assert 8 not in set(data["first"])  # a gap where 8 would be
    assert_allclose(data["left"], data["first"] - 0.45)  # a bar a length wide, less a small gap to the next
    assert_allclose(data["right"], data["first"] + 0.45)
    x = chart.to_dict()["encoding"]["x"]
    assert x["type"] == "quantitative" and x["field"] == "left"  # every length has its place on the axis


def test_long_lengths_are_counted_in_spans_of_a_round_number_of_steps():
    assert length_bin_width([1], [60]) == 1 and length_bin_width([1], [61]) == 2 and length_bin_width([2], [2000]) == 50
    chart = charts.length_histogram_chart([2, 49, 50, 51], [2000])
    data = spec_table_with(chart, "first", "last", "lengths", "split", "recordings", "low", "high", "left", "right")
    assert data[["first", "last", "split", "recordings"]].values.tolist() == [
        [1, 50, "training", 3],
        [51, 100, "training", 1],
        [1951, 2000, "test", 1],
    ]
    assert data["lengths"].tolist() == ["1 to 50", "51 to 100", "1951 to 2000"]
    assert_allclose(data["left"], [3, 53, 1953])  # spans of 50 lengths, 5 steps apart
    assert_allclose(data["right"], [48, 98, 1998])


def test_the_lengths_caption_is_exact_and_says_when_every_recording_has_the_same_length(dataset, bm_dataset):
    assert charts.common_length(bm_dataset.train.lengths, bm_dataset.test.lengths) == 100
    assert charts.length_caption(bm_dataset.train.lengths, bm_dataset.test.lengths) == (
        "Every recording has the same length, 100 time steps: all 80 recordings (40 training, 40 test)."
    )
    assert charts.common_length(dataset.train.lengths, dataset.test.lengths) is None
    assert charts.length_caption(dataset.train.lengths, dataset.test.lengths) == (
        "Each bar counts the recordings of exactly that many time steps, from 7 to 29: training below, test on "
        "top; where there is no bar, no recording has that length."
    )
    assert charts.length_caption([3, 4], [5]).endswith("from 3 to 5: training below, test on top.")  # no gap
    assert charts.length_caption([2], [2000]) == (
        "Each bar counts the recordings whose length lies in its span of 50 time steps (1 to 50, 51 to 100 and so "
        "on): training below, test on top."
    )
    assert charts.length_caption([1], []) == (
        "Every recording has the same length, 1 time step: all 1 recording (1 training, 0 test)."
    )


@pytest.mark.parametrize(
    "train, test, match",
    [
        ([], [], "hold no recording"),
        ([3, 0], [4], "train_lengths must be a 1-D array of whole numbers of time steps, at least 1"),
        ([3], [4.5], "test_lengths must be a 1-D array of whole numbers"),
        ([[3]], [4], "train_lengths must be a 1-D array"),
    ],
)
def test_lengths_that_are_not_numbers_of_steps_are_refused(train, test, match):
    for function in (charts.length_histogram_chart, charts.length_caption, charts.common_length, length_bin_width):
        with pytest.raises(ValueError, match=match):
            function(train, test)


def test_every_chart_of_the_module_encodes_only_fields_it_has(dataset, bm_info):
    x = dataset.test.sequences[0]  # (12, 19)
    built = [
        charts.features_chart(x),
        charts.features_chart(np.zeros((6, 1500)), info=bm_info),  # blocks of steps: band and line
        charts.class_balance_chart(dataset.train.labels, dataset.test.labels),
        charts.length_histogram_chart(dataset.train.lengths, dataset.test.lengths),
        *charts.features_pair_charts(x, x[:, :5]),
        charts.features_chart(np.zeros((21, 40))),  # rows of colour
        charts.features_chart(np.zeros((100, 900))),  # rows of colour, columns of 3 steps
    ]
    with alt.data_transformers.disable_max_rows():  # 30,000 cells; Streamlit sends them without Altair's limit
        assert [missing_fields(chart) for chart in built] == [[]] * len(built)


def test_features_charts_of_a_made_up_data_set_name_its_channels(toy_info):
    x = np.arange(6, dtype=float).reshape(3, 2)  # (F=3, T=2)
    chart = charts.features_chart(x, info=toy_info)
    text = spec_text(chart)
    assert "left" in text and "up" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)


def test_basicmotions_features_charts_name_its_six_channels(bm_dataset):
    info = bm_dataset.info
    x_a, x_b = bm_dataset.test.sequences[:2]  # (6, T) each
    chart = charts.features_chart(x_a, info=info)
    spec = chart.to_dict()
    assert spec["encoding"]["color"]["sort"] == list(info.channel_names)
    data = spec_table_with(chart, "step", "channel", "value")
    for channel, name in enumerate(info.channel_names):
        np.testing.assert_allclose(data.loc[data["channel"] == name, "value"], x_a[channel])
    left, right = charts.features_pair_charts(x_a, x_b, info=info)
    for pair_chart, x in ((left, x_a), (right, x_b)):
        assert pair_chart.to_dict()["encoding"]["color"]["sort"] == list(info.channel_names)
        table = spec_table_with(pair_chart, "step", "channel", "value")
        pd.testing.assert_frame_equal(table, frames.features_long(x, info=info), check_dtype=False)
        text = spec_text(pair_chart)
        assert "gyroscope z" in text and "accelerometer x" in text
        assert not any(word in text for word in JAPANESE_VOWELS_WORDS)


def test_a_long_recording_is_drawn_as_blocks_with_their_range():
    x = np.random.default_rng(0).standard_normal((3, 1460))
    spec = charts.features_chart(x, title="Long").to_dict()
    assert "Long (each point: 5 steps)" in json.dumps(spec)
    rows = [row for data in spec["datasets"].values() for row in data if "low" in row]
    assert len(rows) == 3 * 292  # 1460 steps in blocks of 5
    assert all(row["low"] <= row["mean"] <= row["high"] for row in rows)
    short = charts.features_chart(x[:, :300]).to_dict()
    assert not any("low" in row for data in short["datasets"].values() for row in data)


def test_many_channels_are_rows_of_colour_with_every_value_in_its_cell():
    """Beyond 20 channels (tableau20's colours) lines tangle: a row per channel, in order, a cell per step."""
    x = np.random.default_rng(1).standard_normal((100, 15))  # (F, T)
    chart = charts.features_chart(x, title="Many")
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "rect" and spec["encoding"]["y"]["sort"] == frames.feature_names(100)
    assert "legend" not in spec["encoding"]["y"] and spec["height"] == 400
    table = spec_table_with(chart, "step", "last step", "channel", "mean", "low", "high", "from", "to")
    assert len(table) == x.size
    by_cell = table.set_index(["channel", "step"])["mean"]
    assert_allclose([by_cell[("channel 37", 9)], by_cell[("channel 100", 15)]], [x[36, 8], x[99, 14]])
    assert charts.features_reading(100).startswith("Each row is one channel (100 channels in all")
    assert charts.features_reading(20).startswith("Each line is one channel (20 channels in all)")
    assert charts.pair_reading(100) == "Both plots share the same colour scale."
    assert charts.pair_reading(3) == "Both plots share the same vertical scale."
    assert charts.features_chart(x[:20]).to_dict()["mark"]["type"] == "line"  # 20 channels: still lines


def test_many_long_channels_are_columns_of_block_means_on_one_shared_colour_scale():
    x = np.random.default_rng(2).standard_normal((30, 1460))
    with alt.data_transformers.disable_max_rows():  # 8,760 cells; Streamlit sends them without Altair's limit
        spec = charts.features_chart(x, title="Long").to_dict()
    assert "Long (each column: 5 steps)" in json.dumps(spec)
    rows = [row for data in spec["datasets"].values() for row in data if "mean" in row]
    assert len(rows) == 30 * 292
    assert_allclose(rows[0]["mean"], x[0, :5].mean())
    assert charts.block_reading(30, 5) == "Each column sums up 5 steps: its colour is their average."
    a, b = charts.features_pair_charts(x, 3 * x[:, :50])
    with alt.data_transformers.disable_max_rows():
        domains = [chart.to_dict()["encoding"]["color"]["scale"]["domain"] for chart in (a, b)]
    assert domains[0] == domains[1] == [pytest.approx(3 * x[:, :50].min()), pytest.approx(3 * x[:, :50].max())]


@pytest.mark.parametrize("which", ["balance", "lengths"])
def test_split_legend_names_both_sets_above_the_plot(dataset, which):
    train, test = dataset.train, dataset.test
    chart = (
        charts.class_balance_chart(train.labels, test.labels)
        if which == "balance"
        else charts.length_histogram_chart(train.lengths, test.lengths)
    )
    spec = chart.to_dict()
    legend = spec["encoding"]["color"]["legend"]  # above the plot: on the right it squeezes the plot on a phone
    assert legend["orient"] == "top" and legend["title"] is None
    names = {
        split: vega_value({"expr": legend["labelExpr"]}, datum=SimpleNamespace(label=split)) for split in SPLIT_SETS
    }
    assert names == {"training": "training set", "test": "test set"}  # as the sidebar names them
    assert vega_value(legend["columns"], width=NARROWEST_PLOT_PX) == 2  # one row, even on a phone
    assert spec["height"] == 260 + LEGEND_ROW_PX


def apart_recording(steps: int = 24) -> np.ndarray:
    """A price near 0.5 and a volume in the hundreds of thousands, as aeon's CardanoSentiment holds."""
    rng = np.random.default_rng(0)
    return np.vstack([0.5 + 0.05 * rng.standard_normal(steps), 1e5 * rng.random(steps)])  # (2, steps)


def test_channels_are_apart_when_their_ranges_differ_a_hundredfold():
    assert charts.scales_apart(apart_recording())
    assert not charts.scales_apart(np.vstack([np.linspace(0, 1, 10), np.linspace(0, 99, 10)]))  # 99 times
    assert charts.scales_apart(np.vstack([np.linspace(0, 1, 10), np.linspace(0, 100, 10)]))
    assert not charts.scales_apart(np.vstack([np.ones(10), np.linspace(0, 1e6, 10)]))  # a constant is left out
    assert not charts.scales_apart(np.vstack([np.linspace(0, 1, 10)] * 20 + [np.linspace(0, 1e6, 10)]))  # a heatmap
    a, b = np.vstack([np.linspace(0, 1, 10)] * 2), np.vstack([np.linspace(0, 1, 10), np.linspace(0, 1e3, 10)])
    assert charts.scales_apart(a, b) and not charts.scales_apart(a, a)  # over both recordings of a pair


@pytest.mark.parametrize("steps", [24, 1460])
def test_channels_apart_get_a_panel_each_with_its_own_value_axis(toy_info, steps):
    x = np.vstack([apart_recording(steps), np.linspace(-3, 3, steps)])  # (3, steps)
    spec = charts.features_chart(x, title="Test recording 1", info=toy_info).to_dict()
    panels = spec["vconcat"]
    assert [
        p["encoding"]["y"]["title"] if "encoding" in p else p["layer"][0]["encoding"]["y"]["title"] for p in panels
    ] == [
        "left",
        "right",
        "up",
    ]
    assert spec["resolve"] == {"scale": {"y": "independent"}} and "legend" not in json.dumps(spec).replace(
        '"legend": null', ""
    )
    x_titles = [(p.get("encoding") or p["layer"][0]["encoding"])["x"].get("title") for p in panels]
    assert x_titles == [None, None, "Time step"]
    assert spec["title"] == ("Test recording 1" if steps == 24 else "Test recording 1 (each point: 5 steps)")
    assert charts.features_reading(3, apart=True).startswith("Each panel is one channel (3 in all), with a value axis")


def test_a_pair_apart_shares_each_channels_range(toy_info):
    a = np.vstack([np.linspace(0, 1, 10), np.linspace(0, 1e4, 10), np.zeros(10)])
    b = 2 * a
    left, right = charts.features_pair_charts(a, b, info=toy_info)
    for chart in (left, right):
        panels = chart.to_dict()["vconcat"]
        domains = [(p.get("encoding") or p["layer"][0]["encoding"])["y"]["scale"]["domain"] for p in panels]
        assert domains == [[0.0, 2.0], [0.0, 2e4], [-1.0, 1.0]]  # a constant channel gets a range around it
    assert (
        charts.pair_reading(3, apart=True)
        == "Each channel has a panel of its own, on the same vertical scale in both plots."
    )


def test_a_pair_apart_only_together_is_drawn_in_panels_in_both_plots(toy_info):
    a = np.vstack([np.linspace(0, 1, 10), np.linspace(0, 10, 10), np.linspace(0, 2, 10)])  # not apart alone
    b = np.vstack([np.linspace(0, 1, 10), np.linspace(1000, 1010, 10), np.linspace(0, 2, 10)])  # nor this one
    assert not charts.scales_apart(a) and not charts.scales_apart(b) and charts.scales_apart(a, b)
    for chart in charts.features_pair_charts(a, b, info=toy_info):
        panels = chart.to_dict()["vconcat"]
        assert [(p.get("encoding") or p["layer"][0]["encoding"])["y"]["scale"]["domain"] for p in panels] == [
            [0.0, 1.0],
            [0.0, 1010.0],
            [0.0, 2.0],
        ]
