"""Values behind the across-the-data-set charts: pattern windows, class counts, hidden paths, final probabilities."""

import numpy as np
import pandas as pd
import pytest
from chart_specs import (
    JAPANESE_VOWELS_WORDS,
    find_in_spec,
    missing_fields,
    spec_table_with,
    spec_tables,
    spec_text,
    vega_value,
)
from numpy.testing import assert_allclose, assert_array_equal

from core.compute.data import DatasetInfo
from core.presentation import charts, frames
from core.presentation.charts.common import class_legend_room, percent_expr


def _classes(n: int) -> DatasetInfo:
    """A made-up data set of ``n`` classes, "class 1" to "class n"."""
    names = tuple(f"class {k}" for k in range(1, n + 1))
    return DatasetInfo("made-up", "Made up", "class", names, ("level",), "made up for the tests", "none")


def test_window_heatmap_draws_the_values_the_window_and_the_pattern_rows():
    values = np.arange(12, dtype=float).reshape(4, 3) / 12  # (T=4, U=3)
    chart = charts.window_heatmap_chart(values, [5, 6, 7], 2, 3, highlight_units=[6, 99])
    heat = spec_table_with(chart, "unit", "step", "value")
    pd.testing.assert_frame_equal(heat, frames.heatmap_long(values, [5, 6, 7]), check_dtype=False)
    window = spec_table_with(chart, "start", "end")
    assert window.to_dict("records") == [{"start": 2, "end": 3}]
    assert spec_table_with(chart, "unit")["unit"].tolist() == [6]  # 99 is not a shown row
    spec = chart.to_dict()
    assert {"bandPosition": 0, "field": "start", "title": "Time step", "type": "ordinal"} in list(
        find_in_spec(spec, "x")
    )
    assert list(find_in_spec(spec, "x2"))[0]["bandPosition"] == 1
    assert [-1, 1] in list(find_in_spec(spec, "domain"))  # the hidden state's fixed scale


def test_window_heatmap_height_and_errors():
    values = np.zeros((5, 2))
    assert list(find_in_spec(charts.window_heatmap_chart(values, [1, 2], 1, 5, height=200).to_dict(), "height")) == [
        200
    ]
    with pytest.raises(ValueError, match="window 4-6 must lie within steps 1-5"):
        charts.window_heatmap_chart(values, [1, 2], 4, 6)
    with pytest.raises(ValueError, match="window 3-2"):
        charts.window_heatmap_chart(values, [1, 2], 3, 2)


def test_class_counts_chart():
    counts = np.array([19, 0, 0, 1, 0, 0, 0, 0, 0])
    chart = charts.class_counts_chart(counts, highlight=4, count_title="Matches")
    data = spec_table_with(chart, "speaker", "count", "chosen")
    assert_array_equal(data["speaker"], np.arange(1, 10))
    assert_array_equal(data["count"], counts)
    assert data["chosen"].tolist() == [""] * 3 + ["yes"] + [""] * 5
    assert chart.to_dict()["encoding"]["y"]["title"] == "Matches"
    assert chart.to_dict()["encoding"]["x"]["title"] == "Speaker"
    with pytest.raises(ValueError, match=r"1-D array of 9 counts, one per speaker, got shape \(3, 3\)"):
        charts.class_counts_chart(np.zeros((3, 3)))


def test_class_counts_chart_names_basicmotions_activities(bm_info):
    chart = charts.class_counts_chart([0, 2, 5, 1], highlight=3, info=bm_info)
    data = spec_table_with(chart, "activity", "count", "chosen")
    assert data["chosen"].tolist() == ["", "", "yes", ""]
    spec = chart.to_dict()
    assert spec["encoding"]["x"]["title"] == "Activity"
    assert spec["encoding"]["color"]["scale"]["range"] == charts.CLASS_COLOURS[:4]
    text = spec_text(chart)
    assert "badminton" in text and "standing" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    with pytest.raises(ValueError, match="4 counts, one per activity"):
        charts.class_counts_chart(np.zeros(9), info=bm_info)


def test_class_counts_chart_of_a_made_up_data_set(toy_info):
    chart = charts.class_counts_chart([3, 1], info=toy_info)
    assert spec_table_with(chart, "animal", "count", "chosen")["animal"].tolist() == [1, 2]
    text = spec_text(chart)
    assert "Animal" in text and "cat" in text and "dog" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)


