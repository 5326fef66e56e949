"""Charts of the data set: one recording's features, the pair of Compare two, classes per split."""

import json

import numpy as np
import pandas as pd
import pytest
from chart_specs import JAPANESE_VOWELS_WORDS, spec_table_with, spec_text

from core.presentation import charts, frames


def test_features_chart_has_every_value_and_legend_in_order(dataset):
    x = dataset.test.sequences[0]
    spec = charts.features_chart(x, title="Test Observation 1", step=3).to_dict()
    values = [row for data in spec["datasets"].values() for row in data if "channel" in row]
    assert len(values) == x.size
    assert values[0] == {"step": 1, "channel": "channel 1", "value": pytest.approx(x[0, 0])}
    color = spec["layer"][0]["encoding"]["color"]
    assert color["sort"] == [f"channel {i}" for i in range(1, 13)]
    assert any(row == {"step": 3} for data in spec["datasets"].values() for row in data)
    assert color["legend"]["columns"] == 2  # all 12 names fit beside a plot of the default height
    narrow = charts.features_chart(x, legend_columns=1).to_dict()
    assert narrow["encoding"]["color"]["legend"]["columns"] == 1


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


def test_features_charts_of_a_made_up_data_set_name_its_channels(toy_info):
    x = np.arange(6, dtype=float).reshape(3, 2)  # (F=3, T=2)
    chart = charts.features_chart(x, info=toy_info)
    text = spec_text(chart)
    assert "left" in text and "up" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)


def test_basicmotions_features_charts_name_its_six_channels(bm_dataset):
    info = bm_dataset.info
    x_a, x_b = bm_dataset.test.sequences[:2]  # (6, T) each
    chart = charts.features_chart(x_a, step=2, info=info)
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["color"]["sort"] == list(info.channel_names)
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
