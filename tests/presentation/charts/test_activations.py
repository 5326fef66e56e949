"""Charts of one recording inside the network: the heatmap, the trajectory, and the pair of heatmaps of Compare two."""

import numpy as np
import pandas as pd
import pytest
from chart_specs import JAPANESE_VOWELS_WORDS, missing_fields, spec_table_with, spec_text, vega_value

from core.compute.data import DatasetInfo
from core.presentation import charts, frames
from core.presentation.charts.common import NARROWEST_PLOT_PX, class_legend_room


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
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"] == "Speaker"


def test_trajectory_chart_names_basicmotions_activities_and_made_up_classes(bm_info, toy_info):
    probs = np.full((3, 4), 0.25)  # (T=3, C=4)
    chart = charts.trajectory_chart(probs, step=2, true_label=4, info=bm_info)
    spec = chart.to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert [r["activity"] for r in rows if r["true activity"]] == [4, 4, 4]
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"] == "Activity"
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == charts.CLASS_COLOURS[:4]
    text = spec_text(chart)
    assert "badminton" in text and "walking" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.trajectory_chart(np.array([[0.4, 0.6]]), info=toy_info)
    assert "dog" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match="Toy has 2 classes, but the probabilities have 4"):
        charts.trajectory_chart(probs, info=toy_info)


def test_probs_at_step_chart_outlines_the_true_class(bm_info, toy_info):
    chart = charts.probs_at_step_chart(np.full(9, 1 / 9), 3, true_label=2)
    data = spec_table_with(chart, "speaker", "probability", "true speaker")
    assert data["true speaker"].tolist() == ["", "true speaker"] + [""] * 7
    assert chart.to_dict()["title"] == "Probabilities after time step 3"
    chart = charts.probs_at_step_chart(np.array([0.1, 0.2, 0.3, 0.4]), None, true_label=4, info=bm_info)
    data = spec_table_with(chart, "activity", "probability", "true activity")
    assert data["true activity"].tolist() == ["", "", "", "true activity"]
    assert chart.to_dict()["encoding"]["x"]["title"] == "Activity"
    text = spec_text(chart)
    assert "badminton" in text and "running" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.probs_at_step_chart(np.array([0.3, 0.7]), 1, info=toy_info)
    assert "cat" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match=r"probs must have shape \(2,\), one per animal, got \(4,\)"):
        charts.probs_at_step_chart(np.full(4, 0.25), 1, info=toy_info)


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


def test_trajectory_pair_chart_draws_both_networks_on_one_chart(bm_info):
    probs_a = np.array([[0.7, 0.1, 0.1, 0.1], [0.4, 0.3, 0.2, 0.1]])  # (T=2, C=4)
    probs_b = probs_a[:, ::-1]
    spec = charts.trajectory_pair_chart(probs_a, probs_b, names=("A: pretrained", "B: lab"), true_label=1, info=bm_info)
    spec = spec.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 16
    b_rows = [r for r in rows if r["network"] == "B: lab"]
    assert [r["probability"] for r in b_rows if r["step"] == 1] == pytest.approx([0.1, 0.1, 0.1, 0.7])
    assert sum(r["true activity"] for r in rows) == 4
    dash = spec["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["A: pretrained", "B: lab"] and dash["scale"]["range"][0] == [1, 0]
    assert spec["encoding"]["color"]["legend"]["title"] == "Activity"
    with pytest.raises(ValueError, match="the same steps and classes"):
        charts.trajectory_pair_chart(probs_a, probs_b[:1], names=("a", "b"), info=bm_info)


def test_the_trajectory_legend_names_every_class_and_the_chart_makes_room_for_its_rows(bm_info):
    nine = charts.trajectory_chart(np.full((3, 9), 1 / 9), step=2).to_dict()
    legend = nine["layer"][0]["encoding"]["color"]["legend"]
    assert [vega_value(legend["columns"], width=w) for w in (NARROWEST_PLOT_PX, 540)] == [6, 9]  # 2 rows, 1 row
    assert nine["height"] == 360 + class_legend_room(frames.words(None)) == 390
    fifty = DatasetInfo("made-up", "Made up", "class", tuple(f"c{k}" for k in range(1, 51)), ("x",), "", "")
    many = charts.trajectory_chart(np.full((3, 50), 0.02), step=2, height=380, info=fifty).to_dict()
    assert many["height"] == 380 + class_legend_room(fifty) and class_legend_room(fifty) >= 8 * 30
    assert (
        vega_value(many["layer"][0]["encoding"]["color"]["legend"]["columns"], width=540) == 9
    )  # 6 rows of 55 px entries
    pair = charts.trajectory_pair_chart(np.full((2, 4), 0.25), np.full((2, 4), 0.25), names=("A", "B"), info=bm_info)
    network = pair.to_dict()["encoding"]["strokeDash"]["legend"]
    assert network["orient"] == "bottom" and network["title"] == "Network"  # under the plot, not beside it


def test_every_row_of_a_heatmap_is_labelled_while_the_rows_are_as_tall_as_a_label():
    spec = charts.heatmap_chart(np.zeros((4, 20)), range(1, 21), quantity="forget").to_dict()
    overlap = spec["encoding"]["y"]["axis"]["labelOverlap"]
    assert spec["encoding"]["y"]["axis"]["labelFlush"] is False  # the first and last labels stay on their rows
    assert vega_value(overlap, height=20 * 13) is False and vega_value(overlap, height=20 * 12) == "parity"
    bar = spec["encoding"]["color"]["legend"]
    assert bar["values"] == [0.0, 0.5, 1.0] and vega_value(bar["gradientLength"], height=100) == 76


def test_every_chart_of_the_module_encodes_only_fields_it_has(bm_info):
    probs = np.array([[0.7, 0.1, 0.1, 0.1], [0.4, 0.3, 0.2, 0.1]])  # (T=2, C=4)
    built = [
        charts.heatmap_chart(np.zeros((3, 2)), [4, 5], step=2, highlight_units=[5]),
        charts.values_at_step_chart(np.zeros(2), [4, 5]),
        charts.trajectory_chart(probs, step=1, true_label=2, info=bm_info),
        charts.trajectory_pair_chart(probs, probs, names=("A", "B"), true_label=2, info=bm_info),
        charts.probs_at_step_chart(probs[0], 1, true_label=2, info=bm_info),
        *charts.heatmap_pair_charts(np.zeros((3, 2)), np.zeros((2, 2)), [4, 5]),
    ]
    assert [missing_fields(chart) for chart in built] == [[]] * len(built)
