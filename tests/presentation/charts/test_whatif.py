"""Charts of What if?: the change of the final answer, the difference heatmap and the sweep's curve and flips."""

import numpy as np
import pytest
from chart_specs import find_in_spec, missing_fields, spec_table_with
from numpy.testing import assert_allclose

from core.analyses.flip import Parting
from core.analyses.whatif import Sweep
from core.presentation import charts


def test_answer_change_chart_draws_edited_minus_original():
    original, edited = np.array([0.7, 0.2, 0.1]), np.array([0.3, 0.6, 0.1])
    chart = charts.answer_change_chart(original, edited, class_word="activity", class_names=["run", "walk", "sit"])
    table = spec_table_with(chart, "class", "original", "edited", "change", "direction")
    assert table["class"].tolist() == ["run", "walk", "sit"]
    assert_allclose(table["change"], [-0.4, 0.4, 0.0])
    assert table["direction"].tolist() == ["down", "up", "up"]
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["scale"]["domain"] == pytest.approx([-0.4, 0.4])
    assert spec["encoding"]["x"]["title"] == "Activity"


def test_answer_change_chart_default_names_and_bad_shapes():
    table = spec_table_with(
        charts.answer_change_chart([0.5, 0.5], [0.5, 0.5]), *"class original edited change direction".split()
    )
    assert table["class"].tolist() == ["speaker 1", "speaker 2"]
    with pytest.raises(ValueError, match=r"same shape \(C,\), got \(2,\) and \(3,\)"):
        charts.answer_change_chart([0.5, 0.5], [0.2, 0.3, 0.5])


def test_difference_heatmap_is_symmetric_around_zero():
    diff = np.array([[0.5, -1.5], [0.0, 0.25]])  # (T=2, U=2)
    spec = charts.difference_heatmap_chart(diff, [3, 4]).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == [-1.5, 1.5]
    assert spec["encoding"]["color"]["title"] == "Difference"
    rows = next(iter(spec["datasets"].values()))
    assert {"unit": 4, "step": 1, "value": -1.5} in rows and len(rows) == 4
    tiny = charts.difference_heatmap_chart(np.zeros((2, 2)), [1, 2]).to_dict()
    assert tiny["encoding"]["color"]["scale"]["domain"] == [-0.1, 0.1]


def test_sweep_chart_marks_each_flip():
    result = Sweep(
        "noise",
        np.array([0.0, 0.5, 1.0, 1.5]),
        np.zeros((4, 3)),
        2,
        np.array([0.9, 0.4, 0.3, 0.6]),
        np.array([2, 3, 3, 2]),
    )
    chart = charts.sweep_chart(result, strength_title="Noise strength")
    table = spec_table_with(chart, "strength", "probability", "answer")
    assert_allclose(table["probability"], [0.9, 0.4, 0.3, 0.6])
    assert table["answer"].tolist() == ["speaker 2", "speaker 3", "speaker 3", "speaker 2"]
    assert spec_table_with(chart, "strength")["strength"].tolist() == [0.5, 1.5]
    spec = chart.to_dict()
    assert spec["layer"][0]["title"] == "Probability of the original answer (speaker 2)"
    assert "Noise strength" in list(find_in_spec(spec, "title"))


def test_sweep_chart_without_flips_has_no_rules():
    steady = Sweep("scale", np.array([0.0, 1.0]), np.zeros((2, 2)), 1, np.array([0.8, 0.9]), np.array([1, 1]))
    assert len(charts.sweep_chart(steady, strength_title="x").to_dict()["layer"]) == 2
    with pytest.raises(TypeError, match="result must be a Sweep"):
        charts.sweep_chart(None, strength_title="x")


def test_the_sweep_colours_each_answer_as_its_class_and_names_it_in_a_legend_above():
    result = Sweep(
        "noise", np.array([0.0, 1.0, 2.0]), np.zeros((3, 9)), 2, np.array([0.9, 0.4, 0.3]), np.array([2, 9, 2])
    )
    points = charts.sweep_chart(result, strength_title="Noise strength").to_dict()["layer"][1]["encoding"]["color"]
    assert points["scale"] == {
        "domain": ["speaker 2", "speaker 9"],
        "range": [charts.CLASS_COLOURS[1], charts.CLASS_COLOURS[8]],
    }
    assert points["legend"]["orient"] == "top" and points["legend"]["title"] == "Answer"


def test_the_parting_chart_has_room_for_its_axis_titles():
    parting = Parting(np.array([0.0, 0.2, 1.5]), 0.5, 0.25, 2, np.array([3]), np.array([0.1]), np.array([0.9]))
    chart = charts.parting_chart(parting)
    spec = chart.to_dict()
    assert spec["height"] == 260 and spec["layer"][0]["encoding"]["y"]["title"] == "How far apart"  # not cut off
    assert spec["title"] == "Where the two memories part"  # fits a phone
    assert spec_table_with(chart, "parting step").to_dict("records") == [{"parting step": 2}]


def test_every_chart_of_the_module_encodes_only_fields_it_has():
    result = Sweep("noise", np.array([0.0, 1.0]), np.zeros((2, 3)), 2, np.array([0.9, 0.4]), np.array([2, 3]))
    parting = Parting(np.array([0.0, 0.2, 1.5]), 0.5, 0.25, 2, np.array([3]), np.array([0.1]), np.array([0.9]))
    built = [
        charts.answer_change_chart([0.7, 0.3], [0.2, 0.8]),
        charts.difference_heatmap_chart(np.zeros((2, 2)), [1, 2]),
        charts.sweep_chart(result, strength_title="Noise strength"),
        charts.parting_chart(parting),
    ]
    assert [missing_fields(chart) for chart in built] == [[]] * len(built)