@pytest.fixture()
def paths():
    """Three sequences of lengths 3, 1 and 2, padded to 3 steps, with known coordinates."""
    coords = np.arange(18, dtype=float).reshape(3, 3, 2)  # (N, T_max, 2)
    return coords, np.array([3, 1, 2]), np.array([2, 5, 9])


def test_hidden_paths_background_skips_padding(paths):
    coords, lengths, labels = paths
    chart = charts.hidden_paths_chart(coords, lengths, labels, explained=[0.259, 0.187])
    data = spec_table_with(chart, "recording", "speaker", "step", "pc1", "pc2")
    assert data[["recording", "step"]].values.tolist() == [[1, 1], [1, 2], [1, 3], [2, 1], [3, 1], [3, 2]]
    assert data["speaker"].tolist() == [2, 2, 2, 5, 9, 9]
    expected = np.concatenate([coords[0, :3], coords[1, :1], coords[2, :2]])  # (6, 2)
    assert_allclose(data[["pc1", "pc2"]].to_numpy(), expected)
    titles = list(find_in_spec(chart.to_dict(), "title"))
    assert "PC 1 (26% of the variation)" in titles and "PC 2 (19% of the variation)" in titles


def test_hidden_paths_focus_ends_and_marker(paths):
    coords, lengths, labels = paths
    focus = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]])  # (T=4, 2)
    chart = charts.hidden_paths_chart(coords, lengths, labels, focus=focus, focus_label=3, step=2)
    data = spec_tables(chart)
    path = next(t for t in data if list(t.columns) == ["step", "pc1", "pc2"] and len(t) == 4)
    assert_allclose(path[["pc1", "pc2"]].to_numpy(), focus)
    ends = spec_table_with(chart, "step", "pc1", "pc2", "label")
    assert ends[["step", "label"]].values.tolist() == [[1, "start"], [4, "end"]]
    marker = next(t for t in data if list(t.columns) == ["step", "pc1", "pc2"] and len(t) == 1)
    assert marker.to_dict("records") == [{"step": 2, "pc1": 2.0, "pc2": 3.0}]
    assert charts.CLASS_COLOURS[2] in list(find_in_spec(chart.to_dict(), "color"))
    assert "PC 1" in list(find_in_spec(chart.to_dict(), "title"))  # no explained variance: plain titles


def test_hidden_paths_errors(paths):
    coords, lengths, labels = paths
    with pytest.raises(ValueError, match=r"coords must be \(N, T_max, 2\)"):
        charts.hidden_paths_chart(coords[..., :1], lengths, labels)
    with pytest.raises(ValueError, match="focus must have shape"):
        charts.hidden_paths_chart(coords, lengths, labels, focus=np.zeros((3, 3)))
    with pytest.raises(ValueError, match="step must be between 1 and 2"):
        charts.hidden_paths_chart(coords, lengths, labels, focus=np.zeros((2, 2)), step=3)
    with pytest.raises(ValueError, match="labels must be speaker numbers 1 to 9"):
        charts.hidden_paths_chart(coords, lengths, np.array([2, 5, 10]))


def test_hidden_paths_of_basicmotions_and_a_made_up_data_set(paths, bm_info, toy_info):
    coords, lengths, _ = paths
    chart = charts.hidden_paths_chart(
        coords, lengths, np.array([1, 4, 2]), focus=coords[0], focus_label=4, info=bm_info
    )
    assert spec_table_with(chart, "recording", "activity", "step", "pc1", "pc2")["activity"].tolist() == [
        1,
        1,
        1,
        4,
        2,
        2,
    ]
    text = spec_text(chart)
    assert "Activity" in text and "badminton" in text and "running" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    assert charts.CLASS_COLOURS[3] in list(find_in_spec(chart.to_dict(), "color"))  # badminton's colour
    toy = charts.hidden_paths_chart(coords, lengths, np.array([1, 2, 2]), info=toy_info)
    assert "dog" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match="labels must be animal numbers 1 to 2"):
        charts.hidden_paths_chart(coords, lengths, np.array([1, 2, 3]), info=toy_info)


def test_final_probs_chart():
    probs = np.full((2, 9), 0.05)
    probs[0, 1], probs[1, 0] = 0.6, 0.6  # (k=2, C=9)
    chart = charts.final_probs_chart(probs, [32, 7], [1, 3])
    data = spec_table_with(chart, "recording", "speaker", "probability", "true speaker")
    assert_array_equal(data["recording"], [32] * 9 + [7] * 9)
    assert_array_equal(data["speaker"], list(range(1, 10)) * 2)
    assert_allclose(data["probability"], probs.ravel())
    assert data.loc[data["true speaker"], ["recording", "speaker"]].values.tolist() == [[32, 1], [7, 3]]
    assert [32, 7] in list(find_in_spec(chart.to_dict(), "sort"))  # rows in the order given
    with pytest.raises(ValueError, match="k recordings and labels"):
        charts.final_probs_chart(probs, [1], [1, 2])
    with pytest.raises(ValueError, match=r"one column per speaker \(9\), got 3"):
        charts.final_probs_chart(probs[:, :3], [32, 7], [1, 3])


def test_final_probs_chart_of_basicmotions_and_a_made_up_data_set(bm_info, toy_info):
    probs = np.array([[0.1, 0.7, 0.1, 0.1], [0.4, 0.2, 0.3, 0.1]])  # (k=2, C=4)
    chart = charts.final_probs_chart(probs, [3, 8], [2, 4], info=bm_info)
    data = spec_table_with(chart, "recording", "activity", "probability", "true activity")
    assert data.loc[data["true activity"], ["recording", "activity"]].values.tolist() == [[3, 2], [8, 4]]
    text = spec_text(chart)
    assert "Activity" in text and "walking" in text and "badminton" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.final_probs_chart(np.array([[0.3, 0.7]]), [1], [2], info=toy_info)
    assert spec_table_with(toy, "recording", "animal", "probability", "true animal")["true animal"].tolist() == [
        False,
        True,
    ]
    assert "cat" in spec_text(toy) and "speaker" not in spec_text(toy)


def test_every_square_of_the_final_probabilities_is_labelled_with_its_percentage(bm_info):
    probs = np.array([[0.004, 0.5, 0.496, 0.0], [0.25, 0.25, 0.25, 0.25]])  # (k=2, C=4)
    chart = charts.final_probs_chart(probs, [3, 8], [2, 4], info=bm_info)
    spec = chart.to_dict()
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text["encoding"]["text"]["condition"]["field"] == "percent"
    percent = {"calculate": percent_expr("probability"), "as": "percent"}
    assert all(percent in layer["transform"] for layer in spec["layer"])
    assert missing_fields(chart) == []  # the text layer once drew "undefined" in every square
    axis = text["encoding"]["x"]["axis"]
    assert axis["labelOverlap"] is False and axis["orient"] == "top"  # every activity named


def test_every_chart_of_the_module_encodes_only_fields_it_has(paths, bm_info, toy_info):
    coords, lengths, labels = paths
    built = [
        charts.window_heatmap_chart(np.zeros((5, 3)), [4, 5, 6], 2, 3, highlight_units=[5]),
        charts.class_counts_chart([0, 2, 5, 1], highlight=3, info=bm_info),
        charts.hidden_paths_chart(coords, lengths, labels, focus=coords[0], focus_label=2, step=2),
        charts.final_probs_chart(np.array([[0.3, 0.7]]), [1], [2], info=toy_info),
    ]
    assert [missing_fields(chart) for chart in built] == [[]] * len(built)


def test_the_rows_of_a_window_heatmap_are_each_labelled_and_its_colour_bar_fits():
    chart = charts.window_heatmap_chart(np.zeros((9, 7)), [12, 30, 33, 50, 70, 71, 98], 3, 8, height=90 + 16 * 7)
    rects = chart.to_dict()["layer"][0]
    assert rects["mark"]["type"] == "rect"
    assert vega_value(rects["encoding"]["y"]["axis"]["labelOverlap"], height=112) is False  # a map of 16 px a row
    legend = rects["encoding"]["color"]["legend"]
    assert legend["values"] == [-1.0, 0.0, 1.0]  # -1 labelled too
    assert vega_value(legend["gradientLength"], height=112) == 88  # no taller than the map


def test_the_hidden_paths_make_room_for_a_legend_of_many_classes(paths):
    coords, lengths, labels = paths
    few = charts.hidden_paths_chart(coords, lengths, labels).to_dict()
    many = charts.hidden_paths_chart(coords, lengths, labels, info=_classes(50)).to_dict()
    assert many["height"] - few["height"] == class_legend_room(_classes(50)) - class_legend_room(frames.words(None))
    assert many["layer"][0]["encoding"]["color"]["legend"]["columns"]["expr"].startswith("max(1, min(50, ")
